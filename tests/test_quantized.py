"""The quantized-conductance device (seed 004): ladder, pulses, variation, and its fit."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.devices import QuantizedConductanceDevice, get_preset
from memristive.devices.fitting import fit_quantized, load_preset, read_pulse_csv, simulate_csv, write_preset
from memristive.devices.quantized import G0_S
from memristive.errors import MemristiveError


def test_paper_ladder_is_32_half_integer_states_from_16_to_half_g0():
    device = get_preset("hfox-qc-ideal")
    nominal = device.nominal_s(torch.arange(32.0)) / G0_S
    assert device.states == 32
    assert torch.allclose(nominal, torch.arange(0.5, 16.5, 0.5, dtype=nominal.dtype))


def test_one_state_per_pulse_and_bounds_hold():
    device = get_preset("hfox-qc-ideal")
    state = device.sample((3,))
    state = device.pulse(state, torch.tensor([1.0, 5.0, 40.0]))
    assert state.index.tolist() == [1, 5, 31]
    assert torch.allclose(state.g / G0_S, torch.tensor([1.0, 3.0, 16.0]))
    state = device.pulse(state, torch.tensor([-3.0, 0.0, -1.0]))
    assert state.index.tolist() == [0, 5, 30]


def test_unpulsed_devices_keep_their_read_and_pulsed_ones_redraw():
    device = get_preset("hfox-qc-b")
    generator = torch.Generator().manual_seed(0)
    state = device.program(device.sample((1000,), generator=generator), torch.full((1000,), 8 * G0_S), generator=generator)
    moved = device.pulse(state, torch.tensor([0.0, 1.0]).repeat(500), generator=generator)
    assert torch.equal(moved.g[::2], state.g[::2])
    assert not torch.equal(moved.g[1::2], state.g[1::2])


def test_read_statistics_follow_the_state_model():
    # at 8 G0 the truncation at 0 is far (4 sigma for sample B): mean (1 - k (cycles-1)/2) mu
    for name in ("hfox-qc-a", "hfox-qc-b"):
        device = get_preset(name)
        index = torch.full((200_000,), 15.0, dtype=torch.float64)
        g = device.draw(index, torch.Generator().manual_seed(1)) / G0_S
        expected_mean = 8.0 * (1 - device.cycle_k * (device.cycles - 1) / 2)
        assert g.mean().item() == pytest.approx(expected_mean, rel=0.01)
        assert g.std().item() > device.sigma_g0 * (1 - device.cycle_k * (device.cycles - 1))


@settings(max_examples=25, deadline=None)
@given(states=st.integers(2, 128), sigma=st.floats(0, 5), seed=st.integers(0, 2**31))
def test_reads_are_never_negative_and_indices_stay_on_the_ladder(states, sigma, seed):
    device = QuantizedConductanceDevice(states=states, sigma_g0=sigma)
    generator = torch.Generator().manual_seed(seed)
    state = device.sample((64,), generator=generator)
    for _ in range(3):
        state = device.pulse(state, torch.randint(-3, 4, (64,), generator=generator).float(), generator=generator)
        assert (state.g >= 0).all() and (state.index >= 0).all() and (state.index <= states - 1).all()
        assert torch.equal(state.index, state.index.round())


def test_same_seed_same_reads():
    device = get_preset("hfox-qc-a")
    a, b = (device.sweeps(4, 12, torch.Generator().manual_seed(5))["ltd"] for _ in range(2))
    assert torch.equal(a, b)


@pytest.mark.parametrize("changes, message", [({"states": 1}, "states=1"), ({"sigma_g0": -1}, "sigma_g0"),
                                              ({"cycle_k": 0.2}, "cycle_k"), ({"g_bottom_g0": 20}, "g_bottom_g0")])
def test_bad_parameters_are_named(changes, message):
    with pytest.raises(MemristiveError, match=message):
        get_preset("hfox-qc-a").replace(**changes)


def test_fit_round_trip_within_5_percent(tmp_path):
    true = get_preset("hfox-qc-a")
    csv = simulate_csv(true, tmp_path / "qc.csv", devices=8, cycles=12, generator=torch.Generator().manual_seed(0))
    fitted = fit_quantized(read_pulse_csv(csv)).device
    assert fitted.states == true.states and fitted.cycles == true.cycles
    for key in ("g_top_g0", "g_bottom_g0", "sigma_g0", "cycle_k"):
        assert getattr(fitted, key) == pytest.approx(getattr(true, key), rel=0.05), key


def test_fit_of_the_wide_sample_recovers_its_variation(tmp_path):
    true = get_preset("hfox-qc-b")
    csv = simulate_csv(true, tmp_path / "qc.csv", devices=8, cycles=12, generator=torch.Generator().manual_seed(0))
    fitted = fit_quantized(read_pulse_csv(csv)).device
    for key in ("g_top_g0", "sigma_g0", "cycle_k"):
        assert getattr(fitted, key) == pytest.approx(getattr(true, key), rel=0.05), key


def test_preset_file_round_trip(tmp_path):
    device = get_preset("hfox-qc-b")
    assert load_preset(write_preset(device, tmp_path / "b.toml")) == device


def test_fit_command_quantized_model(tmp_path, capsys):
    from memristive.cli import main

    csv = simulate_csv(get_preset("hfox-qc-a"), tmp_path / "qc.csv", 4, 12, torch.Generator().manual_seed(0))
    main(["fit", str(csv), "--model", "quantized"])
    fitted = get_preset(str(tmp_path / "qc.toml"))
    assert isinstance(fitted, QuantizedConductanceDevice) and fitted.states == 32
    assert (tmp_path / "qc.png").stat().st_size > 10_000
    assert "sigma_g0" in capsys.readouterr().out


def test_truncated_normal_is_finite_where_float32_rounds_to_one():
    from memristive.devices.quantized import truncated_normal

    top = torch.tensor([1 - 2.0**-24], dtype=torch.float32)  # largest torch.rand value
    z = truncated_normal(torch.tensor([-0.25]), top)
    assert torch.isfinite(z).all() and z.item() > 4
    assert truncated_normal(torch.tensor([1.0], dtype=torch.float64), torch.tensor([0.0], dtype=torch.float64)).item() \
        == pytest.approx(1.0)
