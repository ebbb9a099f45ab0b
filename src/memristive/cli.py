"""The ``memristive`` command: ``list``, ``run``, ``fit``, ``score``, ``report``.

Bad input (unknown names, bad values, missing data) prints one line,
``memristive: error: ...``, and exits with status 2.
"""

from __future__ import annotations

import sys
import textwrap

import click

from memristive.data import DATASETS
from memristive.devices import PRESETS
from memristive.errors import MemristiveError
from memristive.experiments import EXPERIMENTS, run_experiment
from memristive.experiments.runner import (
    MAX_SEED,
    MAX_SEEDS,
    check_all,
    parse_seeds,
    prepare,
    run_all,
    run_seeds,
    writable_folder,
)
from memristive.report import write_report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="memristive")
def cli() -> None:
    """Simulate memristive devices, crossbars and networks; reproduce published results."""


@cli.command("list")
def list_command() -> None:
    """List the experiments and the device presets with their key figures."""
    click.echo("experiments:")
    for name, experiment in EXPERIMENTS.items():
        click.echo(f"  {name:<18} {experiment.summary}")
    click.echo("\ndevice presets (every family; window in uS):")
    click.echo(f"  {'name':<22}{'model':<28}{'Gmin uS':>10}{'Gmax uS':>10}  other")
    for name, device in PRESETS.items():
        s = device.summary()
        other = "  ".join(f"{k} {v:.3g}" for k, v in s.items() if k not in ("g_min_uS", "g_max_uS"))
        click.echo(f"  {name:<22}{type(device).__name__:<28}{s['g_min_uS']:>10.3g}{s['g_max_uS']:>10.3g}  {other}")
        click.echo(textwrap.fill(device.source, width=110, initial_indent=" " * 6, subsequent_indent=" " * 6,
                                  break_on_hyphens=False))


def _parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise MemristiveError(f"--set {item!r}: expected KEY=VALUE")
        overrides[key.strip()] = value.strip()
    return overrides


@cli.command("run")
@click.argument("name")
@click.option("--quick", is_flag=True, help="Small sizes on the embedded data (minutes on 2 cores).")
@click.option("--out", default="results", show_default=True, type=click.Path(file_okay=False), help="Results folder.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0, max=MAX_SEED),
              help=f"Random seed (0 .. {MAX_SEED}).")
@click.option("--dataset", type=click.Choice(DATASETS), help="Dataset for experiments that take one.")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Folder with IDX files (mnist, fashion-mnist).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="Override a config value (repeatable).")
@click.option("--dry-run", is_flag=True, help="Check the settings and print the estimated memory and steps; run nothing.")
@click.option("--seeds", "seed_list", metavar="A-B|A,B,..", help="Run once per seed (e.g. 0-4); write mean, sd "
              "and per-seed values. Resumes: seeds already run with these settings are kept.")
@click.option("--repeats", type=click.IntRange(min=1, max=MAX_SEEDS),
              help="Run once per seed SEED .. SEED+N-1 (as --seeds).")
@click.option("--jobs", type=click.IntRange(min=1, max=256),
              help="Processes at once: experiments with 'all' [1], seeds with --seeds [one per seed, up to the cores].")
def run_command(name, quick, out, seed, dataset, data_dir, sets, dry_run, seed_list, repeats, jobs) -> None:
    """Run experiment NAME (or 'all'), writing OUT/NAME/result.json and figures.

    With --seeds or --repeats: OUT/NAME/seeds/seed-K/ per seed and OUT/NAME/result.json with the mean, the
    standard deviation and the per-seed values of every metric.
    """
    overrides = _parse_sets(sets)
    if seed_list is not None and repeats is not None:
        raise MemristiveError("give --seeds or --repeats, not both")
    seeds = parse_seeds(seed_list) if seed_list is not None else (
        list(range(seed, seed + repeats)) if repeats is not None else None)
    if seeds is not None and seeds[-1] > MAX_SEED:
        raise MemristiveError(f"--repeats {repeats} from --seed {seed} passes the largest seed {MAX_SEED}")
    if name == "all" and (overrides or seeds):
        raise MemristiveError(f"{'--set' if overrides else '--seeds / --repeats'} applies to one experiment, not to 'all'")
    if name != "all" and seeds is None and (jobs or 1) > 1:
        raise MemristiveError("--jobs applies to 'all' or --seeds (one run is one process)")
    if dry_run:
        options = {"seed": seed, "quick": quick, "dataset": dataset, "data_dir": data_dir}
        costs = check_all(**options) if name == "all" else {name: prepare(name, **options, overrides=overrides)[-1]}
        each_seed = f" per seed, {len(seeds)} seeds" if seeds else ""
        for each, cost in costs.items():
            click.echo(f"{each}: settings valid; estimated {cost}{each_seed}")
        return
    if name == "all":
        run_all(out, seed=seed, quick=quick, dataset=dataset, data_dir=data_dir, jobs=jobs or 1,
                done=lambda each, path: click.echo(f"{each}: {path}"))
        click.echo(f"report: {write_report(out)}")
        return
    if seeds is not None:
        click.echo(run_seeds(name, seeds, out, quick=quick, dataset=dataset, data_dir=data_dir, overrides=overrides,
                             jobs=jobs, done=lambda each, path: click.echo(f"seed {each}: {path}")))
        return
    click.echo(run_experiment(name, out, seed=seed, quick=quick, dataset=dataset, data_dir=data_dir, overrides=overrides))


FIT_MODELS = {"pulse": ("nonlinear", "lookup", "quantized"), "iv": ("sinh", "ohmic", "junction"),
              "retention": ("drift", "arrhenius"), "decay": ("exponential",)}
"""Each measurement kind ``memristive fit`` takes and its models, the default first."""


@cli.command("fit")
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(list(FIT_MODELS)), default="pulse", show_default=True,
              help="What the CSV measures: pulse trains, I-V sweeps, retention, or short-term decay after a pulse.")
@click.option("--model", type=click.Choice([m for models in FIT_MODELS.values() for m in models]),
              help="Model to fit: pulse nonlinear|lookup|quantized, iv sinh|ohmic|junction, retention "
                   "drift|arrhenius, decay exponential [the kind's first].")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Preset file to write [CSV stem + .toml].")
@click.option("--name", default=None, help="Preset name [CSV stem].")
@click.option("--force", is_flag=True, help="Overwrite an existing preset file (never the input).")
@click.option("--into", "into", metavar="PRESET", help="Write a decay or drift fit into this preset (a name or a "
              ".toml): its leakage (decay, a nonlinear pulse preset) or drift (a PCM preset); the file is then a "
              "device preset.")
def fit_command(csv_path, kind, model, out_path, name, force, into) -> None:
    """Fit a model to a measurement CSV; write a TOML preset (or, for I-V, retention and decay, a law file)
    and a figure of the data against the fit.

    \b
    --kind pulse: device (optional), cycle, direction (ltp/ltd), pulse, conductance_s
    --kind iv: voltage_v, current_a (device optional)
    --kind retention: time_s, conductance_s, temperature_k (optional; arrhenius needs two or more), device
    --kind decay: time_s (from the end of the pulse), conductance_s, device (optional)

    A pulse preset loads wherever a preset name is accepted, e.g. --set preset=PATH.toml. Printed and written
    to the file: each parameter's 95 % interval and the fit's quality. Pulse fits compare the model's mean
    curve with the data's (poor above 3 times the noise of the data's mean); I-V, retention and decay fits
    test their residuals for structure (poor when their lag-1 correlation exceeds 3 standard errors). A poor
    fit warns on one line, exit 0.
    """
    from pathlib import Path

    model = model or FIT_MODELS[kind][0]
    if into and kind == "pulse":
        raise MemristiveError("--into takes a decay or retention fit; a pulse fit writes a preset of its own")
    if model not in FIT_MODELS[kind]:
        raise MemristiveError(f"--model {model} is not a {kind} model; {kind} models: {', '.join(FIT_MODELS[kind])}")
    source = Path(csv_path)
    target = Path(out_path) if out_path else source.with_suffix(".toml")
    for product in (target, target.with_suffix(".png")):
        if product.resolve() == source.resolve():
            raise MemristiveError(f"{product}: the fit would overwrite its input; choose another --out")
    if target.suffix != ".toml":
        raise MemristiveError(f"--out {target}: a preset file ends in .toml (its figure goes beside it as .png)")
    if target.exists() and not force:
        raise MemristiveError(f"{target} exists; pass --force to overwrite it")
    writable_folder(target.parent)
    if kind == "pulse":
        _fit_pulses(source, kind, model, target, name or source.stem)
    else:
        _fit_curve(source, kind, model, target, name or source.stem, into)
    click.echo(f"{'law' if kind != 'pulse' and not into else 'preset'}: {target}\nfigure: {target.with_suffix('.png')}")


def _fit_pulses(source, kind, model, target, name) -> None:
    """``memristive fit --kind pulse``: fit, preset, figure of reads against the model's mean sweeps."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    from memristive.devices.fit_quality import POOR_FIT_FACTOR, fit_quality
    from memristive.devices.fitting import FITTERS, mean_runs, measured_runs, read_pulse_csv, write_preset

    data = read_pulse_csv(source)
    device, intervals = FITTERS[model](data, name=name)
    quality = fit_quality(device, data)
    numbers = {"verdict": quality.verdict, "misfit_rms": quality.misfit_rms, "misfit_max": quality.misfit_max,
               "spread": quality.spread, "noise": quality.noise, "poor_fit_factor": POOR_FIT_FACTOR}
    write_preset(device, target, intervals, numbers)
    seen, fitted = measured_runs(data), mean_runs(device, generator=torch.Generator().manual_seed(0))
    fig, axes = plt.subplots(1, len(seen), figsize=(5 * len(seen), 3.8), layout="constrained", squeeze=False)
    for ax, (direction, (pulse, g)) in zip(axes[0], seen.items()):
        ax.plot(pulse, g * 1e6, ".", ms=2, alpha=0.3, label="measured reads")
        if direction in fitted:
            ax.plot(np.arange(fitted[direction].numel()), fitted[direction] * 1e6, "k-", label="fitted model, mean")
        ax.set(xlabel="pulse", ylabel="conductance (uS)", title=direction.upper())
        ax.legend(fontsize=8)
    fig.suptitle(f"{device.name} ({model}): " + ", ".join(f"{k} {v:.3g}" for k, v in device.summary().items()))
    fig.savefig(target.with_suffix(".png"), dpi=120)
    plt.close(fig)
    for key, value in device.summary().items():
        click.echo(f"{key:>11}: {value:.4g}")
    click.echo("95 % intervals:")
    for key, (low, high) in intervals.items():
        click.echo(f"{key:>11}: {getattr(device, key):.4g} in {low:.4g} .. {high:.4g}")
    click.echo(f"{'fit':>11}: {quality.verdict}: {quality.describe()}")
    if quality.verdict == "poor":
        other = "; try --model lookup, which tabulates the measured mean curve" if model != "lookup" else ""
        click.echo(f"memristive: warning: poor fit: the {model} model's mean curve misses the data's by "
                   f"{100 * quality.misfit_rms:.2g} % rms of the range, over {POOR_FIT_FACTOR:g} times the noise of "
                   f"the data's mean ({100 * quality.noise:.2g} %){other}", err=True)


def _fit_curve(source, kind, model, target, name, into) -> None:
    """``memristive fit --kind iv|retention|decay``: fit the law, write its file (or, ``into`` a preset, that
    preset with the fitted parameters), draw data against fit."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from memristive.devices import get_preset
    from memristive.devices.curve_fits import (fit_decay, fit_iv, fit_retention, into_preset, read_curve_csv,
                                               write_law)
    from memristive.devices.fitting import write_preset

    base = get_preset(into) if into else None
    curve = read_curve_csv(source, kind)
    fit = {"iv": fit_iv, "retention": fit_retention, "decay": lambda c, m: fit_decay(c)}[kind](curve, model)
    if base is None:
        write_law(fit, target, name, f"fitted to {fit.quality['points']} reads of {source.name}")
    else:
        device, intervals = into_preset(fit, base, name)
        write_preset(device, target, intervals, fit.quality)
        click.echo(f"into {base.name}: " + ", ".join(f"{key} {getattr(device, key):.4g}" for key in intervals))
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    groups = sorted({(int(d), float(t)) for d, t in zip(curve.device, np.nan_to_num(curve.temperature_k))})
    for index, (device, temperature) in enumerate(groups):
        mask = (curve.device == device) & (np.nan_to_num(curve.temperature_k) == temperature)
        if kind == "iv":  # the reads the fit left out have no place on a log axis
            mask &= (curve.x != 0) & (np.sign(curve.x) == np.sign(curve.y))
        x = curve.x[mask]
        fine = np.linspace(x.min(), x.max(), 400) if kind == "iv" else np.geomspace(max(x.min(), x[x > 0].min()),
                                                                                     x.max(), 400)
        model_y = fit.predict(fine, np.full(fine.size, device), np.full(fine.size, temperature or np.nan))
        label = f"device {device}" + (f", {temperature:g} K" if temperature else "")
        line, = ax.plot(x, np.abs(curve.y[mask]) if kind == "iv" else curve.y[mask] * 1e6, ".", ms=3, label=label)
        ax.plot(fine, np.abs(model_y) if kind == "iv" else model_y * 1e6, "-", color=line.get_color(), lw=1,
                label="fit" if index == 0 else None)
    if kind == "iv":
        ax.set(xlabel="voltage (V)", ylabel="|current| (A)", yscale="log")
    else:
        ax.set(xlabel="time (s)", ylabel="conductance (uS)", xscale="log")
    ax.legend(fontsize=7, ncol=2)
    ax.set_title(textwrap.fill(f"{name} ({kind}, {model}): " + ", ".join(f"{k} {v:.3g}" for k, v in
                                                                         fit.params.items()), 70), fontsize=8)
    fig.savefig(target.with_suffix(".png"), dpi=120)
    plt.close(fig)
    click.echo(f"{kind} {model} fit:")
    for key, value in fit.params.items():
        interval = fit.intervals.get(key)
        click.echo(f"{key:>20}: {value:.4g}" + (f"  95 % interval {interval[0]:.4g} .. {interval[1]:.4g}" if interval
                                                 else ""))
    quality = fit.quality
    rms = (f"rms {100 * quality['rms_relative']:.2g} % (relative)" if "rms_relative" in quality
           else f"rms {quality['rms_s']:.3g} S")
    click.echo(f"{'fit':>20}: {quality['verdict']}: {rms}; residuals' lag-1 correlation {quality['residual_lag1']:.2f} "
               f"(z {quality['residual_lag1_z']:.1f}, poor above {quality['structure_limit']:g})"
               + (f"; {fit.left_out} read(s) at 0 V, 0 A or against the voltage left out" if fit.left_out else ""))
    if quality["verdict"] == "poor":
        others = [m for m in FIT_MODELS[kind] if m != model]
        hint = f"; try --model {' or '.join(others)}" if others else ""
        click.echo(f"memristive: warning: poor fit: the residuals of the {model} law run in streaks (lag-1 z "
                   f"{quality['residual_lag1_z']:.1f} > {quality['structure_limit']:g}): the law has the wrong shape "
                   f"for these data{hint}", err=True)


@cli.command("score")
@click.argument("preset")
@click.option("--devices", default=64, show_default=True, type=click.IntRange(min=2, max=100_000),
              help="Devices simulated per measurement.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0, max=MAX_SEED),
              help=f"Random seed (0 .. {MAX_SEED}).")
def score_command(preset, devices, seed) -> None:
    """Measure PRESET (a name or a .toml preset file) against the review's desired synapse metrics (seed 002,
    Table 1): dynamic range, levels, nonlinearity, energy per pulse, endurance, retention; pass / fail / unproven /
    not modelled, and how each value was measured."""
    import torch

    from memristive.devices import get_preset
    from memristive.devices.scorecard import score

    model = get_preset(preset)
    rows = score(model, devices=devices, generator=torch.Generator().manual_seed(seed))
    click.echo(f"{model.name} ({type(model).__name__}), {devices} devices, seed {seed}")
    click.echo(f"  {'metric':<18}{'target':<12}{'measured':>12}  {'verdict':<13}how")
    for row in rows:
        click.echo(f"  {row.metric:<18}{row.target:<12}{row.value:>12.4g}  {row.verdict:<13}{row.how}")
    passed = sum(row.verdict == "pass" for row in rows)
    click.echo(f"passes {passed} of {len(rows)}")


@cli.command("report")
@click.argument("results_dir", type=click.Path(file_okay=False))
@click.option("--redraw", is_flag=True, help="Draw every figure again from the runs' data.npz (no simulation).")
def report_command(results_dir, redraw) -> None:
    """Write RESULTS_DIR/index.html from the results in it."""
    click.echo(write_report(results_dir, redraw=redraw))


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the CLI, turning bad input into one line and exit status 2."""
    try:
        cli.main(args=argv, prog_name="memristive", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help())
        sys.exit(2)
    except click.exceptions.UsageError as exc:
        click.echo(f"memristive: error: {exc.format_message()}", err=True)
        sys.exit(2)
    except MemristiveError as exc:
        click.echo(f"memristive: error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("memristive: aborted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
