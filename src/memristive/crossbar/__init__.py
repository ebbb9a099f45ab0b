"""Arrays of devices: ideal and circuit-level VMM, weight mapping, periphery (DAC/ADC), tiling."""

from memristive.crossbar.circuit import CircuitSolution, PassiveCrossbar, SinhIV
from memristive.crossbar.mapping import DifferentialMapping
from memristive.crossbar.periphery import Periphery, quantize
from memristive.crossbar.vmm import tiled_vmm, vmm

__all__ = [
    "CircuitSolution",
    "DifferentialMapping",
    "PassiveCrossbar",
    "Periphery",
    "SinhIV",
    "quantize",
    "tiled_vmm",
    "vmm",
]
