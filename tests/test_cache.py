"""The result cache: same report from a hit, invalidated by anything that changes the result."""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from klplint.pipeline.analyze_paths import analyze_paths
from klplint.pipeline.cache import CACHEDIR_TAG, ResultCache
from klplint.config.settings import Config

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def klplint(*args, cwd, cache_dir=None, env_extra=None):
    env = dict(os.environ)
    env.pop("KLPLINT_CACHE_DIR", None)
    if cache_dir:
        env["KLPLINT_CACHE_DIR"] = str(cache_dir)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "klplint", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


@pytest.fixture
def tree(tmp_path):
    """Every corpus file, a module with a header beside it, one with a header that does not exist,
    and one that does not parse."""
    src = tmp_path / "src"
    for family in ("structure/bad", "meta", "lifecycle/bad"):     # fixes, suppressions, lifecycle paths
        if (CORPUS / family).is_dir():
            shutil.copytree(CORPUS / family, src / "corpus" / family)
    (src / "lp_names.h").write_text('#define TARGET "vmlinux"\n')
    bad107 = (CORPUS / "structure" / "bad" / "klp107_named_vmlinux.c").read_text()
    (src / "with_header.c").write_text(bad107.replace('#include <linux/livepatch.h>',
                                                      '#include <linux/livepatch.h>\n#include "lp_names.h"')
                                       .replace('.name = "vmlinux"', ".name = TARGET"))
    (src / "missing_header.c").write_text(bad107.replace('#include <linux/livepatch.h>',
                                                         '#include <linux/livepatch.h>\n#include "lp_later.h"'))
    (src / "broken.c").write_text("#include <linux/livepatch.h>\nstatic int x = ;\n")
    return tmp_path


def results_of(tree, config=None, cache=None, jobs=1):
    config = config or Config(strict=True)
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        return analyze_paths(["src"], config, jobs=jobs, cache=cache)[0]
    finally:
        os.chdir(cwd)


def test_hit_reproduces_the_report_exactly(tree):
    cache = tree / "cache"
    first = klplint("check", "src", cwd=tree, cache_dir=cache)
    assert first.returncode == 2          # broken.c
    entries = glob.glob(str(cache / "results" / "*" / "*.json"))
    assert len(entries) >= 30
    second = klplint("check", "src", cwd=tree, cache_dir=cache)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert "with_header.c:" in first.stdout and "KLP101" in first.stdout and "KLP119" in first.stdout
    if (CORPUS / "lifecycle" / "bad").is_dir():
        assert ": note: lifecycle scenario: " in first.stdout                  # lifecycle paths survive the cache
    assert "lp_later.h> not found" in first.stderr and "broken.c" in first.stderr
    # every format from cache hits equals the format computed afresh
    for fmt in ("json", "sarif", "github"):
        hot = klplint("check", "--format", fmt, "src", cwd=tree, cache_dir=cache)
        cold = klplint("check", "--format", fmt, "--no-cache", "src", cwd=tree, cache_dir=tree / "other")
        assert (hot.returncode, hot.stdout, hot.stderr) == (cold.returncode, cold.stdout, cold.stderr), fmt
    assert not (tree / "other").exists()


def test_cache_folder_is_tagged_and_defaults_to_the_working_directory(tree):
    r = klplint("check", "src/corpus/meta/good", cwd=tree)
    assert r.returncode == 0, r.stderr
    tag = (tree / ".klplint_cache" / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55\n") and tag == CACHEDIR_TAG
    assert (tree / ".klplint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_hits_are_used_and_corrupt_entries_ignored(tree, tmp_path):
    cache = ResultCache(Config(strict=True), str(tmp_path / "c"))
    fresh = results_of(tree, cache=cache)
    assert cache.hits == 0
    cache2 = ResultCache(Config(strict=True), str(tmp_path / "c"))
    again = results_of(tree, cache=cache2)
    assert cache2.hits == len(fresh)        # results with a tool error (broken.c) too
    assert any(r.errors for r in fresh)
    assert [(r.path, r.findings, r.errors, r.notes) for r in again] == \
        [(r.path, r.findings, r.errors, r.notes) for r in fresh]
    # a hit really is served from the entry: change a message in one...
    entries = sorted(glob.glob(str(tmp_path / "c" / "results" / "*" / "*.json")))
    target = next(e for e in entries if json.load(open(e))["result"]["findings"])
    doc = json.load(open(target))
    doc["result"]["findings"][0]["message"] = "served from the cache"
    Path(target).write_text(json.dumps(doc))
    served = results_of(tree, cache=ResultCache(Config(strict=True), str(tmp_path / "c")))
    assert any(f.message == "served from the cache" for r in served for f in r.findings)
    # ...and a corrupt entry is a miss, not an error
    for e in entries:
        Path(e).write_text("{ truncated")
    cache3 = ResultCache(Config(strict=True), str(tmp_path / "c"))
    again = results_of(tree, cache=cache3)
    assert cache3.hits == 0
    assert [r.findings for r in again] == [r.findings for r in fresh]


def test_what_invalidates_an_entry(tree, tmp_path):
    def run(config=None):
        cache = ResultCache(config or Config(strict=True), str(tmp_path / "c"))
        res = {os.path.basename(r.path): r for r in results_of(tree, config, cache)}
        return res, cache

    base, _ = run()
    assert [f.rule for f in base["with_header.c"].findings] == ["KLP107"]
    assert base["missing_header.c"].notes
    _, c = run()
    assert c.misses == 0            # broken.c too: a tool error is stored like findings

    # a header's contents
    (tree / "src" / "lp_names.h").write_text('#define TARGET "ext4"\n')
    res, c = run()
    assert c.misses == 1 and res["with_header.c"].findings == []
    # a header that was missing appears
    (tree / "src" / "lp_later.h").write_text("/* now here */\n")
    res, c = run()
    assert c.misses == 1 and not res["missing_header.c"].notes
    # the source
    p = tree / "src" / "with_header.c"
    p.write_text(p.read_text() + "// klplint: ignore[KLP204]\n")
    res, c = run()
    assert c.misses == 1 and [f.rule for f in res["with_header.c"].findings] == ["KLP119"]
    # the configuration: nothing is served from entries made under another one
    res, c = run(Config(strict=True, select=("KLP101",)))
    assert c.hits == 0
    assert {f.rule for r in res.values() for f in r.findings} == {"KLP101"}


def test_jobs_keep_input_order_and_share_the_cache(tree):
    cache = tree / "cache"
    serial = klplint("check", "--format", "json", "--no-cache", "src", cwd=tree)
    par = klplint("check", "--format", "json", "--jobs", "4", "src", cwd=tree, cache_dir=cache)
    assert par.stdout == serial.stdout and par.stderr == serial.stderr
    par2 = klplint("check", "--format", "json", "--jobs", "4", "src", cwd=tree, cache_dir=cache)
    assert par2.stdout == serial.stdout and par2.stderr == serial.stderr
    # half the files changed: hits and fresh results interleave, order is still the input order
    for p in sorted((tree / "src" / "corpus").rglob("*.c"))[::2]:
        p.write_text(p.read_text() + "\n")
    par3 = klplint("check", "--format", "json", "--jobs", "3", "src", cwd=tree, cache_dir=cache)
    serial3 = klplint("check", "--format", "json", "--no-cache", "src", cwd=tree)
    assert par3.stdout == serial3.stdout


def test_each_worker_has_its_own_libclang_index():
    """A forked worker drops the libclang index it inherited from the parent and makes its own."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from klplint.frontend.libclang import lower as from_clang
    from klplint.pipeline.parallel import _init_worker
    from_clang.load_library()                       # the parent has an index before the fork
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        assert pool.submit(_inherited_index).result() is True      # the hazard exists...
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=_init_worker,
                             initargs=(Config(strict=True), None)) as pool:
        assert pool.submit(_inherited_index).result() is False     # ...and the initializer removes it


def _inherited_index():
    from klplint.frontend.libclang import lower as from_clang
    return from_clang._index is not None


def test_results_cut_short_by_the_clock_are_not_stored(tmp_path):
    from klplint.pipeline.result import FileResult
    from klplint.findings import Finding
    from klplint.ir import Location
    src = tmp_path / "a.c"
    src.write_text("int x;\n")
    cache = ResultCache(Config(strict=True), str(tmp_path / "c"))
    seconds = Config().budgets.file_seconds     # the engine's message names the configured limit
    slow = FileResult(str(src), findings=[Finding("KLP213", "note", f"the analysis of this file took more than "
                                                  f"{seconds:g} s; later scenarios were not explored",
                                                  Location(str(src), 1, 1))])
    cache.put(str(src), slow)
    assert cache.get(str(src)) is None
    fine = FileResult(str(src), findings=[Finding("KLP213", "note", "more than 20000 statements executed",
                                                  Location(str(src), 1, 1))])
    cache.put(str(src), fine)
    assert cache.get(str(src)).findings == fine.findings


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_are_slim_and_stored_as_they_are_made(tree, tmp_path, jobs):
    """analyze_paths keeps what the reporters need, not the IR or the header list (memory grows
    with findings, not with files); the header list the cache needs is in the entry."""
    cache = ResultCache(Config(strict=True), str(tmp_path / "c"))
    results = results_of(tree, cache=cache, jobs=jobs)
    assert results and all(r.module is None and r.includes == () for r in results)
    entries = [json.load(open(e)) for e in glob.glob(str(tmp_path / "c" / "results" / "*" / "*.json"))]
    assert len(entries) == len(results)
    with_header = next(e for e in entries if e["path"].endswith("with_header.c"))
    assert any(inc.endswith("lp_names.h") for inc, _digest in with_header["includes"])
    assert any(inc.endswith("linux/livepatch.h") for inc, _digest in with_header["includes"])
    assert "includes" not in with_header["result"]
    again = ResultCache(Config(strict=True), str(tmp_path / "c"))
    assert [(r.path, r.findings, r.notes) for r in results_of(tree, cache=again, jobs=jobs)] == \
        [(r.path, r.findings, r.notes) for r in results]
    assert again.hits == len(entries)


def test_a_worker_that_dies_loses_only_its_own_file(tree, monkeypatch):
    """A crash in a worker (libclang aborting on some input) breaks the pool: the unfinished files are
    retried one per process, and only the culprit is reported, as an internal error."""
    from klplint.pipeline import analyze_file as analyze
    real = analyze.analyze_file_safely

    def crashing(path, config, text=None):
        if path.endswith("with_header.c"):
            os._exit(3)
        return real(path, config, text)
    monkeypatch.setattr(analyze, "analyze_file_safely", crashing)     # inherited by the forked workers
    results = results_of(tree, jobs=2)
    expected = sorted(str(p.relative_to(tree)) for p in (tree / "src").rglob("*.c"))
    assert sorted(r.path for r in results) == expected
    died = [r for r in results if any("analysis process died" in e.reason for e in r.errors)]
    assert [r.path for r in died] == [os.path.join("src", "with_header.c")]
    assert sum(1 for r in results if r.findings) >= 20


def test_dependency_versions_are_those_importlib_metadata_finds():
    """The cache key reads the front ends' versions from the installed distributions without
    importing importlib.metadata; it must agree with it."""
    from importlib import metadata

    from klplint.pipeline.cache import _dependency_versions
    found = _dependency_versions()
    for name in ("libclang", "pycparser", "pcpp"):
        try:
            expected = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected = None
        assert found[name] == expected, name
    assert found["libclang"]            # the test extra installs it


def test_code_digest_covers_every_layer_of_the_package():
    # a changed rule, kernel-call model or engine module must miss the cache, not only pipeline/
    import klplint
    from klplint.pipeline import cache
    root = cache.package_root()
    assert os.path.samefile(root, os.path.dirname(klplint.__file__))
    for layer in ("analysis", "rules", "frontend", "pipeline"):
        assert os.path.isdir(os.path.join(root, layer)), layer
    assert cache.code_digest() == cache.tree_digest(root)


def test_tree_digest_changes_with_a_file_in_a_subfolder(tmp_path):
    from klplint.pipeline import cache
    (tmp_path / "analysis" / "kapi").mkdir(parents=True)
    model = tmp_path / "analysis" / "kapi" / "alloc.py"
    model.write_text("RELEASES = 1\n")
    (tmp_path / "frontend").mkdir()
    (tmp_path / "frontend" / "rcupdate.h").write_text("#define X 1\n")
    before = cache.tree_digest(str(tmp_path))
    model.write_text("RELEASES = 2\n")
    assert cache.tree_digest(str(tmp_path)) != before
    model.write_text("RELEASES = 1\n")
    assert cache.tree_digest(str(tmp_path)) == before
