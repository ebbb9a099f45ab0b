"""A multilayer perceptron built from :class:`MemristiveLinear` layers."""

from __future__ import annotations

from typing import Callable, Sequence

import torch
from torch import nn

from memristive.crossbar import Periphery
from memristive.devices import DeviceModel
from memristive.errors import MemristiveError
from memristive.nn.linear import MemristiveLinear


class MemristiveMLP(nn.Module):
    """``sizes[0] -> ... -> sizes[-1]`` with sigmoid hidden units (outputs are logits).

    Sigmoid activations lie in (0, 1), so every hidden layer's output is a valid
    input to the next array's DAC. ``layer(in, out)`` builds another kind of layer
    (default: :class:`MemristiveLinear` on the device model ``model``).

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> net = MemristiveMLP([64, 16, 10], get_preset("tpt-ram-110"), generator=torch.Generator().manual_seed(0))
        >>> net(torch.rand(5, 64)).shape, len(net.memristive_layers())
        (torch.Size([5, 10]), 2)
    """

    def __init__(
        self,
        sizes: Sequence[int],
        model: DeviceModel,
        periphery: Periphery | None = None,
        tile_rows: int | None = None,
        generator: torch.Generator | None = None,
        layer: Callable[[int, int], nn.Module] | None = None,
    ) -> None:
        super().__init__()
        if len(sizes) < 2:
            raise MemristiveError(f"an MLP needs at least 2 sizes, got {list(sizes)}")
        make = layer or (lambda a, b: MemristiveLinear(a, b, model, periphery=periphery, tile_rows=tile_rows))
        self.layers = nn.ModuleList(make(a, b) for a, b in zip(sizes, sizes[1:]))
        for each in self.layers:
            each.reset_parameters(generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits for inputs ``x`` in [0, 1]."""
        x = x.flatten(1)
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = torch.sigmoid(x)
        return x

    def memristive_layers(self) -> list[nn.Module]:
        """The layers that live on crossbars."""
        return list(self.layers)
