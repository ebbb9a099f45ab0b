"""Run many independent points of a study in parallel, resuming from the points already done.

Each point's result is written to ``cache/<key>.json`` (atomically: written to a temporary
name, then renamed) the moment it finishes, so a sweep that is interrupted (Ctrl-C, a
killed job, a lost node) and started again recomputes only the points that had not
finished. A stored point carries what it was computed for (the point, the caller's
``identity`` of the study, the package version) and a SHA-256 checksum of its result; it is
reused only when all of them match, so an edited file or one from other code or settings is
computed again. Points run:

* in this process (``workers=1``),
* on local processes (``workers > 1``, :class:`concurrent.futures.ProcessPoolExecutor`),
* or on a Dask cluster when ``cluster`` is a scheduler address such as
  ``tcp://10.0.0.5:8786``, or ``local:N`` for a ``dask.distributed.LocalCluster`` of N worker processes
  started for the sweep (optional extra: ``pip install 'memristive[cluster]'``). A worker lost mid-sweep
  loses only its unfinished points: Dask reruns them elsewhere, and every finished point is already stored.

``fn(point, shared)`` must be a module-level function (it is pickled); ``shared`` is sent
to each worker once (the dataset, say), not once per point. Local workers end with their
parent, however it ends (:mod:`memristive.experiments.workers`), so a killed sweep leaves no
process behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from memristive import __version__
from memristive.errors import MemristiveError
from memristive.experiments.workers import process_pool

_SHARED: Any = None


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True).encode()


def point_key(point: dict[str, Any], context: dict[str, Any] | None = None) -> str:
    """Stable file name of a point computed in ``context``: a hash of their JSON form."""
    return hashlib.sha1(_canonical({"point": point, "context": context or {}})).hexdigest()[:16]


def checksum(result: dict[str, Any]) -> str:
    """SHA-256 of a result's canonical JSON form."""
    return hashlib.sha256(_canonical(result)).hexdigest()


def _store(cache: Path, point: dict[str, Any], context: dict[str, Any], result: dict[str, Any]) -> None:
    path = cache / f"{point_key(point, context)}.json"
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps({"point": point, "context": context, "result": result, "checksum": checksum(result)}))
    tmp.replace(path)


def _load(cache: Path, point: dict[str, Any], context: dict[str, Any]) -> dict[str, Any] | None:
    """The stored result of ``point`` if it was computed for it in ``context`` and is intact, else ``None``."""
    path = cache / f"{point_key(point, context)}.json"
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # a damaged file is recomputed
    if not (isinstance(record, dict) and record.get("point") == point and record.get("context") == context
            and isinstance(record.get("result"), dict) and record.get("checksum") == checksum(record["result"])):
        return None  # computed for something else, or edited
    return record["result"]


def _init_worker(shared: Any) -> None:
    global _SHARED
    _SHARED = shared


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
    identity: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """``[fn(p, shared) for p in points]``, computed where missing from ``cache`` and stored there.

    ``identity`` says what the study is (its settings, seed, data): stored points are reused only for the
    same identity and package version."""
    if workers < 1:
        raise MemristiveError(f"workers={workers} must be >= 1")
    context = {"identity": identity or {}, "version": __version__}
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    for i, point in enumerate(points):
        done = _load(cache, point, context)
        if done is not None:
            results[i] = done
    todo = [i for i in range(len(points)) if i not in results]
    bar = tqdm(total=len(points), initial=len(results), desc=desc, leave=False, disable=None)

    def finish(i: int, result: dict[str, Any]) -> None:
        _store(cache, points[i], context, result)
        results[i] = result
        bar.update()

    try:
        if cluster:
            _run_dask(fn, points, todo, shared, cluster, finish)
        elif workers == 1 or len(todo) <= 1:
            for i in todo:
                finish(i, fn(points[i], shared))
        else:
            with process_pool(min(workers, len(todo)), initializer=_init_worker, initargs=(shared,)) as pool:
                futures = {pool.submit(_call, fn, points[i]): i for i in todo}
                for future in as_completed(futures):
                    finish(futures[future], future.result())
    finally:
        bar.close()
    return [results[i] for i in range(len(points))]


def check_cluster(address: str) -> str:
    """``address`` if it is a Dask scheduler address (``tcp://HOST:PORT``, ``tls://...``) or ``local:N`` (N >= 1
    local worker processes); a :class:`MemristiveError` saying what is expected otherwise."""
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not (count.isdigit() and int(count) >= 1):
            raise MemristiveError(f"cluster={address}: local:N needs a worker count N >= 1, e.g. local:4")
    elif "://" not in address:
        raise MemristiveError(f"cluster={address}: expected a scheduler address (tcp://HOST:PORT) or local:N")
    return address


@contextlib.contextmanager
def dask_client(address: str):
    """A ``dask.distributed.Client`` of the scheduler at ``address``, or of a ``LocalCluster`` of N worker processes
    (one thread each) for ``local:N``, started and closed with the block (:func:`check_cluster`)."""
    check_cluster(address)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise MemristiveError("a cluster address needs Dask: pip install 'memristive[cluster]'") from None
    with contextlib.ExitStack() as stack:
        if address.startswith("local:"):
            address = stack.enter_context(LocalCluster(n_workers=int(address.removeprefix("local:")),
                                                       threads_per_worker=1, dashboard_address=None))
        yield stack.enter_context(Client(address))


def run_on_dask(client, calls: dict, finish: Callable) -> None:
    """``finish(key, fn(*args, **kwargs))`` for each ``key: (fn, args, kwargs)`` of ``calls`` on ``client``'s
    workers, as they finish. Each result is released once ``finish`` has it, so a worker lost later does not make
    Dask compute it again; a lost worker's unfinished calls are rerun elsewhere."""
    from dask.distributed import as_completed as dask_completed

    submitted = [client.submit(fn, *args, **kwargs, pure=False) for fn, args, kwargs in calls.values()]
    index = {future.key: key for future, key in zip(submitted, calls, strict=True)}
    completed = dask_completed(submitted)
    del submitted
    for future in completed:
        finish(index.pop(future.key), future.result())
        future.release()


def _run_dask(fn, points, todo, shared, address: str, finish) -> None:
    with dask_client(address) as client:
        shared_future = client.scatter(shared, broadcast=True) if shared is not None else None
        run_on_dask(client, {i: (fn, (points[i], shared_future), {}) for i in todo}, finish)
