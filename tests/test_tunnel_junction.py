"""Oxide tunnel junction: conduction laws and the two-timescale dynamics (issue 6)."""

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.devices.conduction import direct_tunnelling, fowler_nordheim, thermal_voltage, thermionic_emission
from memristive.devices import get_preset
from memristive.devices.presets import OTJ_STO
from memristive.devices.tunnel_junction import JunctionConduction, TunnelJunctionSynapse
from memristive.errors import MemristiveError

V = torch.linspace(-2.0, 2.0, 81, dtype=torch.float64)


def test_thermionic_emission_saturates_at_richardson_current():
    i = thermionic_emission(torch.tensor([1.0, 2.0], dtype=torch.float64), 0.55, 1e-10, 1.2e6, 300.0, 2.0)
    i_s = 1e-10 * 1.2e6 * 300.0**2 * math.exp(-0.55 / thermal_voltage(300.0))
    assert i.tolist() == pytest.approx([i_s, i_s], rel=1e-9)


def test_direct_tunnelling_is_ohmic_at_low_bias_and_swaps_barriers_when_reversed():
    small = torch.tensor([1e-4, 2e-4], dtype=torch.float64)
    i = direct_tunnelling(small, 0.35, 0.41, 2.8e-9, 1.0, 1e-10)
    assert (i[1] / i[0]).item() == pytest.approx(2.0, rel=1e-3)
    v = torch.tensor([0.5], dtype=torch.float64)
    assert direct_tunnelling(-v, 0.35, 0.41, 2.8e-9, 1.0, 1e-10).item() == pytest.approx(
        -direct_tunnelling(v, 0.41, 0.35, 2.8e-9, 1.0, 1e-10).item(), rel=1e-12)


def test_tunnelling_falls_with_thickness_and_barrier():
    v = torch.tensor([0.1], dtype=torch.float64)
    base = direct_tunnelling(v, 0.35, 0.41, 2.8e-9, 1.0, 1e-10)
    assert direct_tunnelling(v, 0.35, 0.41, 3.0e-9, 1.0, 1e-10) < base
    assert direct_tunnelling(v, 0.45, 0.51, 2.8e-9, 1.0, 1e-10) < base
    assert fowler_nordheim(torch.tensor([0.5], dtype=torch.float64), 0.075, 2.8e-9, 1.0, 1e-10) > fowler_nordheim(
        torch.tensor([0.3], dtype=torch.float64), 0.075, 2.8e-9, 1.0, 1e-10)


def test_currents_are_monotone_in_voltage_for_every_state():
    c = OTJ_STO.conduction
    for w in (0.0, 0.1, 1.0):
        i = c.current(V, torch.full_like(V, w), torch.zeros_like(V))
        assert torch.all(torch.diff(i) >= 0) and i[-1] > i[0]  # the HRS branch saturates: non-decreasing


def test_series_resistance_limits_the_lrs_current():
    c = OTJ_STO.conduction
    v = torch.tensor([2.0], dtype=torch.float64)
    assert c.lrs_current(v).item() < 2.0 / c.series_ohm
    i = c.lrs_current(v)
    assert c.tunnelling_current(v - i * c.series_ohm).item() == pytest.approx(i.item(), rel=1e-4)


@settings(max_examples=40, deadline=None)
@given(v=st.floats(-3.0, 3.0), dt=st.floats(1e-9, 5e-6), w=st.floats(0.0, 1.0), parts=st.integers(2, 7))
def test_step_is_exact_whatever_the_step_length(v, dt, w, parts):
    state = OTJ_STO.sample((1,), w=w, dtype=torch.float64)
    state = OTJ_STO.apply_voltage(state, 1.9, 30e-9)  # some stored charge and displaced vacancies
    one = OTJ_STO.apply_voltage(state, v, dt)
    many = state
    for _ in range(parts):
        many = OTJ_STO.apply_voltage(many, v, dt / parts)
    for a, b in ((one.w, many.w), (one.s, many.s), (one.q, many.q)):
        assert a.item() == pytest.approx(b.item(), rel=1e-7, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(v=st.floats(-5.0, 5.0), dt=st.floats(1e-9, 1e-3), w=st.floats(0.0, 1.0))
def test_state_stays_in_bounds(v, dt, w):
    state = OTJ_STO.apply_voltage(OTJ_STO.sample((1,), w=w, dtype=torch.float64), v, dt)
    assert 0.0 <= state.w.item() <= 1.0
    assert -1.0 <= state.s.item() <= 1.0 and -1.0 <= state.q.item() <= 1.0


def test_retained_change_grows_with_amplitude_and_sign_sets_direction():
    amplitudes = torch.tensor([1.5, 1.9, 2.1, 2.4], dtype=torch.float64)
    state = OTJ_STO.sample((4,), w=0.1, dtype=torch.float64)
    g0 = OTJ_STO.conductance(state)
    after = OTJ_STO.advance(OTJ_STO.apply_voltage(state, amplitudes, 20e-9), 1e-3)
    change = OTJ_STO.conductance(after) / g0 - 1
    assert change[0].item() == pytest.approx(0.0, abs=1e-9)
    assert torch.all(torch.diff(change) > 0)
    down = OTJ_STO.advance(OTJ_STO.apply_voltage(state, -amplitudes, 50e-9), 1e-3)
    assert torch.all(OTJ_STO.conductance(down)[1:] < g0[1:])


def test_fast_trains_consolidate_slow_trains_do_not():
    def train(period):
        state = OTJ_STO.sample((), dtype=torch.float64)
        for _ in range(10):
            state = OTJ_STO.advance(OTJ_STO.apply_voltage(state, 1.5, 50e-9), period - 50e-9)
        return OTJ_STO.advance(state, 1e-3).w.item()

    assert train(200e-9) > 1e-4 > 1e-9 > train(2e-6)  # w = 1e-4 reads ~70 % above the HRS


def test_volatile_parts_decay_with_their_time_constants():
    state = OTJ_STO.apply_voltage(OTJ_STO.sample((), dtype=torch.float64), 0.6, 50e-9)
    later = OTJ_STO.advance(state, 1e-6)
    assert (later.q / state.q).item() == pytest.approx(math.exp(-1e-6 / OTJ_STO.tau_charge_s), rel=1e-9)
    assert (later.s / state.s).item() == pytest.approx(math.exp(-1e-6 / OTJ_STO.tau_volatile_s), rel=1e-9)


def test_same_seed_same_devices():
    device = TunnelJunctionSynapse(d2d_drive_sigma=0.2)
    a = device.sample((8,), generator=torch.Generator().manual_seed(3), dtype=torch.float64).drive_factor
    b = device.sample((8,), generator=torch.Generator().manual_seed(3), dtype=torch.float64).drive_factor
    assert torch.equal(a, b)


@pytest.mark.parametrize("kwargs, word", [
    ({"tau_charge_s": 0.0}, "tau_charge_s"),
    ({"consolidation_level": 1.5}, "consolidation_level"),
    ({"ltp_rate_per_s": -1.0}, "ltp_rate_per_s"),
])
def test_bad_parameters_name_the_value(kwargs, word):
    with pytest.raises(MemristiveError, match=word):
        TunnelJunctionSynapse(**kwargs)


def test_bad_conduction_and_preset_names_are_rejected():
    with pytest.raises(MemristiveError, match="thickness_m"):
        JunctionConduction(thickness_m=0.0)
    with pytest.raises(MemristiveError, match="otj-sto"):
        get_preset("nope", TunnelJunctionSynapse)
