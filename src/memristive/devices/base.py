"""The one interface every device model implements.

A device model is a frozen dataclass of parameters (SI units); its state is a frozen
dataclass of tensors (:class:`~memristive.devices.state.TensorState`), one entry per
device of an array. The verbs:

* ``sample(shape, *, generator, dtype, device) -> state``: fresh devices, device-to-device
  (d2d) parameters drawn here;
* ``program(state, target_g)``: a direct analog write of ``target_g`` (S), clipped to each
  device's range;
* ``pulse(state, n)``: ``n`` identical pulses per device (signed: > 0 potentiate), for the
  models driven that way;
* ``apply_voltage(state, v, width)``: one pulse of ``v`` volts (per device; 0 = undriven)
  lasting ``width`` seconds, for voltage-driven models; ``apply_voltage_train(state, v, width)``
  applies ``v[0], v[1], ...`` one after another and returns the state after each pulse and each
  pulse's write energy (models with a closed form override it to do the whole train at once);
* ``advance(state, dt)``: ``dt`` seconds with no drive (relaxation, decay, retention);
  the identity where the model has none;
* ``conductance(state)`` in S and ``current(state, v)`` in A.

Nothing mutates a state in place. Randomness comes only from a ``torch.Generator`` on the
tensors' device. A model that cannot do ``pulse`` or ``apply_voltage`` raises
:class:`UnsupportedDrive` naming itself and the verb it does support.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from typing import Any

import torch

from memristive.errors import MemristiveError

State = Any
"""A device model's state (a :class:`~memristive.devices.state.TensorState`)."""


class UnsupportedDrive(MemristiveError):
    """A device model was asked for a drive (identical pulses, or a voltage) it does not model.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> otj = get_preset("otj-sto")
        >>> try:
        ...     otj.pulse(otj.sample((1,)), torch.ones(1))
        ... except UnsupportedDrive as error:
        ...     print(error)
        TunnelJunctionSynapse 'otj-sto' does not model pulse(state, n); it offers apply_voltage(state, v, width)
    """


@dataclasses.dataclass(frozen=True)
class PulseTrain:
    """What a train of ``K`` voltage pulses did to an array of devices.

    Attributes:
        states: the state after each pulse, every tensor with a leading axis of ``K``
            (``states.map(lambda t: t[k])`` is the state after pulse ``k``).
        energy_j: write energy of each pulse on each device, ``|V I(V)| width`` with the current of
            the state before that pulse, J, shape ``[K, *array]``.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> otj = get_preset("otj-sto")
        >>> train = otj.apply_voltage_train(otj.sample((3,), dtype=torch.float64), torch.full((5,), 2.2), 50e-9)
        >>> tuple(train.energy_j.shape), bool((train.energy_j > 0).all())  # [pulses, devices], J
        ((5, 3), True)
    """

    states: Any
    energy_j: torch.Tensor


MAX_CONDUCTANCE_S = 1.0
"""The largest conductance a device model takes, S (1 ohm: far above any memristive device)."""


def check_window(g_min: float, g_max: float) -> None:
    """``0 <= g_min < g_max <= MAX_CONDUCTANCE_S``, else a :class:`MemristiveError` with both values."""
    if not 0 <= g_min < g_max <= MAX_CONDUCTANCE_S:
        raise MemristiveError(f"need 0 <= g_min < g_max <= {MAX_CONDUCTANCE_S:g} S, got {g_min}, {g_max}")


def factory(generator: torch.Generator | None, dtype: torch.dtype | None,
            device: torch.device | str | None) -> dict[str, Any]:
    """Tensor factory keywords: ``dtype`` (default: torch's default dtype) and ``device`` (default: the
    generator's device, else torch's default)."""
    if device is None and generator is not None:
        device = generator.device
    return {"dtype": dtype or torch.get_default_dtype(), "device": device}


class DeviceModel(ABC):
    """Base of every device model (see the module docstring for the verbs).

    Subclasses are frozen dataclasses with ``name`` and ``read_v`` (V), a nominal window
    ``g_min`` / ``g_max`` (S; fields or properties), ``levels`` (identical pulses across the
    window) where they are pulse-driven, and ``drives``: the subset of ``("pulse", "voltage")``
    they model.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> model = get_preset("tpt-ram-110")
        >>> state = model.sample((2, 3), generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        >>> up = model.pulse(state, torch.ones(2, 3))
        >>> bool(model.conductance(up).mean() > model.conductance(state).mean()), model.current(up, model.read_v).shape
        (True, torch.Size([2, 3]))
    """

    drives: tuple[str, ...] = ()

    def replace(self, **changes) -> DeviceModel:
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)

    @abstractmethod
    def sample(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
               dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> State:
        """Fresh devices of ``shape`` (d2d parameters drawn from ``generator``)."""

    @abstractmethod
    def program(self, state: State, target_g: torch.Tensor, *, generator: torch.Generator | None = None) -> State:
        """Write ``target_g`` (S) directly, clipped to each device's range."""

    def pulse(self, state: State, n: torch.Tensor, *, generator: torch.Generator | None = None) -> State:
        """``n`` identical pulses per device (signed: > 0 potentiate, < 0 depress)."""
        raise UnsupportedDrive(self._unsupported("pulse"))

    def pulse_drive(self, state: State) -> tuple[torch.Tensor | float, float | torch.Tensor]:
        """Amplitude (V, magnitude) and width (s) of one identical pulse: the model's ``pulse_v`` and
        ``pulse_width_s``; the write energy of a pulse is ``|V I(V)| width``."""
        if "pulse" not in self.drives:
            raise UnsupportedDrive(self._unsupported("pulse"))
        return self.pulse_v, self.pulse_width_s

    def apply_voltage(self, state: State, v: torch.Tensor | float, width: float, *,
                      generator: torch.Generator | None = None) -> State:
        """One pulse of ``v`` volts per device (0: undriven) for ``width`` seconds."""
        raise UnsupportedDrive(self._unsupported("voltage"))

    def apply_voltage_train(self, state: State, v: torch.Tensor, width: float, *,
                            generator: torch.Generator | None = None) -> PulseTrain:
        """Pulses ``v[0], v[1], ...`` (leading axis: pulses; the rest broadcasts to the array) of ``width`` seconds
        one after another: the state after each and each pulse's write energy (:class:`PulseTrain`)."""
        states, energy = [], []
        for v_k in v:
            energy.append(self.pulse_energy(state, v_k, width))
            state = self.apply_voltage(state, v_k, width, generator=generator)
            states.append(state.tensors())
        stacked = {key: torch.stack([s[key] for s in states]) for key in states[0]}
        return PulseTrain(state.with_tensors(stacked), torch.stack([e.expand(state.shape) for e in energy]))

    def pulse_energy(self, state: State, v: torch.Tensor | float, width: float | torch.Tensor) -> torch.Tensor:
        """Write energy of one pulse of ``v`` volts lasting ``width`` seconds on each device, ``|V I(V)| width``, J
        (the current of the state before the pulse)."""
        return (v * self.current(state, v)).abs() * width

    def advance(self, state: State, dt: float) -> State:
        """``dt`` seconds with no drive; this model keeps its state."""
        return state

    @abstractmethod
    def conductance(self, state: State) -> torch.Tensor:
        """Conductance of each device at its read voltage, S."""

    def current(self, state: State, v: torch.Tensor | float) -> torch.Tensor:
        """Current at voltage ``v``, A (ohmic: ``G v``)."""
        return self.conductance(state) * v

    # -- what a pair's update circuit asks of a model (defaults: one analog window) -------
    def share(self, state: State) -> torch.Tensor:
        """Each device's position in its present window, 0 (bottom) .. 1 (top); default: the nominal window."""
        return (self.conductance(state) - self.g_min) / (self.g_max - self.g_min)

    def program_share(self, state: State, share: torch.Tensor, *,
                      generator: torch.Generator | None = None) -> State:
        """Write each device to ``share`` of its present window (:meth:`share`'s inverse)."""
        return self.program(state, self.g_min + share * (self.g_max - self.g_min), generator=generator)

    def depressible(self, state: State) -> torch.Tensor | bool:
        """Whether an update may depress each device by pulses (all, unless the model says otherwise)."""
        return True

    def pulse_levels(self, state: State) -> torch.Tensor | float:
        """Identical pulses across each device's present window (the model's ``levels``)."""
        return float(self.levels)

    def couple(self, pos: State, neg: State, *, generator: torch.Generator | None = None) -> tuple[State, State]:
        """What a differential pair's periphery does after an update (nothing, unless the model says otherwise)."""
        return pos, neg

    def summary(self) -> dict[str, float | int]:
        """Key figures for listings: the conductance window."""
        return {"g_min_uS": self.g_min * 1e6, "g_max_uS": self.g_max * 1e6}

    def _unsupported(self, drive: str) -> str:
        verb = {"pulse": "pulse(state, n)", "voltage": "apply_voltage(state, v, width)"}
        other = [verb[d] for d in self.drives]
        offer = f"; it offers {' and '.join(other)}" if other else "; it is programmed directly"
        return f"{type(self).__name__} {getattr(self, 'name', '')!r} does not model {verb[drive]}{offer}"
