"""The precompiled-header path (klplint/frontend/pch.py) changes nothing but speed: the same IR (dump,
locations, includes, records, notes) and the same findings and errors with and without it, on the
kernel's own livepatch modules and on the corpus against Debian's kernel headers; and it falls back to
a normal parse when the PCH is unusable (corrupt, headers changed, macros before the includes)."""
from __future__ import annotations

import json
import os

import pytest

from klplint import ir
from klplint.pipeline.analyze_file import analyze_file
from klplint.config.settings import Config
from klplint.frontend import FrontendError, parse
from klplint.frontend.libclang import pch

from kbuild_util import kernel_build_dir
from kernel_source import livepatch_module_sources
from test_corpus import corpus_files


@pytest.fixture(autouse=True)
def pch_dir(tmp_path, monkeypatch):
    d = tmp_path / "pch"
    monkeypatch.setenv("KLPLINT_PCH_DIR", str(d))
    monkeypatch.delenv("KLPLINT_NO_PCH", raising=False)
    pch.forget()
    yield d
    pch.forget()


def _outcome(path, config):
    try:
        unit = parse(path, config)
    except FrontendError as e:
        unit = ("error", e.reason, e.line, e.col)
    r = analyze_file(path, config)
    return (unit,
            [(f.rule, f.level, f.message, f.loc) for f in r.findings],
            [(e.path, e.reason, e.line, e.col) for e in r.errors],
            [(n.path, n.reason, n.line, n.col) for n in r.notes],
            r.includes)


def _both(path, config, monkeypatch):
    monkeypatch.setenv("KLPLINT_NO_PCH", "1")
    off = _outcome(path, config)
    monkeypatch.delenv("KLPLINT_NO_PCH")
    on = _outcome(path, config)
    return off, on


def _assert_same(path, off, on):
    if isinstance(off[0], ir.TranslationUnit) and isinstance(on[0], ir.TranslationUnit):
        assert ir.dump(on[0]) == ir.dump(off[0]), path
        assert on[0].includes == off[0].includes, path
        assert on[0].records == off[0].records, path
        assert on[0].notes == off[0].notes, path
    assert on == off, path


@pytest.mark.kernel
def test_kernel_livepatch_modules_same_with_and_without_pch(kernel_source, monkeypatch):
    config = Config(kernel_dir=kernel_build_dir(), strict=True)
    files = [str(p) for p in livepatch_module_sources(kernel_source)]
    assert len(files) >= 15
    hits = pch.stats["hit"]
    for path in files:
        off, on = _both(path, config, monkeypatch)
        assert isinstance(off[0], ir.TranslationUnit), (path, off[0])
        assert off[0].includes, path
        _assert_same(path, off, on)
    # the PCH was really used, for every file (each has a preamble of kernel includes)
    assert pch.stats["hit"] - hits >= 2 * len(files)


@pytest.mark.kernel
def test_corpus_against_kernel_headers_same_with_and_without_pch(monkeypatch):
    config = Config(kernel_dir=kernel_build_dir(), strict=True)
    hits = pch.stats["hit"]
    for path in corpus_files():
        off, on = _both(path, config, monkeypatch)
        _assert_same(path, off, on)
    assert pch.stats["hit"] > hits


# ---------------------------------------------------------------- preamble

def test_preamble_keeps_leading_directives_up_to_the_last_include():
    text = ('/* SPDX */\n// a comment\n#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt /* c */\n\n'
            '#include <linux/module.h> // why\n#  include <linux/kernel.h>\n#define LATER 1\n'
            'int x;\n#include <linux/slab.h>\n')
    assert pch.preamble(text) == ('#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt\n'
                                  '#include <linux/module.h>\n#include <linux/kernel.h>\n')


def test_preamble_keeps_strings_and_continuations():
    text = '#define URL "http://x" \\\n  "/*y*/"\n#include <a.h>\n'
    assert pch.preamble(text) == '#define URL "http://x"    "/*y*/"\n#include <a.h>\n'


@pytest.mark.parametrize("text", [
    "int x;\n#include <a.h>\n",                    # code first
    "#ifndef X\n#include <a.h>\n#endif\n",         # conditionals end the preamble
    "#define A 1\n",                               # no include: nothing to precompile
    "#include <a.c>\n",                            # not a header
    "/* open comment\n#include <a.h>\n",
])
def test_no_preamble(text):
    assert pch.preamble(text) is None


def test_preamble_follows_a_leading_quoted_include(tmp_path):
    (tmp_path / "base.c").write_text('#define pr_fmt(fmt) "m: " fmt\n#include <a.h>\n#include <b.h>\nint x;\n')
    main = tmp_path / "main.c"
    main.write_text('// the same module, built again\n#include "base.c"\nint y;\n')
    assert pch.preamble(main.read_text(), str(main)) == '#define pr_fmt(fmt) "m: " fmt\n#include <a.h>\n#include <b.h>\n'
    assert pch.preamble('#include "missing.h"\n', str(main)) is None


# ---------------------------------------------------------------- fallbacks, without a kernel tree

def _tree(tmp_path, header):
    inc = tmp_path / "inc"
    inc.mkdir(exist_ok=True)
    (inc / "foo.h").write_text(header)
    # any header set but klplint's bundled one takes the PCH path
    return Config(extra_flags=("-nostdinc", "-I", str(inc)), strict=True), inc / "foo.h"


def _fields(unit, name):
    return dict(unit.records).get(name)


def test_changed_header_is_seen(tmp_path):
    config, header = _tree(tmp_path, "#ifndef FOO_H\n#define FOO_H\nstruct s { int a; };\n#endif\n")
    src = tmp_path / "m.c"
    src.write_text("#include <foo.h>\nstruct s g = { 1 };\n")
    hits = pch.stats["hit"]
    assert _fields(parse(str(src), config), "s") == ("a",)
    assert pch.stats["hit"] == hits + 1
    header.write_text("#ifndef FOO_H\n#define FOO_H\nstruct s { int a; int bb; };\n#endif\n")
    assert _fields(parse(str(src), config), "s") == ("a", "bb")          # same process
    pch.forget()
    assert _fields(parse(str(src), config), "s") == ("a", "bb")          # a later run


def test_corrupt_pch_falls_back(tmp_path, pch_dir):
    config, _ = _tree(tmp_path, "#ifndef FOO_H\n#define FOO_H\nstruct s { int a; };\n#endif\n")
    src = tmp_path / "m.c"
    src.write_text("#include <foo.h>\nstruct s g = { 1 };\n")
    want = parse(str(src), config)
    for name in os.listdir(pch_dir):
        if name.endswith(".pch"):
            (pch_dir / name).write_bytes(b"not a precompiled header")
    pch.forget()
    fallbacks = pch.stats["fallback"]
    assert parse(str(src), config) == want
    assert pch.stats["fallback"] == fallbacks + 1


def test_macros_before_the_includes_are_part_of_the_key(tmp_path):
    config, _ = _tree(tmp_path, "#ifdef WANT_B\nstruct s { int b; };\n#else\nstruct s { int a; };\n#endif\n")
    one, two = tmp_path / "one.c", tmp_path / "two.c"
    one.write_text("#define WANT_B 1\n#include <foo.h>\nstruct s g;\n")
    two.write_text("#include <foo.h>\nstruct s g;\n")
    assert _fields(parse(str(one), config), "s") == ("b",)
    assert _fields(parse(str(two), config), "s") == ("a",)


def test_module_name_tested_by_a_header_gives_one_pch_per_module(tmp_path):
    config, _ = _tree(tmp_path, '#ifdef KBUILD_MODNAME\nstruct s { int named; };\n#else\nstruct s { int anon; };\n#endif\n')
    one, three = tmp_path / "one.c", tmp_path / "three.c"
    for f in (one, three):
        f.write_text("#include <foo.h>\nstruct s g;\nunsigned long n = sizeof(KBUILD_MODNAME);\n")
    for f in (one, three):
        unit = parse(str(f), config)
        assert _fields(unit, "s") == ("named",)
        assert f"SizeOf(value={len(f.stem) + 1})" in ir.dump(unit), ir.dump(unit)


def test_disabled_by_environment(tmp_path, monkeypatch, pch_dir):
    config, _ = _tree(tmp_path, "struct s { int a; };\n")
    src = tmp_path / "m.c"
    src.write_text("#include <foo.h>\nstruct s g;\n")
    monkeypatch.setenv("KLPLINT_NO_PCH", "1")
    parse(str(src), config)
    assert not pch_dir.exists() or not any(n.endswith(".pch") for n in os.listdir(pch_dir))


def test_bundled_headers_do_not_use_a_pch(tmp_path, pch_dir):
    src = tmp_path / "m.c"
    src.write_text("#include <linux/module.h>\nint g;\n")
    parse(str(src), Config(strict=True))
    assert not pch_dir.exists()


# ---------------------------------------------------------------- prefix sharing

_SHARED_TAILS = {"one": "x_one", "two": "x_two", "three": "x_three"}


def _prefix_tree(tmp_path):
    """foo.h and bar.h shared by every module, then one header of its own each."""
    config, _ = _tree(tmp_path, "#ifndef FOO_H\n#define FOO_H\nstruct s { int a; };\n#define FOO_N 3\n#endif\n")
    inc = tmp_path / "inc"
    (inc / "bar.h").write_text("#ifndef BAR_H\n#define BAR_H\n#include <foo.h>\nstruct t { struct s s; long b; };\n#endif\n")
    for name, tail in _SHARED_TAILS.items():
        (inc / f"{tail}.h").write_text(f"#ifndef {tail.upper()}_H\n#define {tail.upper()}_H\n#include <bar.h>\n"
                                       f"struct {tail} {{ struct t t; int n[FOO_N]; }};\n#endif\n")
    sources = {}
    for name, tail in _SHARED_TAILS.items():
        src = tmp_path / f"{name}.c"
        src.write_text(f"#include <foo.h>\n#include <bar.h>\n#include <{tail}.h>\n"
                       f"static struct {tail} g_{name};\nint f_{name}(void) {{ return g_{name}.n[1] + (int)g_{name}.t.b; }}\n")
        sources[name] = src
    return config, sources


def _pchs(pch_dir):
    return sorted(n for n in os.listdir(pch_dir) if n.endswith(".pch"))


def _index(pch_dir):
    return json.loads(next(pch_dir.glob("prefixes-*.json")).read_text())


SHARED = "#include <foo.h>\n#include <bar.h>\n"


def test_files_with_different_include_lists_get_chains_onto_their_common_prefix(tmp_path, pch_dir, monkeypatch):
    config, sources = _prefix_tree(tmp_path)
    stats = dict(pch.stats)
    for name in ("one", "two", "three"):
        off, on = _both(str(sources[name]), config, monkeypatch)
        assert isinstance(on[0], ir.TranslationUnit), on[0]
        _assert_same(str(sources[name]), off, on)
        assert f"x_{name}" in dict(on[0].records), on[0].records
    # one: a root of its whole preamble (nothing seen before it); two: a root of the prefix it shares
    # with one (foo.h, bar.h) and a chain onto it; three: a chain onto that root
    assert len(_pchs(pch_dir)) == 4
    assert pch.stats["chains_built"] - stats["chains_built"] == 2
    assert pch.stats["prefix"] - stats["prefix"] >= 2          # parses through a chain
    index = _index(pch_dir)
    assert SHARED in index["roots"]
    assert {pre: root for pre, root in index["chained"].items()} == {
        sources[n].read_text().split("static")[0]: SHARED for n in ("two", "three")}
    # a later run (a new process: the in-process memo forgotten) finds every PCH without building one
    pch.forget()
    built = pch.stats["built"]
    for name in ("one", "two", "three"):
        off, on = _both(str(sources[name]), config, monkeypatch)
        _assert_same(str(sources[name]), off, on)
    assert pch.stats["built"] == built and len(_pchs(pch_dir)) == 4


def test_a_chain_holds_only_what_its_root_does_not(tmp_path, pch_dir, monkeypatch):
    # a root header big enough that a chain repeating it would show in the file size
    config, sources = _prefix_tree(tmp_path)
    big = "".join(f"struct big{i} {{ int a{i}; long b{i}; }};\n" for i in range(3000))
    (tmp_path / "inc" / "bar.h").write_text("#ifndef BAR_H\n#define BAR_H\n#include <foo.h>\n" + big +
                                            "struct t { struct s s; long b; };\n#endif\n")
    for name in ("one", "two"):
        parse(str(sources[name]), config)
    index = _index(pch_dir)
    sizes = {}
    for meta in pch_dir.glob("*.json"):
        if meta.name.startswith("prefixes-"):
            continue
        text = meta.with_suffix(".h").read_text()
        sizes[text] = meta.with_suffix(".pch").stat().st_size
    chain = sizes[next(iter(index["chained"]))]
    assert chain * 4 < sizes[SHARED], sizes


def test_a_chain_whose_root_is_rebuilt_or_pruned_is_rebuilt(tmp_path, pch_dir, monkeypatch):
    config, sources = _prefix_tree(tmp_path)
    for name in ("one", "two"):
        parse(str(sources[name]), config)
    root = next(m for m in pch_dir.glob("*.h") if m.read_text() == SHARED).with_suffix(".pch")
    root.unlink()                                       # pruned (or lost) under a chain
    pch.forget()
    built = pch.stats["built"]
    off, on = _both(str(sources["two"]), config, monkeypatch)
    _assert_same(str(sources["two"]), off, on)
    assert pch.stats["built"] == built + 2                # the root again, then the chain onto it
    # a header of the root changed: both are stale, and the parse sees the change
    (tmp_path / "inc" / "foo.h").write_text("#ifndef FOO_H\n#define FOO_H\nstruct s { int a; int c; };\n"
                                            "#define FOO_N 3\n#endif\n")
    pch.forget()
    hits = pch.stats["hit"]
    off, on = _both(str(sources["two"]), config, monkeypatch)
    _assert_same(str(sources["two"]), off, on)
    assert _fields(on[0], "s") == ("a", "c") and pch.stats["hit"] == hits + 2


def test_a_longer_preamble_is_chained_onto_a_root_it_starts_with(tmp_path, pch_dir, monkeypatch):
    config, sources = _prefix_tree(tmp_path)
    parse(str(sources["one"]), config)                      # a root of one's whole preamble
    longer = tmp_path / "longer.c"
    longer.write_text(sources["one"].read_text().replace("#include <x_one.h>\n", "#include <x_one.h>\n#include <x_two.h>\n"))
    chains = pch.stats["chains_built"]
    off, on = _both(str(longer), config, monkeypatch)
    _assert_same(str(longer), off, on)
    assert pch.stats["chains_built"] == chains + 1
    assert list(_index(pch_dir)["chained"].values()) == [sources["one"].read_text().split("static")[0]]


def test_the_cache_is_pruned_by_count_and_by_size_never_the_index(tmp_path, pch_dir, monkeypatch):
    config, sources = _prefix_tree(tmp_path)
    # what is kept beyond the limits: the entry just built and the root it is chained onto
    monkeypatch.setattr(pch, "MAX_ENTRIES", 1)
    for name in ("one", "two", "three"):
        parse(str(sources[name]), config)
    assert list(pch_dir.glob("prefixes-*.json"))
    assert len(_pchs(pch_dir)) == 2
    monkeypatch.setattr(pch, "MAX_ENTRIES", 100)
    monkeypatch.setattr(pch, "MAX_BYTES", 1)            # any entry is too big
    pch.forget()
    (tmp_path / "inc" / "foo.h").write_text((tmp_path / "inc" / "foo.h").read_text() + "\n")   # all stale
    for name in ("one", "two", "three"):
        off, on = _both(str(sources[name]), config, monkeypatch)
        _assert_same(str(sources[name]), off, on)
        assert len(_pchs(pch_dir)) <= 2


def test_the_common_prefix_stops_at_an_include():
    a = ["#define A 1\n", "#include <foo.h>\n", "#define B 1\n", "#include <x.h>\n"]
    b = ["#define A 1\n", "#include <foo.h>\n", "#define B 1\n", "#include <y.h>\n"]
    assert pch._common(a, b) == 2
    assert pch._common(a, a) == 4
    assert pch._common(a, ["#define A 2\n"] + a[1:]) == 0
