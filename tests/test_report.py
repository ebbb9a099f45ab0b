"""The report's summary: paper values counted by what they are, only judged predictions shaded."""

import json
import re
import shutil
import subprocess

import pytest

from memristive.experiments import run_experiment
from memristive.experiments.base import calibrated, echoed, predicted
from memristive.experiments.runner import claim_record
from memristive.report import SUMMARY_FILE, write_report


def _write(root, name, quick, claims, metrics, dataset=None):
    folder = root / name
    folder.mkdir()
    record = {"experiment": name, "reference": "", "version": "0", "seed": 0, "quick": quick, "config": {},
              "metrics": metrics, "paper": {key: claims[key].value if key in claims else None for key in metrics},
              "claims": {key: claim_record(claim, metrics[key], dataset) for key, claim in claims.items()},
              "seconds": 1.0, "figures": []}
    (folder / "result.json").write_text(json.dumps(record))


def test_summary_counts_predictions_by_agreement_and_leaves_calibrations_unjudged(tmp_path):
    _write(tmp_path, "a", False, {"x": predicted(2.0), "y": predicted(2.0), "z": calibrated(5.0, "g_max")},
           {"x": 2.1, "y": 3.0, "z": 9.0, "extra": 1.0})
    _write(tmp_path, "b", True, {"acc": predicted(0.9, 0.01, absolute=True, datasets=("mnist",)),
                                 "n": echoed(3, "cycles")}, {"acc": 0.5, "n": 3.0}, dataset="digits")
    page = write_report(tmp_path).read_text()
    summary = json.loads((tmp_path / SUMMARY_FILE).read_text())
    a, b = summary["experiments"]["a"], summary["experiments"]["b"]
    assert (a["within"], a["outside"], a["not_judged"], a["calibrated"], a["input"]) == (1, 1, 0, 1, 0)
    assert a["tolerances"] == ["\u00b1 10 %"]
    assert (b["within"], b["outside"], b["not_judged"], b["calibrated"], b["input"]) == (0, 0, 1, 0, 1)
    assert summary["total"] == {"within": 1, "outside": 1, "not_judged": 1, "calibrated": 1, "input": 1}
    # the calibration read back 80 % off is not shaded; the prediction outside is; b's accuracy is not judged
    assert "<tr class=ok><td>x</td>" in page and "<tr class=off><td>y</td>" in page
    assert "<tr><td>z</td><td>calibrated</td>" in page and "<tr><td>acc</td><td>predicted</td>" in page
    assert "not judged (quick run;" in page and page.index("Paper values by what they are") < page.index("id='a'")


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


def _rendered(page) -> str:
    """The page's DOM after a headless Chromium has loaded it and its images."""
    done = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(BROWSER is None, reason="needs headless Chromium (Debian package chromium)")
def test_report_renders_in_a_browser_and_its_figures_load(tmp_path):
    """A real run's report in headless Chromium: every figure loads and links to itself full size; a corrupt
    figure is marked missing, a deleted one named as missing."""
    run_experiment("device-ltp-ltd", tmp_path, quick=True)
    figures = json.loads((tmp_path / "device-ltp-ltd" / "result.json").read_text())["figures"]
    assert figures
    dom = _rendered(write_report(tmp_path))
    images = re.findall(r"<img [^>]*>", dom)
    assert len(images) == len(figures) and all('data-loaded="1"' in image for image in images), images
    assert all(f'href="device-ltp-ltd/{name}"' in dom for name in figures)
    summary = dom[dom.index("Paper values by what they are"):dom.index("id=\"device-ltp-ltd\"")]
    assert "LTP/LTD pulse-response cycles" in summary  # what the experiment reproduces, in the summary table
    (tmp_path / "device-ltp-ltd" / figures[0]).write_bytes(b"not a png")
    images = re.findall(r"<img [^>]*>", _rendered(write_report(tmp_path)))
    assert 'data-missing="1"' in images[0] and 'data-loaded' not in images[0]
    (tmp_path / "device-ltp-ltd" / figures[0]).unlink()
    assert f"figure missing: device-ltp-ltd/{figures[0]}" in write_report(tmp_path).read_text()
