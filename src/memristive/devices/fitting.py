"""Fit a pulse-device model to measured conductance-vs-pulse data; read/write presets as TOML.

Measured data (CSV, header required, one row per read):

    device,cycle,direction,pulse,conductance_s
    0,0,ltp,0,4.02e-05
    0,0,ltp,1,4.27e-05
    ...

``device`` (optional, default 0) labels physical devices, ``cycle`` the LTP/LTD cycle,
``direction`` is ``ltp`` or ``ltd``, ``pulse`` counts pulses from 0 within the run, and
``conductance_s`` is the read conductance in S.

The nonlinear model (:class:`NonlinearPulseDevice`) is Markov: each pulse maps a state
``g`` to ``clip(f(g; nu, P) + noise)``. So it is fitted on consecutive pairs
``(g_k, g_k+1)``, not on curve shapes: per direction, ``nu``, ``P`` (levels) and the noise
sigma maximise the censored (Tobit) likelihood of the steps, each device between its own
observed bounds. This stays unbiased however far c2c noise makes the curves wander, and
reads clipped at a bound count for what they say. The noise sigma per pulse, over the
range, is the c2c sigma; the spread of the devices' bounds is the d2d sigma.

The lookup model (:class:`LookupPulseDevice`, :func:`fit_lookup`) tabulates the mean
curves instead, for devices no formula fits. The quantized model
(:class:`QuantizedConductanceDevice`, :func:`fit_quantized`) is fitted on reset sweeps.
Every model writes and reads the same flat TOML preset format, keyed by ``model``.
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from scipy import differentiate
from scipy.optimize import least_squares, minimize
from scipy.stats import chi2, norm
from scipy.stats import t as student_t

from memristive.devices.csv_table import at_least, choice, integer, number, read_table
from memristive.devices.lookup import LookupPulseDevice
from memristive.devices.nonlinearity import inverse_shape, shape
from memristive.devices.analog import DeviceModel
from memristive.devices.pcm import PCMDevice
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.devices.quantized import G0_S, QuantizedConductanceDevice
from memristive.errors import MemristiveError

class Reads(NamedTuple):
    """NumPy views of :class:`PulseData`, what the scipy fits work on (CPU).

    Examples:
        >>> data = PulseData(device=[0, 0], cycle=[0, 0], ltp=[True, True], pulse=[0, 1], g=[1e-6, 2e-6])
        >>> reads = data.numpy()
        >>> type(reads.g).__name__, reads.g.tolist()
        ('ndarray', [1e-06, 2e-06])
    """

    device: np.ndarray
    cycle: np.ndarray
    ltp: np.ndarray
    pulse: np.ndarray
    g: np.ndarray


@dataclass(frozen=True)
class PulseData:
    """Measured reads as parallel 1-D tensors, one entry per read: device and cycle labels, direction
    (``ltp``: True for potentiation), pulse index within the run, conductance ``g`` (S).

    Any array-like is accepted (tensors, NumPy arrays, lists) and stored as CPU tensors: int64 labels,
    bool direction, float64 conductance.

    Examples:
        >>> data = PulseData(device=[0, 0, 0], cycle=[0, 0, 0], ltp=[True, True, True], pulse=[0, 1, 2], g=[1e-6, 2e-6, 2.5e-6])
        >>> data.g.dtype, data.ltp.dtype, data.pulse.tolist()
        (torch.float64, torch.bool, [0, 1, 2])
    """

    device: torch.Tensor
    cycle: torch.Tensor
    ltp: torch.Tensor
    pulse: torch.Tensor
    g: torch.Tensor

    def __post_init__(self) -> None:
        kinds = {"device": torch.int64, "cycle": torch.int64, "ltp": torch.bool, "pulse": torch.int64,
                 "g": torch.float64}
        for name, dtype in kinds.items():
            value = torch.as_tensor(getattr(self, name), dtype=dtype, device="cpu").detach()
            if value.ndim != 1:
                raise MemristiveError(f"PulseData.{name} must be 1-D, got shape {tuple(value.shape)}")
            object.__setattr__(self, name, value)
        sizes = {name: getattr(self, name).numel() for name in kinds}
        if len(set(sizes.values())) != 1:
            raise MemristiveError(f"PulseData fields differ in length: {sizes}")

    def numpy(self) -> Reads:
        """The reads as NumPy arrays (views; scipy's optimisers take NumPy)."""
        return Reads(*(getattr(self, name).numpy() for name in Reads._fields))


def read_pulse_csv(path: str | Path) -> PulseData:
    """Parse a measurement CSV (columns above); errors name the file, line and problem."""
    columns = read_table(path, {"cycle": integer, "direction": choice("ltp", "ltd"), "pulse": at_least(integer, 0),
                                "conductance_s": at_least(number, 0.0)}, {"device": (integer, 0)})
    return PulseData(device=columns["device"], cycle=columns["cycle"], pulse=columns["pulse"],
                     ltp=[direction == "ltp" for direction in columns["direction"]], g=columns["conductance_s"])


def _pairs(data: Reads, ltp: bool):
    """Consecutive (g, g_next, device) pairs of one direction, in pulse order within each run."""
    order = np.lexsort((data.pulse, data.ltp, data.cycle, data.device))
    d, c, l, p, g = (a[order] for a in (data.device, data.cycle, data.ltp, data.pulse, data.g))
    same = (d[1:] == d[:-1]) & (c[1:] == c[:-1]) & (l[1:] == l[:-1]) & (p[1:] == p[:-1] + 1) & (l[1:] == ltp)
    return g[:-1][same], g[1:][same], d[:-1][same]


def _step_fit(g, g_next, lo, hi, sign):
    """(nu, P, sigma, cov) of one direction by censored (Tobit) maximum likelihood on the steps.

    A read at a device's bound is clipped, so it says only that the unclipped value
    ``f(g) + noise`` lay beyond the bound; dropping such steps would bias the fit
    towards saturation. Noise is Gaussian with sigma in units of the range. ``cov`` is the
    covariance of ``(nu, ln P, ln sigma)``: the inverse of the negative log-likelihood's Hessian at the
    optimum (the observed Fisher information; NaN where it is not positive definite).
    """
    span = hi - lo
    y0, y1 = torch.as_tensor((g - lo) / span), (g_next - lo) / span
    at_top, at_bottom = y1 >= 1 - 1e-9, y1 <= 1e-9
    interior = ~(at_top | at_bottom)
    if interior.sum() < 3:
        raise MemristiveError("too few pulse steps away from the bounds to fit this direction")

    def mean(nu, log_p):
        nu_t = torch.tensor(nu, dtype=torch.float64)
        x = inverse_shape(y0, nu_t) + sign * np.exp(-log_p)
        return shape(x.clamp(0, 1), nu_t).numpy()

    def censored_nll(mu, log_sigma):
        sigma = np.exp(log_sigma)
        z = (y1 - mu) / sigma
        return -(norm.logpdf(z[interior]).sum() - interior.sum() * log_sigma
                 + norm.logsf((1 - mu[at_top]) / sigma).sum() + norm.logcdf((0 - mu[at_bottom]) / sigma).sum())

    def negative_log_likelihood(params):
        nu, log_p, log_sigma = params
        return censored_nll(mean(nu, log_p), log_sigma)

    # the likelihood has several basins: a coarse grid (sigma from the residual spread)
    # picks the start, Nelder-Mead refines all three parameters from there
    grid = []
    for nu in np.linspace(-12.0, 12.0, 49):
        for log_p in np.log(np.geomspace(4, 4000, 31)):
            mu = mean(nu, log_p)
            log_sigma = np.log(max(float((y1 - mu)[interior].std()), 1e-6))
            grid.append((censored_nll(mu, log_sigma), nu, log_p, log_sigma))
    _, *start = min(grid)
    best = minimize(negative_log_likelihood, start, method="Nelder-Mead",
                    options={"xatol": 1e-4, "fatol": 1e-6, "maxiter": 2000})
    nu, log_p, log_sigma = best.x
    return float(nu), float(np.exp(log_p)), float(np.exp(log_sigma)), _covariance(negative_log_likelihood, best.x)


def _covariance(negative_log_likelihood, optimum: np.ndarray) -> np.ndarray:
    """Inverse Hessian of ``negative_log_likelihood`` at ``optimum`` (central differences, scipy), NaN unless
    positive definite."""
    def batched(x):  # scipy.differentiate evaluates many points at once: x[parameter, ...]
        flat = x.reshape(x.shape[0], -1)
        return np.array([negative_log_likelihood(point) for point in flat.T]).reshape(x.shape[1:])

    hessian = differentiate.hessian(batched, optimum, initial_step=1e-3, maxiter=1, order=2).ddf
    try:
        np.linalg.cholesky(hessian)
    except np.linalg.LinAlgError:
        return np.full_like(hessian, np.nan)
    return np.linalg.inv(hessian)


Z95 = float(norm.ppf(0.975))
"""Half-width of a 95 % normal interval in standard errors."""


class Fit(NamedTuple):
    """A fitted device and the 95 % interval ``(low, high)`` of each of its fields the data could estimate.

    Examples:
        >>> import torch, tempfile, pathlib
        >>> from memristive.devices import get_preset
        >>> path = simulate_csv(get_preset("hzo-fefet"), pathlib.Path(tempfile.mkdtemp()) / "fe.csv", 8, 10,
        ...                     torch.Generator().manual_seed(1))
        >>> device, intervals = fit_nonlinear(read_pulse_csv(path))
        >>> device.levels, [round(v, 1) for v in intervals["levels"]]  # the true device has 32 levels
        (32, [31.3, 32.7])
    """

    device: DeviceModel
    intervals: dict[str, tuple[float, float]]


def _normal(value: float, se: float) -> tuple[float, float]:
    return (value - Z95 * se, value + Z95 * se)


def _bound_intervals(g_min: np.ndarray, g_max: np.ndarray, d2d: float) -> dict[str, tuple[float, float]]:
    """95 % intervals of the mean bounds (Student t over devices) and of the d2d sigma (chi-square, ``2 n - 2``
    degrees of freedom: two bounds per device about two means); none from a single device."""
    n = g_min.size
    if n < 2:
        return {}
    t = float(student_t.ppf(0.975, n - 1))
    intervals = {name: (float(b.mean() - t * b.std(ddof=1) / np.sqrt(n)), float(b.mean() + t * b.std(ddof=1)
                 / np.sqrt(n))) for name, b in (("g_min", g_min), ("g_max", g_max))}
    df = 2 * n - 2
    intervals["d2d_g_sigma"] = (d2d * float(np.sqrt(df / chi2.ppf(0.975, df))),
                                d2d * float(np.sqrt(df / chi2.ppf(0.025, df))))
    return intervals


def device_bounds(data: Reads) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Devices (sorted labels), each device's observed (Gmin, Gmax), and the d2d relative sigma of the bounds."""
    devices = np.unique(data.device)
    g_min = np.array([data.g[data.device == dv].min() for dv in devices])
    g_max = np.array([data.g[data.device == dv].max() for dv in devices])
    if np.any(g_max <= g_min):
        raise MemristiveError("a device's conductance never changes: nothing to fit")
    relative = np.concatenate([g_min / g_min.mean(), g_max / g_max.mean()]) - 1.0
    # two means are estimated from the 2 n bounds: 2 n - 2 degrees of freedom
    d2d = float(np.sqrt((relative**2).sum() / (relative.size - 2))) if devices.size > 1 else 0.0
    return devices, g_min, g_max, d2d


def fit_nonlinear(data: PulseData, name: str = "fitted", read_v: float = 0.2) -> Fit:
    """Fit :class:`NonlinearPulseDevice` (bounds, labels, levels, c2c, d2d) to measured data, with 95 % intervals:
    labels, levels and c2c from the steps' Fisher information (levels and c2c average the two directions), the
    bounds and d2d from the spread over devices (:func:`_bound_intervals`)."""
    reads = data.numpy()
    devices, g_min, g_max, d2d = device_bounds(reads)
    fits = {}
    for ltp, sign in ((True, 1.0), (False, -1.0)):
        g, g_next, dev = _pairs(reads, ltp)
        slot = np.searchsorted(devices, dev)
        fits[ltp] = _step_fit(g, g_next, g_min[slot], g_max[slot], sign)
    (nu_ltp, p_ltp, c2c_ltp, cov_ltp), (nu_ltd, p_ltd, c2c_ltd, cov_ltd) = fits[True], fits[False]
    # delta method: se(P) = P se(ln P), se(sigma) = sigma se(ln sigma); the two directions are independent
    se_levels = 0.5 * np.sqrt((p_ltp**2 * cov_ltp[1, 1] + p_ltd**2 * cov_ltd[1, 1]))
    se_c2c = 0.5 * np.sqrt((c2c_ltp**2 * cov_ltp[2, 2] + c2c_ltd**2 * cov_ltd[2, 2]))
    levels = 0.5 * (p_ltp + p_ltd)
    low, high = _normal(levels, se_levels)
    intervals = {"nu_ltp": _normal(nu_ltp, np.sqrt(cov_ltp[0, 0])), "nu_ltd": _normal(nu_ltd, np.sqrt(cov_ltd[0, 0])),
                 "levels": (low - 0.5, high + 0.5),  # the preset rounds to a whole number of levels
                 "c2c_sigma": _normal(0.5 * (c2c_ltp + c2c_ltd), se_c2c), **_bound_intervals(g_min, g_max, d2d)}
    return Fit(NonlinearPulseDevice(
        g_min=float(g_min.mean()),
        g_max=float(g_max.mean()),
        levels=max(1, int(round(0.5 * (p_ltp + p_ltd)))),
        nu_ltp=nu_ltp,
        nu_ltd=nu_ltd,
        c2c_sigma=float(0.5 * (c2c_ltp + c2c_ltd)),
        d2d_g_sigma=d2d,
        read_v=read_v,
        name=name,
        source=f"fitted to {reads.g.size} reads of {devices.size} device(s)",
    ), {key: (float(low), float(high)) for key, (low, high) in intervals.items()})


def _mean_curve(y: np.ndarray, pulse: np.ndarray, rising: bool) -> np.ndarray:
    """Mean normalised read per pulse index, made monotone and stretched to run 0 -> 1 (or 1 -> 0)."""
    counts = np.bincount(pulse)
    if np.any(counts == 0):
        raise MemristiveError(f"no reads at pulse(s) {np.flatnonzero(counts == 0).tolist()} of a run")
    mean = np.bincount(pulse, weights=y) / counts
    mono = np.maximum.accumulate(mean) if rising else np.minimum.accumulate(mean)
    if mono[-1] == mono[0]:
        raise MemristiveError("a direction's mean curve is flat: nothing to tabulate")
    scaled = (mono - mono[0]) / (mono[-1] - mono[0])
    return scaled if rising else 1.0 - scaled


def _sd_interval(sd: float, df: int) -> tuple[float, float]:
    """95 % chi-square interval of a standard deviation ``sd`` estimated with ``df`` degrees of freedom."""
    return (sd * float(np.sqrt(df / chi2.ppf(0.975, df))), sd * float(np.sqrt(df / chi2.ppf(0.025, df))))


def fit_lookup(data: PulseData, name: str = "fitted", read_v: float = 0.2) -> Fit:
    """Fit :class:`LookupPulseDevice`: mean curves per direction, c2c from the step residuals; 95 % intervals of
    the bounds, d2d and c2c (the tables themselves are the data's means).

    Reads are normalised by their device's observed bounds; each direction's table is
    the mean normalised read at each pulse index. The c2c sigma is the spread of the
    measured steps about the table's step from the same point (steps that end at a
    bound are left out: they are clipped).
    """
    reads = data.numpy()
    devices, g_min, g_max, d2d = device_bounds(reads)
    slot = np.searchsorted(devices, reads.device)
    y = (reads.g - g_min[slot]) / (g_max[slot] - g_min[slot])
    curves = {ltp: _mean_curve(y[reads.ltp == ltp], reads.pulse[reads.ltp == ltp], ltp) for ltp in (True, False)}
    if min(len(c) for c in curves.values()) < 2:
        raise MemristiveError("each direction needs runs of at least one pulse")
    ideal = LookupPulseDevice(curve_ltp=curves[True], curve_ltd=curves[False], g_min=0.0, g_max=1.0)
    residuals = []
    for ltp, sign in ((True, 1.0), (False, -1.0)):
        g, g_next, dev = _pairs(reads, ltp)
        lo, hi = g_min[np.searchsorted(devices, dev)], g_max[np.searchsorted(devices, dev)]
        y0, y1 = (g - lo) / (hi - lo), (g_next - lo) / (hi - lo)
        state = ideal.sample((y0.size,), dtype=torch.float64).with_g(torch.as_tensor(y0))
        predicted = ideal.pulse(state, torch.tensor(sign, dtype=torch.float64)).g.numpy()
        inside = (y1 > 1e-9) & (y1 < 1 - 1e-9)
        residuals.append((y1 - predicted)[inside])
    residual = np.concatenate(residuals)
    return Fit(LookupPulseDevice(
        curve_ltp=tuple(curves[True]),
        curve_ltd=tuple(curves[False]),
        g_min=float(g_min.mean()),
        g_max=float(g_max.mean()),
        c2c_sigma=float(residual.std()),
        d2d_g_sigma=d2d,
        read_v=read_v,
        name=name,
        source=f"tabulated from {reads.g.size} reads of {devices.size} device(s)",
    ), {"c2c_sigma": _sd_interval(float(residual.std()), max(residual.size - 1, 1)),
        **_bound_intervals(g_min, g_max, d2d)})


def fit_quantized(data: PulseData, name: str = "fitted", g0_s: float = G0_S) -> Fit:
    """Fit :class:`QuantizedConductanceDevice` to reset sweeps (``ltd`` runs from the top state).

    Least squares of every read on seed 004's mean ``(1 - k c) (top - step p)`` (cycle
    ``c``, pulse ``p``) gives ``k``, the top state and the step; the number of states is
    the run length; ``sigma`` is the spread of ``G / (1 - k c)`` about the state's nominal.
    States within 3 sigma of 0 G0 (truncated reads) are left out of a second pass. 95 % intervals: top,
    bottom and ``k`` from the least-squares covariance ``s^2 (J^T J)^-1``, sigma chi-square.
    """
    reads = data.numpy()
    ltd = ~reads.ltp
    if ltd.sum() < 4:
        raise MemristiveError("the quantized model is fitted on ltd (reset) runs; the file has too few")
    g, pulse = reads.g[ltd] / g0_s, reads.pulse[ltd].astype(float)
    cycle = reads.cycle[ltd].astype(float)
    cycle -= cycle.min()
    states = int(reads.pulse[ltd].max()) + 1

    def fit(use: np.ndarray, start: tuple[float, float, float]):
        def residual(params):
            top, step, k = params
            return (1 - k * cycle[use]) * (top - step * pulse[use]) - g[use]

        solution = least_squares(residual, start)
        top, step, k = solution.x
        k = max(float(k), 0.0)
        sigma = float(np.std(g[use] / (1 - k * cycle[use]) - (top - step * pulse[use])))
        jacobian = solution.jac
        cov = np.linalg.pinv(jacobian.T @ jacobian) * float(np.mean(solution.fun**2))
        return float(top), float(step), k, sigma, cov, int(use.sum())

    start = (float(g[pulse == 0].mean()), -float(np.polyfit(pulse, g, 1)[0]), 0.0)
    top, step, k, sigma, cov, n = fit(np.ones_like(g, dtype=bool), start)
    # reads of states within 3 sigma of G = 0 come from a truncated normal (their mean
    # is pushed up): refit on the states clear of it
    clear = top - step * pulse >= 3 * sigma
    if np.unique(pulse[clear]).size >= 3:
        top, step, k, sigma, cov, n = fit(clear, (top, step, k))
    # bottom = top - step (states - 1): its variance through the gradient (1, -(states - 1), 0)
    grad = np.array([1.0, -(states - 1.0), 0.0])
    intervals = {"g_top_g0": _normal(top, np.sqrt(cov[0, 0])),
                 "g_bottom_g0": _normal(top - step * (states - 1), np.sqrt(grad @ cov @ grad)),
                 "cycle_k": _normal(k, np.sqrt(cov[2, 2])), "sigma_g0": _sd_interval(sigma, max(n - 3, 1))}
    return Fit(QuantizedConductanceDevice(
        states=states,
        g_top_g0=top,
        g_bottom_g0=top - step * (states - 1),
        sigma_g0=sigma,
        cycle_k=k,
        cycles=int(cycle.max()) + 1,
        g0_s=g0_s,
        name=name,
        source=f"fitted to {g.size} reset-sweep reads",
    ), {key: (float(low), float(high)) for key, (low, high) in intervals.items()})


FITTERS = {"nonlinear": fit_nonlinear, "lookup": fit_lookup, "quantized": fit_quantized}
"""Model name -> fitting function (``memristive fit --model``)."""

MODELS = {"nonlinear": NonlinearPulseDevice, "lookup": LookupPulseDevice, "quantized": QuantizedConductanceDevice,
          "pcm": PCMDevice}
"""Model name (the ``model`` key of a preset file) -> device class."""


def _toml_value(value) -> str:
    """TOML text of a number (Python's repr: also ``inf`` and ``nan``), a string (JSON's quoting) or a tuple of
    numbers."""
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, (str, bool)):
        return json.dumps(value)
    return repr(value) if isinstance(value, int) else repr(float(value))


def write_preset(device: DeviceModel, path: str | Path, intervals: dict[str, tuple[float, float]] | None = None,
                 quality: dict[str, float | str] | None = None) -> Path:
    """Write ``device`` as a flat TOML preset file (loadable by :func:`load_preset`). A fit adds its verdict
    (``fit_quality = "good" | "poor" | "unknown"``), a ``[fit]`` table of ``quality``'s numbers and a
    ``[fit.interval_95]`` table of ``intervals``; :func:`load_preset` reads past them. Fields that are ``None``
    (TOML has no null) are left out: they load as their default, ``None``."""
    model = next(name for name, kind in MODELS.items() if isinstance(device, kind))
    values = {f.name: getattr(device, f.name) for f in fields(device) if getattr(device, f.name) is not None}
    return write_toml(path, {"model": model, **values}, intervals, quality)


def write_toml(path: str | Path, values: dict, intervals: dict[str, tuple[float, float]] | None = None,
               quality: dict[str, float | str] | None = None) -> Path:
    """Write ``values`` as flat TOML keys, then a fit's verdict (``fit_quality``), its ``[fit]`` numbers and its
    ``[fit.interval_95]`` table (the layout of every preset and fitted-law file)."""
    lines = [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    if quality is not None:
        lines.append(f"fit_quality = {_toml_value(quality['verdict'])}")
        lines += ["", "[fit]"] + [f"{key} = {_toml_value(value)}" for key, value in quality.items() if key != "verdict"]
    if intervals:
        lines += ["", "[fit.interval_95]"] + [f"{key} = {_toml_value(tuple(value))}" for key, value in intervals.items()]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n")
    return path


def load_preset(path: str | Path) -> DeviceModel:
    """Read a TOML preset written by :func:`write_preset` (validated on construction)."""
    path = Path(path)
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MemristiveError(f"{path}: not a TOML preset ({exc})") from None
    if values.get("kind", "pulse") != "pulse":
        raise MemristiveError(f"{path}: a fitted {values['kind']} law ({values.get('model')}), not a device preset; "
                              "read it with memristive.devices.curve_fits.load_law")
    model = values.pop("model", "nonlinear")
    values.pop("fit_quality", None)  # what the fit said of itself (write_preset), not a parameter
    values.pop("fit", None)
    if model not in MODELS:
        raise MemristiveError(f"{path}: model = {model!r} is not one of {', '.join(MODELS)}")
    unbounded = {f.name for f in fields(MODELS[model]) if f.default == math.inf}  # e.g. leak_tau_s = inf: no leak
    bad = [key for key, value in values.items() if isinstance(value, float) and not math.isfinite(value)
           and not (key in unbounded and value == math.inf)]
    if bad:
        raise MemristiveError(f"{path}: {', '.join(bad)} must be finite numbers")
    known = {f.name for f in fields(MODELS[model])}
    unknown = set(values) - known
    if unknown:
        renamed = " (conductances are now g_min / g_max, in S)" if unknown & {"g_min_s", "g_max_s"} else ""
        raise MemristiveError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}{renamed}")
    try:
        return MODELS[model](**values)
    except (TypeError, MemristiveError) as exc:
        raise MemristiveError(f"{path}: {exc}") from None


def simulate_csv(device: DeviceModel, path: str | Path, devices: int = 4, cycles: int = 5,
                 generator: torch.Generator | None = None) -> Path:
    """Write ``cycles`` full sweeps (:meth:`sweeps`) of ``devices`` sampled devices in the CSV format above."""
    runs = device.sweeps(devices, cycles, generator)
    rows = ["device,cycle,direction,pulse,conductance_s"]
    for cycle in range(cycles):
        for direction, g in runs.items():
            for pulse in range(g.shape[-1]):
                rows += [f"{d},{cycle},{direction},{pulse},{g[d, cycle, pulse].item()!r}" for d in range(devices)]
    path = Path(path)
    path.write_text("\n".join(rows) + "\n")
    return path


def mean_runs(device: DeviceModel, devices: int = 64, cycles: int = 4,
              generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """Mean conductance (S) vs pulse index of each direction over simulated sweeps of ``device``."""
    return {name: g.mean(dim=(0, 1)) for name, g in device.sweeps(devices, cycles, generator).items()}


def measured_runs(data: PulseData) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Measured ``(pulse, conductance)`` reads of each direction present in ``data``."""
    return {name: (data.pulse[data.ltp == ltp], data.g[data.ltp == ltp])
            for name, ltp in (("ltp", True), ("ltd", False)) if bool((data.ltp == ltp).any())}
