"""Which files a run collects and analyses: kbuild's generated *.mod.c and git-ignored files are
not collected; C files that are not livepatch modules are collected but skipped without a parse."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from klplint.config.settings import Config
from klplint.pipeline.analyze_paths import analyze_paths
from klplint.pipeline.collect import collect_files, is_livepatch_source

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "corpus" / "structure" / "good" / "klp101_terminated_tables.c"


def _tree(d: Path) -> Path:
    (d / "src").mkdir()
    (d / "build").mkdir()
    shutil.copy(GOOD, d / "src" / "lp.c")
    (d / "src" / "lp.mod.c").write_text('#include <linux/module.h>\nMODULE_INFO(name, KBUILD_MODNAME);\n')
    shutil.copy(GOOD, d / "build" / "copy.c")
    shutil.copy(GOOD, d / "src" / "gen_table.c")
    (d / ".gitignore").write_text("build/\ngen_*.c\n")
    return d


def test_generated_files_are_never_collected(tmp_path):
    d = _tree(tmp_path)
    files, errors = collect_files([str(d)])
    names = sorted(Path(f).relative_to(d).as_posix() for f in files)
    assert errors == []
    # not a git work tree: .gitignore means nothing, but modpost's *.mod.c is still left out
    assert names == ["build/copy.c", "src/gen_table.c", "src/lp.c"]


def test_git_ignored_files_are_not_collected(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    d = _tree(tmp_path)
    subprocess.run(["git", "init", "-q", str(d)], check=True)
    files, _ = collect_files([str(d)])
    assert sorted(Path(f).relative_to(d).as_posix() for f in files) == ["src/lp.c"]
    files, _ = collect_files([str(d / "src")])                 # asked from a folder below the root
    assert [Path(f).name for f in files] == ["lp.c"]
    # a tracked file stays collected even when a pattern matches it (git's own rule)
    subprocess.run(["git", "-C", str(d), "add", "-f", "src/gen_table.c"], check=True)
    files, _ = collect_files([str(d)])
    assert sorted(Path(f).name for f in files) == ["gen_table.c", "lp.c"]
    # a file named on the command line is checked whatever git says
    files, _ = collect_files([str(d / "build" / "copy.c")])
    assert [Path(f).name for f in files] == ["copy.c"]


@pytest.mark.parametrize("text, livepatch", [
    ("#include <linux/livepatch.h>\n", True),
    ('#include "livepatch.h"\n', True),
    ("static struct klp_func funcs[] = { { } };\n", True),
    ("void f(void) { klp_shadow_free_all(1, NULL); }\n", True),
    ("int main(void) { return 0; }\n", False),
    ("/* a klp mention without an identifier */ int x;\n", False),
])
def test_what_counts_as_a_livepatch_source(tmp_path, text, livepatch):
    p = tmp_path / "x.c"
    p.write_text(text)
    assert is_livepatch_source(str(p)) is livepatch


def test_non_livepatch_files_are_skipped_without_a_parse(tmp_path, monkeypatch):
    (tmp_path / "helper.c").write_text("int f( {\n")          # would be a parse error
    shutil.copy(GOOD, tmp_path / "lp.c")
    import klplint.pipeline.analyze_paths as ap
    parsed = []
    real = ap.analyze_file_safely
    monkeypatch.setattr(ap, "analyze_file_safely", lambda path, config: parsed.append(path) or real(path, config))
    results, errors = analyze_paths([str(tmp_path)], Config())
    assert errors == [] and [Path(p).name for p in parsed] == ["lp.c"]
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["helper.c"].skipped and not by_name["helper.c"].errors
    assert not by_name["lp.c"].skipped


def test_json_names_the_skipped_files(tmp_path):
    import json
    import subprocess
    import sys
    (tmp_path / "helper.c").write_text("int helper(void) { return 1; }\n")
    shutil.copy(GOOD, tmp_path / "lp.c")
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", "--format", "json", "."],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["skipped"] == ["helper.c"] and doc["findings"] == [] and doc["errors"] == []
