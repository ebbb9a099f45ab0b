"""Compare a results folder (``memristive run all --quick``) with the recorded quick metrics at seed 0.

Usage: ``python scripts/compare_metrics.py RESULTS [BASELINE]``, BASELINE the recorded file
(default ``benchmarks/quick_metrics_seed0.json``) or another results folder; prints every
metric that moved (absolute and relative change) and a count of the identical ones.
"""

import json
import sys
from pathlib import Path


def main(results: str, baseline: str = "benchmarks/quick_metrics_seed0.json") -> None:
    if Path(baseline).is_dir():
        before = {path.parent.name: json.loads(path.read_text())["metrics"] for path in Path(baseline).glob("*/result.json")}
    else:
        before = json.loads(Path(baseline).read_text())["metrics"]
    same = moved = 0
    for experiment, metrics in sorted(before.items()):
        path = Path(results) / experiment / "result.json"
        if not path.exists():
            print(f"{experiment}: no result")
            continue
        now = json.loads(path.read_text())["metrics"]
        for key, old in metrics.items():
            new = now.get(key)
            if new == old:
                same += 1
                continue
            moved += 1
            rel = f"{(new - old) / abs(old):+.2%}" if isinstance(new, float) and old else ""
            print(f"{experiment:24} {key:32} {old!r:>24} -> {new!r:<24} {rel}")
    print(f"{same} identical, {moved} moved")


if __name__ == "__main__":
    main(*sys.argv[1:])
