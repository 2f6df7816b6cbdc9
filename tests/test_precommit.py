"""The `klplint` pre-commit hook, run by the real pre-commit tool on a throwaway git repository.

`pre-commit try-repo` clones this repository at HEAD plus its uncommitted changes to tracked files
(not untracked ones), installs it with pip into a fresh virtualenv (this needs the package index
or a pip cache, as it does for every user of the hook) and runs the hook on the staged files.
A git pre-commit hook in the throwaway repository calls it, so a real `git commit` is blocked
with the finding shown, and goes through once the module is fixed.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

BAD = """// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/livepatch.h>

static int lp_show(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "show_partition", .new_func = lp_show, },
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
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

module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""
GOOD = BAD.replace("lp_show, },\n};", "lp_show, },\n\t{ }\n};")
HELPER = "/* not a livepatch: quiet */\nint helper(void) { return 0; }\n"


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def git(repo, *args, env=None, check=True):
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check,
                          timeout=1200)


def test_hook_blocks_the_commit_then_allows_it_after_the_fix(tmp_path, pre_commit_home):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    manifest = git(ROOT, "ls-files", "--error-unmatch", ".pre-commit-hooks.yaml", check=False)
    assert manifest.returncode == 0, ".pre-commit-hooks.yaml must be committed: try-repo reads tracked files"

    repo = tmp_path / "lp-repo"
    repo.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(pre_commit_home), PRE_COMMIT_COLOR="never",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    env.pop("KLPLINT_CACHE_DIR", None)
    git(repo, "init", "-q", env=env)
    git(repo, "config", "commit.gpgsign", "false", env=env)
    git(repo, "config", "core.hooksPath", ".git/hooks", env=env)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pre_commit try-repo "{ROOT}" klplint\n')
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    (repo / "lp_fix.c").write_text(BAD)
    (repo / "helper.c").write_text(HELPER)
    (repo / "notes.txt").write_text("not C\n")
    git(repo, "add", "lp_fix.c", "helper.c", "notes.txt", env=env)
    blocked = git(repo, "commit", "-m", "livepatch", env=env, check=False)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "klplint (livepatch modules)" in out and "Failed" in out, out[-4000:]
    assert "lp_fix.c:10:24: error: " in out and "[KLP101]" in out, out[-4000:]
    assert "helper.c:" not in out and "notes.txt" not in out
    assert git(repo, "rev-list", "--all", env=env).stdout.strip() == ""        # nothing committed

    (repo / "lp_fix.c").write_text(GOOD)
    git(repo, "add", "lp_fix.c", env=env)
    allowed = git(repo, "commit", "-m", "livepatch", env=env, check=False)
    out = allowed.stdout + allowed.stderr
    assert allowed.returncode == 0, out[-4000:]
    assert "klplint (livepatch modules)" in out and "Passed" in out, out[-4000:]
    assert git(repo, "log", "--format=%s", env=env).stdout.strip() == "livepatch"
    # klplint's result cache in the checked repository ignores itself
    assert git(repo, "status", "--porcelain", env=env).stdout.strip() == ""
