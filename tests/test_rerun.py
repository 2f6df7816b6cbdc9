"""The replayed `klplint check` (klplint/rerun.py): a run nothing can have changed prints exactly what
the normal path prints, exits the same, without importing the command line; anything that could
change the result sends the run the normal way."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from klplint import rerun

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad" / "klp101_funcs_without_terminator.c"
GOOD = ROOT / "corpus" / "structure" / "good" / "klp101_terminated_tables.c"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    replayed: bool          # the click command line was never imported


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A project folder (with .git, so config discovery stops there) and a private result cache."""
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    shutil.copy(BAD, project / "bad.c")
    shutil.copy(GOOD, project / "good.c")
    monkeypatch.setenv("KLPLINT_CACHE_DIR", str(tmp_path / "cache"))
    return project


def klplint(cwd: Path, *args, env_extra=None) -> Run:
    env = dict(os.environ, **(env_extra or {}))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("KLPLINT_NO_RERUN", None)
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "klplint", *args], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=300)
    lines = p.stderr.splitlines(keepends=True)
    imports = [ln for ln in lines if ln.startswith("import time:")]
    assert imports, "-X importtime printed nothing: `replayed` would prove nothing"
    replayed = not any(ln.rstrip().endswith((" click", " klplint.cli.main")) for ln in imports)
    return Run(p.returncode, p.stdout, "".join(ln for ln in lines if not ln.startswith("import time:")), replayed)


def same_output(a: Run, b: Run) -> bool:
    return (a.code, a.stdout, a.stderr) == (b.code, b.stdout, b.stderr)


def settle(tree: Path, *args, env_extra=None) -> Run:
    """Cold (fills the result cache), then warm (served from it: leaves the replay record)."""
    cold = klplint(tree, *args, env_extra=env_extra)
    warm = klplint(tree, *args, env_extra=env_extra)
    assert not cold.replayed and not warm.replayed and same_output(cold, warm)
    return warm


@pytest.mark.parametrize("files,code", [(("bad.c", "good.c"), 1), (("good.c",), 0)])
def test_a_run_nothing_changed_is_replayed_with_the_same_output_and_exit_code(tree, files, code):
    warm = settle(tree, "check", *files)
    assert warm.code == code
    for _ in range(2):
        again = klplint(tree, "check", *files)
        assert again.replayed and same_output(again, warm)
    if code:
        assert "KLP101" in warm.stdout + warm.stderr


def test_other_formats_and_options_are_replayed_byte_for_byte(tree):
    for args in (("check", "--format", "json", "bad.c"), ("check", "--select", "KLP101", "--fail-on", "error", "bad.c"),
                 ("check", "--statistics", "bad.c", "good.c")):
        warm = settle(tree, *args)
        again = klplint(tree, *args)
        assert again.replayed and same_output(again, warm), args


def test_a_changed_source_goes_the_normal_way(tree):
    settle(tree, "check", "bad.c", "good.c")
    assert klplint(tree, "check", "bad.c", "good.c").replayed
    shutil.copy(BAD, tree / "good.c")                  # good.c now has bad.c's finding
    after = klplint(tree, "check", "bad.c", "good.c")
    assert not after.replayed and after.code == 1
    assert "good.c" in after.stdout + after.stderr
    assert same_output(after, klplint(tree, "check", "--no-cache", "bad.c", "good.c"))


def test_a_new_config_file_goes_the_normal_way(tree):
    before = settle(tree, "check", "bad.c")
    assert before.code == 1
    (tree / ".klplint.toml").write_text('ignore = ["KLP101"]\n')
    after = klplint(tree, "check", "bad.c")
    assert not after.replayed and "KLP101" not in after.stdout + after.stderr


def test_a_changed_local_header_goes_the_normal_way(tree):
    text = GOOD.read_text()
    (tree / "local.h").write_text("#define LOCAL_VALUE 1\n")
    (tree / "withheader.c").write_text('#include "local.h"\n' + text)
    settle(tree, "check", "withheader.c")
    assert klplint(tree, "check", "withheader.c").replayed
    (tree / "local.h").write_text("#define LOCAL_VALUE 2\n")
    assert not klplint(tree, "check", "withheader.c").replayed


def test_a_file_added_to_a_checked_folder_goes_the_normal_way(tree):
    (tree / "sub").mkdir()
    shutil.copy(GOOD, tree / "sub" / "good.c")
    warm = settle(tree, "check", "sub")
    assert warm.code == 0 and klplint(tree, "check", "sub").replayed
    shutil.copy(BAD, tree / "sub" / "bad.c")
    after = klplint(tree, "check", "sub")
    assert not after.replayed and after.code == 1


def test_another_environment_goes_the_normal_way(tree):
    settle(tree, "check", "bad.c")
    assert not klplint(tree, "check", "bad.c", env_extra={"KLPLINT_SOMETHING": "1"}).replayed


def test_runs_that_write_or_skip_the_cache_are_never_replayed(tree, tmp_path):
    report = tmp_path / "report.txt"
    for _ in range(3):
        report.unlink(missing_ok=True)
        r = klplint(tree, "check", "--output", str(report), "bad.c")
        assert not r.replayed and report.exists()      # the report is written every time
    for _ in range(3):
        assert not klplint(tree, "check", "--no-cache", "bad.c").replayed


def test_a_corrupt_record_is_a_miss(tree):
    warm = settle(tree, "check", "bad.c")
    records = list(Path(os.environ["KLPLINT_CACHE_DIR"], "runs").rglob("*.marshal"))
    assert records
    for rec in records:
        rec.write_bytes(b"\x00garbage")
    again = klplint(tree, "check", "bad.c")
    assert not again.replayed and same_output(again, warm)


def test_what_rerun_mirrors_agrees_with_its_owners(tmp_path, monkeypatch):
    from klplint.config import files
    from klplint.pipeline import cache
    assert rerun.CONFIG_NAMES == files.CONFIG_NAMES
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KLPLINT_CACHE_DIR", raising=False)
    assert rerun.cache_dir() == cache.cache_dir()
    monkeypatch.setenv("KLPLINT_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert rerun.cache_dir() == cache.cache_dir()


def test_only_check_without_a_terminal_is_eligible(monkeypatch):
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    monkeypatch.delenv("KLPLINT_NO_RERUN", raising=False)
    assert rerun.eligible(["check", "x.c"])
    assert not rerun.eligible(["trace", "x.c"]) and not rerun.eligible(["check", "--no-cache", "x.c"])
    assert not rerun.eligible(["check", "-"])
    monkeypatch.setenv("KLPLINT_NO_RERUN", "1")
    assert not rerun.eligible(["check", "x.c"])
    monkeypatch.delenv("KLPLINT_NO_RERUN")
    monkeypatch.setattr(os, "isatty", lambda fd: fd == 2)
    assert not rerun.eligible(["check", "x.c"])
