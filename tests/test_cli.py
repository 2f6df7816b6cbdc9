"""The command line: rules, explain, exit codes 0/1/2 in every output format, --statistics, progress."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from klplint.rules.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad"
GOOD = ROOT / "corpus" / "structure" / "good"
FORMATS = ["text", "json", "sarif", "github"]


def klplint(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "klplint", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    shutil.copy(GOOD / "klp101_terminated_tables.c", d / "clean.c")
    shutil.copy(BAD / "klp101_funcs_without_terminator.c", d / "error.c")
    shutil.copy(BAD / "klp116_one_array_both_ways.c", d / "warning.c")       # a warning-level rule
    (d / "broken.c").write_text("#include <linux/livepatch.h>\nstatic int x = ;\n")
    (d / "notc.c").write_bytes(b"\x7fELF\0\0\0")
    return d


def test_rules_lists_every_rule_in_every_format():
    ids = [r.id for r in all_rules()]
    r = klplint("rules")
    assert r.returncode == 0
    assert [l.split()[0] for l in r.stdout.splitlines()] == ids
    r = klplint("rules", "--format", "json")
    doc = json.loads(r.stdout)
    assert [d["id"] for d in doc] == ids
    assert all(set(d) >= {"id", "name", "level", "api", "family", "summary"} for d in doc)
    klp119 = next(d for d in doc if d["id"] == "KLP119")
    assert klp119["name"] == "unused-suppression" and klp119["level"] == "warning"
    r = klplint("rules", "--format", "markdown")
    assert r.stdout.count("](rules/KLP") == len(ids)


def test_explain_prints_the_rule_page():
    for rid in ("KLP101", "klp119"):
        r = klplint("explain", rid)
        assert r.returncode == 0
        rule = next(x for x in all_rules() if x.id == rid.upper())
        assert r.stdout == rule.markdown() + "\n"
        assert r.stdout.startswith(f"# {rule.id} {rule.name}")
        for section in ("## What it finds", "## Why it is a bug", "## Example", "## Fixed", "## How to fix"):
            assert section in r.stdout
    r = klplint("explain", "KLP999")
    assert r.returncode == 2 and "unknown rule 'KLP999'" in r.stderr and r.stdout == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_codes_are_the_same_in_every_format(files, fmt, tmp_path):
    def code(*args):
        return klplint("check", "--no-cache", "--format", fmt, *args, cwd=files).returncode

    assert code("clean.c") == 0
    assert code("error.c") == 1
    assert code("warning.c") == 1                       # default --fail-on warning
    assert code("--fail-on", "error", "warning.c") == 0
    assert code("--fail-on", "note", "warning.c") == 1
    assert code("--fail-on", "error", "error.c") == 1
    assert code("--ignore", "KLP101", "error.c") == 0
    assert code("broken.c") == 2                        # a file that does not parse
    assert code("notc.c", "clean.c") == 2               # a tool error wins over a clean file
    assert code("error.c", "broken.c") == 2             # ...and over findings
    assert code("missing.c") == 2
    assert code("--select", "KLP9", "clean.c") == 2     # usage
    assert code("--fail-on", "fatal", "clean.c") == 2   # usage (click)
    assert code("--kernel-dir", str(tmp_path / "none"), "clean.c") == 2
    out = tmp_path / f"report.{fmt}"
    assert code("--output", str(out), "error.c") == 1 and out.read_text()
    assert code("--output", str(tmp_path / "no" / "dir" / "r"), "clean.c") == 2


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_stay_parseable_with_errors_and_statistics(files, fmt):
    r = klplint("check", "--no-cache", "--format", fmt, "--statistics", "error.c", "warning.c", "broken.c",
                cwd=files)
    assert r.returncode == 2
    json.loads(r.stdout)                                 # stdout is only the report
    stats = [l.split() for l in r.stderr.splitlines() if l.strip()[:1].isdigit()]
    assert ["1", "KLP101", "missing-terminator"] in stats
    assert ["1", "KLP116", "same-hooks-both-ways"] in stats


def test_text_statistics(files):
    r = klplint("check", "--no-cache", "--statistics", "error.c", "warning.c", cwd=files)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[-3].split() == ["1", "KLP101", "missing-terminator"]
    assert lines[-2].split() == ["1", "KLP116", "same-hooks-both-ways"]
    assert lines[-1].startswith("Found ")


def test_text_output_is_sorted_and_stable(files):
    a = klplint("check", "--no-cache", "warning.c", "error.c", cwd=files)
    b = klplint("check", "--no-cache", "error.c", "warning.c", cwd=files)
    assert a.stdout == b.stdout
    assert a.stdout.startswith("error.c:")
    for line in a.stdout.splitlines():
        if line.startswith(("error.c:", "warning.c:")):
            path, lineno, col, rest = line.split(":", 3)
            assert lineno.isdigit() and col.isdigit() and rest.startswith((" error: ", " warning: ", " note: "))
    assert a.stdout.splitlines()[-1].startswith("Found 1 error, 1 warning in 2 files (2 files checked)")


def test_progress_only_on_a_terminal():
    from klplint.cli.run import _progress_printer

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert _progress_printer(io.StringIO()) is None           # piped: nothing
    tty = Tty()
    show = _progress_printer(tty, delay=0)
    for i in range(1, 13):
        show(i, 12, f"f{i}.c")
    text = tty.getvalue()
    assert "\rklplint: 11/12 files" in text and text.endswith("\r\033[K")   # erased at the end
    small = Tty()
    show = _progress_printer(small, delay=0)
    for i in range(1, 4):
        show(i, 3, "x.c")
    assert small.getvalue() == ""                              # a short run shows nothing


def test_piped_run_over_many_files_writes_no_progress(tmp_path):
    for i in range(12):
        shutil.copy(GOOD / "klp101_terminated_tables.c", tmp_path / f"m{i:02d}.c")
    r = klplint("check", "--no-cache", ".", cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_version_and_help():
    r = klplint("--version")
    assert r.returncode == 0 and "klplint" in r.stdout
    r = klplint("check", "--help")
    assert r.returncode == 0
    for opt in ("--format", "--fail-on", "--baseline", "--write-baseline", "--statistics", "--jobs",
                "--no-cache", "--config", "--select", "--ignore", "--sarif-category"):
        assert opt in r.stdout
    assert klplint("check", "--fix", "--diff").returncode == 2    # usage error


def test_documented_ci_workflow_commands_work(tmp_path):
    """The klplint steps of docs/ci.md's GitHub Actions workflow, run as the runner would (bash -e)."""
    import re

    import yaml
    text = (ROOT / "docs" / "ci.md").read_text()
    workflow = yaml.safe_load(re.search(r"```yaml\n(# \.github/workflows/klplint\.yml\n.*?)```", text, re.S).group(1))
    steps = workflow["jobs"]["klplint"]["steps"]
    assert workflow["jobs"]["klplint"]["permissions"]["security-events"] == "write"
    runs = {s["name"]: s["run"] for s in steps if "klplint check" in s.get("run", "")}
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert set(runs) == {"klplint (SARIF for code scanning)", "klplint (gate)"}

    (tmp_path / "livepatch").mkdir()
    shutil.copy(BAD / "klp101_funcs_without_terminator.c", tmp_path / "livepatch" / "old.c")
    assert klplint("check", "--write-baseline", ".klplint-baseline.json", "livepatch/", cwd=tmp_path).returncode == 0

    def step(name):
        return subprocess.run(["bash", "-e", "-c", runs[name].replace("klplint check", f"{sys.executable} -m klplint check")],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)

    r = step("klplint (SARIF for code scanning)")
    assert r.returncode == 0, r.stderr                     # findings (exit 1) do not fail this step
    sarif = json.loads((tmp_path / "klplint.sarif").read_text())
    assert "automationDetails" not in sarif["runs"][0]     # so the upload step's category applies
    assert upload["with"]["category"] == "klplint/livepatch"
    assert [x["ruleId"] for x in sarif["runs"][0]["results"]] == ["KLP101"]
    assert step("klplint (gate)").returncode == 0          # baselined
    shutil.copy(BAD / "klp107_named_vmlinux.c", tmp_path / "livepatch" / "new.c")
    r = step("klplint (gate)")
    assert r.returncode == 1 and r.stdout.startswith("::error file=livepatch/new.c,")
    (tmp_path / "livepatch" / "broken.c").write_text("#include <linux/livepatch.h>\nint x = ;\n")
    assert step("klplint (SARIF for code scanning)").returncode != 0      # a tool error fails the step


def test_rules_legend_explains_the_api_column():
    r = klplint("rules")
    assert {l.split()[2] for l in r.stdout.splitlines()} <= {"B", "H", "C"}
    assert r.stderr.startswith("API column: B = both livepatch APIs, H = klp_hook arrays")
    assert all(f"{k} = " in r.stderr for k in "BHC")


def test_conventions_of_other_linters(files, tmp_path):
    # no path: the current folder (here: error.c, warning.c, broken.c, ... all of them)
    r = klplint("check", "--no-cache", cwd=files)
    assert r.returncode == 2 and "error.c:" in r.stdout and "broken.c" in r.stderr
    # --exit-zero: findings do not fail, tool errors still do
    assert klplint("check", "--no-cache", "--exit-zero", "error.c", cwd=files).returncode == 0
    assert klplint("check", "--no-cache", "--exit-zero", "broken.c", cwd=files).returncode == 2
    # --fail-on never, as kbuild-check has it
    r = klplint("check", "--no-cache", "--fail-on", "never", "error.c", cwd=files)
    assert r.returncode == 0 and "[KLP101]" in r.stdout
    # -q: the findings, no summary
    r = klplint("check", "--no-cache", "-q", "error.c", cwd=files)
    assert r.returncode == 1 and r.stdout.count("\n") == r.stdout.count(": error: ") + r.stdout.count(": note: ")
    assert "Found" not in r.stdout
    # '-': standard input, reported and configured as --stdin-filename
    src = (files / "error.c").read_text()
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "-", "--stdin-filename", "lp/x.c"], cwd=files,
                       input=src, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and r.stdout.startswith("lp/x.c:") and "[KLP101]" in r.stdout
    assert klplint("check", "-", "clean.c", cwd=files).returncode == 2
    assert klplint("check", "--stdin-filename", "x.c", "clean.c", cwd=files).returncode == 2


def test_config_mistakes_are_named(tmp_path):
    shutil.copy(GOOD / "klp101_terminated_tables.c", tmp_path / "lp.c")
    (tmp_path / "pyproject.toml").write_text('[tool.klplint\nfail-on = "error"\n')    # header not closed
    r = klplint("check", "--no-cache", "lp.c", cwd=tmp_path)
    assert r.returncode == 2 and "pyproject.toml: not valid TOML" in r.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.klplint]\nmax-file-size = "10"\n')   # 10 bytes
    r = klplint("check", "--no-cache", "lp.c", cwd=tmp_path)
    assert r.returncode == 2 and "limit 10 bytes: max-file-size" in r.stderr, r.stderr
    size = (tmp_path / "lp.c").stat().st_size
    assert f"file too large ({size / 1e3:.1f} KB" in r.stderr
