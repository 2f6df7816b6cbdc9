"""scripts/new_rule.py, run in a throwaway copy of the repository: the rule it declares imports and
registers with its fields, its corpus twins parse, the good twin is clean and the bad one expects
the rule, the rule pages regenerate; bad arguments write nothing and say why in one line."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_expect import expectations

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("klplint", "corpus", "scripts", "rules"):
        shutil.copytree(ROOT / part, copy / part, ignore=ignore)
    return copy


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    # PYTHONPATH first: the copy's klplint, not the one installed from this checkout
    env = dict(os.environ, PYTHONPATH=str(repo), KLPLINT_CACHE_DIR=str(repo / ".cache"))
    return subprocess.run([sys.executable, *args], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=300)


CASES = [("KLP499", "scaffolded-state-rule", "states", "note", "C"),
         ("KLP299", "scaffolded-hook-rule", "lifecycle", "warning", "H")]


@pytest.fixture(scope="module")
def scaffolded(repo):
    outputs = {}
    for rid, name, family, level, api in CASES:
        r = _run(repo, "scripts/new_rule.py", rid, name, "--family", family, "--level", level, "--api", api)
        assert r.returncode == 0, r.stderr
        outputs[rid] = r.stdout
    return outputs


PROBE = """
import json, sys
import klplint
from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file
from klplint.rules.registry import get
out = {"klplint": klplint.__file__, "rules": {}, "files": {}}
for rid in sys.argv[1].split(","):
    r = get(rid)
    out["rules"][rid] = r and [r.name, r.family, r.level, r.api, r.summary]
for path in sys.argv[2:]:
    res = analyze_file(path, Config(strict=True))
    out["files"][path] = [[str(e) for e in res.errors], sorted({f.rule for f in res.findings})]
print(json.dumps(out))
"""


def test_the_rule_and_its_twins(repo, scaffolded):
    files = []
    for rid, name, family, *_ in CASES:
        stem = f"{rid.lower()}_{name.replace('-', '_')}.c"
        files += [f"corpus/{family}/bad/{stem}", f"corpus/{family}/good/{stem}"]
    r = _run(repo, "-c", PROBE, ",".join(rid for rid, *_ in CASES), *files)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert Path(out["klplint"]).resolve().is_relative_to(repo.resolve()), out["klplint"]
    for rid, name, family, level, api in CASES:
        got_name, got_family, got_level, got_api, summary = out["rules"][rid]
        assert (got_name, got_level, got_api) == (name, level, api)
        assert got_family == family and summary.startswith("TODO")
    for path in files:
        errors, rules = out["files"][path]
        assert errors == [], (path, errors)
        assert rules == [], (path, rules)          # no check yet, and the skeleton is clean
        want, none = expectations((repo / path).read_text())
        if "/bad/" in path:
            rid = Path(path).name[:6].upper()
            assert {r for r, _ in want} == {rid} and not none
        else:
            assert none and not want


def test_next_steps_are_printed(scaffolded):
    out = scaffolded["KLP499"]
    assert "klplint/rules/states.py" in out and "corpus/states/bad/klp499_scaffolded_state_rule.c" in out
    assert "python -m pytest -q tests/test_corpus.py -k klp499" in out
    assert "python -m klplint.rules.docs rules/" in out and "same_output.py" in out


def test_rule_pages_regenerate(repo, scaffolded):
    r = _run(repo, "-m", "klplint.rules.docs", "rules/")
    assert r.returncode == 0, r.stderr
    page = (repo / "rules" / "KLP499.md").read_text()
    assert "\n# KLP499 scaffolded-state-rule\n" in page and "TODO" in page
    assert "[KLP499](KLP499.md)" in (repo / "rules" / "README.md").read_text()


@pytest.mark.parametrize("args,message", [
    (["KLP101", "again", "--level", "error", "--api", "B"], "KLP101 is already declared"),
    (["KLP5", "short", "--level", "error", "--api", "B"], "a rule id is KLP followed by three digits"),
    (["KLP498", "Not_Kebab", "--level", "error", "--api", "B"], "kebab-case"),
    (["KLP498", "no-family", "--family", "nowhere", "--level", "error", "--api", "B"], "--family nowhere"),
])
def test_bad_arguments_write_nothing(repo, scaffolded, args, message):
    before = {p: p.stat().st_mtime_ns for p in (repo / "klplint" / "rules").glob("*.py")}
    corpus = sorted(str(p) for p in (repo / "corpus").rglob("*.c"))
    r = _run(repo, "scripts/new_rule.py", *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in r.stderr
    assert before == {p: p.stat().st_mtime_ns for p in (repo / "klplint" / "rules").glob("*.py")}
    assert corpus == sorted(str(p) for p in (repo / "corpus").rglob("*.c"))


def test_existing_twins_are_not_overwritten(repo, scaffolded):
    r = _run(repo, "scripts/new_rule.py", "KLP498", "scaffolded-state-rule", "--level", "note", "--api", "C")
    assert r.returncode == 0, r.stderr
    bad = repo / "corpus" / "states" / "bad" / "klp497_clash.c"
    bad.write_text("/* mine */\n")
    r = _run(repo, "scripts/new_rule.py", "KLP497", "clash", "--level", "note", "--api", "C")
    assert r.returncode == 2 and "exists already" in r.stderr
    assert bad.read_text() == "/* mine */\n"
    assert "KLP497" not in (repo / "klplint" / "rules" / "states.py").read_text()
