"""The general spiking network: event-driven stepping equals the dense reference, the pair rule's window,
the Song et al. (2000) network against Brian2, device synapses through the one interface."""

import math

import pytest
import torch

from memristive.devices.presets import get_preset
from memristive.errors import MemristiveError
from memristive.spiking.lif import LIFNeuron
from memristive.spiking.neurons import VolatileSwitchNeuron
from memristive.spiking.plasticity import PairSTDP
from memristive.spiking.simulator import SpikingNetwork
from memristive.spiking.synapses import DeviceSynapses, WeightSynapses

NEURON = LIFNeuron()
W_MAX = 0.01 * NEURON.g_leak_s  # Song et al.'s gmax = 0.01 in units of the leak


def _weights_net(event_driven: bool, seed: int = 0, inputs: int = 200, outputs: int = 8):
    g = torch.Generator().manual_seed(seed)
    syn = WeightSynapses.uniform(inputs, outputs, 5 * W_MAX, generator=g)
    return SpikingNetwork(syn, NEURON, PairSTDP(), event_driven=event_driven, generator=g)


def test_event_driven_weights_equal_dense_stepping():
    event, dense = _weights_net(True), _weights_net(False)
    a, b = event.run(0.3, rates_hz=20.0), dense.run(0.3, rates_hz=20.0)
    assert a.counts.sum() > 50  # the neurons fire, so both rules act
    assert torch.equal(a.neurons, b.neurons) and torch.equal(a.times_s, b.times_s)
    torch.testing.assert_close(event.conductance(), dense.conductance(), rtol=1e-12, atol=1e-20)
    assert not torch.equal(event.conductance(), _weights_net(True).conductance())  # learning moved them


@pytest.mark.parametrize("rounding", ["fractional", "nearest"])
def test_event_driven_devices_equal_dense_stepping(rounding):
    device = get_preset("tpt-ram-110").replace(c2c_sigma=0.0)
    neuron = LIFNeuron(g_leak_s=100e-6 / 0.02)

    def net(event_driven):
        g = torch.Generator().manual_seed(3)
        syn = DeviceSynapses.sample(device, 200, 8, generator=g, rounding=rounding)
        return SpikingNetwork(syn, neuron, PairSTDP(a_plus=0.05, a_minus=-0.0525), event_driven=event_driven,
                              generator=g)

    event, dense = net(True), net(False)
    g0 = event.conductance()
    a, b = event.run(0.3, rates_hz=20.0), dense.run(0.3, rates_hz=20.0)
    assert a.counts.sum() > 50
    assert torch.equal(a.neurons, b.neurons) and torch.equal(a.times_s, b.times_s)
    torch.testing.assert_close(event.conductance(), dense.conductance(), rtol=1e-12, atol=1e-18)
    assert (event.conductance() - g0).abs().max() > 1e-6  # pulses moved the devices


def test_lazy_advance_of_volatile_devices_equals_dense_stepping():
    """Dual-mode devices relax between pulses: advanced lazily in closed form, they match stepping every device."""
    device = get_preset("tpt-ram-110-dual")
    device = device.replace(diffusive=device.diffusive.replace(c2c_sigma=0.0),
                            nonvolatile=device.nonvolatile.replace(c2c_sigma=0.0), tau_relax_s=0.05,
                            forming_threshold_mean=1e6)  # stays diffusive: relaxes between every pair of pulses
    neuron = LIFNeuron(g_leak_s=2e-4)

    def net(event_driven):
        g = torch.Generator().manual_seed(5)
        syn = DeviceSynapses.sample(device, 100, 6, generator=g, rounding="fractional")
        return SpikingNetwork(syn, neuron, PairSTDP(a_plus=0.2, a_minus=-0.21), event_driven=event_driven,
                              generator=g)

    event, dense = net(True), net(False)
    a, b = event.run(0.3, rates_hz=30.0), dense.run(0.3, rates_hz=30.0)
    assert a.counts.sum() > 20
    assert torch.equal(a.neurons, b.neurons)
    torch.testing.assert_close(event.conductance(), dense.conductance(), rtol=1e-12, atol=1e-20)


def test_pair_window_of_one_pre_post_pair():
    """Input 0 makes the neuron fire once; input 1 spikes once, ``offset`` steps from that spike: its weight moves by
    ``a_plus exp(-(t_post - t_pre) / tau_plus)`` of ``w_max`` before it, ``a_minus exp(...)`` after it."""
    rule = PairSTDP(a_plus=0.001, a_minus=-0.00105)
    w_max = 2 * NEURON.g_leak_s
    drive = torch.tensor([[1.2 * NEURON.g_leak_s], [0.01 * NEURON.g_leak_s]], dtype=torch.float64)
    raster = torch.zeros(400, 2, dtype=torch.bool)
    raster[100, 0] = True
    t_alone = float(SpikingNetwork(WeightSynapses(drive, w_max), NEURON, None).run(spikes=raster).times_s[0])
    for offset in (-40, -5, 0, 5, 40):
        spikes = raster.clone()
        step_pre = round(t_alone / 1e-4) + offset
        spikes[step_pre, 1] = True
        net = SpikingNetwork(WeightSynapses(drive.clone(), w_max), NEURON, rule)
        record = net.run(spikes=spikes)
        assert record.counts.tolist() == [1]
        dw = float(net.conductance()[1, 0] - drive[1, 0]) / w_max
        assert dw == pytest.approx(rule.window(float(record.times_s[0]) - step_pre * 1e-4), rel=1e-9)
        assert math.copysign(1, dw) == (1 if step_pre * 1e-4 <= float(record.times_s[0]) else -1)


def test_song_network_rates_and_weights_agree_with_brian2():
    """The 1000 -> 100 network of Song et al. (2000) at 15 Hz for 1 s. Brian2 2.9.0 (cython, exponential Euler,
    seeds 0-11, measured on this project's machine, docs/benchmarks.md): 4,599 output spikes (sd 245), mean final
    weight 0.499 w_max. Over seeds 0-3 we must agree within four standard errors of the difference."""
    counts, weights = [], []
    for seed in range(4):
        g = torch.Generator().manual_seed(seed)
        net = SpikingNetwork(WeightSynapses.uniform(1000, 100, W_MAX, generator=g), NEURON, PairSTDP(), generator=g)
        record = net.run(1.0, rates_hz=15.0)
        counts.append(float(record.counts.sum()))
        weights.append(float(net.conductance().mean() / W_MAX))
        assert 14_000 < record.input_spikes < 16_000
    counts = torch.tensor(counts)
    se = math.sqrt(245**2 / 12 + float(counts.var()) / 4)
    assert abs(float(counts.mean()) - 4599) < 4 * se
    assert sum(weights) / 4 == pytest.approx(0.499, abs=0.005)


def test_switch_neurons_and_recorded_input():
    g = torch.Generator().manual_seed(1)
    syn = WeightSynapses.uniform(50, 4, 20e-6, generator=g)
    raster = torch.rand(2000, 50, generator=g) < 0.05
    net = SpikingNetwork(syn, VolatileSwitchNeuron(capacitance_f=1e-12, r_off_ohm=1e6), PairSTDP(), dt_s=1e-7)
    record = net.run(spikes=raster)
    assert record.input_spikes == int(raster.sum())
    assert record.counts.sum() > 0
    assert record.duration_s == pytest.approx(2000 * 1e-7)


def test_same_seed_same_run_with_stochastic_rounding_and_noise():
    def run():
        g = torch.Generator().manual_seed(7)
        syn = DeviceSynapses.sample(get_preset("tpt-ram-110"), 100, 5, generator=g)
        net = SpikingNetwork(syn, LIFNeuron(g_leak_s=100e-6 / 0.02), PairSTDP(), generator=g)
        return net.run(0.2, rates_hz=20.0), net.conductance()

    (a, ga), (b, gb) = run(), run()
    assert torch.equal(a.neurons, b.neurons) and torch.equal(ga, gb)


def test_bad_input_is_refused_in_one_line():
    net = _weights_net(True)
    with pytest.raises(MemristiveError, match="either rates_hz"):
        net.run(0.1, rates_hz=10.0, spikes=torch.zeros(10, 200, dtype=torch.bool))
    with pytest.raises(MemristiveError, match=r"spikes must be \[steps, 200\]"):
        net.run(spikes=torch.zeros(10, 3, dtype=torch.bool))
    with pytest.raises(MemristiveError, match="duration_s"):
        net.run(rates_hz=10.0)
    with pytest.raises(MemristiveError, match="not driven by identical pulses"):
        otj = get_preset("otj-sto")
        DeviceSynapses(otj, otj.sample((3, 2)))
    with pytest.raises(MemristiveError, match="rounding"):
        DeviceSynapses.sample(get_preset("tpt-ram-110"), 3, 2, rounding="up")
    with pytest.raises(MemristiveError, match="a_plus >= 0 >= a_minus"):
        PairSTDP(a_minus=0.01)
    with pytest.raises(MemristiveError, match="v_reset_v"):
        LIFNeuron(v_reset_v=-50e-3)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_runs_on_cuda():
    g = torch.Generator(device="cuda").manual_seed(0)
    syn = DeviceSynapses.sample(get_preset("tpt-ram-110"), 100, 5, generator=g, device="cuda")
    net = SpikingNetwork(syn, LIFNeuron(g_leak_s=100e-6 / 0.02), PairSTDP(), generator=g)
    record = net.run(0.1, rates_hz=20.0)
    assert record.counts.device.type == "cuda" and net.conductance().device.type == "cuda"
