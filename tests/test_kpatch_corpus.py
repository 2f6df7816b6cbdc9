"""corpus/kpatch: each source diff checked against linux-source-6.1 gives exactly the findings its
`expect:` lines name (rule, file, post-image line), or the error of its `expect-error:` line."""
import os
import re

import pytest

from klplint.config.settings import Config
from klplint.kpatch.check import KpatchError, check_diff

from kpatch_tree import VERSIONS, diff_version, kpatch_diffs, kpatch_expectations

DIFFS = kpatch_diffs()
CORPUS = DIFFS[0].parent.parent.parent / "linux-6.1"


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    # Strict lowering is for modules written for klplint; a kernel file (kernel/exit.c) has constructs
    # the lowering reports as KLP213 notes, which is what a user sees too.
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)


def test_corpus_is_there():
    assert {p.parent.name for p in DIFFS} == {"bad", "good"}
    assert {diff_version(p) for p in DIFFS} == set(VERSIONS)
    assert len(DIFFS) >= 20


@pytest.mark.parametrize("diff", DIFFS, ids=[f"{diff_version(p)}/{p.parent.name}/{p.stem}" for p in DIFFS])
def test_diff(diff, kpatch_kernel):
    src, headers = kpatch_kernel(diff_version(diff))
    want, want_error = kpatch_expectations(diff.read_text())
    config = Config(kernel_src=str(src), kernel_dir=str(headers))
    if want_error:
        with pytest.raises(KpatchError, match=re.escape(want_error)):
            check_diff(str(diff), config)
        return
    results = check_diff(str(diff), config)
    assert not [e for r in results for e in r.errors]
    got = {(f.rule, os.path.relpath(f.loc.file, src), f.loc.line) for r in results for f in r.findings}
    assert got == want
    if diff.parent.name == "bad":
        assert any(r != "KLP213" for r, _, _ in want), "a bad diff must expect a real finding"
    for r in results:
        for f in r.findings:
            assert f"{diff}:" in f.message and "hunk #" in f.message
            assert f.related and f.related[0].loc.file == str(diff)


def test_tree_is_not_modified(kpatch_kernel):
    src, headers = kpatch_kernel("6.1")
    fork = src / "kernel" / "fork.c"
    before = (fork.stat().st_mtime_ns, fork.read_bytes())
    check_diff(str(CORPUS / "bad" / "shadow_fork_exit.patch"), Config(kernel_src=str(src), kernel_dir=str(headers)))
    assert (fork.stat().st_mtime_ns, fork.read_bytes()) == before
    assert "klp_shadow_alloc" not in fork.read_text()


def test_sarif_points_at_the_patched_file_and_relates_the_patch(kpatch_kernel, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from klplint.cli.main import main
    src, headers = kpatch_kernel("6.1")
    diff = CORPUS / "bad" / "shadow_fork_exit.patch"
    out = tmp_path / "out.sarif"
    monkeypatch.setenv("KSRC", str(src))      # the tree from the environment
    r = CliRunner().invoke(main, ["check", str(diff), "--kernel-dir", str(headers),
                                  "--format", "sarif", "-o", str(out), "--select", "KLP303"])
    assert r.exit_code == 1, r.output
    [res] = json.loads(out.read_text())["runs"][0]["results"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("kernel/fork.c") and loc["region"]["startLine"] == 2816
    related = res["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("shadow_fork_exit.patch")
    assert "hunk #2 of kernel/fork.c" in related["message"]["text"]


def test_trace_of_a_diff_with_the_tree_from_a_config_file(kpatch_kernel, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from klplint.cli.main import main
    src, headers = kpatch_kernel("6.1")
    monkeypatch.delenv("KSRC", raising=False)
    cfg = tmp_path / ".klplint.toml"
    cfg.write_text(f'kernel-src = "{src}"\nkernel-dir = "{headers}"\n')
    diff = CORPUS / "good" / "module_callbacks.patch"
    r = CliRunner().invoke(main, ["trace", str(diff), "--config", str(cfg),
                                  "--scenario", "load:tcp_bic,enable,disable"])
    assert r.exit_code == 0, r.output
    assert "the core calls bic_pre_patch()" in r.output or "bic_pre_patch" in r.output
    assert "bic_post_unpatch" in r.output
    assert r.output.index("bic_pre_patch") < r.output.index("bic_post_unpatch")


def test_a_suppression_the_diff_adds_is_honoured(kpatch_kernel, tmp_path):
    src, headers = kpatch_kernel("6.1")
    text = (CORPUS / "bad" / "klp502_global_init_changed.patch").read_text()
    assert "+static int max_increment = 32;\n" in text
    quiet = tmp_path / "quiet.patch"
    quiet.write_text(text.replace("+static int max_increment = 32;\n",
                                  "+static int max_increment = 32;\t/* klplint: ignore[KLP502] */\n"))
    config = Config(kernel_src=str(src), kernel_dir=str(headers))
    assert [f.rule for r in check_diff(str(quiet), config) for f in r.findings] == []
    wrong = tmp_path / "wrong.patch"
    wrong.write_text(text.replace("+static int max_increment = 32;\n",
                                  "+static int max_increment = 32;\t/* klplint: ignore[KLP501] */\n"))
    assert sorted(f.rule for r in check_diff(str(wrong), config) for f in r.findings) == ["KLP119", "KLP502"]


def _built_tree(src, headers, into):
    """A tree that looks built: the source tree's files (symlinked), with the .config and generated
    headers of the linux-headers package where a build leaves them (include/generated, ...)."""
    def mirror(a, b, generated):
        b.mkdir(parents=True)
        for entry in a.iterdir():
            if entry.name not in generated:
                (b / entry.name).symlink_to(entry)
        for name, target in generated.items():
            (b / name).symlink_to(target)
    mirror(src, into, {".config": headers / ".config"})
    (into / "include").unlink()
    mirror(src / "include", into / "include", {"generated": headers / "include" / "generated"})
    (into / "arch").unlink()
    mirror(src / "arch", into / "arch", {})
    (into / "arch" / "x86").unlink()
    mirror(src / "arch" / "x86", into / "arch" / "x86", {})
    (into / "arch" / "x86" / "include").unlink()
    mirror(src / "arch" / "x86" / "include", into / "arch" / "x86" / "include",
           {"generated": headers / "arch" / "x86" / "include" / "generated"})
    return into


def test_a_built_tree_needs_no_kernel_dir(kpatch_kernel, tmp_path):
    src, headers = kpatch_kernel("6.1")
    tree = _built_tree(src, headers, tmp_path / "linux")
    diff = CORPUS / "bad" / "klp502_global_init_changed.patch"
    results = check_diff(str(diff), Config(kernel_src=str(tree)))
    assert [(f.rule, f.loc.line) for r in results for f in r.findings] == [("KLP502", 30)]
    with pytest.raises(KpatchError, match="no .config; pass --kernel-dir"):
        check_diff(str(diff), Config(kernel_src=str(src)))
