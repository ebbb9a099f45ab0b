"""The plastic synapses of a :class:`~memristive.spiking.simulator.SpikingNetwork`: plain weights or devices.

Both hold an ``[inputs, outputs]`` array of conductances (S) and take changes as shares of each
synapse's range, in two forms:

* event-driven: :meth:`pre_spikes` reads the rows of the inputs that spiked and changes them,
  :meth:`post_spikes` changes the columns of the neurons that fired; nothing else is touched;
* dense (the reference stepper): :meth:`advance_to` and :meth:`read` the whole array, :meth:`change` it.

:class:`DeviceSynapses` drives any pulse-driven device model through the one device interface:
a change of ``s`` (share of the window) is ``s * pulse_levels`` identical pulses (``pulse``),
rounded stochastically (unbiased), to the nearest pulse, or kept fractional. A model with
dynamics between pulses (``advance``: relaxation, leak) is advanced lazily: each synapse
remembers the step it was last brought up to date and is advanced in closed form by the time
since, when it is next read or pulsed; in a step of its exponential relaxations that equals
advancing every synapse every step, to rounding.
"""

from __future__ import annotations

import torch

from memristive.devices.base import DeviceModel, State
from memristive.errors import require

ROUNDINGS = ("stochastic", "nearest", "fractional")


class WeightSynapses:
    """Plain weights in ``[0, w_max_s]`` (S), a change of ``s`` adding ``s * w_max_s`` (clipped): the
    reference synapse of the pair rule, as in Brian2's STDP examples.

    Examples:
        >>> import torch
        >>> synapses = WeightSynapses.uniform(3, 2, 1e-9, generator=torch.Generator().manual_seed(0))
        >>> synapses.shape, bool((synapses.conductance() <= 1e-9).all())  # [inputs, outputs], within [0, w_max_s]
        (torch.Size([3, 2]), True)
    """

    def __init__(self, weights: torch.Tensor, w_max_s: float) -> None:
        require(w_max_s > 0, f"w_max_s={w_max_s} must be > 0")
        require(weights.dim() == 2, f"weights must be [inputs, outputs], got shape {tuple(weights.shape)}")
        self.w_max_s = w_max_s
        self.weights = weights.clamp(0.0, w_max_s)

    @classmethod
    def uniform(cls, inputs: int, outputs: int, w_max_s: float, *, generator: torch.Generator | None = None,
                dtype: torch.dtype = torch.float64, device: torch.device | str | None = None) -> WeightSynapses:
        """Weights drawn uniformly in ``[0, w_max_s]``."""
        return cls(w_max_s * torch.rand((inputs, outputs), generator=generator, dtype=dtype, device=device), w_max_s)

    @property
    def shape(self) -> torch.Size:
        """``[inputs, outputs]``."""
        return self.weights.shape

    def conductance(self, step: int | None = None) -> torch.Tensor:
        """Every synapse's weight, S (a copy)."""
        return self.weights.clone()

    def pre_spikes(self, rows: torch.Tensor, share: torch.Tensor | None, step: int) -> torch.Tensor:
        """The weights of ``rows`` ([k, outputs], read first), then each row changed by ``share`` ([outputs])."""
        w = self.weights.index_select(0, rows)
        if share is not None:
            self.weights.index_copy_(0, rows, (w + share * self.w_max_s).clamp_(0.0, self.w_max_s))
        return w

    def post_spikes(self, cols: torch.Tensor, share: torch.Tensor, step: int) -> None:
        """Columns ``cols`` changed by ``share`` ([inputs])."""
        w = self.weights.index_select(1, cols)
        self.weights.index_copy_(1, cols, (w + share[:, None] * self.w_max_s).clamp_(0.0, self.w_max_s))

    def advance_to(self, step: int) -> None:
        """Weights do not change between spikes."""

    def read(self) -> torch.Tensor:
        """The weights, S (no copy)."""
        return self.weights

    def change(self, share: torch.Tensor, step: int) -> None:
        """Every synapse changed by ``share`` ([inputs, outputs]; 0 leaves a synapse alone)."""
        self.weights = (self.weights + share * self.w_max_s).clamp_(0.0, self.w_max_s)


class DeviceSynapses:
    """An array of devices of one pulse-driven model as synapses (see the module docstring).

    Args:
        model: the device model (``"pulse"`` among its drives).
        state: its ``[inputs, outputs]`` state (copied: the synapses own theirs).
        rounding: how a change becomes pulses, one of :data:`ROUNDINGS`.
        generator: randomness of the rounding and the model's pulse noise.
        dt_s: the network's time step (the unit of the lazy bookkeeping), s.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> synapses = DeviceSynapses.sample(get_preset("tpt-ram-110"), 10, 3, generator=torch.Generator().manual_seed(0))
        >>> synapses.shape, tuple(synapses.conductance().shape)  # [inputs, outputs], S
        (torch.Size([10, 3]), (10, 3))
    """

    def __init__(self, model: DeviceModel, state: State, *, rounding: str = "stochastic",
                 generator: torch.Generator | None = None, dt_s: float = 1e-4) -> None:
        require("pulse" in model.drives, f"{type(model).__name__} {getattr(model, 'name', '')!r} is not driven by "
                f"identical pulses (drives: {', '.join(model.drives) or 'none'}); DeviceSynapses needs a pulse model")
        require(rounding in ROUNDINGS, f"rounding={rounding!r} must be one of {', '.join(ROUNDINGS)}")
        require(len(state.shape) == 2, f"state must be [inputs, outputs], got shape {tuple(state.shape)}")
        self.model, self.rounding, self.generator, self.dt_s = model, rounding, generator, dt_s
        self.state = state.map(torch.clone)
        self.dynamic = type(model).advance is not DeviceModel.advance
        self._flat = self.state.tensors()
        like = next(iter(self._flat.values()))
        self._last = torch.zeros(state.shape, dtype=torch.long, device=like.device) if self.dynamic else None
        self._dtype = like.dtype

    @classmethod
    def sample(cls, model: DeviceModel, inputs: int, outputs: int, *, share: tuple[float, float] = (0.0, 1.0),
               generator: torch.Generator | None = None, dtype: torch.dtype = torch.float64,
               device: torch.device | str | None = None, **kwargs) -> DeviceSynapses:
        """Fresh devices written to shares drawn uniformly in ``share`` of their windows."""
        require(0 <= share[0] <= share[1] <= 1, f"share={share} must be a range inside [0, 1]")
        state = model.sample((inputs, outputs), generator=generator, dtype=dtype, device=device)
        u = torch.rand(state.shape, generator=generator, dtype=dtype, device=device)
        state = model.program_share(state, share[0] + (share[1] - share[0]) * u, generator=generator)
        return cls(model, state, generator=generator, **kwargs)

    @property
    def shape(self) -> torch.Size:
        """``[inputs, outputs]``."""
        return self.state.shape

    def conductance(self, step: int | None = None) -> torch.Tensor:
        """Every synapse's conductance at ``step`` (default: the latest step any device was brought to), S."""
        state = self.state
        if self.dynamic:
            now = int(self._last.max()) if step is None else step
            state = self.model.advance(state, self._elapsed(now, self._last))
        return self.model.conductance(state).clone()

    def pre_spikes(self, rows: torch.Tensor, share: torch.Tensor | None, step: int) -> torch.Tensor:
        """Conductances of ``rows`` at ``step`` ([k, outputs], read first), then each row changed by ``share``."""
        old = self._take(0, rows, step)
        g = self.model.conductance(old)
        if share is not None or self.dynamic:
            self._put(0, rows, old, old if share is None else self._pulsed(old, share.expand(g.shape)))
        return g

    def post_spikes(self, cols: torch.Tensor, share: torch.Tensor, step: int) -> None:
        """Columns ``cols`` at ``step`` changed by ``share`` ([inputs])."""
        old = self._take(1, cols, step)
        self._put(1, cols, old, self._pulsed(old, share[:, None].expand(old.shape)))

    def advance_to(self, step: int) -> None:
        """Every device brought up to ``step`` (dense stepping)."""
        if self.dynamic:
            self._set(self.model.advance(self.state, self._elapsed(step, self._last)))
            self._last.fill_(step)

    def read(self) -> torch.Tensor:
        """Every conductance, S (dense stepping: the state is up to date)."""
        return self.model.conductance(self.state)

    def change(self, share: torch.Tensor, step: int) -> None:
        """Every device changed by ``share`` ([inputs, outputs]; 0 leaves a device alone)."""
        self._set(self._pulsed(self.state, share))

    def _pulsed(self, state: State, share: torch.Tensor) -> State:
        """``state`` after the pulses that change it by ``share`` of its windows."""
        n = share * self.model.pulse_levels(state)
        if self.rounding == "stochastic":
            n = torch.floor(n + torch.rand(n.shape, generator=self.generator, dtype=n.dtype, device=n.device))
        elif self.rounding == "nearest":
            n = torch.round(n)
        depressible = self.model.depressible(state)
        if depressible is not True:
            n = torch.where(depressible, n, n.clamp_min(0.0))
        return self.model.pulse(state, n, generator=self.generator)

    def _take(self, dim: int, index: torch.Tensor, step: int) -> State:
        """The devices at ``index`` along ``dim``, brought up to ``step``."""
        sub = self.state.map(lambda t: t.index_select(dim, index))
        if not self.dynamic:
            return sub
        last = self._last.index_select(dim, index)
        self._last.index_fill_(dim, index, step)
        return self.model.advance(sub, self._elapsed(step, last))

    def _put(self, dim: int, index: torch.Tensor, old: State, new: State) -> None:
        """Write ``new`` back at ``index`` along ``dim`` (dynamic models: every tensor, as ``advance`` moved them;
        otherwise only the tensors the pulses replaced)."""
        before = old.tensors()
        for key, value in new.tensors().items():
            if self.dynamic or value is not before[key]:
                self._flat[key].index_copy_(dim, index, value)

    def _elapsed(self, step: int, last: torch.Tensor) -> torch.Tensor:
        """Seconds from each ``last`` step to ``step``, in the state's dtype."""
        return (step - last).to(self._dtype) * self.dt_s

    def _set(self, state: State) -> None:
        self.state = state
        self._flat = state.tensors()
