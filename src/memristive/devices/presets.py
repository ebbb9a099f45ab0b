"""Every named device preset of every family, in one registry, each with its full reference.

A preset is an instance of a general model (never a class of its own). Look presets up with
:func:`get_preset` (optionally asking for one model family); :data:`PRESETS` maps names to
models. Each preset's ``source`` starts with the full literature reference and the figure
its numbers come from, then says which values are our choices.
"""

from __future__ import annotations

from typing import TypeVar

from memristive.devices.base import DeviceModel
from memristive.devices.binary import BinaryStochasticDevice
from memristive.devices.dual_mode import DualModeDevice
from memristive.devices.pcm import PCMDevice
from memristive.devices.mott import MottMemristor
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.devices.quantized import QuantizedConductanceDevice
from memristive.devices.references import cite
from memristive.devices.threshold_model import ThresholdSwitchingDevice
from memristive.devices.tunnel_junction import JunctionConduction, TunnelJunctionSynapse
from memristive.errors import MemristiveError

Model = TypeVar("Model", bound=DeviceModel)

TPT_RAM_110 = NonlinearPulseDevice(
    g_min=40e-6,
    g_max=160e-6,
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
        cite("mou2021", "Fig. 3A, fig. S10A, Fig. 2D") + ". SrCoOx (110) TPT-RAM, nonvolatile mode: 50 set + 50 "
        "reset pulses of 1 V, 1 us, read 0.2 V, nu 0.20 / 1.29 (NeuroSim convention); 40 -> 160 uS (on/off 4); "
        "c2c: the HRS sigma/mu 2.25 % taken as the per-pulse sigma (the paper gives state, not per-pulse, c2c); "
        "d2d 4.9 %."
    ),
)

PCM_GST = PCMDevice(
    g_min=0.1e-6,
    g_max=12e-6,
    levels=20,
    nu_set=3.0,
    c2c_sigma=0.03,
    reset_sigma=0.3,
    program_sigma=0.03,
    d2d_g_sigma=0.1,
    drift_nu=0.05,
    drift_nu_sigma=0.02,
    drift_t0_s=1.0,
    read_noise_q=0.03,
    read_time_s=1e-6,
    pulse_v=1.0,
    pulse_width_s=50e-9,
    reset_v=3.0,
    reset_width_s=50e-9,
    read_v=0.2,
    name="pcm-gst",
    source=(
        cite("nandakumar2018", "Figs. 2-5") + "; " + cite("boybat2018", "Fig. 2") + "; "
        + cite("legallo2020", "sections 4-5") + ". Mushroom GST cells: saturating conductance rise over ~20 "
        "partial-set pulses (50 ns) from a reset level near 0.1 uS to ~12 uS, step spread comparable to the mean "
        "step, abrupt melt-quench reset, drift exponent ~0.05 re-initialised by any pulse, 1/f read noise. Our "
        "choices within those papers' ranges: nu_set 3, c2c 3 % of the window per pulse, reset log-sigma 0.3, "
        "program sigma 3 %, d2d 10 %, drift sigma 0.02, t0 1 s, Q 0.03; pulse amplitudes nominal."
    ),
)

CBRAM_BINARY = BinaryStochasticDevice(
    g_min=1e-6,
    g_max=100e-6,
    v_half_set=1.2,
    v_half_reset=1.0,
    v_slope=0.15,
    pulse_v=1.0,
    pulse_width_s=1e-6,
    read_v=0.1,
    name="cbram-binary",
    source=(
        cite("suri2013", "Figs. 2-4") + ". Ag/GeS2 CBRAM used as a binary synapse with weak (probabilistic) set "
        "and reset pulses. Our choices: 1 MOhm / 10 kOhm states, logistic switching curves with V_half 1.2 V "
        "(set) and 1.0 V (reset), slope 0.15 V, so one 1 V pulse sets with p 0.21 and resets with p 0.5."
    ),
)

MOTT_NBO2 = MottMemristor(
    g_insulating=1e-4,
    g_metallic=2e-3,
    transition_k=1070.0,
    transition_width_k=10.0,
    thermal_resistance=7.7e6,
    thermal_capacitance=1e-16,
    read_v=0.1,
    name="mott-nbo2",
    source=(
        cite("pickett2012", "Figs. 2-4") + "; " + cite("pickett2013", "Fig. 1") + "; " + cite("kumar2017", "Fig. 1")
        + ". NbO2 cross-point threshold switch heated through its insulator-metal transition (~1070 K): a threshold "
        "near 1 V, volatile relaxation within about a nanosecond. Our choices within those papers' ranges, fitted to "
        "no curve: 10 kOhm insulating / 500 Ohm metallic, R_th 7.7e6 K/W (threshold 0.95 V, hold 0.23 V), "
        "C_th 1e-16 J/K (tau_th 0.77 ns), transition width 10 K."
    ),
)

TPT_RAM_110_DIFFUSIVE = NonlinearPulseDevice(
    g_min=0.5e-6,
    g_max=20e-6,
    levels=100,
    nu_ltp=1.8,
    nu_ltd=-1.8,
    c2c_sigma=0.0135,
    pulse_v=3.0,
    pulse_width_s=10e-3,
    read_v=0.2,
    name="tpt-ram-110-diffusive",
    source=(
        cite("mou2021", "Fig. 4, fig. S14") + ". Diffusive mode: ~100 levels, 3 V / 10 ms pulses, nonlinearity 1.8, "
        "c2c 1.35 %, pristine HRS > 1 Mohm (0.5 uS taken); the top of the diffusive window (20 uS) is our choice."
    ),
)

TPT_RAM_110_DUAL = DualModeDevice(
    diffusive=TPT_RAM_110_DIFFUSIVE,
    nonvolatile=TPT_RAM_110,
    name="tpt-ram-110-dual",
    source=(
        cite("mou2021", "Fig. 4B-D, fig. S11") + ". Forming by 50-100 consecutive 3 V / 10 ms pulses, relaxation "
        "within ~1 s, 3000 s retention at 85 C; tau_relax, tau_f, v_f, the forming threshold distribution and "
        "Ea = 1.8 eV are our choices (memristive.devices.dual_mode)."
    ),
)

_NEUROSIM_TABLE = cite("chen2017", "device table of the MLP+NeuroSim manual") + (
    ". Levels, NL labels, on/off and c2c as listed there; Gmax = 1/Ron approximately as listed."
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
    return NonlinearPulseDevice(g_min=g_max / on_off, g_max=g_max, levels=levels, nu_ltp=nu_ltp, nu_ltd=nu_ltd,
                                c2c_sigma=c2c, pulse_v=pulse_v, pulse_width_s=width, read_v=0.1, name=name,
                                source=_NEUROSIM_TABLE)


_QC = cite("chen2020", "Eq. (1), Figs. 3-4") + (
    ". Pt/HfOx/Pt: 32 half-integer states 16 -> 0.5 G0 by 10 ms reset pulses, k = 0.03 and sigma = {sigma} "
    "(in 0.5 G0 steps) for {which}."
)

HFOX_QC_A = QuantizedConductanceDevice(sigma_g0=0.5, name="hfox-qc-a",
                                       source=_QC.format(sigma=1, which="sample A (SPM-engineered)"))
HFOX_QC_B = QuantizedConductanceDevice(sigma_g0=2.0, name="hfox-qc-b",
                                       source=_QC.format(sigma=4, which="sample B (flat interface)"))
HFOX_QC_IDEAL = HFOX_QC_A.ideal().replace(
    name="hfox-qc-ideal",
    source=cite("chen2020", "Fig. 5") + ". The paper's ideal device: every state read at its nominal value.")

TIOX_4K = ThresholdSwitchingDevice(
    name="tiox-4k",
    source=(
        cite("kim2021", "Fig. 2b, fig. S3") + ". Pt/Al2O3/TiO2-x/Ti/Pt passive crossbar: set 1.19 +- 0.31 V, reset "
        "-1.39 +- 0.37 V, 2-50 uA at 0.25 V (8-200 uS), 45 / 4096 unswitchable devices. The switching kinetics "
        "(tau 50 ms, v0 30 mV, after " + cite("strukov2009") + ") and the threshold correlation 0.7 are our "
        "choices, v0 calibrated on the 32 x 32 image-tuning run."
    ),
)

OTJ_STO = TunnelJunctionSynapse(
    conduction=JunctionConduction(
        richardson_a_m2k2=3.4842e4,
        barrier_lowering_ev=0.1,
        dt_mass_ratio=1.0152,
        fn_area_share=3.4301e-5,
        series_ohm=7e3,
    ),
    tau_charge_s=2e-6,
    charge_rate_per_vs=3e6,
    tau_volatile_s=0.4e-6,
    drive_rate_per_s=1.78e7,
    drive_ref_v=1.8,
    drive_v_scale=0.2,
    consolidation_level=0.3,
    ltp_rate_per_s=9.81e4,
    ltd_rate_per_s=7.02e5,
    read_v=0.1,
    name="otj-sto",
    source=(
        cite("li2019", "Figs. 1b-3, S1") + ". Pt/SrTiO3 (2.8 nm)/Nb:SrTiO3: barriers 0.55 (TE), 0.35/0.41 (DT), "
        "0.075 eV (FN), thickness and electrode from the paper; calibrated: the TE prefactor (2.9 % of the "
        "free-electron Richardson constant) on the HRS read, 1.8e8 ohm at 0.1 V; the tunnelling mass (1.015 m_e, "
        "DT 80 % / FN 20 % of the LRS read current: our split) on the LRS read, 2.7e4 ohm; the series resistance "
        "(7 kohm) on the LTM energy at 20 ns; alpha_ref on the 1.8 V / 20 ns threshold; k_p and k_d on the "
        "20-pulse LTP/LTD cycle between 1 and 10.5 uS (+2.2 V / -2.5 V, 50 ns). tau1, gamma, dphi, v_a, s_c, "
        "tau_s are our choices (memristive.devices.tunnel_junction)."
    ),
)

CAPACITOR_3T1C = NonlinearPulseDevice(
    g_min=1e-6,
    g_max=11e-6,
    levels=128,
    nu_ltp=0.0,
    nu_ltd=0.0,
    leak_tau_s=1.0,
    leak_share=0.5,
    pulse_v=1.0,
    pulse_width_s=10e-9,
    read_v=0.2,
    name="3t1c-capacitor",
    source=(
        cite("ambrogio2018", "Fig. 1") + ". The lower-significance weight of a PCM + 3T1C synapse: a capacitor's "
        "charge, added and removed by the update transistors in equal steps (linear, symmetric), sets the "
        "conductance of a read transistor, and leaks away. Window 1-11 uS read against a reference at mid-window, "
        "128 steps across it, leakage to mid-window with 1 s: our choices, fitted to no curve."
    ),
)

RPU_SPEC = NonlinearPulseDevice(
    g_min=1.0 / 24e6 / 8,
    g_max=1.0 / 24e6,
    levels=1000,
    nu_ltp=0.0,
    nu_ltd=0.0,
    c2c_sigma=0.3 / 1000,
    pulse_v=1.0,
    pulse_width_s=1e-9,
    read_v=0.1,
    name="rpu-gokmen2016",
    source=(
        cite("gokmen2016", "Table 1") + ". Not a measured device: the resistive processing unit its authors "
        "specify for training at software accuracy. From that specification as we read it: 1000 states across the "
        "range, conductance on/off 8, 1 ns update pulses, cycle-to-cycle noise 30 % of a step, a device near "
        "24 MOhm (taken as 1/Gmax). Up/down asymmetry and the device-to-device spread of the step are not modelled."
    ),
)

ECRAM_LISTA = NonlinearPulseDevice(
    g_min=10e-6,
    g_max=50e-6,
    levels=250,
    nu_ltp=0.5,
    nu_ltd=-0.5,
    c2c_sigma=0.005,
    pulse_v=1.0,
    pulse_width_s=1e-6,
    read_v=0.1,
    name="ecram-lista",
    source=(
        cite("fuller2017", "Figs. 2-3") + ". Li-ion synaptic transistor (LISTA, an electrochemical RAM): hundreds of "
        "non-volatile states, written by gate current pulses with nearly linear, nearly symmetric steps, read on a "
        "separate channel. Our choices, fitted to no curve: 250 levels, labels +0.5 / -0.5, window 10-50 uS, c2c "
        "0.5 %, 1 V / 1 us pulses."
    ),
)

ENODE_ORGANIC = NonlinearPulseDevice(
    g_min=0.3e-3,
    g_max=1.0e-3,
    levels=500,
    nu_ltp=0.2,
    nu_ltd=-0.2,
    c2c_sigma=0.002,
    pulse_v=0.5,
    pulse_width_s=1e-3,
    read_v=0.05,
    name="enode-organic",
    source=(
        cite("vandeburgt2017", "Figs. 2-3") + ". PEDOT:PSS / PEI electrochemical neuromorphic organic device "
        "(ENODe): about 500 distinct non-volatile states, switched at low voltage, nearly linear in both "
        "directions. Our choices, fitted to no curve: labels +0.2 / -0.2, window 0.3-1 mS, c2c 0.2 %, 0.5 V / 1 ms "
        "pulses, 50 mV reads."
    ),
)

PCM_KUZUM = PCMDevice(
    g_min=1e-6,
    g_max=10e-6,
    levels=100,
    nu_set=1.5,
    c2c_sigma=0.01,
    reset_sigma=0.2,
    d2d_g_sigma=0.05,
    drift_nu=0.05,
    pulse_v=1.0,
    pulse_width_s=100e-9,
    reset_v=3.0,
    reset_width_s=50e-9,
    read_v=0.1,
    name="pcm-kuzum2012",
    source=(
        cite("kuzum2012", "Figs. 2-4") + ". GST mushroom cells programmed through about 100 intermediate states "
        "over one decade of resistance, the basis of their STDP demonstrations. Our model's reset is the abrupt "
        "melt-quench (their gradual reset needs pulse trains we do not model). Our choices: 1-10 uS, nu_set 1.5, c2c "
        "1 % of the window per pulse, reset log-sigma 0.2, d2d 5 %, drift exponent 0.05."
    ),
)

PCM_BURR = PCMDevice(
    g_min=0.5e-6,
    g_max=20e-6,
    levels=10,
    nu_set=4.0,
    c2c_sigma=0.05,
    reset_sigma=0.3,
    program_sigma=0.05,
    d2d_g_sigma=0.2,
    drift_nu=0.05,
    drift_nu_sigma=0.02,
    pulse_v=1.0,
    pulse_width_s=50e-9,
    reset_v=3.0,
    reset_width_s=50e-9,
    read_v=0.2,
    name="pcm-burr2015",
    source=(
        cite("burr2015", "Figs. 3-6") + ". GST PCM pairs of a 165 000-synapse network: a strongly nonlinear partial-"
        "SET response that saturates within about ten pulses, an abrupt RESET used for occasional refresh, wide "
        "device-to-device spread. Our choices within that description: 0.5-20 uS, 10 levels, nu_set 4, c2c 5 %, "
        "reset log-sigma 0.3, program sigma 5 %, d2d 20 %, drift exponent 0.05 +- 0.02."
    ),
)

HFOX_YU_ANALOG = NonlinearPulseDevice(
    g_min=1e-6,
    g_max=100e-6,
    levels=100,
    nu_ltp=8.0,
    nu_ltd=2.0,
    c2c_sigma=0.02,
    d2d_g_sigma=0.1,
    pulse_v=1.3,
    pulse_width_s=10e-9,
    read_v=0.1,
    name="hfox-yu2011",
    source=(
        cite("yu2011", "Figs. 3-6") + ". TiN/HfOx/AlOx/Pt: an abrupt set and a gradual reset through about a hundred "
        "states under identical pulses, about two decades of resistance. Our choices: 1-100 uS, 100 levels, labels "
        "8 (set: abrupt) and 2 (reset: gradual), c2c 2 %, d2d 10 %, 1.3 V / 10 ns pulses."
    ),
)

HFOX_YU_BINARY = BinaryStochasticDevice(
    g_min=1e-6,
    g_max=100e-6,
    v_half_set=1.6,
    v_half_reset=1.6,
    v_slope=0.2,
    d2d_g_sigma=0.05,
    pulse_v=1.3,
    pulse_width_s=50e-9,
    read_v=0.1,
    name="hfox-yu2013",
    source=(
        cite("yu2013", "Figs. 2-4") + ". HfOx binary synapse switched by weak pulses with a tunable switching "
        "probability, used for stochastic learning. Our choices: 10 kOhm / 1 MOhm states, logistic switching curves "
        "centred at 1.6 V with slope 0.2 V (p 0.18 at the 1.3 V / 50 ns pulse), d2d 5 %."
    ),
)

STT_MRAM = BinaryStochasticDevice(
    g_min=0.4e-3,
    g_max=1.0e-3,
    v_half_set=0.5,
    v_half_reset=0.5,
    v_slope=0.05,
    d2d_g_sigma=0.02,
    pulse_v=0.45,
    pulse_width_s=10e-9,
    read_v=0.05,
    name="stt-mram-vincent2015",
    source=(
        cite("vincent2015", "Figs. 2-5") + ". A magnetic tunnel junction switched by spin-transfer torque as a "
        "stochastic binary synapse: the switching probability set by the pulse's current and duration. Our "
        "choices: parallel / antiparallel 1 kOhm / 2.5 kOhm (TMR 150 %), logistic switching curves centred at 0.5 V "
        "with slope 50 mV (p 0.27 at the 0.45 V / 10 ns pulse), d2d 2 %."
    ),
)

MOTT_VO2 = MottMemristor(
    g_insulating=2e-5,
    g_metallic=2e-3,
    transition_k=340.0,
    transition_width_k=3.0,
    thermal_resistance=1e6,
    thermal_capacitance=1e-15,
    read_v=0.05,
    name="mott-vo2",
    source=(
        cite("yi2018", "Figs. 1-2") + ". VO2 active memristor (the neuron of their spiking circuits): a volatile "
        "insulator-metal transition near 340 K (67 C) reached by Joule heating. Our choices, fitted to no curve: "
        "50 kOhm insulating / 500 Ohm metallic, transition width 3 K, R_th 1e6 K/W (threshold 0.95 V, hold 0.16 V), "
        "C_th 1e-15 J/K (tau_th 1 ns)."
    ),
)

DIFFUSIVE_AG = NonlinearPulseDevice(
    g_min=0.01e-6,
    g_max=10e-6,
    levels=20,
    nu_ltp=3.0,
    nu_ltd=3.0,
    c2c_sigma=0.02,
    leak_tau_s=1e-3,
    leak_share=0.0,
    pulse_v=1.0,
    pulse_width_s=1e-6,
    read_v=0.1,
    name="diffusive-ag",
    source=(
        cite("wang2017", "Figs. 1-3") + ". SiOxNy:Ag diffusive memristor: silver bridges that form under a pulse "
        "and dissolve by themselves after it, a volatile synapse for short-term plasticity. Modelled as a pulse "
        "device that leaks back to Gmin. Our choices: 0.01-10 uS, 20 levels, labels 3 / 3, c2c 2 %, relaxation "
        "time constant 1 ms."
    ),
)

WOX_STM = NonlinearPulseDevice(
    g_min=1e-6,
    g_max=10e-6,
    levels=100,
    nu_ltp=2.0,
    nu_ltd=2.0,
    c2c_sigma=0.01,
    leak_tau_s=10.0,
    leak_share=0.0,
    pulse_v=1.2,
    pulse_width_s=1e-3,
    read_v=0.1,
    name="wox-stm",
    source=(
        cite("chang2011", "Figs. 2-4") + ". WOx memristor whose pulse-raised conductance decays back within "
        "seconds (short-term memory) unless rehearsed. Modelled as a pulse device leaking to Gmin: the transition "
        "to long-term memory (a slower, lasting part) is not modelled. Our choices: 1-10 uS, 100 levels, labels 2 / "
        "2, c2c 1 %, decay time constant 10 s, 1.2 V / 1 ms pulses."
    ),
)

TAOX_SANDIA = NonlinearPulseDevice(
    g_min=10e-6,
    g_max=100e-6,
    levels=100,
    nu_ltp=2.0,
    nu_ltd=-2.0,
    c2c_sigma=0.01,
    d2d_g_sigma=0.05,
    pulse_v=1.0,
    pulse_width_s=100e-9,
    read_v=0.1,
    name="taox-sandia",
    source=(
        cite("marinella2018", "section III") + ". TaOx ReRAM of Sandia's analog training accelerator study, "
        "characterised there by measured update lookup tables. Our nonlinear-pulse stand-in, fitted to no curve: "
        "10-100 uS, 100 levels, labels 2 / -2, c2c 1 %, d2d 5 %, 1 V / 100 ns pulses; fit the measured tables with "
        "memristive fit --model lookup for the real device."
    ),
)

PRESETS: dict[str, DeviceModel] = {
    preset.name: preset
    for preset in (TPT_RAM_110, *(_neurosim_preset(name) for name in _NEUROSIM_DEVICES), HFOX_QC_A, HFOX_QC_B,
                   HFOX_QC_IDEAL, TPT_RAM_110_DIFFUSIVE, TPT_RAM_110_DUAL, TIOX_4K, OTJ_STO, PCM_GST, CBRAM_BINARY,
                   MOTT_NBO2, CAPACITOR_3T1C, RPU_SPEC, ECRAM_LISTA, ENODE_ORGANIC, PCM_KUZUM, PCM_BURR, HFOX_YU_ANALOG,
                   HFOX_YU_BINARY, STT_MRAM, MOTT_VO2, DIFFUSIVE_AG, WOX_STM, TAOX_SANDIA)
}


def get_preset(name: str, model: type[Model] | tuple[type, ...] = DeviceModel) -> Model:
    """The preset called ``name`` (or the TOML preset file at that path, as ``memristive fit`` writes them).

    ``model`` restricts the answer to a model family: a preset of another family is an error
    naming the presets that would do.
    """
    if name.endswith(".toml"):
        from memristive.devices.fitting import load_preset

        preset = load_preset(name)
    elif name in PRESETS:
        preset = PRESETS[name]
    else:
        raise MemristiveError(f"unknown device preset {name!r}; known: {', '.join(PRESETS)}, "
                              "or a path to a .toml preset")
    if not isinstance(preset, model):
        fits = [key for key, value in PRESETS.items() if isinstance(value, model)]
        kinds = " or ".join(k.__name__ for k in (model if isinstance(model, tuple) else (model,)))
        raise MemristiveError(f"preset {name!r} is a {type(preset).__name__}, but a {kinds} is needed; "
                              f"those are: {', '.join(fits)}")
    return preset
