"""Firing patterns read from spike times: tonic (regular or fast spiking) or bursting (chattering).

The electrophysiologists' classes (Connors & Gutnick, Trends Neurosci. 13, 99, 1990; Izhikevich,
IEEE Trans. Neural Netw. 14, 1569, 2003), decided from the inter-spike intervals (ISIs) under a
constant input:

* ``"chattering"``: bursts, the steady ISIs (second half of the train) spread by more than
  ``burst_ratio`` (longest / shortest): short intervals inside a burst, long ones between bursts;
* ``"regular"`` (regular spiking): tonic, with adaptation: the steady mean ISI exceeds the first
  ISI by more than ``adaptation_ratio``;
* ``"fast"`` (fast spiking): tonic without adaptation;
* ``"quiet"``: fewer than ``min_spikes`` spikes.
"""

from __future__ import annotations

import numpy as np

MODES = ("regular", "chattering", "fast")
"""The three firing modes, in the order of seed 002's Fig. 8e."""


def firing_mode(spikes_s: np.ndarray, *, burst_ratio: float = 1.5, adaptation_ratio: float = 1.15,
                min_spikes: int = 6) -> str:
    """The firing pattern of one spike train (module docstring): one of :data:`MODES`, or ``"quiet"``."""
    isi = np.diff(np.asarray(spikes_s, dtype=float))
    if isi.size < min_spikes - 1:
        return "quiet"
    steady = isi[isi.size // 2:]
    if steady.max() / steady.min() > burst_ratio:
        return "chattering"
    return "regular" if steady.mean() / isi[0] > adaptation_ratio else "fast"
