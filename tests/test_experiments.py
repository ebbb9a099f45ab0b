"""Each experiment's quick run asserts its physics and accuracy targets (issue 2)."""

import json
import sys

import pytest

from memristive.devices.references import cite
from memristive.experiments.base import CLAIM_KINDS, Claim, calibrated, predicted
from memristive.experiments import EXPERIMENTS, get_experiment, run_experiment


def _metrics(tmp_path, name, **kwargs):
    return json.loads(run_experiment(name, tmp_path, quick=True, **kwargs).read_text())


@pytest.mark.parametrize("preset", ["tpt-ram-110", "ag-asi", "pcmo"])
def test_device_ltp_ltd_recovers_nonlinearity(tmp_path, preset):
    record = _metrics(tmp_path, "device-ltp-ltd", overrides={"preset": preset})
    m, paper = record["metrics"], record["paper"]
    assert m["nu_ltp"] == pytest.approx(paper["nu_ltp"], abs=0.05)
    assert m["nu_ltd"] == pytest.approx(paper["nu_ltd"], abs=0.05)
    assert m["on_off"] == pytest.approx(paper["on_off"], rel=1e-6)
    assert m["c2c_pct"] == pytest.approx(paper["c2c_pct"], rel=0.25)
    assert m["levels"] <= paper["levels"]


def test_tpt_ram_levels_match_the_paper(tmp_path):
    m = _metrics(tmp_path, "device-ltp-ltd")["metrics"]
    assert m["levels"] == 50 and m["on_off"] == pytest.approx(4.0)


@pytest.mark.slow
def test_insitu_mlp_quick_meets_targets(tmp_path):
    record = _metrics(tmp_path, "insitu-mlp", seed=0)
    m = record["metrics"]
    assert m["accuracy_float"] >= 0.95
    assert m["accuracy_tpt_ram_110"] > m["accuracy_ag_asi"]
    assert m["accuracy_device"] == m["accuracy_tpt_ram_110"]
    assert record["config"]["dataset"] == "digits"
    assert (tmp_path / "insitu-mlp" / "accuracy_vs_epoch.png").is_file()


def test_insitu_mlp_same_seed_same_metrics(tmp_path):
    short = {"epochs": "2", "n_train": "300"}
    runs = [_metrics(tmp_path / str(i), "insitu-mlp", seed=5, overrides=short)["metrics"] for i in range(2)]
    assert json.dumps(runs[0]) == json.dumps(runs[1])


def test_every_experiment_has_docstrings_and_quick_config():
    for name, experiment in EXPERIMENTS.items():
        module = sys.modules[experiment.simulate.__module__].__doc__ or ""
        assert f"``{name}``" in module.split("\n", 1)[0], name  # the module's first line names what it runs
        for function in (experiment.simulate, experiment.metrics, experiment.plot, experiment.cost):
            assert len((function.__doc__ or "").strip()) > 10, (name, function.__name__)
        assert type(experiment.quick).__doc__, name
        assert experiment.summary
        assert type(experiment.quick) is type(experiment.full)
        assert cite(experiment.reference).endswith(")")  # a full reference with its year


def test_every_paper_value_says_what_it_is():
    """Each paper value of every experiment is a Claim with a kind; calibrations and inputs name their parameter,
    and no kind is judged except a prediction under the paper's conditions."""
    kinds = set()
    for name, experiment in EXPERIMENTS.items():
        for quick in (True, False):
            for key, claim in experiment.paper(experiment.config(quick)).items():
                assert isinstance(claim, Claim), (name, key)
                assert claim.kind in CLAIM_KINDS
                kinds.add(claim.kind)
                if claim.kind != "predicted":
                    assert claim.detail and not claim.judged() and claim.agrees(claim.value) is None, (name, key)
    assert kinds == set(CLAIM_KINDS)


def test_a_prediction_is_judged_by_its_tolerance_and_conditions():
    relative = predicted(2.0)  # +- 10 %
    assert relative.agrees(2.19) and not relative.agrees(2.21) and not relative.agrees(float("nan"))
    absolute = predicted(0.9, 0.01, absolute=True, datasets=("mnist",))
    assert absolute.agrees(0.905, "mnist") and not absolute.agrees(0.92, "mnist")
    assert absolute.agrees(0.905, "digits") is None  # another dataset: shown, not judged
    assert predicted(1.0, comparable=False).agrees(1.0) is None
    bound = predicted(0.0, 0.001, absolute=True, at_least=True)  # "pruned >= baseline"
    assert bound.agrees(0.02) and bound.agrees(-0.0005) and not bound.agrees(-0.006)
    with pytest.raises(ValueError, match="names its parameter"):
        calibrated(1.0, "")


def test_crossbar_ir_drop_grows_with_size_and_wire_resistance(tmp_path):
    overrides = {"sizes": "16,64,128", "wire_ohms": "0.1,1", "vectors": "50"}
    m = _metrics(tmp_path, "crossbar-ir-drop", overrides=overrides)["metrics"]
    assert m["rel_error_16_1ohm"] < m["rel_error_64_1ohm"] < m["rel_error_128_1ohm"]
    for n in (16, 64, 128):
        assert m[f"rel_error_{n}_0p1ohm"] < m[f"rel_error_{n}_1ohm"]
    assert 0.05 < m["rel_error_64_1ohm"] < 0.5  # 64 x 64 at 1 ohm: IR drop matters, not dominates
    assert m["max_kcl_residual_a"] < 1e-13


@pytest.mark.slow
def test_crossbar_image_tuning_quick(tmp_path):
    record = _metrics(tmp_path, "crossbar-image-tuning")
    m = record["metrics"]
    # the mechanism: half-select disturb costs accuracy; an ideal selector reaches tolerance everywhere
    assert m["within_5pct_share_no_disturb"] >= 0.99
    assert m["mean_error_pct_no_disturb"] < m["mean_error_pct"]
    assert m["retuned_cycle_2"] > 0
    # re-tuning the strongest devices first beats raster order
    assert m["mean_error_pct"] < m["mean_error_pct_raster"]
    assert m["within_5pct_share"] > m["within_5pct_share_raster"]
    # the targets (mean < 4 %, >= 95 % within 5 %) at 32 x 32
    assert m["within_5pct_share"] >= 0.95
    assert m["mean_error_pct"] < 4.0
    assert 0 < m["stuck_share"] < 0.03
    # 32 x 32 is not the paper's 64 x 64: its error is shown, not judged; the stuck share is the preset's input
    claim = record["claims"]["mean_error_pct"]
    assert claim["kind"] == "predicted" and not claim["judged"] and "agrees" not in claim
    assert record["claims"]["stuck_share"]["kind"] == "input"


def test_crossbar_slp_mnist8x8_quick(tmp_path):
    record = _metrics(tmp_path, "crossbar-slp-mnist8x8", overrides={"trials": "10"})
    m = record["metrics"]
    assert m["accuracy_software"] > 0.8
    assert m["gap_1pct"] < 3.0  # issue 3 acceptance; paper 1.87
    # import error costs accuracy: clearly from 10 % on; below it stuck devices and IR drop
    # dominate and the 540 test digits resolve no difference (within 2 images)
    assert m["accuracy_error_50pct"] < m["accuracy_error_20pct"] < m["accuracy_error_10pct"]
    small = [m[f"accuracy_error_{e}pct"] for e in (1, 2, 5)]
    assert max(small) - min(small) <= 2 / 540 + 1e-12
    assert m["accuracy_error_10pct"] <= max(small)


def test_tpt_dual_mode_forms_between_50_and_100_pulses(tmp_path):
    record = _metrics(tmp_path, "tpt-dual-mode")
    m = record["metrics"]
    assert 50 < m["formed_after_pulses"] < 100
    assert m["formed_share_50"] == 0.0 and m["formed_share_100"] == 1.0
    assert 0.5 <= m["recovery_time_s"] <= 1.5  # "relaxed back to the initial state within ~1 s"
    assert m["relaxation_tau_s"] == pytest.approx(0.3, rel=0.05)
    assert m["formed_by_single_4v"] == 1.0
    assert m["retention_years_25c"] > 10


def test_qc_state_distribution_matches_seed_004(tmp_path):
    result = _metrics(tmp_path, "qc-state-distribution")
    metrics, paper = result["metrics"], result["paper"]
    # five of the six figures reproduce within 15 %; sample B at 2 G0 does not (constant
    # sigma in the paper's Eq. 1 cannot narrow B's histogram there; see the module docstring)
    for key in ("fwhm_state5_a", "fwhm_state5_b", "fwhm_state29_a", "spread_16g0_a", "spread_16g0_b"):
        assert metrics[key] == pytest.approx(paper[key], rel=0.15), key
    # physics: the engineered sample is tighter than the flat one at every state
    for state in ("state5", "state29"):
        assert metrics[f"fwhm_{state}_a"] < metrics[f"fwhm_{state}_b"]
    assert metrics["spread_16g0_a"] < metrics["spread_16g0_b"]


@pytest.mark.slow
def test_qc_states_mlp_quick(tmp_path):
    m = _metrics(tmp_path, "qc-states-mlp")["metrics"]
    # 4 states is far behind (a 15-point gap against a run-to-run std of 1-3 points); more
    # states never fall back to it. The ideal / A / B ordering at 32 states is not asserted:
    # its gaps (0.5-2 points) are within the spread over seeds (docs/reproductions.md,
    # 5-seed table), so no margin above that spread would hold at every seed. The wider
    # reads of sample B are asserted at every state in the qc-state-distribution test.
    assert m["acc_states_4"] < min(m["acc_states_16"], m["acc_states_32"], m["acc_states_64"]) - 0.05
    assert m["acc_states_64"] > 0.85 and m["acc_32_ideal"] > 0.85
    # the repeats are independent runs (own weights, shuffling, device draws), not copies
    assert all(m[f"std_{key}"] > 0 for key in ("states_4", "states_64", "32_ideal", "32_b"))


@pytest.mark.slow
def test_nonideality_sweep_quick_and_resume(tmp_path):
    m = _metrics(tmp_path, "nonideality-sweep")["metrics"]
    assert m["acc_nu0"] > 0.9 and m["acc_nu6"] < m["acc_nu0"] - 0.03
    assert m["acc_c2c_10pct"] < m["acc_c2c_0pct"] - 0.1
    assert m["acc_levels_4"] < m["acc_levels_16"]
    cached = sorted((tmp_path / ".cache" / "nonideality-sweep").glob("*/*.json"))
    assert len(cached) == 17  # 16 points and the float reference
    # a restart finds every point done: same metrics, nothing recomputed
    stamps = [p.stat().st_mtime_ns for p in cached]
    assert _metrics(tmp_path, "nonideality-sweep")["metrics"] == m
    assert [p.stat().st_mtime_ns for p in cached] == stamps


def test_otj_iv_reads_the_paper_resistances(tmp_path):
    m = _metrics(tmp_path, "otj-iv")["metrics"]
    assert m["r_hrs_ohm"] == pytest.approx(1.8e8, rel=0.02)
    assert m["r_lrs_ohm"] == pytest.approx(2.7e4, rel=0.02)
    assert m["on_off"] == pytest.approx(6.7e3, rel=0.05)


def test_otj_stp_facilitation_falls_with_interval(tmp_path):
    m = _metrics(tmp_path, "otj-stp")["metrics"]
    assert m["ppf_monotonic"] == 1.0 and m["ptp_monotonic"] == 1.0
    assert m["ptp_index_min_interval"] > m["ppf_index_min_interval"] > 5.0
    assert m["tau1_us"] == pytest.approx(2.0, rel=0.1)  # the preset's tau1, recovered from the EPSC


def test_otj_energy_threshold_and_energies_match_seed_001(tmp_path):
    record = _metrics(tmp_path, "otj-energy")
    m, paper = record["metrics"], record["paper"]
    assert m["threshold_v_20ns"] == pytest.approx(1.8, abs=0.05)
    for key in ("energy_stm_fj", "energy_ltm_fj"):
        assert paper[key] / 1.5 <= m[key] <= paper[key] * 1.5, key
    assert m["ltp_g_min_us"] == pytest.approx(1.0, rel=0.1) and m["ltp_g_max_us"] == pytest.approx(10.5, rel=0.1)
    assert m["ltp_states"] == 40
    assert 50 < m["ltm_width_ns_1p5v"] <= 1000  # 1.5 V: STM at 50 ns (letter N), LTM for wider pulses
    assert m["settled_current_na_3p6v"] > m["settled_current_na_0p9v"]


def test_otj_stdp_fits_within_10_percent_of_seed_001(tmp_path):
    record = _metrics(tmp_path, "otj-stdp")
    for key, value in record["paper"].items():
        assert record["metrics"][key] == pytest.approx(value, rel=0.10), key


def test_otj_letters_h_stays_c_and_n_fade(tmp_path):
    m = _metrics(tmp_path, "otj-letters")["metrics"]
    assert m["letter_h_retained"] == m["letter_c_faded"] == m["letter_n_faded"] == 1.0
    assert m["contrast_h_500s"] == pytest.approx(m["contrast_h_25us"], rel=1e-3)  # nonvolatile
    assert m["contrast_c_0us"] > 1.0 and m["contrast_n_0us"] > 0.1  # the STM images were there


@pytest.mark.slow
def test_otj_snn_learns_the_three_letters_without_labels(tmp_path):
    m = _metrics(tmp_path, "otj-snn", seed=0)["metrics"]
    assert m["snn_distinct_winners"] == 3.0  # each letter has a neuron of its own
    assert m["snn_accuracy"] >= 0.7  # chance: 1/3
    assert m["snn_selectivity"] > 3.0  # junctions on the letter end well above the others


@pytest.mark.parametrize("name", ["pruning-mlp", "pruning-lenet5"])
@pytest.mark.slow
def test_pruning_quick_prunes_while_learning(tmp_path, name):
    record = _metrics(tmp_path, name)
    m = record["metrics"]
    assert record["config"]["dataset"] == "digits"
    assert m["pruning_rate"] > 0.3  # rest stages removed unformed pairs
    assert 0 < m["power_reduction"] < 1
    assert m["accuracy_baseline"] > 0.9
    assert m["accuracy_pruned"] > 0.85
    for figure in ("accuracy_vs_epoch.png", "weight_histograms.png"):
        assert (tmp_path / name / figure).is_file()
    # issue 5's acceptance on digits: the pruned network at most 1 point below its baseline
    assert m["accuracy_gap"] >= -0.01
    if name == "pruning-mlp":
        # and rate and power within 10 points of seed 000's MNIST figures (73.8 %, 38 %)
        assert abs(m["pruning_rate"] - 0.738) <= 0.10
        assert abs(m["power_reduction"] - 0.38) <= 0.10
    else:
        # no layer collapsed to all-pruned (the failure the pulse budget and the 3 ms leak avoid)
        layer_rates = [v for k, v in m.items() if k.startswith("pruning_rate_")]
        assert len(layer_rates) == 5 and max(layer_rates) < 0.95
        assert m["pruning_rate"] > 0.5


def test_data_holds_numbers_and_strings_only(tmp_path):
    import numpy as np

    from memristive.experiments.base import load_data, save_data

    save_data({"x": np.arange(3.0), "name": "otj-sto", "n": 4}, tmp_path / "data.npz")
    data = load_data(tmp_path / "data.npz")
    assert data["x"].tolist() == [0.0, 1.0, 2.0] and str(data["name"]) == "otj-sto" and int(data["n"]) == 4
    with pytest.raises(TypeError, match="numbers and strings only"):
        save_data({"bad": {"a": 1}}, tmp_path / "bad.npz")


@pytest.mark.parametrize("name", ["otj-iv", "device-ltp-ltd", "otj-stdp"])
def test_metrics_come_from_the_saved_data(tmp_path, name):
    from memristive.experiments.base import load_data

    record = _metrics(tmp_path, name)
    data = load_data(tmp_path / name / "data.npz")
    assert EXPERIMENTS[name].metrics(data) == record["metrics"]


@pytest.mark.slow
def test_pcm_multi_memristive_accuracy_rises_with_devices_per_weight(tmp_path):
    # at seeds 0-2: n1 0.18 / 0.10 / 0.11, n4 0.62 / 0.55 / 0.64, n8 0.91 / 0.86 / 0.88 (float 0.95)
    record = _metrics(tmp_path, "pcm-multi-memristive", seed=0)
    m = record["metrics"]
    assert m["acc_n8"] > m["acc_n4"] + 0.1 > m["acc_n1"] + 0.2
    assert m["acc_n8"] >= 0.8 and m["acc_float"] > m["acc_n8"]
    assert m["refreshes_n8"] > 1  # set-only pairs saturate: the refresh is what keeps them learning
    assert (tmp_path / "pcm-multi-memristive" / "accuracy_vs_n.png").is_file()


@pytest.mark.slow
def test_mott_neuron_fires_three_modes_by_capacitance_with_threshold_refractory_and_all_or_nothing(tmp_path):
    # quick (deterministic): threshold 35.5 uA, refractory 0.56 us, spread 1.8 %, oscillation 3.0-5.5 kOhm
    record = _metrics(tmp_path, "mott-neuron")
    m, config = record["metrics"], get_experiment("mott-neuron").quick
    assert m["modes_found"] == 3 and m["modes_as_labelled"] == 3  # each setting gives its own mode, not another
    assert 0.1 * config.drive_a < m["threshold_current_a"] < config.drive_a
    assert config.pulse_s < m["refractory_s"] < config.max_interval_s
    assert m["amplitude_spread"] < 0.1  # all or nothing: the same swing at every suprathreshold pulse
    assert 0.9 * m["predicted_min_ohm"] < m["oscillation_min_ohm"] < m["oscillation_max_ohm"] \
        < 1.2 * m["predicted_max_ohm"]
    assert (tmp_path / "mott-neuron" / "firing_modes.png").is_file()


def test_pcm_neuron_rate_is_linear_in_the_input_and_the_device_makes_it_stochastic(tmp_path):
    # at seeds 0-2: rate ratio 0.207 / 0.205 / 0.206, R^2 >= 0.9999, regular-input ISI CV 0.19-0.20
    m = _metrics(tmp_path, "pcm-neuron", seed=0)["metrics"]
    assert m["linearity_r2"] > 0.99 and 3 < m["pulses_to_fire"] < 8
    assert m["rate_ratio"] == pytest.approx(1 / m["pulses_to_fire"], rel=0.05)
    assert 0.1 < m["isi_cv_regular"] < m["isi_cv"]  # the cell's own spread, below the Poisson input's
    assert (tmp_path / "pcm-neuron" / "rate_transfer.png").is_file()


@pytest.mark.slow
def test_array_cells_selectors_and_transistors_cut_sneak_paths_and_disturb(tmp_path):
    # quick, seed 0: read error 46 / 2.5e-4 / 1.7e-6 (0T1R / 1S1R / 1T1R at 64 x 64), disturbed share
    # 0.45 / 0.22 / 0, cycle-1 error 71 / 16 / 3.2 % (seed 1: 30 / 4.5 / 3.2 %), VMM error at 256 x 256 and
    # 1 ohm 68 / 61 / 67 %
    m = _metrics(tmp_path, "array-cells")["metrics"]
    assert m["read_error_0t1r"] > 1.0 > 1e-2 > m["read_error_1s1r"] > m["read_error_1t1r"] > 0
    for cell in ("0t1r", "1s1r", "1t1r"):
        assert m[f"read_error_{cell}_256"] > m[f"read_error_{cell}_64"]  # more sneak paths in a larger array
        assert m[f"vmm_error_{cell}_256"] > 2 * m[f"vmm_error_{cell}_64"] > 0  # IR drop grows with size
        assert m[f"tuning_error_pct_{cell}"] < 5.0
    assert m["disturbed_share_1t1r"] == 0.0 < m["disturbed_share_1s1r"] < m["disturbed_share_0t1r"]
    assert m["cycle1_error_pct_1t1r"] < min(5.0, m["cycle1_error_pct_1s1r"]) <= m["cycle1_error_pct_1s1r"] \
        < m["cycle1_error_pct_0t1r"]
    assert m["cycle1_error_pct_1t1r"] == m["tuning_error_pct_1t1r"]  # nothing disturbs a tuned 1T1R device
    assert (tmp_path / "array-cells" / "array_cells.png").is_file()


@pytest.mark.slow
def test_writeverify_fixes_a_nonlinear_device_and_chases_a_noisy_one_at_a_cost(tmp_path):
    m = _metrics(tmp_path, "writeverify-vs-blind")["metrics"]
    assert m["acc_float"] > 0.9
    # pcmo: steep nonlinear steps, little noise: verified updates land where blind pulses overshoot
    assert m["acc_writeverify_pcmo"] > m["acc_blind_pcmo"] + 0.01  # 1.7-3.1 points at seeds 0-2
    # taox-hfox: c2c noise of ~5 steps per pulse: chasing a target within half a step randomises the weights
    assert m["acc_writeverify"] < m["acc_blind"] - 0.05  # 12-14 points at seeds 0-2
    for suffix in ("", "_pcmo"):
        assert m[f"energy_writeverify{suffix}_j"] > m[f"energy_blind{suffix}_j"] > 0
        assert m[f"pulses_writeverify{suffix}"] > m[f"pulses_blind{suffix}"]
        assert m[f"verify_reads{suffix}"] >= m[f"pulses_writeverify{suffix}"]  # a read after every pulse
        assert m[f"write_time_writeverify{suffix}_s"] > m[f"write_time_blind{suffix}_s"]
    for figure in ("accuracy_vs_epoch.png", "accuracy_vs_energy.png"):
        assert (tmp_path / "writeverify-vs-blind" / figure).is_file()
