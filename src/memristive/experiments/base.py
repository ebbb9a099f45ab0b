"""What every experiment shares: config overrides, run context, result, registry entry.

An experiment is a frozen config dataclass with two named settings, ``QUICK`` (minutes on
2 cores, the embedded data) and ``FULL`` (the paper's sizes), a ``run(config, context) ->
Result`` function, and the paper's values for its metric keys; it registers itself
(:func:`memristive.experiments.registry.register`). :mod:`memristive.experiments.runner`
executes it and writes ``result.json``.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
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
    """Where and how one run happens: seed, mode, output folder, data."""

    seed: int
    quick: bool
    out_dir: Path
    dataset: Dataset | None = None

    def generator(self, stream: int = 0) -> torch.Generator:
        """A generator seeded from the run's seed (``stream`` separates independent uses)."""
        return torch.Generator().manual_seed(self.seed * 1_000_003 + stream)

    def save_figure(self, fig: plt.Figure, name: str) -> str:
        """Write ``fig`` as ``NAME.png`` in the run folder; returns the file name."""
        filename = f"{name}.png"
        fig.savefig(self.out_dir / filename, dpi=120, bbox_inches="tight")
        plt.close(fig)
        return filename


@dataclass
class Result:
    """Measured metrics (flat, numbers) and the figure files written."""

    metrics: dict[str, float]
    figures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Experiment:
    """A registry entry: name, the work it reproduces, quick and full settings, run function and the paper's numbers.

    ``reference`` is a key of :data:`memristive.devices.references.REFERENCES`.
    ``paper(config)`` gives the published value of each metric key it knows.
    ``datasets`` is ``None`` for experiments without data, else the (quick, full)
    default dataset names.
    """

    name: str
    reference: str
    summary: str
    quick: Any
    full: Any
    run: Callable[[Any, RunContext], Result]
    paper: Callable[[Any], dict[str, float]]
    datasets: tuple[str, str] | None = None

    def config(self, quick: bool) -> Any:
        """The quick or the full settings."""
        return self.quick if quick else self.full


def decay_time_constant(t: np.ndarray, excess: np.ndarray, floor: float = 1e-3) -> float:
    """``tau`` of ``excess = A exp(-t / tau)`` by a log-linear least-squares fit over the points
    still above ``floor`` times the first one (the tail below is noise or rounding)."""
    fit = excess > floor * excess[0]
    return float(-1.0 / np.polyfit(t[fit], np.log(excess[fit]), 1)[0])


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
        return kind(value)
    except ValueError:
        raise MemristiveError(f"--set {key}={value}: not a valid {getattr(kind, '__name__', kind)}") from None


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
