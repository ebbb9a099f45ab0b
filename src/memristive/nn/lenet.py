"""LeNet-5 as seed 000 describes it (Methods), built from any convolution and linear layers.

32 x 32 input -> C1 conv 1->6, 5 x 5 (28 x 28) -> S2 2 x 2 average pool, tanh ->
C3 conv 6->16, 5 x 5 (10 x 10) -> S4 pool, tanh -> C5 conv 16->120, 5 x 5 (1 x 1),
tanh -> F6 120->84, tanh -> output 84->10.

Departures from the paper: tanh after S2, S4 and C5 (LeCun's squashing function) where
the paper has a sigmoid: with sigmoids and the default U(+-1/sqrt(fan_in)) weights,
LeNet-5 stayed at chance for 10 epochs here, even in float (SGD, lr 0.5 or 2.0, digits
and Fashion-MNIST), while tanh learns from the first epoch; and the output is a linear
layer trained with cross-entropy instead of LeCun's Euclidean RBF units.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import nn

LENET_SIDE = 32
"""Input side of LeNet-5, pixels."""


def lenet_input(images: torch.Tensor) -> torch.Tensor:
    """Images ``[n, h, w]`` in [0, 1] as LeNet-5 input ``[n, 1, 32, 32]``.

    28 x 28 images (MNIST, Fashion-MNIST) are zero-padded by 2 pixels as LeCun did;
    smaller ones (8 x 8 digits) are first resized to 28 x 28 (bilinear).
    """
    x = images.unsqueeze(1)
    if x.shape[-1] < 28 or x.shape[-2] < 28:
        x = nn.functional.interpolate(x, size=(28, 28), mode="bilinear", align_corners=False)
    pad_h, pad_w = LENET_SIDE - x.shape[-2], LENET_SIDE - x.shape[-1]
    return nn.functional.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2))


class LeNet5(nn.Module):
    """LeNet-5 with layers from ``conv(in_ch, out_ch, k)`` and ``linear(in, out)``; outputs are logits.

    Examples:
        >>> import torch
        >>> from torch import nn
        >>> net = LeNet5(lambda i, o, k: nn.Conv2d(i, o, k), lambda i, o: nn.Linear(i, o))  # float layers
        >>> net(torch.rand(2, 1, 32, 32)).shape
        torch.Size([2, 10])
    """

    def __init__(self, conv: Callable[[int, int, int], nn.Module], linear: Callable[[int, int], nn.Module],
                 n_classes: int = 10) -> None:
        super().__init__()
        self.c1, self.c3, self.c5 = conv(1, 6, 5), conv(6, 16, 5), conv(16, 120, 5)
        self.f6, self.output = linear(120, 84), linear(84, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits for ``x`` of shape ``[n, 1, 32, 32]``."""
        x = torch.tanh(nn.functional.avg_pool2d(self.c1(x), 2))
        x = torch.tanh(nn.functional.avg_pool2d(self.c3(x), 2))
        x = torch.tanh(self.c5(x)).flatten(1)
        return self.output(torch.tanh(self.f6(x)))
