"""Arrays of devices: the ``CrossbarArray``, ideal and circuit-level VMM, sneak-path reads, programming,
weight mappings, periphery and pulse rounding."""

from memristive.crossbar.array import CrossbarArray, Wiring, WritePulse
from memristive.crossbar.circuit import CircuitSolution, PassiveCrossbar, SinhIV
from memristive.crossbar.mapping import WeightMapping
from memristive.crossbar.periphery import Periphery, quantize
from memristive.crossbar.programming import BIAS_SCHEMES, TuningReport, WriteVerify, bias_voltages, write_verify
from memristive.crossbar.pulses import PulseRounder, stochastic_round
from memristive.crossbar.sneak import READ_SCHEMES, read_current, read_error
from memristive.crossbar.vmm import tiled_vmm, vmm

__all__ = [
    "BIAS_SCHEMES",
    "READ_SCHEMES",
    "CircuitSolution",
    "CrossbarArray",
    "PassiveCrossbar",
    "Periphery",
    "PulseRounder",
    "SinhIV",
    "TuningReport",
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
