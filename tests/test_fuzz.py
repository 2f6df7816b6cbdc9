"""A bounded fuzzing run on every CI run (scripts/fuzz.py): mutated corpus and kernel livepatch
sources give no traceback, no crash, no hang, exit codes 0/1/2 and byte-identical output across
runs and --jobs. The seed is random per run unless KLPLINT_FUZZ_SEED is set; it is printed (and
shown by pytest on failure) so a failing run can be replayed with `python scripts/fuzz.py --seed S`."""
from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_fuzz_bounded_run():
    seed = int(os.environ.get("KLPLINT_FUZZ_SEED") or random.SystemRandom().randrange(1 << 32))
    count = int(os.environ.get("KLPLINT_FUZZ_COUNT") or 24)
    got = subprocess.run([sys.executable, str(ROOT / "scripts" / "fuzz.py"), "--count", str(count),
                          "--batch", "12", "--seed", str(seed)], capture_output=True, text=True, timeout=1800)
    print(got.stdout)
    summary = [ln for ln in got.stdout.splitlines() if ln.startswith(f"fuzz: seed {seed}: ")]
    assert summary, (got.stdout, got.stderr)
    assert got.returncode == 0, f"seed {seed}: {summary[0]}\n{got.stderr[-4000:]}"
    figures = dict((k, int(v)) for v, k in re.findall(r"(\d+) (inputs|runs)", summary[0]))
    assert figures == {"inputs": count, "runs": 3 * -(-count // 12)}
    for what in ("tracebacks", "internal errors", "crashes", "hangs", "nondeterministic"):
        assert f"{what} 0" in summary[0], summary[0]


def test_same_seed_same_mutants(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import fuzz
    finally:
        sys.path.pop(0)
    data = (ROOT / "corpus" / "structure" / "bad" / "klp101_funcs_without_terminator.c").read_bytes()
    one = [fuzz.mutate(data, random.Random(7)) for _ in range(3)]
    two = [fuzz.mutate(data, random.Random(7)) for _ in range(3)]
    assert one == two
    seen = set()
    rnd = random.Random(1)
    for _ in range(200):
        out, how = fuzz.mutate(data, rnd)
        seen.update(how)
        assert isinstance(out, bytes)
    assert seen == set(fuzz.MUTATIONS)      # every mutation is reachable
