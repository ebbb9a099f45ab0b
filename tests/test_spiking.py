"""Spiking layer: waveforms, EPSC measures, STDP fits (issue 6)."""

import numpy as np
import pytest
import torch

from memristive.devices.presets import OTJ_STO
from memristive.errors import MemristiveError
from memristive.spiking import (
    SpikeShape,
    drive,
    epsc_peaks,
    facilitation_index,
    fit_exponential_window,
    fit_gaussian_window,
    pulse_train,
    shifted,
    stdp_window,
)


def test_pulse_train_places_pulses_on_the_grid():
    v = pulse_train(1.0, 50e-9, 150e-9, 3, 10e-9, 1e-6, start_s=100e-9)
    assert v.sum().item() == pytest.approx(15.0)
    assert v[10:15].tolist() == [1.0] * 5 and v[15:30].sum() == 0 and v[30] == 1.0


def test_pulse_train_rejects_off_grid_and_overlong_trains():
    with pytest.raises(MemristiveError, match="whole number"):
        pulse_train(1.0, 55e-9, 150e-9, 3, 10e-9, 1e-6)
    with pytest.raises(MemristiveError, match="longer"):
        pulse_train(1.0, 50e-9, 150e-9, 10, 10e-9, 1e-6)


def test_shifted_places_copies():
    out = shifted(torch.tensor([1.0, 2.0]), torch.tensor([0, 3]), 5)
    assert out.tolist() == [[1, 2, 0, 0, 0], [0, 0, 0, 1, 2]]


def test_epsc_peaks_and_facilitation_from_the_device():
    v = torch.stack([pulse_train(0.6, 50e-9, interval, 10, 10e-9, 10e-6) for interval in (50e-9, 950e-9)])
    trace = drive(OTJ_STO, OTJ_STO.sample((2,), dtype=torch.float64), v, 10e-9)
    peaks = epsc_peaks(trace)
    assert peaks.shape == (2, 10)
    ppf = facilitation_index(peaks, 2)
    assert ppf[0] > ppf[1] > 0


def test_drive_without_recording_gives_the_same_state():
    v = pulse_train(1.9, 20e-9, 80e-9, 3, 10e-9, 1e-6)[None]
    a = drive(OTJ_STO, OTJ_STO.sample((1,), dtype=torch.float64), v, 10e-9).state
    b = drive(OTJ_STO, OTJ_STO.sample((1,), dtype=torch.float64), v, 10e-9, record=False).state
    assert torch.equal(a.w, b.w) and torch.equal(a.q, b.q)


def test_window_fits_recover_known_parameters():
    dt = np.linspace(1e-6, 16e-6, 16)
    a, tau, w0 = fit_exponential_window(dt, 96.3 * np.exp(-dt / 4.4e-6) + 1.0)
    assert (a, tau * 1e6, w0) == pytest.approx((96.3, 4.4, 1.0), rel=1e-4)
    a, tau, w0 = fit_exponential_window(-dt, -53.1 * np.exp(-dt / 4.2e-6))
    assert (a, tau * 1e6) == pytest.approx((-53.1, -4.2), rel=1e-4)
    sym = np.linspace(-12e-6, 12e-6, 25)
    a, tau, w0 = fit_gaussian_window(sym, 88.0 * np.exp(-(sym**2) / 3.3e-6**2) - 20.0)
    assert (a, tau * 1e6, w0) == pytest.approx((88.0, 3.3, -20.0), rel=1e-4)


def test_single_spikes_are_subthreshold_and_the_window_is_antisymmetric():
    spike = SpikeShape(peak_v=0.9, peak_s=1e-6, tail_v=0.9, tail_steps=20, tail_step_s=1e-6, tail_power=2.0)
    far = stdp_window(OTJ_STO, spike, spike, np.array([-60e-6, 60e-6]), 50e-9, 0.087)
    assert isinstance(far, torch.Tensor) and float(far.abs().max()) < 1e-6  # no overlap: each spike alone writes nothing
    near = stdp_window(OTJ_STO, spike, spike, np.array([-2e-6, 2e-6]), 50e-9, 0.087)
    assert near[0] < 0 < near[1]


def test_lif_neuron_charges_fires_and_resets_itself():
    from memristive.spiking.neurons import VolatileSwitchNeuron

    neuron = VolatileSwitchNeuron(capacitance_f=1e-12, r_off_ohm=1e6, r_on_ohm=1e3, v_threshold=0.5, v_hold=0.05)
    state, spikes = neuron.rest(2), []
    current = torch.tensor([1e-6, 0.4e-6], dtype=torch.float64)  # steady states 1 V and 0.4 V
    for _ in range(200):
        state, fired = neuron.step(state, current, 50e-9)
        spikes.append(fired)
    counts = torch.stack(spikes).sum(0)
    assert counts[0] >= 2 and counts[1] == 0  # below-threshold drive never fires
    assert state.v[1].item() == pytest.approx(0.4 * (1 - np.exp(-200 * 50e-9 / 1e-6)), rel=1e-9)


def test_winner_take_all_lets_one_neuron_fire():
    from memristive.spiking.neurons import VolatileSwitchNeuron

    neuron = VolatileSwitchNeuron(adapt_v=0.1)
    state = neuron.rest(3)
    state, fired = neuron.step(state, torch.tensor([2e-6, 3e-6, 1e-6], dtype=torch.float64), 1e-5, exclusive=True)
    assert fired.tolist() == [False, True, False]
    assert state.v[0] == 0 and state.v[2] == 0 and state.adapt.tolist() == [0.0, 0.1, 0.0]


def test_network_potentiates_the_presented_pattern():
    from memristive.spiking.network import CompetitiveNetwork, NetworkSettings
    from memristive.spiking.neurons import VolatileSwitchNeuron

    spike = SpikeShape(peak_v=0.9, peak_s=1e-6, tail_v=0.9, tail_steps=20, tail_step_s=1e-6, tail_power=2.0)
    neuron = VolatileSwitchNeuron(capacitance_f=100e-12, r_off_ohm=1e5, v_threshold=0.5)
    net = CompetitiveNetwork(OTJ_STO, neuron, spike, 8, 2, NetworkSettings(dt_s=100e-9, post_lead_v=1.6),
                             torch.Generator().manual_seed(0))
    pattern = torch.tensor([True] * 4 + [False] * 4)
    w0 = net.synapses.w.clone()
    counts = sum(net.present(pattern) for _ in range(5))
    winner = int(counts.argmax())
    assert counts.sum() > 0
    change = (net.synapses.w - w0)[:, winner]
    assert change[:4].mean() > 0 > change[4:].mean()  # recent inputs up, idle inputs down
