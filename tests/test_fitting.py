"""Fitting a device to measured pulse data: round trip, bad files, presets by path."""

import pytest
import torch

from memristive.cli import main
from memristive.devices import get_preset
from memristive.devices.fitting import fit_nonlinear, load_preset, read_pulse_csv, simulate_csv, write_preset
from memristive.errors import MemristiveError


def test_round_trip_recovers_every_parameter_within_5_percent(tmp_path):
    true = get_preset("hzo-fefet").replace(d2d_g_sigma=0.05)
    csv = simulate_csv(true, tmp_path / "m.csv", devices=8, cycles=10, generator=torch.Generator().manual_seed(0))
    fitted = fit_nonlinear(read_pulse_csv(csv))
    for key in ("g_min", "g_max", "levels", "nu_ltp", "nu_ltd", "c2c_sigma", "d2d_g_sigma"):
        assert getattr(fitted, key) == pytest.approx(getattr(true, key), rel=0.05), key


@pytest.mark.slow
def test_noisy_device_fit_tightens_with_more_data(tmp_path):
    # ag-asi: c2c noise (3.5 % of range) exceeds the mean step (1 %); nu is then a
    # statistical estimate, unbiased but needing data: the error shrinks as data grows
    true = get_preset("ag-asi")
    errors = []
    for devices, cycles in ((4, 4), (16, 16)):
        csv = simulate_csv(true, tmp_path / f"{devices}.csv", devices, cycles, torch.Generator().manual_seed(3))
        fitted = fit_nonlinear(read_pulse_csv(csv))
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
        ("cycle,direction,pulse,conductance_s\n0,ltp,0,1e-5\n0,ltp,one,2e-5\n", ":3: not a number"),
        ("cycle,direction,pulse,conductance_s\n0,ltp,0,1e-5\n0,up,1,2e-5\n", ":3: direction 'up'"),
        ("cycle,direction,pulse,conductance_s\n0,ltp,0,1e-5,7\n", ":2: 5 fields"),
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
    assert "nu_ltp" in capsys.readouterr().out
    assert load_preset(tmp_path / "epi.toml").name == "epi"


def test_pulse_data_takes_any_array_and_checks_lengths():
    from memristive.devices.fitting import PulseData

    data = PulseData(device=[0, 0], cycle=torch.tensor([0, 0]), ltp=[True, True], pulse=[0, 1], g=[1e-6, 2e-6])
    assert data.g.dtype == torch.float64 and data.ltp.dtype == torch.bool and data.pulse.dtype == torch.int64
    assert data.numpy().g.tolist() == [1e-6, 2e-6]
    with pytest.raises(MemristiveError, match="differ in length"):
        PulseData(device=[0], cycle=[0, 0], ltp=[True, True], pulse=[0, 1], g=[1e-6, 2e-6])
