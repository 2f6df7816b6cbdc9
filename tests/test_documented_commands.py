"""The README's and docs/ci.md's command blocks that no other test runs, run as written (by bash, with
the installed `klplint` on PATH) in a folder laid out with the files they name: "Using it", the text
output example, the baselines, the kpatch commands; and a census of every fenced snippet of the
README, docs/ci.md and docs/editors.md, each named with the test that runs it, so that a new snippet
there without a test fails.

Only what stands for this machine is replaced: `/usr/src/linux-headers-$(uname -r)` (the running
kernel need not be the one whose headers are installed) and `~/linux` (HOME is a folder of the
test's, whose `linux` is Debian's linux-source-6.1).
"""
from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import klplint
from corpus_expect import expectations

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
KERNEL_DIR = "/usr/src/linux-headers-$(uname -r)"


def section(doc: str, heading: str) -> str:
    """The Markdown from the line `heading` to the next heading (lines in code blocks are not headings)."""
    lines = (ROOT / doc).read_text().splitlines(True)
    start = next(i for i, line in enumerate(lines) if line.rstrip("\n") == heading)
    fenced = False
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", lines[i]):
            return "".join(lines[start:i])
    return "".join(lines[start:])


def fenced(text: str):
    """(language, body) of each fenced block in `text`."""
    return re.findall(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)


def commands(doc: str, heading: str, index: int = 0):
    """The command lines of the section's index-th shell block, without their trailing `# comments`."""
    blocks = [body for lang, body in fenced(section(doc, heading)) if lang == "sh"]
    return [re.sub(r"\s+# .*$", "", line).strip() for line in blocks[index].splitlines() if line.strip()]


def shell_env(**extra) -> dict:
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""), **extra)
    env.pop("KLPLINT_STRICT", None)     # as users run it
    return env


def run(command: str, cwd: Path, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=shell_env(**extra), capture_output=True, text=True,
                          timeout=900)


FINDING = re.compile(r"^(.+?):(\d+):\d+: (?:error|warning|note): .*\[(KLP\d{3})\](?: \(fixable with --fix\))?$", re.M)


def reported(out: str) -> Counter:
    """(file, line, rule) of each finding in text output (its lifecycle path lines name no rule)."""
    return Counter((f, int(line), rule) for f, line, rule in FINDING.findall(out))


def expected(folder: Path, *names: str) -> Counter:
    """(file relative to `folder`, line, rule) the corpus files under `names` expect."""
    want: Counter = Counter()
    for name in names:
        p = folder / name
        for f in sorted(p.rglob("*.c")) if p.is_dir() else [p]:
            for (rule, line), n in expectations(f.read_text())[0].items():
                want[(str(f.relative_to(folder)), line, rule)] += n
    return want


# ------------------------------------------------------------------------------------- Using it
# `patch.c` for the commands that name it: a module whose object is the `m` of the documented
# --scenario, whose funcs array lacks its terminator unless LP_TERMINATED is defined (the define the
# compile database of `-p build/` gives).
PATCH_C = """// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/livepatch.h>

static int lp_show(void *m, void *v)
{
	return 0;
}

static int lp_pre_patch(struct klp_object *obj)
{
	pr_info("patching %s\\n", obj->name);
	return 0;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	pr_info("unpatched %s\\n", obj->name);
}

static struct klp_func funcs[] = {
	{ .old_name = "m_show", .new_func = lp_show, },
#ifdef LP_TERMINATED
	{ }
#endif
};

static struct klp_object objs[] = {
	{
		.name = "m",
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
		},
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""
PATCH_C_KLP101_LINE = PATCH_C[:PATCH_C.index("static struct klp_func funcs")].count("\n") + 1


def usage_folder(tmp_path: Path) -> Path:
    """The folder the "Using it" commands run in, with every file they name."""
    work = tmp_path / "project"
    (work / "path" / "to").mkdir(parents=True)
    (work / "more" / "modules").mkdir(parents=True)
    (work / "src").mkdir()
    (work / "build").mkdir()
    (work / "patch.c").write_text(PATCH_C)
    shutil.copy(CORPUS / "structure" / "bad" / "klp101_funcs_without_terminator.c", work / "path" / "to" / "patch.c")
    shutil.copy(CORPUS / "lifecycle" / "bad" / "klp207_context_used_after_free.c", work / "more" / "modules")
    shutil.copy(CORPUS / "shadow" / "bad" / "klp304_shadow_id_typo.c", work / "more" / "modules")
    shutil.copy(CORPUS / "structure" / "bad" / "klp112_no_livepatch_tag.c", work / "src")
    (work / "src" / "helper.c").write_text("int helper(void) { return 1; }\n")      # not a livepatch module
    # A compile database names the headers its files compile against: here klplint's own model
    # headers (as installed) stand for a kernel tree, and it defines LP_TERMINATED.
    include = Path(klplint.__file__).parent / "frontend" / "include"
    (work / "build" / "compile_commands.json").write_text(json.dumps([{
        "directory": str(work), "file": "patch.c",
        "arguments": ["gcc", "-nostdinc", "-I", str(include), "-DLP_TERMINATED", "-c", "patch.c", "-o", "patch.o"]}]))
    return work


def test_readme_usage_commands(tmp_path):
    work = usage_folder(tmp_path)
    cmds = commands("README.md", "## Using it")
    local = [c for c in cmds if KERNEL_DIR not in c]
    cache = str(tmp_path / "cache")
    out = {c: run(c, work, KLPLINT_CACHE_DIR=cache) for c in local}

    def ok(command, code):
        r = out.pop(command)
        assert r.returncode == code, (command, r.stdout[-3000:], r.stderr[-3000:])
        return r

    patch_c = Counter({("patch.c", PATCH_C_KLP101_LINE, "KLP101"): 1})
    r = ok("klplint check", 1)           # the current folder, every *.c below it, helper.c skipped
    assert reported(r.stdout) == patch_c + expected(work, "path", "more", "src"), r.stdout
    assert "(5 files checked, 1 skipped as not a livepatch module)." in r.stdout.splitlines()[-1], r.stdout
    r = ok("klplint check path/to/patch.c more/modules/", 1)
    assert reported(r.stdout) == expected(work, "path/to/patch.c", "more/modules"), r.stdout
    r = ok("klplint check --diff patch.c", 1)
    fixed = PATCH_C.replace("\t{ }\n#endif\n};", "\t{ },\n#endif\n\t{ }\n};")   # right with LP_TERMINATED or not
    assert r.stdout == "".join(difflib.unified_diff(PATCH_C.splitlines(True), fixed.splitlines(True),
                                                    fromfile="a/patch.c", tofile="b/patch.c")), r.stdout
    assert (work / "patch.c").read_text() == PATCH_C         # --diff writes nothing
    r = ok("klplint check -p build/ patch.c", 0)             # LP_TERMINATED from build/compile_commands.json
    assert r.stdout == ""                                     # a clean run prints nothing
    assert "not found" not in r.stderr, r.stderr               # the database's -I was used
    r = ok("klplint check --format sarif -o klplint.sarif src/", 1)
    sarif = json.loads((work / "klplint.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert Counter((x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    x["locations"][0]["physicalLocation"]["region"]["startLine"], x["ruleId"]) for x in results) \
        == expected(work, "src")
    r = ok("klplint rules", 0)
    from klplint.rules.registry import all_rules
    assert [line.split()[0] for line in r.stdout.splitlines()] == [rule.id for rule in all_rules()]
    r = ok("klplint explain KLP201", 0)
    assert r.stdout.startswith("# KLP201 ")
    r = ok("klplint trace patch.c", 0)
    assert "scenario: load:m,enable,disable\n" in r.stdout, r.stdout
    assert "patch: lp_pre_patch: m -> [MODULE_STATE_LIVE]" in r.stdout and "patch: lp_post_unpatch: m ->" in r.stdout
    r = ok("klplint trace patch.c --scenario 'load:m,enable,disable,unload:m' --format json", 0)
    (trace,) = json.loads(r.stdout)
    assert trace["scenario"] == "load:m,enable,disable,unload:m" and trace["outcome"] == "ok"
    assert [(c["role"], c["function"], c["object"]) for c in trace["calls"]] == [
        ("pre_patch", "lp_pre_patch", "m"), ("post_unpatch", "lp_post_unpatch", "m")]
    assert not out, f"documented commands this test does not check: {list(out)}"
    assert len(cmds) - len(local) == 1


def test_readme_usage_kernel_dir_command(tmp_path):
    """The `--kernel-dir /usr/src/linux-headers-$(uname -r)` line, with this machine's headers."""
    from kbuild_util import kernel_build_dir
    kdir = kernel_build_dir()
    (command,) = [c for c in commands("README.md", "## Using it") if KERNEL_DIR in c]
    assert command == f"klplint check --kernel-dir {KERNEL_DIR} patch.c"
    work = usage_folder(tmp_path)
    r = run(command.replace(KERNEL_DIR, kdir), work, KLPLINT_CACHE_DIR=str(tmp_path / "cache"))
    assert r.returncode == 1, (r.stdout[-3000:], r.stderr[-3000:])
    assert reported(r.stdout) == Counter({("patch.c", PATCH_C_KLP101_LINE, "KLP101"): 1}), r.stdout
    assert "not found" not in r.stderr, r.stderr


def test_readme_text_output_example():
    """The output shown under "Using it" is what `klplint check` prints for that file (not on a terminal)."""
    (shown,) = [body for lang, body in fenced(section("README.md", "## Using it")) if lang == ""]
    path = re.match(r"([^:]+):", shown).group(1)
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", path], cwd=ROOT, env=shell_env(),
                       capture_output=True, text=True, timeout=300)
    assert r.stdout == shown


# ------------------------------------------------------------------------------------- baselines
@pytest.mark.parametrize("doc,heading,folder", [
    ("README.md", "### Baseline", "src"),
    ("docs/ci.md", "## Baselines: adopt klplint without fixing everything first", "livepatch"),
])
def test_documented_baseline_commands(tmp_path, doc, heading, folder):
    """Accept today's findings, then only a new one fails."""
    cmds = commands(doc, heading)
    write = [c for c in cmds if "--write-baseline" in c]
    gate = [c for c in cmds if "--baseline " in c]
    assert len(write) == 1 and len(gate) == 1, cmds
    work = tmp_path / "repo"
    (work / folder).mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    shutil.copy(CORPUS / "lifecycle" / "bad" / "klp204_leak_over_reenable.c", work / folder / "old.c")
    cache = str(tmp_path / "cache")
    for c in cmds:                      # as written, in order (docs/ci.md's `git add` included)
        r = run(c, work, KLPLINT_CACHE_DIR=cache)
        assert r.returncode == 0, (c, r.stdout[-3000:], r.stderr[-3000:])
    assert json.loads((work / ".klplint-baseline.json").read_text())
    shutil.copy(CORPUS / "structure" / "bad" / "klp107_named_vmlinux.c", work / folder / "new.c")
    r = run(gate[0], work, KLPLINT_CACHE_DIR=cache)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert set(reported(r.stdout)) == set(expected(work, f"{folder}/new.c")), r.stdout


# --------------------------------------------------------------------------- kpatch source diffs
def _prepared_tree(src: Path, headers: Path, dest: Path) -> Path:
    """A tree as `make prepare` leaves it: the source, with the .config and generated headers of
    Debian's matching linux-headers (links, nothing copied)."""
    dest.mkdir(parents=True)
    for entry in src.iterdir():
        if entry.name not in ("include", "arch"):
            (dest / entry.name).symlink_to(entry)
    for sub, generated in (("include", headers / "include" / "generated"),
                           ("arch/x86/include", headers / "arch" / "x86" / "include" / "generated")):
        (dest / sub).mkdir(parents=True)
        for entry in (src / sub).iterdir():
            (dest / sub / entry.name).symlink_to(entry)
        (dest / sub / "generated").symlink_to(generated)
    (dest / "include" / "config").symlink_to(headers / "include" / "config")
    (dest / ".config").symlink_to(headers / ".config")
    return dest


def test_readme_kpatch_commands(tmp_path, kpatch_kernel):
    """`klplint check fix.patch --kernel-src ~/linux --kernel-dir ...` with an extracted
    linux-source as ~/linux, and `klplint trace fix.patch --kernel-src ~/linux` with a prepared one."""
    src, headers = kpatch_kernel("6.1")
    check, trace = commands("README.md", "### kpatch patches (source diffs)")
    assert check.startswith("klplint check fix.patch --kernel-src ~/linux") and KERNEL_DIR in check
    assert trace == "klplint trace fix.patch --kernel-src ~/linux"
    work = tmp_path / "work"
    work.mkdir()
    diff = CORPUS / "kpatch" / "linux-6.1" / "bad" / "module_callbacks_leak.patch"
    shutil.copy(diff, work / "fix.patch")
    from kpatch_tree import kpatch_expectations
    want, _ = kpatch_expectations(diff.read_text())
    cache = str(tmp_path / "cache")

    extracted = tmp_path / "home-extracted"
    extracted.mkdir()
    (extracted / "linux").symlink_to(src)
    r = run(check.replace(KERNEL_DIR, str(headers)), work, HOME=str(extracted), KLPLINT_CACHE_DIR=cache)
    assert r.returncode == 1, (r.stdout[-3000:], r.stderr[-3000:])
    got = {(rule, os.path.relpath(os.path.realpath(f), os.path.realpath(src)), line)
           for f, line, rule in reported(r.stdout)}
    assert got == want, r.stdout
    assert "[fix.patch:" in r.stdout

    built = tmp_path / "home-built"
    _prepared_tree(src, headers, built / "linux")
    r = run(trace, work, HOME=str(built), KLPLINT_CACHE_DIR=cache)
    assert r.returncode == 0, (r.stdout[-3000:], r.stderr[-3000:])
    assert "scenario: load:tcp_bic,enable,disable\n" in r.stdout, r.stdout[-3000:]
    assert "livepatch-fix: bic_pre_patch: tcp_bic -> [MODULE_STATE_LIVE]" in r.stdout, r.stdout[-3000:]


# ------------------------------------------------------------------------- CI workflow's install
@pytest.mark.slow
def test_ci_workflow_install_step_with_its_tag(tmp_path):
    """docs/ci.md's "Install klplint" step, `pip install "klplint @ git+https://...@v0.2.0"`, run as
    written in a fresh virtual environment (setup-python's pip), against a clone of this repository
    with that tag: only the repository's address is changed (to the clone). pip needs the package
    index or its cache for the dependencies, as for any user."""
    import yaml

    from klplint import __version__
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (workflow,) = [yaml.safe_load(body) for lang, body in fenced(section("docs/ci.md", "## GitHub Actions"))
                   if lang == "yaml"]
    (step,) = [s for s in workflow["jobs"]["klplint"]["steps"] if s.get("name") == "Install klplint"]
    url = "https://github.com/klplint/klplint"
    assert step["run"] == f'pip install "klplint @ git+{url}@v{__version__}"'
    upstream = tmp_path / "upstream"
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    subprocess.run(["git", "clone", "-q", str(ROOT), str(upstream)], check=True, env=env)
    subprocess.run(["git", "-C", str(upstream), "tag", "-f", f"v{__version__}"], check=True, env=env)
    venv = tmp_path / "runner"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "KLPLINT_STRICT"))}
    env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
    r = subprocess.run(["bash", "-e", "-c", step["run"].replace(url, f"file://localhost{upstream}")], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    v = subprocess.run([str(venv / "bin" / "klplint"), "--version"], capture_output=True, text=True, timeout=300)
    assert v.stdout.strip().endswith(__version__), v.stdout + v.stderr
    shutil.copy(CORPUS / "structure" / "bad" / "klp101_funcs_without_terminator.c", tmp_path / "lp.c")
    r = subprocess.run([str(venv / "bin" / "klplint"), "check", "--no-cache", "lp.c"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "[KLP101]" in r.stdout, r.stdout + r.stderr


# ------------------------------------------------------------------------------------- set-up
def test_readme_test_command_is_what_ci_runs():
    """The README's second set-up command is the one CI runs (.ci/run), on a fresh machine."""
    (test_command,) = commands("README.md", "## Set up", 1)
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == f"exec {test_command}", ci


# ------------------------------------------------------------------------------------- census
# Every fenced block of the documents, by (document, section heading, index among the section's
# blocks): the test that runs it, or why none does.
SNIPPETS = {
    ("README.md", "## Set up", 0): "test_documented_snippets.py::test_readme_setup_command_on_a_fresh_copy",
    ("README.md", "## Set up", 1): "test_documented_commands.py::test_readme_test_command_is_what_ci_runs",
    ("README.md", "## Using it", 0): "test_documented_commands.py::test_readme_usage_commands",
    ("README.md", "## Using it", 1): "test_documented_commands.py::test_readme_text_output_example",
    ("README.md", "### Baseline", 0): "test_documented_commands.py::test_documented_baseline_commands",
    ("README.md", "### pre-commit", 0): "test_documented_snippets.py::test_documented_pre_commit_config_with_its_tag",
    ("README.md", "### CI", 0): "test_documented_snippets.py::test_readme_ci_commands",
    ("README.md", "### kbuild (as sparse)", 0): "test_documented_snippets.py::test_documented_kbuild_commands",
    ("README.md", "### kpatch patches (source diffs)", 0): "test_documented_commands.py::test_readme_kpatch_commands",
    ("README.md", "## How it works", 0): None,       # a diagram
    ("docs/ci.md", "## GitHub Actions", 0): "test_cli.py::test_documented_ci_workflow_commands_work",
    # (its install step: test_documented_commands.py::test_ci_workflow_install_step_with_its_tag)
    ("docs/ci.md", "## Baselines: adopt klplint without fixing everything first", 0):
        "test_documented_commands.py::test_documented_baseline_commands",
    ("docs/ci.md", "## pre-commit", 0): "test_documented_snippets.py::test_documented_pre_commit_config_with_its_tag",
    ("docs/ci.md", "## kbuild (`make C=1`)", 0): "test_documented_snippets.py::test_documented_kbuild_commands",
    ("docs/ci.md", "## kbuild (`make C=1`)", 1): "test_documented_snippets.py::test_documented_kbuild_commands",
    ("docs/editors.md", "## Neovim (0.7 or later)", 0): "test_neovim.py::test_neovim_with_the_documented_config",
    ("docs/editors.md", "## Emacs (eglot)", 0): "test_emacs.py::test_emacs_eglot_with_the_documented_config",
}


def _snippets_of(doc: str):
    """(heading, index) of each fenced block of `doc`, under the heading it sits below."""
    heading, counts, out, fence = None, Counter(), [], False
    for line in (ROOT / doc).read_text().splitlines():
        if line.startswith("```"):
            if not fence:
                out.append((heading, counts[heading]))
                counts[heading] += 1
            fence = not fence
        elif not fence and re.match(r"#{1,6} ", line):
            heading = line
    return out


def test_every_documented_snippet_has_its_test():
    docs = ["README.md", "docs/ci.md", "docs/editors.md"]
    found = {(doc, heading, i) for doc in docs for heading, i in _snippets_of(doc)}
    assert found == set(SNIPPETS), (f"snippets without a test: {sorted(found - set(SNIPPETS), key=str)}; "
                                    f"gone: {sorted(set(SNIPPETS) - found, key=str)}")
    for test in filter(None, SNIPPETS.values()):
        module, name = test.split("::")
        assert re.search(rf"^def {name}\(", (ROOT / "tests" / module).read_text(), re.M), test
