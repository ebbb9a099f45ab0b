"""Results folder -> ``index.html``: every experiment's figures and a paper-vs-measured table."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

import jsonschema

from memristive.errors import MemristiveError
from memristive.experiments.runner import redraw_figures

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.off { background: #fde8e8; } img { max-width: 100%; border: 1px solid #eee; }
.meta { color: #666; font-size: 0.9em; }
"""


def _fmt(value) -> str:
    if value is None:
        return "&ndash;"
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape(str(value))


def _ratio_off(measured, paper, tolerance: float = 0.10) -> bool:
    if paper in (None, 0) or measured is None:
        return False
    return abs(measured - paper) > tolerance * abs(paper)


def _section(record: dict, folder: Path) -> str:
    rows = "".join(
        f"<tr{' class=off' if _ratio_off(value, record['paper'].get(key)) else ''}>"
        f"<td>{html.escape(key)}</td><td>{_fmt(record['paper'].get(key))}</td><td>{_fmt(value)}</td></tr>"
        for key, value in record["metrics"].items()
    )
    figures = "".join(
        f'<p><img src="{html.escape(folder.name)}/{html.escape(name)}" alt="{html.escape(name)}"></p>'
        for name in record.get("figures", [])
    )
    config = html.escape(json.dumps(record["config"]))
    return (
        f"<h2 id='{html.escape(record['experiment'])}'>{html.escape(record['experiment'])}</h2>"
        + (f"<p class=meta>reproduces: {html.escape(str(record['reference']))}</p>" if record.get("reference") else "")
        + f"<p class=meta>seed {record['seed']}, {'quick' if record['quick'] else 'full'} mode, "
        f"{record['seconds']:.1f} s, version {html.escape(record['version'])}<br>config: <code>{config}</code></p>"
        f"<table><tr><th>metric</th><th>paper</th><th>measured</th></tr>{rows}</table>{figures}"
    )


def _summary_row(record: dict) -> str:
    """One line of the table at the top: name (a link), mode, simulation seconds, paper values and misses."""
    name = html.escape(record["experiment"])
    compared = [key for key, value in record["paper"].items() if value is not None]
    off = sum(_ratio_off(record["metrics"][key], record["paper"][key]) for key in compared)
    return (f"<tr{' class=off' if off else ''}><td><a href='#{name}'>{name}</a></td>"
            f"<td>{'quick' if record['quick'] else 'full'}</td><td>{record['seconds']:.1f}</td>"
            f"<td>{len(compared)}</td><td>{off}</td></tr>")


_SCHEMA = json.loads((Path(__file__).parent / "result.schema.json").read_text())


def read_result(path: Path) -> dict:
    """The record in a ``result.json``, checked against the package's result schema (``result.schema.json``);
    a file that is not one is a :class:`MemristiveError` naming it and what is wrong."""
    try:
        record = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MemristiveError(f"{path}: not a readable JSON file ({exc})") from None
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(_SCHEMA).iter_errors(record))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        raise MemristiveError(f"{path}: not a memristive result ({where}: {error.message})")
    return record


def write_report(results_dir: str | Path, redraw: bool = False) -> Path:
    """Write ``results_dir/index.html`` from every ``*/result.json`` below it; returns its path.

    With ``redraw``, every run's figures are drawn again from its ``data.npz`` first (no simulation).
    """
    root = Path(results_dir)
    records = sorted(root.glob("*/result.json"))
    if not records:
        raise MemristiveError(f"no */result.json under {root}: run an experiment first")
    sections, contents, skipped, total = [], [], [], 0.0
    for path in records:
        try:
            record = read_result(path)
        except MemristiveError as exc:
            skipped.append(str(exc))
            continue
        if redraw:
            redraw_figures(path.parent)
        sections.append(_section(record, path.parent))
        contents.append(_summary_row(record))
        total += record["seconds"]
    for reason in skipped:
        print(f"memristive: skipped {reason}", file=sys.stderr)
    if not sections:
        raise MemristiveError(f"no valid */result.json under {root} ({len(skipped)} skipped, listed above)")
    notes = "".join(f"<p class=off>skipped {html.escape(reason)}</p>" for reason in skipped)
    index = root / "index.html"
    index.write_text(
        "<!doctype html><html><head><meta charset=utf-8><title>memristive results</title>"
        f"<style>{_STYLE}</style></head><body><h1>memristive results</h1>"
        "<p class=meta>Rows shaded red differ from the paper by more than 10 %.</p>"
        + notes + "<table><tr><th>experiment</th><th>mode</th><th>seconds</th><th>paper values</th>"
        "<th>off by &gt; 10 %</th></tr>" + "".join(contents)
        + f"<tr><td>total</td><td></td><td>{total:.1f}</td><td></td><td></td></tr></table>"
        + "".join(sections)
        + "</body></html>\n"
    )
    return index
