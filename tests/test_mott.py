"""Mott memristor (devices.mott), its oscillator and neuristor (spiking.mott_neuron), firing patterns (spiking.firing)."""

import numpy as np
import pytest
import torch

from memristive.devices import PRESETS, MottMemristor
from memristive.errors import MemristiveError
from memristive.spiking.firing import firing_mode
from memristive.spiking.mott_neuron import MottNeuristor, MottOscillator

MOTT = PRESETS["mott-nbo2"]


def _held(v_first: float, v_then: float) -> torch.Tensor:
    """Conductance after 40 thermal times at ``v_first`` then 40 at ``v_then`` (a device per start)."""
    state = MOTT.sample((1,), dtype=torch.float64)
    state = MOTT.apply_voltage(state, v_first, 40 * MOTT.tau_thermal_s)
    return MOTT.conductance(MOTT.apply_voltage(state, v_then, 40 * MOTT.tau_thermal_s))[0]


def test_it_switches_above_threshold_holds_above_hold_and_relaxes_when_undriven():
    g_ins, g_met = MOTT.g_insulating, MOTT.g_metallic
    assert _held(0.95 * MOTT.threshold_v, 0.95 * MOTT.threshold_v) < 2 * g_ins  # below threshold: insulating
    assert _held(1.1 * MOTT.threshold_v, 1.1 * MOTT.threshold_v) > 0.9 * g_met  # above: metallic
    between = 0.5 * (MOTT.hold_v + MOTT.threshold_v)
    assert _held(1.1 * MOTT.threshold_v, between) > 0.9 * g_met  # hysteresis: stays metallic between hold and threshold
    assert _held(0.0, between) < 2 * g_ins  # ...and insulating when it starts there
    assert _held(1.1 * MOTT.threshold_v, 0.8 * MOTT.hold_v) < 2 * g_ins  # below hold it relaxes
    hot = MOTT.apply_voltage(MOTT.sample((3,)), 1.2 * MOTT.threshold_v, 10e-9)
    cooled = MOTT.advance(hot, 20 * MOTT.tau_thermal_s)
    torch.testing.assert_close(cooled.temperature, torch.full((3,), MOTT.ambient_k), rtol=1e-6, atol=1e-3)


def test_threshold_and_hold_follow_from_the_heat_balance():
    # the sharp-transition estimates sqrt((T_c - T_amb) / (R_th G)) are 1.0 V and 0.224 V; the gradual transition
    # switches a little earlier (threshold) and later (hold)
    assert 0.9 < MOTT.threshold_v < 1.0 and 0.224 < MOTT.hold_v < 0.25
    (v_th, i_th), (v_hold, i_hold) = MOTT.turning_points()
    assert MOTT.g_insulating < i_th / v_th < 2 * MOTT.g_insulating  # still nearly insulating at threshold
    assert 0.5 * MOTT.g_metallic < i_hold / v_hold < MOTT.g_metallic  # nearly metallic at hold
    t = np.linspace(300, 1500, 7)
    np.testing.assert_allclose(MOTT.conductance_at(t), MOTT.conductance_at(torch.from_numpy(t)).numpy(), rtol=1e-12)
    # heating stops at the fixed point T = T_amb + R_th G(T) V^2 of a cold insulating device
    v = 0.5
    fixed = MOTT.ambient_k + MOTT.thermal_resistance * MOTT.g_insulating * v * v
    assert abs(float(MOTT.current_and_heating(torch.tensor(fixed, dtype=torch.float64), v)[1])) \
        < 1e-3 / MOTT.tau_thermal_s


def test_program_heats_to_the_target_conductance():
    state = MOTT.program(MOTT.sample((4,), dtype=torch.float64), torch.full((4,), 5e-4, dtype=torch.float64))
    torch.testing.assert_close(MOTT.conductance(state), torch.full((4,), 5e-4, dtype=torch.float64))


@pytest.mark.parametrize("changes, message", [
    ({"transition_k": 250.0}, "transition_k=250.0 K must exceed ambient_k"),
    ({"read_v": 0.5}, "read_v=0.5 V must lie below the hold voltage"),
    ({"thermal_capacitance": 0.0}, "thermal_capacitance=0.0 must be > 0"),
    ({"g_metallic": 1e-5}, "need 0 <= g_min < g_max"),
])
def test_bad_parameters_are_named(changes, message):
    with pytest.raises(MemristiveError, match=message):
        MOTT.replace(**changes)


def test_the_oscillator_oscillates_only_where_the_load_line_meets_the_negative_resistance():
    def spikes(ohm):
        y0 = np.array([0.0, MOTT.ambient_k])
        return len(MottOscillator(MOTT, 1.5, ohm, 100e-12).run([(10e-6, 0.0)], y0=y0).spikes_s)

    assert spikes(4e3) >= 5  # inside the predicted (2.78, 5.79) kOhm: relaxation oscillation
    assert spikes(2e3) <= 1  # latched metallic: one switching, never released
    assert spikes(8e3) == 0  # never reaches threshold


def test_a_device_without_negative_resistance_is_refused():
    with pytest.raises(MemristiveError, match="no negative differential resistance"):
        MOTT.replace(g_metallic=1.05e-4, read_v=0.01)


def test_neuristor_spikes_all_or_nothing_with_a_threshold_and_a_refractory_period():
    neuristor = MottNeuristor(MOTT, 100e-12, 3e-9)
    rest = neuristor.rest()
    assert len(neuristor.run([(10e-6, 0.0)], y0=rest).spikes_s) == 0  # no input, no spike
    assert len(neuristor.run([(10e-6, 2e-5)], y0=rest).spikes_s) == 0  # below threshold current
    assert len(neuristor.run([(10e-6, 1e-4)], y0=rest).spikes_s) >= 8  # above: continuous spiking

    def pulses(amplitude, gap=None):
        segments = [(100e-9, amplitude)]
        if gap:
            segments += [(gap - 100e-9, 0.0), (100e-9, amplitude)]
        trace = neuristor.run(segments + [(5e-6, 0.0)], y0=rest)
        return len(trace.spikes_s), rest[0] - trace.voltages_v[0].min()

    (n_small, swing_small), (n_one, swing_one), (n_big, swing_big) = pulses(1e-4), pulses(3e-4), pulses(9e-4)
    assert n_small == 0 and swing_small < 0.05
    assert n_one == n_big == 1 and swing_big == pytest.approx(swing_one, rel=0.05)  # all or nothing
    assert pulses(3e-4, gap=200e-9)[0] == 1  # refractory: the second pulse is lost
    assert pulses(3e-4, gap=3e-6)[0] == 2  # recovered


def test_a_neuristor_bias_above_threshold_is_refused():
    with pytest.raises(MemristiveError, match="bias_v=1.2 V must lie below the device threshold"):
        MottNeuristor(MOTT, bias_v=1.2)


def test_firing_mode_reads_the_inter_spike_intervals():
    regular = np.cumsum(np.r_[0.0, 1.0 + 0.5 * (1 - np.exp(-np.arange(20) / 4))])  # ISIs lengthen to 1.5
    fast = np.arange(30) * 0.3
    bursts = np.cumsum(np.r_[0.0, np.tile([0.2, 1.0], 12)])
    assert firing_mode(regular) == "regular"
    assert firing_mode(fast) == "fast"
    assert firing_mode(bursts) == "chattering"
    assert firing_mode(np.array([0.0, 1.0, 2.0])) == "quiet"
    assert isinstance(MOTT, MottMemristor)
