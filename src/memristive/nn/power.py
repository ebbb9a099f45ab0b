"""Read power of a whole network on crossbars: every memristive layer's ``sum V^2 G`` over one inference."""

from __future__ import annotations

import torch
from torch import nn

from memristive.nn.convert import memristive_layers
from memristive.nn.layer import MemristiveLayer


@torch.no_grad()
def network_read_power(model: nn.Module, x: torch.Tensor) -> float:
    """Mean read power per inference of every :class:`~memristive.nn.layer.MemristiveLayer` of ``model`` on ``x``
    (float64), W (:meth:`~memristive.nn.layer.MemristiveLayer.read_power` of each layer's own inputs)."""
    total = torch.zeros((), dtype=torch.float64, device=x.device)

    def add(layer: MemristiveLayer, inputs: tuple[torch.Tensor, ...]) -> None:
        nonlocal total
        total = total + layer.read_power(inputs[0].double()).sum()

    handles = [layer.register_forward_pre_hook(add) for layer in memristive_layers(model)]
    try:
        model.eval()
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return float(total) / len(x)
