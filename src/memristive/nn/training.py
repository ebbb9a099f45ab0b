"""Training loops: float SGD (ex-situ / baselines) and in-situ pulse training.

Both use minibatch SGD on the cross-entropy loss with the same learning rate
semantics, ``dW = -lr dL/dW``: in float the optimiser applies it exactly, in situ
each :class:`MemristiveLinear` turns it into device pulses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn
from tqdm.auto import tqdm

from memristive.errors import MemristiveError
from memristive.nn.linear import MemristiveLinear

MODES = ("float", "insitu")


@dataclass
class TrainingHistory:
    """Per-epoch test accuracy and the pulses spent (in-situ)."""

    test_accuracy: list[float] = field(default_factory=list)
    pulses: list[int] = field(default_factory=list)


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 1000) -> float:
    """Share of ``x`` whose arg-max output equals ``y``."""
    model.eval()
    correct = sum(
        (model(x[i : i + batch_size]).argmax(dim=1) == y[i : i + batch_size]).sum().item()
        for i in range(0, len(x), batch_size)
    )
    return correct / len(x)


def _pulsed_layers(model: nn.Module) -> list[nn.Module]:
    """Layers that learn by device pulses (they offer ``apply_gradient_pulses``)."""
    return [m for m in model.modules() if hasattr(m, "apply_gradient_pulses")]


def train(
    model: nn.Module,
    x_train: torch.Tensor,
    y_train: torch.Tensor,
    x_test: torch.Tensor,
    y_test: torch.Tensor,
    *,
    mode: str,
    epochs: int,
    batch_size: int,
    lr: float,
    generator: torch.Generator,
    desc: str = "train",
    epoch_end: Callable[[int], None] | None = None,
) -> TrainingHistory:
    """Train ``model`` for ``epochs``; test accuracy is recorded after every epoch.

    ``mode="float"``: plain SGD on the parameters. ``mode="insitu"``: devices are
    placed on first use (:meth:`MemristiveLinear.init_devices`) and every step is a
    pulse update. Shuffling and stochastic rounding draw from ``generator``.
    ``epoch_end(epoch)`` runs after each epoch, before the test (e.g. a rest stage).
    """
    if mode not in MODES:
        raise MemristiveError(f"mode={mode!r} must be one of {MODES}")
    if epochs < 1 or batch_size < 1 or lr <= 0:
        raise MemristiveError(f"need epochs >= 1, batch_size >= 1, lr > 0; got {epochs}, {batch_size}, {lr}")
    layers = _pulsed_layers(model)
    if mode == "insitu":
        for layer in layers:
            if isinstance(layer, MemristiveLinear) and not layer.hardware:
                layer.init_devices(generator)
    optimiser = torch.optim.SGD(model.parameters(), lr=lr) if mode == "float" else None
    loss_fn = nn.CrossEntropyLoss()
    history = TrainingHistory()
    for epoch in tqdm(range(epochs), desc=desc, leave=False, disable=None):
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        pulses = 0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            model.zero_grad(set_to_none=False)
            loss_fn(model(x_train[idx]), y_train[idx]).backward()
            if optimiser is not None:
                optimiser.step()
            else:
                pulses += sum(layer.apply_gradient_pulses(lr, generator) for layer in layers)
        if epoch_end is not None:
            epoch_end(epoch)
        history.test_accuracy.append(accuracy(model, x_test, y_test))
        history.pulses.append(pulses)
    return history
