#!/usr/bin/env python3
"""Fuzz klplint with mutated livepatch modules: zero tracebacks, zero crashes, exit codes 0/1/2, the same output every time.

    python scripts/fuzz.py [--count N] [--seed S] [--batch B] [--keep DIR]

Inputs are the corpus (corpus/*/*/*.c) and, when Debian's linux-source-6.1 is installed, the kernel's
own livepatch sources (samples/livepatch, lib/livepatch; extracted into a cache by
tests/kernel_source.py, never into the repository). Each input is mutated by one or more of:
deleted, duplicated or swapped lines, truncation, random bytes, deep nesting (expressions, blocks,
else-if chains), huge initializers, exponential macros, hostile includes (a FIFO, /dev/zero, stdin, the file itself),
clang's __debug pragmas, invalid UTF-8 and NUL bytes. The mutants of a batch are checked in one
`klplint check --format json` run, twice with --jobs 1 and once with --jobs 2, each in a fresh
process with its own cache folder, and the three outputs must be byte-identical. A run fails on
a Python traceback or an "internal error" anywhere, an exit status other than 0/1/2, a process
killed or a run that overruns its time limit (a hang), or outputs that differ.

The seed (random unless --seed or KLPLINT_FUZZ_SEED) and the counts are printed; the same seed
gives the same mutants. Exit status 0 when every check held, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
OK_EXITS = (0, 1, 2)
RUN_TIMEOUT = 900          # one batch; a hang is a failure, never a wait without end


# ------------------------------------------------------------------ seeds

def seed_files() -> List[Path]:
    files = sorted((ROOT / "corpus").glob("*/*/*.c"))
    try:
        sys.path.insert(0, str(ROOT / "tests"))
        from kernel_source import extract_kernel_source
        top = extract_kernel_source()
        files += sorted((top / "samples" / "livepatch").glob("*.c")) + sorted((top / "lib" / "livepatch").glob("*.c"))
    except Exception as e:  # noqa: BLE001 - no tarball: the corpus alone
        print(f"fuzz: kernel livepatch sources not used ({type(e).__name__}: {e})", file=sys.stderr)
    finally:
        if sys.path and sys.path[0] == str(ROOT / "tests"):
            sys.path.pop(0)
    return files


# ------------------------------------------------------------------ mutations
# Each takes the input's bytes and a Random and returns new bytes. Sizes are bounded so that a
# mutant is analysed in seconds: the point is the shapes, the limits have tests of their own.

def _lines(data: bytes) -> List[bytes]:
    return data.split(b"\n")


def delete_lines(data, rnd):
    ls = _lines(data)
    for _ in range(rnd.randint(1, 4)):
        if ls:
            del ls[rnd.randrange(len(ls))]
    return b"\n".join(ls)


def duplicate_lines(data, rnd):
    ls = _lines(data)
    for _ in range(rnd.randint(1, 4)):
        i = rnd.randrange(len(ls))
        ls[i:i] = [ls[i]] * rnd.randint(1, 3)
    return b"\n".join(ls)


def swap_lines(data, rnd):
    ls = _lines(data)
    if len(ls) > 2:
        i, j = rnd.randrange(len(ls)), rnd.randrange(len(ls))
        ls[i], ls[j] = ls[j], ls[i]
    return b"\n".join(ls)


def truncate(data, rnd):
    return data[: rnd.randrange(max(1, len(data)))]


def random_bytes(data, rnd):
    b = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        if b:
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    return bytes(b)


def _into_function(data, rnd, text: bytes) -> bytes:
    """Insert `text` as statements at the start of a function body (or at the end of the file)."""
    ls = _lines(data)
    spots = [i for i, ln in enumerate(ls) if ln.rstrip().endswith(b"{") and b"(" in ln]
    if not spots:
        return data + b"\nstatic int fuzz_fn(void) {\n" + text + b"\nreturn 0; }\n"
    i = rnd.choice(spots)
    ls.insert(i + 1, text)
    return b"\n".join(ls)


def deep_nesting(data, rnd):
    n = rnd.choice([50, 200, 1000, 3000])
    kind = rnd.randrange(4)
    if kind == 0:
        return _into_function(data, rnd, b"{ int fz = " + b"(" * n + b"1" + b")" * n + b"; (void)fz; }")
    if kind == 1:
        return _into_function(data, rnd, b"{ int fz = 0; " + b"if (fz) fz++; else " * n + b"fz--; (void)fz; }")
    if kind == 2:
        depth = min(n, 250)       # clang's limit is 256 brackets: past it is a parse error, also fine
        return _into_function(data, rnd, b"{ int fz = 0; " + b"{ fz++; " * depth + b"}" * depth + b" }")
    return _into_function(data, rnd, b"{ int fz = 1; fz = " + b" + ".join([b"fz"] * n) + b"; (void)fz; }")


def huge_initializer(data, rnd):
    n = rnd.choice([500, 3000])
    entries = b", ".join(b'{ .old_name = "f%d" }' % i for i in range(n))
    return data + b"\nstatic struct klp_func fuzz_funcs[] = { " + entries + b", { } };\n"


def exponential_macro(data, rnd):
    names = b"abcdefghij"
    depth = rnd.randint(4, 8)       # 4^8 = 65,536 tokens: exponential, and still parsed in a second
    defs = [b"#define FZa x x x x"] + [b"#define FZ%c FZ%c FZ%c FZ%c FZ%c" % (names[i], *[names[i - 1]] * 4)
                                       for i in range(1, depth)]
    return b"\n".join(defs) + b"\n" + data + b"\n#if 0\nFZ%c\n#endif\n" % names[depth - 1]


def hostile_include(data, rnd):
    target = rnd.choice([b'"fuzz_fifo.h"', b'"/dev/zero"', b"</dev/zero>", b'"/dev/stdin"', b'"' + b"../" * 40 + b'x.h"',
                         b"__FILE__", b"<" + b"a/" * 300 + b"b.h>"])
    return b"#include " + target + b"\n" + data


def hostile_pragma(data, rnd):
    kind = rnd.choice([b"crash", b"overflow_stack", b"parser_crash", b"llvm_fatal_error", b"assert", b"captured"])
    form = rnd.randrange(3)
    line = (b"#pragma clang __debug " + kind if form == 0 else b'_Pragma("clang __debug ' + kind + b'")'
            if form == 1 else b"#define FZS(x) #x\n_Pragma(FZS(clang __debug " + kind + b"))")
    ls = _lines(data)
    ls.insert(rnd.randrange(len(ls) + 1), line)
    return b"\n".join(ls)


def invalid_utf8(data, rnd):
    i = rnd.randrange(len(data) + 1)
    return data[:i] + rnd.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]) + data[i:]


def nul_bytes(data, rnd):
    i = rnd.randrange(len(data) + 1)
    return data[:i] + b"\0" * rnd.randint(1, 4) + data[i:]


MUTATIONS: Dict[str, Callable[[bytes, random.Random], bytes]] = {f.__name__: f for f in (
    delete_lines, duplicate_lines, swap_lines, truncate, random_bytes, deep_nesting, huge_initializer,
    exponential_macro, hostile_include, hostile_pragma, invalid_utf8, nul_bytes)}


def mutate(data: bytes, rnd: random.Random) -> Tuple[bytes, List[str]]:
    names = rnd.sample(sorted(MUTATIONS), rnd.choice([1, 1, 2, 3]))
    for n in names:
        data = MUTATIONS[n](data, rnd)
    return data, names


# ------------------------------------------------------------------ running

@dataclass
class Tally:
    inputs: int = 0
    runs: int = 0
    tracebacks: int = 0
    internal_errors: int = 0
    crashes: int = 0            # exit status outside 0/1/2, or killed by a signal
    hangs: int = 0
    nondeterministic: int = 0
    exits: Dict[int, int] = field(default_factory=dict)
    file_errors: int = 0        # one-line tool errors (expected for broken C)
    isolated_parser_crashes: int = 0
    failures: List[str] = field(default_factory=list)


def _run(folder: Path, jobs: int, cache: Path, tally: Tally) -> Tuple[int, bytes, bytes]:
    env = dict(os.environ, KLPLINT_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "klplint", "check", "--format", "json", "--jobs", str(jobs), "inputs"]
    tally.runs += 1
    try:
        p = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, timeout=RUN_TIMEOUT,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        tally.hangs += 1
        tally.failures.append(f"{folder}: --jobs {jobs} did not finish within {RUN_TIMEOUT} s")
        return -999, b"", b""
    tally.exits[p.returncode] = tally.exits.get(p.returncode, 0) + 1
    if p.returncode not in OK_EXITS:
        tally.crashes += 1
        tally.failures.append(f"{folder}: --jobs {jobs} exited with status {p.returncode}")
    both = p.stdout + p.stderr
    if b"Traceback (most recent call last)" in both:
        tally.tracebacks += 1
        tally.failures.append(f"{folder}: --jobs {jobs} printed a traceback")
    if b"internal error" in both:
        tally.internal_errors += 1
        tally.failures.append(f"{folder}: --jobs {jobs} reported an internal error")
    return p.returncode, p.stdout, p.stderr


def _prepare(folder: Path) -> Path:
    inputs = folder / "inputs"
    inputs.mkdir(parents=True)
    os.mkfifo(inputs / "fuzz_fifo.h")
    return inputs


def fuzz(count: int, seed: int, batch: int, keep: Path = None) -> Tally:
    rnd = random.Random(seed)
    seeds = seed_files()
    tally = Tally()
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="klplint-fuzz-"))
    try:
        done = 0
        b = 0
        while done < count:
            folder = work / f"batch{b:03d}"
            inputs = _prepare(folder)
            manifest = []
            for k in range(min(batch, count - done)):
                src = rnd.choice(seeds)
                data, how = mutate(src.read_bytes(), rnd)
                name = f"m{done + k:04d}.c"
                (inputs / name).write_bytes(data)
                manifest.append(f"{name}\t{src.relative_to(src.parents[2])}\t{'+'.join(how)}")
            (folder / "MANIFEST").write_text("\n".join(manifest) + "\n")
            n = len(manifest)
            done += n
            tally.inputs += n
            first = _run(folder, 1, folder / "cache1", tally)
            again = _run(folder, 1, folder / "cache2", tally)
            parallel = _run(folder, 2, folder / "cache3", tally)
            if not (first == again == parallel):
                tally.nondeterministic += 1
                tally.failures.append(f"{folder}: outputs differ between runs or --jobs")
            try:
                doc = json.loads(first[1] or b"{}")
                errs = doc.get("errors", [])
                tally.file_errors += len(errs)
                tally.isolated_parser_crashes += sum(1 for e in errs if "the parser crashed" in e.get("reason", ""))
            except (ValueError, AttributeError):
                tally.failures.append(f"{folder}: the JSON report does not parse")
            print(f"fuzz: batch {b}: {n} inputs, exit {first[0]}, "
                  f"{'same' if first == again == parallel else 'DIFFERENT'} output over 3 runs", flush=True)
            if not keep and not any(str(folder) in f for f in tally.failures):
                shutil.rmtree(folder, ignore_errors=True)
            b += 1
    finally:
        if not keep and not tally.failures:
            shutil.rmtree(work, ignore_errors=True)
        elif tally.failures:
            print(f"fuzz: failing inputs kept in {work}", file=sys.stderr)
    return tally


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200, help="mutants to try (default 200)")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: KLPLINT_FUZZ_SEED or random)")
    ap.add_argument("--batch", type=int, default=25, help="mutants per klplint run (default 25)")
    ap.add_argument("--keep", metavar="DIR", default=None, help="write the mutants here and keep them")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else int(os.environ.get("KLPLINT_FUZZ_SEED") or
                                                           random.SystemRandom().randrange(1 << 32))
    print(f"fuzz: seed {seed}, {args.count} inputs in batches of {args.batch}", flush=True)
    start = time.monotonic()
    t = fuzz(args.count, seed, args.batch, Path(args.keep) if args.keep else None)
    print(f"fuzz: seed {seed}: {t.inputs} inputs, {t.runs} runs in {time.monotonic() - start:.0f} s; "
          f"tracebacks {t.tracebacks}, internal errors {t.internal_errors}, crashes {t.crashes}, "
          f"hangs {t.hangs}, nondeterministic {t.nondeterministic}; exit statuses "
          f"{dict(sorted(t.exits.items()))}; per-file tool errors {t.file_errors} "
          f"(of which isolated parser crashes {t.isolated_parser_crashes})")
    for f in t.failures:
        print(f"fuzz: FAIL {f}", file=sys.stderr)
    return 1 if t.failures else 0


if __name__ == "__main__":
    sys.exit(main())
