"""Benchmark options: the 1024 x 1024 cases take minutes on 2 cores and run on request."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-1024", action="store_true", help="include the 1024 x 1024 circuit benchmarks")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-1024"):
        return
    skip = pytest.mark.skip(reason="1024 x 1024 runs with --run-1024")
    for item in items:
        if "size1024" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config):
    config.addinivalue_line("markers", "size1024: 1024 x 1024 array (minutes on 2 cores)")
