"""One module per reproduced figure or table, a registry, and the runner."""

from memristive.experiments.base import Data, Experiment, RunContext
from memristive.experiments.registry import EXPERIMENTS, get_experiment
from memristive.experiments.runner import run_experiment

__all__ = ["EXPERIMENTS", "Data", "Experiment", "RunContext", "get_experiment", "run_experiment"]
