"""The documentation: the site builds strictly, every code block in it runs, every public class shows an example."""

import doctest
import importlib
import inspect
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import memristive

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BLOCK = re.compile(r"^```(python|bash)\n(.*?)^```", flags=re.S | re.M)
"""A runnable block; blocks fenced ``text`` are shown, not run (commands of hours, installation steps)."""
PAGES = sorted(page for page in DOCS.rglob("*.md") if BLOCK.search(page.read_text()))
MODULES = sorted(info.name for info in pkgutil.walk_packages(memristive.__path__, "memristive."))
PACKAGES = ("devices", "crossbar", "nn", "spiking", "data", "experiments")


def _mkdocs() -> str:
    found = shutil.which("mkdocs", path=os.path.dirname(sys.executable)) or shutil.which("mkdocs")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mkdocs is not installed: CI installs the docs extra (README's test command)")
        pytest.skip("mkdocs not installed (pip install '.[docs]')")
    return found


@pytest.mark.slow
def test_the_site_builds_strictly(tmp_path):
    """``mkdocs build --strict``: any warning (a broken link, a docstring griffe cannot parse, a page generated
    twice) fails the build; the generated pages are there."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([_mkdocs(), "build", "--strict", "-q", "-d", str(tmp_path / "site")], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    site = tmp_path / "site"
    from memristive.devices import PRESETS
    from memristive.experiments import EXPERIMENTS

    assert all((site / "experiments" / name / "index.html").is_file() for name in EXPERIMENTS)
    assert all((site / "devices" / "presets" / f"{name}.png").stat().st_size > 5_000 for name in PRESETS)
    assert "CrossbarArray" in (site / "api" / "crossbar" / "index.html").read_text()
    assert "::: memristive" not in (site / "devices" / "pulse_model" / "index.html").read_text()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(DOCS)))
def test_every_code_block_of_the_page_runs(page, tmp_path, monkeypatch):
    """A page's python and bash blocks run in order in one folder, python blocks sharing their names."""
    monkeypatch.chdir(tmp_path)
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
           "MPLBACKEND": "Agg"}
    namespace: dict = {}
    for language, code in BLOCK.findall(page.read_text()):
        if language == "python":
            exec(compile(code, str(page), "exec"), namespace)
        else:
            done = subprocess.run(["bash", "-euo", "pipefail", "-c", code], env=env, capture_output=True, text=True)
            assert done.returncode == 0, f"{page.name}: {code}\n{done.stderr[-2000:]}"


def _doctests(module: str) -> list[doctest.DocTest]:
    return [test for test in doctest.DocTestFinder().find(importlib.import_module(module)) if test.examples]


@pytest.mark.parametrize("module", [m for m in MODULES if _doctests(m)])
def test_docstring_examples_run(module, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in _doctests(module):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} of {runner.tries} examples of {module} failed"



def test_every_public_class_has_an_example():
    """Each public class of every module has an ``Examples`` section the doctests run; the experiments' own
    settings classes (``Config`` and the like, one per experiment module) are documented by their experiment
    pages instead, and only ``memristive.experiments.base`` (claims, costs, the registry entry) is held to it."""
    missing = []
    for module_name in MODULES:
        if module_name.startswith("memristive.experiments.") and module_name != "memristive.experiments.base":
            continue
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and obj.__module__ == module_name and not name.startswith("_")
                    and ">>>" not in (obj.__doc__ or "")):
                missing.append(f"{module_name}.{name}")
    assert not missing, f"{len(missing)} public classes without an example: {', '.join(missing)}"
