"""[tool.klplint] / .klplint.toml: discovery, every key, flags over the file, one-line errors (exit 2)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from klplint.config.settings import Budgets
from klplint.config.files import find_config, load_config

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad"


def klplint(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "klplint", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture
def project(tmp_path):
    """A git checkout with a module in src/."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "src").mkdir()
    shutil.copy(BAD / "klp107_named_vmlinux.c", tmp_path / "src" / "lp.c")
    return tmp_path


def test_nearest_config_wins_and_git_root_stops_the_walk(tmp_path):
    outer = tmp_path / "outer"
    repo = outer / "repo"
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    (outer / ".klplint.toml").write_text('fail-on = "error"\n')       # outside the repository
    (repo / ".git").mkdir()
    src = sub / "x.c"
    src.write_text("")
    assert find_config([str(src)]) is None
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')     # no [tool.klplint]: skipped
    assert find_config([str(src)]) is None
    (repo / "pyproject.toml").write_text('[tool.klplint]\nfail-on = "note"\n')
    assert find_config([str(src)]) == str(repo / "pyproject.toml")
    (repo / "a" / ".klplint.toml").write_text('fail-on = "error"\n')
    assert find_config([str(src)]) == str(repo / "a" / ".klplint.toml")
    (sub / "pyproject.toml").write_text('[tool.klplint]\nfail-on = "warning"\n')
    (sub / ".klplint.toml").write_text('fail-on = "note"\n')            # same folder: .klplint.toml wins
    assert find_config([str(src)]) == str(sub / ".klplint.toml")
    assert find_config([str(sub)]) == str(sub / ".klplint.toml")        # a folder argument


def test_every_key(project):
    kdir = project / "kernel"
    kdir.mkdir()
    (project / "inc").mkdir()
    (project / ".klplint.toml").write_text("""
select = ["KLP1", "klp2"]
ignore = ["KLP113"]
kernel-dir = "kernel"
include_dirs = ["inc", "/abs/inc"]
defines = ["CONFIG_X=1", "DEBUG"]
fail-on = "error"
frontend = "pycparser"
max-file-size = "1 MiB"

[per-file-ignores]
"src/legacy/*.c" = ["KLP101"]
"old_*.c" = ["KLP2"]

[budgets]
max-paths = 10
loop_unroll = 2
file-seconds = 5
""")
    cfg = load_config([str(project / "src" / "lp.c")], None, {})
    assert cfg.select == ("KLP1", "KLP2") and cfg.ignore == ("KLP113",)
    assert cfg.kernel_dir == str(kdir)
    assert cfg.include_dirs == (str(project / "inc"), "/abs/inc")
    assert cfg.defines == ("CONFIG_X=1", "DEBUG")
    assert cfg.fail_on == "error" and cfg.frontend == "pycparser"
    assert cfg.max_file_bytes == 1 << 20
    assert cfg.per_file_ignores == ((f"{project}/src/legacy/*.c", ("KLP101",)), ("old_*.c", ("KLP2",)))
    assert cfg.budgets == Budgets(max_paths=10, loop_unroll=2, file_seconds=5.0)


def test_flags_win_over_the_file(project):
    (project / ".klplint.toml").write_text('select = ["KLP1"]\nfail-on = "error"\ninclude-dirs = ["inc"]\n'
                                           'defines = ["A=1"]\nfrontend = "pycparser"\n')
    cfg = load_config([str(project / "src")], None, {"select": ("KLP2",), "fail_on": "note", "include_dirs": ("x",),
                                                     "defines": ("A=2",), "frontend": "libclang"})
    assert cfg.select == ("KLP2",) and cfg.fail_on == "note" and cfg.frontend == "libclang"
    assert cfg.include_dirs == ("x", str(project / "inc"))        # -I searched first
    assert cfg.defines == ("A=1", "A=2")                           # -D last, so it wins


def test_config_changes_the_run_and_per_file_ignores(project):
    lp = project / "src" / "lp.c"
    r = klplint("check", "--no-cache", str(lp), cwd=project)
    assert r.returncode == 1 and "KLP107" in r.stdout
    (project / "pyproject.toml").write_text('[tool.klplint]\nper-file-ignores = { "src/*.c" = ["KLP107"] }\n')
    r = klplint("check", "--no-cache", str(lp), cwd=project / "src")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == ""
    # flags win: --select brings nothing back that per-file-ignores removed, but --fail-on from the
    # file is overridden by the flag
    (project / "pyproject.toml").write_text('[tool.klplint]\nfail-on = "error"\nignore = ["KLP107"]\n')
    assert klplint("check", "--no-cache", str(lp), cwd=project).returncode == 0
    r = klplint("check", "--no-cache", "--ignore", "KLP113", str(lp), cwd=project)
    assert r.returncode == 1 and "KLP107" in r.stdout


def test_explicit_config_file(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("cfg") / "strict.toml"
    other.write_text('ignore = ["KLP107"]\n')
    lp = project / "src" / "lp.c"
    assert klplint("check", "--no-cache", "--config", str(other), str(lp)).returncode == 0
    pyproject = other.parent / "pyproject.toml"
    pyproject.write_text('[tool.other]\nx = 1\n')
    r = klplint("check", "--no-cache", "--config", str(pyproject), str(lp))
    assert r.returncode == 2 and "no [tool.klplint] table" in r.stderr
    r = klplint("check", "--config", str(other.parent / "missing.toml"), str(lp))
    assert r.returncode == 2 and "missing.toml: no such config file" in r.stderr


@pytest.mark.parametrize("text, where, what", [
    ('selct = ["KLP1"]', ".klplint.toml", "unknown key 'selct' (did you mean 'select'?)"),
    ('select = "KLP1"', ".klplint.toml: select", "expected a list of strings"),
    ('select = ["KLP9"]', ".klplint.toml: select", "unknown rule or prefix 'KLP9'"),
    ('fail-on = "fatal"', ".klplint.toml: fail-on", "expected one of note, warning, error"),
    ('frontend = "gcc"', ".klplint.toml: frontend", "expected one of libclang, pycparser"),
    ('kernel-dir = "nowhere"', ".klplint.toml: kernel-dir", "nowhere: no such directory"),
    ('budgets = { max-path = 3 }', ".klplint.toml: budgets", "unknown budget 'max-path'"),
    ('budgets = { max-paths = 0 }', ".klplint.toml: budgets.max-paths", "expected a positive integer"),
    ('budgets = { file-seconds = "x" }', ".klplint.toml: budgets.file-seconds", "expected a positive number"),
    ('max-file-size = "big"', ".klplint.toml: max-file-size", "expected a size in bytes"),
    ('defines = ["1X"]', ".klplint.toml: defines", "'1X' is not NAME or NAME=VALUE"),
    ('per-file-ignores = { "a.c" = ["KLP999"] }', ".klplint.toml: per-file-ignores.'a.c'",
     "unknown rule or prefix 'KLP999'"),
    ('select = [', ".klplint.toml", "not valid TOML"),
])
def test_bad_config_is_one_line_naming_file_and_key(project, text, where, what):
    (project / ".klplint.toml").write_text(text + "\n")
    r = klplint("check", "--no-cache", "src/lp.c", cwd=project)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"klplint: error: {where}"), lines[0]
    assert what in lines[0]
    assert r.stdout == ""


def test_bad_pyproject_table_names_the_table(project):
    (project / "pyproject.toml").write_text('[tool.klplint]\nbogus = 1\n')
    r = klplint("check", "src/lp.c", cwd=project)
    assert r.returncode == 2
    assert r.stderr.strip() == "klplint: error: pyproject.toml: [tool.klplint]: unknown key 'bogus'"


def test_relative_paths_resolve_against_the_config_folder(project):
    """include-dirs from the config work wherever klplint is started."""
    (project / "inc").mkdir()
    (project / "inc" / "lp_names.h").write_text('#define TARGET_NAME "vmlinux"\n')
    src = project / "src" / "uses_header.c"
    src.write_text((BAD / "klp107_named_vmlinux.c").read_text()
                   .replace('#include <linux/livepatch.h>', '#include <linux/livepatch.h>\n#include "lp_names.h"')
                   .replace('.name = "vmlinux"', ".name = TARGET_NAME"))
    (project / ".klplint.toml").write_text('include-dirs = ["inc"]\n')
    for cwd in (project, project / "src", project / "inc"):
        r = klplint("check", "--no-cache", os.path.relpath(src, cwd), cwd=cwd)
        assert "KLP107" in r.stdout and "not found" not in r.stderr, (cwd, r.stdout, r.stderr)
