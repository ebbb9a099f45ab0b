"""The device scorecard against seed 002's Table 1 (issue 18 item 14): each measurement recovers what a device of
known properties has, verdicts follow the targets, the endurance model closes the window, the CLI and the
experiment report every preset."""

import json
import math
import subprocess
import sys

import pytest
import torch

from memristive.devices import PRESETS, get_preset
from memristive.devices.endurance import ENDURANCE, Endurance
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.devices.scorecard import TARGETS, score
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment

LINEAR = NonlinearPulseDevice(g_min=1e-6, g_max=2e-4, levels=128, nu_ltp=0.0, nu_ltd=0.0, pulse_v=0.5,
                              pulse_width_s=10e-9, name="linear")


def _card(model, seed=0, devices=32):
    rows = score(model, devices=devices, generator=torch.Generator().manual_seed(seed))
    assert [row.metric for row in rows] == list(TARGETS)
    return {row.metric: row for row in rows}


def test_an_ideal_linear_device_is_measured_exactly():
    card = _card(LINEAR)
    assert card["dynamic_range"].value == pytest.approx(200) and card["dynamic_range"].verdict == "pass"
    assert card["levels"].value == 128 and card["levels"].verdict == "pass"
    assert abs(card["nu_set"].value) < 1e-6 and abs(card["nu_reset"].value) < 1e-6
    # |V I| width over the 128 potentiating pulses, from G = g_min + k (g_max - g_min) / 128 before pulse k
    g = 1e-6 + torch.arange(128, dtype=torch.float64) * (2e-4 - 1e-6) / 128
    assert card["energy_fj"].value == pytest.approx(float((0.25 * g * 10e-9).mean()) * 1e15, rel=1e-9)
    assert card["energy_fj"].verdict == "fail"  # ~250 fJ
    assert card["endurance_cycles"].verdict == "not modelled" and card["retention_years"].verdict == "not modelled"


@pytest.mark.parametrize("nu", [2.0, 5.0])
def test_noise_free_nonlinearity_labels_are_recovered_and_judged(nu):
    card = _card(LINEAR.replace(nu_ltp=nu, nu_ltd=-nu))
    assert card["nu_set"].value == pytest.approx(nu, abs=1e-3)
    assert card["nu_reset"].value == pytest.approx(-nu, abs=1e-3)
    assert card["nu_set"].verdict == ("pass" if nu < 4 else "fail")
    assert card["nu_reset"].verdict == ("pass" if -nu > -4 else "fail")


def test_cycle_to_cycle_noise_caps_the_resolvable_levels():
    levels = [_card(LINEAR.replace(c2c_sigma=c2c), devices=128)["levels"].value for c2c in (0.0, 0.005, 0.02)]
    assert levels[0] == 128
    assert levels[0] > levels[1] > levels[2]
    assert levels[2] == pytest.approx(1 / (2 * 0.02), rel=0.3)  # window / (2 sigma), sigma ~ c2c of the window


def test_pcm_resets_abruptly_and_drifts_out_of_retention_faster_with_a_larger_exponent():
    pcm = get_preset("pcm-gst")
    card = _card(pcm)
    assert card["nu_reset"].verdict == "fail" and "abrupt" in card["nu_reset"].how
    assert card["nu_set"].verdict in ("pass", "fail") and math.isfinite(card["nu_set"].value)
    years = [_card(pcm.replace(drift_nu=nu))["retention_years"].value for nu in (0.02, 0.05, 0.1)]
    assert years[0] > years[1] > years[2] > 0
    assert _card(pcm.replace(drift_nu=0.1))["retention_years"].verdict == "fail"


def test_binary_devices_resolve_one_level_and_volatile_mott_switches_keep_nothing():
    binary = _card(get_preset("cbram-binary"))
    assert binary["levels"].value <= 1 and binary["nu_set"].verdict == "fail"
    assert binary["dynamic_range"].value == pytest.approx(100, rel=0.05)
    mott = _card(get_preset("mott-nbo2"))
    assert mott["retention_years"].value * 365.25 * 24 * 3600 < 1e-6 and mott["retention_years"].verdict == "fail"
    assert mott["levels"].verdict == "not modelled"


def test_endurance_model_closes_the_window():
    wear = Endurance(1e3, half_window_cycles=1e6, exponent=2.0)
    assert wear.window_share(0) == 1.0 and wear.window_share(1e6) == pytest.approx(0.5)
    assert wear.window_share(1e7) < 0.02
    assert wear.cycles_to_share(0.5) == pytest.approx(1e6) and wear.cycles_to_share(0.2) == pytest.approx(2e6)
    worn = wear.cycled(LINEAR, 1e6)
    assert worn.g_min == LINEAR.g_min and worn.g_max - worn.g_min == pytest.approx(0.5 * (LINEAR.g_max - LINEAR.g_min))
    assert _card(worn)["dynamic_range"].value < _card(LINEAR)["dynamic_range"].value
    assert Endurance(1e3).window_share(1e12) == 1.0 and Endurance(1e3).cycles_to_share(0.5) == math.inf
    with pytest.raises(MemristiveError, match="no g_min / g_max fields"):
        wear.cycled(get_preset("mott-nbo2"), 10)
    with pytest.raises(MemristiveError, match="half_window_cycles"):
        Endurance(1e3, half_window_cycles=0.0)
    with pytest.raises(MemristiveError, match="demonstrated_cycles"):
        Endurance(0.0)


def test_sourced_endurance_is_a_lower_bound():
    assert set(ENDURANCE) <= set(PRESETS)
    card = _card(get_preset("tpt-ram-110"))
    assert card["endurance_cycles"].value == 1e8 and card["endurance_cycles"].verdict == "unproven"
    assert "Fig. 3D" in card["endurance_cycles"].how


def test_score_command():
    out = subprocess.run([sys.executable, "-m", "memristive.cli", "score", "taox-hfox", "--devices", "16"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    for metric in TARGETS:
        assert metric in out.stdout
    assert "passes" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "memristive.cli", "score", "nosuch"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown device preset 'nosuch'" in bad.stderr


def test_device_scorecard_quick(tmp_path):
    record = json.loads(run_experiment("device-scorecard", tmp_path, quick=True).read_text())
    m = record["metrics"]
    assert m["presets_scored"] == len(PRESETS)
    assert 0 <= m["most_passes"] <= len(TARGETS)
    assert m["passes_cbram-binary"] < m["passes_hfox-qc-ideal"]
    assert (tmp_path / "device-scorecard" / "scorecard.png").is_file()
