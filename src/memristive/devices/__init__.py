"""One synapse: state, pulse response, variation, presets (lowest layer)."""

from memristive.devices.lookup import LookupPulseDevice
from memristive.devices.nonlinearity import inverse_shape, label_from_curve, max_deviation, shape
from memristive.devices.presets import PRESETS, get_preset
from memristive.devices.protocol import PulseDevice
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.devices.quantized import QuantizedConductanceDevice, QuantizedState
from memristive.devices.state import DeviceState

__all__ = [
    "PRESETS",
    "DeviceState",
    "LookupPulseDevice",
    "NonlinearPulseDevice",
    "PulseDevice",
    "QuantizedConductanceDevice",
    "QuantizedState",
    "get_preset",
    "inverse_shape",
    "label_from_curve",
    "max_deviation",
    "shape",
]
