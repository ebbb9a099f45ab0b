"""Results folder -> ``index.html``: at the top, every experiment's paper values by what they are (predictions
within / outside their tolerance, not judged, calibrations, inputs; also written as ``summary.json``), then each
experiment's figures and its paper-vs-measured table (kind, tolerance, agreement per row), and the speed
table of a pytest-benchmark JSON (``benchmarks.json``, written by ``python -m pytest benchmarks
--benchmark-only --benchmark-json=RESULTS/benchmarks.json``) when there is one."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

import jsonschema

from memristive.errors import MemristiveError
from memristive.experiments.registry import get_experiment
from memristive.experiments.runner import redraw_figures

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1250px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.7em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.off { background: #fde8e8; } .ok { background: #e6f4e6; } td.detail { text-align: left; color: #555; } img { max-width: 100%; border: 1px solid #eee; cursor: zoom-in; }
.meta { color: #666; font-size: 0.9em; } td.what { text-align: left; color: #555; font-size: 0.85em; min-width: 16em; }
"""


def _fmt(value) -> str:
    if value is None:
        return "&ndash;"
    if isinstance(value, float):
        return f"{value:.4g}"
    return html.escape(str(value))


def tolerance_text(claim: dict) -> str:
    """A claim record's tolerance as text: ``± 0.5``, ``± 10 %`` (relative) or ``≥ paper − 0.001`` (a bound)."""
    margin = f"{claim['tolerance']:g}" if claim["absolute"] else f"{100 * claim['tolerance']:g} %"
    return f"\u2265 paper \u2212 {margin}" if claim.get("at_least") else f"\u00b1 {margin}"


def _measured(record: dict, key: str) -> str:
    """The measured value, ``mean +- sd (n seeds)`` for a run over seeds."""
    value = _fmt(record["metrics"][key])
    sd = record.get("sd", {}).get(key)
    return value if sd is None else f"{value} &plusmn; {_fmt(sd)}"


def _verdict(claim: dict | None, quick: bool) -> tuple[str, str]:
    """(row class, agreement cell) of one metric row: only judged predictions are shaded."""
    if claim is None:
        return "", "&ndash;"
    if claim["kind"] != "predicted":
        return "", "not judged (" + html.escape(claim["kind"]) + ")"
    if not claim["judged"]:
        return "", "not judged (" + ("quick run; " if quick else "") + "not the paper's conditions)"
    return ("ok", "within") if claim["agrees"] else ("off", "outside")


def _section(record: dict, folder: Path) -> str:
    claims = record.get("claims", {})
    rows = []
    for key in record["metrics"]:
        claim = claims.get(key)
        style, verdict = _verdict(claim, record["quick"])
        kind = "&ndash;" if claim is None else html.escape(claim["kind"])
        detail = "" if claim is None else html.escape(claim["detail"])
        tolerance = html.escape(tolerance_text(claim)) if claim and claim["kind"] == "predicted" else "&ndash;"
        rows.append(f"<tr{f' class={style}' if style else ''}><td>{html.escape(key)}</td><td>{kind}</td>"
                    f"<td>{_fmt(record['paper'].get(key))}</td><td>{_measured(record, key)}</td>"
                    f"<td>{tolerance}</td>"
                    f"<td>{verdict}</td><td class=detail>{detail}</td></tr>")
    figures = "".join(_figure(folder, name) for name in record.get("figures", []))
    config = html.escape(json.dumps(record["config"]))
    seeds = record.get("seeds")
    runs = f"seeds {_seed_list(seeds)} (mean &plusmn; sd)" if seeds else f"seed {record['seed']}"
    return (
        f"<h2 id='{html.escape(record['experiment'])}'>{html.escape(record['experiment'])}</h2>"
        + (f"<p class=meta>reproduces: {html.escape(str(record['reference']))}</p>" if record.get("reference") else "")
        + f"<p class=meta>{runs}, {'quick' if record['quick'] else 'full'} mode, "
        f"{record['seconds']:.1f} s, version {html.escape(record['version'])}<br>config: <code>{config}</code></p>"
        "<table><tr><th>metric</th><th>kind</th><th>paper</th><th>measured</th><th>tolerance</th>"
        f"<th>agreement</th><th>what it is</th></tr>{''.join(rows)}</table>{figures}"
    )


def _figure(folder: Path, name: str) -> str:
    """A figure that opens full size on click; the browser marks it ``data-loaded`` or ``data-missing`` (a
    figure whose file is gone is named as missing instead)."""
    src = html.escape(f"{folder.name}/{name}")
    if not (folder / name).is_file():
        return f"<p class=off>figure missing: {src}</p>"
    return (f'<p><a href="{src}" target=_blank><img src="{src}" alt="{html.escape(name)}" '
            "onload=\"this.dataset.loaded='1'\" onerror=\"this.dataset.missing='1'\"></a></p>")


def _seed_list(seeds: list[int]) -> str:
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}-{seeds[-1]}"
    return ", ".join(str(seed) for seed in seeds)


def claim_counts(record: dict) -> dict:
    """One run's paper values by what they are: predictions within / outside their tolerance, predictions not
    judged (quick run, other data), calibrations, inputs, and the tolerances its judged predictions use."""
    claims = record.get("claims", {}).values()
    judged = [claim for claim in claims if claim["kind"] == "predicted" and claim["judged"]]
    return {
        "within": sum(claim["agrees"] for claim in judged),
        "outside": sum(not claim["agrees"] for claim in judged),
        "not_judged": sum(claim["kind"] == "predicted" and not claim["judged"] for claim in claims),
        "calibrated": sum(claim["kind"] == "calibrated" for claim in claims),
        "input": sum(claim["kind"] == "input" for claim in claims),
        "tolerances": sorted({tolerance_text(claim) for claim in judged}),
    }


_COUNTS = ("within", "outside", "not_judged", "calibrated", "input")


def _summary_row(record: dict, counts: dict) -> str:
    """One line of the table at the top: name (a link), mode, seeds, seconds and the paper values by kind."""
    name = html.escape(record["experiment"])
    seeds = _seed_list(record["seeds"]) if record.get("seeds") else str(record["seed"])
    cells = "".join(f"<td>{counts[key]}</td>" for key in _COUNTS)
    return (f"<tr{' class=off' if counts['outside'] else ''}><td><a href='#{name}'>{name}</a></td>"
            f"<td class=what>{html.escape(_reproduces(record['experiment']))}</td>"
            f"<td>{'quick' if record['quick'] else 'full'}</td><td>{seeds}</td><td>{record['seconds']:.1f}</td>"
            f"{cells}<td>{html.escape(', '.join(counts['tolerances'])) or '&ndash;'}</td></tr>")


def _reproduces(name: str) -> str:
    """What experiment ``name`` reproduces (its registry summary; empty for a name no longer registered)."""
    try:
        return get_experiment(name).summary
    except MemristiveError:
        return ""


def _summary_table(rows: list[str], totals: dict, seconds: float) -> str:
    total_cells = "".join(f"<td>{totals[key]}</td>" for key in _COUNTS)
    return ("<h2 id=summary>Paper values by what they are</h2><p class=meta>A <b>prediction</b> is an output the "
            "model was not fitted to: it is judged against the paper within the stated tolerance (green within, red "
            "outside) when the run has the paper's conditions; quick runs and other datasets are shown, not judged. "
            "A <b>calibration</b> is a number a model parameter was set from (reading it back checks the fit, "
            "predicts nothing); an <b>input</b> is a setting echoed back.</p>"
            "<table><tr><th>experiment</th><th>reproduces</th><th>mode</th><th>seeds</th><th>seconds</th>"
            "<th>predictions within</th><th>outside</th><th>not judged</th><th>calibrations</th><th>inputs</th>"
            "<th>tolerances</th></tr>" + "".join(rows)
            + f"<tr><td>total</td><td></td><td></td><td></td><td>{seconds:.1f}</td>{total_cells}<td></td></tr>"
            "</table>")


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


BENCHMARKS_FILE = "benchmarks.json"
SUMMARY_FILE = "summary.json"


def read_benchmarks(path: Path) -> list[dict]:
    """The benchmarks of a pytest-benchmark JSON that carry a speed-table case (``extra_info["case"]``); a file
    that is not one is a :class:`MemristiveError` naming it."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        runs = [run for run in data["benchmarks"] if run.get("extra_info", {}).get("case")]
        for run in runs:
            float(run["stats"]["min"]), float(run["stats"]["mean"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise MemristiveError(f"{path}: not a pytest-benchmark JSON with stats ({type(exc).__name__}: {exc})") from None
    return runs


def _seconds(value: float | None) -> str:
    if value is None:
        return "&ndash;"
    return f"{value * 1e3:.3g} ms" if value < 1 else f"{value:.3g} s"


def _speed_row(info: dict, stats: dict, baselines: dict[str, float]) -> str:
    """One case: our min (mean), its bound, the ratio to its baseline or peer, and whether the bound holds."""
    ours = stats["min"]
    base = baselines.get(info.get("baseline"))
    peer_s = info.get("peer_s")
    ratio = ours / base if base else (ours / peer_s if peer_s else None)
    checks = []
    if info.get("bound_s") is not None:
        checks.append(ours <= info["bound_s"])
    if info.get("bound_ratio") is not None and ratio is not None:
        checks.append(ratio <= info["bound_ratio"])
    status = "&ndash;" if not checks else ("met" if all(checks) else "missed")
    bound = " and ".join(part for part in (
        f"&le; {_seconds(info['bound_s'])}" if info.get("bound_s") is not None else "",
        f"&le; {info['bound_ratio']:g}x {'baseline' if info.get('baseline') else 'peer'}"
        if info.get("bound_ratio") is not None else "") if part) or "&ndash;"
    cells = [html.escape(info["case"]), html.escape(info.get("title", "")),
             f"{_seconds(ours)} ({_seconds(stats['mean'])})", bound,
             f"{ratio:.2f}x" if ratio is not None else "&ndash;",
             html.escape(info.get("peer") or "") + (f" ({_seconds(peer_s)})" if peer_s else ""), status]
    return f"<tr{' class=off' if status == 'missed' else ''}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _speed_section(path: Path) -> str:
    """The speed table of ``path`` (see :func:`read_benchmarks`), with the machine and commit it ran on."""
    runs = read_benchmarks(path)
    data = json.loads(path.read_text())
    baselines = {run["extra_info"]["case"]: run["stats"]["min"] for run in runs}
    rows = "".join(_speed_row(run["extra_info"], run["stats"], baselines) for run in runs)
    machine = data.get("machine_info", {})
    cpu = machine.get("cpu", {})
    meta = (f"{html.escape(str(cpu.get('brand_raw', machine.get('processor', '?'))))}, "
            f"{cpu.get('count', '?')} cores, {html.escape(str(data.get('datetime', '?')))}, commit "
            f"{html.escape(str(data.get('commit_info', {}).get('id', '?'))[:10])}")
    sources = sorted({run["extra_info"]["source"] for run in runs if run["extra_info"].get("source")})
    return ("<h2 id=speed>Speed</h2>"
            f"<p class=meta>{meta}. Minimum (mean) over rounds; the ratio is to the baseline measured in the same run "
            "(plain torch) or else to the peer's figure. Peers' figures: "
            + "; ".join(html.escape(source) for source in sources) + ".</p>"
            "<table><tr><th>case</th><th>what</th><th>memristive</th><th>bound</th><th>ratio</th><th>peer</th>"
            f"<th>status</th></tr>{rows}</table>")


def write_report(results_dir: str | Path, redraw: bool = False) -> Path:
    """Write ``results_dir/index.html`` from every ``*/result.json`` below it; returns its path.

    With ``redraw``, every run's figures are drawn again from its ``data.npz`` first (no simulation). A
    ``benchmarks.json`` in ``results_dir`` adds the speed table (:func:`read_benchmarks`).
    """
    root = Path(results_dir)
    records = sorted(root.glob("*/result.json"))
    speed = _speed_section(root / BENCHMARKS_FILE) if (root / BENCHMARKS_FILE).is_file() else ""
    if not records and not speed:
        raise MemristiveError(f"no */result.json (or {BENCHMARKS_FILE}) under {root}: run an experiment first")
    sections, contents, skipped, total = [], [], [], 0.0
    totals = {key: 0 for key in _COUNTS}
    summary = {}
    for path in records:
        try:
            record = read_result(path)
        except MemristiveError as exc:
            skipped.append(str(exc))
            continue
        if redraw:
            redraw_figures(path.parent)
        counts = claim_counts(record)
        summary[record["experiment"]] = {"quick": record["quick"], "seeds": record.get("seeds", [record["seed"]]),
                                         **counts}
        sections.append(_section(record, path.parent))
        contents.append(_summary_row(record, counts))
        total += record["seconds"]
        for key in _COUNTS:
            totals[key] += counts[key]
    for reason in skipped:
        print(f"memristive: skipped {reason}", file=sys.stderr)
    if not sections and not speed:
        raise MemristiveError(f"no valid */result.json under {root} ({len(skipped)} skipped, listed above)")
    notes = "".join(f"<p class=off>skipped {html.escape(reason)}</p>" for reason in skipped)
    table = _summary_table(contents, totals, total) if sections else ""
    (root / SUMMARY_FILE).write_text(json.dumps({"experiments": summary, "total": totals}, indent=2) + "\n")
    index = root / "index.html"
    index.write_text(
        "<!doctype html><html><head><meta charset=utf-8><title>memristive results</title>"
        f"<style>{_STYLE}</style></head><body><h1>memristive results</h1>"
        + notes + table + speed + "".join(sections)
        + "</body></html>\n"
    )
    return index
