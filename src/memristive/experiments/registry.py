"""The experiments that ``memristive run`` knows, by name: every module of this package registers its own.

An experiment module ends with ``EXPERIMENT = register(Experiment(...))``; importing the package
imports every module in it (:func:`pkgutil.iter_modules`), so a new module needs no other edit.
"""

from __future__ import annotations

import importlib
import pkgutil

from memristive.errors import MemristiveError
from memristive.experiments.base import Experiment

EXPERIMENTS: dict[str, Experiment] = {}


def register(experiment: Experiment) -> Experiment:
    """Add ``experiment`` to :data:`EXPERIMENTS` (names are unique); returns it."""
    if experiment.name in EXPERIMENTS:
        raise RuntimeError(f"two experiments are called {experiment.name!r}")
    EXPERIMENTS[experiment.name] = experiment
    return experiment


def get_experiment(name: str) -> Experiment:
    """The experiment called ``name``; a clear error lists the known names otherwise."""
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise MemristiveError(f"unknown experiment {name!r}; known: {', '.join(EXPERIMENTS)}") from None


def _import_every_module() -> None:
    package = importlib.import_module("memristive.experiments")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"memristive.experiments.{info.name}")


_import_every_module()
