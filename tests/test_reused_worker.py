"""Over a run of files, one forked child analyses them in turn (isolate.reusing_worker), and it changes
nothing but the number of forks: the same results as a child per file, a crash or a deadline still
costs only its own file, and no file is blamed for a child that earlier files used."""
from __future__ import annotations

import ctypes
import os
import time
from pathlib import Path

import pytest

from klplint import frontend
from klplint.config.settings import Config
from klplint.pipeline import isolate
from klplint.pipeline.analyze_file import analyze_file_safely
from klplint.pipeline.analyze_paths import analyze_paths

ROOT = Path(__file__).resolve().parent.parent
BAD = sorted((ROOT / "corpus" / "structure" / "bad").glob("*.c"))[:6]


def _summary(r):
    return (os.path.basename(r.path), [(f.rule, f.message) for f in r.findings], [e.reason for e in r.errors])


def _tree(tmp_path, names):
    for i, name in enumerate(names):
        (tmp_path / name).write_text(BAD[i % len(BAD)].read_text())
    return [str(tmp_path / n) for n in names]


def test_a_run_of_files_forks_once_and_gets_what_a_child_per_file_gets(tmp_path):
    files = _tree(tmp_path, [f"f{i}.c" for i in range(6)])
    one_each = [_summary(analyze_file_safely(f, Config())) for f in files]
    before = isolate.forks
    with isolate.reusing_worker():
        reused = [_summary(analyze_file_safely(f, Config())) for f in files]
    assert isolate.forks - before == 1
    assert reused == one_each and any(s[1] for s in reused)
    # analyze_paths (what `klplint check` runs) takes the same road
    before = isolate.forks
    results, _ = analyze_paths([str(tmp_path)], Config())
    assert isolate.forks - before == 1 and sorted(map(_summary, results)) == sorted(one_each)


def _crash_on(monkeypatch, marker: str):
    real = frontend.parse

    def parse(path, config, text=None):
        if marker in os.path.basename(path):
            ctypes.string_at(0)             # a native crash, whatever libclang is installed
        return real(path, config, text)
    monkeypatch.setattr(frontend, "parse", parse)
    monkeypatch.setattr("klplint.pipeline.analyze_file.parse", parse)


def test_a_native_crash_costs_its_own_file_only(tmp_path, monkeypatch):
    files = _tree(tmp_path, ["a.c", "b.c", "dies.c", "c.c", "d.c"])
    _crash_on(monkeypatch, "dies")
    with isolate.reusing_worker():
        got = {os.path.basename(f): analyze_file_safely(f, Config()) for f in files}
    dead = got.pop("dies.c")
    assert [e.reason.split(" (")[0] for e in dead.errors] == ["the parser crashed"] and not dead.findings
    for name, r in got.items():
        assert not r.errors and r.findings, name


def test_a_file_is_judged_in_a_child_of_its_own_when_a_used_child_dies(tmp_path, monkeypatch):
    """The child dies on the third file, having analysed two: the third is analysed again in a fresh
    child before anything is said about it (here it crashes there too, so that is its result)."""
    files = _tree(tmp_path, ["a.c", "b.c", "dies.c"])
    _crash_on(monkeypatch, "dies")
    before = isolate.forks
    with isolate.reusing_worker():
        results = [analyze_file_safely(f, Config()) for f in files]
    assert isolate.forks - before == 2          # the reused child, then the culprit's own
    assert results[2].errors and not results[0].errors and not results[1].errors


def test_a_deadline_is_the_files_own_and_the_next_file_is_analysed(tmp_path, monkeypatch):
    files = _tree(tmp_path, ["a.c", "slow.c", "b.c"])
    real = frontend.parse

    def parse(path, config, text=None):
        if "slow" in path:
            time.sleep(60)
        return real(path, config, text)
    monkeypatch.setattr(frontend, "parse", parse)
    monkeypatch.setattr("klplint.pipeline.analyze_file.parse", parse)
    monkeypatch.setenv("KLPLINT_FILE_TIMEOUT", "3")
    with isolate.reusing_worker():
        results = [analyze_file_safely(f, Config()) for f in files]
    assert [e.reason.split(" s ")[0] for e in results[1].errors] == ["analysis did not finish within 3"]
    assert not results[0].errors and not results[2].errors and results[2].findings


def test_the_child_is_replaced_when_the_environment_changes(tmp_path, monkeypatch):
    files = _tree(tmp_path, ["a.c", "b.c", "c.c"])
    before = isolate.forks
    with isolate.reusing_worker():
        analyze_file_safely(files[0], Config())
        analyze_file_safely(files[1], Config())
        monkeypatch.setenv("KLPLINT_NO_PCH", "1")       # a child forked before would not see it
        analyze_file_safely(files[2], Config())
    assert isolate.forks - before == 2


def test_strict_mode_errors_still_reach_the_caller(tmp_path, monkeypatch):
    files = _tree(tmp_path, ["a.c", "boom.c"])
    real = frontend.parse

    def parse(path, config, text=None):
        if "boom" in path:
            raise ValueError("an unhandled construct")
        return real(path, config, text)
    monkeypatch.setattr(frontend, "parse", parse)
    monkeypatch.setattr("klplint.pipeline.analyze_file.parse", parse)
    with isolate.reusing_worker():
        analyze_file_safely(files[0], Config())
        with pytest.raises(ValueError, match="unhandled construct"):
            analyze_file_safely(files[1], Config())
