"""Spiking layer: pulse waveforms, short-term plasticity (EPSC, PPF, PTP), STDP, energy per spike,
switch-and-capacitor, phase-change and conductance-based LIF neurons, a competitive STDP network, a general
event-driven network of inputs onto neurons through plastic weights or devices, and Mott relaxation oscillators as a
noise source (:mod:`.mott_noise`)."""

from memristive.spiking.network import CompetitiveNetwork, NetworkSettings
from memristive.spiking.lif import LIFNeuron, LIFState
from memristive.spiking.mott_noise import MottNoiseSource
from memristive.spiking.neurons import NeuronState, VolatileSwitchNeuron
from memristive.spiking.pcm_neuron import PCMNeuron
from memristive.spiking.plasticity import PairSTDP, SimplifiedBinarySTDP
from memristive.spiking.protocols import Trace, drive, energy_per_spike, epsc_peaks, facilitation_index
from memristive.spiking.simulator import SpikeRecord, SpikingNetwork
from memristive.spiking.stdp import SpikeShape, fit_exponential_window, fit_gaussian_window, stdp_window
from memristive.spiking.synapses import DeviceSynapses, WeightSynapses
from memristive.spiking.waveforms import pulse_train, shifted, staircase

__all__ = [
    "CompetitiveNetwork",
    "DeviceSynapses",
    "LIFNeuron",
    "LIFState",
    "MottNoiseSource",
    "PCMNeuron",
    "PairSTDP",
    "SimplifiedBinarySTDP",
    "SpikeRecord",
    "SpikingNetwork",
    "WeightSynapses",
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
