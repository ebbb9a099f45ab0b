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

import torch
from tqdm.auto import tqdm

from memristive.crossbar.cells import PASSIVE, Cell
from memristive.devices.base import DeviceModel, PulseTrain, State
from memristive.errors import MemristiveError

BIAS_SCHEMES = ("v/2", "v/3")
RETUNE_ORDERS = ("strength", "raster")


def line_voltages(scheme: str, shape: tuple[int, int], i: int, j: int, v: float | torch.Tensor,
                  **factory) -> tuple[torch.Tensor, torch.Tensor]:
    """Row and column line voltages when ``(i, j)`` gets ``v`` under a driven ``scheme`` (``factory``: dtype, device).

    ``v`` is one amplitude or a tensor of ``K`` of them (the lines then get a leading axis of ``K``)."""
    n, m = shape
    v = torch.as_tensor(v, **factory)
    if scheme == "v/2":
        row_level, col_level = v / 2, v / 2
    elif scheme == "v/3":
        row_level, col_level = v / 3, 2 * v / 3
    else:
        raise MemristiveError(f"unknown bias scheme {scheme!r}; known: {', '.join(BIAS_SCHEMES)}")
    rows, cols = row_level[..., None].repeat_interleave(n, -1), col_level[..., None].repeat_interleave(m, -1)
    rows[..., i], cols[..., j] = v, 0.0
    return rows, cols


def bias_voltages(scheme: str, shape: tuple[int, int], i: int, j: int, v: float | torch.Tensor,
                  **factory) -> torch.Tensor:
    """Voltage across every device of an ``N x M`` array when ``(i, j)`` gets ``v``, V (``[K, N, M]`` for ``K``
    amplitudes)."""
    rows, cols = line_voltages(scheme, shape, i, j, v, **factory)
    return rows[..., :, None] - cols[..., None, :]


@dataclass(frozen=True)
class WriteVerify:
    """Settings of write-verify tuning (seed 003: 2.5 V max, 4 mV / 8 mV steps, 5 %, 3 cycles).

    Attributes:
        tolerance: relative conductance error accepted, e.g. 0.05.
        v_start: first amplitude of a ramp, V (below every device's threshold).
        step_set: amplitude increment of successive set pulses, V.
        step_reset: amplitude increment of successive reset pulses, V.
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

    Examples:
        >>> config = WriteVerify(tolerance=0.05, v_max=2.5, cycles=3)  # seed 003's settings
        >>> config.step_set, config.step_reset, config.scheme  # 4 mV / 8 mV amplitude steps, V/2 bias
        (0.004, 0.008, 'v/2')
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
    """What tuning did: pulses per device, errors after each cycle, devices given up, the write energy
    ``sum |V I(V)| width`` over every cell of every pulse (J), time spent, and ``disturbed``: per device,
    the ramps on other devices that moved it (:data:`DISTURB_RTOL`).

    Examples:
        >>> import torch
        >>> from memristive.crossbar import WriteVerify
        >>> from memristive.crossbar.programming import write_verify
        >>> from memristive.devices import get_preset
        >>> tiox, gen = get_preset("tiox-4k"), torch.Generator().manual_seed(0)
        >>> state = tiox.sample((4, 4), generator=gen, dtype=torch.float64)
        >>> target = torch.full((4, 4), 100e-6, dtype=torch.float64)
        >>> tuned, report = write_verify(tiox, state, target, WriteVerify(cycles=1), progress=False)
        >>> int(report.pulses.sum()) > 0, report.energy_j > 0, len(report.error_after_cycle)
        (True, True, 1)
    """

    pulses: torch.Tensor
    given_up: torch.Tensor
    energy_j: float = 0.0
    disturbed: torch.Tensor | None = None
    error_after_cycle: list[torch.Tensor] = field(default_factory=list)
    retuned_per_cycle: list[int] = field(default_factory=list)

    def time_per_device_s(self, config: WriteVerify) -> float:
        """Mean programming time per device: pulses x (write + verify read)."""
        return float(self.pulses.double().mean() * (config.width_s + config.read_time_s))


LOOKAHEAD = 64
"""Pulses of a ramp simulated ahead on the selected device alone, to learn where the ramp stops."""


DISTURB_RTOL = 1e-3
"""A device not being tuned that moves by more than this share during a ramp counts as disturbed."""


class _Writer:
    """Write pulses into an array of ``cell`` cells: the selected device at each amplitude and, per the scheme, every
    other device at its line voltage; the write energy of the pulses applied so far, and how often each device
    was disturbed while another was tuned."""

    def __init__(self, model: DeviceModel, shape: tuple[int, int], config: WriteVerify, like: torch.Tensor,
                 cell: Cell = PASSIVE) -> None:
        self.model, self.shape, self.config, self.cell = model, shape, config, cell
        self.factory = {"dtype": like.dtype, "device": like.device}
        self.energy = torch.zeros((), dtype=torch.float64, device=like.device)
        self.disturbed = torch.zeros(shape, dtype=torch.int64, device=like.device)

    def voltages(self, i: int, j: int, amplitudes: list[float]) -> tuple[torch.Tensor, torch.Tensor | bool]:
        """The voltage on every cell during each pulse, ``[K, N, M]``, and the gates (1T1R: row ``i`` on)."""
        v = torch.tensor(amplitudes, **self.factory)
        if self.cell.gated:  # bit line j driven, every other line at 0 V, only row i's transistors on
            voltages = torch.zeros((len(amplitudes), *self.shape), **self.factory)
            voltages[:, :, j] = v[:, None]
            return voltages, (torch.arange(self.shape[0], device=v.device) == i)[:, None]
        if self.config.disturb:
            return bias_voltages(self.config.scheme, self.shape, i, j, v), True
        voltages = torch.zeros((len(amplitudes), *self.shape), **self.factory)
        voltages[:, i, j] = v
        return voltages, True

    def train(self, state: State, v: torch.Tensor, on: torch.Tensor | bool = True) -> PulseTrain:
        """Cell voltages ``v`` [K, ...] applied one after another. Behind an access element each pulse's device
        voltage depends on the device's conductance before it (ohmic at its read conductance while split,
        :meth:`~memristive.crossbar.cells.Cell.split`): solved by waveform relaxation, each pass splitting all
        pulses at the conductances the previous pass left (pass ``k`` has at least the first ``k`` pulses exact),
        until the conductances repeat (at most ``K`` passes). Only cells with a voltage are split. Energy:
        ``|V_cell I| width``, the element's share included."""
        width = self.config.width_s
        if self.cell.access is None:
            return self.model.apply_voltage_train(state, v, width)
        v = v.expand(v.shape[:1] + state.shape)
        active = (v != 0).any(0)  # only cells with a voltage are split
        gates = torch.as_tensor(on, device=v.device).expand(state.shape)[active]
        v_active = v[:, active]
        g0 = self.model.conductance(state)[active]
        before = g0.expand_as(v_active)
        v_device, guess = torch.zeros_like(v), None
        for _ in range(v.shape[0]):
            guess, current = self.cell.split(v_active, before, None, gates, guess)
            v_device[:, active] = guess
            train = self.model.apply_voltage_train(state, v_device, width)
            after = torch.cat([g0[None], self.model.conductance(train.states)[:-1, active]])
            if torch.allclose(after, before, rtol=1e-12, atol=0):
                break
            before = after
        energy = torch.zeros_like(v)
        energy[:, active] = (v_active * current).abs() * width
        return PulseTrain(train.states, energy)

    def alone(self, state: State, i: int, j: int, amplitudes: list[float]) -> list[float]:
        """Reads of device ``(i, j)`` after each pulse, simulated on that cell alone (its own voltage is all it
        sees): where a ramp will stop, without pulsing the array."""
        one = state.map(lambda t: t[i : i + 1, j : j + 1])
        v = torch.tensor(amplitudes, **self.factory)[:, None, None]
        return self.model.conductance(self.train(one, v).states)[:, 0, 0].tolist()

    def apply(self, state: State, i: int, j: int, amplitudes: list[float]) -> tuple[PulseTrain, list[float]]:
        """The pulses applied to the array as one train, and device ``(i, j)``'s read after each."""
        train = self.train(state, *self.voltages(i, j, amplitudes))
        return train, self.model.conductance(train.states)[:, i, j].tolist()

    def keep(self, state: State, train: PulseTrain, pulses: int, i: int, j: int) -> State:
        """The state after the first ``pulses`` of ``train`` (applied to ``state``), whose write energy is counted;
        every other device that moved by over :data:`DISTURB_RTOL` counts one disturbance."""
        self.energy += train.energy_j[:pulses].sum()
        kept = train.states.map(lambda t: t[pulses - 1])
        g_before, g_after = self.model.conductance(state), self.model.conductance(kept)
        moved = (g_after - g_before).abs() > DISTURB_RTOL * g_before.abs()
        moved[i, j] = False
        self.disturbed += moved
        return kept


@dataclass
class _Ramp:
    """Where one ramp of write pulses stands: reads walked through so far."""

    polarity: int
    g: float
    idle_at_max: int
    switched_at: float = 0.0
    given_up: bool = False
    stopped: bool = False

    def walk(self, reads: list[float], amplitudes: list[float], target: float, config: WriteVerify) -> int:
        """Follow the reads after each pulse until the ramp stops (within tolerance, target crossed, or given up
        after ``give_up_pulses`` idle pulses at ``v_max``); returns the pulses it used."""
        for k, (g_new, amplitude) in enumerate(zip(reads, amplitudes)):
            if abs(g_new - self.g) > 0.002 * self.g:
                self.switched_at, self.idle_at_max = amplitude, 0
            elif amplitude >= config.v_max:
                self.idle_at_max += 1
                if self.idle_at_max >= config.give_up_pulses:
                    self.given_up = self.stopped = True
                    return k + 1
            self.g = g_new
            if abs(g_new - target) <= config.tolerance * target or (g_new < target) != (self.polarity > 0):
                self.stopped = True
                return k + 1
        return len(reads)


def _amplitudes(start: float, step: float, v_max: float, count: int) -> list[float]:
    """``count`` ramp amplitudes from ``start``, each ``step`` higher, at most ``v_max``."""
    amplitudes = [start]
    for _ in range(count - 1):
        amplitudes.append(min(amplitudes[-1] + step, v_max))
    return amplitudes


def _tune_device(writer: _Writer, state: State, i: int, j: int, target: float, config: WriteVerify,
                 last_switch: torch.Tensor) -> tuple[State, int]:
    """Write-verify one device; returns the new state and the pulses used (negative: given up as unswitchable).

    Each ramp is first simulated on the device alone (``LOOKAHEAD`` pulses at a time) to learn where it stops;
    exactly those pulses are then applied to the array as one train, and the array's own reads decide."""
    g = float(writer.model.conductance(state)[i, j])
    used, idle_at_max = 0, 0
    while used < config.max_pulses and abs(g - target) > config.tolerance * target:
        polarity = 1 if g < target else -1
        memory = float(last_switch[(polarity + 1) // 2, i, j])
        amplitude = max(config.v_start, memory - config.restart_margin_v) if memory > 0 else config.v_start
        step = config.step_set if polarity > 0 else config.step_reset
        ramp = _Ramp(polarity, g, idle_at_max)
        while not ramp.stopped and used < config.max_pulses:
            magnitudes = _amplitudes(amplitude, step, config.v_max, min(LOOKAHEAD, config.max_pulses - used))
            signed = [polarity * a for a in magnitudes]
            ahead = _Ramp(polarity, ramp.g, ramp.idle_at_max)
            count = ahead.walk(writer.alone(state, i, j, signed), magnitudes, target, config)
            train, reads = writer.apply(state, i, j, signed[:count])
            pulses = ramp.walk(reads, magnitudes[:count], target, config)
            state = writer.keep(state, train, pulses, i, j)
            used += pulses
            amplitude = min(magnitudes[pulses - 1] + step, config.v_max)
        if ramp.switched_at:
            last_switch[(polarity + 1) // 2, i, j] = ramp.switched_at
        if ramp.given_up:
            return state, -used
        g, idle_at_max = ramp.g, ramp.idle_at_max
    return state, used


def switching_strength(last_switch: torch.Tensor) -> torch.Tensor:
    """How hard a device is to disturb: ``S / median(S) + R / median(R)``.

    ``last_switch[0]`` / ``[1]`` hold the reset / set amplitudes (V, > 0) at which each device
    last switched, 0 where it never has; an unknown polarity counts as the median (1). A
    half-selected device is disturbed when ``V/2`` of a neighbour's pulse exceeds its own
    threshold, so re-tuning the strongest devices first and the weakest last leaves the
    weak ones undisturbed by the pulses that would move them.
    """
    known = torch.where(last_switch > 0, last_switch, torch.nan)
    typical = known.flatten(1).nanquantile(0.5, dim=1).nan_to_num(1.0)
    return (known / typical[:, None, None]).nan_to_num(1.0).sum(dim=0)


def write_verify(model: DeviceModel, state: State, target_g: torch.Tensor, config: WriteVerify = WriteVerify(),
                 progress: bool = True, cell: Cell = PASSIVE) -> tuple[State, TuningReport]:
    """Tune ``state`` [N, M] towards ``target_g`` (S) device by device, ``config.cycles`` times; returns the
    tuned state and the report.

    ``model`` is any voltage-driven device model (:meth:`~memristive.devices.base.DeviceModel.apply_voltage`):
    every pulse puts each device of the array at its bias-scheme voltage, so half-selected devices are
    disturbed as the model says. Every cycle visits every device (in ``config.retune_order`` after the
    first): a read within tolerance costs no pulse, so a device is re-tuned whenever it is out of
    tolerance when its turn comes, including when an earlier device of the same cycle disturbed it.
    ``report.retuned_per_cycle`` counts the devices pulsed in each cycle.

    ``cell``: the array's cells (:mod:`memristive.crossbar.cells`). Behind a selector every cell gets its
    bias-scheme voltage and the selector takes its share; a 1T1R array drives only the selected bit line with
    only the selected row's gates on (``config.scheme`` and ``config.disturb`` then do not apply).
    """
    g0 = model.conductance(state)
    target = torch.as_tensor(target_g, dtype=g0.dtype, device=g0.device)
    if target.shape != g0.shape or g0.ndim != 2 or bool((target <= 0).any()):
        raise MemristiveError(f"target must be positive conductances of shape {tuple(g0.shape)}")
    writer = _Writer(model, tuple(g0.shape), config, g0, cell)
    last_switch = torch.zeros((2, *target.shape), dtype=torch.float64)
    report = TuningReport(pulses=torch.zeros(target.shape, dtype=torch.int64),
                          given_up=torch.zeros(target.shape, dtype=torch.bool))
    targets = target.tolist()
    order = [(i, j) for i in range(target.shape[0]) for j in range(target.shape[1])]
    for cycle in range(config.cycles):
        todo = [(i, j) for i, j in order if not report.given_up[i, j]]
        if cycle > 0 and config.retune_order == "strength":
            strength = switching_strength(last_switch).tolist()
            todo.sort(key=lambda ij: -strength[ij[0]][ij[1]])
        tuned = 0
        for i, j in tqdm(todo, desc=f"tuning cycle {cycle + 1}", leave=False, disable=None if progress else True):
            state, used = _tune_device(writer, state, i, j, targets[i][j], config, last_switch)
            report.pulses[i, j] += abs(used)
            report.given_up[i, j] = used < 0
            tuned += used != 0
        report.retuned_per_cycle.append(tuned)
        report.error_after_cycle.append((model.conductance(state) - target) / target)
    report.energy_j = float(writer.energy)
    report.disturbed = writer.disturbed.cpu()
    return state, report
