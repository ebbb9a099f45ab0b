"""Pruning by dual-mode synapses (seed 000, Fig. 5): a linear layer on diffusive/nonvolatile pairs.

Each weight (and the bias, an extra row) is a differential pair of
:class:`~memristive.devices.dual_mode.DualModeDevice` devices,
``w = w_max (s+ - s-)``, where ``s`` is each device's position in the window of its present
mode (diffusive or formed). Pristine pairs start with small random volatile states;
training applies set pulses to the device on the side of each update (3 V / 10 ms while
diffusive, 1 V / 1 us once formed; formed devices are also depressed for the other sign),
and every set pulse on a diffusive device drives its formation. In a rest stage
(:meth:`DualModeLinear.rest`) devices that formed keep their state, and the rest relax to
the HRS: a pair whose devices are both diffusive decays to ``w = 0`` exactly (pruned).
As in seed 000, devices relax only in rest stages, not between training steps.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from memristive.devices.dual_mode import DualModeDevice, DualModeState
from memristive.errors import MemristiveError
from memristive.nn.linear import array_layout, stochastic_round, write_array_layout

PRUNED_BELOW = 1e-6
"""|w| below which a weight counts as pruned (seed 000)."""


class DualModeLinear(nn.Module):
    """Linear layer on differential pairs of dual-mode devices (rows: inputs, then bias)."""

    def __init__(self, in_features: int, out_features: int, device: DualModeDevice, w_max: float = 1.0) -> None:
        super().__init__()
        if in_features < 1 or out_features < 1:
            raise MemristiveError(f"layer sizes must be >= 1, got {in_features} x {out_features}")
        if not device.forming_keeps_state:
            raise MemristiveError("pruning needs a DualModeDevice with forming_keeps_state=True")
        self.in_features, self.out_features = in_features, out_features
        self.device_model, self.w_max = device, w_max
        self.weight = nn.Parameter(torch.zeros(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features))
        self.pos: DualModeState | None = None
        self.neg: DualModeState | None = None

    def reset_parameters(self, generator: torch.Generator | None = None) -> None:
        """Fresh pristine devices, programmed (volatile) to weights U(-1/sqrt(in), 1/sqrt(in))."""
        shape = (self.in_features + 1, self.out_features)
        dev = self.device_model
        self.pos, self.neg = dev.sample(shape, generator), dev.sample(shape, generator)
        bound = min(self.w_max, 1.0 / math.sqrt(self.in_features))
        w = (torch.rand(shape, generator=generator, dtype=torch.float64) * 2 - 1) * bound
        w[-1] = 0.0
        for state, share in ((self.pos, w.clamp_min(0)), (self.neg, (-w).clamp_min(0))):
            v = state.volatile
            state.volatile = v.with_g(v.g_min + share / self.w_max * (v.g_max - v.g_min))
        self.sync()

    def sync(self) -> None:
        """Refresh ``weight`` / ``bias`` from the devices."""
        dev = self.device_model
        matrix = self.w_max * (dev.weight_share(self.pos) - dev.weight_share(self.neg))
        write_array_layout(matrix, self.weight, self.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b`` with the weights the devices hold."""
        return nn.functional.linear(x, self.weight, self.bias)

    def _levels(self, state: DualModeState) -> torch.Tensor:
        dev = self.device_model
        return torch.where(state.formed, float(dev.nonvolatile.levels), float(dev.diffusive.levels))

    @torch.no_grad()
    def apply_gradient_pulses(self, lr: float, generator: torch.Generator | None = None) -> int:
        """Pulses for ``dw = -lr dL/dW``: set pulses on the device of dw's sign, ``n = round_s(|dw| levels / w_max)``.

        A diffusive device cannot be depressed by pulses (it falls back only by relaxing),
        so every update potentiates the pair's device on the side of ``dw``; where the
        other device has formed, it is also depressed by as many pulses (push-pull), and
        each device then moves half the step.
        """
        delta = -lr * array_layout(self.weight.grad, self.bias.grad).to(torch.float64)
        both = self.pos.formed & self.neg.formed
        share = torch.where(both, 0.5, 1.0)
        up_pos = stochastic_round(delta.clamp_min(0) * share * self._levels(self.pos) / self.w_max, generator)
        up_neg = stochastic_round((-delta).clamp_min(0) * share * self._levels(self.neg) / self.w_max, generator)
        n_pos = up_pos - torch.where(self.pos.formed, up_neg, 0.0)
        n_neg = up_neg - torch.where(self.neg.formed, up_pos, 0.0)
        self.pos = self.device_model.apply_pulses(self.pos, n_pos, generator)
        self.neg = self.device_model.apply_pulses(self.neg, n_neg, generator)
        self.sync()
        return int(n_pos.abs().sum() + n_neg.abs().sum())

    def rest(self, seconds: float) -> None:
        """A rest stage: no learning; diffusive devices relax, formed ones stay."""
        self.pos = self.device_model.relax(self.pos, seconds)
        self.neg = self.device_model.relax(self.neg, seconds)
        self.sync()

    def pruned_share(self) -> float:
        """Share of weights (bias excluded) with |w| < 1e-6."""
        return float((self.weight.abs() < PRUNED_BELOW).double().mean())

    def conductances(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(G+, G-) of every pair, [rows, cols] in S."""
        return self.device_model.read(self.pos), self.device_model.read(self.neg)
