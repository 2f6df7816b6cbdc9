"""corpus/kpatch: each source diff checked against linux-source-6.1 gives exactly the findings its
`expect:` lines name (rule, file, post-image line), or the error of its `expect-error:` line."""
import os
import re
from pathlib import Path

import pytest

from klplint.config.settings import Config
from klplint.kpatch.check import KpatchError, check_diff

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "kpatch"
DIFFS = sorted(CORPUS.glob("*/*.patch"))


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    # Strict lowering is for modules written for klplint; a kernel file (kernel/exit.c) has constructs
    # the lowering reports as KLP213 notes, which is what a user sees too.
    monkeypatch.delenv("KLPLINT_STRICT", raising=False)


def _expected(text: str):
    found = {(m.group(1), m.group(2), int(m.group(3)))
             for m in re.finditer(r"^expect: (KLP\d{3}) (\S+):(\d+)$", text, re.M)}
    error = re.search(r"^expect-error: (.+)$", text, re.M)
    return found, error.group(1) if error else None


def test_corpus_is_there():
    assert {p.parent.name for p in DIFFS} == {"bad", "good"}
    assert len(DIFFS) >= 10


@pytest.mark.parametrize("diff", DIFFS, ids=[f"{p.parent.name}/{p.stem}" for p in DIFFS])
def test_diff(diff, kpatch_kernel):
    src, headers = kpatch_kernel
    want, want_error = _expected(diff.read_text())
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
    src, headers = kpatch_kernel
    fork = src / "kernel" / "fork.c"
    before = (fork.stat().st_mtime_ns, fork.read_bytes())
    check_diff(str(CORPUS / "bad" / "shadow_fork_exit.patch"), Config(kernel_src=str(src), kernel_dir=str(headers)))
    assert (fork.stat().st_mtime_ns, fork.read_bytes()) == before
    assert "klp_shadow_alloc" not in fork.read_text()
