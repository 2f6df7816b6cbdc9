"""`klplint check`'s text report as a user sees it: gcc's diagnostic shape, the source line and
caret and colour on a terminal only (--color, NO_COLOR), the summary line with what was skipped."""
from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad"
LIFECYCLE = ROOT / "corpus" / "lifecycle" / "bad"
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning|note): (?P<msg>.*)$")
ANSI = re.compile(r"\033\[[0-9;]*m")


def run(*args, cwd, env=None, tty=False):
    full = dict(os.environ)
    full.pop("NO_COLOR", None)
    full.update(env or {})
    cmd = [sys.executable, "-m", "klplint", "check", "--no-cache", *args]
    if not tty:
        return subprocess.run(cmd, cwd=cwd, env=full, capture_output=True, text=True, timeout=300).stdout
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full, stdout=slave, stderr=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(master)
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    d = tmp_path_factory.mktemp("text")
    shutil.copy(BAD / "klp101_funcs_without_terminator.c", d / "a_error.c")
    shutil.copy(BAD / "klp116_one_array_both_ways.c", d / "b_warning.c")
    shutil.copy(LIFECYCLE / "klp201_shared_callback_logs_module.c", d / "c_path.c")
    (d / "helper.c").write_text("/* not a livepatch module */\nint helper(void) { return 1; }\n")
    (d / "lp.mod.c").write_text("#include <linux/livepatch.h>\nint broken = ;\n")   # modpost's: never collected
    return d


def test_every_line_is_a_gcc_diagnostic_then_the_summary(tree):
    out = run(".", cwd=tree)
    lines = out.splitlines()
    *body, last = lines
    assert body and all(DIAGNOSTIC.match(l) for l in body), out
    heads = [DIAGNOSTIC.match(l) for l in body if DIAGNOSTIC.match(l).group("level") != "note"]
    assert [(m.group("file"), m.group("level")) for m in heads] == \
        [("a_error.c", "error"), ("b_warning.c", "warning"), ("c_path.c", "error")]
    assert all(re.search(r" \[KLP\d{3}\]( \(fixable with --fix\))?$", m.group("msg")) for m in heads)
    # the lifecycle path follows its finding as notes, the scenario first
    notes = [DIAGNOSTIC.match(l) for l in body if l.startswith("c_path.c") and ": note: " in l]
    assert notes[0].group("msg").startswith("lifecycle scenario: ") and len(notes) >= 2
    assert last == "Found 2 errors, 1 warning in 3 files (3 files checked, 1 skipped as not a livepatch module). " \
                   "1 fixable with --fix."
    assert "\033[" not in out and "^" not in out                 # a pipe: no colour, no caret


def test_terminal_gets_colour_source_and_caret(tree):
    out = run("a_error.c", cwd=tree, tty=True)
    assert "\033[1;31merror:\033[0m" in out
    plain = ANSI.sub("", out).splitlines()
    source = (tree / "a_error.c").read_text().splitlines()
    m = DIAGNOSTIC.match(plain[0])
    line, col = int(m.group("line")), int(m.group("col"))
    assert plain[1] == source[line - 1]
    caret = plain[2]
    assert caret.rstrip().endswith("^") and len(caret.rstrip()) == col     # under the column (ASCII line)
    assert ANSI.sub("", run("a_error.c", cwd=tree, tty=True, env={"NO_COLOR": "1"})) == \
        run("a_error.c", cwd=tree, tty=True, env={"NO_COLOR": "1"})         # NO_COLOR: none at all
    assert "\033[" not in run("--color", "never", "a_error.c", cwd=tree, tty=True)
    forced = run("--color", "always", "a_error.c", cwd=tree)                 # forced into a pipe
    assert "\033[1;31merror:" in forced and ANSI.sub("", forced).splitlines()[1] == source[line - 1]


def test_order_does_not_depend_on_the_order_given(tree):
    assert run("c_path.c", "b_warning.c", "a_error.c", cwd=tree) == run("a_error.c", "b_warning.c", "c_path.c",
                                                                        cwd=tree)


def test_skipped_files_alone_are_counted_quietly(tree):
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", "helper.c"], cwd=tree,
                       capture_output=True, text=True, timeout=300)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == "No findings (0 files checked, 1 skipped as not a livepatch module).\n"
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", "-q", "helper.c"], cwd=tree,
                       capture_output=True, text=True, timeout=300)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
