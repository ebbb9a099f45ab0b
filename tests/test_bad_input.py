"""No bad input ends in a traceback or a silently wrong result (issue 23, first part): every experiment's numeric
``--set`` keys with NaN and infinities, seeds out of range, unwritable output folders, ``fit`` outputs that would
destroy their input, byte-order marks, binary files, and result.json files of the wrong shape."""

import dataclasses
import json
import typing

import pytest
import torch

from memristive.devices import get_preset
from memristive.devices.fitting import load_preset, read_pulse_csv, simulate_csv
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


def test_the_cases_cover_every_experiment_with_float_settings():
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


def test_runs_sharing_an_output_folder_all_keep_their_result(tmp_path):
    import subprocess
    import sys

    command = [sys.executable, "-m", "memristive.cli", "run", "otj-iv", "--quick", "--out", str(tmp_path)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    outcomes = [(run.wait(), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in outcomes), [err for _, err in outcomes]
    record = json.loads((tmp_path / "otj-iv" / "result.json").read_text())
    assert record["experiment"] == "otj-iv" and not list(tmp_path.glob(".otj-iv-*"))  # no staging left behind
