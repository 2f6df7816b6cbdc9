"""Inputs, settings and cache entries built to hang, exhaust or crash the checker: each is one line of
error (exit 2) or a miss that is rebuilt, and the other files keep their results. Also: output stays
valid Unicode for file names that are not UTF-8, the cache keys what was analysed, fingerprints and
baseline keys do not depend on how a path is spelled."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file_safely

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "corpus" / "structure" / "bad" / "klp101_funcs_without_terminator.c").read_text()


def klplint(*args, cwd, env=None, timeout=300):
    full = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "klplint", *map(str, args)], cwd=cwd, env=full,
                          capture_output=True, timeout=timeout)


def _one_line_errors(stderr: bytes):
    text = stderr.decode("utf-8")          # valid UTF-8, or this raises
    assert "Traceback" not in text, text
    return [ln for ln in text.splitlines() if ": error: " in ln]


@pytest.fixture
def src(tmp_path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    (d / "good.c").write_text(GOOD)
    return d


def test_special_files_and_includes_end_quickly(src, tmp_path):
    os.mkfifo(src / "fifo.c")
    os.symlink("/dev/zero", src / "zero.c")
    os.mkfifo(src / "pipe.h")
    (src / "inc_fifo.c").write_text('#include "pipe.h"\n' + GOOD)
    (src / "inc_zero.c").write_text('#include "/dev/zero"\n' + GOOD)
    (src / "inc_angle_zero.c").write_text("#include </dev/zero>\n" + GOOD)
    (src / "sub").mkdir()
    (src / "sub" / "chain.h").write_text('#include "../pipe.h"\n')
    (src / "inc_chain.c").write_text('#include "sub/chain.h"\n' + GOOD)
    start = time.monotonic()
    for jobs in ("1", "2"):
        got = klplint("check", "--no-cache", "--jobs", jobs, "src", cwd=tmp_path)
        assert got.returncode == 2
        errors = _one_line_errors(got.stderr)
        by_file = {ln.split(":", 1)[0] for ln in errors}
        assert by_file == {f"src/{n}" for n in ("fifo.c", "zero.c", "inc_fifo.c", "inc_zero.c",
                                                 "inc_angle_zero.c", "inc_chain.c")}, errors
        assert any("fifo.c: error: not a regular file (a FIFO)" in ln for ln in errors)
        assert any("inc_chain.c" in ln and "pipe.h" in ln for ln in errors)
        assert "src/good.c:" in got.stdout.decode() and "KLP101" in got.stdout.decode()
    assert time.monotonic() - start < 120        # no deadline was needed to end any of them


def test_a_computed_include_of_dev_zero_meets_the_memory_limit(src, tmp_path):
    (src / "computed.c").write_text('#define Z "/dev/zero"\n#include Z\n' + GOOD)
    got = klplint("check", "--no-cache", "src", cwd=tmp_path, env={"KLPLINT_MAX_MEMORY_MB": "2048"})
    assert got.returncode == 2
    errors = _one_line_errors(got.stderr)
    assert [ln.split(":", 1)[0] for ln in errors] == ["src/computed.c"], errors
    assert "KLP101" in got.stdout.decode()


def test_an_exponential_macro_is_stopped_at_the_deadline(src, tmp_path):
    names = "abcdefghijklmnop"
    lines = ["#define a x x x x"] + [f"#define {names[i]} " + " ".join([names[i - 1]] * 4) for i in range(1, 16)]
    # a livepatch module (it includes livepatch.h): other C files are skipped before any parse
    (src / "expo.c").write_text("#include <linux/livepatch.h>\n" + "\n".join(lines) + f"\nint v = {names[15]};\n")
    start = time.monotonic()
    got = klplint("check", "--no-cache", "src", cwd=tmp_path, env={"KLPLINT_FILE_TIMEOUT": "5"})
    assert time.monotonic() - start < 60
    errors = _one_line_errors(got.stderr)
    assert got.returncode == 2 and len(errors) == 1 and errors[0].startswith("src/expo.c: error: "), errors
    assert "KLP101" in got.stdout.decode()


def test_an_include_of_a_fifo_from_the_compile_database(src, tmp_path):
    os.mkfifo(tmp_path / "force.h")
    db = [{"directory": str(src), "file": "good.c", "arguments": ["cc", "-include", str(tmp_path / "force.h"),
                                                                    "-c", "good.c"]}]
    (tmp_path / "compile_commands.json").write_text(json.dumps(db))
    got = klplint("check", "--no-cache", "-p", tmp_path, "src", cwd=tmp_path, timeout=120)
    errors = _one_line_errors(got.stderr)
    assert got.returncode == 2 and len(errors) == 1 and "force.h: not a regular file" in errors[0], errors


def test_an_editor_buffer_over_the_limit(tmp_path):
    path = tmp_path / "big.c"
    path.write_text(GOOD)
    big = GOOD + "/*" + "x" * (3 * 1024 * 1024) + "*/\n"
    start = time.monotonic()
    r = analyze_file_safely(str(path), Config(), text=big)
    assert time.monotonic() - start < 30
    assert [e.reason.split(" (")[0] for e in r.errors] == ["file too large"]


# ---- settings, baselines and caches

def _deep_json(n: int) -> str:
    return "[" * n + "]" * n


def test_deeply_nested_settings_and_baseline(src, tmp_path):
    (tmp_path / ".klplint.toml").write_text("select = " + "[" * 50000 + "]" * 50000 + "\n")
    got = klplint("check", "--no-cache", "src", cwd=tmp_path)
    errors = _one_line_errors(got.stderr)
    assert got.returncode == 2 and len(errors) == 1 and ".klplint.toml" in errors[0], errors
    (tmp_path / ".klplint.toml").unlink()
    (tmp_path / "baseline.json").write_text(_deep_json(100000))
    got = klplint("check", "--no-cache", "--baseline", "baseline.json", "src", cwd=tmp_path)
    errors = _one_line_errors(got.stderr)
    assert got.returncode == 2 and len(errors) == 1 and "baseline.json" in errors[0], errors


BAD_ENTRIES = [
    "{ truncated",
    "[]",
    _deep_json(100000),
    '{"schema": 2, "path": "src/good.c", "includes": 7, "missing": [], "result": {}}',
    '{"schema": 2, "path": "src/good.c", "includes": [], "missing": [], "result": {"findings": '
    '[{"$": "Finding", "rule": 1, "level": "error", "message": "m", "loc": {"$": "Location", "file": "f", '
    '"line": "x", "col": 1}}], "errors": [], "notes": []}}',
    '{"schema": 2, "path": "src/good.c", "includes": [], "missing": [], "result": {"findings": '
    '[{"$": "Finding", "rule": "KLP101", "level": "fatal", "message": "m", "loc": {"$": "Location", '
    '"file": "f", "line": 1, "col": 1}}], "errors": [], "notes": []}}',
    '{"schema": 2, "path": "src/good.c", "includes": [], "missing": [], "result": {"findings": '
    '[{"$": "Nope"}], "errors": [], "notes": []}}',
    "FIFO",
]


@pytest.mark.parametrize("entry", range(len(BAD_ENTRIES)))
def test_a_damaged_result_cache_entry_is_rebuilt(src, tmp_path, entry):
    cache = tmp_path / "cache"
    env = {"KLPLINT_CACHE_DIR": str(cache)}
    first = klplint("check", "src", cwd=tmp_path, env=env)
    (path,) = cache.glob("results/*/*.json")
    path.unlink()
    if BAD_ENTRIES[entry] == "FIFO":
        os.mkfifo(path)
    else:
        path.write_text(BAD_ENTRIES[entry])
    again = klplint("check", "src", cwd=tmp_path, env=env, timeout=120)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert path.is_file() and json.loads(path.read_text())["schema"] == 2       # replaced by a good entry


@pytest.mark.parametrize("shape", ["{}", "[1, 2]", "[]", '"x"', "FIFO"])
def test_a_damaged_flags_cache_entry_is_probed_again(tmp_path, shape):
    from klplint.frontend import flags

    kdir = tmp_path / "kdir"
    (kdir / "include" / "generated").mkdir(parents=True)
    (kdir / "arch" / "x86" / "include").mkdir(parents=True)
    (kdir / "include" / "generated" / "autoconf.h").write_text("")
    (kdir / "Makefile").write_text("all:\n")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    try:
        want = flags.kbuild_flags(str(kdir), probe=False)
        cache = tmp_path / "xdg" / "klplint" / "kbuild"
        cache.mkdir(parents=True, exist_ok=True)
        key = [p for p in cache.glob("*.json")]
        target = key[0] if key else None
        if target is None:      # layout flags are not cached: write where a probe would
            import hashlib
            kd = os.path.realpath(kdir)
            stamp = [f"{n}:{os.path.getmtime(os.path.join(kd, n)) if os.path.exists(os.path.join(kd, n)) else 0}"
                     for n in ("Makefile", ".config", "include/generated/autoconf.h")]
            target = cache / (hashlib.sha256((kd + "|" + "|".join(stamp)).encode()).hexdigest()[:16] + ".json")
        if shape == "FIFO":
            os.mkfifo(target)
        else:
            target.write_text(shape)
        assert flags.kbuild_flags(str(kdir), probe=False) == want
    finally:
        del os.environ["XDG_CACHE_HOME"]


def test_a_damaged_pch_entry_is_a_miss(tmp_path):
    from klplint.frontend.libclang import pch

    base = str(tmp_path / "entry")
    for shape in ("[]", '{"stamps": []}', '{"stamps": {"1": 2}, "files": 3}', '{"format": 1, "ok": true}',
                  _deep_json(100000)):
        Path(base + ".json").write_text(shape)
        assert pch._read_meta(base) is None


# ---- file names and paths

def test_a_file_name_that_is_not_utf8(src, tmp_path):
    bad = os.path.join(os.fsencode(src), b"bad\xff.c")
    with open(bad, "wb") as f:
        f.write(GOOD.encode())
    for fmt in ("text", "json", "sarif", "github"):
        got = klplint("check", "--no-cache", "--format", fmt, "src", cwd=tmp_path)
        assert got.returncode == 2
        out = got.stdout.decode("utf-8")                 # strict: valid UTF-8
        assert "\\udcff" not in out and "\udcff" not in out
        if fmt in ("json", "sarif"):
            json.loads(out)
        errors = _one_line_errors(got.stderr)
        if fmt == "text":
            assert errors == ["src/bad\ufffd.c: error: the file name is not valid UTF-8 (shown with U+FFFD); "
                              "rename the file to check it"], errors
        else:
            assert "the file name is not valid UTF-8" in out + got.stderr.decode("utf-8"), fmt
        assert "KLP101" in out


def test_fingerprints_do_not_depend_on_the_spelling_of_the_path(src, tmp_path):
    (tmp_path / ".git").mkdir()
    (src / "sub").mkdir()
    spellings = [("src/good.c", tmp_path), ("./src/good.c", tmp_path), (str(src / "good.c"), tmp_path),
                 ("good.c", src), ("../good.c", src / "sub")]
    prints = set()
    for name, cwd in spellings:
        got = klplint("check", "--no-cache", "--format", "json", name, cwd=cwd)
        doc = json.loads(got.stdout)
        prints.add(tuple(sorted(f["fingerprint"] for f in doc["findings"])))
        sarif = json.loads(klplint("check", "--no-cache", "--format", "sarif", name, cwd=cwd).stdout)
        prints.add(tuple(sorted(r["partialFingerprints"]["klplint/v1"] for r in sarif["runs"][0]["results"])))
    assert len(prints) == 1 and len(next(iter(prints))) >= 1


def test_baseline_keys_do_not_depend_on_the_spelling_of_the_path(src, tmp_path):
    got = klplint("check", "--no-cache", "--write-baseline", tmp_path / "b.json", "src/good.c", cwd=tmp_path)
    assert got.returncode in (0, 1)
    for name, cwd in [("./src/good.c", tmp_path), (str(src / "good.c"), tmp_path), ("good.c", src)]:
        got = klplint("check", "--no-cache", "--baseline", tmp_path / "b.json", name, cwd=cwd)
        assert got.returncode == 0, (name, got.stdout, got.stderr)


def test_the_cache_keys_the_bytes_that_were_analysed(tmp_path, monkeypatch):
    """A file edited while it is analysed: the result of the old text is filed under the old text."""
    from klplint.pipeline import isolate
    from klplint.pipeline.cache import ResultCache

    path = tmp_path / "lp.c"
    path.write_text(GOOD)
    real = isolate.run

    def run_and_edit(fn, timeout=None):
        out = real(fn, timeout)
        path.write_text(GOOD.replace("{ }", "{ } /* edited */"))     # the edit lands mid-analysis
        return out
    monkeypatch.setattr(isolate, "run", run_and_edit)
    cache = ResultCache(Config(), str(tmp_path / "cache"))
    r = analyze_file_safely(str(path), Config())
    cache.put(str(path), r)
    monkeypatch.setattr(isolate, "run", real)
    # the new text is not served the old text's result...
    assert ResultCache(Config(), str(tmp_path / "cache")).get(str(path)) is None
    # ...and the old text, back, is
    path.write_text(GOOD)
    hit = ResultCache(Config(), str(tmp_path / "cache")).get(str(path))
    assert hit is not None and [f.rule for f in hit.findings] == [f.rule for f in r.findings]
