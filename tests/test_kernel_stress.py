"""Real kernel C, bounded for CI: a handful of .c files of the 6.1 and 6.12 trees (from Debian's source packages,
extracted at test time outside the repository), lowered against their kernel's headers and every function body
executed as a hook, without one Python exception (scripts/stress_kernel.py runs the same on hundreds)."""
from __future__ import annotations

import glob
import importlib.util
import os

import pytest

pytestmark = pytest.mark.kernel

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Small files of different subsystems (a different sample than the script's default spread).
FILES = ("kernel/range.c", "mm/mmu_gather.c", "fs/fs_types.c", "net/ipv4/inet_hashtables.c",
         "drivers/char/mem.c")


def _stress():
    spec = importlib.util.spec_from_file_location("stress_kernel", os.path.join(ROOT, "scripts", "stress_kernel.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("version", ["6.1", "6.12"])
def test_kernel_files_lower_and_execute_without_exceptions(version, tmp_path, monkeypatch, capsys):
    if not os.path.isfile(f"/usr/src/linux-source-{version}.tar.xz") or \
            not glob.glob(f"/usr/src/linux-headers-{version}.[0-9]*-amd64"):
        msg = f"linux-source-{version} or its linux-headers-*-amd64 is not installed"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    stress = _stress()
    monkeypatch.setattr(stress, "pick", lambda root, dirs, n: [os.path.join(root, f) for f in FILES
                                                               if os.path.isfile(os.path.join(root, f))])
    monkeypatch.setenv("KLPLINT_NO_PCH", "1")
    rc = stress.main(["--version", version, "--dirs", "kernel,mm,fs,net/ipv4,drivers/char"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "Python exceptions: 0" in out, out
    functions = int(out.split(" functions, ")[0].rsplit(" ", 1)[-1])
    complete = int(out.split(" lowered completely")[0].rsplit(" ", 1)[-1])
    assert functions >= 30 and complete >= 0.9 * functions, out
