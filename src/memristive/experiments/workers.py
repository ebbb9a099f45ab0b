"""Process pools whose workers end with their parent: for sweeps and for ``run all --jobs N``.

Workers are started with ``spawn`` (no inherited threads or locks), run torch on ``threads``
threads each, and watch their parent: when it is gone, killed even by SIGKILL, a worker ends
at once instead of running on as an orphan.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _start(threads: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    import torch

    torch.set_num_threads(threads)
    if initializer is not None:
        initializer(*initargs)


def process_pool(workers: int, threads: int = 1, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes of ``threads`` torch threads each that end with this process;
    ``initializer(*initargs)`` runs in each first."""
    return ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start,
                               initargs=(threads, initializer, initargs))
