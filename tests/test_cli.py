"""The command line: contracts of SPEC section 2."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from memristive.cli import main
from memristive.experiments import run_experiment


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "memristive.cli", *args], capture_output=True, text=True)


def test_list_shows_experiments_and_presets():
    out = _cli("list")
    assert out.returncode == 0
    for name in ("device-ltp-ltd", "insitu-mlp", "tpt-ram-110", "ag-asi", "hzo-fefet"):
        assert name in out.stdout


def test_list_shows_at_least_30_presets_each_with_a_full_reference():
    from memristive.devices import PRESETS

    presets = " ".join(_cli("list").stdout.split("device presets", 1)[1].split())  # wrapping undone
    assert len(PRESETS) >= 30
    for name, device in PRESETS.items():
        assert re.search(r"\((19|20)\d\d\)", device.source), name  # a full reference ends with its year
        assert f" {name} " in presets and " ".join(device.source.split()) in presets, name


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "nosuch"], "unknown experiment 'nosuch'"),
        (["run", "device-ltp-ltd", "--seed", "-1"], "--seed"),
        (["run", "insitu-mlp", "--dataset", "mnist", "--data-dir", "{tmp}"], "not found"),
        (["run", "device-ltp-ltd", "--dataset", "digits"], "takes no dataset"),
        (["run", "device-ltp-ltd", "--set", "cycles=many"], "not a valid int"),
        (["run", "device-ltp-ltd", "--set", "colour=red"], "unknown config key"),
        (["run", "device-ltp-ltd", "--set", "preset=nope"], "unknown device preset"),
        (["report", "{tmp}"], "no */result.json"),
        (["run", "pde-jacobi", "--set", "grid=10", "--set", "tile=32"], "does not fit 32 x 32 arrays"),
        (["run", "pde-jacobi", "--set", "slices=0,2"], "slices=(0, 2): every value must be >= 1"),
        (["run", "pde-jacobi", "--set", "bits=0"], "bits=0 must be in [1, 16]"),
        (["run", "hopfield-recall", "--set", "patterns=0,4"], "patterns=(0, 4): every value must be >= 1"),
        (["run", "lca-sparse-coding", "--set", "atoms=0"], "atoms=0 must be >= 1"),
        (["run", "kmeans-crossbar", "--set", "verify_preset=taox-hfox"], "must be a voltage-driven model"),
        (["run", "dct-compression", "--set", "size=12"], "size=12 must be 0 or a multiple of 8"),
        (["run", "reservoir", "--set", "preset=taox-hfox"], "must be voltage-driven"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_leaves_nothing(tmp_path, monkeypatch, cli, args, message):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out_dir = tmp_path / "out"
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if args[0] == "run":
        args += ["--out", str(out_dir)]
    code, err = cli(*args)
    assert code == 2
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_the_installed_command_exits_2_with_one_line():
    """The real process (``python -m memristive.cli``): exit status and stderr as a shell sees them."""
    result = _cli("run", "nosuch")
    assert result.returncode == 2 and result.stderr.startswith("memristive: error: unknown experiment 'nosuch'")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_run_writes_result_schema_and_same_seed_is_identical(tmp_path):
    for out in ("a", "b"):
        main(["run", "device-ltp-ltd", "--quick", "--seed", "3", "--out", str(tmp_path / out)])
    records = [json.loads((tmp_path / o / "device-ltp-ltd" / "result.json").read_text()) for o in ("a", "b")]
    assert set(records[0]) >= {"experiment", "version", "seed", "quick", "config", "metrics", "paper", "seconds"}
    assert records[0]["metrics"].keys() == records[0]["paper"].keys()
    paper_keys = {key for key, value in records[0]["paper"].items() if value is not None}
    assert paper_keys and set(records[0]["claims"]) == paper_keys  # every paper value says what it is
    assert {claim["kind"] for claim in records[0]["claims"].values()} == {"calibrated"}
    assert json.dumps(records[0]["metrics"]) == json.dumps(records[1]["metrics"])
    assert (tmp_path / "a" / "device-ltp-ltd" / "ltp_ltd.png").stat().st_size > 10_000
    main(["report", str(tmp_path / "a")])
    page = (tmp_path / "a" / "index.html").read_text()
    assert "device-ltp-ltd/ltp_ltd.png" in page and "nu_ltp" in page



def test_report_redraws_figures_from_the_saved_data_alone(tmp_path, monkeypatch):
    import dataclasses

    from memristive.experiments import EXPERIMENTS

    main(["run", "otj-iv", "--quick", "--out", str(tmp_path)])
    folder = tmp_path / "otj-iv"
    figure = folder / "iv.png"
    drawn = figure.read_bytes()
    figure.unlink()

    def no_simulation(*args, **kwargs):
        raise AssertionError("redraw must not simulate")

    monkeypatch.setitem(EXPERIMENTS, "otj-iv", dataclasses.replace(EXPERIMENTS["otj-iv"], simulate=no_simulation))
    main(["report", str(tmp_path), "--redraw"])
    assert figure.read_bytes() == drawn  # the same pixels, drawn from data.npz
    assert json.loads((folder / "result.json").read_text())["figures"] == ["iv.png"]


def test_report_redraw_without_data_is_one_line_exit_2(tmp_path, cli):
    main(["run", "otj-iv", "--quick", "--out", str(tmp_path)])
    (tmp_path / "otj-iv" / "data.npz").unlink()
    code, err = cli("report", str(tmp_path), "--redraw")
    assert code == 2 and "no data.npz" in err and "Traceback" not in err


def test_run_all_submits_the_slow_experiments_first():
    from memristive.experiments import EXPERIMENTS
    from memristive.experiments.runner import submission_order

    order = submission_order(EXPERIMENTS)
    slow = [name for name in order if EXPERIMENTS[name].slow]
    assert sorted(order) == sorted(EXPERIMENTS) and order[:len(slow)] == slow
    assert {"qc-states-mlp", "otj-snn", "pruning-lenet5"} <= set(slow) and "otj-iv" not in slow


def test_run_all_in_parallel_processes_gives_the_same_results(tmp_path, monkeypatch, cli):
    """``run all --jobs 2`` runs experiments in worker processes; the results equal one process's, seed for seed."""
    from memristive.experiments import EXPERIMENTS, runner

    few = {name: EXPERIMENTS[name] for name in ("otj-iv", "device-ltp-ltd", "tpt-dual-mode")}
    monkeypatch.setattr(runner, "EXPERIMENTS", few)
    for jobs in ("1", "2"):
        assert cli("run", "all", "--quick", "--jobs", jobs, "--out", str(tmp_path / jobs))[0] == 0
    for name in few:
        one, two = (json.loads((tmp_path / jobs / name / "result.json").read_text()) for jobs in ("1", "2"))
        assert one["metrics"] == two["metrics"]
    assert (tmp_path / "2" / "index.html").is_file()
    code, err = cli("run", "otj-iv", "--jobs", "2")
    assert code == 2 and "--jobs applies to 'all'" in err


def test_run_over_seeds_writes_mean_sd_and_per_seed_values_and_resumes(tmp_path, monkeypatch):
    from memristive.experiments import runner

    out = tmp_path / "s"
    main(["run", "otj-letters", "--quick", "--seeds", "0-1", "--jobs", "1", "--out", str(out)])
    single = json.loads(run_experiment("otj-letters", tmp_path / "one", quick=True, seed=1).read_text())
    ran = []
    original = runner.run_experiment
    monkeypatch.setattr(runner, "run_experiment", lambda *a, **k: ran.append(k["seed"]) or original(*a, **k))
    main(["run", "otj-letters", "--quick", "--repeats", "3", "--jobs", "1", "--out", str(out)])
    assert ran == [2]  # seeds 0 and 1 were finished with these settings: kept
    record = json.loads((out / "otj-letters" / "result.json").read_text())
    assert record["seeds"] == [0, 1, 2]
    values = record["per_seed"]["contrast_h_500s"]
    assert values[1] == single["metrics"]["contrast_h_500s"]  # each seed is the single run of that seed
    assert record["metrics"]["contrast_h_500s"] == pytest.approx(np.mean(values))
    assert record["sd"]["contrast_h_500s"] == pytest.approx(np.std(values, ddof=1)) and np.std(values) > 0
    assert record["claims"]["letter_h_retained"]["judged"]
    main(["report", str(out)])
    assert "seeds 0-2 (mean &plusmn; sd)" in (out / "index.html").read_text()


@pytest.mark.slow
def test_seeds_run_on_a_local_dask_cluster_as_in_one_process(tmp_path, distributed):
    """--set cluster=local:2 for an experiment without a cluster setting of its own runs the seeds on two Dask
    worker processes: the same per-seed values as in this process."""
    here, there = tmp_path / "here", tmp_path / "there"
    main(["run", "otj-letters", "--quick", "--seeds", "0-1", "--jobs", "1", "--out", str(here)])
    main(["run", "otj-letters", "--quick", "--seeds", "0-1", "--set", "cluster=local:2", "--out", str(there)])
    ours, theirs = (json.loads((out / "otj-letters" / "result.json").read_text()) for out in (here, there))
    assert theirs["per_seed"] == ours["per_seed"] and theirs["config"] == ours["config"]
    assert sorted(p.name for p in (there / "otj-letters" / "seeds").glob("seed-*")) == ["seed-0", "seed-1"]


@pytest.mark.parametrize(("args", "message"), [
    (["--seeds", "0-1", "--set", "cluster=nowhere"], "expected a scheduler address"),
    (["--seeds", "4-2"], "is not a range of seeds"),
    (["--seeds", "0-2,1"], "a seed is repeated"),
    (["--seeds", "a"], "give seeds as A-B"),
    (["--seeds", "0-1", "--repeats", "2"], "not both"),
    (["--jobs", "2"], "--jobs applies to 'all' or --seeds"),
])
def test_bad_seeds_are_one_line_exit_2(tmp_path, cli, args, message):
    code, err = cli("run", "otj-letters", "--quick", "--out", str(tmp_path), *args)
    assert code == 2 and message in err and err.count("\n") == 1
