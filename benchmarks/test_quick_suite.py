"""The quick suite (issue 22 item 5): ``memristive run all --quick --jobs 2`` once, wall time (bound 5 minutes on
2 cores). Opt in with ``--run-suite``: ``python -m pytest benchmarks/test_quick_suite.py --benchmark-only
--run-suite``.
"""

import json

import pytest

from memristive.cli import main


@pytest.mark.suite
def test_run_all_quick(benchmark, case, tmp_path):
    case("quick-suite")
    benchmark.pedantic(lambda: main(["run", "all", "--quick", "--jobs", "2", "--out", str(tmp_path)]), rounds=1,
                       iterations=1)
    records = [json.loads(path.read_text()) for path in tmp_path.glob("*/result.json")]
    assert len(records) >= 20 and all(record["quick"] for record in records)
    benchmark.extra_info["experiment_seconds"] = {r["experiment"]: r["seconds"] for r in records}
