"""Parallel, resumable sweeps: an interrupted run loses no finished point."""

import json
import os
import time
import uuid
from pathlib import Path

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


def logged_square(point, shared):
    """``square``, logging each call; at the point ``crash_at`` the first call (before any result of it is
    stored) records which points are stored and kills its worker process."""
    log = Path(shared["log"])
    (log / f"{point['x']}-{uuid.uuid4().hex}").touch()
    marker = log.parent / "crashed.json"
    if point["x"] == shared["crash_at"] and not marker.exists():
        stored = [json.loads(p.read_text())["point"]["x"] for p in Path(shared["cache"]).glob("*.json")]
        marker.write_text(json.dumps(stored))
        time.sleep(0.5)  # the client's release of the points it stored reaches the scheduler first
        os._exit(1)  # the worker dies mid-sweep, as a lost node would
    time.sleep(0.2)
    return {"y": point["x"] ** 2}


def test_dask_cluster_runs_the_points(tmp_path, distributed):
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        points = [{"x": x} for x in range(4)]
        results = run_points(square, points, tmp_path, shared=2, cluster=cluster.scheduler_address)
    assert results == [{"y": x * x + 2} for x in range(4)]
    assert len(list(tmp_path.glob("*.json"))) == 4


def test_an_edited_point_or_one_from_other_code_or_settings_is_computed_again(tmp_path, monkeypatch):
    import json

    import memristive.experiments.sweep as sweep

    points = [{"x": 3}]
    assert run_points(square, points, tmp_path, shared=0, identity={"lr": 1}) == [{"y": 9}]
    (stored,) = tmp_path.glob("*.json")
    record = json.loads(stored.read_text())
    record["result"]["y"] = 1000  # edited by hand: the checksum no longer matches
    stored.write_text(json.dumps(record))
    assert run_points(square, points, tmp_path, shared=0, identity={"lr": 1}) == [{"y": 9}]
    calls = []

    def counting(point, shared):
        calls.append(point)
        return square(point, shared)

    run_points(counting, points, tmp_path, shared=0, identity={"lr": 1})
    assert calls == []  # intact and the same study: reused
    run_points(counting, points, tmp_path, shared=0, identity={"lr": 2})
    monkeypatch.setattr(sweep, "__version__", "0.0.0-other")
    run_points(counting, points, tmp_path, shared=0, identity={"lr": 1})
    assert len(calls) == 2  # other settings, other code: computed again


def slow_square(point, shared):
    """Write this worker's pid where the test can see it, then take long."""
    import os
    import time
    from pathlib import Path

    (Path(shared) / f"{os.getpid()}.pid").write_text("")
    time.sleep(60)
    return {"y": point["x"] ** 2}


@pytest.mark.slow
def test_a_killed_sweep_leaves_no_worker_running(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = ("from tests.test_sweep import slow_square\nfrom memristive.experiments.sweep import run_points\n"
              f"run_points(slow_square, [{{'x': 1}}, {{'x': 2}}], {str(tmp_path / 'cache')!r}, shared={str(tmp_path)!r},"
              " workers=2)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=os.path.dirname(os.path.dirname(__file__)))
    deadline = time.time() + 60
    while len(list(tmp_path.glob("*.pid"))) < 2 and time.time() < deadline:
        time.sleep(0.2)
    workers = [int(p.stem) for p in tmp_path.glob("*.pid")]
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 10
    while any(_running(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.2)
    assert not any(_running(pid) for pid in workers)


def _running(pid):
    """Whether process ``pid`` exists and is not a zombie waiting for its (dead) parent's reaper."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_a_worker_killed_mid_sweep_loses_no_finished_point(tmp_path, distributed):
    """local:2 (two worker processes); one dies while the sweep runs. Dask reruns its point elsewhere, the sweep
    completes, every point stored before the kill was computed once, and a rerun computes nothing."""
    cache, log = tmp_path / "cache", tmp_path / "log"
    log.mkdir()
    shared = {"log": str(log), "cache": str(cache), "crash_at": 5}
    points = [{"x": x} for x in range(8)]
    results = run_points(logged_square, points, cache, shared=shared, cluster="local:2")
    assert results == [{"y": x * x} for x in range(8)]
    stored_at_kill = json.loads((tmp_path / "crashed.json").read_text())
    assert stored_at_kill  # the kill came after some points had finished
    calls = [int(name.split("-")[0]) for name in os.listdir(log)]
    assert all(calls.count(x) == 1 for x in stored_at_kill), (stored_at_kill, sorted(calls))
    assert calls.count(5) >= 2  # the killed point ran again
    before = len(calls)
    assert run_points(logged_square, points, cache, shared=shared, cluster="local:2") == results
    assert len(os.listdir(log)) == before


@pytest.mark.parametrize("address, message", [("local:0", "N >= 1"), ("local:x", "N >= 1"),
                                              ("myhost:8786", "tcp://HOST:PORT")])
def test_bad_cluster_addresses_are_named(tmp_path, address, message):
    with pytest.raises(MemristiveError, match=message):
        run_points(square, [{"x": 1}], tmp_path, shared=0, cluster=address)
