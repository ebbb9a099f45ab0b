"""Run one experiment and write ``DIR/NAME/result.json``, ``DIR/NAME/data.npz`` and its figures.

The metrics and the figures are computed from ``data.npz`` as read back from disk, so
what the folder holds is all that ``memristive report --redraw`` needs.

``result.json``: ``{"experiment", "reference", "version", "seed", "quick", "config", "metrics",
"paper", "seconds", "figures"}``: ``reference`` is the full citation of the work reproduced,
``seconds`` the simulation's time; ``metrics`` and ``paper`` share their keys (``null`` where
the paper gives no value), ``claims`` says of each paper value what it is (:class:`~memristive.experiments.base.Claim`:
``kind``, ``detail``, ``tolerance``, ``absolute``, ``judged`` (a prediction made under the paper's conditions) and, if
judged, ``agrees``),
``estimate`` the memory and steps estimated before the run. Everything
that can fail on bad input (names, config values, data, a run too large for the machine) is
checked before the folder is made; the run writes into a temporary folder that replaces
``DIR/NAME`` only when it succeeded.

Limits: a run whose estimated memory exceeds ``MEMRISTIVE_MAX_MEMORY_GB`` (default: the memory
available now) or whose steps exceed ``MEMRISTIVE_MAX_STEPS`` (default 1e10) is refused, naming
the estimate.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import as_completed
from pathlib import Path

import numpy as np
import torch

from memristive import __version__
from memristive.data import DATASETS, load_dataset
from memristive.devices.references import cite
from memristive.errors import MemristiveError
from memristive.experiments.base import Claim, Cost, RunContext, apply_overrides, load_data, save_data, save_figures
from memristive.experiments.registry import EXPERIMENTS, get_experiment
from memristive.experiments.workers import process_pool
from memristive.experiments.sweep import check_cluster, dask_client, run_on_dask


def _jsonable(value):
    if dataclasses.is_dataclass(value):
        return {k: _jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, tuple):
        return list(value)
    return value


def claim_record(claim: Claim, measured: float, dataset: str | None) -> dict:
    """What ``result.json`` says of one paper value measured on ``dataset``: its kind, detail, tolerance, whether
    it is judged and, if so, whether it agrees."""
    record = {"kind": claim.kind, "detail": claim.detail, "tolerance": claim.tolerance, "absolute": claim.absolute,
              "at_least": claim.at_least, "judged": claim.judged(dataset)}
    agrees = claim.agrees(measured, dataset)
    if agrees is not None:
        record["agrees"] = agrees
    return record


MAX_SEED = 2**32 - 1
"""The largest seed a run takes (its generators are seeded from ``seed * 1_000_003 + stream``)."""


def writable_folder(path: str | Path) -> Path:
    """``path`` as a folder that exists and takes files (created if need be); a one-line error names it otherwise."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise MemristiveError(f"{path}: cannot write results there ({exc.strerror or exc})") from None
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_dead_staging(out: Path, name: str) -> list[Path]:
    """Remove the staging folders ``.NAME-PID-*`` in ``out`` whose run (process ``PID``) is gone: what a killed
    run leaves behind. Folders of runs still going are kept. Returns the folders removed."""
    removed = []
    for folder in out.glob(f".{name}-*"):
        pid = folder.name.removeprefix(f".{name}-").split("-", 1)[0]
        if folder.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


DEFAULT_MAX_STEPS = 1e10
"""Steps a run may take unless ``MEMRISTIVE_MAX_STEPS`` says otherwise (the default quick suite's largest: ~1e7)."""


def available_memory_bytes() -> float:
    """Memory the machine can give a run now: ``MemAvailable`` of ``/proc/meminfo`` (else all physical memory)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return float(line.split()[1]) * 1024
    except OSError:
        pass
    return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def _limit(variable: str, default: float) -> float:
    value = os.environ.get(variable)
    if value is None:
        return default
    try:
        limit = float(value)
    except ValueError:
        raise MemristiveError(f"{variable}={value!r} must be a number") from None
    if not limit > 0:
        raise MemristiveError(f"{variable}={value!r} must be > 0")
    return limit


def check_cost(name: str, cost: Cost) -> Cost:
    """``cost`` if the machine can afford it, else a one-line :class:`MemristiveError` stating the estimate."""
    memory_limit = _limit("MEMRISTIVE_MAX_MEMORY_GB", available_memory_bytes() / 1e9) * 1e9
    steps_limit = _limit("MEMRISTIVE_MAX_STEPS", DEFAULT_MAX_STEPS)
    if cost.memory_bytes > memory_limit:
        raise MemristiveError(f"{name} with these settings would need {cost} (memory limit {memory_limit / 1e9:.3g} "
                              "GB: set MEMRISTIVE_MAX_MEMORY_GB)")
    if cost.steps > steps_limit:
        raise MemristiveError(f"{name} with these settings would need {cost} (limit {steps_limit:.3g} steps: set "
                              "MEMRISTIVE_MAX_STEPS)")
    return cost


def prepare(name: str, *, seed: int = 0, quick: bool = False, dataset: str | None = None,
            data_dir: str | Path | None = None, overrides: dict[str, str] | None = None):
    """Everything a run checks before it starts: ``(experiment, config, dataset name, data, cost)``."""
    experiment = get_experiment(name)
    if not 0 <= seed <= MAX_SEED:
        raise MemristiveError(f"seed={seed} must be in 0 .. {MAX_SEED}")
    config = apply_overrides(experiment.config(quick), overrides or {})
    data = None
    if experiment.datasets is None:
        if dataset is not None:
            raise MemristiveError(f"experiment {name!r} takes no dataset (got --dataset {dataset})")
    else:
        dataset = dataset or experiment.datasets[0 if quick else 1]
        if dataset not in DATASETS:
            raise MemristiveError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
        data = load_dataset(dataset, data_dir)
    return experiment, config, dataset, data, check_cost(name, experiment.cost(config, data))


def run_experiment(
    name: str,
    out: str | Path = "results",
    *,
    seed: int = 0,
    quick: bool = False,
    dataset: str | None = None,
    data_dir: str | Path | None = None,
    overrides: dict[str, str] | None = None,
    folder: str | None = None,
) -> Path:
    """Run experiment ``name`` into ``out/folder`` (default ``out/name``); returns the path of its ``result.json``."""
    experiment, config, dataset, data, cost = prepare(name, seed=seed, quick=quick, dataset=dataset,
                                                      data_dir=data_dir, overrides=overrides)
    out = writable_folder(out)
    remove_dead_staging(out, name)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-{os.getpid()}-", dir=out))
    try:
        torch.manual_seed(seed)
        context = RunContext(seed=seed, quick=quick, out_dir=staging, dataset=data)
        started = time.perf_counter()
        save_data(experiment.simulate(config, context), staging / "data.npz")
        seconds = time.perf_counter() - started
        data = load_data(staging / "data.npz")
        metrics = {key: float(value) for key, value in experiment.metrics(data).items()}
        figures = save_figures(experiment.plot(data), staging)
        paper = experiment.paper(config)
        unknown = set(paper) - set(metrics)
        if unknown:
            raise RuntimeError(f"{name}: paper values for keys that are not metrics: {sorted(unknown)}")
        if not all(isinstance(claim, Claim) for claim in paper.values()):
            raise RuntimeError(f"{name}: paper values must be Claims (predicted / calibrated / echoed)")
        record = {
            "experiment": name,
            "reference": cite(experiment.reference),
            "version": __version__,
            "seed": seed,
            "quick": quick,
            "config": {**_jsonable(config), "dataset": dataset},
            "metrics": metrics,
            "paper": {key: paper[key].value if key in paper else None for key in metrics},
            "claims": {key: claim_record(claim, metrics[key], dataset) for key, claim in paper.items()},
            "seconds": round(seconds, 3),
            "estimate": {"memory_bytes": cost.memory_bytes, "steps": cost.steps},
            "figures": figures,
        }
        (staging / "result.json").write_text(json.dumps(record, indent=2) + "\n")
        final = out / (folder or name)
        with open(out / f".{name}.lock", "w") as lock:  # runs sharing an --out replace the folder one at a time
            fcntl.flock(lock, fcntl.LOCK_EX)
            if final.exists():
                shutil.rmtree(final)
            staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final / "result.json"


MAX_SEEDS = 1000
"""The most seeds one ``--seeds`` run takes."""


def parse_seeds(text: str) -> list[int]:
    """``"0-4"`` -> ``[0, 1, 2, 3, 4]``, ``"1,5,9"`` -> ``[1, 5, 9]`` (ranges and lists combine: ``"0-2,7"``);
    a one-line error for anything else (negative, above :data:`MAX_SEED`, repeated, more than :data:`MAX_SEEDS`)."""
    seeds: list[int] = []
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        try:
            low, high = int(first), int(last if dash else first)
        except ValueError:
            raise MemristiveError(f"--seeds {text!r}: give seeds as A-B or A,B,C (integers >= 0)") from None
        if not 0 <= low <= high <= MAX_SEED:
            raise MemristiveError(f"--seeds {text!r}: {part.strip()} is not a range of seeds in 0 .. {MAX_SEED}")
        if high - low + len(seeds) >= MAX_SEEDS:
            raise MemristiveError(f"--seeds {text!r}: more than {MAX_SEEDS} seeds")
        seeds.extend(range(low, high + 1))
    if len(set(seeds)) != len(seeds):
        raise MemristiveError(f"--seeds {text!r}: a seed is repeated")
    return seeds


def _finished(path: Path, expected: dict) -> bool:
    """Whether ``path`` is a result of the run ``expected`` describes (same seed, mode, config, version)."""
    try:
        record = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return False
    return all(record.get(key) == value for key, value in expected.items())


def run_seeds(name: str, seeds: list[int], out: str | Path = "results", *, quick: bool = False,
              dataset: str | None = None, data_dir: str | Path | None = None, overrides: dict[str, str] | None = None,
              jobs: int | None = None, done: Callable[[int, Path], None] | None = None) -> Path:
    """Run experiment ``name`` once per seed, ``jobs`` at a time in worker processes (default: one per seed, at
    most one per core), into ``out/name/seeds/seed-K``; write ``out/name/result.json`` with the mean of every
    metric, its sample standard deviation (``sd``) and the values per seed (``per_seed``), the claims judged
    on the mean. Resumable: a seed whose folder holds a finished run of the same settings and version is not run
    again. ``done(seed, path)`` is called as each seed finishes. Returns the summary's path.

    ``overrides["cluster"]`` (a Dask scheduler address or ``local:N``), for an experiment whose settings have no
    ``cluster`` of their own, runs the seeds on that cluster instead (its workers must see ``out``)."""
    if not seeds:
        raise MemristiveError("no seeds to run")
    overrides = dict(overrides or {})
    own = {field.name for field in dataclasses.fields(get_experiment(name).config(quick))}
    cluster = check_cluster(overrides.pop("cluster")) if "cluster" in overrides and "cluster" not in own else None
    experiment, config, dataset, _data, _cost = prepare(name, seed=max(seeds), quick=quick, dataset=dataset,
                                                        data_dir=data_dir, overrides=overrides)
    runs = writable_folder(Path(out) / name / "seeds")
    expected = {"experiment": name, "version": __version__, "quick": quick,
                "config": {**_jsonable(config), "dataset": dataset}}
    paths = {seed: runs / f"seed-{seed}" / "result.json" for seed in seeds}
    todo = [seed for seed in seeds if not _finished(paths[seed], {**expected, "seed": seed})]
    options = {"quick": quick, "dataset": dataset, "data_dir": data_dir, "overrides": overrides}

    def finish(seed: int, _path: Path | None = None) -> None:
        if done is not None:
            done(seed, paths[seed])

    for seed in sorted(set(seeds) - set(todo)):
        finish(seed)
    jobs = max(1, min(len(todo), os.cpu_count() or 1)) if jobs is None else jobs
    calls = {seed: (run_experiment, (name, runs), {"seed": seed, "folder": f"seed-{seed}", **options}) for seed in todo}
    if cluster is None:
        _run_calls(calls, jobs, finish)
    else:
        with dask_client(cluster) as client:
            run_on_dask(client, calls, finish)
    return _write_seed_summary(experiment, config, dataset, [json.loads(paths[s].read_text()) for s in seeds],
                               Path(out) / name)


def _write_seed_summary(experiment, config, dataset: str | None, records: list[dict], folder: Path) -> Path:
    """``folder/result.json``: the runs' metrics as mean, sd and per-seed values, claims judged on the mean;
    the figures are the first seed's."""
    per_seed = {key: [record["metrics"][key] for record in records] for key in records[0]["metrics"]}
    metrics = {key: float(np.mean(values)) for key, values in per_seed.items()}
    sd = {key: float(np.std(values, ddof=1)) if len(values) > 1 else 0.0 for key, values in per_seed.items()}
    paper = experiment.paper(config)
    first = records[0]
    summary = {
        **{key: first[key] for key in ("experiment", "reference", "version", "quick", "config", "paper")},
        "seed": first["seed"],
        "seeds": [record["seed"] for record in records],
        "metrics": metrics,
        "sd": sd,
        "per_seed": per_seed,
        "claims": {key: claim_record(claim, metrics[key], dataset) for key, claim in paper.items()},
        "seconds": round(sum(record["seconds"] for record in records), 3),
        "figures": [f"seeds/seed-{first['seed']}/{name}" for name in first["figures"]],
    }
    path = folder / "result.json"
    staging = folder / f".result-{os.getpid()}.json"
    staging.write_text(json.dumps(summary, indent=2) + "\n")
    staging.replace(path)
    return path


def _every_run(*, seed: int, quick: bool, dataset: str | None, data_dir: str | Path | None) -> dict[str, dict]:
    """The run options of every registered experiment: ``dataset`` goes to those that take one."""
    return {name: {"seed": seed, "quick": quick, "dataset": dataset if experiment.datasets else None,
                   "data_dir": data_dir} for name, experiment in EXPERIMENTS.items()}


def check_all(*, seed: int = 0, quick: bool = False, dataset: str | None = None,
              data_dir: str | Path | None = None) -> dict[str, Cost]:
    """:func:`prepare` every registered experiment (a one-line error for the first that fails); their costs."""
    runs = _every_run(seed=seed, quick=quick, dataset=dataset, data_dir=data_dir)
    return {name: prepare(name, **options)[-1] for name, options in runs.items()}


def submission_order(names: Iterable[str]) -> list[str]:
    """``names`` with the slow experiments (:attr:`Experiment.slow`) first, each group in its given order."""
    return sorted(names, key=lambda name: not get_experiment(name).slow)


def _run_calls(calls: dict, jobs: int, finish: Callable) -> None:
    """``finish(key, fn(*args, **kwargs))`` for each ``key: (fn, args, kwargs)`` of ``calls``: in this process
    in order (``jobs`` 1), else ``jobs`` at a time in worker processes of ``cpu_count // jobs`` torch threads
    each, as they finish; the first failure cancels the rest and is raised."""
    if jobs < 1:
        raise MemristiveError(f"jobs={jobs} must be >= 1")
    if jobs == 1 or len(calls) <= 1:
        for key, (fn, args, kwargs) in calls.items():
            finish(key, fn(*args, **kwargs))
        return
    with process_pool(jobs, threads=max(1, (os.cpu_count() or 1) // jobs)) as pool:
        futures = {pool.submit(fn, *args, **kwargs): key for key, (fn, args, kwargs) in calls.items()}
        try:
            for future in as_completed(futures):
                finish(futures[future], future.result())
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def run_all(out: str | Path = "results", *, seed: int = 0, quick: bool = False, dataset: str | None = None,
            data_dir: str | Path | None = None, jobs: int = 1,
            done: Callable[[str, Path], None] | None = None) -> dict[str, Path]:
    """Every registered experiment (``dataset`` for those that take one), ``jobs`` at a time in worker processes
    of ``cpu_count // jobs`` torch threads each; every one's settings, data and size are checked before any
    starts. ``done(name, path)`` is called as each finishes; returns ``{name: result.json}``."""
    if jobs < 1:
        raise MemristiveError(f"jobs={jobs} must be >= 1")
    runs = _every_run(seed=seed, quick=quick, dataset=dataset, data_dir=data_dir)
    check_all(seed=seed, quick=quick, dataset=dataset, data_dir=data_dir)
    writable_folder(out)
    paths: dict[str, Path] = {}

    def finish(name: str, path: Path) -> None:
        paths[name] = path
        if done is not None:
            done(name, path)

    order = submission_order(runs) if jobs > 1 else list(runs)
    _run_calls({name: (run_experiment, (name, out), runs[name]) for name in order}, jobs, finish)
    return {name: paths[name] for name in runs}


def redraw_figures(folder: str | Path) -> list[str]:
    """Draw the figures of the run in ``folder`` again from its ``data.npz`` (no simulation); returns their names.

    The figure list in ``result.json`` is updated; old figures the experiment no longer draws are left.
    """
    folder = Path(folder)
    record_path = folder / "result.json"
    try:
        record = json.loads(record_path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise MemristiveError(f"{record_path}: not a readable result ({exc})") from None
    if record.get("seeds"):  # a run over seeds: its figures are its first seed's
        first = folder / "seeds" / f"seed-{record['seeds'][0]}"
        record["figures"] = [f"seeds/{first.name}/{name}" for name in redraw_figures(first)]
        record_path.write_text(json.dumps(record, indent=2) + "\n")
        return record["figures"]
    if not (folder / "data.npz").is_file():
        raise MemristiveError(f"{folder}: no data.npz to redraw from (runs of older versions wrote none): run it again")
    experiment = get_experiment(record["experiment"])
    record["figures"] = save_figures(experiment.plot(load_data(folder / "data.npz")), folder)
    record_path.write_text(json.dumps(record, indent=2) + "\n")
    return record["figures"]
