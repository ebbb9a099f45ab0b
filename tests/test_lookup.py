"""The lookup-table device: interpolation physics, fitting from data, presets by file."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.cli import main
from memristive.devices import LookupPulseDevice, get_preset
from memristive.devices.fitting import fit_lookup, load_preset, mean_runs, read_pulse_csv, simulate_csv, write_preset
from memristive.devices.lookup import interp
from memristive.errors import MemristiveError


def _from_nonlinear(name: str) -> LookupPulseDevice:
    """A lookup device whose tables are a nonlinear preset's noiseless sweeps."""
    device = get_preset(name).ideal()
    runs = {k: (v[0, 0] - device.g_min) / (device.g_max - device.g_min) for k, v in device.sweeps(1, 1).items()}
    return LookupPulseDevice(curve_ltp=tuple(runs["ltp"].tolist()), curve_ltd=tuple(runs["ltd"].tolist()),
                             g_min=device.g_min, g_max=device.g_max)


def test_interp_matches_numpy():
    xp, fp = torch.tensor([0.0, 1.0, 3.0, 4.0]), torch.tensor([0.0, 2.0, 2.5, 7.0])
    x = torch.linspace(-1, 5, 50)
    assert np.allclose(interp(x, xp, fp).numpy(), np.interp(x.numpy(), xp.numpy(), fp.numpy()))


@pytest.mark.parametrize("name", ["tpt-ram-110", "ag-asi", "hzo-fefet"])
def test_tabulated_curve_reproduces_the_device_it_came_from(name):
    lookup, device = _from_nonlinear(name), get_preset(name).ideal()
    a, b = lookup.sweeps(1, 2), device.sweeps(1, 2)
    for direction in ("ltp", "ltd"):
        assert torch.allclose(a[direction], b[direction], rtol=1e-6, atol=1e-6 * device.g_max)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(-60, 60), start=st.floats(0, 1))
def test_moves_in_the_pulse_direction_and_stays_in_range(n, start):
    lookup = _from_nonlinear("ag-asi")
    state = lookup.sample((1,), dtype=torch.float64)
    g0 = lookup.g_min + start * (lookup.g_max - lookup.g_min)
    state = state.with_g(torch.tensor([g0], dtype=torch.float64))
    g1 = lookup.pulse(state, torch.tensor(float(n), dtype=torch.float64)).g.item()
    assert lookup.g_min - 1e-15 <= g1 <= lookup.g_max + 1e-15
    assert (g1 - g0) * np.sign(n) >= -1e-12


def test_fit_lookup_recovers_curves_and_noise(tmp_path):
    true = get_preset("hzo-fefet").replace(d2d_g_sigma=0.05)
    csv = simulate_csv(true, tmp_path / "m.csv", devices=8, cycles=10, generator=torch.Generator().manual_seed(0))
    fitted = fit_lookup(read_pulse_csv(csv)).device
    assert fitted.levels == true.levels
    assert fitted.c2c_sigma == pytest.approx(true.c2c_sigma, rel=0.1)
    assert fitted.d2d_g_sigma == pytest.approx(true.d2d_g_sigma, rel=0.3)
    span = true.g_max - true.g_min
    a, b = (mean_runs(d, 64, 4, torch.Generator().manual_seed(1)) for d in (true, fitted))
    for direction in ("ltp", "ltd"):
        assert float((a[direction] - b[direction]).abs().max()) < 0.05 * span


def test_bad_tables_are_named():
    with pytest.raises(MemristiveError, match="curve_ltp must be non-decreasing"):
        LookupPulseDevice(curve_ltp=(0, 0.6, 0.4, 1), curve_ltd=(1, 0), g_min=1e-6, g_max=2e-6)
    with pytest.raises(MemristiveError, match="curve_ltd must run from 1 to 0"):
        LookupPulseDevice(curve_ltp=(0, 1), curve_ltd=(0.9, 0), g_min=1e-6, g_max=2e-6)


def test_preset_round_trip_and_fit_command(tmp_path, capsys):
    device = _from_nonlinear("epiram")
    assert load_preset(write_preset(device, tmp_path / "l.toml")) == device
    csv = simulate_csv(get_preset("epiram"), tmp_path / "epi.csv", 4, 5, torch.Generator().manual_seed(0))
    main(["fit", str(csv), "--model", "lookup", "--out", str(tmp_path / "epi-lookup.toml")])
    assert isinstance(get_preset(str(tmp_path / "epi-lookup.toml")), LookupPulseDevice)
    assert (tmp_path / "epi-lookup.png").stat().st_size > 10_000
    assert "ltd_pulses" in capsys.readouterr().out
