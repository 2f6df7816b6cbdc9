"""--write-baseline / --baseline: keyed on rule, path, function and line text, counted as a multiset."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad"
STALE = "// klplint: ignore[KLP204]\n"


def klplint(*args, cwd):
    return subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "src").mkdir()
    shutil.copy(BAD / "klp101_funcs_without_terminator.c", tmp_path / "src" / "a.c")
    shutil.copy(BAD / "klp107_named_vmlinux.c", tmp_path / "src" / "b.c")
    (tmp_path / "ci").mkdir()
    return tmp_path


def test_write_then_check(repo):
    r = klplint("--write-baseline", "ci/klplint-baseline.json", "src", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert "wrote 2 findings to baseline ci/klplint-baseline.json" in r.stderr
    assert r.stdout == ""
    doc = json.loads((repo / "ci" / "klplint-baseline.json").read_text())
    assert doc["format"] == "klplint-baseline" and doc["version"] == 1
    entries = sorted((e["rule"], e["path"], e["function"]) for e in doc["findings"])
    assert entries == [("KLP101", "../src/a.c", "proc_funcs"), ("KLP107", "../src/b.c", "objs")]
    assert all("line" not in e for e in doc["findings"])

    r = klplint("--baseline", "ci/klplint-baseline.json", "src", cwd=repo)
    assert (r.returncode, r.stdout) == (0, ""), r.stdout + r.stderr
    # from another working directory, and in every format
    for fmt in ("text", "json", "sarif", "github"):
        r = klplint("--format", fmt, "--baseline", "../ci/klplint-baseline.json", ".", cwd=repo / "src")
        assert r.returncode == 0, (fmt, r.stdout, r.stderr)


def test_unrelated_edit_keeps_the_baseline_and_new_findings_fail(repo):
    assert klplint("--write-baseline", "base.json", "src", cwd=repo).returncode == 0
    a = repo / "src" / "a.c"
    a.write_text("/* a new header comment\n * pushing every line down\n */\n" + a.read_text())
    assert klplint("--baseline", "base.json", "src", cwd=repo).returncode == 0
    # a new finding elsewhere still fails, and only it is reported
    a.write_text(a.read_text().replace('MODULE_LICENSE("GPL");', 'MODULE_LICENSE("Proprietary");'))
    r = klplint("--baseline", "base.json", "src", cwd=repo)
    assert r.returncode == 1
    assert re.findall(r"\[(KLP\d+)\]", r.stdout) == ["KLP113"]
    assert r.stdout.startswith("src/a.c:")


def test_multiset_a_second_identical_instance_still_fails(repo):
    a = repo / "src" / "a.c"
    a.write_text(a.read_text() + STALE)
    assert klplint("--write-baseline", "base.json", "src/a.c", cwd=repo).returncode == 0
    assert klplint("--baseline", "base.json", "src/a.c", cwd=repo).returncode == 0
    a.write_text(a.read_text() + "\n" + STALE)          # the same stale suppression again
    r = klplint("--baseline", "base.json", "src/a.c", cwd=repo)
    assert r.returncode == 1
    assert re.findall(r"\[(KLP\d+)\]", r.stdout) == ["KLP119"]


def test_missing_or_corrupt_baseline_is_exit_2(repo):
    r = klplint("--baseline", "nope.json", "src", cwd=repo)
    assert r.returncode == 2
    assert r.stderr.strip() == ("klplint: error: baseline nope.json: no such file "
                                "(create it with --write-baseline nope.json)")
    (repo / "bad.json").write_text("{not json")
    r = klplint("--baseline", "bad.json", "src", cwd=repo)
    assert r.returncode == 2 and "baseline bad.json: not valid JSON" in r.stderr
    (repo / "bad.json").write_text('{"format": "klplint-baseline", "version": 1, "findings": [{"rule": 1}]}')
    r = klplint("--baseline", "bad.json", "src", cwd=repo)
    assert r.returncode == 2 and "entry 0 needs" in r.stderr
    (repo / "bad.json").write_text("[]")
    r = klplint("--baseline", "bad.json", "src", cwd=repo)
    assert r.returncode == 2 and "not a klplint baseline" in r.stderr
    r = klplint("--baseline", "bad.json", "--write-baseline", "x.json", "src", cwd=repo)
    assert r.returncode == 2 and "cannot be used together" in r.stderr
