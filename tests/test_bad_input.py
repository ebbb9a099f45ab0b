"""No bad input ends in a traceback or a silently wrong result (issue 23, first part): every experiment's numeric
``--set`` keys with NaN and infinities, seeds out of range, unwritable output folders, ``fit`` outputs that would
destroy their input, byte-order marks, binary files, and result.json files of the wrong shape."""

import dataclasses
import json
import os
import typing

import pytest
import torch

from memristive.devices import get_preset
from memristive.devices.fitting import load_preset, read_pulse_csv, simulate_csv, write_preset
from memristive.experiments import EXPERIMENTS


def _numeric_keys():
    for name, experiment in EXPERIMENTS.items():
        hints = typing.get_type_hints(type(experiment.quick))
        for field in dataclasses.fields(experiment.quick):
            kind = hints[field.name]
            inner = typing.get_args(kind)[0] if typing.get_origin(kind) is tuple else kind
            args = [a for a in typing.get_args(inner) if a is not type(None)] or [inner]
            if float in args:
                yield name, field.name


CASES = [(name, key, value) for name, key in _numeric_keys() for value in ("nan", "inf", "-inf", "1e999")]


@pytest.mark.parametrize("name, key, value", CASES)
def test_non_finite_numbers_are_refused_before_any_work(tmp_path, cli, name, key, value):
    code, err = cli("run", name, "--quick", "--set", f"{key}={value}", "--out", str(tmp_path / "out"))
    assert code == 2 and err.count("\n") == 1 and "must be a finite number" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


FUZZ_VALUES = ("nan", "-inf", "0", "-1", "1e308", "1e-308", "99999999999999999999", "", "abc", "1,,2")
"""What a careless or hostile user types: non-finite, zero, negative, huge, tiny, empty, not a number."""

FUZZ = [(name, field.name, value) for name, experiment in EXPERIMENTS.items()
        for field in dataclasses.fields(experiment.quick) for value in FUZZ_VALUES]


@pytest.mark.parametrize("name, key, value", FUZZ)
def test_every_setting_of_every_experiment_survives_bad_values(tmp_path, cli, name, key, value):
    """Checked as a run would check it (``--dry-run``: settings, data, the memory and steps estimate): a valid
    value passes with its estimate, anything else is one line and exit 2, never a traceback."""
    code, err = cli("run", name, "--quick", "--dry-run", "--set", f"{key}={value}", "--out", str(tmp_path / "out"))
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("memristive: error: ")
    assert not (tmp_path / "out").exists()


RUN_FOR_REAL = ("device-ltp-ltd", "otj-iv", "otj-energy", "otj-letters", "otj-stdp", "otj-stp", "tpt-dual-mode",
                "qc-state-distribution", "reservoir")
"""Experiments whose quick run takes about a second: every bad value their dry run accepts is also run."""


@pytest.mark.parametrize("name, key, value", [case for case in FUZZ if case[0] in RUN_FOR_REAL])
def test_values_the_checks_accept_also_run(tmp_path, cli, name, key, value):
    """An accepted value (a zero, a tiny number) runs to a result (metrics it makes unmeasurable are NaN) or
    stops with one line when the run finds it meaningless, never a traceback or a partial folder."""
    args = ("run", name, "--quick", "--set", f"{key}={value}", "--out", str(tmp_path))
    if cli(*args[:3], "--dry-run", *args[3:])[0] != 0:
        return  # refused: the case above covers it
    code, err = cli(*args)
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert err.count("\n") == 1 and not list(tmp_path.iterdir())
    else:
        assert (tmp_path / name / "result.json").is_file()


def test_every_numeric_setting_declares_its_range():
    """The constraints are data on each config class: every int and float field (and tuple of them) has one."""
    missing = []
    for name, experiment in EXPERIMENTS.items():
        config = experiment.quick
        hints = typing.get_type_hints(type(config))
        for field in dataclasses.fields(config):
            kind = hints[field.name]
            inner = typing.get_args(kind)[0] if typing.get_origin(kind) is tuple else kind
            args = [a for a in typing.get_args(inner) if a is not type(None)] or [inner]
            if (int in args or float in args) and field.name not in type(config).constraints:
                missing.append(f"{name}.{field.name}")
    assert not missing


@pytest.mark.parametrize("settings, message", [
    (["crossbar-ir-drop", "--set", "sizes=100000"], "would need ~5e+03 GB"),
    (["insitu-mlp", "--set", "hidden=100000000"], "MEMRISTIVE_MAX_MEMORY_GB"),
    (["device-ltp-ltd", "--set", "devices=1000000000"], "MEMRISTIVE_MAX_MEMORY_GB"),
    (["otj-snn", "--set", "dt_s=1e-15"], "~9.6e+12 steps (limit 1e+10 steps: set MEMRISTIVE_MAX_STEPS)"),
    (["qc-states-mlp", "--set", "epochs=99999999999"], "MEMRISTIVE_MAX_STEPS"),
    (["otj-iv", "--set", "points=-5"], "points=-5 must be in [11, 1e+07]"),
    (["insitu-mlp", "--set", "n_train=-1000"], "n_train=-1000 must be >= 1"),
    (["otj-stp", "--set", "train_v=inf"], "train_v=inf: must be a finite number"),
])
def test_runs_too_large_or_out_of_range_are_refused_with_the_estimate(tmp_path, cli, settings, message):
    code, err = cli("run", *settings, "--quick", "--out", str(tmp_path / "out"))
    assert code == 2 and err.count("\n") == 1 and message in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_limits_are_set_by_the_environment(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("MEMRISTIVE_MAX_STEPS", "100")
    code, err = cli("run", "otj-iv", "--quick", "--dry-run")
    assert code == 2 and "~8e+02 steps (limit 100 steps" in err
    monkeypatch.setenv("MEMRISTIVE_MAX_STEPS", "lots")
    code, err = cli("run", "otj-iv", "--quick", "--dry-run")
    assert code == 2 and "MEMRISTIVE_MAX_STEPS='lots' must be a number" in err
    monkeypatch.delenv("MEMRISTIVE_MAX_STEPS")
    monkeypatch.setenv("MEMRISTIVE_MAX_MEMORY_GB", "1e-6")
    code, err = cli("run", "otj-stp", "--quick", "--dry-run")
    assert code == 2 and "would need ~2.12 MB" in err and "memory limit 1e-06 GB" in err


def test_the_cases_cover_every_experiment_with_float_settings():
    assert len(FUZZ) >= 1500 and {name for name, _, _ in FUZZ} == set(EXPERIMENTS)
    assert len(CASES) >= 4 * 40 and {name for name, _, _ in CASES} >= {"hopfield-recall", "pde-jacobi", "otj-snn"}


@pytest.mark.parametrize("seed", ["99999999999999999999", "-1", "4294967296"])
def test_seeds_out_of_range_are_one_line(tmp_path, cli, seed):
    code, err = cli("run", "otj-iv", "--quick", "--seed", seed, "--out", str(tmp_path))
    assert code == 2 and err.count("\n") == 1 and "--seed" in err


def test_an_output_folder_under_a_file_is_named_in_one_line(tmp_path, cli):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, err = cli("run", "otj-iv", "--quick", "--out", str(blocker / "sub"))
    assert code == 2 and err.count("\n") == 1 and "cannot write results there" in err and str(blocker) in err


def test_fit_never_overwrites_its_input_or_writes_two_products_to_one_path(tmp_path, cli):
    csv = simulate_csv(get_preset("epiram"), tmp_path / "epi.csv", 2, 2, torch.Generator().manual_seed(0))
    for out, message in ((csv, "would overwrite its input"), (tmp_path / "p.png", "ends in .toml")):
        code, err = cli("fit", str(csv), "--out", str(out))
        assert code == 2 and message in err and "Traceback" not in err
    assert read_pulse_csv(csv).g.numel() > 0  # the measurements are intact
    assert cli("fit", str(csv))[0] == 0
    code, err = cli("fit", str(csv))
    assert code == 2 and "--force" in err
    assert cli("fit", str(csv), "--force")[0] == 0
    toml_input = tmp_path / "data.toml"
    toml_input.write_text(csv.read_text())
    code, err = cli("fit", str(toml_input))
    assert code == 2 and "would overwrite its input" in err
    png_input = tmp_path / "data.png"
    png_input.write_text(csv.read_text())
    code, err = cli("fit", str(png_input))  # the figure would land on the input
    assert code == 2 and "data.png: the fit would overwrite its input" in err


def test_a_byte_order_mark_changes_nothing(tmp_path):
    csv = simulate_csv(get_preset("epiram"), tmp_path / "plain.csv", 3, 2, torch.Generator().manual_seed(1))
    marked = tmp_path / "marked.csv"
    marked.write_bytes(b"\xef\xbb\xbf" + csv.read_bytes())
    plain, bom = read_pulse_csv(csv), read_pulse_csv(marked)
    assert torch.equal(plain.device, bom.device) and torch.equal(plain.g, bom.g) and int(bom.device.max()) == 2


def test_binary_and_non_finite_input_files_are_one_line(tmp_path, cli):
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"device,cycle\n\xff\xfe\x00\x01")
    code, err = cli("fit", str(binary))
    assert code == 2 and "binary.csv:2: not text" in err
    preset = tmp_path / "bad.toml"
    preset.write_text('model = "nonlinear"\ng_max = inf\n')
    with pytest.raises(Exception, match="g_max must be finite"):
        load_preset(preset)
    code, err = cli("run", "device-ltp-ltd", "--quick", "--set", f"preset={preset}", "--out",
                            str(tmp_path / "o"))
    assert code == 2 and err.count("\n") == 1 and "must be finite" in err
    absurd = tmp_path / "absurd.toml"
    write_preset(get_preset("tpt-ram-110"), absurd)
    absurd.write_text(absurd.read_text().replace("g_max = 0.00016", "g_max = 1e308"))
    code, err = cli("run", "device-ltp-ltd", "--quick", "--set", f"preset={absurd}", "--out", str(tmp_path / "o"))
    assert code == 2 and err.count("\n") == 1 and "absurd.toml: need 0 <= g_min < g_max <= 1 S" in err
    (tmp_path / "noise.toml").write_bytes(b"\x00\xff garbage")
    code, err = cli("run", "device-ltp-ltd", "--quick", "--set", f"preset={tmp_path / 'noise.toml'}",
                            "--out", str(tmp_path / "o"))
    assert code == 2 and "not a TOML preset" in err


@pytest.mark.parametrize("content", [b"[1, 2]", b'"text"', b"\x00\xff\xfe", b'{"experiment": "x"}',
                                     b'{"experiment": "x", "metrics": 3}'])
def test_report_skips_results_of_the_wrong_shape(tmp_path, cli, content):
    assert cli("run", "otj-iv", "--quick", "--out", str(tmp_path))[0] == 0
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "result.json").write_bytes(content)
    code, err = cli("report", str(tmp_path))
    assert code == 0 and "skipped" in err and "bad/result.json" in err
    page = (tmp_path / "index.html").read_text()
    assert "otj-iv" in page and "skipped" in page
    (tmp_path / "otj-iv" / "result.json").write_text(json.dumps({"experiment": "otj-iv"}))
    code, err = cli("report", str(tmp_path))
    assert code == 2 and "no valid */result.json" in err


@pytest.mark.slow
def test_runs_sharing_an_output_folder_all_keep_their_result(tmp_path):
    import subprocess
    import sys

    command = [sys.executable, "-m", "memristive.cli", "run", "otj-iv", "--quick", "--out", str(tmp_path)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    outcomes = [(run.wait(), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in outcomes), [err for _, err in outcomes]
    record = json.loads((tmp_path / "otj-iv" / "result.json").read_text())
    assert record["experiment"] == "otj-iv" and not list(tmp_path.glob(".otj-iv-*"))  # no staging left behind


def test_a_killed_run_leaves_no_staging_folder_on_the_next_start(tmp_path, cli):
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f".otj-iv-{gone.stdout.strip()}-abc123"  # what a SIGKILLed run leaves: its pid has ended
    alive = tmp_path / f".otj-iv-{os.getpid()}-def456"  # a run still going (this process) keeps its folder
    other = tmp_path / f".otj-iv-x-{gone.stdout.strip()}-0"  # not a staging folder of otj-iv
    for folder in (dead, alive, other):
        folder.mkdir()
    assert cli("run", "otj-iv", "--quick", "--out", str(tmp_path))[0] == 0
    assert not dead.exists() and alive.exists() and other.exists()
