"""Pruning by dual-mode synapses (seed 000, Fig. 5): linear and convolution layers on diffusive/nonvolatile pairs.

Each weight (and the bias, an extra row) is a differential pair of
:class:`~memristive.devices.dual_mode.DualModeDevice` devices,
``w = w_max (s+ - s-)``, where ``s`` is each device's position in the window of its present
mode (diffusive or formed). A convolution is mapped to crossbar columns as usual: one
column per output channel, one row per (input channel, kernel position), so its array
is ``[C_in k k + 1, C_out]`` and every patch is one read of it.

Pristine pairs start with small random volatile states; training applies set pulses to
the device on the side of each update (3 V / 10 ms while diffusive, 1 V / 1 us once
formed; formed devices are also depressed for the other sign), and every set pulse on a
diffusive device drives its formation. When one device of a pair forms, the pair is
stabilised whole: the periphery forms its partner with one large pulse and writes both to
the balanced nonvolatile pair holding the present weight (our choice: a lone formed
device next to a decaying partner would sit at the bottom of its window, where its
depression is weak, and the network learned 4 points worse). Volatile devices relax towards the HRS for
``step_s`` after every update (the device's ~1 s memory; seed 000 lets them relax only in
rest stages, ``step_s = 0``). In a rest stage (:meth:`DualModePairs.rest`) formed pairs
keep their state, and the others relax to the HRS: their weight decays to ``w = 0``
exactly (pruned).

The baseline of "conventional nonvolatile synapses" is the same layer with every device
formed from the start (``reset_parameters(formed=True)``), pairs balanced around the
middle of the nonvolatile window.
"""

from __future__ import annotations

import math
from dataclasses import replace

import torch
from torch import nn

from memristive.devices.dual_mode import DualModeDevice, DualModeState
from memristive.errors import MemristiveError
from memristive.crossbar import PulseRounder
from memristive.nn.layer import array_layout, write_array_layout
from memristive.nn.optim import learns_by_pulses

PRUNED_BELOW = 1e-6
"""|w| below which a weight counts as pruned (seed 000)."""


class DualModePairs(nn.Module):
    """Weights ``[out, *fan]`` and bias ``[out]`` on dual-mode pairs; the array is ``[fan + 1, out]``.

    Args:
        weight_shape: ``(out, ...)``; the fan-in is the product of the rest.
        device: a :class:`DualModeDevice` with ``forming_keeps_state=True``.
        w_max: weight that a full window (``s = 1``) represents.
        step_s: time one training step lasts (volatile devices relax for it), s.
        rounding, max_pulses: how updates become whole pulses, and the most one update gives
            a device (:class:`~memristive.nn.linear.PulseRounder`).
    """

    def __init__(self, weight_shape: tuple[int, ...], device: DualModeDevice, w_max: float = 1.0,
                 step_s: float = 0.0, rounding: str = "stochastic", max_pulses: int | None = None) -> None:
        super().__init__()
        if min(weight_shape) < 1:
            raise MemristiveError(f"layer sizes must be >= 1, got {weight_shape}")
        if not device.forming_keeps_state:
            raise MemristiveError("pruning needs a DualModeDevice with forming_keeps_state=True")
        if w_max <= 0 or step_s < 0:
            raise MemristiveError(f"need w_max > 0 and step_s >= 0, got w_max={w_max}, step_s={step_s}")
        self.device_model, self.w_max, self.step_s = device, w_max, step_s
        self.rounder = PulseRounder(rounding, max_pulses)
        self.weight = nn.Parameter(torch.zeros(weight_shape))
        self.bias = nn.Parameter(torch.zeros(weight_shape[0]))
        learns_by_pulses(self, self.weight, self.bias)
        self.pos: DualModeState | None = None
        self.neg: DualModeState | None = None

    @property
    def fan_in(self) -> int:
        """Inputs per output (array rows, bias excluded)."""
        return self.weight[0].numel()

    def reset_parameters(self, generator: torch.Generator | None = None, formed: bool = False) -> None:
        """Fresh devices holding weights U(-1/sqrt(fan_in), 1/sqrt(fan_in)), zero bias.

        ``formed=False``: pristine (diffusive) pairs, the weight on the device of its sign.
        ``formed=True``: every device formed (conventional nonvolatile synapses), the pair
        balanced about mid-window, ``s+- = (1 +- w / w_max) / 2``.
        """
        shape = (self.fan_in + 1, self.weight.shape[0])
        dev = self.device_model
        self.pos, self.neg = dev.sample(shape, generator=generator, dtype=torch.float64), dev.sample(shape, generator=generator, dtype=torch.float64)
        self.rounder.reset()
        bound = min(self.w_max, 1.0 / math.sqrt(self.fan_in))
        w = (torch.rand(shape, generator=generator, dtype=torch.float64) * 2 - 1) * bound
        w[-1] = 0.0
        if formed:
            everywhere = torch.ones(shape, dtype=torch.bool)
            self.pos = dev.form(self.pos, everywhere, (1 + w / self.w_max) / 2)
            self.neg = dev.form(self.neg, everywhere, (1 - w / self.w_max) / 2)
        else:
            def holding(state: DualModeState, share: torch.Tensor) -> DualModeState:
                v = state.volatile
                return replace(state, volatile=v.with_g(v.g_min + share / self.w_max * (v.g_max - v.g_min)))

            self.pos, self.neg = holding(self.pos, w.clamp_min(0)), holding(self.neg, (-w).clamp_min(0))
        self.sync()

    def _require_devices(self) -> None:
        if self.pos is None:
            raise MemristiveError("the layer has no devices yet: call reset_parameters() first")

    def sync(self) -> None:
        """Refresh ``weight`` / ``bias`` from the devices."""
        self._require_devices()
        dev = self.device_model
        matrix = self.w_max * (dev.weight_share(self.pos) - dev.weight_share(self.neg))
        write_array_layout(matrix, self.weight.view(self.weight.shape[0], -1), self.bias)

    def _levels(self, state: DualModeState) -> torch.Tensor:
        dev = self.device_model
        return torch.where(state.formed, float(dev.nonvolatile.levels), float(dev.diffusive.levels))

    @torch.no_grad()
    def apply_gradient_pulses(self, lr: float, generator: torch.Generator | None = None) -> int:
        """Pulses for ``dw = -lr dL/dW``: set pulses on the device of dw's sign, ``n ~ |dw| levels / w_max``
        (rounded by the layer's :class:`~memristive.nn.linear.PulseRounder`).

        A diffusive device cannot be depressed by pulses (it falls back only by relaxing),
        so every update potentiates the pair's device on the side of ``dw``; where the
        other device has formed, it is also depressed by as many pulses (push-pull), and
        each device then moves half the step. Then ``step_s`` of relaxation passes.
        """
        self._require_devices()
        grad = self.weight.grad.reshape(self.weight.shape[0], -1)
        delta = -lr * array_layout(grad, self.bias.grad).to(torch.float64)
        both = self.pos.formed & self.neg.formed  # pairs are stabilised whole: both devices share one mode
        n = self.rounder(delta, self.w_max / (torch.where(both, 0.5, 1.0) * self._levels(self.pos)), generator)
        up_pos, up_neg = n.clamp_min(0), (-n).clamp_min(0)
        n_pos = up_pos - torch.where(self.pos.formed, up_neg, 0.0)
        n_neg = up_neg - torch.where(self.neg.formed, up_pos, 0.0)
        self.pos = self.device_model.pulse(self.pos, n_pos, generator=generator)
        self.neg = self.device_model.pulse(self.neg, n_neg, generator=generator)
        self._stabilise_pairs()
        if self.step_s > 0:
            self.pos = self.device_model.advance(self.pos, self.step_s)
            self.neg = self.device_model.advance(self.neg, self.step_s)
        self.sync()
        return int(n_pos.abs().sum() + n_neg.abs().sum())

    def _stabilise_pairs(self) -> None:
        """A pair with one device just formed is stabilised whole: its partner is formed too (one
        ~4 V pulse) and both are written to the balanced pair holding the present weight,
        ``s+- = (1 +- w / w_max) / 2``."""
        lone = self.pos.formed ^ self.neg.formed
        if bool(lone.any()):
            dev = self.device_model
            w = dev.weight_share(self.pos) - dev.weight_share(self.neg)
            self.pos, self.neg = dev.form(self.pos, lone, (1 + w) / 2), dev.form(self.neg, lone, (1 - w) / 2)

    def rest(self, seconds: float) -> None:
        """A rest stage: no learning; diffusive devices relax, formed ones stay."""
        self._require_devices()
        self.pos = self.device_model.advance(self.pos, seconds)
        self.neg = self.device_model.advance(self.neg, seconds)
        self.sync()

    def pruned_share(self) -> float:
        """Share of weights (bias excluded) with |w| < 1e-6."""
        return float((self.weight.abs() < PRUNED_BELOW).double().mean())

    def formed_share(self) -> float:
        """Share of pairs (bias excluded) with at least one formed device."""
        self._require_devices()
        return float((self.pos.formed | self.neg.formed)[:-1].double().mean())

    def conductances(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(G+, G-) of every pair, [rows, cols] in S."""
        self._require_devices()
        return self.device_model.conductance(self.pos), self.device_model.conductance(self.neg)

    def _row_power(self, x_squared: torch.Tensor, g_rows: torch.Tensor) -> torch.Tensor:
        """``sum_rows x^2 G`` per sample over every array read; ``g_rows`` is ``[rows, cols]``, its
        last row the bias row, driven at ``x = 1``."""
        raise NotImplementedError

    @torch.no_grad()
    def synaptic_power(self, x: torch.Tensor) -> torch.Tensor:
        """Power in the array's devices for inputs ``x``, ``P = sum V_in^2 (G+ + G-)`` per sample, W.

        Inputs drive rows at ``V = v_read x`` (seed 000's ``P = V_in^2 G``); the bias row at
        ``v_read``. A convolution sums over every patch it reads.
        """
        pos, neg = self.conductances()
        g = (pos + neg).to(x.dtype)
        v2 = self.device_model.nonvolatile.read_v ** 2
        return v2 * self._row_power(x.square(), g)


class DualModeLinear(DualModePairs):
    """Linear layer on dual-mode pairs (rows: inputs, then bias)."""

    def __init__(self, in_features: int, out_features: int, device: DualModeDevice, w_max: float = 1.0,
                 step_s: float = 0.0, rounding: str = "stochastic", max_pulses: int | None = None) -> None:
        super().__init__((out_features, in_features), device, w_max, step_s, rounding, max_pulses)
        self.in_features, self.out_features = in_features, out_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b`` with the weights the devices hold."""
        return nn.functional.linear(x, self.weight, self.bias)

    def _row_power(self, x_squared: torch.Tensor, g_rows: torch.Tensor) -> torch.Tensor:
        return x_squared @ g_rows[:-1].sum(1) + g_rows[-1].sum()


class DualModeConv2d(DualModePairs):
    """2-D convolution on dual-mode pairs: one array column per output channel, one row per patch element."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, device: DualModeDevice,
                 w_max: float = 1.0, step_s: float = 0.0, rounding: str = "stochastic",
                 max_pulses: int | None = None) -> None:
        super().__init__((out_channels, in_channels, kernel_size, kernel_size), device, w_max, step_s, rounding,
                         max_pulses)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Valid (unpadded, stride 1) convolution with the weights the devices hold."""
        return nn.functional.conv2d(x, self.weight, self.bias)

    def _row_power(self, x_squared: torch.Tensor, g_rows: torch.Tensor) -> torch.Tensor:
        kernel = g_rows[:-1].sum(1).reshape(1, *self.weight.shape[1:])
        per_patch = nn.functional.conv2d(x_squared, kernel)
        return per_patch.flatten(1).sum(1) + g_rows[-1].sum() * per_patch[0].numel()


@torch.no_grad()
def network_power(model: nn.Module, x: torch.Tensor) -> float:
    """Mean synaptic power per inference of every :class:`DualModePairs` layer of ``model`` on ``x``, W."""
    layers = [m for m in model.modules() if isinstance(m, DualModePairs)]
    total = torch.zeros((), dtype=torch.float64)

    def add(layer: DualModePairs, inputs: tuple[torch.Tensor, ...]) -> None:
        nonlocal total
        total = total + layer.synaptic_power(inputs[0].double()).sum()

    handles = [layer.register_forward_pre_hook(add) for layer in layers]
    try:
        model.eval()
        model(x)
    finally:
        for handle in handles:
            handle.remove()
    return float(total) / len(x)
