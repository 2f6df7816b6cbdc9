"""Every corpus module written for the 5.1+ callbacks API builds with kbuild against Debian's real headers."""
from __future__ import annotations

import os
import re
import shutil

import pytest

from kbuild_util import kbuild, kernel_build_dir, uses_pre_5_1_api
from test_corpus import ROOT, corpus_files

pytestmark = pytest.mark.kernel

_EXPECT_MODPOST = re.compile(r'kbuild-expect:\s*modpost\s+"([^"]+)"')


def _callbacks_corpus():
    out = []
    for path in corpus_files():
        text = open(path, encoding="utf-8").read()
        if not uses_pre_5_1_api(text):
            out.append((path, _EXPECT_MODPOST.findall(text)))
    return out


# modpost prints at most 10 unresolved symbols per run ("suppressed N unresolved symbol warnings
# because there were too many"): the cases that expect some are built in groups that stay below it.
_MODPOST_UNRESOLVED_SHOWN = 10


def _groups(cases):
    """The cases in kbuild runs: the first has every case without an intended modpost error; the
    others the ones with, at most _MODPOST_UNRESOLVED_SHOWN - 1 intended errors each."""
    groups, cur, n = [[c for c in cases if not c[1]]], [], 0
    for c in (c for c in cases if c[1]):
        if cur and n + len(c[1]) >= _MODPOST_UNRESOLVED_SHOWN:
            groups.append(cur)
            cur, n = [], 0
        cur.append(c)
        n += len(c[1])
    return groups + ([cur] if cur else [])


def test_callbacks_corpus_builds_with_kbuild(tmp_path):
    kdir = kernel_build_dir()
    cases = _callbacks_corpus()
    assert cases, "no callbacks-API corpus files"
    msgs_by_path = dict(cases)
    for g, group in enumerate(_groups(cases)):
        folder = tmp_path / f"g{g}"
        folder.mkdir()
        names = {}
        for i, (path, _) in enumerate(group):
            name = f"kc{i:03d}"
            names[name] = path
            shutil.copy(path, folder / f"{name}.c")
        proc = kbuild(kdir, str(folder), sorted(names))
        out = proc.stdout + proc.stderr
        not_compiled = [os.path.relpath(p, ROOT) for n, p in names.items() if not (folder / f"{n}.o").exists()]
        assert not not_compiled, f"did not compile: {not_compiled}\n{out[-4000:]}"
        assert "because there were too many" not in out, out[-4000:]
        # modpost: every error must be one a corpus case intends, and every intended one must appear.
        expected = {n: msgs_by_path[p] for n, p in names.items()}
        modpost_lines = [l for l in out.splitlines() if "modpost" in l and ("ERROR" in l or "FATAL" in l)]
        unexplained = []
        for line in modpost_lines:
            m = re.search(r"\b(kc\d{3})\b", line)
            if not m or not any(msg in line for msg in expected.get(m.group(1), [])):
                if "Error" in line and "make" in line:
                    continue
                unexplained.append(line)
        assert not unexplained, "modpost errors no corpus case intends:\n" + "\n".join(unexplained)
        for name, msgs in expected.items():
            for msg in msgs:
                assert any(name in l and msg in l for l in modpost_lines), \
                    f"{os.path.relpath(names[name], ROOT)}: expected modpost error {msg!r} not seen"


def test_clean_callbacks_corpus_links_into_modules(tmp_path):
    """Without the cases whose modpost failure is intended, modpost passes and .ko files appear."""
    kdir = kernel_build_dir()
    names = {}
    for i, (path, msgs) in enumerate(_callbacks_corpus()):
        if msgs:
            continue
        name = f"kl{i:03d}"
        names[name] = path
        shutil.copy(path, tmp_path / f"{name}.c")
    proc = kbuild(kdir, str(tmp_path), sorted(names))
    missing = [os.path.relpath(p, ROOT) for n, p in names.items() if not (tmp_path / f"{n}.ko").exists()]
    assert proc.returncode == 0 and not missing, f"{missing}\n{(proc.stdout + proc.stderr)[-4000:]}"
