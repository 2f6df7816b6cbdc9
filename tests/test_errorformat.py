"""klplint's text output read by a real errorformat: Vim's `:compiler gcc` (the errorformat Vim
users run `:make` with) over `make C=2` with klplint as the checker, and over `klplint check`.

Vim is the real counterpart here: each finding must come out of the quickfix list as a valid entry
with the right file, line, column and type (e: error, w: warning), as gcc's diagnostics do; the
lifecycle path's note lines are valid entries too, without a type.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kbuild_util import kernel_build_dir

ROOT = Path(__file__).resolve().parent.parent
# callbacks-API modules that build against Debian's headers: an error with a lifecycle path, and a
# warning
MODULES = {"lp_error": ROOT / "corpus" / "lifecycle" / "bad" / "klp201_shared_callback_logs_module.c",
           "lp_warning": ROOT / "corpus" / "lifecycle" / "bad" / "klp204_notifier_per_module_load.c"}


def vim() -> str:
    exe = shutil.which("vim")
    if exe is None:
        msg = "vim is not installed (apt-get install vim)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return exe


def quickfix(log: Path, cwd: Path):
    """The quickfix list Vim builds from `log` with `:compiler gcc`, as dicts."""
    out = cwd / "qf.json"
    script = ("call writefile([json_encode(map(getqflist(), {_, e -> {'file': fnamemodify(bufname(e.bufnr), ':p'),"
              " 'lnum': e.lnum, 'col': e.col, 'type': e.type, 'text': e.text, 'valid': e.valid}}))], '%s')" % out)
    proc = subprocess.run([vim(), "-es", "-N", "-u", "NONE", "-i", "NONE", "-c", "compiler gcc",
                           "-c", f"cgetfile {log}", "-c", script, "-c", "qa!"],
                          cwd=cwd, capture_output=True, text=True, timeout=120)
    assert out.exists(), proc.stdout + proc.stderr
    return json.loads(out.read_text())


def json_findings(files, cwd, *extra):
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", "--format", "json", *extra,
                        *map(str, files)],
                       cwd=cwd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 1, r.stderr
    return json.loads(r.stdout)["findings"]


def expected(findings, cwd):
    return sorted((str((cwd / f["file"]).resolve()), f["line"], f["column"], f["level"][0]) for f in findings
                  if f["level"] in ("error", "warning"))


def typed(entries):
    return sorted((e["file"], e["lnum"], e["col"], e["type"]) for e in entries if e["valid"] and e["type"])


@pytest.fixture
def modules(tmp_path):
    for name, src in MODULES.items():
        shutil.copy(src, tmp_path / f"{name}.c")
    (tmp_path / "Makefile").write_text("".join(f"obj-m += {n}.o\n" for n in MODULES))
    return tmp_path


def test_check_output_through_vims_gcc_errorformat(modules):
    files = sorted(modules.glob("*.c"))
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", *map(str, files)], cwd=modules,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 1, r.stderr
    log = modules / "check.log"
    log.write_text(r.stdout)
    entries = quickfix(log, modules)
    findings = json_findings(files, modules)
    assert {f["level"] for f in findings} >= {"error", "warning"}
    assert typed(entries) == expected(findings, modules)
    # the lifecycle path: every step of every finding is a valid (untyped) entry on its own line
    steps = sum(len(f["path"]) for f in findings)
    notes = [e for e in entries if e["valid"] and not e["type"]]
    assert steps and len(notes) >= steps
    # the summary is not mistaken for a diagnostic
    assert not any(e["valid"] and e["text"].startswith("Found ") for e in entries)


def test_make_c2_output_through_vims_gcc_errorformat(modules):
    kdir = kernel_build_dir()
    proc = subprocess.run(["make", "-C", kdir, f"M={modules}", "C=2",
                           f"CHECK={sys.executable} -m klplint kbuild-check --fail-on never"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    log = modules / "make.log"
    log.write_text(proc.stdout + proc.stderr)      # what :make shows: make's lines and the checker's
    entries = quickfix(log, modules)
    findings = json_findings(sorted(modules.glob("lp_*.c")), modules, "--kernel-dir", kdir)   # kbuild's headers
    assert {f["level"] for f in findings} >= {"error", "warning"}
    got = typed(entries)
    assert got == expected(findings, modules), log.read_text()[-3000:]
    # make's own lines (CHECK, CC, LD) are not taken for errors or warnings
    assert all(Path(e[0]).name in ("lp_error.c", "lp_warning.c") for e in got)
