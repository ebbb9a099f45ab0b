"""Binary stochastic synapse and the simplified binary STDP rule (devices.binary, spiking.plasticity)."""

import math

import pytest
import torch

from memristive.devices import BinaryStochasticDevice, get_preset
from memristive.errors import MemristiveError
from memristive.spiking import SimplifiedBinarySTDP
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device
F64 = {"dtype": torch.float64, "device": TEST_DEVICE}
CBRAM = get_preset("cbram-binary", BinaryStochasticDevice)


def test_the_switching_probability_is_logistic_in_voltage_and_zero_at_zero():
    v = torch.tensor([0.0, 1.2, -1.0, 3.0, -3.0, 0.5], **F64)
    p = CBRAM.switching_probability(v)
    assert float(p[0]) == 0 and float(p[1]) == pytest.approx(0.5) and float(p[2]) == pytest.approx(0.5)
    assert float(p[3]) > 0.99 and float(p[4]) > 0.99 and float(p[5]) < 0.01
    volts = torch.linspace(0.1, 3.0, 30, **F64)
    assert bool((CBRAM.switching_probability(volts).diff() > 0).all())


def test_pulses_switch_with_the_predicted_frequency_and_only_between_two_states():
    devices = 40000
    state = CBRAM.sample((devices,), generator=generator(0), **F64)
    for n in (1, 3):
        after = CBRAM.pulse(state, torch.full((devices,), float(n), **F64), generator=generator(n))
        share = float(after.on.double().mean())
        p = float(CBRAM.switching_probability(torch.tensor(CBRAM.pulse_v, **F64)))
        expected = 1 - (1 - p) ** n
        assert abs(share - expected) < 4 * math.sqrt(expected * (1 - expected) / devices)
        g = CBRAM.conductance(after)
        assert bool(((g == CBRAM.g_min) | (g == CBRAM.g_max)).all())
    # a longer pulse is more attempts: width 2 x pulse_width_s at pulse_v equals two pulses
    wide = CBRAM.apply_voltage(state, CBRAM.pulse_v, 2 * CBRAM.pulse_width_s, generator=generator(9))
    p = float(CBRAM.switching_probability(torch.tensor(CBRAM.pulse_v, **F64)))
    assert abs(float(wide.on.double().mean()) - (1 - (1 - p) ** 2)) < 0.01


def test_program_holds_an_analog_target_on_average():
    state = CBRAM.sample((20000,), generator=generator(1), **F64)
    target = CBRAM.g_min + 0.3 * (CBRAM.g_max - CBRAM.g_min)
    written = CBRAM.program(state, torch.full((20000,), target, **F64), generator=generator(2))
    assert float(CBRAM.conductance(written).mean()) == pytest.approx(target, rel=0.03)


def test_simplified_binary_stdp_potentiates_inside_the_window_and_depresses_everything_else():
    rule = SimplifiedBinarySTDP(ltp_window_s=10e-3)
    last_pre = torch.tensor([0.095, 0.080, 0.101, -math.inf, 0.0999], **F64)
    torch.testing.assert_close(rule.pulses(last_pre, 0.1), torch.tensor([1.0, -1.0, -1.0, -1.0, 1.0], **F64))
    # on binary devices: after a post spike, the in-window share that is ON grows by p_set of the OFF ones
    state = CBRAM.sample((2, 10000), generator=generator(3), **F64)
    state = CBRAM.program(state, torch.full((2, 10000), 0.5 * (CBRAM.g_min + CBRAM.g_max), **F64),
                          generator=generator(4))
    before = state.on.double().mean(dim=1)
    pulses = rule.pulses(torch.tensor([[0.095], [0.05]], **F64).expand(2, 10000), 0.1)
    after = CBRAM.pulse(state, pulses, generator=generator(5)).on.double().mean(dim=1)
    assert float(after[0]) > float(before[0]) and float(after[1]) < float(before[1])
    with pytest.raises(MemristiveError, match="ltp_window_s"):
        SimplifiedBinarySTDP(ltp_window_s=0.0)


def test_bad_parameters_name_the_value():
    with pytest.raises(MemristiveError, match="v_slope=0.0 must be > 0"):
        CBRAM.replace(v_slope=0.0)


def test_binary_stdp_quick_learns_the_pattern(tmp_path):
    # seeds 0-2: selectivity 0.34 / 0.40 / 0.42 (p_set 0.21, p_reset 0.5), strong pulses 0.72 / 0.29 / 0.75;
    # background ON 0.06 / 0.02 / 0.08 and 0.09 / 0.13 / 0.10
    import json

    from memristive.experiments import run_experiment

    m = json.loads(run_experiment("binary-stdp", tmp_path, quick=True).read_text())["metrics"]
    assert m["p_set"] == pytest.approx(0.2086, abs=1e-3) and m["p_reset"] == pytest.approx(0.5)
    for suffix in ("", "_strong"):
        assert m[f"selectivity{suffix}"] > 0.2  # from 1/2 ON everywhere: the pattern's synapses stay, the rest go
        assert m[f"background_on_share{suffix}"] < 0.2
        assert m[f"output_rate_hz{suffix}"] > 0
    assert (tmp_path / "binary-stdp" / "on_share_vs_time.png").is_file()
