"""Bad input: each problem file gets a one-line error naming it and the reason; the others are still checked."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from harness import edit, fixture

# A clean module with a missing terminator, so we can see the good files are still analysed.
BUGGY = edit(fixture("callbacks_patch.c"), ".new_func = lp_do_sys_sync, },\n\t{ }\n};", ".new_func = lp_do_sys_sync, },\n};")


def klplint(*args, cwd=None):
    env = dict(os.environ)
    env.pop("KLPLINT_STRICT", None)
    return subprocess.run([sys.executable, "-m", "klplint", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "buggy.c").write_text(BUGGY)
    return tmp_path


# Each bad file says it is a livepatch module (C files that do not are skipped without a parse).
LP = "#include <linux/livepatch.h>\n"
CASES = {
    "unparsable.c": (LP + "static int broken( { return 0 }\n", "parse error"),
    "binary.c": (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 8, "binary file"),
    "latin1.c": ((LP + "/* caf\xe9 */\nint x;\n").encode("latin-1"), "invalid UTF-8"),
    "huge.c": (LP + "int a;\n" + "/* " + "x" * (5 * 1024 * 1024) + " */\n", "file too large"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_named_and_others_still_checked(tree, name):
    content, reason = CASES[name]
    p = tree / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content)
    r = klplint("check", "--format", "json", str(tree / "buggy.c"), str(p))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    err_lines = [l for l in r.stderr.splitlines() if ": error: " in l]
    assert len(err_lines) == 1 and name in err_lines[0] and reason in err_lines[0], r.stderr
    doc = json.loads(r.stdout)
    assert [e["reason"] for e in doc["errors"] if name in e["file"]], doc["errors"]
    assert any(f["rule"] == "KLP101" and f["file"].endswith("buggy.c") for f in doc["findings"]), doc


def test_missing_file_and_empty_directory(tree, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = klplint("check", str(tree / "buggy.c"), str(tree / "nope.c"), str(empty))
    assert r.returncode == 2
    assert "nope.c: error: no such file or directory" in r.stderr
    assert "empty: error: no C files" in r.stderr
    assert "KLP101" in r.stdout


def test_include_cycle(tree):
    (tree / "a.h").write_text('#include "b.h"\nint a;\n')
    (tree / "b.h").write_text('#include "a.h"\nint b;\n')
    (tree / "cycle.c").write_text(LP + '#include "a.h"\nint main_var;\n')
    r = klplint("check", str(tree / "cycle.c"), str(tree / "buggy.c"))
    assert r.returncode == 2
    line = [l for l in r.stderr.splitlines() if "cycle.c" in l and "error" in l]
    assert line and "include cycle" in line[0], r.stderr
    assert "KLP101" in r.stdout


def test_sarif_reports_tool_errors_as_notifications(tree):
    (tree / "broken.c").write_text(LP + "int f( {\n")
    r = klplint("check", "--format", "sarif", str(tree / "buggy.c"), str(tree / "broken.c"))
    assert r.returncode == 2
    doc = json.loads(r.stdout)
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    notes = inv["toolExecutionNotifications"]
    assert any("broken.c" in n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] and
               n["level"] == "error" for n in notes)
    assert any(res["ruleId"] == "KLP101" for res in doc["runs"][0]["results"])


def test_missing_header_does_not_stop_analysis(tree):
    (tree / "extra.c").write_text(BUGGY.replace("#include <linux/module.h>",
                                                "#include <linux/module.h>\n#include <linux/no_such_header_here.h>"))
    r = klplint("check", str(tree / "extra.c"))
    assert r.returncode == 1, r.stderr
    assert "KLP101" in r.stdout
    assert "no_such_header_here.h" in r.stderr and "not found" in r.stderr


def test_hostile_compile_commands_flags_are_dropped(tree):
    src = tree / "buggy.c"
    plugin_marker = tree / "plugin-ran"
    db = [{"directory": str(tree), "file": "buggy.c",
           "arguments": ["gcc", "-Xclang", "-load", "-Xclang", str(tree / "evil.so"),
                         f"-fplugin={tree / 'evil.so'}", "-nostdinc",
                         "-isystem", os.path.join(os.path.dirname(__import__("klplint").__file__), "frontend", "include"),
                         "-D__KERNEL__", "-DMODULE", "-c", "buggy.c", "-o", "buggy.o"]}]
    (tree / "compile_commands.json").write_text(json.dumps(db))
    r = klplint("check", "-p", str(tree), str(src))
    assert r.returncode == 1, r.stderr
    assert "KLP101" in r.stdout
    assert not plugin_marker.exists()
    from klplint.frontend.flags import safe_flags
    kept = safe_flags(db[0]["arguments"][1:], str(tree))
    assert not any(a.startswith(("-Xclang", "-fplugin", "-load")) or a.endswith("evil.so") for a in kept), kept
    assert "-nostdinc" in kept and "-D__KERNEL__" in kept


def test_corrupt_compile_commands(tree):
    (tree / "compile_commands.json").write_text("{not json")
    r = klplint("check", "-p", str(tree), str(tree / "buggy.c"))
    assert r.returncode == 2
    assert "compile_commands.json" in r.stderr and "not valid JSON" in r.stderr
    assert "Traceback" not in r.stderr
