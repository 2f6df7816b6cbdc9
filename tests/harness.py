"""The shared test harness: C snippets through the bundled headers and the whole pipeline, the
fixture modules of tests/fixtures/, and `assert_findings(src, *ids)`.

    from harness import assert_findings, edit, fixture
    assert_findings(edit(fixture("callbacks_patch.c"), "\\t{ }\\n};", "};"), "KLP101")

`assert_findings` runs what `klplint check` runs on one file (pipeline.analyze_file: parse, extract,
structural rules, the lifecycle engine, suppressions) and fails unless exactly the given rule ids
fire, each as many times as given: a missing finding and an extra one both fail, and the message
lists every finding with its line.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from klplint.config.settings import Config
from klplint.findings import Finding
from klplint.frontend import parse
from klplint.ir import TranslationUnit
from klplint.patch.extract import extract
from klplint.patch.model import PatchModule
from klplint.pipeline.analyze_file import analyze_file
from klplint.pipeline.result import FileResult

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# What parse_c/model_of put before a snippet that is not a whole module.
PRELUDE = "#include <linux/module.h>\n#include <linux/livepatch.h>\n#include <linux/slab.h>\n"


def prelude_lines() -> int:
    return PRELUDE.count("\n")


# ------------------------------------------------------------------ sources

def fixture(name: str) -> str:
    """The text of tests/fixtures/<name>: a complete, clean module (no finding)."""
    return (FIXTURES / name).read_text()


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    """`text` with `old` replaced by `new`; fails when `old` is not there (a fixture changed)."""
    assert old in text, f"not in the source: {old!r}"
    return text.replace(old, new, count)


def callbacks_module(code: str = "", callbacks: Optional[Dict[str, str]] = None,
                     object_name: Optional[str] = "ext4", enable: bool = True) -> str:
    """A complete callbacks-API module around `code`: one object (`object_name`, None for vmlinux)
    patching one function, with `callbacks` (role -> function defined in `code`), a patch, and a
    module_init that enables it (or only registers it when `enable` is false)."""
    roles = "".join(f"\t\t\t.{role} = {fn},\n" for role, fn in (callbacks or {}).items())
    name = f'\t\t.name = "{object_name}",\n' if object_name else ""
    start = ("\treturn klp_enable_patch(&patch);\n" if enable else
             "\treturn klp_register_patch(&patch);\n")
    stop = "" if enable else "\tWARN_ON(klp_unregister_patch(&patch));\n"
    return (f"{PRELUDE}\n{code}\n"
            "static int lp_fixed(void) { return 0; }\n\n"
            "static struct klp_func funcs[] = {\n"
            '\t{ .old_name = "fixed", .new_func = lp_fixed, },\n'
            "\t{ }\n};\n\n"
            "static struct klp_object objs[] = {\n"
            f"\t{{\n{name}\t\t.funcs = funcs,\n\t\t.callbacks = {{\n{roles}\t\t}},\n\t}},\n"
            "\t{ }\n};\n\n"
            "static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };\n\n"
            f"static int __init lp_init(void)\n{{\n{start}}}\n\n"
            f"static void __exit lp_exit(void)\n{{\n{stop}}}\n\n"
            "module_init(lp_init);\nmodule_exit(lp_exit);\n"
            'MODULE_LICENSE("GPL");\nMODULE_INFO(livepatch, "Y");\n')


def callback_functions(callbacks: Dict[str, str], prefix: str = "lp_") -> Tuple[str, str]:
    """C definitions of callbacks, role -> body, each named `prefix + role` (pre_patch returns 0 after
    its body), and the lines of a `.callbacks = { ... }` initializer naming them."""
    bodies = "".join(
        f"static {'int' if role == 'pre_patch' else 'void'} {prefix}{role}(struct klp_object *obj)\n{{\n{body}\n"
        f"{chr(9) + 'return 0;' + chr(10) if role == 'pre_patch' else ''}}}\n\n"
        for role, body in callbacks.items())
    roles = "".join(f"\t\t.{role} = {prefix}{role},\n" for role in callbacks)
    return bodies, roles


# ------------------------------------------------------------------ running klplint

def _in_file(code: str, name: str, run):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(code)
        return run(path)


def parse_c(code: str, name: str = "snippet.c", config: Optional[Config] = None,
            prelude: bool = True) -> TranslationUnit:
    """The IR of a snippet (after PRELUDE unless `prelude` is false)."""
    return _in_file((PRELUDE if prelude else "") + code, name,
                    lambda path: parse(path, config or Config(strict=True)))


def model_of(code: str, name: str = "snippet.c", config: Optional[Config] = None) -> PatchModule:
    """The patch model extract() makes of a snippet (after PRELUDE)."""
    return extract(parse_c(code, name, config), config)


def run_klplint(src: str, name: str = "lp_test.c", config: Optional[Config] = None) -> FileResult:
    """Everything klplint says about `src` as a file `name`, as analyze_file does for `klplint
    check`; a tool error (a file that does not parse) fails the test."""
    result = _in_file(src, name, lambda path: analyze_file(path, config or Config(strict=True)))
    assert not result.errors, "klplint could not analyse the source:\n" + \
        "\n".join(f"  {e.line}:{e.col}: {e.reason}" for e in result.errors)
    return result


def describe(findings: Iterable[Finding]) -> str:
    lines = [f"  {f.loc.line}:{f.loc.col}: {f.rule} [{f.level}] {f.message}" for f in findings]
    return "\n".join(lines) or "  (none)"


def assert_findings(src: str, *ids: str, family: str = "", name: str = "lp_test.c",
                    config: Optional[Config] = None) -> List[Finding]:
    """Exactly the rule ids `ids` (with repetition) fire on `src`; only rules whose id starts with
    `family` are looked at (e.g. "KLP1" for the structural ones). The findings, for more checks."""
    result = run_klplint(src, name, config)
    found = [f for f in result.findings if f.rule.startswith(family)]
    got, want = sorted(f.rule for f in found), sorted(ids)
    if got != want:
        missing = _minus(want, got)
        extra = _minus(got, want)
        raise AssertionError(
            f"expected {want or 'no finding'}{' of ' + family if family else ''}, got {got or 'none'}"
            + (f"\nmissing: {missing}" if missing else "") + (f"\nextra: {extra}" if extra else "")
            + "\nfindings:\n" + describe(found))
    return found


def _minus(a: List[str], b: List[str]) -> List[str]:
    rest = list(b)
    out = []
    for x in a:
        if x in rest:
            rest.remove(x)
        else:
            out.append(x)
    return out
