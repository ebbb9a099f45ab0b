"""``nonideality-sweep``: in-situ MLP accuracy vs one device non-ideality at a time.

A linear, noiseless base device (64 levels, 10 -> 100 uS) is degraded along one axis per
figure, everything else held at the base:

* ``nu``: nonlinearity of both directions, ``nu_ltp = nu``, ``nu_ltd = -nu`` (both saturate,
  NeuroSim convention), 0 .. 6;
* ``asym``: asymmetric pair, nonlinear LTP (``nu_ltp = a``) with linear LTD;
* ``levels``: pulses across the range, 4 .. 256;
* ``c2c``: cycle-to-cycle sigma per pulse, 0 .. 10 % of the range;
* ``d2d``: device-to-device relative sigma of the bounds, 0 .. 30 %;
* ``stuck``: share of stuck devices (half at Gmin, half at Gmax), 0 .. 20 %.

Every point trains the same network from the same initial weights and random streams
(:func:`memristive.experiments.device_training.train_on_devices`), so differences come
from the device. Points run in parallel (``--set workers=N``, or on a Dask cluster with
``--set cluster=tcp://HOST:PORT``, or ``--set cluster=local:N``) and each finished point is kept under
``OUT/.cache/nonideality-sweep/``: a run that is interrupted and started again with the
same settings recomputes only the missing points.

Metrics: ``acc_<axis>_<value>`` for every point (e.g. ``acc_nu_0``, ``acc_levels_16``,
``acc_c2c_5pct``), plus the issue's keys ``acc_nu0``, ``acc_nu6``, ``acc_levels_16``,
``acc_levels_256``, and ``acc_float``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from memristive.devices import NonlinearPulseDevice
from memristive.errors import MemristiveError
from memristive.data import Dataset
from memristive.experiments.base import Cost, Data, Experiment, RunContext, training_cost
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, Interval, LEARNING_RATE, Settings, at_least
from memristive.experiments.device_training import TrainingSetup, train_on_devices
from memristive.experiments.sweep import check_cluster, run_points

BASE = NonlinearPulseDevice(g_min=10e-6, g_max=100e-6, levels=64, nu_ltp=0.0, nu_ltd=0.0, name="sweep-base",
                            source="linear, noiseless reference device of nonideality-sweep")

AXES = {
    # axis: (device field changes for value v, x-axis label, metric suffix)
    "nu": (lambda v: {"nu_ltp": v, "nu_ltd": -v}, "nonlinearity nu (LTP nu, LTD -nu)", "{:g}"),
    "asym": (lambda v: {"nu_ltp": v}, "LTP nonlinearity, LTD linear", "{:g}"),
    "levels": (lambda v: {"levels": int(v)}, "levels", "{:g}"),
    "c2c": (lambda v: {"c2c_sigma": v / 100}, "c2c sigma per pulse (% of range)", "{:g}pct"),
    "d2d": (lambda v: {"d2d_g_sigma": v / 100}, "d2d sigma of the bounds (%)", "{:g}pct"),
    "stuck": (lambda v: {"stuck_share": v / 100}, "stuck devices (%)", "{:g}pct"),
}


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``nonideality-sweep`` (values per axis; percentages for c2c, d2d, stuck)."""

    nu: tuple[float, ...] = (0, 1, 2, 3, 4, 5, 6)
    asym: tuple[float, ...] = (1, 2, 4, 6)
    levels: tuple[int, ...] = (4, 8, 16, 32, 64, 128, 256)
    c2c: tuple[float, ...] = (0, 1, 2, 5, 10)
    d2d: tuple[float, ...] = (0, 5, 10, 20, 30)
    stuck: tuple[float, ...] = (0, 1, 2, 5, 10, 20)
    hidden: int = 100
    epochs: int = 10
    batch_size: int = 200
    lr: float = 1.0
    n_train: int | None = None
    n_test: int | None = None
    workers: int = 2
    cluster: str | None = None

    constraints = {"nu": at_least(-60.0, 60.0), "asym": at_least(-60.0, 60.0), "levels": at_least(2, 10**6),
                   "c2c": at_least(0.0, 100.0, "%"), "d2d": at_least(0.0, 100.0, "%"),
                   "stuck": Interval(0.0, 100.0, "left", "%"), "hidden": COUNT, "epochs": COUNT, "batch_size": COUNT,
                   "lr": LEARNING_RATE, "n_train": COUNT, "n_test": COUNT, "workers": COUNT}

    def validate(self) -> None:
        """Every value of every axis makes a valid device; a cluster is an address or ``local:N``."""
        if self.cluster is not None:
            check_cluster(self.cluster)
        for axis in AXES:
            for value in getattr(self, axis):
                try:
                    BASE.replace(**AXES[axis][0](value))
                except MemristiveError as exc:
                    raise MemristiveError(f"{axis}={value}: {exc}") from None

    def points(self) -> list[dict[str, Any]]:
        """Every (axis, value) point of the sweep."""
        return [{"axis": axis, "value": float(v)} for axis in AXES for v in getattr(self, axis)]


QUICK = Config(nu=(0, 2, 6), asym=(2, 6), levels=(4, 16, 64, 256), c2c=(0, 5, 10), d2d=(0, 30), stuck=(0, 20),
               hidden=64, epochs=10, batch_size=16, lr=0.3)
"""Quick: digits, 64-64-10, 10 epochs, 16 points."""

FULL = Config()
"""Full: Fashion-MNIST 784-100-10, 34 points."""


def _train_point(point: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    """One point: train on the degraded device, return its per-epoch accuracy."""
    device = BASE.replace(**AXES[point["axis"]][0](point["value"]))
    ctx = RunContext(seed=shared["seed"], quick=shared["quick"], out_dir=shared["out_dir"])
    curves = train_on_devices({"device": device}, shared["data"], shared["setup"], ctx, with_float=False)
    return {"accuracy": curves["device"]}


def _float_point(point: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    """The float (software) network from the same start, for reference."""
    ctx = RunContext(seed=shared["seed"], quick=shared["quick"], out_dir=shared["out_dir"])
    return {"accuracy": train_on_devices({}, shared["data"], shared["setup"], ctx)["float"]}


def metric_key(axis: str, value: float) -> str:
    """Metric name of one point, e.g. ``acc_c2c_5pct``."""
    return f"acc_{axis}_" + AXES[axis][2].format(value)


def simulate(config: Config, ctx: RunContext) -> Data:
    """Run (or resume) every point and the float reference: per-epoch test accuracy of each."""
    data = ctx.dataset.subset(config.n_train, config.n_test)
    setup = TrainingSetup(hidden=config.hidden, epochs=config.epochs, batch_size=config.batch_size, lr=config.lr)
    identity = {k: v for k, v in dataclasses.asdict(config).items() if k not in (*AXES, "workers", "cluster")}
    identity.update(seed=ctx.seed, dataset=data.name, train=len(data.x_train), test=len(data.x_test))
    tag = hashlib.sha1(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:12]
    cache = ctx.out_dir.parent / ".cache" / "nonideality-sweep" / tag
    shared = {"data": data, "setup": setup, "seed": ctx.seed, "quick": ctx.quick, "out_dir": ctx.out_dir}
    points = config.points()
    results = run_points(_train_point, points, cache, shared, config.workers, config.cluster, desc="sweep points",
                         identity=identity)
    reference = run_points(_float_point, [{"axis": "float", "value": 0.0}], cache, shared, 1, None,
                           identity=identity)[0]
    return {"axis": np.array([p["axis"] for p in points]), "value": np.array([p["value"] for p in points]),
            "accuracy": np.array([r["accuracy"] for r in results]), "accuracy_float": np.array(reference["accuracy"]),
            "dataset": data.name}


def metrics(data: Data) -> dict[str, float]:
    """Final accuracy of every point, the issue's aliases, and the float network's."""
    values = {metric_key(str(axis), float(value)): float(curve[-1])
              for axis, value, curve in zip(data["axis"], data["value"], data["accuracy"], strict=True)}
    for alias, key in (("acc_nu0", metric_key("nu", 0)), ("acc_nu6", metric_key("nu", 6))):
        if key in values:
            values[alias] = values[key]
    values["acc_float"] = float(data["accuracy_float"][-1])
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """One panel per swept axis: final accuracy vs the non-ideality, against float."""
    figures = {}
    for axis, (_change, label, _suffix) in AXES.items():
        on_axis = data["axis"] == axis
        if not on_axis.any():
            continue
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.plot(data["value"][on_axis], data["accuracy"][on_axis, -1], "o-", label="in situ")
        ax.axhline(float(data["accuracy_float"][-1]), color="0.5", ls="--", label="float (software)")
        ax.set(xlabel=label, ylabel="test accuracy", title=f"{data['dataset']}: accuracy vs {axis}")
        if axis == "levels":
            ax.set_xscale("log", base=2)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        figures[f"accuracy_vs_{axis}"] = fig
    return figures


def cost(config: Config, dataset: Dataset) -> Cost:
    """One MLP per point of the sweep: every batch of every epoch (``workers`` at a time)."""
    one = training_cost(dataset, config.n_train, (config.hidden,), config.batch_size, config.epochs, runs=1)
    return Cost(memory_bytes=one.memory_bytes * config.workers, steps=one.steps * len(config.points()))


EXPERIMENT = register(Experiment(
    name="nonideality-sweep",
    reference="chen2017",
    summary="In-situ MLP accuracy vs nonlinearity, asymmetry, levels, c2c, d2d and stuck devices (parallel, resumable)",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {},
    datasets=("digits", "fashion-mnist"),
    slow=True,
))
