"""Reservoir computing with short-term-memory devices (seed 002, section 7.1; Du et al., Nat. Commun. 8, 2204, 2017).

Each input channel drives one volatile device with a pulse train: at every time step ``t`` the
device gets a pulse of ``v = v_rest + (v_peak - v_rest) x_t`` (``x_t`` in [0, 1], a 0 input sends
no pulse when ``v_rest = 0``) for ``width_s``, then relaxes for ``interval_s - width_s`` at 0 V.
The device state then depends on the recent inputs, weighted by how long ago they came
(short-term memory) and nonlinearly by their amplitude; its read conductance after chosen steps
is a feature for a linear readout trained in software. Everything goes through the device
interface (:meth:`~memristive.devices.base.DeviceModel.apply_voltage`, ``advance``, ``conductance``),
so any voltage-driven volatile model serves, vectorised over every device of every sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.devices.base import DeviceModel
from memristive.errors import require


@dataclass(frozen=True)
class PulseEncoding:
    """How inputs become pulses: ``v = v_rest + (v_peak - v_rest) x`` for ``width_s`` every ``interval_s`` (V, s).

    Examples:
        >>> encoding = PulseEncoding(v_peak=1.2, width_s=50e-9, interval_s=0.5e-6)  # a 1 is a 1.2 V, 50 ns pulse
        >>> encoding.v_rest, encoding.interval_s / encoding.width_s
        (0.0, 10.0)
    """

    v_peak: float
    width_s: float
    interval_s: float
    v_rest: float = 0.0

    def __post_init__(self) -> None:
        require(self.v_peak != self.v_rest, f"v_peak={self.v_peak} must differ from v_rest={self.v_rest}")
        require(0 < self.width_s <= self.interval_s, f"need 0 < width_s <= interval_s, got {self.width_s}, "
                f"{self.interval_s}")


class DeviceReservoir:
    """Volatile devices fed by pulse trains (module docstring).

    Args:
        model: a voltage-driven :class:`~memristive.devices.base.DeviceModel` with short-term memory.
        encoding: the :class:`PulseEncoding` of the inputs.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> reservoir = DeviceReservoir(get_preset("otj-sto"), PulseEncoding(1.2, 50e-9, 0.5e-6))
        >>> states = reservoir.run(torch.tensor([[[1.0, 0, 0, 0], [0, 0, 0, 1.0]]], dtype=torch.float64))
        >>> tuple(states.shape), bool(states[0, 1] > states[0, 0])  # the recent pulse leaves more short-term memory
        ((1, 2), True)
    """

    def __init__(self, model: DeviceModel, encoding: PulseEncoding) -> None:
        require("voltage" in model.drives, f"a reservoir drives its devices by voltage pulses; {model.name!r} "
                "is not voltage-driven")
        self.model, self.encoding = model, encoding

    def run(self, x: torch.Tensor, *, reads: str = "last", generator: torch.Generator | None = None) -> torch.Tensor:
        """Read conductances of fresh devices fed ``x`` [batch, channels, steps] (values in [0, 1]), S.

        ``reads="last"``: after the last step, ``[batch, channels]``; ``"every"``: after every step,
        ``[batch, channels, steps]``. One device per channel, drawn once from ``generator`` (its
        device-to-device variation) and reset to its fresh state for every sample, as one physical
        reservoir processes a data set sample after sample.
        """
        require(x.ndim == 3 and x.shape[-1] >= 1, f"inputs of shape {tuple(x.shape)}: need [batch, channels, steps]")
        require(bool(((x >= 0) & (x <= 1)).all()), "inputs must lie in [0, 1]")
        require(reads in ("last", "every"), f"reads={reads!r} must be 'last' or 'every'")
        e, model = self.encoding, self.model
        x = x.double()
        devices = model.sample((x.shape[1],), generator=generator, dtype=x.dtype, device=x.device)
        state = devices.map(lambda t: t.expand(x.shape[0], *t.shape).clone())
        read = []
        for t in range(x.shape[-1]):
            state = model.apply_voltage(state, e.v_rest + (e.v_peak - e.v_rest) * x[..., t], e.width_s)
            if e.interval_s > e.width_s:
                state = model.advance(state, e.interval_s - e.width_s)
            if reads == "every":
                read.append(model.conductance(state))
        return torch.stack(read, dim=-1) if reads == "every" else model.conductance(state)


def second_order_system(u: torch.Tensor) -> torch.Tensor:
    """``y_k = 0.4 y_(k-1) + 0.4 y_(k-1) y_(k-2) + 0.6 u_k^3 + 0.1`` (Du et al. 2017's task), ``y_0 = y_1 = 0``."""
    y = torch.zeros_like(u)
    for k in range(2, u.shape[-1]):
        y[..., k] = 0.4 * y[..., k - 1] + 0.4 * y[..., k - 1] * y[..., k - 2] + 0.6 * u[..., k] ** 3 + 0.1
    return y
