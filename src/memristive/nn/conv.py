"""``MemristiveConv2d``: a 2-D convolution whose kernels live on crossbar columns.

One column per output channel, one row per (input channel, kernel position) and a bias
row, so the array is ``[C_in k_h k_w + 1, C_out]`` and every patch of the input is one read
of it (seed 000's LeNet-5 mapping). With ideal periphery and wires the forward is the
convolution of the weights the devices hold; otherwise every patch passes the DAC, the array
(and its circuit) and the ADC.
"""

from __future__ import annotations

import torch
from torch import nn

from memristive.devices import DeviceModel
from memristive.errors import MemristiveError
from memristive.nn.layer import MemristiveLayer


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


class MemristiveConv2d(MemristiveLayer):
    """2-D convolution (``groups=1``, zero padding) on a differential-pair crossbar of ``model`` devices.

    Args:
        in_channels: as in ``torch.nn.Conv2d``.
        out_channels: as in ``torch.nn.Conv2d``.
        kernel_size: as in ``torch.nn.Conv2d``.
        stride: as in ``torch.nn.Conv2d``.
        padding: as in ``torch.nn.Conv2d``.
        dilation: as in ``torch.nn.Conv2d``.
        bias: as in ``torch.nn.Conv2d``.
        model: the device model.
        **options: the array and factory settings of :class:`~memristive.nn.layer.MemristiveLayer`.

    Examples:
        >>> from memristive.devices import get_preset
        >>> conv = MemristiveConv2d(1, 4, 3, get_preset("tpt-ram-110"), padding=1)
        >>> conv.init_devices(torch.Generator().manual_seed(0))
        >>> conv(torch.rand(2, 1, 8, 8)).shape
        torch.Size([2, 4, 8, 8])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int, int], model: DeviceModel,
                 stride: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
                 dilation: int | tuple[int, int] = 1, bias: bool = True, **options) -> None:
        kernel = _pair(kernel_size)
        if min(in_channels, out_channels, *kernel) < 1:
            raise MemristiveError(f"channels and kernel sizes must be >= 1, got {in_channels}, {out_channels}, {kernel}")
        super().__init__((out_channels, in_channels, *kernel), model, bias, **options)
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel
        self.stride, self.padding, self.dilation = _pair(stride), _pair(padding), _pair(dilation)

    def _conv(self) -> dict:
        return {"stride": self.stride, "padding": self.padding, "dilation": self.dilation}

    def _ideal(self) -> bool:
        p = self.periphery
        return self.array.solver == "ideal" and self.mapping.slices == 1 and p.dac_bits == 0 and p.adc_bits == 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The convolution, through the array and its periphery in hardware mode."""
        if not self.hardware or self._ideal():
            return nn.functional.conv2d(x, self.weight, self.bias, **self._conv())
        n, _, h, w = x.shape
        patches = nn.functional.unfold(x, self.kernel_size, **self._conv())  # [n, C k k, L]
        out = self._array_forward(patches.transpose(1, 2))  # [n, L, C_out]
        size = [(s + 2 * p - d * (k - 1) - 1) // st + 1
                for s, p, d, k, st in zip((h, w), self.padding, self.dilation, self.kernel_size, self.stride)]
        return out.transpose(1, 2).reshape(n, self.out_channels, *size)

    def _row_power(self, x_squared: torch.Tensor, rows: torch.Tensor, bias_row: torch.Tensor) -> torch.Tensor:
        per_patch = nn.functional.conv2d(x_squared, rows.reshape(1, *self.weight.shape[1:]), **self._conv())
        return per_patch.flatten(1).sum(1) + bias_row * per_patch[0].numel()

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}, {super().extra_repr()}")
