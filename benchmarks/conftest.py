"""Benchmark options (the 1024 x 1024 cases and the quick suite take minutes on 2 cores and run on request) and
the ``case`` fixture that tags a benchmark with its row of the speed table (:mod:`peers`), so that
``--benchmark-json`` writes what ``memristive report`` renders."""

from dataclasses import asdict

import pytest

from peers import CASES


def pytest_addoption(parser):
    parser.addoption("--run-1024", action="store_true", help="include the 1024 x 1024 circuit benchmarks")
    parser.addoption("--run-suite", action="store_true", help="include the timed `memristive run all --quick`")


def pytest_collection_modifyitems(config, items):
    for marker, option in (("size1024", "--run-1024"), ("suite", "--run-suite")):
        if config.getoption(option):
            continue
        skip = pytest.mark.skip(reason=f"runs with {option}")
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)


def pytest_configure(config):
    config.addinivalue_line("markers", "size1024: 1024 x 1024 array (minutes on 2 cores)")
    config.addinivalue_line("markers", "suite: the whole quick suite (minutes on 2 cores)")


@pytest.fixture
def case(benchmark):
    """``case(case_id)`` records the row ``case_id`` of :data:`peers.CASES` in this benchmark's ``extra_info``."""

    def tag(case_id: str) -> None:
        benchmark.extra_info.update(case=case_id, **asdict(CASES[case_id]))

    return tag
