"""``PulseSGD``: a ``torch.optim.Optimizer`` whose step on a memristive layer is device pulses.

``loss.backward(); opt.step()`` gives every layer that learns by pulses (a
:class:`~memristive.nn.layer.MemristiveLayer` in hardware mode, or any module registered with
:func:`learns_by_pulses`) the update ``dW = -lr dL/dW`` as pulses through its devices
(:meth:`apply_gradient_pulses`); every other parameter takes the plain SGD step
``p <- p - lr dL/dp``. So any ordinary PyTorch training loop trains in situ.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

import torch
from torch import nn

from memristive.errors import MemristiveError

_OWNER = "_learns_by_pulses"


def learns_by_pulses(layer: nn.Module, *params: nn.Parameter | None) -> None:
    """Mark ``params`` as updated by ``layer.apply_gradient_pulses(lr, generator)`` under :class:`PulseSGD`."""
    for param in params:
        if param is not None:
            setattr(param, _OWNER, weakref.ref(layer))


def pulse_owner(param: torch.Tensor) -> nn.Module | None:
    """The layer that updates ``param`` by pulses, if one does and it is in hardware mode."""
    ref = getattr(param, _OWNER, None)
    layer = ref() if ref is not None else None
    return layer if layer is not None and getattr(layer, "hardware", True) else None


class PulseSGD(torch.optim.Optimizer):
    """SGD whose step on memristive layers is device pulses (module docstring).

    Args:
        params: the model's parameters (``model.parameters()``) or parameter groups.
        lr: learning rate (> 0).
        generator: the draws of stochastic pulse rounding and of device noise.

    After each :meth:`step`, :attr:`last_pulses` holds the pulses that step applied.

    Examples:
        >>> from memristive.devices import get_preset
        >>> from memristive.nn import MemristiveLinear
        >>> layer = MemristiveLinear(4, 2, get_preset("tpt-ram-110"))
        >>> layer.init_devices(torch.Generator().manual_seed(0))
        >>> opt = PulseSGD(layer.parameters(), lr=0.1, generator=torch.Generator().manual_seed(1))
        >>> layer(torch.rand(8, 4)).square().mean().backward()
        >>> opt.step()
        >>> opt.last_pulses > 0
        True
    """

    def __init__(self, params: Iterable, lr: float, generator: torch.Generator | None = None) -> None:
        if not lr > 0:
            raise MemristiveError(f"lr={lr} must be > 0")
        super().__init__(params, {"lr": lr})
        self.generator = generator
        self.last_pulses = 0

    @torch.no_grad()
    def step(self, closure=None):
        """One update: pulses on every memristive layer (once each, in parameter order), SGD elsewhere."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        done, pulses = set(), 0
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                layer = pulse_owner(param)
                if layer is None:
                    param.add_(param.grad, alpha=-group["lr"])
                elif id(layer) not in done:
                    done.add(id(layer))
                    pulses += layer.apply_gradient_pulses(group["lr"], self.generator)
        self.last_pulses = pulses
        return loss
