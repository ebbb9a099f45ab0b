"""Fitting a device to measured pulse data: round trip, bad files, presets by path."""

import tomllib

import numpy as np
import pytest
import torch

from memristive.cli import main
from memristive.devices import get_preset
from memristive.devices.fit_quality import fit_quality
from memristive.devices.fitting import fit_nonlinear, load_preset, read_pulse_csv, simulate_csv, write_preset
from memristive.errors import MemristiveError


ROUND_TRIP_KEYS = ("g_min", "g_max", "levels", "nu_ltp", "nu_ltd", "c2c_sigma", "d2d_g_sigma")


def test_round_trip_intervals_contain_the_truth_at_4_of_5_seeds(tmp_path):
    """A calibrated 95 % interval holds the true value at >= 4 of 5 independent data sets (probability 0.98); the
    intervals must also be narrow (an interval from -inf to inf would pass the first check)."""
    true = get_preset("hzo-fefet").replace(d2d_g_sigma=0.05)
    inside = {key: 0 for key in ROUND_TRIP_KEYS}
    for seed in range(1, 6):
        csv = simulate_csv(true, tmp_path / f"{seed}.csv", devices=8, cycles=10,
                           generator=torch.Generator().manual_seed(seed))
        fitted, intervals = fit_nonlinear(read_pulse_csv(csv))
        for key in ROUND_TRIP_KEYS:
            low, high = intervals[key]
            assert low <= getattr(fitted, key) <= high, key
            assert high - low < (1.0 if key == "d2d_g_sigma" else 0.2) * abs(getattr(true, key)), key
            inside[key] += low <= getattr(true, key) <= high
    assert all(count >= 4 for count in inside.values()), inside


def test_fit_of_a_sigmoid_curve_with_the_exponential_model_is_poor(tmp_path, capsys):
    """Sigmoid runs (+-1 % read noise): the nonlinear model cannot bend twice; the fit warns (exit 0), flags the
    preset poor and suggests the lookup model. The same model fitted to its own data is good."""
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 41)
    sigmoid = 1 / (1 + np.exp(-10 * (x - 0.5)))
    sigmoid = (sigmoid - sigmoid[0]) / (sigmoid[-1] - sigmoid[0])
    rows = ["device,cycle,direction,pulse,conductance_s"]
    for device in range(4):
        for cycle in range(5):
            for direction, curve in (("ltp", sigmoid), ("ltd", sigmoid[::-1])):
                g = 1e-6 + 9e-6 * np.clip(curve + rng.normal(0, 0.01, curve.size), 0, 1)
                rows += [f"{device},{cycle},{direction},{p},{float(v)!r}" for p, v in enumerate(g)]
    csv = tmp_path / "sigmoid.csv"
    csv.write_text("\n".join(rows) + "\n")
    main(["fit", str(csv)])
    out, err = capsys.readouterr()
    assert "warning: poor fit" in err and "--model lookup" in err and err.count("\n") == 1
    preset = tomllib.loads((tmp_path / "sigmoid.toml").read_text())
    assert preset["fit_quality"] == "poor" and preset["fit"]["misfit_rms"] > 0.05
    assert load_preset(tmp_path / "sigmoid.toml").name == "sigmoid"  # the fit's tables do not stop it loading
    own = read_pulse_csv(simulate_csv(get_preset("epiram"), tmp_path / "own.csv", 4, 5,
                                      torch.Generator().manual_seed(1)))
    assert fit_quality(fit_nonlinear(own).device, own).verdict == "good"


@pytest.mark.slow
def test_noisy_device_fit_tightens_with_more_data(tmp_path):
    # ag-asi: c2c noise (3.5 % of range) exceeds the mean step (1 %); nu is then a
    # statistical estimate, unbiased but needing data: the error shrinks as data grows
    true = get_preset("ag-asi")
    errors = []
    for devices, cycles in ((4, 4), (16, 16)):
        csv = simulate_csv(true, tmp_path / f"{devices}.csv", devices, cycles, torch.Generator().manual_seed(3))
        fitted = fit_nonlinear(read_pulse_csv(csv)).device
        assert fitted.c2c_sigma == pytest.approx(true.c2c_sigma, rel=0.05)
        errors.append(abs(fitted.nu_ltd - true.nu_ltd))
    assert errors[1] < 0.5 and errors[1] < errors[0] + 0.1


def test_preset_file_round_trip_and_load_by_path(tmp_path):
    device = get_preset("tpt-ram-110")
    path = write_preset(device, tmp_path / "tpt.toml")
    assert load_preset(path) == device
    assert get_preset(str(path)) == device


def test_preset_text_with_quotes_and_backslashes_round_trips(tmp_path):
    device = get_preset("epiram").replace(name="lab's device", source='run "3" in C:\\data')
    assert load_preset(write_preset(device, tmp_path / "q.toml")) == device


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty file"),
        ("cycle,direction,pulse\n0,ltp,0\n", ":1: missing column(s) conductance_s"),
        ("cycle,direction,pulse,conductance_s\n0,ltp,0,1e-5\n0,ltp,one,2e-5\n", ":3: pulse 'one' is not a whole number"),
        ("cycle,direction,pulse,conductance_s\n0,ltp,0,1e-5\n0,up,1,2e-5\n", ":3: direction 'up' must be ltp or ltd"),
        ("cycle,direction,pulse,conductance_s\n0,ltp,0,1e-5,7\n", ":2: 5 fields"),
        ("cycle,direction,pulse,conductance_s\n0,ltp,0,1e-5\n0,ltp,1,-2e-5\n", ":3: conductance_s -2e-05 must be >= 0"),
        ("cycle,direction,pulse,conductance_s\n0,ltp,0,nan\n", ":2: conductance_s 'nan' is not a finite number"),
    ],
)
def test_bad_csv_is_rejected_with_its_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(MemristiveError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_pulse_csv(path)


def test_fit_command_writes_preset_and_figure(tmp_path, capsys):
    csv = simulate_csv(get_preset("epiram"), tmp_path / "epi.csv", 4, 5, torch.Generator().manual_seed(0))
    main(["fit", str(csv)])
    assert (tmp_path / "epi.toml").is_file() and (tmp_path / "epi.png").stat().st_size > 10_000
    out = capsys.readouterr().out
    assert "nu_ltp" in out and "95 % intervals" in out and "fit: good" in out
    assert load_preset(tmp_path / "epi.toml").name == "epi"


def test_pulse_data_takes_any_array_and_checks_lengths():
    from memristive.devices.fitting import PulseData

    data = PulseData(device=[0, 0], cycle=torch.tensor([0, 0]), ltp=[True, True], pulse=[0, 1], g=[1e-6, 2e-6])
    assert data.g.dtype == torch.float64 and data.ltp.dtype == torch.bool and data.pulse.dtype == torch.int64
    assert data.numpy().g.tolist() == [1e-6, 2e-6]
    with pytest.raises(MemristiveError, match="differ in length"):
        PulseData(device=[0], cycle=[0, 0], ltp=[True, True], pulse=[0, 1], g=[1e-6, 2e-6])
