"""Neural-network layers on crossbars, their optimiser and training (ex-situ, in-situ, Manhattan rule,
two-significance PCM + 3T1C weights)."""

from memristive.crossbar.pulses import PulseRounder, stochastic_round
from memristive.nn.conv import MemristiveConv2d
from memristive.nn.convert import convert_to_memristive, init_devices, memristive_layers
from memristive.nn.layer import MemristiveLayer
from memristive.nn.linear import MemristiveLinear
from memristive.nn.manhattan import ManhattanPerceptron
from memristive.nn.mlp import MemristiveMLP
from memristive.nn.optim import PulseSGD, learns_by_pulses
from memristive.nn.power import network_read_power
from memristive.nn.significance import TwoSignificanceLinear
from memristive.nn.training import TrainingHistory, accuracy, train

__all__ = [
    "ManhattanPerceptron",
    "MemristiveConv2d",
    "MemristiveLayer",
    "MemristiveLinear",
    "MemristiveMLP",
    "PulseRounder",
    "PulseSGD",
    "TrainingHistory",
    "TwoSignificanceLinear",
    "accuracy",
    "convert_to_memristive",
    "init_devices",
    "learns_by_pulses",
    "memristive_layers",
    "network_read_power",
    "stochastic_round",
    "train",
]
