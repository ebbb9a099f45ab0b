"""A single-layer perceptron trained in situ by the batch Manhattan rule (Prezioso et al., Nature 521, 61, 2015).

The outputs are ``f_j = tanh(beta I_j)`` of the weighted sums ``I = x W`` read through the array
(:meth:`~memristive.crossbar.CrossbarArray.matvec`, weights in units of ``w_max``). With targets
``t = +-1``, the delta rule's error ``delta_j = (t_j - f_j) beta (1 - f_j^2)`` summed over a batch of
``n`` patterns gives the gradient direction ``g_ij = sum_n x_i(n) delta_j(n)``; the Manhattan rule
keeps only its sign,

    dW_ij = eta sgn(g_ij),

so every weight gets one fixed pulse per epoch in the direction of its sign
(:meth:`~memristive.crossbar.CrossbarArray.pulse_signs`; the step ``eta`` is whatever that pulse
does to the device), or none where ``|g_ij|`` is below ``tolerance`` times the largest.
"""

from __future__ import annotations

import torch

from memristive.crossbar import CrossbarArray
from memristive.errors import require


class ManhattanPerceptron:
    """A single-layer perceptron on ``array`` (inputs x outputs) trained by :meth:`epoch` (module docstring).

    Args:
        array: the weights, a voltage-driven :class:`~memristive.crossbar.CrossbarArray` with a ``write_pulse``.
        beta: the tanh gain, per unit of ``w_max``.
        scheme: the line bias of the updates (``"v/2"``, ``"v/3"``).
        tolerance: gradient components smaller than this share of the largest get no pulse.

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> gen = torch.Generator().manual_seed(0)
        >>> array = CrossbarArray(5, 2, get_preset("pcmo"), WeightMapping("balanced"), generator=gen, dtype=torch.float64)
        >>> net = ManhattanPerceptron(array, beta=4.0)
        >>> x = torch.tensor([[1.0, 0, 1, 0, 1], [0, 1, 0, 1, 1]], dtype=torch.float64)  # last input: the bias
        >>> targets = torch.tensor([[1.0, -1.0], [-1.0, 1.0]], dtype=torch.float64)
        >>> for _ in range(10):
        ...     pulses = net.epoch(x, targets, gen)  # one fixed pulse per weight, in the gradient's sign
        >>> net.predict(x).tolist()
        [0, 1]
    """

    def __init__(self, array: CrossbarArray, beta: float = 1.0, scheme: str = "v/2", tolerance: float = 0.0) -> None:
        require(beta > 0, f"beta={beta} must be > 0")
        require(0 <= tolerance < 1, f"tolerance={tolerance} must be in [0, 1)")
        self.array, self.beta, self.scheme, self.tolerance = array, beta, scheme, tolerance

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``tanh(beta x W)`` for inputs ``x`` [patterns, inputs]."""
        return torch.tanh(self.beta * self.array.matvec(x.to(self.array.dtype)))

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """The class of each pattern: the output with the largest value."""
        return self.forward(x).argmax(-1)

    def signs(self, x: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """``sgn(sum_n x_i(n) delta_j(n))`` for the batch [patterns, inputs] and targets [patterns, outputs] of +-1
        (0 below ``tolerance`` of the largest component)."""
        x = x.to(self.array.dtype)
        f = self.forward(x)
        delta = (targets.to(f.dtype) - f) * self.beta * (1 - f * f)
        gradient = x.t() @ delta
        small = gradient.abs() <= self.tolerance * gradient.abs().max()
        return torch.where(small, torch.zeros_like(gradient), torch.sign(gradient))

    def epoch(self, x: torch.Tensor, targets: torch.Tensor, generator: torch.Generator | None = None) -> int:
        """One batch Manhattan update from the whole training set; returns the pulses applied."""
        return self.array.pulse_signs(self.signs(x, targets), self.scheme, generator=generator)
