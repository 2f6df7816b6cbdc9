"""A file whose parse crashes, aborts, overflows its stack or never ends costs that file only: a
one-line error, exit 2, every other file checked — with --jobs 1 and N, in the language server and
in kbuild-check. Clang's __debug pragmas never reach the parser."""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from klplint.config.settings import Config
from klplint.pipeline import isolate
from klplint.pipeline.analyze_file import analyze_file_safely

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "corpus" / "structure" / "bad" / "klp101_funcs_without_terminator.c").read_text()

DEBUG_PRAGMAS = ["crash", "overflow_stack", "parser_crash", "llvm_fatal_error", "assert"]


def _deep_inputs() -> dict:
    """The shapes that overflow libclang's stack in-process, at the sizes the issue names."""
    return {
        "casts.c": "int f(int x) { return " + "(int)" * 1000 + "x; }\n",
        "sum.c": "int f(int x) { return " + " + ".join(["x"] * 20000) + "; }\n",
        "parens.c": "int f(int x) { return " + "(" * 5000 + "x" + ")" * 5000 + "; }\n",
    }


@pytest.fixture
def tree(tmp_path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a_good.c").write_text(GOOD)
    for kind in DEBUG_PRAGMAS:
        (src / f"pragma_{kind}.c").write_text(f"#pragma clang __debug {kind}\n" + GOOD)
    (src / "operator_crash.c").write_text('_Pragma("clang __debug crash")\n' + GOOD)
    (src / "stringified_crash.c").write_text('#define S(x) #x\n_Pragma(S(clang __debug crash))\n' + GOOD)
    for name, text in _deep_inputs().items():
        (src / name).write_text(text)
    (src / "z_good.c").write_text(GOOD)
    return tmp_path


def _check(tree, *args, env=None):
    env = dict(os.environ, KLPLINT_CACHE_DIR=str(tree / "cache"), **(env or {}))
    return subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", *args, "src"], cwd=tree,
                          capture_output=True, text=True, timeout=600, env=env)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_hostile_files_cost_only_themselves(tree, jobs):
    got = _check(tree, "--jobs", jobs)
    assert "Traceback" not in got.stderr and "crash detected" not in got.stderr, got.stderr
    assert got.returncode in (1, 2)
    # the good files and every pragma file (the pragma blanked) are analysed: the same finding
    for name in ["a_good.c", "z_good.c", "operator_crash.c", "stringified_crash.c"] + \
            [f"pragma_{k}.c" for k in DEBUG_PRAGMAS]:
        assert f"src/{name}:" in got.stdout and "KLP101" in got.stdout.split(f"src/{name}:", 1)[1].split("\n")[0], \
            (name, got.stdout, got.stderr)
    # a deep input is analysed or is one line of error for itself
    err_lines = [ln for ln in got.stderr.splitlines() if ln.strip()]
    for ln in err_lines:
        assert ln.startswith("src/") and ": error: " in ln or ln.startswith("klplint:"), ln
    for name in _deep_inputs():
        assert sum(1 for ln in err_lines if ln.startswith(f"src/{name}")) <= 1


def test_same_report_with_and_without_jobs(tree):
    one, two = _check(tree, "--jobs", "1"), _check(tree, "--jobs", "2")
    assert (one.returncode, one.stdout, one.stderr) == (two.returncode, two.stdout, two.stderr)


# ---- the mechanism, with crashes that do not depend on which libclang is installed

def _segfault():
    ctypes.string_at(0)


def _abort():
    os.abort()


def _forever():
    while True:
        time.sleep(1)


def _recurse(n=0):
    return _recurse(n + 1) + 1


@pytest.mark.parametrize("fn,words", [(_segfault, "SIGSEGV"), (_abort, "SIGABRT"),
                                      (lambda: os.kill(os.getpid(), signal.SIGKILL), "SIGKILL")])
def test_a_native_crash_is_a_reason(fn, words):
    with pytest.raises(isolate.Isolated) as e:
        isolate.run(fn)
    assert words in e.value.reason and "\n" not in e.value.reason


def test_a_child_that_never_ends_is_stopped():
    start = time.monotonic()
    with pytest.raises(isolate.Isolated) as e:
        isolate.run(_forever, timeout=1.5)
    assert "did not finish within 1.5 s" in e.value.reason
    assert time.monotonic() - start < 10


def test_the_answer_and_exceptions_come_back():
    assert isolate.run(lambda: {"x": [1, 2, 3]}) == {"x": [1, 2, 3]}
    with pytest.raises(ZeroDivisionError):
        isolate.run(lambda: 1 / 0)


def test_unbounded_recursion_is_an_error_not_a_crash():
    with pytest.raises(isolate.Isolated) as e:
        isolate.run(_recurse)
    assert e.value.reason == "nesting too deep to analyse"


def test_memory_is_limited(monkeypatch):
    monkeypatch.setenv("KLPLINT_MAX_MEMORY_MB", "1024")
    with pytest.raises(isolate.Isolated) as e:
        isolate.run(lambda: bytearray(3 * 1024 * 1024 * 1024))
    assert "out of memory (limit 1024 MB)" in e.value.reason


def test_a_crash_in_the_analysis_of_one_file(tmp_path, monkeypatch):
    """The whole per-file path: a front end that dies natively on one file (inherited by the forked
    child) gives that file a one-line error and leaves the process, and the next file, alone."""
    from klplint import frontend
    real = frontend.parse

    def parse(path, config, text=None):
        if path.endswith("dies.c"):
            _segfault()
        return real(path, config, text)
    monkeypatch.setattr(frontend, "parse", parse)
    monkeypatch.setattr("klplint.pipeline.analyze_file.parse", parse)
    (tmp_path / "dies.c").write_text(GOOD)
    (tmp_path / "lives.c").write_text(GOOD)
    dead = analyze_file_safely(str(tmp_path / "dies.c"), Config())
    alive = analyze_file_safely(str(tmp_path / "lives.c"), Config())
    assert [e.reason.split(" (")[0] for e in dead.errors] == ["the parser crashed"] and not dead.findings
    assert not alive.errors and any(f.rule == "KLP101" for f in alive.findings)


def test_kbuild_check_survives_a_crash(tree):
    from klplint.frontend.flags import BUNDLED_INCLUDE
    env = dict(os.environ)
    got = subprocess.run([sys.executable, "-m", "klplint", "kbuild-check", "--fail-on", "never", "-D__KERNEL__",
                          "src/sum.c"], cwd=tree, capture_output=True, text=True, timeout=300, env=env)
    assert "Traceback" not in got.stderr and "crash detected" not in got.stderr, got.stderr
    assert got.returncode in (0, 2)
    if got.returncode == 2:
        assert len([ln for ln in got.stderr.splitlines() if "error" in ln]) == 1, got.stderr
    got = subprocess.run([sys.executable, "-m", "klplint", "kbuild-check", "--fail-on", "never", "-D__KERNEL__",
                          "-nostdinc", "-isystem", BUNDLED_INCLUDE, "src/pragma_crash.c"], cwd=tree, capture_output=True, text=True, timeout=300, env=env)
    assert got.returncode == 0 and "KLP101" in got.stderr, got.stderr


def test_language_server_survives_a_crashing_document(tree):
    from test_lsp import Client

    c = Client(tree)
    try:
        c.request("initialize", {"processId": os.getpid(), "rootUri": tree.as_uri(), "capabilities": {}})
        c.notify("initialized", {})
        for name in ["sum.c", "pragma_crash.c", "pragma_overflow_stack.c", "a_good.c"]:
            path = tree / "src" / name
            c.notify("textDocument/didOpen", {"textDocument": {"uri": path.as_uri(), "languageId": "c",
                                                               "version": 1, "text": path.read_text()}})
            diags = c.diagnostics(path.as_uri(), timeout=240)
            if name != "sum.c":
                assert any(d.get("code") == "KLP101" for d in diags), (name, diags)
        assert c.proc.poll() is None
    finally:
        c.close()


def test_trace_on_deep_and_hostile_input(tmp_path):
    hook = ("static int pre(struct klp_object *o) { int x = 0;\n" + "if (x == 1) x++; else " * 3000 + "x--;\n"
            "return x; }\n")
    text = GOOD.replace("#include <linux/livepatch.h>", "#pragma clang __debug crash\n#include <linux/livepatch.h>")
    (tmp_path / "deep.c").write_text(text + hook)
    got = subprocess.run([sys.executable, "-m", "klplint", "trace", "deep.c"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=600)
    assert got.returncode == 0 and "outcome:" in got.stdout, got.stderr
    assert "Traceback" not in got.stderr
