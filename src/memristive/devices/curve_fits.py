"""Fit the measurements labs have besides pulse trains: I-V sweeps, retention and short-term decay.

A fit is written as a law file (:func:`write_law`) or, with :func:`into_preset`, into a device
preset the simulator runs: a decay's ``tau1`` and rest level become a pulse device's leakage
(``leak_tau_s``, ``leak_share``), a drift fit's ``nu`` and its spread a PCM cell's ``drift_nu`` and
``drift_nu_sigma``.

Each kind reads a CSV (:func:`read_curve_csv`; columns below, ``device`` optional everywhere)
and fits one law by least squares, giving every parameter a 95 % interval from the
covariance ``s^2 (J^T J)^-1`` at the optimum (Student t, ``n - p`` degrees of freedom):

``iv`` (``voltage_v, current_a``), fitted on ``ln |I|`` (a relative current error, what a
source-measure unit's accuracy is); reads at 0 V, of zero current, or of a sign opposite the
voltage's carry no ``ln |I|`` and are left out, and counted:

- ``ohmic``: ``I = G V``.
- ``sinh``: ``I = (G / b) sinh(b V)``, slope ``G`` at 0 V (:class:`memristive.crossbar.SinhIV`).
- ``junction``: the oxide tunnel junction's two channels in parallel (seed 001;
  :class:`~memristive.devices.tunnel_junction.JunctionConduction`), ``I = (1 - w) I_TE(V; phi_b, n)
  + w I_LRS(V)``: thermionic emission over a Schottky barrier ``phi_b`` with ideality ``n`` (Sze
  eq. 2.83) and, on a share ``w`` of the area, direct plus Fowler-Nordheim tunnelling in series with
  the spreading resistance (Simmons 1963 eq. 20; :mod:`memristive.devices.conduction`). Fitted:
  ``phi_b``, ``n`` and the state ``w``; the rest (area, thickness, tunnelling barriers and mass,
  Richardson constant, series resistance) is the ``otj-sto`` preset's.

``retention`` (``time_s, conductance_s``, optional ``temperature_k``):

- ``drift``: ``G = G_0 (t / 1 s)^-nu`` per device, on ``ln G`` (PCM drift; Le Gallo and
  Sebastian 2020); ``nu`` is the devices' mean and ``nu_sigma`` their spread (the PCM model's
  ``drift_nu`` and ``drift_nu_sigma``); with one device the interval is the fit's own.
- ``arrhenius``: relaxation ``G = G_inf + (G_0 - G_inf) exp(-t / tau(T))`` with
  ``tau(T) = tau_0 exp(E_a / k T)`` at two or more temperatures, on ``G``.

``decay`` (``time_s, conductance_s``, time from the end of the pulse):
``G = G_inf + A exp(-t / tau1)`` on ``G``: the same relaxation at one temperature.

Fit quality: the misfit is judged against the data's own noise by the residuals' structure. Ordered by
the independent variable, independent noise leaves residuals uncorrelated; a law of the wrong shape
leaves runs of one sign. The lag-1 correlation ``r1`` of the residuals (within each device and
temperature) has ``z = r1 sqrt(n)`` near N(0, 1) under a right law; ``z > 3`` makes the fit ``poor``.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
from scipy.optimize import least_squares
from scipy.stats import chi2
from scipy.stats import t as student_t

from memristive.devices.conduction import K_B, Q
from memristive.devices.csv_table import at_least, integer, number, read_table
from memristive.devices.fitting import write_toml
from memristive.devices.base import DeviceModel
from memristive.devices.pcm import PCMDevice
from memristive.devices.presets import OTJ_STO
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import MemristiveError

K_B_EV = K_B / Q
"""Boltzmann constant, eV / K."""

STRUCTURE_LIMIT = 3.0
"""A fit is poor when its residuals' lag-1 correlation exceeds this many standard errors (``z = r1 sqrt(n)``)."""

JUNCTION = OTJ_STO.conduction
"""The junction the ``junction`` law fits within (the otj-sto preset's geometry, barriers and series)."""


@dataclass(frozen=True)
class Curve:
    """Measured points of one kind: independent variable ``x`` (V or s), response ``y`` (A or S), per-point
    ``device`` labels and ``temperature_k`` (NaN where not given).

    Examples:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "decay.csv"
        >>> _ = path.write_text("time_s,conductance_s\\n0,9e-6\\n0.1,6e-6\\n0.2,4.5e-6\\n0.4,3e-6\\n")
        >>> curve = read_curve_csv(path, "decay")
        >>> curve.kind, curve.x.tolist(), int(curve.device.max())  # one device (the column is optional)
        ('decay', [0.0, 0.1, 0.2, 0.4], 0)
    """

    kind: str
    x: np.ndarray
    y: np.ndarray
    device: np.ndarray
    temperature_k: np.ndarray


COLUMNS = {"iv": ("voltage_v", "current_a"), "retention": ("time_s", "conductance_s"),
           "decay": ("time_s", "conductance_s")}
"""The required columns of each kind (``device`` and, for retention, ``temperature_k`` are optional)."""


def read_curve_csv(path: str | Path, kind: str) -> Curve:
    """Read a ``kind`` measurement (``iv``, ``retention`` or ``decay``); errors name the file and line."""
    if kind not in COLUMNS:
        raise MemristiveError(f"kind {kind!r} is not one of {', '.join(COLUMNS)}")
    x_name, y_name = COLUMNS[kind]
    x_parse = number if kind == "iv" else at_least(number, 0.0)
    y_parse = number if kind == "iv" else at_least(number, 0.0, strict=True)
    optional = {"device": (integer, 0)}
    if kind == "retention":
        optional["temperature_k"] = (at_least(number, 0.0, strict=True), math.nan)
    columns = read_table(path, {x_name: x_parse, y_name: y_parse}, optional)
    return Curve(kind, np.array(columns[x_name]), np.array(columns[y_name]), np.array(columns["device"]),
                 np.array(columns.get("temperature_k", [math.nan] * len(columns[x_name])), dtype=float))


@dataclass(frozen=True)
class CurveFit:
    """A fitted law: its ``params`` (SI units, eV for energies), their 95 % ``intervals``, the residuals'
    ``quality`` numbers (:func:`_quality`), ``predict(x, device, temperature_k)`` for figures, the
    ``residuals`` in fitting units (``ln I`` or S) in the curve's order, and the reads ``left_out``.

    Examples:
        >>> import numpy as np
        >>> v = np.linspace(-1, 1, 21)
        >>> curve = Curve("iv", v, 50e-6 / 2.0 * np.sinh(2.0 * v), np.zeros(21, int), np.full(21, np.nan))
        >>> fit = fit_iv(curve, "sinh")  # I = (G / b) sinh(b V)
        >>> round(fit.params["g_s"] * 1e6, 3), round(fit.params["b_per_v"], 3), fit.left_out  # the 0 V read left out
        (50.0, 2.0, 1)
    """

    kind: str
    model: str
    params: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    quality: dict[str, float | str]
    predict: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    residuals: np.ndarray
    left_out: int = 0


class _Law:
    """A law in fitting coordinates: ``unpack(theta)`` gives named parameters (``exp`` of log-scaled ones),
    ``response(params, curve)`` the model's fitted quantity at every point."""

    def __init__(self, names: list[str], logged: set[str], response, start: Callable[[Curve], list[float]],
                 on_log: bool) -> None:
        self.names, self.logged, self.response, self.start, self.on_log = names, logged, response, start, on_log

    def unpack(self, theta: np.ndarray) -> dict[str, float]:
        return {name: float(np.exp(value) if name in self.logged else value) for name, value in zip(self.names, theta)}


def _structure(residual: np.ndarray, curve: Curve) -> tuple[float, float]:
    """Pooled lag-1 correlation of the residuals ordered by ``x`` within each device and temperature, and its
    z score ``r1 sqrt(n)``."""
    series = np.lexsort((curve.x, np.nan_to_num(curve.temperature_k), curve.device))
    r, d, t = residual[series], curve.device[series], np.nan_to_num(curve.temperature_k[series])
    same = (d[1:] == d[:-1]) & (t[1:] == t[:-1])
    r = r - r.mean()
    r1 = float((r[1:] * r[:-1])[same].sum() / max((r**2).sum(), 1e-300))
    return r1, r1 * math.sqrt(residual.size)


def _fit(law: _Law, curve: Curve, kind: str, model: str, scale: float) -> CurveFit:
    """Least squares of ``law`` on ``curve`` (``ln y`` when the law is fitted on logs, else ``y / scale``), with
    95 % intervals from the covariance of the fitting coordinates (log-scaled ones mapped back by ``exp``)."""
    target = np.log(np.abs(curve.y)) if law.on_log else curve.y / scale

    def residual(theta):
        values = law.response(law.unpack(theta), curve)
        return (np.log(np.abs(values)) if law.on_log else values / scale) - target

    start = np.array([math.log(v) if name in law.logged else v for name, v in zip(law.names, law.start(curve))])
    solution = least_squares(residual, start, x_scale="jac", method="lm" if target.size > len(start) else "trf")
    dof = target.size - len(start)
    if dof < 1:
        raise MemristiveError(f"{target.size} points cannot fit the {model} law's {len(start)} parameters")
    s2 = float((solution.fun**2).sum() / dof)
    jac = solution.jac
    try:
        cov = np.linalg.inv(jac.T @ jac) * s2
    except np.linalg.LinAlgError:
        cov = np.full((len(start), len(start)), np.nan)
    half = float(student_t.ppf(0.975, dof)) * np.sqrt(np.clip(np.diag(cov), 0, None))
    intervals = {}
    for name, value, h in zip(law.names, solution.x, half):
        low, high = value - h, value + h
        intervals[name] = (math.exp(low), math.exp(high)) if name in law.logged else (float(low), float(high))
    params = law.unpack(solution.x)
    residuals = solution.fun * (1.0 if law.on_log else scale)

    def predict(x, device, temperature_k):
        probe = Curve(kind, np.asarray(x, dtype=float), np.ones_like(x, dtype=float), np.asarray(device),
                      np.asarray(temperature_k, dtype=float))
        return law.response(params, probe)

    return CurveFit(kind, model, params, intervals, _quality(residuals, curve, law.on_log, dof), predict, residuals)


def _quality(residuals: np.ndarray, curve: Curve, on_log: bool, dof: int) -> dict[str, float | str]:
    """The verdict (``poor`` when the residuals' lag-1 z score exceeds :data:`STRUCTURE_LIMIT`), the rms
    residual (relative for laws fitted on logs, S otherwise), the lag-1 correlation and its z score."""
    r1, z = _structure(residuals, curve)
    return {"verdict": "poor" if z > STRUCTURE_LIMIT else "good",
            ("rms_relative" if on_log else "rms_s"): math.sqrt(float((residuals**2).sum()) / dof),
            "residual_lag1": r1, "residual_lag1_z": z, "structure_limit": STRUCTURE_LIMIT, "points": int(curve.x.size)}


# --- I-V -------------------------------------------------------------------------------------------------------

def _tensor(v: np.ndarray) -> torch.Tensor:
    return torch.as_tensor(v, dtype=torch.float64)


def junction_current(v: np.ndarray, schottky_barrier_ev: float, ideality: float, tunnel_share: float) -> np.ndarray:
    """``(1 - w) I_TE + w I_LRS`` of :data:`JUNCTION` with barrier ``phi_b`` and ideality ``n``, A."""
    volts = torch.as_tensor(v, dtype=torch.float64)
    hrs = replace(JUNCTION, schottky_barrier_ev=schottky_barrier_ev, ideality=ideality).hrs_current(volts)
    return ((1 - tunnel_share) * hrs + tunnel_share * JUNCTION.lrs_current(volts)).numpy()


def _slope_at_zero(curve: Curve) -> float:
    small = np.abs(curve.x) <= np.quantile(np.abs(curve.x), 0.25)
    return float(np.median(curve.y[small] / curve.x[small]))


def _sinh_start(curve: Curve) -> list[float]:
    g0 = _slope_at_zero(curve)
    top = np.argmax(np.abs(curve.x))
    ratio = max(curve.y[top] / (g0 * curve.x[top]), 1.0 + 1e-6)  # sinh(u) / u at the largest bias
    u = math.sqrt(6 * (ratio - 1)) if ratio < 1.5 else math.log(2 * ratio * abs(curve.x[top]) + 1) + 1
    return [g0, max(u / abs(curve.x[top]), 1e-3)]


IV_LAWS = {
    "ohmic": _Law(["g_s"], {"g_s"}, lambda p, c: p["g_s"] * c.x, lambda c: [_slope_at_zero(c)], on_log=True),
    "sinh": _Law(["g_s", "b_per_v"], {"g_s", "b_per_v"},
                 lambda p, c: p["g_s"] / p["b_per_v"] * np.sinh(p["b_per_v"] * c.x), _sinh_start, on_log=True),
    "junction": _Law(["schottky_barrier_ev", "ideality", "tunnel_share"], {"ideality", "tunnel_share"},
                     lambda p, c: junction_current(c.x, **p),
                     lambda c: [JUNCTION.schottky_barrier_ev, JUNCTION.ideality, 1e-3], on_log=True),
}
"""The I-V laws ``--kind iv`` fits (module docstring)."""


def fit_iv(curve: Curve, model: str = "sinh") -> CurveFit:
    """Fit I-V law ``model`` (``ohmic``, ``sinh`` or ``junction``) on ``ln |I|``; reads that carry no
    ``ln |I|`` (0 V, zero current, current against the voltage) are left out and counted in ``left_out``."""
    usable = (curve.x != 0) & (curve.y != 0) & (np.sign(curve.x) == np.sign(curve.y))
    if usable.sum() < 4:
        raise MemristiveError("an I-V fit needs at least 4 reads of nonzero current in the voltage's direction")
    fit = _fit(IV_LAWS[model], _select(curve, usable), "iv", model, 1.0)
    return CurveFit(**{**fit.__dict__, "left_out": int((~usable).sum())})


# --- retention and decay ---------------------------------------------------------------------------------------

def _relaxation_start(curve: Curve, arrhenius: bool) -> list[float]:
    """``G_inf``, ``G_0`` (or ``A``) and ``tau`` (at the reference temperature) from the curve's ends and its
    1/e crossing; with ``arrhenius``, ``E_a`` from the 1/e times at the lowest and highest temperature."""
    first, last = curve.y[np.argmin(curve.x)], curve.y[np.argmax(curve.x)]

    def crossing(mask):
        x, y = curve.x[mask], curve.y[mask]
        order = np.argsort(x)
        share = (y[order] - last) / (first - last) if first != last else np.ones(order.size)
        below = np.flatnonzero(share < math.exp(-1))
        return float(x[order][below[0]]) if below.size else float(x.max())

    if not arrhenius:
        return [last, first - last, max(crossing(np.ones(curve.x.size, bool)), 1e-12)]
    temps = np.unique(curve.temperature_k)
    taus = [max(crossing(curve.temperature_k == t), 1e-12) for t in (temps[0], temps[-1])]
    ea = K_B_EV * math.log(taus[0] / taus[1]) / (1 / temps[0] - 1 / temps[-1])
    t_ref = _reference_temperature(curve)
    return [last, first, math.exp(math.log(taus[0]) + ea / K_B_EV * (1 / t_ref - 1 / temps[0])), max(ea, 0.01)]


def _reference_temperature(curve: Curve) -> float:
    """The harmonic mean of the measured temperatures: there ``ln tau`` and ``E_a`` are nearly uncorrelated."""
    return float(1.0 / np.mean(1.0 / curve.temperature_k))


def _arrhenius(p: dict[str, float], c: Curve, t_ref: float) -> np.ndarray:
    tau = p["tau_ref_s"] * np.exp(p["ea_ev"] / K_B_EV * (1 / c.temperature_k - 1 / t_ref))
    return p["g_inf_s"] + (p["g_0_s"] - p["g_inf_s"]) * np.exp(-c.x / tau)


def fit_decay(curve: Curve) -> CurveFit:
    """Fit ``G = G_inf + A exp(-t / tau1)`` to a short-term decay (module docstring)."""
    law = _Law(["g_inf_s", "amplitude_s", "tau1_s"], {"tau1_s"},
               lambda p, c: p["g_inf_s"] + p["amplitude_s"] * np.exp(-c.x / p["tau1_s"]),
               lambda c: _relaxation_start(c, arrhenius=False), on_log=False)
    return _fit(law, curve, "decay", "exponential", float(np.abs(curve.y).max()))


def fit_retention(curve: Curve, model: str = "drift") -> CurveFit:
    """Fit retention law ``model``: ``drift`` (power law per device) or ``arrhenius`` (relaxation at two or
    more temperatures, ``tau_0`` and ``E_a``); module docstring."""
    if model == "arrhenius":
        temps = np.unique(curve.temperature_k)
        if np.isnan(temps).any() or temps.size < 2:
            raise MemristiveError("an Arrhenius fit needs a temperature_k column with two or more temperatures; "
                                  "at one temperature fit --kind decay (tau only) or --model drift")
        t_ref = _reference_temperature(curve)
        law = _Law(["g_inf_s", "g_0_s", "tau_ref_s", "ea_ev"], {"tau_ref_s"},
                   lambda p, c: _arrhenius(p, c, t_ref), lambda c: _relaxation_start(c, arrhenius=True), on_log=False)
        fit = _fit(law, curve, "retention", "arrhenius", float(curve.y.max()))
        # the prefactor tau_0 = tau_ref exp(-E_a / k T_ref), its interval by the delta method on ln tau_0
        ln_tau0 = math.log(fit.params["tau_ref_s"]) - fit.params["ea_ev"] / (K_B_EV * t_ref)
        half_ln_tau = math.log(fit.intervals["tau_ref_s"][1] / fit.params["tau_ref_s"])
        half_ea = (fit.intervals["ea_ev"][1] - fit.params["ea_ev"]) / (K_B_EV * t_ref)
        half = math.hypot(half_ln_tau, half_ea)
        params = {**fit.params, "tau0_s": math.exp(ln_tau0), "t_ref_k": t_ref}
        intervals = {**fit.intervals, "tau0_s": (math.exp(ln_tau0 - half), math.exp(ln_tau0 + half))}
        return CurveFit(**{**fit.__dict__, "params": params, "intervals": intervals})
    if model != "drift":
        raise MemristiveError(f"retention model {model!r} is not drift or arrhenius")
    if (curve.x <= 0).any():
        raise MemristiveError("a drift fit needs times > 0 s (G = G_0 (t / 1 s)^-nu is infinite at t = 0)")
    devices = np.unique(curve.device)
    if devices.size == 1:
        fit = _fit(_drift_law(devices), curve, "retention", "drift", 1.0)
        params = {"g_0_s": math.exp(fit.params[f"ln_g0_{devices[0]}"]), "nu": fit.params["nu"], "nu_sigma": 0.0}
        return CurveFit(**{**fit.__dict__, "params": params, "intervals": {"nu": fit.intervals["nu"]}})
    # one exponent per device: their mean (Student t over devices) and spread (chi-square)
    masks = [curve.device == d for d in devices]
    fits = [_fit(_drift_law(np.array([d])), _select(curve, mask), "retention", "drift", 1.0)
            for d, mask in zip(devices, masks)]
    nus = np.array([f.params["nu"] for f in fits])
    n, sd = nus.size, float(nus.std(ddof=1))
    half = float(student_t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    residuals = np.empty(curve.x.size)
    for mask, fit in zip(masks, fits):
        residuals[mask] = fit.residuals
    params = {"g_0_s": float(np.exp(np.mean([f.params[f"ln_g0_{d}"] for d, f in zip(devices, fits)]))),
              "nu": float(nus.mean()), "nu_sigma": sd}
    intervals = {"nu": (float(nus.mean() - half), float(nus.mean() + half)),
                 "nu_sigma": (sd * math.sqrt((n - 1) / chi2.ppf(0.975, n - 1)),
                              sd * math.sqrt((n - 1) / chi2.ppf(0.025, n - 1)))}
    per_device = {int(d): f for d, f in zip(devices, fits)}

    def predict(x, device, temperature_k):
        out = np.empty(np.shape(x))
        for d, f in per_device.items():
            mask = np.asarray(device) == d
            out[mask] = f.predict(np.asarray(x)[mask], np.asarray(device)[mask], np.asarray(temperature_k)[mask])
        return out

    return CurveFit("retention", "drift", params, intervals, _quality(residuals, curve, True, curve.x.size - 2 * n),
                    predict, residuals)


def _drift_law(devices: np.ndarray) -> _Law:
    """``ln G = ln G_0(device) - nu ln(t / 1 s)``: one exponent, one ``G_0`` per device."""
    def response(p, c):
        ln_g0 = np.array([p.get(f"ln_g0_{d}", math.nan) for d in c.device])
        return np.exp(ln_g0 - p["nu"] * np.log(c.x))

    return _Law(["nu"] + [f"ln_g0_{d}" for d in devices], set(), response,
                lambda c: [0.0] + [float(np.log(c.y[c.device == d]).mean()) for d in devices], on_log=True)


def _select(curve: Curve, mask: np.ndarray) -> Curve:
    return Curve(curve.kind, curve.x[mask], curve.y[mask], curve.device[mask], curve.temperature_k[mask])


def write_law(fit: CurveFit, path: str | Path, name: str, source: str) -> Path:
    """Write ``fit`` as a TOML file: ``kind``, ``model``, ``name``, ``source``, the parameters, and the fit's
    verdict, numbers and 95 % intervals (the layout of preset files; :func:`load_law` reads it back)."""
    return write_toml(path, {"kind": fit.kind, "model": fit.model, "name": name, "source": source, **fit.params},
                      fit.intervals, fit.quality)


def load_law(path: str | Path) -> dict[str, float | str]:
    """The parameters (and ``kind``, ``model``, ``name``, ``source``) of a law file :func:`write_law` wrote."""
    path = Path(path)
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MemristiveError(f"{path}: not a TOML law file ({exc})") from None
    if values.get("kind") not in COLUMNS:
        raise MemristiveError(f"{path}: kind = {values.get('kind')!r} is not one of {', '.join(COLUMNS)}")
    values.pop("fit", None)
    values.pop("fit_quality", None)
    return values


INTO = {("decay", "exponential"): NonlinearPulseDevice, ("retention", "drift"): PCMDevice}
"""The fits that go into a preset, and the model family each goes into."""


def into_preset(fit: CurveFit, base: DeviceModel, name: str) -> tuple[DeviceModel, dict[str, tuple[float, float]]]:
    """``base`` with the fitted parameters in it, and their 95 % intervals under the preset's names.

    A decay goes into a :class:`~memristive.devices.pulse_model.NonlinearPulseDevice`: ``leak_tau_s = tau1``
    and ``leak_share = (G_inf - Gmin) / (Gmax - Gmin)`` of the base's window (the level it relaxes to; an
    error when outside the window). A drift fit goes into a :class:`~memristive.devices.pcm.PCMDevice`:
    ``drift_nu`` and ``drift_nu_sigma``.

    Examples:
        >>> import numpy as np
        >>> from memristive.devices import get_preset
        >>> t = np.linspace(0, 50, 26)
        >>> curve = Curve("decay", t, 1e-6 + 4e-6 * np.exp(-t / 10), np.zeros(26, int), np.full(26, np.nan))
        >>> device, _ = into_preset(fit_decay(curve), get_preset("wox-stm"), "my-wox")
        >>> round(device.leak_tau_s, 3), round(device.leak_share, 3), device.name
        (10.0, 0.0, 'my-wox')
    """
    family = INTO.get((fit.kind, fit.model))
    if family is None:
        raise MemristiveError(f"the {fit.kind} {fit.model} fit does not go into a preset; these do: "
                              + ", ".join(f"{k} {m} -> {f.__name__}" for (k, m), f in INTO.items()))
    if not isinstance(base, family):
        raise MemristiveError(f"the {fit.kind} {fit.model} fit goes into a {family.__name__} preset; "
                              f"{base.name!r} is a {type(base).__name__}")
    source = f"{base.source} Fitted into it: {fit.kind} ({fit.quality['points']} reads)."
    if fit.kind == "decay":
        share = (fit.params["g_inf_s"] - base.g_min) / (base.g_max - base.g_min)
        if not 0 <= share <= 1:
            raise MemristiveError(f"the decay relaxes to {fit.params['g_inf_s']:.3g} S, outside {base.name!r}'s "
                                  f"window {base.g_min:.3g}-{base.g_max:.3g} S")
        device = base.replace(leak_tau_s=fit.params["tau1_s"], leak_share=float(share), name=name, source=source)
        return device, {"leak_tau_s": fit.intervals["tau1_s"]}
    device = base.replace(drift_nu=fit.params["nu"], drift_nu_sigma=fit.params["nu_sigma"], name=name, source=source)
    intervals = {"drift_nu": fit.intervals["nu"]}
    if "nu_sigma" in fit.intervals:
        intervals["drift_nu_sigma"] = fit.intervals["nu_sigma"]
    return device, intervals
