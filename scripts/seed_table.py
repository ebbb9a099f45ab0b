"""Markdown table of the predictions in seed summaries (``memristive run NAME --seeds A-B``' result.json).

Usage: ``python scripts/seed_table.py OUT/NAME/result.json [...] [--all]``: one row per predicted claim (``--all``:
every claim) with the paper's value, mean +- sd over the seeds, the per-seed values, the tolerance and whether the
mean is within it (a claim is judged only under the conditions it names, e.g. the MNIST data).
"""

import json
import sys
from pathlib import Path

from memristive.report import tolerance_text


def _number(x: float) -> str:
    return f"{x:.4g}"


def table(record: dict, every_kind: bool = False) -> str:
    """The rows of one seed summary under a heading naming the experiment, mode, data and seeds."""
    mode = "quick" if record["quick"] else "full"
    data = record["config"].get("dataset")
    seeds = record["seeds"]
    lines = [f"**{record['experiment']}** ({mode}{', ' + data if data else ''}; seeds {', '.join(map(str, seeds))})",
             "", "| metric | kind | paper | mean +- sd | per seed | tolerance | mean within? |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for key, claim in record["claims"].items():
        if key not in record["metrics"] or not (every_kind or claim["kind"] == "predicted"):
            continue
        verdict = ("yes" if claim["agrees"] else "**no**") if claim["judged"] else "not judged (other data)"
        per_seed = " / ".join(_number(v) for v in record["per_seed"][key])
        lines.append(f"| {key} | {claim['kind']} | {_number(record['paper'][key])} | {_number(record['metrics'][key])}"
                     f" +- {_number(record['sd'][key])} | {per_seed} | {tolerance_text(claim)} | {verdict} |")
    return "\n".join(lines)


if __name__ == "__main__":
    every = "--all" in sys.argv
    for path in (a for a in sys.argv[1:] if a != "--all"):
        print(table(json.loads(Path(path).read_text()), every), end="\n\n")
