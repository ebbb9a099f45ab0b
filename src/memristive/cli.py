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


@cli.command("fit")
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False))
@click.option("--model", type=click.Choice(["nonlinear", "lookup", "quantized"]), default="nonlinear",
              show_default=True, help="Device model to fit (quantized: fitted on ltd reset sweeps).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Preset file to write [CSV stem + .toml].")
@click.option("--name", default=None, help="Preset name [CSV stem].")
@click.option("--force", is_flag=True, help="Overwrite an existing preset file (never the input).")
def fit_command(csv_path, model, out_path, name, force) -> None:
    """Fit a device model to measured conductance-vs-pulse data (CSV); write a TOML preset and a figure.

    CSV columns: device (optional), cycle, direction (ltp/ltd), pulse, conductance_s.
    The preset loads wherever a preset name is accepted, e.g. --set preset=PATH.toml.
    The figure shows the measured reads and the mean of the fitted model's sweeps. Printed and written to the
    preset: each parameter's 95 % interval, the misfit of the model's mean curve against the data's (rms and
    max, % of the range) and a verdict, fit_quality = "poor" (with a warning, exit 0) when the misfit exceeds
    3 times the noise of the data's mean curve.
    """
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    from memristive.devices.fit_quality import POOR_FIT_FACTOR, fit_quality
    from memristive.devices.fitting import FITTERS, mean_runs, measured_runs, read_pulse_csv, write_preset

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
    data = read_pulse_csv(source)
    device, intervals = FITTERS[model](data, name=name or source.stem)
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
    click.echo(f"preset: {target}\nfigure: {target.with_suffix('.png')}")


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
