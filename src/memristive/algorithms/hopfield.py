"""Hopfield associative memory on a crossbar array (seed 002, section 5.3).

``N`` binary neurons ``s_i = +-1`` are coupled by a symmetric weight matrix with zero diagonal
held by a ``N x N`` :class:`~memristive.crossbar.CrossbarArray`. Patterns ``p^mu`` are stored by

* the Hebbian outer-product rule ``W = (1/N) sum_mu p^mu p^mu^T`` (Hopfield, PNAS 79, 2554, 1982),
  written ex situ (:meth:`HopfieldMemory.store`) or learnt in situ, one pulse update
  ``dW = p p^T / N`` per pattern (:meth:`HopfieldMemory.learn`; the PCM array of Eryilmaz et al.,
  Front. Neurosci. 8, 205, 2014);
* or the projection rule ``W = P^T (P P^T)^-1 P`` (Personnaz et al., J. Phys. Lett. 46, L359, 1985),
  which stores correlated patterns such as letters exactly.

Recall reads the array in both directions, so the field sees the symmetric part of what the
devices hold even when device variation makes ``W`` asymmetric:

    h = (read(s) + read^T(s)) / 2 - diag(W) s,    s_i <- sign(h_i)   (unchanged where |h_i| <= tie),

with one neuron per step in sweeps (asynchronous) or all at once (synchronous). Noise added to the
field during the first sweeps (``field_noise``, e.g. :func:`annealed` samples of a Mott oscillator:
Kumar et al., Nature 548, 318, 2017) lets the state climb out of local minima before the noise-free
sweeps settle it, as in simulated annealing. The energy
``E(s) = -1/2 s^T W_s s``, ``W_s = (W + W^T)/2 - diag(W)``, falls or stays at every asynchronous
step when the reads are exact: a flip of ``s_i`` changes it by ``-(s_i' - s_i) h_i <= 0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.crossbar import CrossbarArray
from memristive.errors import MemristiveError, require

MODES = ("async", "sync")
ORDERS = ("random", "sequential")


def _check_patterns(patterns: torch.Tensor) -> None:
    require(patterns.ndim == 2 and patterns.shape[0] >= 1, f"patterns of shape {tuple(patterns.shape)}: "
            "need [patterns, neurons] with at least one pattern")
    require(bool(((patterns == 1) | (patterns == -1)).all()), "patterns must hold +1 and -1 only")


def hebbian_weights(patterns: torch.Tensor) -> torch.Tensor:
    """``W = (1/N) sum_mu p^mu p^mu^T`` with a zero diagonal, for ``patterns`` [P, N] of +-1."""
    _check_patterns(patterns)
    w = patterns.t() @ patterns / patterns.shape[1]
    return w.fill_diagonal_(0.0)


def projection_weights(patterns: torch.Tensor) -> torch.Tensor:
    """``W = P^T (P P^T)^+ P`` with a zero diagonal: every (linearly independent) pattern is a fixed point."""
    _check_patterns(patterns)
    w = patterns.t() @ torch.linalg.pinv(patterns @ patterns.t()) @ patterns
    return w.fill_diagonal_(0.0)


RULES = {"hebbian": hebbian_weights, "projection": projection_weights}


def corrupt(patterns: torch.Tensor, share: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """Copies of ``patterns`` [P, N] with ``round(share N)`` randomly chosen neurons of each flipped."""
    require(0 <= share <= 1, f"share={share} must be in [0, 1]")
    flips = round(share * patterns.shape[-1])
    keys = torch.rand(patterns.shape, generator=generator, dtype=torch.float64, device=patterns.device)
    chosen = keys.argsort(dim=-1)[..., :flips]
    sign = torch.ones_like(patterns).scatter_(-1, chosen, -1.0)
    return patterns * sign


def overlap(states: torch.Tensor, patterns: torch.Tensor) -> torch.Tensor:
    """``m = s . p / N`` of each state with its pattern (1: recalled exactly)."""
    return (states * patterns).sum(-1) / patterns.shape[-1]


@dataclass(frozen=True)
class Recall:
    """What :meth:`HopfieldMemory.recall` returns: final ``states`` [batch, N], the ``sweeps`` run, and
    whether every state reached a fixed point (``converged``).

    Examples:
        >>> import torch
        >>> from memristive.algorithms.hopfield import HopfieldMemory, corrupt, overlap
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> gen = torch.Generator().manual_seed(0)
        >>> patterns = torch.where(torch.rand(3, 32, generator=gen, dtype=torch.float64) < 0.5, -1.0, 1.0)
        >>> memory = HopfieldMemory(CrossbarArray(32, 32, get_preset("taox-hfox").ideal(), WeightMapping(w_max=0.1),
        ...                                       generator=gen, dtype=torch.float64))
        >>> _ = memory.store(patterns)  # Hebbian weights, written ex situ
        >>> recall = memory.recall(corrupt(patterns, 0.1, gen), generator=gen)
        >>> recall.converged, overlap(recall.states, patterns).tolist()  # the stored patterns come back
        (True, [1.0, 1.0, 1.0])
    """

    states: torch.Tensor
    sweeps: int
    converged: bool


class HopfieldMemory:
    """A Hopfield network whose ``N x N`` weights live in ``array`` (module docstring).

    Args:
        array: a square :class:`~memristive.crossbar.CrossbarArray` (any device model, mapping, solver).
        tie: fields with ``|h| <= tie`` leave the neuron as it is (exact zeros of even pattern sums).

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> memory = HopfieldMemory(CrossbarArray(16, 16, get_preset("taox-hfox").ideal(), WeightMapping(w_max=0.1),
        ...                                       generator=torch.Generator().manual_seed(0), dtype=torch.float64))
        >>> pattern = torch.tensor([[1.0, -1.0] * 8], dtype=torch.float64)
        >>> _ = memory.store(pattern)
        >>> probe = pattern.clone()
        >>> probe[0, :4] *= -1  # four neurons flipped
        >>> bool(memory.energy(pattern) < memory.energy(probe))  # a stored pattern is an energy minimum
        True
    """

    def __init__(self, array: CrossbarArray, tie: float = 1e-9) -> None:
        require(array.rows == array.cols, f"a Hopfield network needs a square array, got {array.rows} x {array.cols}")
        require(tie >= 0, f"tie={tie} must be >= 0")
        self.array, self.tie = array, tie

    @property
    def neurons(self) -> int:
        """``N``: the array's rows."""
        return self.array.rows

    def _check_states(self, s: torch.Tensor) -> None:
        require(s.shape[-1] == self.neurons, f"states of {s.shape[-1]} neurons for a network of {self.neurons}")

    def store(self, patterns: torch.Tensor, rule: str = "hebbian", *, import_error: float = 0.0,
              generator: torch.Generator | None = None) -> torch.Tensor:
        """Write the weights of ``rule`` for ``patterns`` [P, N] (ex situ, :meth:`CrossbarArray.program`);
        returns the float weights."""
        require(rule in RULES, f"rule={rule!r} must be one of {tuple(RULES)}")
        self._check_states(patterns)
        w = RULES[rule](patterns.to(self.array.dtype))
        self.program(w, import_error=import_error, generator=generator)
        return w

    def program(self, weights: torch.Tensor, *, import_error: float = 0.0,
                generator: torch.Generator | None = None) -> None:
        """Write given weights [N, N] ex situ (e.g. an optimisation problem's, :func:`.maxcut.maxcut_weights`)."""
        require(tuple(weights.shape) == (self.neurons, self.neurons),
                f"weights of shape {tuple(weights.shape)} for a network of {self.neurons} neurons")
        self.array.program(weights.to(self.array.dtype), import_error=import_error, generator=generator)

    def learn(self, patterns: torch.Tensor, generator: torch.Generator | None = None) -> int:
        """In-situ Hebbian learning: the weights are set to zero, then each pattern adds ``p p^T / N``
        (zero diagonal) by pulses (:meth:`CrossbarArray.update`); returns the pulses applied."""
        _check_patterns(patterns)
        self._check_states(patterns)
        array = self.array
        array.program(torch.zeros(array.rows, array.cols, dtype=array.dtype, device=patterns.device))
        pulses = 0
        for p in patterns.to(array.dtype):
            pulses += array.update(torch.outer(p, p).fill_diagonal_(0.0) / self.neurons, generator)
        return pulses

    def _diagonal(self) -> torch.Tensor:
        return torch.diagonal(self.array.weights())

    def field(self, s: torch.Tensor) -> torch.Tensor:
        """``h = (read(s) + read^T(s)) / 2 - diag(W) s`` for states ``s`` [..., N]."""
        self._check_states(s)
        s = s.to(self.array.dtype)
        return 0.5 * (self.array.matvec(s) + self.array.matvec(s, transposed=True)) - self._diagonal() * s

    def energy(self, s: torch.Tensor) -> torch.Tensor:
        """``E = -1/2 s^T W_s s`` of states ``s`` [..., N] for the weights the devices hold, ``[...]``."""
        self._check_states(s)
        w = self.array.weights()
        w = 0.5 * (w + w.t())
        w = w - torch.diag(torch.diagonal(w))
        s = s.to(w.dtype)
        return -0.5 * ((s @ w) * s).sum(-1)

    def _sign(self, h: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        return torch.where(h.abs() <= self.tie, s, torch.sign(h))

    def update_neuron(self, s: torch.Tensor, i: int, noise: torch.Tensor | None = None) -> torch.Tensor:
        """States ``s`` [..., N] after neuron ``i`` of each takes the sign of its field plus ``noise`` [...]
        (one array read)."""
        s = s.to(self.array.dtype)
        h = self.field(s)[..., i]
        if noise is not None:
            h = h + noise
        out = s.clone()
        out[..., i] = self._sign(h, s[..., i])
        return out

    def recall(self, probes: torch.Tensor, mode: str = "async", *, order: str = "random", max_sweeps: int = 20,
               field_noise: torch.Tensor | None = None, generator: torch.Generator | None = None) -> Recall:
        """Run probes [batch, N] of +-1 until no neuron changes in a noise-free sweep (or ``max_sweeps``).

        ``mode="async"``: one neuron at a time, in a fresh random (or sequential) order every sweep;
        ``"sync"``: every neuron at once per sweep. ``field_noise`` [noisy sweeps, batch, N] is added to the
        fields of the first sweeps (``max_sweeps`` must exceed their count, so noise-free sweeps follow).
        """
        require(mode in MODES, f"mode={mode!r} must be one of {MODES}")
        require(order in ORDERS, f"order={order!r} must be one of {ORDERS}")
        require(isinstance(max_sweeps, int) and max_sweeps >= 1, f"max_sweeps={max_sweeps} must be an integer >= 1")
        _check_patterns(probes.reshape(-1, probes.shape[-1]))
        self._check_states(probes)
        noisy = 0 if field_noise is None else field_noise.shape[0]
        if field_noise is not None:
            require(field_noise.shape[1:] == probes.shape, f"field_noise of shape {tuple(field_noise.shape)}: need "
                                                           f"[sweeps, {', '.join(map(str, probes.shape))}]")
            require(noisy < max_sweeps, f"max_sweeps={max_sweeps} must exceed the {noisy} noisy sweeps")
        s = probes.to(self.array.dtype)
        for sweep in range(1, max_sweeps + 1):
            before = s
            noise = field_noise[sweep - 1].to(s.dtype) if sweep <= noisy else None
            if mode == "sync":
                h = self.field(s)
                s = self._sign(h if noise is None else h + noise, s)
            else:
                n = self.neurons
                where = generator.device if generator is not None else None
                steps = torch.randperm(n, generator=generator, device=where) if order == "random" else torch.arange(n)
                for i in steps.tolist():
                    s = self.update_neuron(s, i, None if noise is None else noise[..., i])
            if sweep > noisy and torch.equal(s, before):
                return Recall(s, sweep, True)
        return Recall(s, max_sweeps, False)


def annealed(noise: torch.Tensor, amplitude: float) -> torch.Tensor:
    """``noise`` [sweeps, ...] scaled by a linear annealing schedule, ``amplitude (1 - k / sweeps)`` at sweep ``k``
    (from ``amplitude`` down towards zero)."""
    require(amplitude >= 0, f"amplitude={amplitude} must be >= 0")
    sweeps = noise.shape[0]
    schedule = amplitude * (1 - torch.arange(sweeps, dtype=noise.dtype, device=noise.device) / sweeps)
    return noise * schedule.reshape(-1, *([1] * (noise.ndim - 1)))


def recall_rate(final: torch.Tensor, patterns: torch.Tensor, threshold: float) -> float:
    """Share of final states whose overlap with their pattern is at least ``threshold``."""
    if not 0 < threshold <= 1:
        raise MemristiveError(f"threshold={threshold} must be in (0, 1]")
    return float((overlap(final, patterns) >= threshold).double().mean())
