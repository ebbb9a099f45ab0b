"""Arrays of devices: the ``CrossbarArray``, ideal and circuit-level VMM, cell types (0T1R, 1S1R, 1T1R),
sneak-path reads, programming, weight mappings, periphery and pulse rounding."""

from memristive.crossbar.array import CrossbarArray, Wiring, WritePulse
from memristive.crossbar.cells import PASSIVE, Cell, ExponentialSelector, ThresholdSelector, Transistor
from memristive.crossbar.circuit import CircuitSolution, Ohmic, PassiveCrossbar, SinhIV
from memristive.crossbar.mapping import WeightMapping
from memristive.crossbar.partition import ArrayPartition
from memristive.crossbar.periphery import Periphery, quantize
from memristive.crossbar.programming import BIAS_SCHEMES, TuningReport, WriteVerify, bias_voltages, write_verify
from memristive.crossbar.pulses import PulseRounder, UpdateVerify, stochastic_round
from memristive.crossbar.sneak import READ_SCHEMES, read_current, read_error
from memristive.crossbar.vmm import tiled_vmm, vmm

__all__ = [
    "ArrayPartition",
    "BIAS_SCHEMES",
    "PASSIVE",
    "READ_SCHEMES",
    "Cell",
    "CircuitSolution",
    "CrossbarArray",
    "ExponentialSelector",
    "Ohmic",
    "PassiveCrossbar",
    "Periphery",
    "PulseRounder",
    "SinhIV",
    "ThresholdSelector",
    "Transistor",
    "TuningReport",
    "UpdateVerify",
    "WeightMapping",
    "Wiring",
    "WritePulse",
    "WriteVerify",
    "bias_voltages",
    "quantize",
    "read_current",
    "read_error",
    "stochastic_round",
    "tiled_vmm",
    "vmm",
    "write_verify",
]
