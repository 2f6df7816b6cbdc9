"""A checked repository cannot run code on the checker's machine: a settings file in the checked tree
naming a kernel dir with a Makefile never makes klplint run that Makefile (check, lsp, kbuild-check);
the same folder given by the user (--kernel-dir, KDIR) is probed with kbuild, as asked."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

LP = """\
#include <linux/module.h>
#include <linux/livepatch.h>
static struct klp_func funcs[] = { { .old_name = "cmdline_proc_show" }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int lp_init(void) { return klp_enable_patch(&patch); }
module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def _hostile_repo(root: Path, configured: bool) -> Path:
    """A pull request's tree: pyproject.toml points kernel-dir at build/, whose Makefile leaves a
    marker (and would do anything else) whenever make reads it."""
    marker = root / "MAKE-RAN"
    (root / "pyproject.toml").write_text('[tool.klplint]\nkernel-dir = "build"\n')
    build = root / "build"
    build.mkdir()
    (build / "Makefile").write_text(f"X := $(shell touch {marker})\nall:\n\t@true\n%:\n\t@true\n")
    if configured:     # the layout of a configured x86 tree, without any real header
        for d in ("include/generated", "arch/x86/include", "include/linux"):
            (build / d).mkdir(parents=True, exist_ok=True)
        (build / "include/generated/autoconf.h").write_text("#define CONFIG_X86_64 1\n")
    (root / "lp.c").write_text(LP)
    return marker


def _env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("KDIR", "PYTHONPATH")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")        # no earlier probe to reuse
    env["KLPLINT_CACHE_DIR"] = str(tmp_path / "result-cache")
    env.update(extra)
    return env


def _klplint(args, cwd, env, timeout=180, stdin=None):
    return subprocess.run([sys.executable, "-m", "klplint", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("configured", [False, True], ids=["bare-tree", "configured-layout"])
def test_check_never_runs_the_checked_trees_makefile(tmp_path, configured):
    repo = tmp_path / "repo"
    repo.mkdir()
    marker = _hostile_repo(repo, configured)
    got = _klplint(["check", "lp.c"], repo, _env(tmp_path))
    assert not marker.exists(), "klplint ran the checked repository's Makefile"
    assert "Traceback" not in got.stderr
    if configured:      # flags read off the layout: the file is analysed
        assert got.returncode in (0, 1), got.stderr
    else:               # nothing to read the flags from: a one-line error naming the way out
        assert got.returncode == 2
        assert "--kernel-dir or KDIR" in got.stderr, got.stderr


def test_kbuild_check_never_runs_the_checked_trees_makefile(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    marker = _hostile_repo(repo, configured=False)
    got = _klplint(["kbuild-check", "--fail-on", "never", "-D__KERNEL__", '-DKBUILD_MODNAME="lp"', "lp.c"],
                   repo, _env(tmp_path))
    assert not marker.exists()
    assert "Traceback" not in got.stderr and got.returncode in (0, 2), got.stderr


def _frame(msg) -> bytes:
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_lsp_never_runs_the_checked_trees_makefile(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    marker = _hostile_repo(repo, configured=False)
    uri = (repo / "lp.c").as_uri()
    proc = subprocess.Popen([sys.executable, "-m", "klplint", "lsp"], cwd=repo, env=_env(tmp_path),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                 "params": {"processId": None, "rootUri": repo.as_uri(), "capabilities": {}}}) +
                         _frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}) +
                         _frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                             "uri": uri, "languageId": "c", "version": 1, "text": LP}}}))
        proc.stdin.flush()
        os.set_blocking(proc.stdout.fileno(), False)
        data, deadline = b"", time.monotonic() + 120
        while b"publishDiagnostics" not in data and time.monotonic() < deadline and proc.poll() is None:
            data += proc.stdout.read() or b""
            time.sleep(0.05)
        assert b"publishDiagnostics" in data, data[-1000:]
    finally:
        proc.kill()
        proc.wait()
    assert not marker.exists(), "the language server ran the checked repository's Makefile"


def test_a_kernel_dir_the_user_gives_is_probed(tmp_path):
    """The control: the same tree named on the command line (or in KDIR) is the user's choice and
    kbuild runs there — so the tests above would see a Makefile that ran."""
    repo = tmp_path / "repo"
    repo.mkdir()
    marker = _hostile_repo(repo, configured=False)
    _klplint(["check", "--kernel-dir", "build", "lp.c"], repo, _env(tmp_path))
    assert marker.exists()
    marker.unlink()
    _klplint(["check", "lp.c"], repo, _env(tmp_path, KDIR=str(repo / "build")))
    assert marker.exists()
