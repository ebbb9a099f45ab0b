"""K-means clustering with the centroids in a crossbar array and the ``|W|^2`` row (seed 002, section 6).

Jeong et al. (Nano Lett. 18, 4447, 2018): the array has ``d + 1`` rows and ``K`` columns; column
``n`` holds centroid ``W_n`` in the first ``d`` rows and ``-|W_n|^2 / 2`` in the extra row. Driving
the rows with ``(U, 1)`` reads

    y_n = U . W_n - |W_n|^2 / 2 = (|U|^2 - |U - W_n|^2) / 2,

so the column with the largest output is the nearest centroid (``|U|^2`` is common to all of them)
without normalising the weights. The extra row may be driven at ``c`` instead of 1 and hold
``-|W_n|^2 / (2 c)``, so that it fits the same weight range as the centroids (``c = d / 2`` for
features in [0, 1]). Lloyd's algorithm (MacQueen 1967; Lloyd 1982): assign every point
by one read, move each centroid to the mean of its points (a cluster left empty keeps its
centroid), write the new matrix back, until no assignment changes (iterations count the
assignment passes, as scikit-learn's ``n_iter_``). Write-back is ``"program"`` (the targets
written directly, with an optional relative programming error), ``"write_verify"`` (tuned by
write-verify pulses, voltage-driven models) or ``"pulses"`` (``rounds`` update rounds, each
sending the difference between the targets and what the devices then hold as update pulses: a
pulse-level write-verify that absorbs the devices' nonlinearity).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.crossbar import CrossbarArray, WriteVerify
from memristive.errors import require

WRITES = ("program", "write_verify", "pulses")


def distance_matrix(centroids: torch.Tensor, bias_input: float = 1.0) -> torch.Tensor:
    """The ``[d + 1, K]`` matrix of centroids ``[K, d]``: ``W_n`` in a column above ``-|W_n|^2 / (2 c)``,
    ``c = bias_input`` (the extra row's input)."""
    return torch.cat([centroids.t(), -0.5 / bias_input * centroids.square().sum(1, keepdim=True).t()])


@dataclass(frozen=True)
class Clustering:
    """What :meth:`CrossbarKMeans.fit` returns: the ``labels`` [points], the ``centroids`` [K, d] the devices
    hold, the Lloyd ``iterations`` run, and whether the assignments stopped changing (``converged``).

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> gen = torch.Generator().manual_seed(0)
        >>> x = torch.cat([0.2 + 0.05 * torch.randn(20, 2, generator=gen), 0.8 + 0.05 * torch.randn(20, 2, generator=gen)]).double()
        >>> kmeans = CrossbarKMeans(CrossbarArray(3, 2, get_preset("taox-hfox").ideal(), WeightMapping(w_max=1.0),
        ...                                       generator=gen, dtype=torch.float64))
        >>> result = kmeans.fit(x, init=x[[0, 39]])
        >>> result.labels[:20].unique().tolist(), result.labels[20:].unique().tolist()  # the two blobs found
        ([0], [1])
    """

    labels: torch.Tensor
    centroids: torch.Tensor
    iterations: int
    converged: bool


class CrossbarKMeans:
    """K-means whose ``K`` centroids of dimension ``d`` live in a ``(d + 1) x K`` ``array`` (module docstring).

    Args:
        array: the :class:`~memristive.crossbar.CrossbarArray`; its mapping's ``w_max`` must cover the
            centroids and ``|W|^2 / 2`` (larger values are clipped by the mapping).
        write: ``"program"``, ``"write_verify"`` or ``"pulses"``.
        import_error: relative programming error of ``"program"`` writes.
        verify: the write-verify settings of ``"write_verify"`` writes (default: ``WriteVerify()``).
        bias_input: ``c``, the input of the ``|W|^2`` row (> 0).
        rounds: update rounds of ``"pulses"`` writes (>= 1).
        generator: random draws of the writes.

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> kmeans = CrossbarKMeans(CrossbarArray(3, 2, get_preset("taox-hfox").ideal(), WeightMapping(w_max=1.0),
        ...                                       generator=torch.Generator().manual_seed(0), dtype=torch.float64))
        >>> kmeans.set_centroids(torch.tensor([[0.2, 0.2], [0.8, 0.8]], dtype=torch.float64))
        >>> kmeans.assign(torch.tensor([[0.1, 0.3], [0.9, 0.7]], dtype=torch.float64)).tolist()  # nearest centroid, read in one VMM
        [0, 1]
    """

    def __init__(self, array: CrossbarArray, write: str = "program", *, import_error: float = 0.0,
                 verify: WriteVerify | None = None, bias_input: float = 1.0, rounds: int = 3,
                 generator: torch.Generator | None = None) -> None:
        require(array.rows >= 2, f"an array of {array.rows} rows has no room for a feature and the |W|^2 row")
        require(write in WRITES, f"write={write!r} must be one of {WRITES}")
        self.array, self.write, self.import_error, self.generator = array, write, import_error, generator
        require(bias_input > 0, f"bias_input={bias_input} must be > 0")
        require(isinstance(rounds, int) and rounds >= 1, f"rounds={rounds} must be an integer >= 1")
        self.verify, self.bias_input, self.rounds = verify, bias_input, rounds

    @property
    def clusters(self) -> int:
        """``K``: the array's columns."""
        return self.array.cols

    @property
    def features(self) -> int:
        """``d``: the array's rows less the ``|W|^2`` row."""
        return self.array.rows - 1

    def _check(self, x: torch.Tensor, what: str) -> None:
        require(x.ndim == 2 and x.shape[1] == self.features,
                f"{what} of shape {tuple(x.shape)}: need [n, {self.features}] for an array of {self.array.rows} rows")

    def set_centroids(self, centroids: torch.Tensor) -> None:
        """Write ``centroids`` [K, d] (and their ``|W|^2`` row) into the array."""
        self._check(centroids, "centroids")
        require(centroids.shape[0] == self.clusters, f"{centroids.shape[0]} centroids for an array of "
                f"{self.clusters} columns")
        target = distance_matrix(centroids.to(self.array.dtype), self.bias_input)
        if self.write == "program":
            self.array.program(target, import_error=self.import_error, generator=self.generator)
        elif self.write == "write_verify":
            self.array.program(target, "write_verify", verify=self.verify)
        else:
            for _ in range(self.rounds):
                self.array.update(target - self.array.weights(), self.generator)

    def centroids(self) -> torch.Tensor:
        """The centroids the devices hold, ``[K, d]``."""
        return self.array.weights()[:-1].t()

    def assign(self, x: torch.Tensor) -> torch.Tensor:
        """The nearest centroid of every point of ``x`` [n, d]: the largest column of one read of ``(x, c)``."""
        self._check(x, "points")
        x = x.to(self.array.dtype)
        drive = torch.cat([x, torch.full((x.shape[0], 1), self.bias_input, dtype=x.dtype, device=x.device)], dim=1)
        return self.array.matvec(drive).argmax(dim=1)

    def fit(self, x: torch.Tensor, init: torch.Tensor, max_iter: int = 300) -> Clustering:
        """Lloyd iterations from centroids ``init`` [K, d] on points ``x`` [n, d] (at most ``max_iter``
        assignment passes)."""
        self._check(x, "points")
        require(isinstance(max_iter, int) and max_iter >= 1, f"max_iter={max_iter} must be an integer >= 1")
        require(x.shape[0] >= self.clusters, f"{x.shape[0]} points for {self.clusters} clusters")
        x = x.to(self.array.dtype)
        self.set_centroids(init)
        labels = self.assign(x)
        for iteration in range(2, max_iter + 1):
            one_hot = torch.nn.functional.one_hot(labels, self.clusters).to(x.dtype)
            counts = one_hot.sum(0)
            means = (one_hot.t() @ x) / counts.clamp_min(1)[:, None]
            target = torch.where(counts[:, None] > 0, means, self.centroids())
            self.set_centroids(target)
            new = self.assign(x)
            if torch.equal(new, labels):
                return Clustering(new, self.centroids(), iteration, True)
            labels = new
        return Clustering(labels, self.centroids(), max_iter, False)
