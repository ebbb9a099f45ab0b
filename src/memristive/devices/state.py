"""Per-device tensors: the state of an array of devices and its drawn parameters."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Callable

import torch


@dataclass(frozen=True)
class DeviceState:
    """Conductance of every device plus the parameters drawn once per device (d2d).

    All tensors share one shape, the shape of the array of devices.

    Attributes:
        g: present conductance, S.
        g_min: lowest reachable conductance of each device, S.
        g_max: highest reachable conductance of each device, S.
        nu_ltp: nonlinearity label of each device's potentiation curve.
        nu_ltd: nonlinearity label of each device's depression curve.
    """

    g: torch.Tensor
    g_min: torch.Tensor
    g_max: torch.Tensor
    nu_ltp: torch.Tensor
    nu_ltd: torch.Tensor

    @property
    def shape(self) -> torch.Size:
        """Shape of the array of devices."""
        return self.g.shape

    def with_g(self, g: torch.Tensor) -> "DeviceState":
        """The same devices at conductance ``g``, clipped to each device's range."""
        return replace(self, g=torch.minimum(torch.maximum(g, self.g_min), self.g_max))

    def map(self, fn: Callable[[torch.Tensor], torch.Tensor]) -> "DeviceState":
        """Apply ``fn`` to every tensor (``.to(device)``, indexing, ...)."""
        return DeviceState(**{f.name: fn(getattr(self, f.name)) for f in fields(self)})
