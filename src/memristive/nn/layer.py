"""What every layer on a crossbar shares: weights held by a :class:`~memristive.crossbar.CrossbarArray`.

A layer's weight ``[out, *fan]`` and bias ``[out]`` live on an array of ``fan + 1`` rows
(the inputs, then a bias row driven at full input) and ``out`` columns. The forward pass in
hardware mode is

    V = DAC(read_v [x, 1]),   I = sum_tiles ADC(V (G+ - G-)),   y = w_max I / (read_v (Gmax - Gmin))

so the output is in weight units and ``y = x W^T + b`` for ideal periphery. With
``solver="circuit"`` (or bit-sliced weights) the array's own read gives ``I`` (IR drop,
per-slice ADC and shift-and-add); the backward pass is then the ideal one of the weights the
devices hold (``dL/dx = dL/dy W``, ``dL/dW = x^T dL/dy``), as an array's transposed read
would give it. With the ideal solver the forward is computed from the ``weight`` and
``bias`` parameters, which always equal the weights the devices hold (:meth:`sync`).

Training modes:

* **ex-situ**: train in float (no array yet), then :meth:`program` writes the weights into
  fresh devices with a relative import error and switches to hardware;
* **in-situ**: :meth:`init_devices` places the present weights on fresh devices as balanced
  pairs; then each optimiser step (:class:`~memristive.nn.optim.PulseSGD`) turns
  ``-lr dL/dW`` into pulses through the array (:meth:`apply_gradient_pulses`).

Device states are part of ``state_dict()``, so a trained hardware network is saved and
restored exactly.
"""

from __future__ import annotations

import math
from dataclasses import replace

import torch
from torch import nn

from memristive.crossbar import (ArrayPartition, CrossbarArray, Periphery, UpdateVerify, WeightMapping, Wiring,
                                  WritePulse, tiled_vmm)
from memristive.devices import DeviceModel
from memristive.errors import MemristiveError
from memristive.nn.optim import learns_by_pulses


def array_layout(weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """A layer's ``weight`` [out, in] and ``bias`` [out] as the array holds them: [in (+1), out]."""
    return torch.cat([weight.t()] + ([bias.unsqueeze(0)] if bias is not None else []), dim=0)


@torch.no_grad()
def write_array_layout(matrix: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
    """Copy an array-layout ``matrix`` back into ``weight`` and ``bias`` (inverse of :func:`array_layout`)."""
    weight.copy_(matrix[: weight.shape[1]].t())
    if bias is not None:
        bias.copy_(matrix[weight.shape[1]])


class _ArrayRead(torch.autograd.Function):
    """``y = read(V) w_max / (read_v R)`` through the array; backward: the ideal VMM of ``matrix``."""

    @staticmethod
    def forward(ctx, voltage: torch.Tensor, matrix: torch.Tensor, layer: MemristiveLayer) -> torch.Tensor:
        ctx.save_for_backward(voltage, matrix)
        ctx.read_v = layer.periphery.read_v
        return layer.array.read(voltage) * (layer.w_max / (ctx.read_v * layer.g_range))

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        voltage, matrix = ctx.saved_tensors
        grad_voltage = grad @ matrix.t() / ctx.read_v
        grad_matrix = voltage.reshape(-1, voltage.shape[-1]).t() @ grad.reshape(-1, grad.shape[-1]) / ctx.read_v
        return grad_voltage, grad_matrix, None


class MemristiveLayer(nn.Module):
    """Weights ``[out, *fan]`` (+ bias) on a crossbar array of ``model`` devices; subclasses give the forward.

    Args:
        weight_shape: ``(out, ...)``; the fan-in is the product of the rest.
        model: the device model (any :class:`~memristive.devices.DeviceModel`, e.g. a preset).
        bias: whether the layer has a bias (an extra array row).
        periphery: DAC/ADC settings; ``read_v`` defaults to the model's read voltage.
        tile_rows: rows per physical array (``None``: one array holds the matrix).
        w_max: weight that a full-range conductance difference represents.
        mapping: copies and bit slices per weight (:class:`~memristive.crossbar.WeightMapping`; a pair's
            scheme is set by the placement, ``"reference"`` is kept, ``w_max`` is set by ``w_max``).
        rounding: how in-situ updates become whole pulses
            (:class:`~memristive.crossbar.PulseRounder`).
        max_pulses: the most pulses one update applies per device (``None``: no limit).
        update_dt: time one update step lasts, s (the devices relax for it after every update).
        solver: ``"ideal"`` or ``"circuit"`` reads.
        wiring: the circuit's wires (``solver="circuit"``).
        write_pulse: the update pulse of a voltage-driven model.
        potentiate_every: potentiate on every k-th update only (the multi-memristive arbitration's
            counters; :meth:`~memristive.crossbar.CrossbarArray.update`).
        depress_every: depress on every k-th update only.
        verify: write-verify in-situ updates (:class:`~memristive.crossbar.UpdateVerify`); ``None``: blind pulses.
        device: where the parameters (and later the devices) live, as in ``torch.nn``.
        dtype: the parameters' dtype, as in ``torch.nn``.
        device_dtype: the dtype the device states are simulated in (default: the parameters' dtype); e.g.
            float64 devices under float32 parameters, where slow decays would reach float32's denormals.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> from memristive.nn import MemristiveLinear
        >>> layer = MemristiveLinear(4, 2, get_preset("tpt-ram-110"))  # a MemristiveLayer
        >>> layer.hardware, layer.fan_in
        (False, 4)
        >>> layer.init_devices(torch.Generator().manual_seed(0))
        >>> layer.hardware, tuple(layer.conductances().shape)  # [planes, rows (inputs + bias), cols]
        (True, (2, 5, 2))
    """

    def __init__(self, weight_shape: tuple[int, ...], model: DeviceModel, bias: bool = True, *,
                 periphery: Periphery | None = None, tile_rows: int | None = None, w_max: float = 1.0,
                 mapping: WeightMapping | None = None, rounding: str = "stochastic", max_pulses: int | None = None,
                 update_dt: float = 0.0, solver: str = "ideal", wiring: Wiring | None = None,
                 write_pulse: WritePulse | None = None, potentiate_every: int = 1, depress_every: int = 1,
                 verify: UpdateVerify | None = None, device: torch.device | str | None = None, dtype: torch.dtype | None = None,
                 device_dtype: torch.dtype | None = None) -> None:
        super().__init__()
        if min(weight_shape) < 1:
            raise MemristiveError(f"layer sizes must be >= 1, got {tuple(weight_shape)}")
        if not w_max > 0:
            raise MemristiveError(f"w_max={w_max} must be > 0")
        self.model, self.w_max = model, w_max
        self.periphery = periphery or Periphery(read_v=model.read_v)
        self.mapping = replace(mapping or WeightMapping(), w_max=w_max)
        self.array_options = {"tile_rows": tile_rows, "rounding": rounding, "max_pulses": max_pulses,
                              "update_dt": update_dt, "solver": solver, "wiring": wiring, "write_pulse": write_pulse,
                              "potentiate_every": potentiate_every, "depress_every": depress_every,
                              "verify": verify}
        CrossbarArray.check_options(**self.array_options)
        factory = {"device": device, "dtype": dtype}
        self.weight = nn.Parameter(torch.empty(weight_shape, **factory))
        with torch.no_grad():
            self.weight.uniform_(-self._init_bound, self._init_bound)
        self.bias = nn.Parameter(torch.zeros(weight_shape[0], **factory)) if bias else None
        self.device_dtype = device_dtype
        self.array: CrossbarArray | None = None
        learns_by_pulses(self, self.weight, self.bias)

    @property
    def fan_in(self) -> int:
        """Inputs per output (array rows, bias excluded)."""
        return self.weight[0].numel()

    @property
    def _init_bound(self) -> float:
        """Initial weights are uniform in +-min(w_max, 1 / sqrt(fan_in))."""
        return min(self.w_max, 1.0 / math.sqrt(self.fan_in))

    @property
    def hardware(self) -> bool:
        """Whether the weights live on devices (after :meth:`program` or :meth:`init_devices`)."""
        return self.array is not None

    @property
    def g_range(self) -> float:
        """The model's nominal window Gmax - Gmin, S."""
        return self.model.g_max - self.model.g_min

    def reset_parameters(self, generator: torch.Generator | None = None) -> None:
        """Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights (clipped to w_max), zero bias."""
        bound = self._init_bound
        with torch.no_grad():
            device = generator.device if generator is not None else self.weight.device
            w = torch.rand(self.weight.shape, generator=generator, dtype=self.weight.dtype, device=device)
            self.weight.copy_(w * 2 * bound - bound)
            if self.bias is not None:
                self.bias.zero_()

    def _matrix(self) -> torch.Tensor:
        return array_layout(self.weight.reshape(self.weight.shape[0], -1), self.bias)

    def _new_array(self, scheme: str, weights: torch.Tensor | None = None, import_error: float = 0.0,
                   generator: torch.Generator | None = None) -> CrossbarArray:
        rows, cols = self.fan_in + (self.bias is not None), self.weight.shape[0]
        if self.mapping.scheme == "reference":  # no pair: one placement
            scheme = "reference"
        return CrossbarArray(rows, cols, self.model, replace(self.mapping, scheme=scheme), self.periphery,
                             **self.array_options, weights=weights, import_error=import_error, generator=generator,
                             device=self.weight.device, dtype=self.device_dtype or self.weight.dtype)

    def _place(self, scheme: str, import_error: float, generator: torch.Generator | None) -> None:
        self.array = self._new_array(scheme, self._matrix().detach().to(self.device_dtype or self.weight.dtype),
                                     import_error, generator)
        self.sync()

    def program(self, import_error: float = 0.0, generator: torch.Generator | None = None) -> None:
        """Ex-situ: write the float weights into fresh devices, each within ``target (1 +- e)``.

        Every device's conductance is drawn uniformly in ``target * [1 - e, 1 + e]``
        (seed 003's import-error model) and clipped to its own range; one-sided pairs.
        """
        self._place("one-sided", import_error, generator)

    def init_devices(self, generator: torch.Generator | None = None) -> None:
        """In-situ: place the present weights on fresh devices as balanced pairs."""
        self._place("balanced", 0.0, generator)

    def place(self, partition: ArrayPartition) -> None:
        """In-situ on part of a shared array: write the present weights (inputs, then the bias row, by outputs)
        into ``partition`` (:class:`~memristive.crossbar.partition.ArrayPartition`, of this layer's model and
        ``w_max``) and read and update through it from now on. The shared array is not part of this layer's
        ``state_dict`` (save it where it is made)."""
        rows, cols = self.fan_in + (self.bias is not None), self.weight.shape[0]
        if partition.shape != (rows, cols):
            raise MemristiveError(f"a {partition.shape[0]} x {partition.shape[1]} partition for a layer of {rows} "
                                  f"rows (inputs{' + bias' if self.bias is not None else ''}) x {cols} outputs")
        if partition.model != self.model or partition.mapping.w_max != self.w_max:
            raise MemristiveError(f"the partition's array holds {partition.model.name!r} at w_max "
                                  f"{partition.mapping.w_max:g}; this layer needs {self.model.name!r} at {self.w_max:g}")
        partition.program(self._matrix().detach().to(partition.dtype))
        self.array = partition
        self.sync()

    def _require_array(self) -> CrossbarArray:
        if self.array is None:
            raise MemristiveError("the layer has no devices yet: call program() or init_devices() first")
        return self.array

    def sync(self) -> None:
        """Refresh the ``weight``/``bias`` parameters from the device conductances."""
        write_array_layout(self._require_array().weights(), self.weight.view(self.weight.shape[0], -1), self.bias)

    def conductances(self) -> torch.Tensor:
        """Conductance of every device, ``[planes, rows, cols]`` in S (rows: inputs then the bias row)."""
        return self._require_array().conductances()

    @torch.no_grad()
    def apply_gradient_pulses(self, lr: float, generator: torch.Generator | None = None) -> int:
        """In-situ update: ``-lr dL/dW`` as pulses through the array (:meth:`CrossbarArray.update`);
        returns the pulses used."""
        if self.array is None:
            raise MemristiveError("in-situ updates need devices: call init_devices() first")
        grad = self.weight.grad.reshape(self.weight.shape[0], -1)
        delta = -lr * array_layout(grad, self.bias.grad if self.bias is not None else None).to(self.array.dtype)
        pulses = self.array.update(delta, generator)
        self.sync()
        return pulses

    @torch.no_grad()
    def advance(self, dt: float) -> None:
        """Let ``dt`` seconds pass on the devices (relaxation, drift; a rest stage) and refresh the weights."""
        self._require_array().advance(dt)
        self.sync()

    @torch.no_grad()
    def read_power(self, x: torch.Tensor) -> torch.Tensor:
        """Power in the array's devices for inputs ``x``, ``P = sum V_in^2 G`` over every read and every
        device of each row, per sample, W: inputs drive rows at ``V = read_v x`` (seed 000's ``P = V_in^2 G``),
        the bias row at ``read_v``; a convolution sums over every patch it reads."""
        per_row = self.conductances().sum(dim=(0, 2)).to(x.dtype)
        rows = per_row[: self.fan_in]
        bias_row = per_row[self.fan_in] if self.bias is not None else torch.zeros((), dtype=x.dtype, device=x.device)
        return self.periphery.read_v ** 2 * self._row_power(x.square(), rows, bias_row)

    def _row_power(self, x_squared: torch.Tensor, rows: torch.Tensor, bias_row: torch.Tensor) -> torch.Tensor:
        """``sum_reads (x^2 . rows + bias_row)`` per sample (``rows``: summed conductance of each input row)."""
        raise NotImplementedError

    def _array_forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x W^T + b`` for inputs ``x`` [..., fan_in] through the array and its periphery."""
        ones = [torch.ones(*x.shape[:-1], 1, dtype=x.dtype, device=x.device)] if self.bias is not None else []
        voltage = self.periphery.drive(torch.cat([x, *ones], dim=-1))
        matrix = self._matrix()
        if self.array.solver == "ideal" and self.mapping.slices == 1:
            current = tiled_vmm(voltage, matrix * (self.g_range / self.w_max), self.periphery,
                                self.array.tile_rows)
            return current * (self.w_max / (self.periphery.read_v * self.g_range))
        return _ArrayRead.apply(voltage, matrix, self)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        if self.array is None and any(key.startswith(prefix + "array.") for key in state_dict):
            self.array = self._new_array("one-sided")  # devices to load the saved states into
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)

    def extra_repr(self) -> str:
        mode = "hardware" if self.hardware else "float"
        return f"model={self.model.name}, mode={mode}"
