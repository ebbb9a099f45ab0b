"""``MemristiveLinear``: an ``nn.Linear`` drop-in whose weights live on a crossbar.

Each weight (and the bias, an extra row driven at full input) is a differential
pair of devices. The forward pass in hardware mode is

    V = DAC(v_read [x, 1]),   I = sum_tiles ADC(V (G+ - G-)),   y = w_max I / (v_read (Gmax - Gmin))

so the output is in weight units and ``y = x W^T + b`` for ideal periphery.

Training modes:

* **ex-situ**: train in float (``hardware = False``), then :meth:`program` writes the
  weights into sampled devices with a relative import error and switches to hardware.
* **in-situ**: :meth:`init_devices` places the initial weights on sampled devices;
  each step, autograd gives ``dL/dW`` through the hardware forward, and
  :meth:`apply_gradient_pulses` turns ``-lr dL/dW`` into pulse counts applied by the
  device model (push-pull: ``+n`` pulses on G+, ``-n`` on G-), so nonlinearity,
  asymmetry, limited levels, bounds and c2c noise all act on learning. How a
  fractional count becomes whole pulses is a :class:`PulseRounder`.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from memristive.crossbar import DifferentialMapping, Periphery, tiled_vmm
from memristive.devices import PulseDevice
from memristive.errors import MemristiveError

ROUNDINGS = ("stochastic", "nearest", "accumulate")


def stochastic_round(x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """Round to an integer neighbour with probability given by the distance (unbiased)."""
    floor = torch.floor(x)
    return floor + (torch.rand(x.shape, generator=generator, dtype=x.dtype, device=x.device) < x - floor)


def check_rounding(rounding: str) -> str:
    """``rounding`` if it names a :class:`PulseRounder` mode, else a :class:`MemristiveError` saying which are known."""
    if rounding not in ROUNDINGS:
        raise MemristiveError(f"rounding={rounding!r} must be one of {ROUNDINGS}")
    return rounding


def check_pulse_budget(max_pulses: int | None) -> int | None:
    """``max_pulses`` if it is ``None`` or an integer >= 1, else a :class:`MemristiveError`."""
    if max_pulses is not None and (not isinstance(max_pulses, int) or max_pulses < 1):
        raise MemristiveError(f"max_pulses={max_pulses} must be an integer >= 1 (or None for no budget)")
    return max_pulses


class PulseRounder(nn.Module):
    """Whole pulses for a weight update ``dw`` and the weight one pulse moves, ``n ~ dw / dw_pulse``.

    ``rounding``:

    * ``"stochastic"``: ``n = round_s(dw / dw_pulse)``, unbiased; small updates still move
      weights on average, and every update's noise reaches the devices as pulses.
    * ``"nearest"``: ``n = round(dw / dw_pulse)``; updates under half a pulse are lost.
    * ``"accumulate"``: mixed precision (Nandakumar et al., Front. Neurosci. 14, 406 (2020)):
      a digital accumulator ``chi`` per weight collects updates, ``chi <- chi + dw``;
      ``n = trunc(chi / dw_pulse)`` pulses are applied and ``chi <- chi - n dw_pulse`` is
      kept. Nothing is lost, and updates of alternating sign cancel before they cost a pulse.

    The accumulator is held in weight units, so a change of ``dw_pulse`` (a device that
    changes mode) keeps its meaning; :meth:`reset` empties it when fresh devices are placed.

    ``max_pulses`` is the pulse budget of one update (the pulses its write window holds, as
    the bit length of a stochastic pulse train bounds an update): ``|n| <= max_pulses``. With
    ``"accumulate"`` the excess waits in the accumulator for later updates; otherwise it is
    dropped. ``None``: no budget.
    """

    def __init__(self, rounding: str = "stochastic", max_pulses: int | None = None) -> None:
        super().__init__()
        self.rounding = check_rounding(rounding)
        self.max_pulses = check_pulse_budget(max_pulses)
        self.register_buffer("carry", None, persistent=False)

    def reset(self) -> None:
        """Forget the accumulated remainders (new devices, nothing pending)."""
        self.carry = None

    def forward(self, update: torch.Tensor, per_pulse: torch.Tensor | float,
                generator: torch.Generator | None = None) -> torch.Tensor:
        """Signed whole pulses for ``update`` (weight units), ``per_pulse`` the weight one pulse moves."""
        if self.rounding == "accumulate":
            total = update if self.carry is None else update + self.carry
            n = self._within_budget(torch.trunc(total / per_pulse))
            self.carry = total - n * per_pulse
            return n
        pulses = update / per_pulse
        n = stochastic_round(pulses, generator) if self.rounding == "stochastic" else pulses.round()
        return self._within_budget(n)

    def _within_budget(self, n: torch.Tensor) -> torch.Tensor:
        return n if self.max_pulses is None else n.clamp(-self.max_pulses, self.max_pulses)

    def extra_repr(self) -> str:
        budget = "" if self.max_pulses is None else f", max_pulses={self.max_pulses}"
        return f"rounding={self.rounding!r}{budget}"


def array_layout(weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """A layer's ``weight`` [out, in] and ``bias`` [out] as the array holds them: [in (+1), out]."""
    return torch.cat([weight.t()] + ([bias.unsqueeze(0)] if bias is not None else []), dim=0)


@torch.no_grad()
def write_array_layout(matrix: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
    """Copy an array-layout ``matrix`` back into ``weight`` and ``bias`` (inverse of :func:`array_layout`)."""
    weight.copy_(matrix[: weight.shape[1]].t())
    if bias is not None:
        bias.copy_(matrix[weight.shape[1]])


class MemristiveLinear(nn.Module):
    """Linear layer on a differential-pair crossbar of ``device`` models.

    Args:
        in_features, out_features, bias: as in ``torch.nn.Linear``.
        device: the device model (a preset, or any :class:`~memristive.devices.PulseDevice`).
        periphery: DAC/ADC settings; ``v_read`` defaults to the device's read voltage.
        tile_rows: rows per physical array (``None``: one array holds the matrix).
        w_max: weight that a full-range conductance difference represents.
        rounding: how in-situ updates become whole pulses (:class:`PulseRounder`):
            ``"stochastic"`` (unbiased), ``"nearest"`` (updates under half a pulse are lost,
            as in a plain quantized update) or ``"accumulate"`` (mixed precision).
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        device: PulseDevice,
        bias: bool = True,
        periphery: Periphery | None = None,
        tile_rows: int | None = None,
        w_max: float = 1.0,
        rounding: str = "stochastic",
    ) -> None:
        super().__init__()
        if in_features < 1 or out_features < 1:
            raise MemristiveError(f"layer sizes must be >= 1, got {in_features} x {out_features}")
        self.rounder = PulseRounder(rounding)
        self.in_features, self.out_features = in_features, out_features
        self.device_model = device
        self.periphery = periphery or Periphery(v_read=device.read_v)
        self.tile_rows = tile_rows
        self.w_max = w_max
        bound = min(w_max, 1.0 / math.sqrt(in_features))
        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None
        self.hardware = False
        self.mapping: DifferentialMapping | None = None
        self.pos = None  # device states of G+ and G- (the model's state type)
        self.neg = None

    def reset_parameters(self, generator: torch.Generator | None = None) -> None:
        """Uniform(-1/sqrt(in), 1/sqrt(in)) weights (clipped to w_max), zero bias."""
        bound = min(self.w_max, 1.0 / math.sqrt(self.in_features))
        with torch.no_grad():
            self.weight.copy_(torch.rand(self.weight.shape, generator=generator) * 2 * bound - bound)
            if self.bias is not None:
                self.bias.zero_()

    def _place(self, scheme: str, import_error: float, generator: torch.Generator | None) -> None:
        if not 0 <= import_error < 1:
            raise MemristiveError(f"import_error={import_error} must be a share in [0, 1)")
        dev = self.device_model
        self.mapping = DifferentialMapping(dev.g_min_s, dev.g_max_s, self.w_max, scheme)
        matrix = array_layout(self.weight, self.bias).detach()
        states = []
        for target in self.mapping.to_conductances(matrix):
            state = dev.sample(tuple(matrix.shape), generator, dtype=matrix.dtype, device=matrix.device)
            if import_error:
                u = torch.rand(target.shape, generator=generator, dtype=target.dtype, device=target.device)
                target = target * (1 + import_error * (2 * u - 1))
            states.append(dev.program(state, target, generator))
        self.pos, self.neg = states
        self.rounder.reset()
        self.hardware = True
        self.sync()

    def program(self, import_error: float = 0.0, generator: torch.Generator | None = None) -> None:
        """Ex-situ: write the float weights into devices, each within ``target (1 +- e)``.

        Every device's conductance is drawn uniformly in ``target * [1 - e, 1 + e]``
        (seed 003's import-error model) and clipped to its own range; one-sided pairs.
        """
        self._place("one-sided", import_error, generator)

    def init_devices(self, generator: torch.Generator | None = None) -> None:
        """In-situ: place the present weights on fresh devices as balanced pairs."""
        self._place("balanced", 0.0, generator)

    def sync(self) -> None:
        """Refresh the ``weight``/``bias`` parameters from the device conductances."""
        if self.pos is None or self.mapping is None:
            raise MemristiveError("the layer has no devices yet: call program() or init_devices() first")
        write_array_layout(self.mapping.to_weights(self.pos.g, self.neg.g), self.weight, self.bias)

    def conductances(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(G+, G-) of the array, [rows, cols] in S (rows: inputs then the bias row)."""
        if self.pos is None:
            raise MemristiveError("the layer has no devices yet: call program() or init_devices() first")
        return self.pos.g, self.neg.g

    @torch.no_grad()
    def apply_gradient_pulses(self, lr: float, generator: torch.Generator | None = None) -> int:
        """In-situ update: pulses ``n = round(-lr dL/dW / (2 w_max / levels))`` by the layer's
        :class:`PulseRounder`; returns pulses used."""
        if not self.hardware or self.pos is None:
            raise MemristiveError("in-situ updates need devices: call init_devices() first")
        delta_w = -lr * array_layout(self.weight.grad, self.bias.grad if self.bias is not None else None)
        weight_per_pulse = 2 * self.w_max / self.device_model.levels
        n = self.rounder(delta_w, weight_per_pulse, generator)
        self.pos = self.device_model.apply_pulses(self.pos, n, generator)
        self.neg = self.device_model.apply_pulses(self.neg, -n, generator)
        self.sync()
        return int(2 * n.abs().sum().item())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b``, through the array and its periphery in hardware mode."""
        if not self.hardware:
            return nn.functional.linear(x, self.weight, self.bias)
        ones = [torch.ones(*x.shape[:-1], 1, dtype=x.dtype, device=x.device)] if self.bias is not None else []
        voltage = self.periphery.drive(torch.cat([x, *ones], dim=-1))
        g_range = self.device_model.g_max_s - self.device_model.g_min_s
        g_diff = array_layout(self.weight, self.bias) * (g_range / self.w_max)
        current = tiled_vmm(voltage, g_diff, self.periphery, self.tile_rows)
        return current * (self.w_max / (self.periphery.v_read * g_range))

    def _apply(self, fn, recurse: bool = True):
        super()._apply(fn, recurse)
        if self.pos is not None:
            self.pos, self.neg = self.pos.map(fn), self.neg.map(fn)
        return self

    def extra_repr(self) -> str:
        mode = "hardware" if self.hardware else "float"
        return f"{self.in_features}, {self.out_features}, device={self.device_model.name}, mode={mode}"
