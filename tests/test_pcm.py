"""Phase-change memory: gradual set, abrupt reset, drift, 1/f read noise, pair refresh (devices.pcm)."""

import math

import pytest
import torch

from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import PCMDevice, get_preset
from memristive.errors import MemristiveError
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device
F64 = {"dtype": torch.float64, "device": TEST_DEVICE}
PCM = get_preset("pcm-gst", PCMDevice)


def _window_share(model, g):
    return (g - model.g_min) / (model.g_max - model.g_min)


def test_set_is_gradual_and_saturating_and_reset_is_abrupt():
    model = PCM.replace(c2c_sigma=0.0, reset_sigma=0.0, d2d_g_sigma=0.0, drift_nu=0.0, drift_nu_sigma=0.0)
    state = model.sample((1000,), generator=generator(0), **F64)
    trace = [model.conductance(state)]
    for _ in range(model.levels):
        state = model.pulse(state, torch.ones(1000, **F64))
        trace.append(model.conductance(state))
    steps = torch.stack(trace).diff(dim=0).mean(dim=1)
    assert bool((steps > 0).all()) and bool((steps.diff() < 0).all())  # every set raises G, by less each time
    assert float(_window_share(model, trace[1]).mean()) < 0.25  # one set pulse: a small part of the window
    reached = (_window_share(model, torch.stack(trace).mean(1)) >= 0.9).nonzero()
    assert int(reached[0]) >= 10  # >= 10 set pulses to 90 % of the window
    reset = model.pulse(state, -torch.ones(1000, **F64))
    moved = _window_share(model, model.conductance(state)) - _window_share(model, model.conductance(reset))
    assert float(moved.min()) > 0.5  # one reset pulse moves more than half the window
    torch.testing.assert_close(model.conductance(reset), torch.full((1000,), model.g_min, **F64))


def test_drift_exponent_is_recovered_from_a_simulated_read_series():
    state = PCM.sample((4000,), generator=generator(1), **F64)
    state = PCM.program(state, torch.full((4000,), 6e-6, **F64), generator=generator(2))
    times = torch.logspace(0, 5, 41, **F64)  # 1 s .. 1 day after programming, 41 noisy reads
    reads = [PCM.noisy_conductance(PCM.advance(state, float(t) - PCM.drift_t0_s), generator(100 + k))
             for k, t in enumerate(times)]
    log_t, log_g = times.log(), torch.stack(reads).log()
    slope = ((log_t - log_t.mean())[:, None] * (log_g - log_g.mean(0))).sum(0) / (log_t - log_t.mean()).square().sum()
    fitted = -slope
    assert abs(float(fitted.mean()) - PCM.drift_nu) < 0.003
    assert float(torch.corrcoef(torch.stack([fitted, state.drift_nu]))[0, 1]) > 0.9  # per device, not only on average


def test_any_pulse_restarts_the_drift():
    state = PCM.program(PCM.sample((50,), generator=generator(3), **F64), torch.full((50,), 5e-6, **F64),
                        generator=generator(9))
    aged = PCM.advance(state, 1e4)
    assert float((PCM.conductance(aged) / PCM.conductance(state)).max()) < 1
    pulsed = PCM.pulse(aged, torch.ones(50, **F64), generator=generator(4))
    assert bool((pulsed.age_s == 0).all())
    again = PCM.advance(pulsed, 1e4)
    expected = PCM.conductance(pulsed) * (1 + 1e4 / PCM.drift_t0_s) ** -pulsed.drift_nu
    torch.testing.assert_close(PCM.conductance(again), expected)


def test_read_noise_grows_as_one_over_f():
    state = PCM.program(PCM.sample((20000,), generator=generator(5), **F64), torch.full((20000,), 5e-6, **F64),
                        generator=generator(10))
    early, late = PCM.advance(state, 9.0), PCM.advance(state, 1e6)  # t = 10 s and ~1e6 s
    spread = [float((PCM.noisy_conductance(s, generator(6 + k)) / PCM.conductance(s) - 1).std())
              for k, s in enumerate((early, late))]
    expected = [PCM.read_noise_q * math.sqrt(math.log(t / (2 * PCM.read_time_s))) for t in (10.0, 1e6 + 1)]
    for measured, want in zip(spread, expected):
        assert abs(measured / want - 1) < 0.03


def test_a_pair_depresses_by_setting_its_partner():
    array = CrossbarArray(8, 4, PCM.replace(c2c_sigma=0.0), generator=generator(7), **F64)
    before = array.conductances()
    array.update(torch.full((8, 4), -0.2, **F64), generator(8))
    after = array.conductances()
    torch.testing.assert_close(after[0], before[0])
    assert bool((after[1] > before[1]).all()) and float(array.weights().max()) < 0


def test_refresh_keeps_the_weight_and_frees_the_window():
    model = PCM.replace(refresh_share=0.8, program_sigma=0.0, drift_nu=0.0, drift_nu_sigma=0.0)
    array = CrossbarArray(16, 8, model, WeightMapping(), generator=generator(9), **F64)
    target = torch.full((16, 8), 0.1, **F64)
    for step in range(30):  # alternate up and down: both devices climb towards saturation
        array.update(target if step % 2 == 0 else -0.8 * target, generator(20 + step))
    refreshes = float(array.planes[0].refreshes.sum())
    assert refreshes > 0 and torch.equal(array.planes[0].refreshes, array.planes[1].refreshes)
    shares = torch.stack([model.share(p) for p in array.planes])
    assert float(shares.max()) < 0.8 + 0.25  # a refreshed pair is far from saturation again

    # the weight survives a refresh: force one on every pair and compare
    pos, neg = array.planes
    held = array.weights()
    forced = model.replace(refresh_share=1e-9)
    pos, neg = forced.couple(pos, neg, generator=generator(99))
    weights = WeightMapping().to_weights(torch.stack([forced.conductance(pos), forced.conductance(neg)]),
                                         model.g_min, model.g_max)
    torch.testing.assert_close(weights, held, rtol=0, atol=0.02)  # reset levels differ from g_min by ~30 %


@pytest.mark.parametrize("change, message", [
    ({"g_min": 0.0}, "g_min=0.0 must be > 0"),
    ({"nu_set": -1.0}, "nu_set=-1.0"),
    ({"drift_nu": 1.5}, "drift_nu=1.5 must be < 1"),
    ({"refresh_share": 1.5}, "refresh_share=1.5"),
    ({"reset_sigma": -0.1}, "reset_sigma=-0.1 must be >= 0"),
])
def test_bad_parameters_name_the_value(change, message):
    with pytest.raises(MemristiveError, match=message):
        PCM.replace(**change)


def test_a_reference_mapping_reads_one_device_per_weight_against_mid_window():
    mapping = WeightMapping(scheme="reference", copies=3)
    array = CrossbarArray(10, 4, PCM.replace(program_sigma=0.0, reset_sigma=0.0, d2d_g_sigma=0.0), mapping,
                          generator=generator(30), **F64)
    assert len(array.planes) == 3
    w = torch.rand(10, 4, generator=generator(31), **F64) * 1.6 - 0.8
    array.program(w)
    torch.testing.assert_close(array.weights(), w)
    v = torch.rand(5, 10, **F64) * 0.2
    expected = v @ w * (PCM.g_max - PCM.g_min)  # I = V (w / w_max) (Gmax - Gmin)
    torch.testing.assert_close(array.read(v), expected)
    torch.testing.assert_close(array.matvec(v), v @ w)


def test_against_a_reference_a_pcm_weight_depresses_by_a_reset_and_copies_take_turns():
    mapping = WeightMapping(scheme="reference", copies=4)
    array = CrossbarArray(6, 3, PCM.replace(c2c_sigma=0.0, reset_sigma=0.0), mapping, generator=generator(32), **F64)
    array.program(torch.full((6, 3), 0.5, **F64), generator=generator(31))
    before = array.conductances()
    array.update(torch.full((6, 3), -0.05, **F64), generator(33))  # two pulses: reset whatever the rounding
    after = array.conductances()
    assert bool((after[0] == PCM.g_min).all())  # the selected copy reset
    torch.testing.assert_close(after[1:], before[1:])
    array.update(torch.full((6, 3), 0.3, **F64), generator(34))
    assert bool((array.conductances()[1] > after[1]).all())  # the next copy set


def test_the_depression_counter_applies_every_kth_depression():
    mapping = WeightMapping(scheme="reference")
    counted = CrossbarArray(6, 3, PCM.replace(c2c_sigma=0.0, reset_sigma=0.0), mapping, depress_every=3,
                            generator=generator(35), **F64)
    counted.program(torch.full((6, 3), 0.5, **F64), generator=generator(36))
    steps = []
    for k in range(6):
        steps.append(counted.update(torch.full((6, 3), -0.5, **F64), generator(40 + k)))
    assert [s > 0 for s in steps] == [True, False, False, True, False, False]
    with pytest.raises(MemristiveError, match="depress_every=0 must be an integer >= 1"):
        CrossbarArray(2, 2, PCM, depress_every=0)
    with pytest.raises(MemristiveError, match="scheme='reference' needs solver='ideal'"):
        CrossbarArray(2, 2, PCM, mapping, solver="circuit")


def test_a_pcm_neuron_integrates_fires_at_threshold_and_resets():
    from memristive.spiking.pcm_neuron import PCMNeuron

    clean = PCMNeuron(PCM.replace(c2c_sigma=0.0, reset_sigma=0.0, d2d_g_sigma=0.0), threshold_share=0.5)
    state = clean.rest((3,), generator=generator(50), **F64)
    fired_at = []
    for step in range(20):
        state, fired = clean.step(state, torch.ones(3, **F64))
        if bool(fired.any()):
            assert bool(fired.all()) and bool((clean.model.conductance(state) == clean.model.g_min).all())
            fired_at.append(step)
    gaps = torch.tensor(fired_at).diff()
    assert len(fired_at) >= 3 and bool((gaps == gaps[0]).all())  # noise-free: the same pulses to threshold every time

    noisy = PCMNeuron(PCM, threshold_share=0.5)
    state, counts = noisy.rest((2000,), generator=generator(51), **F64), torch.zeros(2000, **F64)
    for _ in range(6):
        state, fired = noisy.step(state, torch.ones(2000, **F64), generator=generator(52 + _))
        counts += fired
    assert 0 < float(counts.mean()) < 2  # some fire earlier than others: a stochastic neuron
    assert float(counts.std()) > 0
    with pytest.raises(MemristiveError, match="threshold_share=1.2"):
        PCMNeuron(PCM, threshold_share=1.2)
