"""The mechanical fixes (KLP101, KLP112, KLP113) produce C that compiles: each fixed file goes
through `clang -fsyntax-only` against the bundled model headers, and klplint finds nothing left to
fix in it; `check --fix` writes the fixes, `--diff` prints them, and standard input gets them too."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from klplint.config.settings import Config
from klplint.fixes import apply_edits, fixed_source, read_text
from klplint.findings import Edit
from klplint.location import Location
from klplint.pipeline.analyze_file import analyze_file

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "klplint" / "frontend" / "include"

HEAD = """#include <linux/module.h>
#include <linux/livepatch.h>

static int lp_show(void *m, void *v) { return 0; }
"""
TAIL = """
static struct klp_object objs[] = { { .funcs = funcs, }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int __init lp_init(void) { return klp_enable_patch(&patch); }
module_init(lp_init);
"""
LICENSED = '\nMODULE_LICENSE("GPL");\nMODULE_INFO(livepatch, "Y");\n'

# the funcs array, written as people write it
ARRAYS = {
    "trailing_comma": 'static struct klp_func funcs[] = {\n\t{ .old_name = "a", .new_func = lp_show, },\n};\n',
    "no_trailing_comma": 'static struct klp_func funcs[] = {\n\t{ .old_name = "a", .new_func = lp_show, }\n};\n',
    "comment_after_last": ('static struct klp_func funcs[] = {\n\t{ .old_name = "a", .new_func = lp_show }'
                           ' /* the only one */\n};\n'),
    "comments_everywhere": ('static struct klp_func funcs[] = { /* first */\n\t{ .old_name = "a", /* x */ '
                            '.new_func = lp_show } // the "last" one: http://example\n\t/* end */\n};\n'),
    "url_in_string": 'static struct klp_func funcs[] = {\n\t{ .old_name = "http://a", .new_func = lp_show }\n};\n',
    "one_line": 'static struct klp_func funcs[] = { { .old_name = "a", .new_func = lp_show } };\n',
    "one_line_comma": 'static struct klp_func funcs[] = { { .old_name = "a", .new_func = lp_show }, };\n',
    "one_line_tight": 'static struct klp_func funcs[] = {{ .old_name = "a", .new_func = lp_show }};\n',
    "two_entries_spaces": ('static struct klp_func funcs[] = {\n    { .old_name = "a", .new_func = lp_show },\n'
                           '    { .old_name = "b", .new_func = lp_show }\n};\n'),
}


def clang_syntax(path: Path) -> subprocess.CompletedProcess:
    clang = shutil.which("clang")
    if clang is None:
        pytest.skip("clang is not installed")
    return subprocess.run([clang, "-fsyntax-only", "-nostdinc", "-I", str(INCLUDE), "-Werror=implicit-int", str(path)],
                          capture_output=True, text=True, timeout=120)


def fix_file(path: Path) -> int:
    result = analyze_file(str(path), Config())
    text, n = fixed_source(read_text(str(path)), result.findings, lambda p: p == str(path))
    path.write_text(text)
    return n


@pytest.mark.parametrize("name", sorted(ARRAYS))
def test_klp101_fix_compiles(tmp_path, name):
    p = tmp_path / f"{name}.c"
    p.write_text(HEAD + ARRAYS[name] + TAIL + LICENSED)
    assert clang_syntax(p).returncode == 0                   # the broken module is valid C to begin with
    before = analyze_file(str(p), Config())
    assert [f.rule for f in before.findings if f.fixes] == ["KLP101"]
    assert fix_file(p) >= 1
    r = clang_syntax(p)
    assert r.returncode == 0, p.read_text() + r.stderr
    after = analyze_file(str(p), Config())
    assert not [f for f in after.findings if f.rule == "KLP101"], p.read_text()
    assert p.read_text().count("{ }") == 2                   # funcs' terminator added, objs' untouched


@pytest.mark.parametrize("conditional", [
    '\t{ .old_name = "b", .new_func = lp_show }\n',        # an element compiled only sometimes, no comma
    "\t{ }\n",                                             # the terminator itself, only sometimes
], ids=["element", "terminator"])
def test_klp101_fix_after_a_conditional_last_element(tmp_path, conditional):
    """A directive line between the last element and the brace (`#endif`) is not an element: the
    comma goes after the element, and the array is right with the condition true and false."""
    p = tmp_path / "conditional.c"
    array = ('static struct klp_func funcs[] = {\n\t{ .old_name = "a", .new_func = lp_show },\n'
             f"#ifdef LP_EXTRA /* not in every build */\n{conditional}#endif // LP_EXTRA\n}};\n")
    p.write_text(HEAD + array + TAIL + LICENSED)
    assert [f.rule for f in analyze_file(str(p), Config()).findings] == ["KLP101"]
    assert fix_file(p) >= 1
    for defines in ([], ["-DLP_EXTRA"]):
        r = subprocess.run([shutil.which("clang") or "clang", "-fsyntax-only", "-Werror", "-nostdinc", "-I",
                            str(INCLUDE), *defines, str(p)], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, (defines, p.read_text(), r.stderr)
    assert "#endif // LP_EXTRA\n\t{ }\n};" in p.read_text()
    assert not [f for f in analyze_file(str(p), Config()).findings if f.rule == "KLP101"], p.read_text()


def test_license_and_livepatch_tag_fixes_compile(tmp_path):
    p = tmp_path / "untagged.c"
    p.write_text(HEAD + ARRAYS["no_trailing_comma"] + TAIL)   # no MODULE_LICENSE, no MODULE_INFO either
    rules = sorted(f.rule for f in analyze_file(str(p), Config()).findings if f.fixes)
    assert rules == ["KLP101", "KLP112", "KLP113"]
    fix_file(p)
    assert clang_syntax(p).returncode == 0, p.read_text()
    assert not [f for f in analyze_file(str(p), Config()).findings if f.fixes], p.read_text()


def test_overlapping_edits_are_applied_once():
    loc = Location("x.c", 1, 3)
    text, n = apply_edits("ab}\n", [Edit(loc, loc, ","), Edit(loc, loc, ","), Edit(Location("x.c", 1, 1),
                                                                                      Location("x.c", 1, 4), "")])
    assert (text, n) == ("\n", 1)                            # the replacement wins, the duplicate insertions go
    text, n = apply_edits("ab}\n", [Edit(loc, loc, ","), Edit(loc, loc, "{ }")])
    assert (text, n) == ("ab,{ }}\n", 2)                     # two insertions at one place keep their order


def klplint(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_check_diff_then_fix(tmp_path):
    p = tmp_path / "lp.c"
    original = HEAD + ARRAYS["one_line"] + TAIL
    p.write_text(original)
    r = klplint("--diff", "lp.c", cwd=tmp_path)
    assert r.returncode == 1 and p.read_text() == original    # --diff writes nothing
    assert r.stdout.startswith("--- a/lp.c\n+++ b/lp.c\n")
    assert '+MODULE_LICENSE("GPL");' in r.stdout and "lp_show }, { } };" in r.stdout
    assert "3 fixes would be applied" in r.stderr
    patch = subprocess.run(["patch", "-p1", "--dry-run"], input=r.stdout, cwd=tmp_path, capture_output=True,
                           text=True)
    assert patch.returncode == 0, patch.stdout + patch.stderr  # a diff `patch` applies
    r = klplint("--fix", "lp.c", cwd=tmp_path)
    assert "fixed 3 findings" in r.stderr
    assert r.returncode == 0, r.stdout                       # what is left is reported: nothing
    assert clang_syntax(p).returncode == 0
    assert klplint("--diff", "lp.c", cwd=tmp_path).stdout == ""


def test_fix_from_standard_input(tmp_path):
    source = HEAD + ARRAYS["no_trailing_comma"] + TAIL + LICENSED
    r = klplint("-", "--stdin-filename", "lp.c", "--fix", cwd=tmp_path, stdin=source)
    fixed = tmp_path / "fixed.c"
    fixed.write_text(r.stdout)
    assert clang_syntax(fixed).returncode == 0 and fixed.read_text() != source
    assert not [f for f in analyze_file(str(fixed), Config()).findings if f.rule == "KLP101"]
    r = klplint("-", "--stdin-filename", "sub/lp.c", cwd=tmp_path, stdin=source)
    assert r.returncode == 1 and r.stdout.startswith("sub/lp.c:")
    assert "(fixable with --fix)" in r.stdout


def test_fix_with_a_baseline_fixes_only_new_findings(tmp_path):
    old = tmp_path / "old.c"
    old.write_text(HEAD + ARRAYS["one_line"] + TAIL + LICENSED)        # accepted in the baseline
    assert klplint("--write-baseline", "base.json", "old.c", cwd=tmp_path).returncode == 0
    new = tmp_path / "new.c"
    new.write_text(HEAD + ARRAYS["no_trailing_comma"] + TAIL + LICENSED)
    r = klplint("--baseline", "base.json", "--fix", "old.c", "new.c", cwd=tmp_path)
    assert "fixed 1 finding" in r.stderr
    assert r.returncode == 0, r.stdout                   # the baselined finding is still not reported
    assert old.read_text() == HEAD + ARRAYS["one_line"] + TAIL + LICENSED
    assert clang_syntax(new).returncode == 0 and new.read_text().count("{ }") == 2


def test_appended_fixes_start_a_line_in_a_file_without_a_final_newline(tmp_path):
    p = tmp_path / "lp.c"
    p.write_text((HEAD + ARRAYS["trailing_comma"].replace("\n};", "\n\t{ }\n};") + TAIL).rstrip("\n"))
    fix_file(p)
    lines = p.read_text().splitlines()
    assert lines[-3] == "module_init(lp_init);"
    assert sorted(lines[-2:]) == ['MODULE_INFO(livepatch, "Y");', 'MODULE_LICENSE("GPL");']
    assert clang_syntax(p).returncode == 0
