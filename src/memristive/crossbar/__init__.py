"""Arrays of devices: ideal and circuit-level VMM, sneak-path reads, programming, mapping, periphery."""

from memristive.crossbar.circuit import CircuitSolution, PassiveCrossbar, SinhIV
from memristive.crossbar.mapping import DifferentialMapping
from memristive.crossbar.periphery import Periphery, quantize
from memristive.crossbar.programming import BIAS_SCHEMES, TuningReport, WriteVerify, bias_voltages, write_verify
from memristive.crossbar.sneak import READ_SCHEMES, read_current, read_error
from memristive.crossbar.vmm import tiled_vmm, vmm

__all__ = [
    "BIAS_SCHEMES",
    "READ_SCHEMES",
    "CircuitSolution",
    "DifferentialMapping",
    "PassiveCrossbar",
    "Periphery",
    "SinhIV",
    "TuningReport",
    "WriteVerify",
    "bias_voltages",
    "quantize",
    "read_current",
    "read_error",
    "tiled_vmm",
    "vmm",
    "write_verify",
]
