"""Spiking layer: pulse waveforms, short-term plasticity (EPSC, PPF, PTP), STDP, energy per spike,
switch-and-capacitor LIF neurons and a competitive STDP network."""

from memristive.spiking.network import CompetitiveNetwork, NetworkSettings
from memristive.spiking.neurons import NeuronState, VolatileSwitchNeuron
from memristive.spiking.protocols import Trace, drive, energy_per_spike, epsc_peaks, facilitation_index
from memristive.spiking.stdp import SpikeShape, fit_exponential_window, fit_gaussian_window, stdp_window
from memristive.spiking.waveforms import pulse_train, shifted, staircase

__all__ = [
    "CompetitiveNetwork",
    "NetworkSettings",
    "NeuronState",
    "VolatileSwitchNeuron",
    "SpikeShape",
    "Trace",
    "drive",
    "energy_per_spike",
    "epsc_peaks",
    "facilitation_index",
    "fit_exponential_window",
    "fit_gaussian_window",
    "pulse_train",
    "shifted",
    "staircase",
    "stdp_window",
]
