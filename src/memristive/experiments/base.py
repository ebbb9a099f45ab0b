"""What every experiment shares: config overrides, run context, saved data and figures, registry entry.

An experiment is a frozen config dataclass with two named settings, ``QUICK`` (minutes on
2 cores, the embedded data) and ``FULL`` (the paper's sizes), and three functions:

* ``simulate(config, context) -> Data``: all the expensive work; ``Data`` is a flat dict of
  NumPy arrays (numbers or strings, no objects), saved as ``data.npz``;
* ``metrics(data) -> {key: float}``: the numbers, from the data alone;
* ``plot(data) -> {name: Figure}``: the figures, from the data alone,

plus the paper's claims for its metric keys (:class:`Claim`: each value and what it is, a prediction, a
calibration or an echoed setting) and ``cost(config, dataset) -> Cost``, the memory and
the number of steps a run will take, estimated before it starts; it registers itself
(:func:`memristive.experiments.registry.register`). :mod:`memristive.experiments.runner`
executes it and writes ``result.json``; ``memristive report --redraw`` redraws the figures
from ``data.npz`` without simulating again.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

from memristive.data import Dataset  # noqa: E402
from memristive.errors import MemristiveError  # noqa: E402


@dataclass(frozen=True)
class RunContext:
    """Where and how one run happens: seed, mode, output folder, data.

    Examples:
        >>> from pathlib import Path
        >>> context = RunContext(seed=3, quick=True, out_dir=Path("results"))
        >>> context.generator().initial_seed(), context.generator(stream=1).initial_seed()  # independent streams
        (3000009, 3000010)
    """

    seed: int
    quick: bool
    out_dir: Path
    dataset: Dataset | None = None

    def generator(self, stream: int = 0) -> torch.Generator:
        """A generator seeded from the run's seed (``stream`` separates independent uses)."""
        return torch.Generator().manual_seed(self.seed * 1_000_003 + stream)


Data = dict[str, np.ndarray]
"""What ``simulate`` returns and ``data.npz`` holds: names to NumPy arrays of numbers or strings."""


def save_data(data: Data, path: Path) -> None:
    """Write ``data`` as a compressed ``.npz``; a value NumPy cannot store without pickling is refused."""
    arrays = {}
    for key, value in data.items():
        array = np.asarray(value)
        if array.dtype.kind not in "biufcUS":
            raise TypeError(f"data[{key!r}] has dtype {array.dtype}; data holds numbers and strings only")
        arrays[key] = array
    np.savez_compressed(path, **arrays)


def load_data(path: Path) -> Data:
    """The arrays of a ``data.npz`` written by :func:`save_data`."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            return {key: stored[key] for key in stored.files}
    except (OSError, ValueError) as exc:
        raise MemristiveError(f"{path}: not a readable data file ({exc})") from None


def save_figures(figures: dict[str, plt.Figure], folder: Path) -> list[str]:
    """Write each figure as ``NAME.png`` in ``folder`` and close it; returns the file names."""
    names = []
    for name, fig in figures.items():
        fig.savefig(folder / f"{name}.png", dpi=120, bbox_inches="tight")
        plt.close(fig)
        names.append(f"{name}.png")
    return names


@dataclass(frozen=True)
class Cost:
    """What a run is estimated to need before it starts: its largest working memory (bytes) and its steps
    (the innermost repeated unit of its work: a time step, a training batch, a write pulse, a solve).

    Examples:
        >>> print(Cost(memory_bytes=3e8, steps=1.2e5))  # what `memristive run NAME --dry-run` prints
        ~300 MB and ~1.2e+05 steps
    """

    memory_bytes: float
    steps: float

    def __str__(self) -> str:
        return f"~{_bytes(self.memory_bytes)} and ~{self.steps:.2g} steps"


def training_cost(dataset: Dataset, n_train: int | None, hidden: tuple[int, ...], batch_size: int, epochs: int,
                  runs: int) -> Cost:
    """A network ``inputs -> hidden... -> classes`` trained ``runs`` times: ~200 bytes per weight (device
    planes, their states, gradients) plus a batch's activations; one step per batch of every epoch."""
    n = min(len(dataset.x_train), n_train or len(dataset.x_train))
    sizes = (math.prod(dataset.image_shape), *hidden, 10)
    weights = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    return Cost(memory_bytes=200 * weights + 8 * 4 * batch_size * sum(sizes), steps=runs * epochs * -(-n // batch_size))


def _bytes(count: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count:.0f} B"


CLAIM_KINDS = ("predicted", "calibrated", "input")
"""What a paper number is to the model: ``predicted`` (an output the model was not fitted to), ``calibrated`` (a
model parameter was set from it) or ``input`` (a setting of the run, echoed back)."""


@dataclass(frozen=True)
class Claim:
    """One published number for a metric key, and what it is to the model (:data:`CLAIM_KINDS`).

    ``detail``: for ``calibrated``, the parameter set from the number; for ``input``, the setting it echoes; for
    ``predicted``, optionally what the comparison assumes. A prediction agrees when ``|measured - value| <=
    tolerance`` (``absolute``) or ``<= tolerance |value|`` (relative); an ``at_least`` claim (the paper's number
    is a bound, e.g. "pruned >= baseline") agrees when ``measured >= value - tolerance``. ``comparable`` is false where the run's
    conditions are not the paper's (a quick run at a smaller size): the number is shown, not judged; so is a run
    on a dataset not in ``datasets`` (the ones the paper's number is for; ``None``: any).

    Examples:
        >>> claim = Claim(1.87, "predicted", "percentage points, MNIST", tolerance=0.5, absolute=True)
        >>> claim.agrees(2.06), claim.agrees(2.5)  # within 0.5 points of the paper's 1.87, and not
        (True, False)
        >>> Claim(0.2, "calibrated", "nu_ltp from the LTP curve").agrees(0.2) is None  # a calibration is never judged
        True
    """

    value: float
    kind: str
    detail: str = ""
    tolerance: float = 0.10
    absolute: bool = False
    comparable: bool = True
    datasets: tuple[str, ...] | None = None
    at_least: bool = False

    def __post_init__(self) -> None:
        if self.kind not in CLAIM_KINDS:
            raise ValueError(f"Claim kind {self.kind!r} is not one of {', '.join(CLAIM_KINDS)}")
        if self.kind != "predicted" and not self.detail:
            raise ValueError(f"a {self.kind} claim names its parameter or setting (detail)")
        if not (math.isfinite(self.value) and self.tolerance > 0):
            raise ValueError(f"Claim needs a finite value and a tolerance > 0, got {self.value}, {self.tolerance}")

    def judged(self, dataset: str | None = None) -> bool:
        """Whether a run on ``dataset`` is judged against this number: a comparable prediction on its data."""
        return (self.kind == "predicted" and self.comparable
                and (self.datasets is None or dataset in self.datasets))

    def agrees(self, measured: float, dataset: str | None = None) -> bool | None:
        """Whether ``measured`` is within tolerance of the paper (``None`` where it is not :meth:`judged`)."""
        if not self.judged(dataset):
            return None
        allowed = self.tolerance if self.absolute else self.tolerance * abs(self.value)
        if self.at_least:
            return bool(measured >= self.value - allowed)
        return bool(abs(measured - self.value) <= allowed)


def predicted(value: float, tolerance: float = 0.10, *, absolute: bool = False, comparable: bool = True,
              datasets: tuple[str, ...] | None = None, at_least: bool = False, detail: str = "") -> Claim:
    """A number the model was not fitted to (see :class:`Claim`)."""
    return Claim(value, "predicted", detail, tolerance, absolute, comparable, datasets, at_least)


def calibrated(value: float, parameter: str) -> Claim:
    """A number a model ``parameter`` was set from: reading it back checks the calibration, predicts nothing."""
    return Claim(value, "calibrated", parameter)


def echoed(value: float, setting: str) -> Claim:
    """A ``setting`` of the run that the paper also states (kind ``input``)."""
    return Claim(value, "input", setting)


@dataclass(frozen=True)
class Experiment:
    """A registry entry: name, the work it reproduces, quick and full settings, its three functions, the paper's numbers.

    ``reference`` is a key of :data:`memristive.devices.references.REFERENCES`.
    ``paper(config)`` gives the published :class:`Claim` of each metric key it knows.
    ``datasets`` is ``None`` for experiments without data, else the (quick, full)
    default dataset names. ``cost(config, dataset)`` estimates the run's memory and steps
    (``dataset`` is ``None`` for experiments without data). ``slow``: its quick run takes 40 s or more
    on 2 cores (``run all --jobs N`` starts the slow ones first, so the workers finish together).

    Examples:
        >>> from memristive.experiments import get_experiment
        >>> experiment = get_experiment("crossbar-slp-mnist8x8")
        >>> experiment.reference, sorted(experiment.paper(experiment.full))
        ('kim2021', ['gap_1pct'])
        >>> experiment.config(quick=True) == experiment.quick
        True
    """

    name: str
    reference: str
    summary: str
    quick: Any
    full: Any
    simulate: Callable[[Any, RunContext], Data]
    metrics: Callable[[Data], dict[str, float]]
    plot: Callable[[Data], dict[str, plt.Figure]]
    paper: Callable[[Any], dict[str, Claim]]
    cost: Callable[[Any, Dataset | None], Cost]
    datasets: tuple[str, str] | None = None
    slow: bool = False

    def config(self, quick: bool) -> Any:
        """The quick or the full settings."""
        return self.quick if quick else self.full


def decay_time_constant(t: np.ndarray, excess: np.ndarray, floor: float = 1e-3) -> float:
    """``tau`` of ``excess = A exp(-t / tau)`` by a log-linear least-squares fit over the points
    still above ``floor`` times the first one (the tail below is noise or rounding); NaN where
    there is no decay to fit (no positive excess, fewer than three points, or one that does not fall)."""
    fit = (excess > floor * excess[0]) & (excess > 0)
    if excess.size == 0 or not excess[0] > 0 or fit.sum() < 3:
        return float("nan")
    slope = np.polyfit(t[fit], np.log(excess[fit]), 1)[0]
    return float(-1.0 / slope) if slope < 0 else float("nan")


def relative_error(y: np.ndarray, reference: np.ndarray) -> float:
    """``||y - reference|| / ||reference||`` (2-norm), NaN where it is not finite (a diverged run)."""
    error = np.linalg.norm(y - reference) / np.linalg.norm(reference)
    return float(error) if np.isfinite(error) else float("nan")


def _parse(value: str, kind: Any, key: str) -> Any:
    origin = typing.get_origin(kind)
    try:
        if origin is tuple:
            (inner, *_rest) = typing.get_args(kind)
            return tuple(_parse(item.strip(), inner, key) for item in value.split(",") if item.strip())
        if kind is bool:
            lowered = value.lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return lowered in ("true", "1", "yes")
        if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
            args = [a for a in typing.get_args(kind) if a is not type(None)]
            return None if value.lower() == "none" else _parse(value, args[0], key)
        parsed = kind(value)
    except MemristiveError:  # an item of a tuple, already named
        raise
    except ValueError:
        raise MemristiveError(f"--set {key}={value}: not a valid {getattr(kind, '__name__', kind)}") from None
    if isinstance(parsed, float) and not math.isfinite(parsed):
        raise MemristiveError(f"--set {key}={value}: must be a finite number")
    return parsed


def apply_overrides(config: Any, overrides: dict[str, str]) -> Any:
    """``config`` with ``KEY=VALUE`` strings parsed to each field's type (validated)."""
    hints = typing.get_type_hints(type(config))
    known = {f.name for f in dataclasses.fields(config)}
    changes = {}
    for key, value in overrides.items():
        if key not in known:
            raise MemristiveError(f"--set {key}: unknown config key; known: {', '.join(sorted(known))}")
        changes[key] = _parse(value, hints[key], key)
    return dataclasses.replace(config, **changes)
