"""An independent circuit solver for the tests: the crossbar as an ngspice netlist."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

NGSPICE = shutil.which("ngspice")


def _f(x) -> str:
    return repr(float(x))


def crossbar_netlist(G, V, r_row, r_col, r_driver=0.0, r_sense=0.0, sinh_b=None) -> str:
    """The contract topology (issue 3) written out element by element."""
    n, m = G.shape
    lines = ["crossbar", ".options reltol=1e-12 abstol=1e-20 vntol=1e-15 gmin=0"]
    for i in range(n):
        lines.append(f"Vin{i} d{i} 0 DC {_f(V[i])}")
        lines.append(f"Rdrv{i} d{i} r{i}_0 {_f(r_row + r_driver)}")
        for j in range(m - 1):
            lines.append(f"Rr{i}_{j} r{i}_{j} r{i}_{j + 1} {_f(r_row)}")
    for j in range(m):
        for i in range(n - 1):
            lines.append(f"Rc{i}_{j} c{i}_{j} c{i + 1}_{j} {_f(r_col)}")
        lines.append(f"Rsen{j} c{n - 1}_{j} s{j} {_f(r_col + r_sense)}")
        lines.append(f"Vs{j} s{j} 0 DC 0")
    for i in range(n):
        for j in range(m):
            if sinh_b is None:
                lines.append(f"Rd{i}_{j} r{i}_{j} c{i}_{j} {_f(1.0 / G[i, j])}")
            else:
                a = G[i, j] / sinh_b
                lines.append(f"Bd{i}_{j} r{i}_{j} c{i}_{j} I={_f(a)}*sinh({_f(sinh_b)}*V(r{i}_{j},c{i}_{j}))")
    probes = " ".join(f"i(Vs{j})" for j in range(m))
    lines += [".control", "set numdgt=15", "op", f"print {probes}", ".endc", ".end"]
    return "\n".join(lines) + "\n"


def spice_column_currents(G, V, r_row, r_col, r_driver=0.0, r_sense=0.0, sinh_b=None) -> np.ndarray:
    """Column currents computed by ngspice's operating-point analysis, A."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "xbar.cir"
        path.write_text(crossbar_netlist(np.asarray(G), np.asarray(V), r_row, r_col, r_driver, r_sense, sinh_b))
        out = subprocess.run([NGSPICE, "-b", str(path)], capture_output=True, text=True, timeout=120).stdout
    values = dict(re.findall(r"i\(vs(\d+)\)\s*=\s*([-+0-9.eE]+)", out))
    return np.array([float(values[str(j)]) for j in range(G.shape[1])])
