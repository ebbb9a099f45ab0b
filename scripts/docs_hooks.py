"""MkDocs hooks: the pages generated from the library itself, so the site cannot drift from the code.

At build time (``mkdocs build --strict``), from the registries:

- ``devices/<family>.md``: one page per device model family: the module's docstring (equations and
  sources) and class reference through mkdocstrings, then every preset of that family with its full
  reference and a figure of its LTP/LTD response simulated from the preset (``devices/presets/*.png``);
- ``experiments/<name>.md``: one page per experiment: what it reproduces, the paper's values with their
  figure and kind (:class:`memristive.experiments.base.Claim`), and our measured numbers as recorded in
  ``docs/reproductions.md`` (its five-seed table and the experiment's own section);
- ``api/<package>.md``: the API reference of each subpackage, one mkdocstrings block per module.

The navigation lists the generated pages under their sections.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import pkgutil
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from memristive.devices import PRESETS  # noqa: E402
from memristive.devices.references import REFERENCES  # noqa: E402
from memristive.experiments import EXPERIMENTS  # noqa: E402
from memristive.report import tolerance_text  # noqa: E402

FAMILIES = {
    "pulse_model": "Nonlinear pulse device (NeuroSim's model)",
    "lookup": "Lookup-table pulse device",
    "pcm": "Phase-change memory",
    "binary": "Binary stochastic device",
    "quantized": "Quantized-conductance device",
    "dual_mode": "Dual-mode (diffusive + nonvolatile) device",
    "threshold_model": "Threshold-switching device",
    "tunnel_junction": "Oxide tunnel junction synapse",
    "mott": "Mott memristor",
    "conduction": "Conduction laws (I-V)",
    "fitting": "Fitting pulse data",
    "curve_fits": "Fitting I-V, retention and decay",
}
"""``memristive.devices`` module -> page title, in the order of the navigation."""

VOLTAGE_DRIVES = {"ThresholdSwitchingDevice": (2.0, -2.0, 1e-3), "TunnelJunctionSynapse": (2.2, -2.5, 50e-9)}
"""Set / reset pulse (V, V, s) used to draw the response of the voltage-only families."""

PACKAGES = ("devices", "crossbar", "nn", "spiking", "algorithms", "data", "experiments")


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()


def preset_figure(name: str) -> bytes:
    """LTP then LTD of sampled devices of preset ``name`` (eight drawn thin) and their mean (thick), uS vs
    pulse: its full sweeps where it has them, else 20 pulses each way; for a Mott switch, its quasi-static I-V."""
    model, generator = PRESETS[name], torch.Generator().manual_seed(0)
    fig, ax = plt.subplots(figsize=(4.6, 3.0), layout="constrained")
    family = type(model).__name__
    if family == "MottMemristor":
        temperature = torch.linspace(model.ambient_k + 0.1, model.transition_k + 20 * model.transition_width_k, 2000,
                                     dtype=torch.float64)
        g = torch.as_tensor(model.conductance_at(temperature.numpy()))
        v = ((temperature - model.ambient_k) / (model.thermal_resistance * g)).sqrt()
        ax.plot(v, 1e3 * g * v, "k-")
        ax.set(xlabel="voltage (V)", ylabel="current (mA)", title=f"{name}: quasi-static I-V")
        return _png(fig)
    devices = 8
    if hasattr(model, "sweeps") and sum(model.sweep_pulses().values()) >= 10:
        runs = model.sweeps(devices, 1, generator)
        trace = torch.cat([runs[d][:, 0] for d in ("ltp", "ltd") if d in runs], dim=-1)
        title = " then ".join(d.upper() for d in ("ltp", "ltd") if d in runs)
    else:  # voltage-driven, or a binary device whose sweep is a pulse each way: 20 pulses each way
        devices = 64 if "pulse" in model.drives else devices
        state = model.sample((devices,), generator=generator, dtype=torch.float64)
        steps = [model.conductance(state)]
        for sign in [1.0] * 20 + [-1.0] * 20:
            if "pulse" in model.drives:
                state = model.pulse(state, torch.full((devices,), sign, dtype=torch.float64), generator=generator)
            else:
                v_up, v_down, width = VOLTAGE_DRIVES[family]
                state = model.apply_voltage(state, v_up if sign > 0 else v_down, width, generator=generator)
            steps.append(model.conductance(state))
        trace, title = torch.stack(steps, dim=-1), "20 LTP then 20 LTD pulses"
    ax.plot(1e6 * trace[:8].T, lw=0.5, alpha=0.5)
    ax.plot(1e6 * trace.mean(0), "k-", lw=1.5, label=f"mean of {devices} devices")
    ax.set(xlabel="pulse", ylabel="conductance (uS)")
    ax.set_title(f"{name}: {title}", fontsize=9)
    ax.legend(fontsize=7)
    return _png(fig)


def device_page(module: str, title: str) -> str:
    """The page of one family: mkdocstrings block, then its presets with references and figures."""
    presets = [name for name, model in PRESETS.items() if type(model).__module__ == f"memristive.devices.{module}"]
    lines = [f"# {title}", "", f"::: memristive.devices.{module}", "    options:", "      show_root_heading: false", ""]
    if presets:
        lines += ["## Presets", "", "Each figure is simulated from the preset (seed 0): sampled devices (eight "
                  "drawn thin) and their mean, LTP pulses from the bottom of the window then LTD pulses.", ""]
        for name in presets:
            model = PRESETS[name]
            summary = ", ".join(f"{k} {v:.3g}" for k, v in model.summary().items())
            lines += [f"### {name}", "", f"`{type(model).__name__}`: {summary}.", "", model.source, "",
                      f"![{name}](presets/{name}.png)", ""]
    return "\n".join(lines)


def _reproductions_text(docs_dir: Path) -> str:
    return (docs_dir / "reproductions.md").read_text()


def _five_seed_block(text: str, name: str) -> str:
    """The five-seed table(s) of ``name`` in docs/reproductions.md (``**name**`` line to the table's end)."""
    blocks = re.findall(rf"^\*\*{re.escape(name)}\*\*.*?\n\n(?:\|.*\n)+", text, flags=re.M)
    return "\n".join(blocks)


def _own_section(text: str, name: str) -> str:
    """The first ``##`` section of docs/reproductions.md whose heading names ``name``, headings demoted."""
    parts = re.split(r"^(?=## )", text, flags=re.M)
    for part in parts:
        heading = part.splitlines()[0] if part else ""
        if heading.startswith("## ") and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", heading):
            body = part.split("\n", 1)[1] if "\n" in part else ""
            return re.sub(r"^(#+) ", r"\1## ", body, flags=re.M)
    return ""


def experiment_page(name: str, reproductions: str) -> str:
    """What ``name`` reproduces, the paper's values (kind, figure, tolerance) and our measured numbers."""
    experiment = EXPERIMENTS[name]
    lines = [f"# {name}", "", experiment.summary + ".", "", f"**Reference**: {REFERENCES[experiment.reference]}.",
             "", "```text", f"memristive run {name} --quick      # minutes on 2 cores", f"memristive run {name} "
             "--seeds 0-4   # the full settings, five seeds", "```", ""]
    claims = experiment.paper(experiment.full)
    if claims:
        lines += ["## The paper's values", "", "| metric | kind | paper | tolerance | what it is |",
                  "| --- | --- | --- | --- | --- |"]
        for key, claim in claims.items():
            tolerance = tolerance_text(dataclasses.asdict(claim)) if claim.kind == "predicted" else ""
            detail = claim.detail.replace("|", "/") or "a prediction: an output the model was not fitted to"
            lines.append(f"| `{key}` | {claim.kind} | {claim.value:.4g} | {tolerance} | {detail} |")
        lines.append("")
    seeds = _five_seed_block(reproductions, name)
    if seeds:
        lines += ["## Ours over five seeds", "", seeds, ""]
    section = _own_section(reproductions, name)
    if section:
        lines += ["## Ours: the experiment's notes", "", section.strip(), ""]
    if not (seeds or section):
        lines += ["No measured numbers recorded yet in the reproductions page.", ""]
    return "\n".join(lines)


def api_page(package: str) -> str:
    """One mkdocstrings block per module of ``memristive.<package>``."""
    root = importlib.import_module(f"memristive.{package}")
    modules = [f"memristive.{package}"] + sorted(
        info.name for info in pkgutil.walk_packages(root.__path__, f"memristive.{package}.")
        if not info.name.rsplit(".", 1)[1].startswith("_"))
    lines = [f"# memristive.{package}", ""]
    if package == "devices":  # the families' modules are on their own pages
        lines += ["The model families and fits have their own pages: "
                  + ", ".join(f"[{title}](../devices/{m}.md)" for m, title in FAMILIES.items()) + ".", ""]
        modules = [m for m in modules if m.rsplit(".", 1)[1] not in FAMILIES]
    for module in modules:
        lines += [f"::: {module}", "    options:", "      show_submodules: false", "      heading_level: 2", ""]
    return "\n".join(lines)


ROLE = re.compile(r":(?:class|meth|func|mod|attr|data|exc|obj):<code>(~?)([\w.]+)</code>")
"""A Sphinx cross-reference role as mkdocstrings renders it (``:class:`` before the code span)."""


def on_page_content(html, page, config, files):
    """Render the docstrings' Sphinx roles as plain code (``~a.b.C`` as ``C``) and drop reST's ``::``."""
    html = ROLE.sub(lambda m: f"<code>{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}</code>", html)
    return re.sub(r"(\S)::(</p>)", r"\1:\2", html)


def on_config(config):
    """Add the generated pages to the navigation."""
    nav = []
    for entry in config["nav"]:
        (title, path), = entry.items()
        if path == "devices/index.md":
            entry = {title: [path] + [{FAMILIES[m]: f"devices/{m}.md"} for m in FAMILIES]}
        elif path == "experiments/index.md":
            entry = {title: [path] + [f"experiments/{name}.md" for name in EXPERIMENTS]}
        elif path == "api/index.md":
            entry = {title: [path] + [{f"memristive.{p}": f"api/{p}.md"} for p in PACKAGES]}
        nav.append(entry)
    config["nav"] = nav
    return config


def on_files(files, config):
    """Generate the device, preset-figure, experiment and API pages."""
    docs_dir = Path(config["docs_dir"])
    reproductions = _reproductions_text(docs_dir)
    generated = {f"devices/{m}.md": device_page(m, t) for m, t in FAMILIES.items()}
    generated.update({f"devices/presets/{name}.png": preset_figure(name) for name in PRESETS})
    generated.update({f"experiments/{name}.md": experiment_page(name, reproductions) for name in EXPERIMENTS})
    generated.update({f"api/{p}.md": api_page(p) for p in PACKAGES})
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files

