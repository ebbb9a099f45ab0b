"""One synapse: state, pulse response, variation, conduction, presets (lowest layer).

Every model implements :class:`DeviceModel` (``sample``, ``program``, ``pulse`` or
``apply_voltage``, ``advance``, ``conductance``, ``current``); :data:`PRESETS` holds every
named preset of every family.
"""

from memristive.devices.analog import AnalogPulseModel, PulseModel
from memristive.devices.base import DeviceModel, PulseTrain, UnsupportedDrive
from memristive.devices.binary import BinaryState, BinaryStochasticDevice
from memristive.devices.dual_mode import DualModeDevice, DualModeState
from memristive.devices.lookup import LookupPulseDevice
from memristive.devices.mott import MottMemristor, MottState
from memristive.devices.pcm import PCMDevice, PCMState
from memristive.devices.nonlinearity import inverse_shape, label_from_curve, max_deviation, shape
from memristive.devices.presets import PRESETS, get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.devices.quantized import QuantizedConductanceDevice, QuantizedState
from memristive.devices.references import REFERENCES, cite
from memristive.devices.state import DeviceState, TensorState
from memristive.devices.threshold_model import ThresholdState, ThresholdSwitchingDevice
from memristive.devices.tunnel_junction import JunctionState, TunnelJunctionSynapse

__all__ = [
    "PRESETS",
    "REFERENCES",
    "AnalogPulseModel",
    "BinaryState",
    "BinaryStochasticDevice",
    "DeviceModel",
    "DeviceState",
    "DualModeDevice",
    "DualModeState",
    "JunctionState",
    "LookupPulseDevice",
    "MottMemristor",
    "MottState",
    "NonlinearPulseDevice",
    "PCMDevice",
    "PCMState",
    "PulseModel",
    "PulseTrain",
    "QuantizedConductanceDevice",
    "QuantizedState",
    "TensorState",
    "ThresholdState",
    "ThresholdSwitchingDevice",
    "TunnelJunctionSynapse",
    "UnsupportedDrive",
    "cite",
    "get_preset",
    "inverse_shape",
    "label_from_curve",
    "max_deviation",
    "shape",
]
