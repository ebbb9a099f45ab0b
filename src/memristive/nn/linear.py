"""``MemristiveLinear``: an ``nn.Linear`` drop-in whose weights live on a crossbar (see :mod:`memristive.nn.layer`)."""

from __future__ import annotations

import torch
from torch import nn

from memristive.devices import DeviceModel
from memristive.errors import MemristiveError
from memristive.nn.layer import MemristiveLayer


class MemristiveLinear(MemristiveLayer):
    """Linear layer on a differential-pair crossbar of ``model`` devices.

    Args:
        in_features: as in ``torch.nn.Linear``.
        out_features: as in ``torch.nn.Linear``.
        bias: as in ``torch.nn.Linear``.
        model: the device model (a preset, or any :class:`~memristive.devices.DeviceModel`).
        **options: the array and factory settings of :class:`~memristive.nn.layer.MemristiveLayer`
            (``periphery``, ``tile_rows``, ``w_max``, ``mapping``, ``rounding``, ``max_pulses``,
            ``solver``, ``wiring``, ``write_pulse``, ``device``, ``dtype``).

    Examples:
        >>> from memristive.devices import get_preset
        >>> layer = MemristiveLinear(4, 2, get_preset("tpt-ram-110"))
        >>> layer.init_devices(torch.Generator().manual_seed(0))
        >>> layer(torch.rand(3, 4)).shape
        torch.Size([3, 2])
    """

    def __init__(self, in_features: int, out_features: int, model: DeviceModel, bias: bool = True,
                 **options) -> None:
        if in_features < 1 or out_features < 1:
            raise MemristiveError(f"layer sizes must be >= 1, got {in_features} x {out_features}")
        super().__init__((out_features, in_features), model, bias, **options)
        self.in_features, self.out_features = in_features, out_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b``, through the array and its periphery in hardware mode."""
        if not self.hardware:
            return nn.functional.linear(x, self.weight, self.bias)
        return self._array_forward(x)

    def _row_power(self, x_squared: torch.Tensor, rows: torch.Tensor, bias_row: torch.Tensor) -> torch.Tensor:
        return x_squared @ rows + bias_row

    def extra_repr(self) -> str:
        return f"{self.in_features}, {self.out_features}, {super().extra_repr()}"
