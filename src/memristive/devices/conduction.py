"""Current-voltage laws of a metal / ultrathin-oxide / electrode junction (tensors in, amperes out).

Three textbook mechanisms, each a pure function of the bias ``v`` (V, a tensor) and its
barrier parameters (eV, m, m^2), vectorised over any shape:

- :func:`thermionic_emission`: carriers over a Schottky barrier ``phi_b`` (Sze, *Physics of
  Semiconductor Devices*, 3rd ed., eq. 2.83), ``I = S A* T^2 exp(-phi_b / kT) (1 - exp(-qV / n kT))``
  for the saturating (barrier-limited) polarity and ``-I_s (exp(q|V| / n kT) - 1)`` for the other.
- :func:`direct_tunnelling`: Simmons' generalised formula for a trapezoidal barrier
  (J. G. Simmons, J. Appl. Phys. 34, 1793 (1963), eq. 20 with his eqs. 28-29 for the mean
  barrier ``phi`` and the barrier width ``ds`` at the Fermi level):
  ``J = q / (2 pi h ds^2) [phi exp(-A sqrt(phi)) - (phi + qV) exp(-A sqrt(phi + qV))]``,
  ``A = 4 pi ds sqrt(2 m) / h``.
- :func:`fowler_nordheim`: field emission through a triangular barrier,
  ``J = q^3 V^2 / (8 pi h phi d^2) exp(-8 pi sqrt(2 m) phi^(3/2) d / (3 q h V))``.

Energies in eV inside the formulas are converted to joules with ``Q``.
"""

from __future__ import annotations

import math

import torch

Q = 1.602176634e-19  # C
H = 6.62607015e-34  # J s
M_E = 9.1093837015e-31  # kg
K_B = 1.380649e-23  # J / K
RICHARDSON_A_M2K2 = 1.20173e6  # free-electron Richardson constant, A m^-2 K^-2


def thermal_voltage(temperature_k: float) -> float:
    """``kT / q`` in volts."""
    return K_B * temperature_k / Q


def thermionic_emission(v: torch.Tensor, phi_b_ev: torch.Tensor | float, area_m2: float, richardson_a_m2k2: float,
                        temperature_k: float, ideality: float) -> torch.Tensor:
    """Thermionic emission over a Schottky barrier ``phi_b_ev`` (may be a per-device tensor), A.

    Positive bias is the barrier-limited direction: the current saturates at
    ``I_s = area A* T^2 exp(-phi_b / kT)``. Negative bias is the injecting direction,
    ``-I_s (exp(q|V| / n kT) - 1)`` with ideality factor ``n``.
    """
    vt = thermal_voltage(temperature_k)
    i_s = area_m2 * richardson_a_m2k2 * temperature_k**2 * torch.exp(-torch.as_tensor(phi_b_ev, dtype=v.dtype) / vt)
    positive = i_s * -torch.expm1(-v.clamp_min(0.0) / vt)
    negative = -i_s * torch.expm1((-v).clamp_min(0.0) / (ideality * vt))
    return torch.where(v >= 0, positive, negative)


def _simmons_forward(v: torch.Tensor, phi1_ev: float, phi2_ev: float, thickness_m: float, mass: float,
                     area_m2: float) -> torch.Tensor:
    """Simmons' current for ``v >= 0`` (electrons tunnel from the ``phi1`` side to the ``phi2`` side)."""
    qv = v * Q
    phi1, phi2 = phi1_ev * Q, phi2_ev * Q
    # The barrier falls linearly from phi1 to phi2 - qV; where it dips below the Fermi level
    # of the emitting side the tunnelling width shrinks (Simmons' "V > phi" regime).
    closed = phi2 - qv > 0
    crossing = phi1 * thickness_m / (phi1 - phi2 + qv).clamp_min(1e-30)
    width = torch.where(closed, torch.full_like(v, thickness_m), crossing)
    mean_phi = torch.where(closed, (phi1 + phi2 - qv) / 2, torch.full_like(v, phi1 / 2))
    a = 4 * math.pi * width * math.sqrt(2 * mass) / H
    j = Q / (2 * math.pi * H * width**2) * (
        mean_phi * torch.exp(-a * mean_phi.sqrt()) - (mean_phi + qv) * torch.exp(-a * (mean_phi + qv).sqrt()))
    return area_m2 * j


def direct_tunnelling(v: torch.Tensor, phi1_ev: float, phi2_ev: float, thickness_m: float, mass_ratio: float,
                      area_m2: float) -> torch.Tensor:
    """Direct tunnelling through a trapezoidal barrier (heights ``phi1`` at the top electrode,
    ``phi2`` at the bottom one, eV) of ``thickness_m``, effective mass ``mass_ratio * m_e``, A.

    Negative bias tunnels the other way: ``I(-V; phi1, phi2) = -I(V; phi2, phi1)``.
    """
    mass = mass_ratio * M_E
    forward = _simmons_forward(v.clamp_min(0.0), phi1_ev, phi2_ev, thickness_m, mass, area_m2)
    backward = _simmons_forward((-v).clamp_min(0.0), phi2_ev, phi1_ev, thickness_m, mass, area_m2)
    return torch.where(v >= 0, forward, -backward)


def fowler_nordheim(v: torch.Tensor, phi_ev: float, thickness_m: float, mass_ratio: float,
                    area_m2: float) -> torch.Tensor:
    """Fowler-Nordheim tunnelling through a triangular barrier ``phi_ev`` over ``thickness_m``, A (odd in V)."""
    phi = phi_ev * Q
    magnitude = v.abs().clamp_min(1e-12)
    prefactor = Q**3 * magnitude**2 / (8 * math.pi * H * phi * thickness_m**2)
    exponent = 8 * math.pi * math.sqrt(2 * mass_ratio * M_E) * phi**1.5 * thickness_m / (3 * Q * H * magnitude)
    return torch.sign(v) * area_m2 * prefactor * torch.exp(-exponent)
