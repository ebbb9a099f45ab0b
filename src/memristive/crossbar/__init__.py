"""Arrays of devices: VMM, weight mapping, periphery (DAC/ADC) and tiling."""

from memristive.crossbar.mapping import DifferentialMapping
from memristive.crossbar.periphery import Periphery, quantize
from memristive.crossbar.vmm import tiled_vmm, vmm

__all__ = ["DifferentialMapping", "Periphery", "quantize", "tiled_vmm", "vmm"]
