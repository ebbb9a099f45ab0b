"""Threshold switching, bias schemes and write-verify tuning."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar.programming import WriteVerify, bias_voltages, switching_strength, write_verify
from memristive.devices.base import DeviceModel
from memristive.devices.presets import TIOX_4K
from memristive.errors import MemristiveError

DEVICE = TIOX_4K


def sample(shape, seed, g_initial=None):
    state = DEVICE.sample(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    return state if g_initial is None else DEVICE.program(state, torch.full(shape, g_initial, dtype=torch.float64))


@pytest.mark.parametrize("scheme, half, other", [("v/2", 0.5, 0.0), ("v/3", 1 / 3, -1 / 3)])
def test_bias_schemes_put_the_documented_voltages_on_every_device(scheme, half, other):
    v = bias_voltages(scheme, (4, 5), 1, 2, 1.8, dtype=torch.float64).numpy()
    assert v[1, 2] == pytest.approx(1.8)
    assert np.allclose(np.delete(v[1], 2), half * 1.8) and np.allclose(np.delete(v[:, 2], 1), half * 1.8)
    rest = np.delete(np.delete(v, 1, axis=0), 2, axis=1)
    assert np.allclose(rest, other * 1.8)


@settings(max_examples=30, deadline=None)
@given(v=st.floats(-3, 3), seed=st.integers(0, 1000))
def test_pulses_keep_conductance_in_bounds_and_move_the_right_way(v, seed):
    state = sample((50,), seed, 50e-6)
    before = state.g
    state = DEVICE.apply_voltage(state, torch.full((50,), v, dtype=torch.float64), 1e-3)
    moving = ~state.stuck  # stuck devices sit at g_stuck, outside the switching range
    assert bool((state.g[moving] >= DEVICE.g_min - 1e-18).all() and (state.g[moving] <= DEVICE.g_max + 1e-18).all())
    if v > 0:
        assert bool((state.g[moving] >= before[moving]).all())
    elif v < 0:
        assert bool((state.g[moving] <= before[moving]).all())
    assert torch.equal(state.g[state.stuck], before[state.stuck])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 1000), sign=st.sampled_from([1.0, -1.0, 0.0]))
def test_a_voltage_train_at_once_equals_its_pulses_one_by_one(seed, sign):
    """The closed-form train (one sign per device, or mixed signs: ``sign`` 0) equals the pulse-by-pulse default."""
    gen = torch.Generator().manual_seed(seed)
    state = sample((4, 5), seed, 40e-6)
    steps = torch.rand((30, 4, 5), generator=gen, dtype=torch.float64) * 2.2
    per_device = torch.where(torch.rand((4, 5), generator=gen) < 0.5, 1.0, -1.0).to(torch.float64)
    v = steps * (sign if sign else per_device) * (torch.rand((30, 4, 5), generator=gen) < 0.8)
    if not sign:
        v[3, 0, 0], v[7, 0, 0] = 1.5, -1.5  # one device changes sign: the train falls back to pulse by pulse
    fast, slow = DEVICE.apply_voltage_train(state, v, 1e-3), DeviceModel.apply_voltage_train(DEVICE, state, v, 1e-3)
    assert torch.allclose(fast.states.g, slow.states.g, rtol=1e-12, atol=0)
    assert torch.allclose(fast.energy_j, slow.energy_j, rtol=1e-12, atol=0)
    assert torch.equal(fast.states.map(lambda t: t[-1]).stuck, state.stuck)


def test_write_verify_by_ramps_equals_pulse_by_pulse(monkeypatch):
    """Ramps simulated ahead on the selected device and applied as one train give the pulse-by-pulse result."""
    targets = 10e-6 + 90e-6 * torch.rand((6, 6), generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    runs = {}
    for how in ("train", "pulses"):
        if how == "pulses":
            monkeypatch.setattr(type(DEVICE), "apply_voltage_train", DeviceModel.apply_voltage_train)
        for scheme in ("v/2", "v/3"):
            state, report = write_verify(DEVICE, sample((6, 6), 5, 14e-6), targets, WriteVerify(scheme=scheme),
                                         progress=False)
            runs[how, scheme] = state.g, report
    for scheme in ("v/2", "v/3"):
        (g_fast, fast), (g_slow, slow) = runs["train", scheme], runs["pulses", scheme]
        assert torch.equal(fast.pulses, slow.pulses) and torch.equal(fast.given_up, slow.given_up)
        assert torch.allclose(g_fast, g_slow, rtol=1e-10, atol=0)
        assert fast.energy_j == pytest.approx(slow.energy_j, rel=1e-10)


def test_switching_grows_with_voltage_and_width():
    state = sample((1,), 0, 20e-6)  # a device at the mean thresholds
    state = replace(state, v_set=torch.full((1,), 1.19, dtype=torch.float64),
                    v_reset=torch.full((1,), -1.39, dtype=torch.float64))
    shares = [float(DEVICE.switched_share(torch.tensor(v, dtype=torch.float64), state.v_set, state.v_reset, w)[0]) for v, w in
              ((0.6, 1e-3), (1.0, 1e-3), (1.4, 1e-3), (1.4, 1e-2))]
    assert shares == sorted(shares) and shares[0] < 1e-4 < shares[-1]


def test_thresholds_have_the_paper_statistics():
    state = sample((200, 200), 1).map(lambda t: t.numpy())
    ok = ~state.stuck
    assert state.v_set[ok].mean() == pytest.approx(1.19, abs=0.02)
    assert state.v_reset[ok].mean() == pytest.approx(-1.39, abs=0.02)
    assert state.v_set[ok].std() == pytest.approx(0.31, abs=0.02)
    assert np.corrcoef(state.v_set[ok], -state.v_reset[ok])[0, 1] > 0.5
    assert state.stuck.mean() == pytest.approx(45 / 4096, abs=0.002)


def test_write_verify_reaches_tolerance_without_disturb():
    state = sample((8, 8), 2, 14e-6)
    target = torch.as_tensor(np.random.default_rng(2).uniform(10e-6, 100e-6, (8, 8)))
    needed = ((state.g - target).abs() > 0.05 * target) & ~state.stuck
    state, report = write_verify(DEVICE, state, target, WriteVerify(disturb=False), progress=False)
    error = (state.g - target).abs() / target
    assert bool((error[~state.stuck] <= 0.05).all())
    assert bool((report.pulses[needed] > 0).all()) and bool((report.pulses[~needed & ~state.stuck] == 0).all())
    assert torch.equal(report.given_up, state.stuck)


def test_half_select_disturb_acts_and_cycles_repair_it():
    rng = np.random.default_rng(3)
    target = torch.as_tensor(rng.uniform(10e-6, 100e-6, (16, 16)))
    state, report = write_verify(DEVICE, sample((16, 16), 4, 14e-6), target, WriteVerify(cycles=3), progress=False)
    errors = [float(e[~state.stuck].abs().mean()) for e in report.error_after_cycle]
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
    last_switch = torch.tensor([[[1.4, 0.7, 0.0, 2.8]], [[1.2, 0.6, 1.2, 2.4]]], dtype=torch.float64)
    strength = switching_strength(last_switch)
    assert float(strength[0, 0]) == pytest.approx(2.0)  # both at the medians
    assert float(strength[0, 2]) == pytest.approx(2.0)  # an unknown polarity counts as the median
    assert torch.argsort(-strength[0]).tolist() == [3, 0, 2, 1]


def test_strength_order_beats_raster_order_under_disturb():
    target = torch.as_tensor(np.random.default_rng(5).uniform(10e-6, 100e-6, (24, 24)))
    errors = {}
    for order in ("strength", "raster"):
        state, _ = write_verify(DEVICE, sample((24, 24), 6, 14e-6), target, WriteVerify(retune_order=order),
                                progress=False)
        errors[order] = float((state.g - target).abs()[~state.stuck].mean())
    assert errors["strength"] < errors["raster"]


def test_a_1t1r_array_has_no_half_select_disturb_and_a_selector_reduces_it():
    from memristive.crossbar.cells import Cell, ThresholdSelector, Transistor

    rng = np.random.default_rng(5)
    target = torch.as_tensor(rng.uniform(10e-6, 100e-6, (6, 6)))
    disturbed = {}
    for cell, v_max in ((None, 2.5), (Cell(ThresholdSelector()), 3.0), (Cell(Transistor()), 2.5)):
        kwargs = {} if cell is None else {"cell": cell}
        state, report = write_verify(DEVICE, sample((6, 6), 6, 14e-6), target, WriteVerify(cycles=1, v_max=v_max),
                                     progress=False, **kwargs)
        error = ((state.g - target).abs() / target)[~state.stuck]
        disturbed[cell.name if cell else "0T1R"] = int((report.disturbed > 0).sum())
        assert report.energy_j > 0
        if cell is not None and cell.gated:
            assert bool((error <= 0.05).all())  # one cycle is enough: nothing moves a device once tuned
    assert disturbed["1T1R"] == 0 < disturbed["1S1R"] < disturbed["0T1R"]


def test_the_transistor_compliance_caps_a_set():
    from memristive.crossbar.cells import Cell, Transistor
    from memristive.crossbar.programming import _Writer

    state = sample((1, 1), 7, 14e-6)
    ramp = torch.linspace(0.5, 2.5, 501, dtype=torch.float64)[:, None, None]  # 4 mV steps, as write-verify ramps
    final = []
    for compliance in (40e-6, 80e-6):
        cell = Cell(Transistor(r_on_ohm=1e3, compliance_a=compliance))
        train = _Writer(DEVICE, (1, 1), WriteVerify(), state.g, cell).train(state, ramp)
        final.append(float(DEVICE.conductance(train.states)[-1, 0, 0]))
        # at I_cc the device sees I_cc / G, which falls below its set threshold as G grows: the set stops near there
        assert compliance / float(state.v_set) < final[-1] < 1.5 * compliance / float(state.v_set)
    assert final[1] > 1.8 * final[0]
