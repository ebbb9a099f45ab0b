"""Read a measurement CSV into named columns, every problem reported as ``file:line: what``.

One reader serves every kind of measurement ``memristive fit`` takes (pulse trains, I-V
sweeps, retention, short-term decay): a header row names the columns (case and spaces
ignored, a spreadsheet's byte-order mark dropped), blank rows are skipped, and each cell is
converted by its column's parser, whose ``ValueError`` becomes a line-numbered error.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

from memristive.errors import MemristiveError


def number(cell: str) -> float:
    """A finite float; ``ValueError`` otherwise."""
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"{cell!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{cell!r} is not a finite number")
    return value


def integer(cell: str) -> int:
    """A whole number; ``ValueError`` otherwise."""
    try:
        return int(cell)
    except ValueError:
        raise ValueError(f"{cell!r} is not a whole number") from None


def at_least(parse: Callable[[str], float], low: float, strict: bool = False) -> Callable[[str], float]:
    """``parse`` that also rejects values below ``low`` (or equal to it, when ``strict``)."""
    def bounded(cell: str) -> float:
        value = parse(cell)
        if value < low or (strict and value == low):
            raise ValueError(f"{value!r} must be {'>' if strict else '>='} {low:g}")
        return value
    return bounded


def choice(*allowed: str) -> Callable[[str], str]:
    """A parser accepting one of ``allowed`` (case ignored), returned in lower case."""
    def parse(cell: str) -> str:
        if cell.lower() not in allowed:
            raise ValueError(f"{cell!r} must be {' or '.join(allowed)}")
        return cell.lower()
    return parse


def read_table(path: str | Path, required: dict[str, Callable[[str], object]],
               optional: dict[str, tuple[Callable[[str], object], object]] | None = None,
               min_rows: int = 4) -> dict[str, list]:
    """The columns of the CSV at ``path``: ``required`` maps column names to cell parsers, ``optional`` maps
    names to ``(parser, default)``; a parser raises ``ValueError`` with what is wrong after the column's name.
    Raises :class:`MemristiveError` naming the file and line of the first bad row (missing column, wrong
    field count, a cell its parser rejects) or too few rows.

    Examples:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "iv.csv"
        >>> _ = path.write_text("voltage_v,current_a\\n0.1,1e-6\\n0.2,2e-6\\n")
        >>> read_table(path, {"voltage_v": number, "current_a": number}, min_rows=2)
        {'voltage_v': [0.1, 0.2], 'current_a': [1e-06, 2e-06]}
    """
    path, optional = Path(path), optional or {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MemristiveError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise MemristiveError(f"{path}:{line}: not text (UTF-8)") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise MemristiveError(f"{path}: empty file (expected a header with {', '.join(required)})")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [name for name in required if name not in header]
    if missing:
        raise MemristiveError(f"{path}:1: missing column(s) {', '.join(missing)} (header: {', '.join(header)})")
    parsers = {**{name: (parse, None) for name, parse in required.items()}, **optional}
    columns: dict[str, list] = {name: [] for name in parsers}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise MemristiveError(f"{path}:{line_no}: {len(row)} fields, header has {len(header)}")
        cells = dict(zip(header, (cell.strip() for cell in row)))
        for name, (parse, default) in parsers.items():
            try:
                columns[name].append(parse(cells[name]) if name in cells else default)
            except ValueError as exc:
                raise MemristiveError(f"{path}:{line_no}: {name} {exc}") from None
    found = len(next(iter(columns.values()))) if columns else 0
    if found < min_rows:
        raise MemristiveError(f"{path}: needs at least {min_rows} data rows, found {found}")
    return columns
