"""The documented snippets run as written: the README's set-up command on a copy of the repository
(a virtual environment, as Debian's and Ubuntu's externally managed Python need), the README's CI
commands, the pre-commit configurations of the README, docs/ci.md and .pre-commit-hooks.yaml with
the tag they name, run by the real pre-commit against a clone tagged that way, and the version
they name is klplint's own."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from klplint import __version__

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad"
GOOD = ROOT / "corpus" / "structure" / "good"
TAG = f"v{__version__}"


def blocks(path: Path, lang: str):
    return re.findall(rf"```{lang}\n(.*?)```", (ROOT / path).read_text(), re.S)


def section(path: Path, heading: str) -> str:
    """The Markdown from the line `heading` to the next heading (lines in code blocks are not headings)."""
    lines = (ROOT / path).read_text().splitlines(True)
    start = next(i for i, l in enumerate(lines) if l.rstrip("\n") == heading)
    fenced = False
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", lines[i]):
            return "".join(lines[start:i])
    return "".join(lines[start:])


def pre_commit_configs():
    """Every documented pre-commit configuration: the README's, docs/ci.md's, and the usage in
    .pre-commit-hooks.yaml's header comment."""
    out = {}
    out["README.md"] = yaml.safe_load(re.search(r"```yaml\n(.*?)```", section(Path("README.md"), "### pre-commit"),
                                                re.S).group(1))
    out["docs/ci.md"] = yaml.safe_load(re.search(r"```yaml\n(.*?)```", section(Path("docs/ci.md"), "## pre-commit"),
                                                 re.S).group(1))
    header = [l[1:] for l in (ROOT / ".pre-commit-hooks.yaml").read_text().splitlines() if l.startswith("#")]
    usage = "\n".join(l[2:] if l.startswith("  ") else l for l in header if l.strip() and "pre-commit hooks of" not in l)
    out[".pre-commit-hooks.yaml"] = yaml.safe_load(usage)
    return out


def test_every_documented_version_is_this_one():
    r = subprocess.run([sys.executable, "-m", "klplint", "--version"], capture_output=True, text=True)
    assert r.stdout.strip().endswith(__version__)
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^version = "(.*)"$', pyproject, re.M).group(1) == __version__
    assert (ROOT / "CHANGELOG.md").read_text().count(f"## {__version__}\n") == 1
    for name, cfg in pre_commit_configs().items():
        (repo,) = cfg["repos"]
        assert repo["rev"] == TAG, name
        assert [h["id"] for h in repo["hooks"]] == ["klplint"], name
    for path in ("README.md", "docs/ci.md", "docs/editors.md"):
        text = (ROOT / path).read_text()
        for rev in re.findall(r"(?:rev: |@)(v\d+\.\d+\.\d+)", text):
            assert rev == TAG, (path, rev)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["klplint"]


def test_readme_keeps_two_setup_commands():
    setup = section(Path("README.md"), "## Set up")
    assert len(re.findall(r"```sh\n", setup)) == 2


def test_readme_ci_commands(tmp_path):
    (tmp_path / "src").mkdir()
    shutil.copy(BAD / "klp101_funcs_without_terminator.c", tmp_path / "src" / "old.c")
    ci = re.search(r"```sh\n(.*?)```", section(Path("README.md"), "### CI"), re.S).group(1)
    commands = [l.split("#")[0].strip() for l in ci.splitlines() if l.strip()]
    assert len(commands) == 2
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    assert subprocess.run([sys.executable, "-m", "klplint", "check", "--write-baseline", ".klplint-baseline.json",
                           "src/"], cwd=tmp_path).returncode == 0
    sarif = subprocess.run(["bash", "-c", commands[0]], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert sarif.returncode == 1 and (tmp_path / "klplint.sarif").exists(), sarif.stderr
    gate = subprocess.run(["bash", "-c", commands[1]], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (gate.returncode, gate.stdout) == (0, ""), gate.stdout + gate.stderr


def _copy_of_the_repository(dest: Path) -> Path:
    """The repository's tracked files as they are in the working tree: what a fresh clone has."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split("\0")
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    return dest


@pytest.mark.slow
def test_readme_setup_command_on_a_fresh_copy(tmp_path):
    """`bash scripts/install.sh` (a virtual environment, then `klplint check examples/`), as written
    (pip needs the package index or its cache for the dependencies, as for any user)."""
    if shutil.which("git") is None or shutil.which("python3") is None:
        pytest.skip("git and python3 are needed")
    setup = section(Path("README.md"), "## Set up")
    command = re.findall(r"```sh\n(.*?)```", setup, re.S)[0].strip()
    assert command == "bash scripts/install.sh"
    repo = _copy_of_the_repository(tmp_path / "klplint")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "KLPLINT_STRICT"))}
    # the system's python3 first, not the test run's virtual environment
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(os.path.dirname(os.path.dirname(sys.executable))))
    r = subprocess.run(["bash", "-e", "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                       timeout=1800)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    assert (repo / ".venv" / "bin" / "klplint").exists()
    v = subprocess.run([str(repo / ".venv" / "bin" / "klplint"), "--version"], capture_output=True, text=True)
    assert v.stdout.strip().endswith(__version__)


@pytest.fixture(scope="module")
def tagged_upstream(tmp_path_factory):
    """A clone of this repository (its committed HEAD) with the documented tag, and one
    PRE_COMMIT_HOME for the tests that install the hook from it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("tagged")
    env = dict(os.environ, PRE_COMMIT_HOME=str(base / "pre-commit-home"), PRE_COMMIT_COLOR="never",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    env.pop("KLPLINT_CACHE_DIR", None)
    env.pop("KLPLINT_STRICT", None)
    upstream = base / "upstream"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(upstream)], check=True, env=env)
    subprocess.run(["git", "-C", str(upstream), "tag", "-f", TAG], check=True, env=env)
    return upstream, env


@pytest.mark.slow
@pytest.mark.parametrize("doc", ["README.md", "docs/ci.md", ".pre-commit-hooks.yaml"])
def test_documented_pre_commit_config_with_its_tag(tmp_path, tagged_upstream, doc):
    """The configuration as documented, `rev: v0.2.0` and all, against a clone of this repository
    where that tag exists: only the repository's address is changed (to the clone)."""
    upstream, env = tagged_upstream
    cfg = pre_commit_configs()[doc]
    cfg["repos"][0]["repo"] = str(upstream)

    work = tmp_path / "work"
    work.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=work, check=True, env=env)
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(cfg))
    shutil.copy(BAD / "klp101_funcs_without_terminator.c", work / "lp.c")
    (work / "helper.c").write_text("int helper(void) { return 1; }\n")      # not a livepatch module
    subprocess.run(["git", "add", "."], cwd=work, check=True, env=env)
    r = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=work, env=env,
                       capture_output=True, text=True, timeout=1800)
    out = r.stdout + r.stderr
    assert r.returncode == 1 and "Failed" in out, out[-4000:]
    assert "lp.c:" in out and "error: " in out and "[KLP101]" in out, out[-4000:]
    assert "helper.c:" not in out
    shutil.copy(GOOD / "klp101_terminated_tables.c", work / "lp.c")
    subprocess.run(["git", "add", "."], cwd=work, check=True, env=env)
    r = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=work, env=env,
                       capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0 and "Passed" in r.stdout, (r.stdout + r.stderr)[-4000:]


def test_documented_kbuild_commands(tmp_path):
    """docs/ci.md's and the README's `make ... CHECK="klplint kbuild-check ..."` lines, run in a
    module's folder; only the kernel tree is this machine's (`uname -r` names the running kernel,
    whose headers may not be the ones installed)."""
    from kbuild_util import kernel_build_dir
    from server_util import private_runtime, stop_servers
    kdir = kernel_build_dir()
    text = section(Path("docs/ci.md"), "## kbuild (`make C=1`)") + section(Path("README.md"), "### kbuild (as sparse)")
    commands = [l.split("  #")[0].strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)
                for l in block.splitlines() if l.startswith("make ")]
    assert len(commands) == 4, commands
    shutil.copy(ROOT / "corpus" / "lifecycle" / "bad" / "klp201_shared_callback_logs_module.c", tmp_path / "lp.c")
    (tmp_path / "helper.c").write_text("int helper(void);\nint helper(void) { return 1; }\n")   # the module's other file
    (tmp_path / "Makefile").write_text("obj-m += lp_all.o\nlp_all-y := lp.o helper.o\n")
    runtime = private_runtime()
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
               XDG_RUNTIME_DIR=runtime)
    env.pop("KLPLINT_STRICT", None)
    try:
        for command in commands:
            run = command.replace("/usr/src/linux-headers-$(uname -r)", kdir)
            subprocess.run(["make", "-C", kdir, f"M={tmp_path}", "clean"], capture_output=True, timeout=300)
            r = subprocess.run(["bash", "-c", run], cwd=tmp_path, env=env, capture_output=True, text=True,
                               timeout=900)
            out = r.stdout + r.stderr
            assert re.search(r"lp\.c:\d+:\d+: error: .*\[KLP201\]$", out, re.M), (command, out[-3000:])
            assert not re.search(r"helper\.c:.*(\[KLP\d{3}\]|error)", out), out[-3000:]   # not a livepatch module
            assert (r.returncode == 0) == ("--fail-on never" in command), (command, out[-3000:])
    finally:
        stop_servers(runtime)
