"""``kmeans-crossbar``: K-means clustering with the centroids and their ``|W|^2`` row in an array (seed 002, section 6).

:class:`memristive.algorithms.kmeans.CrossbarKMeans` clusters two data sets, every feature scaled to
[0, 1] and the ``|W|^2`` row driven at ``d / 2`` so that it fits the centroids' weight range:
scikit-learn's iris (150 flowers, 4 features, 3 species; the data set of Jeong et al.,
Nano Lett. 18, 4447, 2018) and Gaussian blobs (``make_blobs``: 4 clusters in 2-D). From each of
``inits`` random initial centroids (drawn from the points) it runs Lloyd's algorithm on

* ``ideal``: exact analog devices, every update written directly;
* ``<preset>``: the preset's devices (nonlinearity, c2c), every update written by pulses (``rounds``
  rounds of closed-loop updates, nearest-integer pulse counts) on a balanced pair array;
* ``<verify_preset>``: a voltage-driven preset (default the 4K passive crossbar's TiOx devices),
  every update tuned by write-verify with V/2 half-select disturb,

and scikit-learn's ``KMeans(init=C0, n_init=1, algorithm="lloyd", tol=0)`` from the same ``C0``.

Metrics: ``ari_<setting>`` (adjusted Rand index with scikit-learn's labels from the same start, mean
over starts), ``iterations`` (assignment passes of the ideal run, as scikit-learn counts them),
``iterations_<setting>``, ``iris_accuracy_<setting>`` and ``iris_accuracy_sklearn`` (share of
flowers in their species' cluster, clusters matched to species one to one); the blobs' ones end in
``_blobs``. Paper: 93.3 % iris accuracy (Ta2O5 array, online learning).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.metrics import adjusted_rand_score
from tqdm.auto import tqdm

from memristive.algorithms.kmeans import CrossbarKMeans
from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import require
from memristive.experiments.base import Cost, Data, Experiment, RunContext, predicted
from memristive.experiments.registry import register
from memristive.experiments.settings import COUNT, Settings, above

DATASETS = ("iris", "blobs")


@dataclass(frozen=True)
class Config(Settings):
    """Settings of ``kmeans-crossbar``."""

    inits: int = 20
    preset: str = "epiram"
    verify_preset: str = "tiox-4k"
    w_max: float = 1.0
    blob_points: int = 400
    blob_clusters: int = 4
    blob_std: float = 1.5
    max_iter: int = 100
    rounds: int = 3

    constraints = {"inits": COUNT, "w_max": above(0.0, 1e6), "blob_points": COUNT, "blob_clusters": COUNT,
                   "blob_std": above(0.0, 1e6), "max_iter": COUNT, "rounds": COUNT}

    def validate(self) -> None:
        """An analog preset, a write-verify one, enough points for the clusters."""
        get_preset(self.preset, NonlinearPulseDevice)
        require("voltage" in get_preset(self.verify_preset).drives,
                f"verify_preset={self.verify_preset!r} must be a voltage-driven model (write-verify)")
        require(self.blob_clusters >= 2 and self.blob_points >= 2 * self.blob_clusters,
                f"need blob_clusters >= 2 and blob_points >= 2 blob_clusters, got {self.blob_clusters}, "
                f"{self.blob_points}")


FULL = Config()
"""Full: 20 random starts per data set."""

QUICK = Config(inits=5)
"""Quick: 5 random starts per data set."""


def _scaled(x: np.ndarray) -> np.ndarray:
    return (x - x.min(0)) / (x.max(0) - x.min(0))


def dataset(name: str, config: Config, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Points (each feature scaled to [0, 1]) and true labels of ``name``."""
    if name == "iris":
        iris = load_iris()
        return _scaled(iris.data), iris.target
    x, y = make_blobs(config.blob_points, n_features=2, centers=config.blob_clusters, cluster_std=config.blob_std,
                      random_state=seed)
    return _scaled(x), y


def _settings(config: Config) -> dict[str, tuple]:
    """Setting name -> (device model, write, scheme)."""
    preset = get_preset(config.preset, NonlinearPulseDevice)
    return {"ideal": (preset.ideal(), "program", "one-sided"), config.preset: (preset, "pulses", "balanced"),
            config.verify_preset: (get_preset(config.verify_preset), "write_verify", "one-sided")}


def simulate(config: Config, ctx: RunContext) -> Data:
    """Every data set, start and setting; scikit-learn from the same starts."""
    generator = ctx.generator()
    rng = np.random.default_rng(ctx.seed)
    settings = _settings(config)
    data: Data = {"settings": np.array(list(settings)), "preset": config.preset}
    for name in DATASETS:
        x, truth = dataset(name, config, ctx.seed)
        k = len(np.unique(truth))
        points = torch.from_numpy(x)
        labels = {key: np.zeros((config.inits, len(x)), dtype=np.int64) for key in ("sklearn", *settings)}
        iterations = {key: np.zeros(config.inits, dtype=np.int64) for key in ("sklearn", *settings)}
        centroids = {key: np.zeros((config.inits, k, x.shape[1])) for key in ("sklearn", *settings)}
        for i in tqdm(range(config.inits), desc=f"kmeans {name}", leave=False, disable=None):
            init = x[rng.choice(len(x), k, replace=False)]
            reference = KMeans(k, init=init, n_init=1, algorithm="lloyd", tol=0.0, max_iter=config.max_iter).fit(x)
            labels["sklearn"][i], iterations["sklearn"][i] = reference.labels_, reference.n_iter_
            centroids["sklearn"][i] = reference.cluster_centers_
            for key, (model, write, scheme) in settings.items():
                array = CrossbarArray(x.shape[1] + 1, k, model, WeightMapping(scheme=scheme, w_max=config.w_max),
                                      rounding="nearest", generator=generator, dtype=torch.float64)
                if scheme == "balanced":
                    array.program(torch.zeros(x.shape[1] + 1, k, dtype=torch.float64))
                fit = CrossbarKMeans(array, write, bias_input=x.shape[1] / 2, rounds=config.rounds,
                                     generator=generator).fit(points, torch.from_numpy(init), config.max_iter)
                labels[key][i], iterations[key][i] = fit.labels.numpy(), fit.iterations
                centroids[key][i] = fit.centroids.numpy()
        data[f"{name}_points"], data[f"{name}_truth"] = x, truth
        for key in labels:
            data[f"{name}_labels_{key}"] = labels[key]
            data[f"{name}_iterations_{key}"] = iterations[key]
            data[f"{name}_centroids_{key}"] = centroids[key]
    return data


def accuracy(labels: np.ndarray, truth: np.ndarray) -> float:
    """Share of points whose cluster is matched to their class (clusters matched one to one, Hungarian)."""
    k = int(max(labels.max(), truth.max())) + 1
    counts = np.zeros((k, k))
    np.add.at(counts, (labels, truth), 1)
    rows, cols = linear_sum_assignment(-counts)
    return float(counts[rows, cols].sum() / len(truth))


def metrics(data: Data) -> dict[str, float]:
    """ARI with scikit-learn from the same starts, iterations, class accuracy, per data set and setting."""
    values: dict[str, float] = {}
    for name in DATASETS:
        suffix = "" if name == "iris" else "_blobs"
        truth, reference = data[f"{name}_truth"], data[f"{name}_labels_sklearn"]
        for key in data["settings"]:
            ours = data[f"{name}_labels_{key}"]
            values[f"ari_{key}{suffix}"] = float(np.mean([adjusted_rand_score(r, o) for r, o in zip(reference, ours)]))
            values[f"iterations_{key}{suffix}"] = float(data[f"{name}_iterations_{key}"].mean())
        values[f"iterations{suffix}"] = values.pop(f"iterations_ideal{suffix}")
        values[f"iterations_sklearn{suffix}"] = float(data[f"{name}_iterations_sklearn"].mean())
        for key in ("sklearn", *data["settings"]):
            runs = data[f"{name}_labels_{key}"]
            values[f"{name}_accuracy_{key}"] = float(np.mean([accuracy(o, truth) for o in runs]))
    return values


def plot(data: Data) -> dict[str, plt.Figure]:
    """The clusters of the first start in every setting, for both data sets."""
    keys = ("sklearn", *data["settings"])
    fig, axes = plt.subplots(len(DATASETS), len(keys), figsize=(3.1 * len(keys), 3.0 * len(DATASETS)))
    for row, name in enumerate(DATASETS):
        x = data[f"{name}_points"]
        dims = (2, 3) if x.shape[1] >= 4 else (0, 1)  # iris: petal length and width
        for col, key in enumerate(keys):
            ax = axes[row, col]
            ax.scatter(x[:, dims[0]], x[:, dims[1]], c=data[f"{name}_labels_{key}"][0], s=8, cmap="viridis")
            c = data[f"{name}_centroids_{key}"][0]
            ax.scatter(c[:, dims[0]], c[:, dims[1]], marker="x", c="red", s=60)
            ari = adjusted_rand_score(data[f"{name}_labels_sklearn"][0], data[f"{name}_labels_{key}"][0])
            ax.set_title(f"{name}: {key}\nARI vs sklearn {ari:.3f}", fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    return {"clusters": fig}


def cost(config: Config, dataset: None) -> Cost:
    """Distances of every point to every centroid; every iteration of every start, three ways, two data sets."""
    return Cost(memory_bytes=config.blob_points * config.blob_clusters * 8 * 20,
                steps=2 * 3 * config.inits * config.max_iter * config.rounds)


EXPERIMENT = register(Experiment(
    name="kmeans-crossbar",
    reference="jeong2018",
    summary="K-means with centroids and the |W|^2 row in an array: ideal, pulse-written, write-verified vs sklearn",
    quick=QUICK,
    full=FULL,
    simulate=simulate,
    cost=cost,
    metrics=metrics,
    plot=plot,
    paper=lambda config: {f"iris_accuracy_{config.preset}": predicted(
        0.933, 0.02, absolute=True, detail="the paper's Ta2O5 array; ours the configured preset")},
))
