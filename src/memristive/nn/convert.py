"""``convert_to_memristive``: put every ``nn.Linear`` and ``nn.Conv2d`` of a torch model on crossbars."""

from __future__ import annotations

import torch
from torch import nn

from memristive.devices import DeviceModel
from memristive.errors import MemristiveError
from memristive.nn.conv import MemristiveConv2d
from memristive.nn.layer import MemristiveLayer
from memristive.nn.linear import MemristiveLinear


def _replacement(child: nn.Module, model: DeviceModel, options: dict) -> MemristiveLayer | None:
    if not isinstance(child, (nn.Linear, nn.Conv2d)):
        return None
    factory = {"device": child.weight.device, "dtype": child.weight.dtype}
    if isinstance(child, nn.Linear):
        layer = MemristiveLinear(child.in_features, child.out_features, model, bias=child.bias is not None,
                                 **factory, **options)
    elif isinstance(child, nn.Conv2d):
        if child.groups != 1 or child.padding_mode != "zeros" or isinstance(child.padding, str):
            raise MemristiveError(f"{child}: only groups=1, zero padding given as numbers can be converted")
        layer = MemristiveConv2d(child.in_channels, child.out_channels, child.kernel_size, model,
                                 stride=child.stride, padding=child.padding, dilation=child.dilation,
                                 bias=child.bias is not None, **factory, **options)
    with torch.no_grad():
        layer.weight.copy_(child.weight)
        if child.bias is not None:
            layer.bias.copy_(child.bias)
    return layer


def convert_to_memristive(module: nn.Module, model: DeviceModel, **options) -> nn.Module:
    """Replace every ``nn.Linear`` / ``nn.Conv2d`` in ``module`` (in place, recursively) by its memristive
    layer on ``model`` devices with the same weights; returns ``module``, in float mode, ready for
    ``program()`` (ex situ) or :func:`~memristive.nn.init_devices` (in situ).

    ``options`` go to every layer (``w_max``, ``periphery``, ``rounding``, ``solver``, ...); the weights
    are clipped to ``[-w_max, w_max]`` when they are placed on devices.
    """
    if isinstance(module, (nn.Linear, nn.Conv2d)):
        raise MemristiveError("convert a model that contains the layer (e.g. nn.Sequential(layer)), not the layer")
    for name, child in module.named_children():
        layer = _replacement(child, model, options)
        if layer is None:
            convert_to_memristive(child, model, **options)
        else:
            setattr(module, name, layer)
    return module


def memristive_layers(module: nn.Module) -> list[MemristiveLayer]:
    """Every :class:`~memristive.nn.layer.MemristiveLayer` of ``module``, in module order."""
    return [m for m in module.modules() if isinstance(m, MemristiveLayer)]


def init_devices(module: nn.Module, generator: torch.Generator | None = None) -> None:
    """In situ: place every memristive layer's present weights on fresh devices (balanced pairs)."""
    for layer in memristive_layers(module):
        layer.init_devices(generator)
