"""Threshold switching, bias schemes and write-verify tuning."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar.programming import WriteVerify, bias_voltages, switching_strength, write_verify
from memristive.devices.threshold_model import ThresholdSwitchingDevice
from memristive.errors import MemristiveError

DEVICE = ThresholdSwitchingDevice()


@pytest.mark.parametrize("scheme, half, other", [("v/2", 0.5, 0.0), ("v/3", 1 / 3, -1 / 3)])
def test_bias_schemes_put_the_documented_voltages_on_every_device(scheme, half, other):
    v = bias_voltages(scheme, (4, 5), 1, 2, 1.8)
    assert v[1, 2] == pytest.approx(1.8)
    assert np.allclose(np.delete(v[1], 2), half * 1.8) and np.allclose(np.delete(v[:, 2], 1), half * 1.8)
    rest = np.delete(np.delete(v, 1, axis=0), 2, axis=1)
    assert np.allclose(rest, other * 1.8)


@settings(max_examples=30, deadline=None)
@given(v=st.floats(-3, 3), seed=st.integers(0, 1000))
def test_pulses_keep_conductance_in_bounds_and_move_the_right_way(v, seed):
    state = DEVICE.sample((50,), np.random.default_rng(seed), g_initial_s=50e-6)
    before = state.g.copy()
    DEVICE.apply_voltage(state, np.full(50, v), 1e-3)
    moving = ~state.stuck  # stuck devices sit at g_stuck_s, outside the switching range
    assert np.all(state.g[moving] >= DEVICE.g_min_s - 1e-18) and np.all(state.g[moving] <= DEVICE.g_max_s + 1e-18)
    if v > 0:
        assert np.all(state.g[moving] >= before[moving])
    elif v < 0:
        assert np.all(state.g[moving] <= before[moving])
    assert np.all(state.g[state.stuck] == before[state.stuck])


def test_switching_grows_with_voltage_and_width():
    state = DEVICE.sample((1,), np.random.default_rng(0), g_initial_s=20e-6)
    shares = [DEVICE.switched_share(np.array(v), state.v_set, state.v_reset, w)[0] for v, w in
              ((0.6, 1e-3), (1.0, 1e-3), (1.4, 1e-3), (1.4, 1e-2))]
    assert shares == sorted(shares) and shares[0] < 1e-4 < shares[-1]


def test_thresholds_have_the_paper_statistics():
    state = DEVICE.sample((200, 200), np.random.default_rng(1))
    ok = ~state.stuck
    assert state.v_set[ok].mean() == pytest.approx(1.19, abs=0.02)
    assert state.v_reset[ok].mean() == pytest.approx(-1.39, abs=0.02)
    assert state.v_set[ok].std() == pytest.approx(0.31, abs=0.02)
    assert np.corrcoef(state.v_set[ok], -state.v_reset[ok])[0, 1] > 0.5
    assert state.stuck.mean() == pytest.approx(45 / 4096, abs=0.002)


def test_write_verify_reaches_tolerance_without_disturb():
    rng = np.random.default_rng(2)
    state = DEVICE.sample((8, 8), rng, g_initial_s=14e-6)
    target = rng.uniform(10e-6, 100e-6, (8, 8))
    needed = (np.abs(state.g - target) > 0.05 * target) & ~state.stuck
    report = write_verify(DEVICE, state, target, WriteVerify(disturb=False), progress=False)
    error = np.abs(state.g - target) / target
    assert np.all(error[~state.stuck] <= 0.05)
    assert np.all(report.pulses[needed] > 0) and np.all(report.pulses[~needed & ~state.stuck] == 0)
    assert np.all(report.given_up == state.stuck)


def test_half_select_disturb_acts_and_cycles_repair_it():
    rng = np.random.default_rng(3)
    target = rng.uniform(10e-6, 100e-6, (16, 16))
    state = DEVICE.sample((16, 16), np.random.default_rng(4), g_initial_s=14e-6)
    report = write_verify(DEVICE, state, target, WriteVerify(cycles=3), progress=False)
    errors = [np.abs(e[~state.stuck]).mean() for e in report.error_after_cycle]
    assert report.retuned_per_cycle[1] > 0  # the first cycle left disturbed devices behind
    assert errors[2] < errors[0]


def test_bad_tuning_settings_are_rejected():
    with pytest.raises(MemristiveError, match="bias scheme"):
        WriteVerify(scheme="v/4")
    with pytest.raises(MemristiveError, match="tolerance"):
        WriteVerify(tolerance=0)
    with pytest.raises(MemristiveError, match="retune_order"):
        WriteVerify(retune_order="random")


def test_switching_strength_ranks_devices_by_both_thresholds():
    # reset / set amplitudes at which four devices last switched; 0 = never in that polarity
    last_switch = np.array([[[1.4, 0.7, 0.0, 2.8]], [[1.2, 0.6, 1.2, 2.4]]])
    strength = switching_strength(last_switch)
    assert strength[0, 0] == pytest.approx(2.0)  # both at the medians
    assert strength[0, 2] == pytest.approx(2.0)  # an unknown polarity counts as the median
    assert np.argsort(-strength[0]).tolist() == [3, 0, 2, 1]


def test_strength_order_beats_raster_order_under_disturb():
    target = np.random.default_rng(5).uniform(10e-6, 100e-6, (24, 24))
    errors = {}
    for order in ("strength", "raster"):
        state = DEVICE.sample(target.shape, np.random.default_rng(6), g_initial_s=14e-6)
        write_verify(DEVICE, state, target, WriteVerify(retune_order=order), progress=False)
        errors[order] = np.abs(state.g - target)[~state.stuck].mean()
    assert errors["strength"] < errors["raster"]
