"""`klplint check --format sarif` on the kernel's own livepatch samples and test modules: valid SARIF,
no error or warning, with the bundled headers and with Debian's kernel tree."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import pytest

from kbuild_util import kernel_build_dir
from test_reporters import _schema

pytestmark = pytest.mark.kernel


def _kernel_files(root):
    files = sorted(str(p) for p in (root / "samples" / "livepatch").glob("*.c"))
    files += sorted(str(p) for p in (root / "lib" / "livepatch").glob("test_klp_*.c"))
    assert len(files) >= 15, files
    return files


@pytest.mark.parametrize("mode", ["bundled", "kernel-dir"])
def test_kernel_livepatch_sources_are_clean_in_sarif(kernel_source, mode, tmp_path):
    files = _kernel_files(kernel_source)
    args = [sys.executable, "-m", "klplint", "check", "--format", "sarif", "--no-cache", *files]
    if mode == "kernel-dir":
        args[4:4] = ["--kernel-dir", kernel_build_dir()]
    env = dict(os.environ)
    env.pop("KLPLINT_STRICT", None)
    r = subprocess.run(args, capture_output=True, text=True, timeout=900, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr + r.stdout[-3000:]
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, _schema())
    run = doc["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    loud = [(res["ruleId"], res["message"]["text"], res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for res in run["results"] if res["level"] in ("error", "warning")]
    assert not loud, loud
