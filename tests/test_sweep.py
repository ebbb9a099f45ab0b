"""Parallel, resumable sweeps: an interrupted run loses no finished point."""

import pytest

from memristive.errors import MemristiveError
from memristive.experiments.sweep import point_key, run_points


def square(point, shared):
    """A module-level point function (picklable for worker processes)."""
    return {"y": point["x"] ** 2 + shared}


class Interrupt(Exception):
    pass


def test_interrupted_sweep_resumes_without_recomputing(tmp_path):
    calls = []

    def flaky(point, shared):
        if len(calls) == 3:
            raise Interrupt
        calls.append(point["x"])
        return {"y": point["x"] ** 2}

    points = [{"x": x} for x in range(6)]
    with pytest.raises(Interrupt):
        run_points(flaky, points, tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 3
    finished = list(calls)

    def counting(point, shared):
        calls.append(point["x"])
        return {"y": point["x"] ** 2}

    results = run_points(counting, points, tmp_path)
    assert [r["y"] for r in results] == [x * x for x in range(6)]
    assert calls[len(finished):] == [3, 4, 5]  # only the missing points ran


def test_worker_processes_give_the_same_results(tmp_path):
    points = [{"x": x} for x in range(5)]
    parallel = run_points(square, points, tmp_path / "a", shared=1, workers=2)
    serial = run_points(square, points, tmp_path / "b", shared=1, workers=1)
    assert parallel == serial == [{"y": x * x + 1} for x in range(5)]


def test_damaged_point_file_is_recomputed(tmp_path):
    points = [{"x": 2}]
    (tmp_path / f"{point_key(points[0])}.json").write_text("{not json")
    assert run_points(square, points, tmp_path, shared=0) == [{"y": 4}]


def test_bad_worker_count_is_rejected(tmp_path):
    with pytest.raises(MemristiveError, match="workers=0"):
        run_points(square, [{"x": 1}], tmp_path, workers=0)


def test_dask_cluster_runs_the_points(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        points = [{"x": x} for x in range(4)]
        results = run_points(square, points, tmp_path, shared=2, cluster=cluster.scheduler_address)
    assert results == [{"y": x * x + 2} for x in range(4)]
    assert len(list(tmp_path.glob("*.json"))) == 4
