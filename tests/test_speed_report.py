"""The speed table: a pytest-benchmark JSON in the results folder is rendered by ``memristive report``."""

import json

import pytest


def _bench(case, minimum, mean=None, **info):
    return {"name": case, "stats": {"min": minimum, "mean": mean or minimum},
            "extra_info": {"case": case, "title": f"what {case} is", **info}}


def _write(folder, benchmarks):
    data = {"machine_info": {"cpu": {"brand_raw": "Test CPU", "count": 2}}, "datetime": "2026-12-04T01:00:00",
            "commit_info": {"id": "abcdef1234567"}, "benchmarks": benchmarks}
    (folder / "benchmarks.json").write_text(json.dumps(data))


def _rows(page):
    return {row.split("<td>")[1].split("</td>")[0]: row for row in page.split("<tr")[1:] if "<td>" in row}


def test_speed_table_states_bounds_ratios_and_misses(tmp_path, cli):
    _write(tmp_path, [
        _bench("fast", 0.4e-3, bound_s=0.5e-3, peer="Peer 1.0", peer_s=0.52e-3, source="a table"),
        _bench("slow", 0.6e-3, bound_s=0.5e-3),
        _bench("torch", 1.0),
        _bench("ours", 1.8, bound_ratio=1.5, baseline="torch", peer="Other 2.1", peer_s=18.6, source="b table"),
        _bench("vs-peer", 0.5, bound_ratio=2.0, peer="Brian2 2.9.0", peer_s=0.33),
        {"name": "untagged", "stats": {"min": 1.0, "mean": 1.0}, "extra_info": {}},
    ])
    code, err = cli("report", str(tmp_path))
    assert code == 0, err
    page = (tmp_path / "index.html").read_text()
    rows = _rows(page)
    assert "untagged" not in page and "Test CPU, 2 cores" in page and "commit abcdef1234" in page
    assert "a table; b table" in page
    assert "0.4 ms (0.4 ms)" in rows["fast"] and "0.77x" in rows["fast"] and rows["fast"].endswith("<td>met</td></tr>")
    assert "missed" in rows["slow"] and "class=off" in rows["slow"]
    assert "1.80x" in rows["ours"] and "missed" in rows["ours"]  # 1.8 s over torch's 1.0 s, bound 1.5x
    assert "1.52x" in rows["vs-peer"] and "met" in rows["vs-peer"]  # no baseline: over the peer's 0.33 s
    assert "&ndash;" in rows["torch"].split("</td>")[-2]  # no bound: no status


@pytest.mark.parametrize("content", ['{"benchmarks": 3}', '{"benchmarks": [{"extra_info": {"case": "x"}}]}', "[]",
                                     "not json"])
def test_a_broken_benchmarks_file_is_one_line(tmp_path, cli, content):
    (tmp_path / "benchmarks.json").write_text(content)
    code, err = cli("report", str(tmp_path))
    assert code == 2 and "not a pytest-benchmark JSON" in err and len(err.strip().splitlines()) == 1
