"""K-means on arrays (issue 17): the labels of scikit-learn's Lloyd K-means from the same start on ideal devices,
the |W|^2 row's distance ordering, bad input refused, and the quick experiment."""

import json

import numpy as np
import pytest
import torch
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_blobs

from memristive.algorithms.kmeans import CrossbarKMeans, distance_matrix
from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment
from tests.conftest import TEST_DEVICE

pytestmark = pytest.mark.on_test_device


def _scaled(x):
    return (x - x.min(0)) / (x.max(0) - x.min(0))


def _kmeans(d, k, w_max=1.0):
    array = CrossbarArray(d + 1, k, get_preset("taox-hfox").ideal(), WeightMapping(w_max=w_max), dtype=torch.float64,
                          device=TEST_DEVICE)
    return CrossbarKMeans(array, bias_input=d / 2)


@pytest.mark.parametrize("data", ["iris", "blobs"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ideal_devices_give_sklearns_labels_from_the_same_start(data, seed):
    if data == "iris":
        x, k = _scaled(load_iris().data), 3
    else:
        x, k = _scaled(make_blobs(300, n_features=3, centers=5, cluster_std=2.0, random_state=seed)[0]), 5
    init = x[np.random.default_rng(seed).choice(len(x), k, replace=False)]
    reference = KMeans(k, init=init, n_init=1, algorithm="lloyd", tol=0.0).fit(x)
    fit = _kmeans(x.shape[1], k).fit(torch.from_numpy(x).to(TEST_DEVICE), torch.from_numpy(init).to(TEST_DEVICE))
    assert fit.converged and fit.iterations == reference.n_iter_
    assert np.array_equal(fit.labels.cpu().numpy(), reference.labels_)
    np.testing.assert_allclose(fit.centroids.cpu().numpy(), reference.cluster_centers_, atol=1e-9)


def test_the_extra_row_orders_points_by_euclidean_distance_not_by_dot_product():
    centroids = torch.tensor([[0.2, 0.2], [0.9, 0.9]], dtype=torch.float64, device=TEST_DEVICE)
    point = torch.tensor([[0.4, 0.4]], dtype=torch.float64, device=TEST_DEVICE)  # nearer the first, dot favours both
    kmeans = _kmeans(2, 2)
    kmeans.set_centroids(centroids)
    assert int(kmeans.assign(point)) == 0 and int((point @ centroids.t()).argmax()) == 1
    torch.testing.assert_close(distance_matrix(centroids, 2.0)[-1], -(centroids.square().sum(1)) / 4)


def test_bad_input_is_refused():
    kmeans = _kmeans(2, 3)
    points = torch.rand(10, 2, dtype=torch.float64, device=TEST_DEVICE)
    with pytest.raises(MemristiveError, match=r"need \[n, 2\]"):
        kmeans.fit(torch.rand(10, 4, dtype=torch.float64, device=TEST_DEVICE), points[:3])
    with pytest.raises(MemristiveError, match="2 centroids for an array of 3 columns"):
        kmeans.set_centroids(points[:2])
    with pytest.raises(MemristiveError, match="2 points for 3 clusters"):
        kmeans.fit(points[:2], points[:3])
    with pytest.raises(MemristiveError, match="write"):
        CrossbarKMeans(kmeans.array, "teleport")


def test_kmeans_crossbar_quick(tmp_path):
    m = json.loads(run_experiment("kmeans-crossbar", tmp_path, quick=True).read_text())["metrics"]
    assert m["ari_ideal"] == 1.0 and m["ari_ideal_blobs"] == 1.0 and m["iterations"] == m["iterations_sklearn"]
    assert 0.85 <= m["iris_accuracy_ideal"] <= 0.95  # scikit-learn's own: 88.5 % over the quick starts
    assert 0.3 < m["ari_epiram"] < 1.0 and 0.3 < m["ari_tiox-4k"] < 1.0  # real devices move the clusters, measured
