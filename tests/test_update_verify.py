"""Write-verify in-situ updates (``UpdateVerify``): targets from the pulse counts, a read after every pulse."""

from unittest.mock import patch

import pytest
import torch

from memristive.crossbar import CrossbarArray, UpdateVerify, WeightMapping
from memristive.devices import PRESETS, NonlinearPulseDevice
from memristive.errors import MemristiveError
from memristive.nn import MemristiveLinear
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device
ON = {"dtype": torch.float64, "device": TEST_DEVICE}
BALANCED = WeightMapping(scheme="balanced")


def _arrays(model, seed=0, verify_kw=None, **kw):
    """A blind and a verified (``UpdateVerify(**verify_kw)``) array holding the same weights on the same devices."""
    weights = torch.rand(12, 5, generator=generator(seed), **ON) * 0.8 - 0.4
    return [CrossbarArray(12, 5, model, BALANCED, weights=weights, generator=generator(seed + 1), verify=verify,
                          **kw, **ON) for verify in (None, UpdateVerify(**(verify_kw or {})))]


def _update(array, seed):
    delta = (torch.rand(12, 5, generator=generator(100 + seed), **ON) - 0.5) * 0.2
    before = array.weights().clone()
    pulses = array.update(delta, generator(200 + seed))
    return array.weights() - before, delta, pulses


def test_on_a_linear_noiseless_device_verified_updates_are_the_blind_ones_plus_a_read_per_pulse():
    model = NonlinearPulseDevice(g_min=10e-6, g_max=100e-6, levels=64, nu_ltp=0.0, nu_ltd=0.0)
    blind, verified = _arrays(model, rounding="nearest")
    moved_blind, _, pulses_blind = _update(blind, 0)
    g0 = verified.conductances().clone()
    moved, _, pulses = _update(verified, 0)
    torch.testing.assert_close(moved, moved_blind, rtol=0, atol=1e-12)
    assert pulses == pulses_blind > 0
    devices_moved = int((verified.conductances() != g0).sum())
    assert int(verified.verify_reads) == pulses + devices_moved  # each device: one read per pulse and a last one
    v2t = verified.periphery.read_v ** 2 * UpdateVerify().read_time_s
    per_read = float(verified.verify_energy_j) / int(verified.verify_reads) / v2t
    assert model.g_min <= per_read <= model.g_max  # V^2 G t per read, G within the window
    assert int(blind.verify_reads) == 0 and float(blind.verify_energy_j) == 0.0


def test_verify_lands_a_nonlinear_device_on_its_targets_where_blind_pulses_miss():
    model = NonlinearPulseDevice(g_min=10e-6, g_max=100e-6, levels=64, nu_ltp=3.0, nu_ltd=-3.0)
    for seed in range(3):
        errors = []
        for array in _arrays(model, seed):
            moved, delta, _ = _update(array, seed)
            errors.append(float((moved - delta).abs().mean()))
        blind, verified = errors
        assert verified < 0.5 * blind, (seed, errors)


def test_under_cycle_to_cycle_noise_verify_buys_precision_with_pulses_reads_and_energy():
    model = PRESETS["taox-hfox"]  # c2c sigma 3.7 % of the window per pulse, about 5 nominal steps
    for seed in range(3):
        (blind, verified), outcomes = _arrays(model, seed, verify_kw={"tolerance": 0.9}), []
        for array in (blind, verified):
            moved, delta, pulses = _update(array, seed)
            outcomes.append((float((moved - delta).abs().mean()), pulses, float(array.write_energy_j)))
        (error_blind, pulses_blind, energy_blind), (error, pulses, energy) = outcomes
        assert error < error_blind and pulses > pulses_blind and energy > energy_blind, (seed, outcomes)


def test_a_device_that_may_not_be_depressed_is_never_pulsed_down():
    model = PRESETS["pcm-gst"]  # unipolar: a pair member is only set (the refresh resets it)
    _, verified = _arrays(model)
    with patch.object(verified, "_pulse", wraps=verified._pulse) as pulse:
        _update(verified, 0)
    moves = [call.args[1] for call in pulse.call_args_list]
    assert moves and all(bool((n >= 0).all()) for n in moves) and any(bool(n.any()) for n in moves)


def test_bad_verify_settings_are_one_line_errors():
    for kw, word in (({"tolerance": 0.0}, "tolerance"), ({"tolerance": 1.0}, "one-pulse update"),
                     ({"max_pulses": 0}, "max_pulses"), ({"read_time_s": -1e-6}, "read_time_s")):
        with pytest.raises(MemristiveError, match=word):
            UpdateVerify(**kw)
    with pytest.raises(MemristiveError, match="UpdateVerify"):
        CrossbarArray(2, 2, PRESETS["taox-hfox"], verify={"tolerance": 0.5})
    with pytest.raises(MemristiveError, match="readout='conductance'"):
        CrossbarArray(2, 2, PRESETS["taox-hfox"], WeightMapping(readout="share"), verify=UpdateVerify())


def test_a_verified_layer_trains_and_keeps_its_counters_in_the_state_dict():
    layer = MemristiveLinear(6, 3, PRESETS["taox-hfox"], verify=UpdateVerify(), **ON)
    layer.init_devices(generator(0))
    x = torch.rand(8, 6, generator=generator(1), **ON)
    layer(x).sum().backward()
    assert layer.apply_gradient_pulses(0.5, generator(2)) > 0
    saved = layer.state_dict()
    assert int(saved["array.verify_reads"]) > 0 and float(saved["array.verify_energy_j"]) > 0
