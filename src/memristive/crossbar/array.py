"""``CrossbarArray``: devices of any model holding a weight matrix, with its periphery and read path.

The array is ``rows x cols`` cross-points; a :class:`~memristive.crossbar.mapping.WeightMapping`
spreads every weight over ``P`` planes of devices (differential pairs, copies, bit slices).
Each plane is one array of devices (one device-model state of shape ``[rows, cols]``).

Reads (Ohm and Kirchhoff; seed 002, section 5): rows driven at ``V`` give column currents
``I_p = V G_p`` on every plane (``solver="ideal"``), or ``I_p = V M_p`` with ``M_p`` the
effective conductance of the plane's passive circuit with wire resistance
(``solver="circuit"``, :class:`~memristive.crossbar.circuit.PassiveCrossbar`, one circuit per
tile, rebuilt only after the conductances change). A slice's pair currents are subtracted
(and its copies averaged) in analog, pass the ADC of each tile, and the slices are added
back by shift-and-add: ``I = sum_k s_k ADC(sum_(side, n) (+-1 / N) I_(k, side, n))``, so for
ideal periphery ``I = V (w / w_max) (Gmax - Gmin)``. :meth:`CrossbarArray.read_transposed`
drives the columns and senses the rows (``I = V G^T``), the backward read of in-situ training.

Writes: :meth:`~CrossbarArray.program` writes a weight matrix directly (analog, with an
optional relative import error) or by write-verify through any voltage-driven model with
the bias scheme's half-select disturb; :meth:`~CrossbarArray.update` turns weight changes
into pulses through the model (push-pull on pairs), applied blind or, with ``verify``, read after every pulse
until each device is within tolerance of its target (:class:`~memristive.crossbar.pulses.UpdateVerify`).
Counters keep the pulses applied, the read energy ``sum V^2 G t_read``, the write energy
``sum |V I(V)| t_pulse`` and the verify reads with their energy.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from memristive.crossbar.circuit import PassiveCrossbar, SinhIV, check_wires
from memristive.crossbar.mapping import WeightMapping
from memristive.crossbar.periphery import Periphery
from memristive.crossbar.programming import WriteVerify, bias_voltages, write_verify
from memristive.crossbar.pulses import PulseRounder, UpdateVerify, check_pulse_budget, check_rounding
from memristive.crossbar.vmm import tiled_vmm
from memristive.devices.base import DeviceModel, State
from memristive.errors import MemristiveError

SOLVERS = ("ideal", "circuit")
PROGRAM_METHODS = ("direct", "write_verify")


@dataclass(frozen=True)
class Wiring:
    """The passive circuit of ``solver="circuit"`` (ohm; see :class:`~memristive.crossbar.circuit.PassiveCrossbar`).

    Attributes:
        r_row: resistance of one row wire segment, ohm.
        r_col: resistance of one column wire segment, ohm.
        r_driver: series resistance of each row driver, ohm.
        r_sense: series resistance of each sense amplifier, ohm.
        iv: device conduction in the circuit (``None``: ohmic at each device's read conductance).

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray
        >>> from memristive.devices import get_preset
        >>> array = CrossbarArray(32, 8, get_preset("tpt-ram-110"), solver="circuit", wiring=Wiring(r_row=2.5, r_col=2.5),
        ...                       generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        >>> array.program(torch.full((32, 8), 0.5, dtype=torch.float64))
        >>> v = torch.full((1, 32), 0.2, dtype=torch.float64)
        >>> ideal = v @ array.weights() * (array.model.g_max - array.model.g_min)
        >>> round((array.read(v) / ideal).mean().item(), 3)  # outputs reduced by the wires' IR drop
        0.88
    """

    r_row: float = 1.0
    r_col: float = 1.0
    r_driver: float = 0.0
    r_sense: float = 0.0
    iv: SinhIV | None = None

    def __post_init__(self) -> None:
        check_wires(self.r_row, self.r_col, self.r_driver, self.r_sense)

    def circuit(self, g: torch.Tensor, transposed: bool = False) -> PassiveCrossbar:
        """The circuit of conductances ``g`` [rows, cols]; ``transposed``: columns driven, rows sensed."""
        if transposed:
            return PassiveCrossbar(g.t(), self.r_col, self.r_row, self.r_driver, self.r_sense, self.iv)
        return PassiveCrossbar(g, self.r_row, self.r_col, self.r_driver, self.r_sense, self.iv)


@dataclass(frozen=True)
class WritePulse:
    """The update pulse of a voltage-driven model: ``v_set`` (> 0) potentiates, ``v_reset`` (< 0) depresses, V.

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray
        >>> from memristive.devices import get_preset
        >>> gen = torch.Generator().manual_seed(0)
        >>> array = CrossbarArray(4, 2, get_preset("otj-sto"), write_pulse=WritePulse(v_set=2.2, v_reset=-2.5, width_s=50e-9),
        ...                       generator=gen, dtype=torch.float64)
        >>> pulses = array.update(torch.full((4, 2), 0.2, dtype=torch.float64), gen)
        >>> pulses > 0, float(array.write_energy_j) > 0  # voltage pulses, and their energy counted
        (True, True)
    """

    v_set: float
    v_reset: float
    width_s: float

    def __post_init__(self) -> None:
        if not (self.v_set > 0 > self.v_reset and self.width_s > 0):
            raise MemristiveError(f"need v_set > 0 > v_reset and width_s > 0, got {self}")


def _where_depressible(depressible: torch.Tensor | bool, n: torch.Tensor) -> torch.Tensor:
    """The depressing pulses ``n`` that the devices can take (:meth:`DeviceModel.depressible`), the rest 0."""
    if isinstance(depressible, bool):
        return n if depressible else torch.zeros_like(n)
    return torch.where(depressible, n, 0.0)


def _merged(where: torch.Tensor, new: State, old: State) -> State:
    """``new`` where ``where`` holds, ``old`` elsewhere, tensor by tensor (every tensor one value per device)."""
    merged, before = {}, old.tensors()
    for key, value in new.tensors().items():
        if value.shape != where.shape:
            raise MemristiveError(f"cannot write part of an array: the state's {key!r} is not one value per device")
        merged[key] = torch.where(where, value, before[key])
    return new.with_tensors(merged)


def _target(g: torch.Tensor, change: torch.Tensor, g_min: float, g_max: float) -> torch.Tensor:
    """``g + change``, stopped at the window's edge in the direction of ``change`` (a device already past the
    edge keeps its conductance as the target)."""
    return torch.where(change > 0, torch.minimum(g + change, g.clamp_min(g_max)),
                       torch.maximum(g + change, g.clamp_max(g_min)))


class CrossbarArray(nn.Module):
    """An array of ``model`` devices holding a ``[rows, cols]`` weight matrix (module docstring).

    Args:
        rows: cross-point rows (inputs).
        cols: cross-point columns (outputs).
        model: any :class:`~memristive.devices.base.DeviceModel`.
        mapping: weights -> planes of devices (default: one-sided differential pairs, ``w_max = 1``).
        periphery: DAC / ADC and read-pulse settings (default: ideal, read at the model's ``read_v``).
        solver: ``"ideal"`` or ``"circuit"`` (``wiring`` then sets the wires).
        wiring: the passive circuit of ``solver="circuit"``.
        tile_rows: rows per physical tile (each tile has its own circuit and ADC); ``None``: one tile.
        rounding: how updates become whole pulses (:class:`~memristive.crossbar.pulses.PulseRounder`).
        max_pulses: the most pulses one update applies per device (``None``: no limit).
        update_dt: time one update step lasts, s: the devices :meth:`advance` by it after every update.
        write_pulse: the update pulse of a voltage-driven model (required to :meth:`update` one).
        potentiate_every: apply potentiations on every k-th update only (the multi-memristive
            arbitration's counters; :meth:`update`).
        depress_every: apply depressions on every k-th update only.
        verify: verify every update's pulses (:class:`~memristive.crossbar.pulses.UpdateVerify`); ``None``:
            blind pulses.
        weights: write these weights into each plane right after sampling it (the order
            in which fresh devices are placed, and the generator's draws spent); see :meth:`program`.
        import_error: the relative error of that write.
        generator: where the devices' random draws come from.
        device: where the devices' tensors live.
        dtype: the devices' tensors' dtype.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> gen = torch.Generator().manual_seed(0)
        >>> array = CrossbarArray(3, 2, get_preset("tpt-ram-110").ideal(), generator=gen, dtype=torch.float64)
        >>> array.program(torch.tensor([[1.0, -1.0], [0.5, 0.0], [0.0, 0.25]], dtype=torch.float64))
        >>> array.weights()
        tensor([[ 1.0000, -1.0000],
                [ 0.5000,  0.0000],
                [ 0.0000,  0.2500]], dtype=torch.float64)
        >>> 1e6 * array.read(torch.tensor([[0.2, 0.0, 0.0]], dtype=torch.float64))  # I = V w (Gmax - Gmin), uA
        tensor([[ 24.0000, -24.0000]], dtype=torch.float64)
    """

    def __init__(self, rows: int, cols: int, model: DeviceModel, mapping: WeightMapping | None = None,
                 periphery: Periphery | None = None, *, solver: str = "ideal", wiring: Wiring | None = None,
                 tile_rows: int | None = None, rounding: str = "stochastic", max_pulses: int | None = None,
                 update_dt: float = 0.0, write_pulse: WritePulse | None = None, potentiate_every: int = 1,
                 depress_every: int = 1, verify: UpdateVerify | None = None, weights: torch.Tensor | None = None,
                 import_error: float = 0.0, generator: torch.Generator | None = None,
                 device: torch.device | str | None = None, dtype: torch.dtype | None = None) -> None:
        super().__init__()
        if rows < 1 or cols < 1:
            raise MemristiveError(f"an array needs rows, cols >= 1, got {rows} x {cols}")
        self.check_options(solver=solver, tile_rows=tile_rows, rounding=rounding, max_pulses=max_pulses,
                           update_dt=update_dt, potentiate_every=potentiate_every, depress_every=depress_every,
                           verify=verify)
        self.rows, self.cols, self.model = rows, cols, model
        self.mapping = mapping or WeightMapping()
        if solver == "circuit" and self.mapping.readout == "share":
            raise MemristiveError("a circuit reads conductances: readout='share' needs solver='ideal'")
        if verify is not None and self.mapping.readout == "share":
            raise MemristiveError("write-verify reads conductances: verify= needs readout='conductance'")
        if solver == "circuit" and self.mapping.scheme == "reference":
            raise MemristiveError("the reference column is not in the circuit model: scheme='reference' needs "
                                  "solver='ideal'")
        self.periphery = periphery or Periphery(read_v=model.read_v)
        self.solver, self.wiring, self.tile_rows = solver, wiring or Wiring(), tile_rows
        self.write_pulse, self.update_dt, self.verify = write_pulse, update_dt, verify
        self.rounder = PulseRounder(rounding, max_pulses)
        self.register_buffer("pulses_applied", torch.zeros((), dtype=torch.int64, device=device))
        self.register_buffer("read_energy_j", torch.zeros((), dtype=torch.float64, device=device))
        self.register_buffer("write_energy_j", torch.zeros((), dtype=torch.float64, device=device))
        self.register_buffer("verify_reads", torch.zeros((), dtype=torch.int64, device=device))
        self.register_buffer("verify_energy_j", torch.zeros((), dtype=torch.float64, device=device))
        self._copy = 0  # the copy that the next update programs (multi-memristive arbitration)
        self.potentiate_every, self.depress_every = potentiate_every, depress_every
        self._updates = 0  # updates so far: the potentiation and depression counters
        self._levels: float | None = None  # update pulses across the window of a voltage-driven model
        self._effective: dict[bool, torch.Tensor] = {}
        self._held: tuple[list[State], torch.Tensor | None] = ([], None)  # the planes weights() last read
        targets = None if weights is None else self._targets(weights)
        self.planes: list[State] = []
        for p in range(self.mapping.planes):
            state = model.sample((rows, cols), generator=generator, dtype=dtype, device=device)
            if targets is not None:
                state = self._write(state, targets[p], import_error, generator)
            self.planes.append(state)

    @staticmethod
    def check_options(*, solver: str = "ideal", tile_rows: int | None = None, rounding: str = "stochastic",
                      max_pulses: int | None = None, update_dt: float = 0.0, potentiate_every: int = 1,
                      depress_every: int = 1, verify: UpdateVerify | None = None, **_) -> None:
        """Validate the settings an array is built with (a one-line error names the bad one)."""
        for name, every in (("potentiate_every", potentiate_every), ("depress_every", depress_every)):
            if not isinstance(every, int) or every < 1:
                raise MemristiveError(f"{name}={every} must be an integer >= 1")
        if not update_dt >= 0:
            raise MemristiveError(f"update_dt={update_dt} must be >= 0 s")
        if solver not in SOLVERS:
            raise MemristiveError(f"solver={solver!r} must be one of {SOLVERS}")
        if tile_rows is not None and (not isinstance(tile_rows, int) or tile_rows < 1):
            raise MemristiveError(f"tile_rows={tile_rows} must be an integer >= 1")
        check_rounding(rounding)
        check_pulse_budget(max_pulses)
        if verify is not None and not isinstance(verify, UpdateVerify):
            raise MemristiveError(f"verify={verify!r} must be an UpdateVerify or None")

    # -- what the array holds -------------------------------------------------------
    @property
    def window(self) -> tuple[float, float]:
        """The model's nominal conductance window (Gmin, Gmax), S."""
        return self.model.g_min, self.model.g_max

    @property
    def dtype(self) -> torch.dtype:
        """The floating dtype the device states are simulated in."""
        return self.model.conductance(self.planes[0]).dtype

    def conductances(self) -> torch.Tensor:
        """Conductance of every device, ``[planes, rows, cols]``, S."""
        return torch.stack([self.model.conductance(state) for state in self.planes])

    @property
    def _readout_window(self) -> tuple[float, float]:
        """The window weights are read in: the nominal one, or (0, 1) for ``readout="share"``."""
        return (0.0, 1.0) if self.mapping.readout == "share" else self.window

    def weights(self) -> torch.Tensor:
        """The weight matrix the devices hold, ``[rows, cols]`` (computed once per state of the planes: reads
        between updates reuse it; do not modify it in place)."""
        planes, held_weights = self._held
        if len(planes) == len(self.planes) and all(a is b for a, b in zip(planes, self.planes)):
            return held_weights
        if self.mapping.readout == "share":
            held = torch.stack([self.model.share(s) for s in self.planes])
        else:
            held = self.conductances()
        weights = self.mapping.to_weights(held, *self._readout_window)
        self._held = (list(self.planes), weights)
        return weights

    def _changed(self) -> None:
        self._effective.clear()

    # -- writing --------------------------------------------------------------------
    def _targets(self, weights: torch.Tensor) -> torch.Tensor:
        if tuple(weights.shape) != (self.rows, self.cols):
            raise MemristiveError(f"weights of shape {tuple(weights.shape)} for an array of {self.rows} x {self.cols}")
        return self.mapping.to_conductances(weights.detach(), *self._readout_window)

    def _write(self, state: State, target: torch.Tensor, import_error: float,
               generator: torch.Generator | None) -> State:
        if not 0 <= import_error < 1:
            raise MemristiveError(f"import_error={import_error} must be a share in [0, 1)")
        if import_error:
            u = torch.rand(target.shape, generator=generator, dtype=target.dtype, device=target.device)
            target = target * (1 + import_error * (2 * u - 1))
        if self.mapping.readout == "share":
            return self.model.program_share(state, target, generator=generator)
        return self.model.program(state, target, generator=generator)

    @torch.no_grad()
    def program(self, weights: torch.Tensor, method: str = "direct", *, import_error: float = 0.0,
                verify: WriteVerify | None = None, generator: torch.Generator | None = None,
                progress: bool = False, where: torch.Tensor | None = None) -> None:
        """Write ``weights`` [rows, cols] into every plane (``where``: a [rows, cols] mask of the devices to write,
        ``method="direct"`` only; the others keep their states).

        ``method="direct"``: each device is written to its target within ``target (1 +- e)``,
        ``e = import_error`` (uniform; seed 003's import-error model), clipped to its range.
        ``method="write_verify"``: each plane is tuned device by device by
        :func:`~memristive.crossbar.programming.write_verify` with ``verify`` (scheme ``"v/2"`` or
        ``"v/3"``: every device of the plane sees its bias voltage and may be disturbed); the pulses
        and their energy are counted.
        """
        if method not in PROGRAM_METHODS:
            raise MemristiveError(f"method={method!r} must be one of {PROGRAM_METHODS}")
        targets = self._targets(weights)
        if where is not None and (method != "direct" or tuple(where.shape) != (self.rows, self.cols)):
            raise MemristiveError(f"where= needs method='direct' and a {self.rows} x {self.cols} mask")
        if method == "direct":
            written = [self._write(s, t, import_error, generator) for s, t in zip(self.planes, targets)]
            self.planes = written if where is None else [_merged(where, new, old)
                                                         for new, old in zip(written, self.planes)]
        else:
            if "voltage" not in self.model.drives:
                raise MemristiveError(f"write-verify needs a voltage-driven model; {type(self.model).__name__} "
                                      f"{self.model.name!r} is not one")
            planes = []
            for state, target in zip(self.planes, targets):
                state, report = write_verify(self.model, state, target, verify or WriteVerify(), progress=progress)
                self.pulses_applied += int(report.pulses.sum())
                self.write_energy_j += report.energy_j
                planes.append(state)
            self.planes = planes
        self._changed()

    def levels(self) -> float:
        """Update pulses across the window of a voltage-driven model: the window over the mean change one
        :attr:`write_pulse` makes on 256 probe devices at mid-window (after 1 s; the probes are drawn from a
        fixed seed, and the figure is computed once)."""
        if self._levels is not None:
            return self._levels
        if self.write_pulse is None:
            raise MemristiveError(f"in-situ updates of the voltage-driven {type(self.model).__name__} "
                                  "need a write_pulse")
        g_min, g_max = self.window
        probe = self.model.sample((256,), generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        probe = self.model.program(probe, torch.full((256,), 0.5 * (g_min + g_max), dtype=torch.float64))
        pulsed = self.model.apply_voltage(probe, self.write_pulse.v_set, self.write_pulse.width_s)
        moved = self.model.advance(pulsed, 1.0)
        step = float((self.model.conductance(moved) - self.model.conductance(probe)).abs().mean())
        if step <= 0:
            raise MemristiveError(f"the write pulse {self.write_pulse} does not move a {type(self.model).__name__}")
        self._levels = (g_max - g_min) / step
        return self._levels

    @torch.no_grad()
    def update(self, delta_weights: torch.Tensor, generator: torch.Generator | None = None) -> int:
        """Move the weights by ``delta_weights`` [rows, cols] with whole pulses; returns the pulses applied.

        ``n = round(dw / dw_pulse)`` (by the array's :class:`~memristive.crossbar.pulses.PulseRounder`),
        ``dw_pulse = k w_max / (levels copies)``: the device on the side of ``dw`` gets ``|n|`` set pulses
        and its partner ``|n|`` reset pulses where the model lets it be depressed (push-pull, ``k = 2``;
        a partner that cannot be depressed stays, ``k = 1``); ``levels`` is the model's pulses across
        each device's present window. The model then couples the pair (:meth:`DeviceModel.couple`), and
        ``update_dt`` of time passes. With several copies one copy is programmed per update, in turn (the
        multi-memristive arbitration's selection counter); potentiations are applied on every
        ``potentiate_every``-th update and depressions on every ``depress_every``-th (its potentiation and
        depression counters, which balance an asymmetric device). Against a reference (``scheme="reference"``)
        the weight's own device moves both ways. With :attr:`verify` the pulse counts set targets that
        each device is pulsed to and read against (:meth:`_verified`); the returned count then includes
        the corrections. Bit-sliced mappings are written, not updated.
        """
        m, model = self.mapping, self.model
        if m.slices > 1:
            raise MemristiveError("in-situ updates of bit-sliced weights are not modelled; program() them")
        copy = self._copy
        self._copy = (copy + 1) % m.copies
        up_turn, down_turn = (self._updates % every == 0 for every in (self.potentiate_every, self.depress_every))
        self._updates += 1
        if m.sides == 1:
            spent = self._update_alone(copy, delta_weights, up_turn, down_turn, generator)
        else:
            spent = self._update_pair(copy, delta_weights, up_turn, down_turn, generator)
        if self.update_dt > 0:
            self.planes = [model.advance(state, self.update_dt) for state in self.planes]
        self._changed()
        self.pulses_applied += spent
        return spent

    def _rounded(self, delta_weights: torch.Tensor, per_pulse: float | torch.Tensor, up_turn: bool, down_turn: bool,
                 generator: torch.Generator | None) -> torch.Tensor:
        """Signed whole pulses for ``delta_weights``; potentiations (depressions) dropped off their turn."""
        n = self.rounder(delta_weights, per_pulse, generator)
        if not up_turn:
            n = n.clamp_max(0)
        if not down_turn:
            n = n.clamp_min(0)
        return n

    def _update_alone(self, copy: int, delta_weights: torch.Tensor, up_turn: bool, down_turn: bool,
                      generator: torch.Generator | None) -> int:
        """Against a reference: one device per weight moves by ``n`` pulses, ``dw_pulse = 2 w_max / (levels copies)``
        (a PCM cell depressed this way resets)."""
        state = self.planes[copy]
        levels = self.levels() if "pulse" not in self.model.drives else self.model.pulse_levels(state)
        n = self._rounded(delta_weights, 2 * self.mapping.w_max / (levels * self.mapping.copies), up_turn, down_turn,
                          generator)
        [self.planes[copy]], spent = self._apply_pulses([state], [n], levels, generator)
        return spent

    def _update_pair(self, copy: int, delta_weights: torch.Tensor, up_turn: bool, down_turn: bool,
                     generator: torch.Generator | None) -> int:
        """Push-pull on the pair of copy ``copy`` (see :meth:`update`), then the model couples the pair."""
        m, model = self.mapping, self.model
        pos_index, neg_index = copy, m.copies + copy
        pos, neg = self.planes[pos_index], self.planes[neg_index]
        down_pos, down_neg = model.depressible(pos), model.depressible(neg)
        if isinstance(down_pos, bool) and isinstance(down_neg, bool):  # one answer for all: no per-device tensor
            k = 2.0 if down_pos and down_neg else 1.0
        else:
            k = torch.where(torch.as_tensor(down_pos) & torch.as_tensor(down_neg), 2.0, 1.0).to(delta_weights.dtype)
        levels = self.levels() if "pulse" not in model.drives else model.pulse_levels(pos)
        n = self._rounded(delta_weights, k * m.w_max / (levels * m.copies), up_turn, down_turn, generator)
        up_pos, up_neg = n.clamp_min(0), (-n).clamp_min(0)
        n_pos = up_pos - _where_depressible(down_pos, up_neg)
        n_neg = up_neg - _where_depressible(down_neg, up_pos)
        (pos, neg), spent = self._apply_pulses([pos, neg], [n_pos, n_neg], levels, generator)
        self.planes[pos_index], self.planes[neg_index] = model.couple(pos, neg, generator=generator)
        return spent

    def _apply_pulses(self, states: list[State], counts: list[torch.Tensor], levels: torch.Tensor | float,
                      generator: torch.Generator | None) -> tuple[list[State], int]:
        """``counts`` pulses into ``states``, blind or verified (``levels``: pulses across each window)."""
        if self.verify is None:
            return ([self._pulse(state, n, generator) for state, n in zip(states, counts)],
                    int(sum(n.abs().sum() for n in counts).item()))
        return self._verified(states, counts, levels, generator)

    def _verified(self, states: list[State], counts: list[torch.Tensor], levels: torch.Tensor | float,
                  generator: torch.Generator | None) -> tuple[list[State], int]:
        """Write-verify: each device with ``n != 0`` is pulsed (one pulse at a time, towards its target
        ``G + n (Gmax - Gmin) / levels``, no further than the window's edge) and read after every pulse, until it reads
        within tolerance or its pulses run out (:class:`~memristive.crossbar.pulses.UpdateVerify`); the
        devices are independent, so all of them run their loops at once. Returns the states and the pulses."""
        model, verify = self.model, self.verify
        g_min, g_max = self._readout_window
        step = (g_max - g_min) / levels
        tolerance = verify.tolerance * step
        targets = [_target(model.conductance(s), n * step, g_min, g_max) for s, n in zip(states, counts)]
        pending = [n != 0 for n in counts]
        depressible = [model.depressible(s) for s in states]
        spent = torch.zeros((), dtype=torch.int64, device=counts[0].device)
        for _ in range(verify.max_pulses):
            moves = []
            for k, (state, target) in enumerate(zip(states, targets)):
                g = model.conductance(state)
                self._count_verify_reads(g, pending[k])
                error = target - g
                direction = torch.where(pending[k] & (error.abs() > tolerance), error.sign(), 0.0)
                direction = direction.clamp_min(0) + _where_depressible(depressible[k], direction.clamp_max(0))
                pending[k] = direction != 0  # within tolerance, or due a depression it cannot take: done
                moves.append(direction)
            if not any(bool(p.any()) for p in pending):
                break
            states = [self._pulse(s, n, generator) for s, n in zip(states, moves)]
            spent += sum(n.abs().sum() for n in moves).to(torch.int64)
        return states, int(spent.item())

    def _count_verify_reads(self, g: torch.Tensor, pending: torch.Tensor) -> None:
        """One verify read of every pending device: ``V_read^2 G t`` each."""
        self.verify_reads += pending.sum()
        self.verify_energy_j += (g * pending).sum().double() * (self.periphery.read_v ** 2 * self.verify.read_time_s)

    def _pulse(self, state: State, n: torch.Tensor, generator: torch.Generator | None) -> State:
        """``n`` pulses per device through the model (identical pulses, or repeated write pulses)."""
        model = self.model
        if "pulse" in model.drives:
            v, width = model.pulse_drive(state)
            energy = n.abs() * model.pulse_energy(state, torch.sign(n) * v, width)
            self.write_energy_j += energy.sum().double()
            return model.pulse(state, n, generator=generator)
        pulse = self.write_pulse
        for k in range(int(n.abs().max().item()) if n.numel() else 0):
            v = torch.where(n.abs() > k, torch.where(n > 0, pulse.v_set, pulse.v_reset), 0.0).to(n.dtype)
            self.write_energy_j += model.pulse_energy(state, v, pulse.width_s).sum().double()
            state = model.apply_voltage(state, v, pulse.width_s, generator=generator)
        return state

    @torch.no_grad()
    def pulse_signs(self, signs: torch.Tensor, scheme: str = "v/2", generator: torch.Generator | None = None) -> int:
        """One :attr:`write_pulse` per weight whose ``signs`` [rows, cols] is non-zero, its sign the direction
        (Manhattan rule: Prezioso et al., Nature 521, 61, 2015), through a biased passive array.

        A positive sign sets the first plane's device and resets the second's (a negative sign the reverse).
        The planes are blocks of columns of one physical array, written column by column in two phases (the
        rows to set, then the rows to reset), every line biased by ``scheme`` (``"v/2"``, ``"v/3"``,
        :func:`~memristive.crossbar.programming.bias_voltages`): each half-selected device, on a selected row
        or the selected column, sees its share of the pulse and may be disturbed. Returns the pulses applied
        (selected devices); the write energy ``|V I(V)| width`` of every biased device is counted. A model
        driven by identical pulses (no ``write_pulse`` given) gets one such pulse per selected device instead,
        with no half-select disturb (it has no voltages to share).
        """
        if tuple(signs.shape) != (self.rows, self.cols):
            raise MemristiveError(f"signs of shape {tuple(signs.shape)} for a {self.rows} x {self.cols} array")
        planes = len(self.planes)
        polarity = (1.0, -1.0)[:planes]
        direction = torch.sign(signs).to(self.dtype)
        pulse = self.write_pulse
        if pulse is None or "voltage" not in self.model.drives:
            if "pulse" not in self.model.drives:
                raise MemristiveError(f"pulse_signs needs a write_pulse for the voltage-driven "
                                      f"{type(self.model).__name__}")
            for q in range(planes):
                self.planes[q] = self._pulse(self.planes[q], direction * polarity[q], generator)
            applied = planes * int((direction != 0).sum())
            self.pulses_applied += applied
            self._changed()
            return applied
        shape = (self.rows, planes * self.cols)
        factory = {"dtype": self.dtype, "device": direction.device}
        applied = 0
        for p in range(planes):
            for c in range(self.cols):
                column = p * self.cols + c
                for v in (pulse.v_set, pulse.v_reset):
                    chosen = direction[:, c] * polarity[p] * v > 0
                    if not bool(chosen.any()):
                        continue
                    bias = bias_voltages(scheme, shape, chosen, column, v, **factory)
                    for q in range(planes):
                        on = bias[:, q * self.cols:(q + 1) * self.cols]
                        state = self.planes[q]
                        self.write_energy_j += self.model.pulse_energy(state, on, pulse.width_s).sum()
                        self.planes[q] = self.model.apply_voltage(state, on, pulse.width_s, generator=generator)
                    applied += int(chosen.sum())
        self.pulses_applied += applied
        self._changed()
        return applied

    @torch.no_grad()
    def advance(self, dt: float) -> None:
        """Let ``dt`` seconds pass with no drive (relaxation, decay, retention: the model's own)."""
        self.planes = [self.model.advance(state, dt) for state in self.planes]
        self._changed()

    # -- reading --------------------------------------------------------------------
    def _read_matrices(self, g: torch.Tensor, transposed: bool) -> torch.Tensor:
        """What each plane's reads multiply by: ``g`` (ideal) or the circuit's effective matrix, per tile."""
        if self.solver == "ideal":
            return g
        if transposed not in self._effective:
            tile = self.tile_rows or self.rows
            blocks = []
            for plane in g:
                parts = [self.wiring.circuit(plane[r:r + tile], transposed).effective_conductance()
                         for r in range(0, self.rows, tile)]
                blocks.append(torch.cat(parts, dim=1 if transposed else 0))
            self._effective[transposed] = torch.stack(blocks).to(g.dtype)
        return self._effective[transposed]

    def _slices(self, matrices: torch.Tensor) -> torch.Tensor:
        """Each slice's signed matrix ``sum_(side, n) (+-1 / N) M_(k, side, n)``, ``[slices, ...]`` (against a
        reference: ``(2 / N) sum_n M_(k, n) - Gmin - Gmax``)."""
        m = self.mapping
        per_slice = matrices.reshape(m.slices, m.sides, m.copies, *matrices.shape[1:])
        if m.sides == 1:  # against the reference column: 2 (mean_n M_n - G_ref)
            return 2 * (per_slice[:, 0].mean(dim=1) - m.reference(*self._readout_window))
        return (per_slice[:, 0] - per_slice[:, 1]).mean(dim=1)

    def _shift_and_add(self, signed: torch.Tensor) -> list[tuple[float, torch.Tensor]]:
        """``(s_k, M_k)`` of every slice to read and add; with an ideal ADC the shift-and-add commutes with the
        read, so one matrix ``sum_k s_k M_k`` of significance 1 replaces the slices (a finite ADC digitises
        each slice, so they stay apart)."""
        significance = self.mapping.significance()
        if self.periphery.adc_bits or len(signed) == 1:
            return list(zip(significance, signed))
        s = torch.tensor(significance, dtype=signed.dtype, device=signed.device)
        return [(1.0, (s.view(-1, 1, 1) * signed).sum(0))]

    def read(self, v: torch.Tensor) -> torch.Tensor:
        """Column currents for row voltages ``v`` [..., rows] (V), after the ADC and shift-and-add, A [..., cols]."""
        if v.shape[-1] != self.rows:
            raise MemristiveError(f"{v.shape[-1]} row voltages for an array of {self.rows} rows")
        g = self.conductances()
        self._count_read(v, g.sum(dim=(0, 2)))
        signed = self._slices(self._read_matrices(g, False))
        return sum(s * tiled_vmm(v, part, self.periphery, self.tile_rows) for s, part in self._shift_and_add(signed))

    def read_transposed(self, v: torch.Tensor) -> torch.Tensor:
        """Row currents for column voltages ``v`` [..., cols] (columns driven, rows sensed), A [..., rows]."""
        if v.shape[-1] != self.cols:
            raise MemristiveError(f"{v.shape[-1]} column voltages for an array of {self.cols} columns")
        g = self.conductances()
        self._count_read(v, g.sum(dim=(0, 1)))
        signed = self._slices(self._read_matrices(g, True))
        if self.solver == "ideal":
            signed = signed.transpose(-1, -2)
        return sum(s * self.periphery.sense(v @ part) for s, part in self._shift_and_add(signed))

    def matvec(self, x: torch.Tensor, transposed: bool = False) -> torch.Tensor:
        """``x W`` (``transposed``: ``x W^T``) in weight units, read through the array, ``x`` [..., rows | cols].

        Each input vector is scaled to the bipolar DAC's full scale, ``v = read_v DAC(x / m)`` with
        ``m = max |x|``, read, and scaled back: ``y = I m w_max / (read_v (Gmax - Gmin))``, so ideal
        devices and periphery give ``x W`` (the digital input scale of in-memory solvers).
        """
        if self.mapping.readout == "share":
            raise MemristiveError("matvec reads conductances; an array with readout='share' holds window shares")
        scale = x.detach().abs().amax(dim=-1, keepdim=True)
        scale = torch.where(scale > 0, scale, torch.ones_like(scale))
        voltage = self.periphery.drive(x / scale, signed=True)
        current = self.read_transposed(voltage) if transposed else self.read(voltage)
        g_min, g_max = self.window
        return current * (scale * (self.mapping.w_max / (self.periphery.read_v * (g_max - g_min))))

    def _count_read(self, v: torch.Tensor, g_per_line: torch.Tensor) -> None:
        """Read energy ``sum V^2 G t_read`` over the driven lines (every plane's devices)."""
        with torch.no_grad():
            squares = v.detach().square().reshape(-1, v.shape[-1]).sum(0)
            self.read_energy_j += (squares @ g_per_line.to(squares.dtype)).double() * self.periphery.read_pulse_s

    # -- torch plumbing -------------------------------------------------------------
    def _apply(self, fn, recurse: bool = True):
        super()._apply(fn, recurse)
        self.planes = [state.map(fn) for state in self.planes]
        self._changed()
        return self

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        super()._save_to_state_dict(destination, prefix, keep_vars)
        for p, state in enumerate(self.planes):
            for key, tensor in state.tensors().items():
                destination[f"{prefix}plane{p}.{key}"] = tensor if keep_vars else tensor.detach()

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        planes = []
        for p, state in enumerate(self.planes):
            loaded = {}
            for key, tensor in state.tensors().items():
                name = f"{prefix}plane{p}.{key}"
                if name in state_dict:
                    loaded[key] = state_dict.pop(name).to(device=tensor.device, dtype=tensor.dtype).clone()
                else:
                    missing_keys.append(name)
                    loaded[key] = tensor
            planes.append(state.with_tensors(loaded))
        self.planes = planes
        self._changed()
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def extra_repr(self) -> str:
        m = self.mapping
        return (f"{self.rows}, {self.cols}, model={self.model.name}, scheme={m.scheme!r}, planes={m.planes}, "
                f"solver={self.solver!r}")
