"""Programming a passive array: V/2 and V/3 bias schemes and write-verify tuning.

Bias schemes (seed 003 refs. 14-15; seed 002 section on 0T1R arrays), for a write pulse
of amplitude ``V`` on device ``(i, j)``:

* ``"v/2"``: row ``i`` at ``V``, column ``j`` at 0, all other lines at ``V/2``: the
  half-selected devices of row ``i`` and column ``j`` see ``V/2``, the rest 0.
* ``"v/3"``: row ``i`` at ``V``, column ``j`` at 0, other rows at ``V/3``, other
  columns at ``2V/3``: half-selected devices see ``V/3``, all others ``-V/3``.

Every device sees its actual voltage and the device model decides whether it is
disturbed (``disturb=False`` applies the pulse to the selected device only, the
ideal-selector reference). Wires are taken as ideal while programming.

Write-verify (Alibart et al., Nanotechnology 23, 075201, 2012, as used in seed 003):
read at ``read_v``; if the conductance is off target by more than the tolerance, apply a
pulse towards it whose amplitude grows by ``step_set`` / ``step_reset`` each pulse up to
``v_max``; when the target is crossed the polarity flips and a new ramp starts. Each ramp
starts ``restart_margin_v`` below the amplitude at which that device last switched in that
polarity (never below ``v_start``): the amplitude is "adjusted dynamically". The array is
tuned device by device; later cycles re-tune the devices that half-select disturb moved
out of tolerance. The paper does not give the order of those cycles; ours re-tunes the
devices that switch at high amplitudes first and the easily disturbed ones last
(``retune_order="strength"``), which matters: on the 64 x 64 image it takes the mean
error from 11 % (row by row) to 3.7 % (docs/reproductions.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from memristive.devices.threshold_model import ThresholdState, ThresholdSwitchingDevice
from memristive.errors import MemristiveError

BIAS_SCHEMES = ("v/2", "v/3")
RETUNE_ORDERS = ("strength", "raster")


def line_voltages(scheme: str, shape: tuple[int, int], i: int, j: int, v: float) -> tuple[np.ndarray, np.ndarray]:
    """Row and column line voltages when ``(i, j)`` gets ``v`` under a driven ``scheme``."""
    n, m = shape
    if scheme == "v/2":
        rows, cols = np.full(n, v / 2), np.full(m, v / 2)
    elif scheme == "v/3":
        rows, cols = np.full(n, v / 3), np.full(m, 2 * v / 3)
    else:
        raise MemristiveError(f"unknown bias scheme {scheme!r}; known: {', '.join(BIAS_SCHEMES)}")
    rows[i], cols[j] = v, 0.0
    return rows, cols


def bias_voltages(scheme: str, shape: tuple[int, int], i: int, j: int, v: float) -> np.ndarray:
    """Voltage across every device of an ``N x M`` array when ``(i, j)`` gets ``v``."""
    rows, cols = line_voltages(scheme, shape, i, j, v)
    return rows[:, None] - cols[None, :]


@dataclass(frozen=True)
class WriteVerify:
    """Settings of write-verify tuning (seed 003: 2.5 V max, 4 mV / 8 mV steps, 5 %, 3 cycles).

    Attributes:
        tolerance: relative conductance error accepted, e.g. 0.05.
        v_start: first amplitude of a ramp, V (below every device's threshold).
        step_set, step_reset: amplitude increments, V.
        v_max: largest amplitude, V.
        width_s: write pulse width, s (seed 003 characterises with 1 ms pulses).
        read_time_s: time of one verify read, s.
        restart_margin_v: a new ramp starts this far below the last switching amplitude, V.
        max_pulses: pulses allowed per device per cycle.
        give_up_pulses: pulses at ``v_max`` without switching after which a device is
            declared unswitchable and left alone (it would otherwise keep disturbing its
            lines at ``v_max / 2``).
        cycles: passes over the array.
        scheme: ``"v/2"`` or ``"v/3"``.
        disturb: whether half-selected devices feel their voltage.
        retune_order: order of cycles 2, 3, ...: ``"strength"`` (strongest devices first,
            see :func:`switching_strength`) or ``"raster"`` (row by row, as cycle 1).
    """

    tolerance: float = 0.05
    v_start: float = 0.3
    step_set: float = 0.004
    step_reset: float = 0.008
    v_max: float = 2.5
    width_s: float = 1e-3
    read_time_s: float = 1e-3
    restart_margin_v: float = 0.1
    max_pulses: int = 2000
    give_up_pulses: int = 10
    cycles: int = 3
    scheme: str = "v/2"
    disturb: bool = True
    retune_order: str = "strength"

    def __post_init__(self) -> None:
        if not 0 < self.tolerance < 1:
            raise MemristiveError(f"tolerance={self.tolerance} must be in (0, 1)")
        if not 0 < self.v_start < self.v_max or self.step_set <= 0 or self.step_reset <= 0:
            raise MemristiveError("need 0 < v_start < v_max and positive steps")
        if self.cycles < 1 or self.max_pulses < 1:
            raise MemristiveError(f"cycles={self.cycles} and max_pulses={self.max_pulses} must be >= 1")
        if self.scheme not in BIAS_SCHEMES:
            raise MemristiveError(f"unknown bias scheme {self.scheme!r}; known: {', '.join(BIAS_SCHEMES)}")
        if self.retune_order not in RETUNE_ORDERS:
            raise MemristiveError(f"unknown retune_order {self.retune_order!r}; known: {', '.join(RETUNE_ORDERS)}")


@dataclass
class TuningReport:
    """What tuning did: pulses per device, errors after each cycle, devices given up, time spent."""

    pulses: np.ndarray
    given_up: np.ndarray
    error_after_cycle: list[np.ndarray] = field(default_factory=list)
    retuned_per_cycle: list[int] = field(default_factory=list)

    def time_per_device_s(self, config: WriteVerify) -> float:
        """Mean programming time per device: pulses x (write + verify read)."""
        return float(self.pulses.mean() * (config.width_s + config.read_time_s))


class _Pulser:
    """Applies one write pulse to the selected device and, per the scheme, the others."""

    def __init__(self, device: ThresholdSwitchingDevice, state: ThresholdState, config: WriteVerify) -> None:
        self.device, self.state, self.config = device, state, config
        self.n, self.m = state.g.shape

    def __call__(self, i: int, j: int, v: float) -> None:
        cfg, dev, state = self.config, self.device, self.state
        if not cfg.disturb:
            dev.apply_voltage(state, np.array(v), cfg.width_s, (i, j))
            return
        rows, cols = line_voltages(cfg.scheme, (self.n, self.m), i, j, v)
        other_rows, other_cols = np.arange(self.n) != i, np.arange(self.m) != j
        dev.apply_voltage(state, rows[i] - cols, cfg.width_s, (i, slice(None)))
        dev.apply_voltage(state, rows[other_rows] - cols[j], cfg.width_s, (other_rows, j))
        unselected = rows[other_rows][0] - cols[other_cols][0] if self.n > 1 and self.m > 1 else 0.0
        if unselected:  # V/3: every other device sees -V/3; V/2 leaves them at 0 V, untouched
            block = np.ix_(other_rows, other_cols)
            dev.apply_voltage(state, np.full((self.n - 1, self.m - 1), unselected), cfg.width_s, block)


def _tune_device(pulse: _Pulser, state: ThresholdState, i: int, j: int, target: float,
                 config: WriteVerify, last_switch: np.ndarray) -> int:
    """Write-verify one device; returns the pulses used (negative: given up as unswitchable)."""
    polarity, amplitude, used, idle_at_max = 0, 0.0, 0, 0
    while used < config.max_pulses:
        g = state.g[i, j]
        if abs(g - target) <= config.tolerance * target:
            break
        wanted = 1 if g < target else -1
        if wanted != polarity:
            polarity = wanted
            memory = last_switch[(polarity + 1) // 2, i, j]
            amplitude = max(config.v_start, memory - config.restart_margin_v) if memory > 0 else config.v_start
        pulse(i, j, polarity * amplitude)
        used += 1
        if abs(state.g[i, j] - g) > 0.002 * g:
            last_switch[(polarity + 1) // 2, i, j] = amplitude
            idle_at_max = 0
        elif amplitude >= config.v_max:
            idle_at_max += 1
            if idle_at_max >= config.give_up_pulses:
                return -used
        amplitude = min(amplitude + (config.step_set if polarity > 0 else config.step_reset), config.v_max)
    return used


def switching_strength(last_switch: np.ndarray) -> np.ndarray:
    """How hard a device is to disturb: ``S / median(S) + R / median(R)``.

    ``last_switch[0]`` / ``[1]`` hold the reset / set amplitudes (V, > 0) at which each device
    last switched, 0 where it never has; an unknown polarity counts as the median (1). A
    half-selected device is disturbed when ``V/2`` of a neighbour's pulse exceeds its own
    threshold, so re-tuning the strongest devices first and the weakest last leaves the
    weak ones undisturbed by the pulses that would move them.
    """
    known = np.where(last_switch > 0, last_switch, np.nan)
    flat = known.reshape(2, -1)
    typical = np.array([np.nanmedian(row) if np.isfinite(row).any() else 1.0 for row in flat])
    return np.nan_to_num(known / typical[:, None, None], nan=1.0).sum(axis=0)


def write_verify(device: ThresholdSwitchingDevice, state: ThresholdState, target_s: np.ndarray,
                 config: WriteVerify = WriteVerify(), progress: bool = True) -> TuningReport:
    """Tune ``state`` (in place) towards ``target_s`` [N, M] device by device, ``config.cycles`` times.

    Every cycle visits every device (in ``config.retune_order`` after the first): a read
    within tolerance costs no pulse, so a device is re-tuned whenever it is out of
    tolerance when its turn comes, including when an earlier device of the same cycle
    disturbed it. ``report.retuned_per_cycle`` counts the devices pulsed in each cycle.
    """
    target = np.asarray(target_s, dtype=float)
    if target.shape != state.g.shape or np.any(target <= 0):
        raise MemristiveError(f"target must be positive conductances of shape {state.g.shape}")
    pulse = _Pulser(device, state, config)
    last_switch = np.zeros((2, *target.shape))
    report = TuningReport(pulses=np.zeros(target.shape, dtype=int), given_up=np.zeros(target.shape, dtype=bool))
    order = [(i, j) for i in range(target.shape[0]) for j in range(target.shape[1])]
    for cycle in range(config.cycles):
        todo = [(i, j) for i, j in order if not report.given_up[i, j]]
        if cycle > 0 and config.retune_order == "strength":
            strength = switching_strength(last_switch)
            todo.sort(key=lambda ij: -strength[ij])
        tuned = 0
        for i, j in tqdm(todo, desc=f"tuning cycle {cycle + 1}", leave=False, disable=None if progress else True):
            used = _tune_device(pulse, state, i, j, target[i, j], config, last_switch)
            report.pulses[i, j] += abs(used)
            report.given_up[i, j] = used < 0
            tuned += used != 0
        report.retuned_per_cycle.append(tuned)
        report.error_after_cycle.append((state.g - target) / target)
    return report
