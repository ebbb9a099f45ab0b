"""What every benchmark case is held against: issue 22's bound and the best peer's figure, with its version
and where the figure comes from. A benchmark records (``benchmark.extra_info``); it never fails on time.

Peers' figures were measured on this project's 2-core machine (issue 22's table, interleaved runs,
minimum times; Brian2 re-measured 2026-12-04, docs/benchmarks.md) unless the source says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

ISSUE_22 = "issue 22 table (this project's 2-core machine)"
BRIAN2 = "benchmarks/brian2_song.py, Brian2 2.9.0 + Cython 3.3.1 + numpy 1.26.4, 2026-12-04 (docs/benchmarks.md)"


@dataclass(frozen=True)
class Case:
    """One row of the speed table.

    Attributes:
        title: what is measured.
        bound_s: issue 22's bound on our minimum time, s (``None``: no absolute bound).
        bound_ratio: bound on our time over ``baseline``'s, measured in the same run, or over ``peer_s`` when
            there is no baseline (``None``: no relative bound).
        baseline: the case id our time is divided by for ``bound_ratio`` (plain torch).
        peer: the best peer and its version; peer_s: its time, s; source: where that figure comes from.
    """

    title: str
    bound_s: float | None = None
    bound_ratio: float | None = None
    baseline: str | None = None
    peer: str | None = None
    peer_s: float | None = None
    source: str | None = None


CASES = {
    "circuit-64-0.1ohm": Case("passive crossbar, one cold solve, 64 x 64, 0.1 ohm", bound_s=0.5e-3,
                              peer="CrossSim 3.2 iterative solver at 1e-9", peer_s=0.52e-3, source=ISSUE_22),
    "circuit-64-1ohm": Case("passive crossbar, one cold solve, 64 x 64, 1 ohm",
                            peer="CrossSim 3.2 iterative solver at 1e-9", peer_s=1.14e-3, source=ISSUE_22),
    "circuit-256-0.1ohm": Case("passive crossbar, 256 x 256, 0.1 ohm (weak IR drop)", bound_s=11e-3,
                               peer="CrossSim 3.2 at its default tolerance (error 2e-4)", peer_s=11.7e-3,
                               source=ISSUE_22),
    "circuit-256-1ohm": Case("passive crossbar, 256 x 256, 1 ohm (strong IR drop)",
                             peer="CHOLMOD (scikit-sparse) nodal solve", peer_s=0.47, source=ISSUE_22),
    "circuit-1024-1ohm": Case("passive crossbar, 1024 x 1024, 1 ohm", bound_s=1.0,
                              peer="CHOLMOD (scikit-sparse) nodal solve", peer_s=26.5, source=ISSUE_22),
    "thousand-vectors-64": Case("1000 vectors on one programmed 64 x 64 array, 1 ohm", bound_s=0.04,
                                peer="scipy splu + unit solves", peer_s=0.044, source=ISSUE_22),
    "effective-matrix-1024": Case("effective-matrix setup, 1024 x 1024, 1 ohm", bound_s=10.0),
    "insitu-epoch-torch": Case("784-100-10 MLP, one epoch, Fashion-MNIST, batch 200: plain torch"),
    "insitu-epoch": Case("the same epoch in situ on tpt-ram-110 (PulseSGD)", bound_ratio=1.5,
                         baseline="insitu-epoch-torch", peer="aihwkit 1.1 ConstantStep (5.7x its own torch)",
                         peer_s=18.6, source=ISSUE_22),
    "inference-512-torch": Case("512 x 512 linear layer, batch 1000: plain torch"),
    "inference-512-8bit": Case("the same layer on tpt-ram-110 with 8-bit DAC and ADC", bound_ratio=2.0,
                               baseline="inference-512-torch", peer="aihwkit (4.2x its own torch)",
                               source=ISSUE_22),
    "spiking-song-weights": Case("1000 -> 100 LIF, 100k pair-STDP weights, 1 s at 0.1 ms, event-driven",
                                 bound_ratio=2.0, peer="Brian2 2.9.0 cython (euler)", peer_s=0.33, source=BRIAN2),
    "spiking-song-devices": Case("the same network on tpt-ram-110 device synapses (pulses)", bound_ratio=10.0,
                                 peer="Brian2 2.9.0 cython (euler, plain weights)", peer_s=0.33, source=BRIAN2),
    "quick-suite": Case("memristive run all --quick --jobs 2", bound_s=300.0),
}
