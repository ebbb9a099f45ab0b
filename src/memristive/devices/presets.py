"""Named device presets: instances of the general models, each with its source.

Look presets up with :func:`get_preset`; :data:`PRESETS` maps names to devices.
"""

from __future__ import annotations

from memristive.devices.protocol import PulseDevice
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.devices.quantized import HFOX_QC_A, HFOX_QC_B, HFOX_QC_IDEAL
from memristive.errors import MemristiveError

_NEUROSIM_TABLE = (
    "NeuroSim device table (Chen, Peng & Yu, IEDM 2017; MLP+NeuroSim manual): levels, "
    "NL labels, on/off and c2c as listed there; Gmax = 1/Ron approximately as listed."
)

TPT_RAM_110 = NonlinearPulseDevice(
    g_min_s=40e-6,
    g_max_s=160e-6,
    levels=50,
    nu_ltp=0.20,
    nu_ltd=1.29,
    c2c_sigma=0.0225,
    d2d_g_sigma=0.049,
    pulse_v=1.0,
    pulse_width_s=1e-6,
    read_v=0.2,
    name="tpt-ram-110",
    source=(
        "Mou et al., Sci. Adv. 2021 (seed 000): SrCoOx (110) TPT-RAM, nonvolatile mode. "
        "Fig. 3A / fig. S10A: 50 set + 50 reset pulses of 1 V, 1 us, read 0.2 V, nu 0.20 / 1.29 "
        "(NeuroSim convention); 40 -> 160 uS (on/off 4, Fig. 2D); c2c: the HRS sigma/mu 2.25 % "
        "taken as the per-pulse sigma (the paper gives state, not per-pulse, c2c); d2d 4.9 %."
    ),
)

_NEUROSIM_DEVICES = {
    # name: (levels, nu_ltp, nu_ltd, on_off, c2c, r_on_ohm, pulse_v, pulse_width_s)
    "ag-asi": (97, 2.40, -4.88, 12.5, 0.035, 26e3, 3.2, 300e-6),
    "taox-hfox": (128, 0.04, -0.63, 10.0, 0.037, 100e3, 1.6, 50e-9),
    "pcmo": (50, 3.68, -6.76, 6.84, 0.005, 23e6, 2.0, 1e-3),
    "alox-hfo2": (40, 1.94, -0.61, 4.43, 0.05, 16.9e3, 0.9, 100e-6),
    "epiram": (64, 0.50, -0.50, 50.2, 0.02, 81e3, 5.0, 5e-6),
    "hzo-fefet": (32, 1.75, 1.46, 45.0, 0.005, 200e3, 3.65, 75e-9),
}


def _neurosim_preset(name: str) -> NonlinearPulseDevice:
    levels, nu_ltp, nu_ltd, on_off, c2c, r_on, pulse_v, width = _NEUROSIM_DEVICES[name]
    g_max = 1.0 / r_on
    return NonlinearPulseDevice(
        g_min_s=g_max / on_off,
        g_max_s=g_max,
        levels=levels,
        nu_ltp=nu_ltp,
        nu_ltd=nu_ltd,
        c2c_sigma=c2c,
        pulse_v=pulse_v,
        pulse_width_s=width,
        read_v=0.1,
        name=name,
        source=_NEUROSIM_TABLE,
    )


PRESETS: dict[str, PulseDevice] = {
    TPT_RAM_110.name: TPT_RAM_110,
    **{name: _neurosim_preset(name) for name in _NEUROSIM_DEVICES},
    **{device.name: device for device in (HFOX_QC_A, HFOX_QC_B, HFOX_QC_IDEAL)},
}


def get_preset(name: str) -> PulseDevice:
    """The preset called ``name``, or the TOML preset file at that path (``memristive fit`` writes them)."""
    if name.endswith(".toml"):
        from memristive.devices.fitting import load_preset

        return load_preset(name)
    try:
        return PRESETS[name]
    except KeyError:
        raise MemristiveError(
            f"unknown device preset {name!r}; known: {', '.join(PRESETS)}, or a path to a .toml preset"
        ) from None
