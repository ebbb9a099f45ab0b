"""Per-device tensors: the state of an array of devices and its drawn parameters.

Every device model's state is a frozen dataclass of tensors of one shape (the array of
devices), deriving from :class:`TensorState`: nothing mutates a state in place, and
``state.map(fn)`` moves, casts or indexes every tensor at once (nested states included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Self

import torch


class TensorState:
    """Shared behaviour of the frozen state dataclasses: ``map``, ``shape`` and flattening.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> state = get_preset("tpt-ram-110").sample((2, 3))
        >>> state.shape, state.map(lambda t: t.double()).g.dtype, sorted(state.tensors())
        (torch.Size([2, 3]), torch.float64, ['g', 'g_max', 'g_min', 'nu_ltd', 'nu_ltp'])
    """

    def map(self, fn: Callable[[torch.Tensor], torch.Tensor]) -> Self:
        """Apply ``fn`` to every tensor (``.to(device)``, indexing, ...), nested states included."""
        return replace(self, **{f.name: _map(getattr(self, f.name), fn) for f in fields(self)})

    @property
    def shape(self) -> torch.Size:
        """Shape of the array of devices (that of the first field)."""
        return getattr(self, fields(self)[0].name).shape

    def tensors(self, prefix: str = "") -> dict[str, torch.Tensor]:
        """Every tensor by dotted field name (nested states flattened), e.g. ``{"volatile.g": ...}``."""
        flat = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, TensorState):
                flat.update(value.tensors(f"{prefix}{f.name}."))
            else:
                flat[prefix + f.name] = value
        return flat

    def with_tensors(self, flat: dict[str, torch.Tensor], prefix: str = "") -> Self:
        """The same kind of state holding ``flat`` (as :meth:`tensors` names them)."""
        changes = {}
        for f in fields(self):
            value = getattr(self, f.name)
            key = prefix + f.name
            changes[f.name] = value.with_tensors(flat, key + ".") if isinstance(value, TensorState) else flat[key]
        return replace(self, **changes)


def _map(value, fn):
    return value.map(fn) if isinstance(value, TensorState) else fn(value)


@dataclass(frozen=True)
class DeviceState(TensorState):
    """Conductance of every device plus the parameters drawn once per device (d2d).

    All tensors share one shape, the shape of the array of devices.

    Attributes:
        g: present conductance, S.
        g_min: lowest reachable conductance of each device, S.
        g_max: highest reachable conductance of each device, S.
        nu_ltp: nonlinearity label of each device's potentiation curve.
        nu_ltd: nonlinearity label of each device's depression curve.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> state = get_preset("tpt-ram-110").sample((3,), generator=torch.Generator().manual_seed(0), dtype=torch.float64)
        >>> [round(g, 1) for g in (1e6 * state.g).tolist()], state.share().tolist()  # each at its own Gmin (d2d)
        ([43.0, 39.4, 35.7], [0.0, 0.0, 0.0])
    """

    g: torch.Tensor
    g_min: torch.Tensor
    g_max: torch.Tensor
    nu_ltp: torch.Tensor
    nu_ltd: torch.Tensor

    def with_g(self, g: torch.Tensor) -> DeviceState:
        """The same devices at conductance ``g``, clipped to each device's range."""
        return replace(self, g=torch.minimum(torch.maximum(g, self.g_min), self.g_max))

    def share(self) -> torch.Tensor:
        """Position of each device within its own window, ``(G - Gmin) / (Gmax - Gmin)`` in [0, 1]."""
        return (self.g - self.g_min) / (self.g_max - self.g_min)

    def at_share(self, share: torch.Tensor) -> DeviceState:
        """The same devices at ``share`` of their own windows, ``G = Gmin + share (Gmax - Gmin)`` (clipped)."""
        return self.with_g(self.g_min + share * (self.g_max - self.g_min))


def sample_bounds(
    nominal_min: float,
    nominal_max: float,
    d2d_g_sigma: float,
    shape: tuple[int, ...],
    generator: torch.Generator | None = None,
    dtype: torch.dtype = torch.float32,
    device: torch.device | str | None = None,
    stuck_share: float = 0.0,
) -> DeviceState:
    """Devices of ``shape`` at their ``Gmin``, each bound drawn as ``nominal (1 + d2d_g_sigma z)``.

    ``Gmin`` is kept >= 0 and ``Gmax`` above it; the nonlinearity labels are 0 (linear).
    A share ``stuck_share`` of the devices is stuck, half at ``Gmin`` and half at ``Gmax``
    (stuck-off / stuck-on): their range shrinks to a point, so no pulse moves them.
    """

    def draw(nominal: float) -> torch.Tensor:
        base = torch.full(shape, nominal, dtype=dtype, device=device)
        if not d2d_g_sigma:
            return base
        return base * (1 + d2d_g_sigma * torch.randn(shape, generator=generator, dtype=dtype, device=device))

    g_min = draw(nominal_min).clamp_min(0.0)
    g_max = torch.maximum(draw(nominal_max), g_min + 1e-6 * (nominal_max - nominal_min))
    if stuck_share:
        u = torch.rand(shape, generator=generator, dtype=dtype, device=device)
        on, off = u < 0.5 * stuck_share, (u >= 0.5 * stuck_share) & (u < stuck_share)
        point = 1e-4 * (nominal_max - nominal_min)  # a range float32 still resolves
        g_min = torch.where(on, g_max - point, g_min)
        g_max = torch.where(off, g_min + point, g_max)
    zero = torch.zeros(shape, dtype=dtype, device=device)
    return DeviceState(g=g_min.clone(), g_min=g_min, g_max=g_max, nu_ltp=zero, nu_ltd=zero.clone())
