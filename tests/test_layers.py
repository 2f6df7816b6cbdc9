"""The package layers of klplint: imports go downward only, no import cycle, and an import inside a
function says why it is not at the top of its module.

Every module of klplint/ is parsed (ast, nothing is imported) into a graph of imports between
modules. A module belongs to a unit: its subpackage of klplint (`klplint.pipeline.cache` is in
`pipeline`) or, for the modules directly in klplint/, the module itself (`findings`, `entry`).
The units are stacked in LAYERS, lowest first; a unit may import itself and the units of lower
layers, never a unit of its own or a higher layer. The same order is written in CONTRIBUTING.md.

An import inside a function is allowed only where it buys start-up time or isolates an optional
dependency (a lazy subcommand, the kbuild server's client, libclang loading, the language server's
pygls); it carries the marker `# start-up: <why>` on its line, or on a comment line directly above a
run of such imports.

The checks are parametrized per unit so that a failure names the package and lists its offenders.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent / "klplint"

# Lowest first. Units in one layer do not import each other.
LAYERS: List[Tuple[str, ...]] = [
    ("klplint", "location", "pathnorm", "safeio"),  # the package itself (__version__), a place in a
                                # source file, paths as shown and keyed, reading untrusted files
    ("findings",),              # what is reported: Finding, ToolError, levels
    ("fixes",),                 # mechanical fixes as text edits (KLP101/112/113, --fix, LSP)
    ("ir",),                    # the C IR both front ends produce
    ("frontend",),              # C file -> IR (libclang, pycparser, bundled headers)
    ("patch",),                 # IR -> the livepatch model (klp_patch, objects, callbacks)
    ("analysis",),              # symbolic execution over the livepatch core's lifecycle
    ("rules",),                 # the KLPnnn rules, their registry and documentation
    ("config",),                # settings and configuration files
    ("pipeline", "report"),     # analyse files (cache, parallel, baseline) / render findings
    ("kpatch",),                # source diffs: kpatch-build's patch model of a kernel tree's files
    ("cli", "oracle", "rerun"),          # the command line surfaces / the real-kernel oracle / replaying an unchanged check
    ("entry",),                 # the `klplint` console script
    ("__main__",),              # python -m klplint
]
LAYER_OF: Dict[str, int] = {u: i for i, layer in enumerate(LAYERS) for u in layer}

MARKER = "# start-up:"

# To be removed: what breaks the rules today in modules that other branches are rewriting right now
# (analysis/ on `typed`, rules/ on `events`, pipeline/analyze_file.py). The lead empties these after
# merging; test_allowances_are_still_needed fails as soon as an entry is no longer needed.
#
# Upward imports, as (importing module, imported module):
ALLOWED_UPWARD: Set[Tuple[str, str]] = set()
# Function-level imports without the marker, as (importing module, imported module):
ALLOWED_UNMARKED: Set[Tuple[str, str]] = {
    ("klplint.pipeline.analyze_file", "klplint.analysis.driver"),
}
# Import cycles between modules of one package, each as the set of modules in the cycle:
ALLOWED_CYCLES: List[Set[str]] = []


@dataclass(frozen=True)
class Import:
    """One import statement's target inside klplint, where it is, and whether a function holds it."""
    source: str             # importing module, dotted
    target: str             # imported module, dotted (the package for `from pkg import name`)
    line: int
    in_function: bool
    marked: bool            # carries the start-up marker

    def where(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: Dict[str, Path] = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def unit_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "klplint"
    return parts[1]


def _resolve(source: str, is_package: bool, node: ast.ImportFrom) -> Optional[str]:
    if not node.level:
        return node.module
    base = source.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(source: str, is_package: bool, node: ast.stmt) -> List[str]:
    """The klplint modules one import statement names; `from pkg import mod` names pkg.mod when
    that is a module, else pkg."""
    out = []
    if isinstance(node, ast.Import):
        out = [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = _resolve(source, is_package, node)
        if base is None:
            return []
        for a in node.names:
            sub = f"{base}.{a.name}"
            out.append(sub if sub in MODULES else base)
    return sorted({t for t in out if t == "klplint" or t.startswith("klplint.")})


def _is_type_checking(stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.If):
        return False
    test = stmt.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _comment_above(lines: List[str], line: int) -> str:
    """The block of comment lines directly above `line` (1-based), joined."""
    out = []
    i = line - 2
    while i >= 0 and lines[i].strip().startswith("#"):
        out.append(lines[i].strip())
        i -= 1
    return " ".join(reversed(out))


def _has_marker(lines: List[str], first: int, last: int) -> bool:
    return any(MARKER in lines[i - 1] for i in range(first, last + 1))


def imports_of(module: str) -> List[Import]:
    path = MODULES[module]
    text = path.read_text()
    lines = text.splitlines()
    tree = ast.parse(text, str(path))
    is_package = path.name == "__init__.py"
    found: List[Import] = []

    def visit(body: List[ast.stmt], in_function: bool) -> None:
        run_marked = False              # a marker comment above the current run of imports
        previous: Optional[ast.stmt] = None
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                continues = isinstance(previous, (ast.Import, ast.ImportFrom)) and \
                    stmt.lineno == (previous.end_lineno or previous.lineno) + 1
                if not continues:
                    run_marked = MARKER in _comment_above(lines, stmt.lineno)
                marked = run_marked or _has_marker(lines, stmt.lineno, stmt.end_lineno or stmt.lineno)
                # outside klplint (standard library, third party) only imports in functions matter
                targets = _targets(module, is_package, stmt) or \
                    ([getattr(stmt, "module", None) or stmt.names[0].name] if in_function else [])
                for target in targets:
                    found.append(Import(module, target, stmt.lineno, in_function, marked))
            elif _is_type_checking(stmt):
                visit(stmt.orelse, in_function)    # imports for annotations only: not run
            else:
                inner = in_function or isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(stmt, field, None) or [], inner)
                for handler in getattr(stmt, "handlers", None) or []:
                    visit(handler.body, inner)
                for case in getattr(stmt, "cases", None) or []:
                    visit(case.body, inner)
            previous = stmt

    visit(tree.body, False)
    return found


ALL_IMPORTS: List[Import] = [imp for m in MODULES for imp in imports_of(m)]
UNITS = sorted({unit_of(m) for m in MODULES}, key=lambda u: (LAYER_OF.get(u, -1), u))
INTERNAL = [i for i in ALL_IMPORTS if i.target in MODULES]


def test_every_unit_has_a_layer():
    missing = [u for u in UNITS if u not in LAYER_OF]
    assert not missing, f"units without a place in LAYERS (add them, and to CONTRIBUTING.md): {missing}"


def test_the_graph_is_read():
    # the parse finds what the layout is known to have: guards against a walker that sees nothing
    assert ("klplint.entry", "klplint.cli.main") in {(i.source, i.target) for i in INTERNAL}
    assert any(i.in_function and i.marked for i in ALL_IMPORTS)
    assert {"ir", "frontend", "patch", "analysis", "rules", "pipeline", "cli"} <= set(UNITS)


@pytest.mark.parametrize("unit", UNITS)
def test_imports_go_down(unit):
    bad = []
    for i in INTERNAL:
        if unit_of(i.source) != unit or unit_of(i.target) == unit:
            continue
        if LAYER_OF[unit_of(i.target)] >= LAYER_OF[unit] and (i.source, i.target) not in ALLOWED_UPWARD:
            bad.append(f"{i.where()} ({unit_of(i.target)} is not below {unit})")
    assert not bad, f"{unit} imports sideways or upward:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("unit", UNITS)
def test_function_level_imports_are_marked(unit):
    bad = [i.where() for i in ALL_IMPORTS
           if unit_of(i.source) == unit and i.in_function and not i.marked
           and (i.source, i.target) not in ALLOWED_UNMARKED]
    assert not bad, (f"{unit}: imports inside functions without `{MARKER} <why>` "
                     "(move them to the top of the module, or say why start-up needs them there):\n  "
                     + "\n  ".join(bad))


def _cycles(edges: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    out: List[List[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


def test_no_cycle_between_units():
    edges: Dict[str, Set[str]] = {}
    for i in INTERNAL:
        a, b = unit_of(i.source), unit_of(i.target)
        if a != b and (i.source, i.target) not in ALLOWED_UPWARD:
            edges.setdefault(a, set()).add(b)
    assert _cycles(edges) == []


@pytest.mark.parametrize("unit", UNITS)
def test_no_cycle_between_modules(unit):
    # function-level imports count: a cycle hidden behind one is still a cycle
    cycles = [c for c in _module_cycles() if unit_of(c[0]) == unit and set(c) not in ALLOWED_CYCLES]
    assert not cycles, f"{unit}: import cycles between modules: {cycles}"


def _module_cycles() -> List[List[str]]:
    edges: Dict[str, Set[str]] = {}
    for i in INTERNAL:
        if i.source != i.target:
            edges.setdefault(i.source, set()).add(i.target)
    return _cycles(edges)


def test_allowances_are_still_needed():
    pairs = {(i.source, i.target) for i in INTERNAL}
    upward = {(i.source, i.target) for i in INTERNAL
              if LAYER_OF.get(unit_of(i.target), -1) >= LAYER_OF.get(unit_of(i.source), -1)
              and unit_of(i.source) != unit_of(i.target)}
    unmarked = {(i.source, i.target) for i in ALL_IMPORTS if i.in_function and not i.marked}
    stale = sorted((ALLOWED_UPWARD - upward) | (ALLOWED_UNMARKED - unmarked))
    stale += [sorted(c) for c in ALLOWED_CYCLES if sorted(c) not in _module_cycles()]
    assert not stale, f"allowances no longer needed, remove them: {stale}"
    assert ALLOWED_UPWARD <= pairs


# What the start-up markers buy, checked in a fresh interpreter: importing a module does not import
# what its marked function-level imports put off.
STARTUP = [
    # kbuild-check --server: the client runs once per C file under make
    ("klplint.cli.kbuild_server", ["click", "klplint.cli.main", "klplint.frontend", "subprocess"]),
    # --help, --version: no pipeline, no rule, no analyzer
    ("klplint.cli.main", ["klplint.cli.run", "klplint.pipeline", "klplint.rules", "klplint.analysis"]),
    # one report format at a time
    ("klplint.report", ["klplint.report.sarif", "sarif_om", "klplint.rules"]),
    # the front end's facade: libclang and pycparser only when a file is parsed
    ("klplint.frontend", ["klplint.frontend.libclang.lower", "clang", "klplint.frontend.pure.lower",
                          "pycparser"]),
]


@pytest.mark.parametrize("module,absent", STARTUP, ids=[m for m, _ in STARTUP])
def test_startup_imports_stay_lazy(module, absent):
    code = (f"import sys, {module}\n"
            f"print(' '.join(m for m in {absent!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT.parent).stdout.split()
    assert out == [], f"importing {module} also imported {out}"


def test_contributing_shows_the_same_layers():
    """CONTRIBUTING.md's table of layers is the order this test enforces."""
    rows = []
    for line in (ROOT.parent / "CONTRIBUTING.md").read_text().splitlines():
        m = re.match(r"\| (\d+) \| ([^|]+) \|", line)
        if m:
            names = re.findall(r"`([^`]+)`", m.group(2))
            rows.append(tuple("klplint" if n == "klplint/__init__.py" else n.rstrip("/").removesuffix(".py")
                              for n in names))
    assert rows == LAYERS
