"""The pycparser range pyproject.toml declares is the range the pycparser front end works with."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAMPLE = os.path.join(ROOT, "corpus", "structure", "good")


def _declared(name: str) -> Requirement:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    for dep in deps:
        req = Requirement(dep)
        if req.name == name:
            return req
    raise AssertionError(f"{name} is not a dependency")


def test_pycparser_range_is_bounded_above():
    # a release outside what was tried must not be picked up by a fresh install
    spec = _declared("pycparser").specifier
    assert any(s.operator in ("<", "<=", "==", "~=") for s in spec), str(spec)


def test_installed_pycparser_is_in_the_declared_range():
    import pycparser

    assert Version(pycparser.__version__) in _declared("pycparser").specifier


def _run_front_end(target: str) -> subprocess.CompletedProcess:
    code = (
        "import sys, glob, pycparser\n"
        "from klplint.frontend import parse\n"
        "from klplint.config.settings import Config\n"
        f"files = sorted(glob.glob({SAMPLE!r} + '/*.c'))[:6]\n"
        "for f in files:\n"
        "    parse(f, Config(frontend='pycparser'))\n"
        "print(pycparser.__version__, len(files))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([target, ROOT]))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["lowest", "highest"])
def test_front_end_works_with_the_range_ends(tmp_path, which):
    """Installs the lowest and the newest release the metadata allows and parses corpus files with it."""
    spec = _declared("pycparser").specifier
    listing = subprocess.run([sys.executable, "-m", "pip", "index", "versions", "pycparser"],
                             capture_output=True, text=True, timeout=120)
    m = re.search(r"Available versions: (.*)", listing.stdout)
    if listing.returncode != 0 or not m:
        pytest.skip(f"the package index cannot be reached: {listing.stderr.strip()[-200:]}")
    allowed = sorted(v for v in map(Version, m.group(1).split(", ")) if v in spec and not v.is_prerelease)
    assert allowed, f"no released pycparser matches {spec}"
    version = allowed[0] if which == "lowest" else allowed[-1]
    target = str(tmp_path / "site")
    got = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target,
                          f"pycparser=={version}"], capture_output=True, text=True, timeout=300)
    assert got.returncode == 0, got.stderr
    run = _run_front_end(target)
    assert run.returncode == 0, run.stderr[-2000:]
    assert Version(run.stdout.split()[0]) == version
