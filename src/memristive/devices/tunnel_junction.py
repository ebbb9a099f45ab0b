"""Oxide tunnel junction synapse with short- and long-term memory (seed 001, Li et al. 2019).

Pt / SrTiO3 (2.8 nm) / Nb:SrTiO3. Three state variables per device, all tensors:

- ``w`` in [0, 1], nonvolatile: the share of the junction area from which oxygen vacancies
  have left the top electrode (LRS, tunnelling). Conduction is the parallel blend of the
  two channels (:class:`JunctionConduction`),
  ``I(V) = (1 - w) I_TE(V; phi_b - dphi q) + w I_LRS(V)``.
- ``q`` in [-1, 1], volatile: electronic charge trapped at the Pt/STO interface ("STM is
  capacitive in nature", seed 001). It shifts the Schottky barrier by ``-dphi q``, so the
  read current jumps after a pulse and decays back (the EPSC). Charging is linear in the
  voltage, as for a capacitor, and it leaks with ``tau1``:
  ``dq/dt = gamma |V| (sign(V) - q) - q / tau1``.
- ``s`` in [-1, 1], volatile: oxygen vacancies displaced by the field but not yet settled.
  Ionic drift is exponential in the voltage, and the displaced vacancies diffuse back with
  ``tau_s``: ``ds/dt = alpha(V) (sign(V) - s) - s / tau_s``,
  ``alpha(V) = alpha_ref expm1(|V| / v_a) / expm1(V_ref / v_a)`` (negative pulses: x ``reset_drive_ratio``).
- Consolidation (STM -> LTM): where the displaced vacancies exceed a critical level ``s_c``
  they settle for good, with soft bounds (after Chang, Jo & Lu, ACS Nano 5, 7669 (2011):
  accumulation of a volatile species turns short- into long-term memory),
  ``dw/dt = k_p (s - s_c)_+ (1 - w) - k_d (-s - s_c)_+ w``.

A large or wide pulse (``s`` crosses ``s_c`` within one pulse) and a fast train of smaller
ones (``s`` accumulates because the interval is shorter than ``tau_s``) both write LTM, a
slow train of the same pulses does not: seed 001's threshold (1.8 V at 20 ns), its
amplitude and width transitions and its letters C / H / N.

For a piecewise-constant voltage all three equations have closed forms (``q`` and ``s``
relax exponentially to ``sign(V) r / (r + 1/tau)`` at rate ``r + 1/tau``; ``w`` depends
only on the integral of ``(s - s_c)_+``), so :meth:`TunnelJunctionSynapse.apply_voltage` is exact for
any step length: a 500 s rest (:meth:`~TunnelJunctionSynapse.advance`) is one step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import torch

from memristive.devices.base import DeviceModel, factory
from memristive.devices.conduction import (
    RICHARDSON_A_M2K2,
    direct_tunnelling,
    fowler_nordheim,
    thermionic_emission,
)
from memristive.devices.lookup import interp
from memristive.devices.state import TensorState
from memristive.errors import require, require_non_negative, require_positive

ELECTRODE_AREA_M2 = math.pi * (10e-6) ** 2  # seed 001: circular Pt electrodes of radius 10 um


@dataclass(frozen=True)
class JunctionConduction:
    """Conduction of the two channels (SI units; barrier heights in eV).

    Attributes:
        area_m2: junction area (seed 001: radius 10 um).
        temperature_k: temperature.
        schottky_barrier_ev: HRS thermionic-emission barrier (seed 001: 0.55 eV).
        richardson_a_m2k2: effective Richardson constant of the HRS channel (fitted, see preset).
        ideality: ideality factor of the injecting (negative) branch.
        barrier_lowering_ev: barrier change per unit of trapped interface charge ``q``.
        dt_barrier_top_ev: direct-tunnelling barrier at Pt/STO (seed 001: 0.35 eV).
        dt_barrier_bottom_ev: direct-tunnelling barrier at STO/Nb:STO (seed 001: 0.41 eV).
        thickness_m: oxide thickness (2.8 nm).
        dt_mass_ratio: tunnelling effective mass in electron masses (fitted, see preset).
        fn_barrier_ev: Fowler-Nordheim barrier (seed 001: 0.075 eV).
        fn_area_share: share of the area emitting by Fowler-Nordheim (fitted, see preset).
        series_ohm: series resistance of the LRS channel when it covers the whole area
            (electrode spreading and substrate); a share ``w`` of the area sees ``series / w``.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> conduction = get_preset("otj-sto").conduction
        >>> v = torch.tensor([0.1], dtype=torch.float64)
        >>> f"{(v / conduction.hrs_current(v)).item():.2g}", f"{(v / conduction.lrs_current(v)).item():.2g}"  # HRS, LRS ohm
        ('1.8e+08', '2.7e+04')
    """

    area_m2: float = ELECTRODE_AREA_M2
    temperature_k: float = 300.0
    schottky_barrier_ev: float = 0.55
    richardson_a_m2k2: float = RICHARDSON_A_M2K2
    ideality: float = 10.0
    barrier_lowering_ev: float = 0.1
    dt_barrier_top_ev: float = 0.35
    dt_barrier_bottom_ev: float = 0.41
    thickness_m: float = 2.8e-9
    dt_mass_ratio: float = 1.0
    fn_barrier_ev: float = 0.075
    fn_area_share: float = 0.0
    series_ohm: float = 1e3

    def __post_init__(self) -> None:
        require_positive(self, "area_m2", "temperature_k", "schottky_barrier_ev", "richardson_a_m2k2", "ideality",
                         "dt_barrier_top_ev", "dt_barrier_bottom_ev", "thickness_m", "dt_mass_ratio", "fn_barrier_ev")
        require_non_negative(self, "barrier_lowering_ev", "fn_area_share", "series_ohm")

    def hrs_current(self, v: torch.Tensor, q: torch.Tensor | float = 0.0) -> torch.Tensor:
        """Thermionic emission of the whole area with the barrier shifted by the trapped charge ``q``, A."""
        barrier = self.schottky_barrier_ev - self.barrier_lowering_ev * torch.as_tensor(q, dtype=v.dtype)
        return thermionic_emission(v, barrier, self.area_m2, self.richardson_a_m2k2, self.temperature_k,
                                   self.ideality)

    def tunnelling_parts(self, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Direct and Fowler-Nordheim tunnelling currents of the whole area at junction voltage ``v``, A."""
        direct = direct_tunnelling(v, self.dt_barrier_top_ev, self.dt_barrier_bottom_ev, self.thickness_m,
                                   self.dt_mass_ratio, self.area_m2)
        field_emission = fowler_nordheim(v, self.fn_barrier_ev, self.thickness_m, self.dt_mass_ratio,
                                         self.area_m2 * self.fn_area_share)
        return direct, field_emission

    def tunnelling_current(self, v: torch.Tensor) -> torch.Tensor:
        """Direct plus Fowler-Nordheim tunnelling of the whole area at junction voltage ``v``, A."""
        direct, field_emission = self.tunnelling_parts(v)
        return direct + field_emission

    @cached_property
    def _lrs_table(self) -> tuple[torch.Tensor, torch.Tensor]:
        """LRS current with the series resistance, tabulated once: ``I = I_tun(V - I R_s)``.

        Tabulated parametrically over the junction voltage ``u``: ``V = u + I_tun(u) R_s``.
        """
        u = torch.linspace(-3.0, 3.0, 24001, dtype=torch.float64)
        i = self.tunnelling_current(u)
        return u + i * self.series_ohm, i

    def lrs_current(self, v: torch.Tensor) -> torch.Tensor:
        """Current of the whole area in the LRS (tunnelling in series with ``series_ohm``), A."""
        volts, amps = (t.to(v.device) for t in self._lrs_table)
        return interp(v.to(torch.float64), volts, amps).to(v.dtype)

    def current(self, v: torch.Tensor, w: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
        """Device current: ``(1 - w) I_TE(V; q) + w I_LRS(V)``, A."""
        return (1 - w) * self.hrs_current(v, q) + w * self.lrs_current(v)


@dataclass(frozen=True)
class JunctionState(TensorState):
    """Nonvolatile LRS share ``w``, displaced vacancies ``s`` and trapped charge ``q`` of each
    device, plus its drive factor (device-to-device variation of ``alpha``).

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> state = get_preset("otj-sto").sample((2,), dtype=torch.float64)
        >>> state.w.tolist(), state.q.tolist()  # LRS share and trapped charge of fresh junctions
        ([0.0, 0.0], [0.0, 0.0])
    """

    w: torch.Tensor
    s: torch.Tensor
    q: torch.Tensor
    drive_factor: torch.Tensor


def _relax(x0: torch.Tensor, target: torch.Tensor, rate: torch.Tensor, dt: float) -> torch.Tensor:
    """``x(dt)`` for ``dx/dt = rate (target - x)``: exponential approach to ``target``."""
    return target + (x0 - target) * torch.exp(-rate * dt)


def _positive_integral(s0: torch.Tensor, s1: torch.Tensor, s_inf: torch.Tensor, rate: torch.Tensor, dt: float,
                       level: float) -> torch.Tensor:
    """``int_0^dt (s(t) - level)_+ dt`` for ``s(t) = s_inf + (s0 - s_inf) exp(-rate t)`` (monotone, from
    ``s0`` to ``s1 = s(dt)``), exact."""
    above0, above1 = s0 > level, s1 > level
    # Crossing time where s(t) = level (only used when exactly one end is above it).
    ratio = ((level - s_inf) / (s0 - s_inf).where(s0 != s_inf, torch.ones_like(s0))).clamp(1e-300, 1.0)
    t_cross = (-torch.log(ratio) / rate).clamp(0.0, dt)
    start = torch.where(above0, torch.zeros_like(s0), t_cross)
    end = torch.where(above1, torch.full_like(s0, dt), t_cross)
    # int_start^end of (s_inf - level) + (s0 - s_inf) exp(-rate t)
    area = (s_inf - level) * (end - start) + (s0 - s_inf) * (torch.exp(-rate * start) - torch.exp(-rate * end)) / rate
    return torch.where(above0 | above1, area.clamp_min(0.0), torch.zeros_like(s0))


@dataclass(frozen=True)
class TunnelJunctionSynapse(DeviceModel):
    """Two-timescale oxide tunnel junction (module docstring has the equations; SI units).

    Attributes:
        conduction: the I-V laws.
        tau_charge_s: ``tau1``, leak time of the trapped charge (the EPSC decay).
        charge_rate_per_vs: ``gamma``, trapping rate per volt, 1/(V s).
        tau_volatile_s: ``tau_s``, back-diffusion time of displaced vacancies.
        drive_rate_per_s: ``alpha_ref``, charging rate at ``drive_ref_v``.
        drive_ref_v: reference amplitude of the drive.
        drive_v_scale: ``v_a``, voltage scale of the (ionic, exponential) drive.
        reset_drive_ratio: drive of negative pulses relative to positive ones.
        consolidation_level: ``s_c``.
        ltp_rate_per_s: ``k_p``.
        ltd_rate_per_s: ``k_d``.
        read_v: read voltage.
        d2d_drive_sigma: device-to-device lognormal sigma of the drive.
        name: preset name.
        source: provenance.

    Voltage-driven: :meth:`apply_voltage` holds ``v`` for ``width`` seconds, :meth:`advance`
    holds 0 V; both solve the equations exactly.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> otj = get_preset("otj-sto")
        >>> fresh = otj.sample((1,), dtype=torch.float64)
        >>> state = fresh
        >>> for _ in range(20):
        ...     state = otj.apply_voltage(state, 2.2, 50e-9)  # the paper's LTP pulses
        >>> round(1e6 * otj.conductance(fresh).item(), 4), round(1e6 * otj.conductance(state).item(), 1)  # read, uS
        (0.0056, 2.6)
    """

    drives = ("voltage",)

    conduction: JunctionConduction = field(default_factory=JunctionConduction)
    tau_charge_s: float = 2e-6
    charge_rate_per_vs: float = 3e6
    tau_volatile_s: float = 2e-6
    drive_rate_per_s: float = 1e7
    drive_ref_v: float = 1.8
    drive_v_scale: float = 0.3
    reset_drive_ratio: float = 1.0
    consolidation_level: float = 0.3
    ltp_rate_per_s: float = 3e4
    ltd_rate_per_s: float = 2e5
    read_v: float = 0.1
    d2d_drive_sigma: float = 0.0
    name: str = "custom"
    source: str = ""

    def __post_init__(self) -> None:
        require_positive(self, "tau_charge_s", "charge_rate_per_vs", "tau_volatile_s", "drive_rate_per_s", "drive_ref_v",
                         "drive_v_scale", "reset_drive_ratio", "read_v")
        require(0 < self.consolidation_level < 1, f"consolidation_level={self.consolidation_level} must be in (0, 1)")
        require_non_negative(self, "ltp_rate_per_s", "ltd_rate_per_s", "d2d_drive_sigma")

    def sample(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
               dtype: torch.dtype | None = None, device: torch.device | str | None = None,
               w: float = 0.0) -> JunctionState:
        """Devices at nonvolatile share ``w`` (0: pristine HRS) at rest; drive factors drawn once."""
        require(0.0 <= w <= 1.0, f"w={w} must be in [0, 1]")
        kw = factory(generator, dtype, device)
        factor = torch.exp(self.d2d_drive_sigma * torch.randn(shape, generator=generator, **kw))
        rest = torch.zeros(shape, **kw)
        return JunctionState(torch.full(shape, w, **kw), rest, rest.clone(), factor)

    @cached_property
    def _ends(self) -> tuple[float, float]:
        """Read conductance of the pristine HRS (w = 0) and the full LRS (w = 1) at rest, S (computed once)."""
        zeros = torch.zeros(2, dtype=torch.float64)
        ends = JunctionState(torch.tensor([0.0, 1.0], dtype=torch.float64), zeros, zeros, torch.ones(2, dtype=torch.float64))
        g_hrs, g_lrs = self.conductance(ends).tolist()
        return g_hrs, g_lrs

    @property
    def g_min(self) -> float:
        """Read conductance of the pristine HRS, S."""
        return self._ends[0]

    @property
    def g_max(self) -> float:
        """Read conductance of the full LRS, S."""
        return self._ends[1]

    def program(self, state: JunctionState, target_g: torch.Tensor, *,
                generator: torch.Generator | None = None) -> JunctionState:
        """Set the nonvolatile share ``w`` whose read conductance at rest is ``target_g`` (S): at ``q = 0`` the read
        is linear in ``w``, ``G = (1 - w) G_hrs + w G_lrs``; clipped to ``w`` in [0, 1]."""
        g_hrs, g_lrs = self._ends
        w = ((torch.as_tensor(target_g, dtype=state.w.dtype, device=state.w.device) - g_hrs) / (g_lrs - g_hrs))
        return replace(state, w=w.clamp(0.0, 1.0).expand(state.shape).clone())

    def drive(self, v: torch.Tensor) -> torch.Tensor:
        """``alpha(V)``, 1/s (before the per-device factor)."""
        scale = self.drive_v_scale
        base = self.drive_rate_per_s * torch.expm1(v.abs() / scale) / math.expm1(self.drive_ref_v / scale)
        return torch.where(v < 0, self.reset_drive_ratio * base, base)

    def advance(self, state: JunctionState, dt: float) -> JunctionState:
        """``dt`` seconds at 0 V: trapped charge and displaced vacancies relax, exactly."""
        return self.apply_voltage(state, 0.0, dt)

    def apply_voltage(self, state: JunctionState, v: torch.Tensor | float, width: float, *,
                      generator: torch.Generator | None = None) -> JunctionState:
        """``width`` seconds at constant voltage ``v`` (V, per device or one value), solved exactly."""
        dt_s = width
        v = torch.as_tensor(v, dtype=state.s.dtype, device=state.s.device)
        charging = self.charge_rate_per_vs * v.abs() + 1.0 / self.tau_charge_s
        q = _relax(state.q, torch.sign(v) * self.charge_rate_per_vs * v.abs() / charging, charging, dt_s)
        alpha = self.drive(v) * state.drive_factor
        rate = alpha + 1.0 / self.tau_volatile_s
        s_inf = torch.sign(v) * alpha / rate
        s0 = state.s
        s1 = _relax(s0, s_inf, rate, dt_s)
        level = self.consolidation_level
        up = _positive_integral(s0, s1, s_inf, rate, dt_s, level)
        down = _positive_integral(-s0, -s1, -s_inf, rate, dt_s, level)
        w = 1 - (1 - state.w) * torch.exp(-self.ltp_rate_per_s * up)
        w = w * torch.exp(-self.ltd_rate_per_s * down)
        return replace(state, w=w, s=s1, q=q)

    def current(self, state: JunctionState, v: torch.Tensor | float) -> torch.Tensor:
        """Current at voltage ``v`` in the present state, A."""
        v = torch.as_tensor(v, dtype=state.s.dtype, device=state.s.device)
        return self.conduction.current(v, state.w, state.q)

    def conductance(self, state: JunctionState) -> torch.Tensor:
        """Read conductance ``I(read_v) / read_v``, S."""
        return self.current(state, self.read_v) / self.read_v

    def summary(self) -> dict[str, float]:
        """Key figures: read resistances of the pristine HRS (w = 0) and full LRS (w = 1), and the time constants."""
        g_hrs, g_lrs = self._ends
        return {"g_min_uS": g_hrs * 1e6, "g_max_uS": g_lrs * 1e6, "r_hrs_ohm": 1.0 / g_hrs, "r_lrs_ohm": 1.0 / g_lrs,
                "tau1_us": self.tau_charge_s * 1e6,
                "tau_s_us": self.tau_volatile_s * 1e6}
