"""Spiking at scale (issue 22 item 7): 1,000 Poisson inputs at 15 Hz -> 100 LIF neurons, 100k plastic synapses,
1 s of network time at 0.1 ms steps, the network of Song, Miller & Abbott (2000) as in Brian2's STDP example.

Peer: ``benchmarks/brian2_song.py`` runs the same network in Brian2 (its own environment: Brian2 2.9.0 needs
numpy < 2). Issue 22's bounds: within 2x of Brian2's cython target with plain pair-rule weights, within 10x
with device synapses. Run: ``python -m pytest benchmarks/test_spiking_speed.py --benchmark-only``; recorded in
docs/benchmarks.md.
"""

import pytest
import torch

from memristive.devices import get_preset
from memristive.spiking import DeviceSynapses, LIFNeuron, PairSTDP, SpikingNetwork, WeightSynapses

INPUTS, OUTPUTS, RATE_HZ, DURATION_S = 1000, 100, 15.0, 1.0
NEURON = LIFNeuron()


def _weights(seed):
    g = torch.Generator().manual_seed(seed)
    syn = WeightSynapses.uniform(INPUTS, OUTPUTS, 0.01 * NEURON.g_leak_s, generator=g)
    return SpikingNetwork(syn, NEURON, PairSTDP(), generator=g)


def _devices(seed, preset="tpt-ram-110"):
    device = get_preset(preset)
    g = torch.Generator().manual_seed(seed)
    syn = DeviceSynapses.sample(device, INPUTS, OUTPUTS, generator=g)
    # The leak set so that the mean synapse is 0.005 g_L, as in the weights case: the same activity.
    neuron = LIFNeuron(g_leak_s=0.5 * (device.g_min + device.g_max) / 0.005)
    return SpikingNetwork(syn, neuron, PairSTDP(), generator=g)


@pytest.mark.parametrize("build", [_weights, _devices], ids=["pair-rule-weights", "tpt-ram-110-synapses"])
def test_song_network_one_second(benchmark, case, build):
    case("spiking-song-weights" if build is _weights else "spiking-song-devices")
    seeds = iter(range(1000))
    record = benchmark.pedantic(lambda net: net.run(DURATION_S, rates_hz=RATE_HZ),
                                setup=lambda: ((build(next(seeds)),), {}), rounds=5)
    assert 3000 < int(record.counts.sum()) < 7000  # ~45 Hz per neuron, as Brian2's run of this network


def test_song_network_dense_stepping_reference(benchmark):
    """The dense stepper (every synapse every step) on 0.1 s: what event-driven stepping saves."""
    seeds = iter(range(1000))

    def setup():
        net = _weights(next(seeds))
        net.event_driven = False
        return (net,), {}

    record = benchmark.pedantic(lambda net: net.run(0.1, rates_hz=RATE_HZ), setup=setup, rounds=3)
    assert int(record.counts.sum()) > 0
