"""A convenience training loop: float SGD (ex-situ / baselines) and in-situ pulse training.

Both use minibatch SGD on the cross-entropy loss with the same learning rate
semantics, ``dW = -lr dL/dW``: in float ``torch.optim.SGD`` applies it exactly, in situ
:class:`~memristive.nn.optim.PulseSGD` turns it into device pulses. Any other loop that
calls ``loss.backward(); PulseSGD.step()`` trains in situ the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn
from tqdm.auto import tqdm

from memristive.errors import MemristiveError
from memristive.nn.convert import memristive_layers
from memristive.nn.optim import PulseSGD

MODES = ("float", "insitu")


@dataclass
class TrainingHistory:
    """Per-epoch test accuracy and the pulses spent (in-situ).

    Examples:
        >>> import torch
        >>> from memristive.data import load_dataset
        >>> from memristive.devices import get_preset
        >>> from memristive.nn import MemristiveMLP, train
        >>> data, gen = load_dataset("digits"), torch.Generator().manual_seed(0)
        >>> net = MemristiveMLP([64, 16, 10], get_preset("tpt-ram-110"), generator=gen)
        >>> history = train(net, data.x_train.flatten(1), data.y_train, data.x_test.flatten(1), data.y_test,
        ...                 mode="insitu", epochs=2, batch_size=16, lr=0.3, generator=gen)
        >>> [round(accuracy, 2) for accuracy in history.test_accuracy], history.pulses[-1] > 0
        ([0.35, 0.67], True)
    """

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

    ``mode="float"``: plain SGD on the parameters. ``mode="insitu"``: memristive layers
    without devices get them (:meth:`~memristive.nn.layer.MemristiveLayer.init_devices`) and
    every step is a :class:`~memristive.nn.optim.PulseSGD` step. Shuffling and stochastic
    rounding draw from ``generator``.
    ``epoch_end(epoch)`` runs after each epoch, before the test (e.g. a rest stage).
    """
    if mode not in MODES:
        raise MemristiveError(f"mode={mode!r} must be one of {MODES}")
    if epochs < 1 or batch_size < 1 or lr <= 0:
        raise MemristiveError(f"need epochs >= 1, batch_size >= 1, lr > 0; got {epochs}, {batch_size}, {lr}")
    if mode == "insitu":
        for layer in memristive_layers(model):
            if not layer.hardware:
                layer.init_devices(generator)
        optimiser = PulseSGD(model.parameters(), lr=lr, generator=generator)
    else:
        optimiser = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = TrainingHistory()
    for epoch in tqdm(range(epochs), desc=desc, leave=False, disable=None):
        model.train()
        order = torch.randperm(len(x_train), generator=generator, device=generator.device).to(x_train.device)
        pulses = 0
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            model.zero_grad(set_to_none=False)
            loss_fn(model(x_train[idx]), y_train[idx]).backward()
            optimiser.step()
            pulses += getattr(optimiser, "last_pulses", 0)
        if epoch_end is not None:
            epoch_end(epoch)
        history.test_accuracy.append(accuracy(model, x_test, y_test))
        history.pulses.append(pulses)
    return history
