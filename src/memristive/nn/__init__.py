"""Neural-network layers on crossbars and their training (ex-situ, in-situ)."""

from memristive.nn.linear import MemristiveLinear, stochastic_round
from memristive.nn.mlp import MemristiveMLP
from memristive.nn.training import TrainingHistory, accuracy, train

__all__ = ["MemristiveLinear", "MemristiveMLP", "TrainingHistory", "accuracy", "stochastic_round", "train"]
