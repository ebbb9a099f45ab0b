"""Run many independent points of a study in parallel, resuming from the points already done.

Each point's result is written to ``cache/<key>.json`` (atomically: written to a temporary
name, then renamed) the moment it finishes, so a sweep that is interrupted (Ctrl-C, a
killed job, a lost node) and started again recomputes only the points that had not
finished. Points run:

* in this process (``workers=1``),
* on local processes (``workers > 1``, :class:`concurrent.futures.ProcessPoolExecutor`),
* or on a Dask cluster when ``cluster`` is a scheduler address such as
  ``tcp://10.0.0.5:8786`` (optional extra: ``pip install 'memristive[cluster]'``).

``fn(point, shared)`` must be a module-level function (it is pickled); ``shared`` is sent
to each worker once (the dataset, say), not once per point.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from memristive.errors import MemristiveError

_SHARED: Any = None


def point_key(point: dict[str, Any]) -> str:
    """Stable file name of a point: a hash of its JSON form."""
    return hashlib.sha1(json.dumps(point, sort_keys=True).encode()).hexdigest()[:16]


def _store(cache: Path, point: dict[str, Any], result: dict[str, Any]) -> None:
    path = cache / f"{point_key(point)}.json"
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps({"point": point, "result": result}))
    tmp.replace(path)


def _load(cache: Path, point: dict[str, Any]) -> dict[str, Any] | None:
    path = cache / f"{point_key(point)}.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text())["result"]
    except (json.JSONDecodeError, KeyError):
        return None  # a damaged file is recomputed


def _init_worker(shared: Any) -> None:
    global _SHARED
    _SHARED = shared
    import torch

    torch.set_num_threads(1)


def _call(fn: Callable, point: dict[str, Any]) -> dict[str, Any]:
    return fn(point, _SHARED)


def run_points(
    fn: Callable[[dict[str, Any], Any], dict[str, Any]],
    points: Sequence[dict[str, Any]],
    cache: str | Path,
    shared: Any = None,
    workers: int = 1,
    cluster: str | None = None,
    desc: str = "points",
) -> list[dict[str, Any]]:
    """``[fn(p, shared) for p in points]``, computed where missing from ``cache`` and stored there."""
    if workers < 1:
        raise MemristiveError(f"workers={workers} must be >= 1")
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    for i, point in enumerate(points):
        done = _load(cache, point)
        if done is not None:
            results[i] = done
    todo = [i for i in range(len(points)) if i not in results]
    bar = tqdm(total=len(points), initial=len(results), desc=desc, leave=False, disable=None)

    def finish(i: int, result: dict[str, Any]) -> None:
        _store(cache, points[i], result)
        results[i] = result
        bar.update()

    try:
        if cluster:
            _run_dask(fn, points, todo, shared, cluster, finish)
        elif workers == 1 or len(todo) <= 1:
            for i in todo:
                finish(i, fn(points[i], shared))
        else:
            with ProcessPoolExecutor(min(workers, len(todo)), mp_context=get_context("spawn"),
                                     initializer=_init_worker, initargs=(shared,)) as pool:
                futures = {pool.submit(_call, fn, points[i]): i for i in todo}
                for future in as_completed(futures):
                    finish(futures[future], future.result())
    finally:
        bar.close()
    return [results[i] for i in range(len(points))]


def _run_dask(fn, points, todo, shared, address: str, finish) -> None:
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise MemristiveError("a cluster address needs Dask: pip install 'memristive[cluster]'") from None
    with Client(address) as client:
        shared_future = client.scatter(shared, broadcast=True) if shared is not None else None
        futures = {client.submit(fn, points[i], shared_future, pure=False): i for i in todo}
        for future in dask_completed(futures):
            finish(futures[future], future.result())
