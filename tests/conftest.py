"""Where the tests' tensors live: the CPU, or CUDA with ``MEMRISTIVE_TEST_DEVICE=cuda``.

Test modules marked ``pytestmark = pytest.mark.on_test_device`` build their tensors, states and
generators on :data:`TEST_DEVICE`; with ``MEMRISTIVE_TEST_DEVICE=cuda`` on a machine without a GPU
they are skipped.
"""

import os

import pytest
import torch

TEST_DEVICE = torch.device(os.environ.get("MEMRISTIVE_TEST_DEVICE", "cpu"))

if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)  # one thread per test worker: the workers share the cores


def generator(seed: int) -> torch.Generator:
    """A generator on the test device."""
    return torch.Generator(device=TEST_DEVICE).manual_seed(seed)


@pytest.fixture
def cli(capsys):
    """Run the ``memristive`` command in this process: ``cli(*args) -> (exit status, stderr)``."""
    from memristive.cli import main

    def run(*args: str) -> tuple[int, str]:
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code
        return code, capsys.readouterr().err

    return run


@pytest.fixture
def distributed():
    """``dask.distributed``; in CI (``CI=true``, which installs the cluster extra) its absence fails the test
    instead of skipping it."""
    if os.environ.get("CI") == "true":
        import dask.distributed

        return dask.distributed
    return pytest.importorskip("dask.distributed")


def pytest_configure(config):
    config.addinivalue_line("markers", "on_test_device: the module runs on MEMRISTIVE_TEST_DEVICE")


def pytest_collection_modifyitems(config, items):
    """Slow tests first (with ``-n N`` the workers start on them together and finish together); device tests
    skipped where their device is missing."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if TEST_DEVICE.type == "cuda" and not torch.cuda.is_available():
        skip = pytest.mark.skip(reason="MEMRISTIVE_TEST_DEVICE=cuda, but no GPU here")
        for item in items:
            if item.get_closest_marker("on_test_device"):
                item.add_marker(skip)
