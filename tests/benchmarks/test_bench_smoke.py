"""`make bench` still works: its ~10 s smoke mode starts the real stack,
drives the REST webhook and writes a report with no errors."""

import re
import subprocess
import sys

from bot.paths import PROJECT_ROOT


def test_bench_smoke_run_writes_a_report(trained_model, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--smoke", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = (tmp_path / "bench.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| our pipeline \| (\d+) \| (\d+) \| ([\d.]+) \|.*\| (\d+) \|$", report, re.M)
    assert [int(r[0]) for r in rows] == [1, 2]
    assert all(int(messages) > 0 and float(rate) > 0 and int(errors) == 0 for _, messages, rate, errors in rows)
    assert "Rasa server start-up" in report
    workload = re.search(r"a fixed Python workload took (\d+) ms", report)
    assert workload and int(workload.group(1)) > 0
    profile = dict(re.findall(r"^\| ([^|]+) \| ([\d.]+) \|$", report, re.M))
    turn = float(profile["whole turn (handle_message)"])
    assert 0 < float(profile["load the conversation (tracker store)"]) < turn
    assert 0 < float(profile["&nbsp;&nbsp;NLU graph, all parses of the turn"]) < turn
    # `python -m bot ask` reached the running bot (no model loaded of its own).
    assert re.search(r"^Median [\d.]+ s over 1 questions", report, re.M)
