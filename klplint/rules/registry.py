"""The rule registry: each rule's metadata (id, name, family, API, level, documentation), the checks
bound to it, validation of both, rule selection, and running the selected checks.

A check is bound to its rule where it is written:

    @KLP204.on(EventKind.LEAK)      # fn(event, analysis) for each engine event of that kind
    @KLP101.check                   # fn(patch_module), structural, before the engine runs
    @KLP303.after                   # fn(analysis), once per module after all scenarios
    @KLP202.after(reads=(EventKind.MODSTATE_COMPARE,))     # ... saying which events it reads

`klplint.rules` imports every family and then seals the registry: a rule without a check (and
without a declared producer elsewhere, `Rule.produced_by`) or a check of an unregistered rule is
an error at import. `--select`/`--ignore` decide which checks run; a check yields findings of its
own rule only."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from klplint.analysis.events import EventKind
from klplint.findings import Finding

FAMILIES = {
    "1": "structure",
    "2": "lifecycle",
    "3": "shadow",
    "4": "states",
    "5": "kpatch",
}
API_NAMES = {"H": "hooks", "C": "callbacks", "B": "hooks and callbacks"}
DOCS_URL = "https://github.com/klplint/klplint/blob/main/rules/{id}.md"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    api: str              # H, C or B
    level: str            # default level: error | warning | note
    summary: str          # one line: what it finds
    why: str              # why the core makes it a bug
    bad: str              # C example that fires
    good: str             # the corrected example
    fix: str              # how to fix it
    precision: str = "high"

    # ---------------------------------------------- binding checks (decorators)
    def on(self, *kinds: EventKind) -> Callable:
        """Bind fn(event, analysis) -> findings to this rule, for the engine events of `kinds`."""
        if not kinds or not all(isinstance(k, EventKind) for k in kinds):
            raise RegistryError(f"{self.id}.on() needs event kinds (EventKind), got {kinds!r}")

        def deco(fn):
            _registry_of(self, fn).bind(self, fn, "event", kinds)
            return fn
        return deco

    def check(self, fn: Callable) -> Callable:
        """Bind a structural check fn(patch_module) -> findings to this rule."""
        _registry_of(self, fn).bind(self, fn, "structural")
        return fn

    def after(self, fn: Optional[Callable] = None, *, reads: Tuple[EventKind, ...] = ()) -> Callable:
        """Bind fn(analysis) -> findings to this rule, run once per module after all scenarios:
        `@KLP404.after`, or `@KLP202.after(reads=(EventKind.MODSTATE_COMPARE,))` to say which
        kinds of events it reads from the analysis."""
        if not all(isinstance(k, EventKind) for k in reads):
            raise RegistryError(f"{self.id}.after(reads=...) needs event kinds (EventKind), got {reads!r}")

        def deco(f):
            _registry_of(self, f).bind(self, f, "after", tuple(reads))
            return f
        return deco if fn is None else deco(fn)

    def produced_by(self, where: str) -> "Rule":
        """Declare that (some of) this rule's findings are made outside the registry, by `where`."""
        _registry_of(self, None).elsewhere[self.id] = where
        return self

    @property
    def family(self) -> str:
        return FAMILIES[self.id[3]]

    @property
    def help_uri(self) -> str:
        return DOCS_URL.format(id=self.id)

    def markdown(self) -> str:
        """The rule's page (rules/<ID>.md, `klplint explain`, SARIF help, LSP hover)."""
        return (f"# {self.id} {self.name}\n\n"
                f"Level: **{self.level}** · Family: {self.family} · API: {API_NAMES[self.api]}\n\n"
                f"## What it finds\n\n{self.summary}\n\n"
                f"## Why it is a bug\n\n{self.why.strip()}\n\n"
                f"## Example\n\n```c\n{self.bad.strip()}\n```\n\n"
                f"## Fixed\n\n```c\n{self.good.strip()}\n```\n\n"
                f"## How to fix\n\n{self.fix.strip()}\n")


class RegistryError(Exception):
    """A rule or check the registry refuses (raised at import of the rule modules)."""


def _registry_of(r: Rule, fn) -> "Registry":
    reg = getattr(r, "_registry", None)
    if reg is None:
        what = f"check {fn.__module__}.{fn.__qualname__}" if fn is not None else "a producer"
        raise RegistryError(f"{what} is bound to {r.id}, which no registry knows (define rules with rule())")
    return reg


class Check:
    """A check bound to its rule: structural (over the patch model), per engine event, or after
    all scenarios. `kinds`: the event kinds it runs on (event) or reads (after)."""
    __slots__ = ("rule", "fn", "stage", "kinds")

    def __init__(self, rule: Rule, fn: Callable, stage: str, kinds: Tuple[EventKind, ...] = ()):
        self.rule, self.fn, self.stage, self.kinds = rule, fn, stage, kinds

    def __repr__(self) -> str:
        return f"<check {self.fn.__qualname__} of {self.rule.id} ({self.stage})>"


Active = Callable[[str], bool]


class CheckFailure(NamedTuple):
    """A check that raised: its rule's findings for this module are incomplete, the others stand."""

    rule: str
    stage: str                  # structural | event | after
    error: Exception


# Where a caller wants failures collected; None: a check's exception propagates (strict mode).
Failures = Optional[List[CheckFailure]]


class Registry:
    """Rules and the checks bound to them, in registration order."""

    def __init__(self):
        self.rules: Dict[str, Rule] = {}
        self.checks: List[Check] = []
        self.elsewhere: Dict[str, str] = {}     # rule id -> where its findings (also) come from
        self.sealed = False

    def rule(self, **kw) -> Rule:
        if self.sealed:
            raise RegistryError(f"rule {kw.get('id')} defined after the registry was sealed")
        r = Rule(**kw)
        if r.id in self.rules:
            raise RegistryError(f"rule {r.id} defined twice")
        if not re.fullmatch(r"KLP[1-5]\d\d", r.id):
            raise RegistryError(f"bad rule id {r.id}")
        object.__setattr__(r, "_registry", self)     # not a field: equality and fields() unchanged
        self.rules[r.id] = r
        return r

    def bind(self, r: Rule, fn: Callable, stage: str, kinds: Tuple[EventKind, ...] = ()) -> None:
        if self.sealed:
            raise RegistryError(f"check {fn.__qualname__} of {r.id} bound after the registry was sealed")
        if self.rules.get(r.id) is not r:
            raise RegistryError(f"check {fn.__module__}.{fn.__qualname__} is bound to {r.id}, "
                                "which is not a registered rule")
        self.checks.append(Check(r, fn, stage, tuple(kinds)))

    def seal(self) -> None:
        """Every rule has a check or a declared producer; every check and producer a rule."""
        problems = []
        checked = {c.rule.id for c in self.checks}
        for rid in sorted(self.rules):
            if rid not in checked and rid not in self.elsewhere:
                problems.append(f"rule {rid} has no check (bind one with @{rid}.on/.check/.after, or "
                                f"declare {rid}.produced_by(...))")
        for c in self.checks:
            if self.rules.get(c.rule.id) is not c.rule:
                problems.append(f"{c!r} names no registered rule")
        for rid in sorted(set(self.elsewhere) - set(self.rules)):
            problems.append(f"a producer is declared for {rid}, which is not a registered rule")
        if problems:
            raise RegistryError("; ".join(problems))
        self.sealed = True

    # ---------------------------------------------- what runs
    def _selected(self, stage: str, active: Active) -> List[Check]:
        return [c for c in self.checks if c.stage == stage and active(c.rule.id)]

    def wants_engine(self, active: Active) -> bool:
        """Does any selected check read the engine's results?"""
        return any(c.stage in ("event", "after") and active(c.rule.id) for c in self.checks)

    def structural_findings(self, module, active: Active, failures: Failures = None) -> List[Finding]:
        out: List[Finding] = []
        for c in self._selected("structural", active):
            out.extend(_run(c, failures, c.fn, module))
        return out

    def engine_findings(self, analysis, active: Active, failures: Failures = None) -> List[Finding]:
        """The selected event and after checks over one module's analysis: one finding per
        (rule, location), the one with the shortest witness, in a stable order. With `failures`, a
        check that raises is recorded there (once per check) and the other checks still run."""
        by_kind: Dict[EventKind, List[Check]] = {}
        for c in self._selected("event", active):
            for k in c.kinds:
                by_kind.setdefault(k, []).append(c)
        best: Dict[tuple, Tuple[tuple, Finding]] = {}
        failed: set = set()
        n = 0
        for kind in sorted(by_kind, key=lambda k: k.value):
            events = analysis.facts_of(kind) if kind.is_fact else analysis.of_kind(kind)
            for ev in events:
                rank_ev = analysis.rank_of(ev)
                for c in by_kind[kind]:
                    if c in failed:
                        continue
                    before = len(failures) if failures is not None else 0
                    for f in _run(c, failures, c.fn, ev, analysis):
                        n += 1
                        _keep(best, f, rank_ev + (n,))
                    if failures is not None and len(failures) > before:
                        failed.add(c)
        for c in self._selected("after", active):
            for f in _run(c, failures, c.fn, analysis):
                n += 1
                _keep(best, f, (len([p for p in f.path if p.kind == "scenario"]), 0, 0, len(f.path), n))
        out = [f for _, f in best.values()]
        out.sort(key=lambda f: (f.loc.file, f.loc.line, f.loc.col, f.rule, f.message))
        return out


def _run(c: Check, failures: Failures, fn: Callable, *args) -> List[Finding]:
    """The findings of one call of a check; with `failures`, an exception of the check is recorded
    there instead of ending the module's analysis (a finding of another rule is still a bug of
    the registry's user and raises)."""
    if failures is None:
        return list(_own(c, fn(*args)))
    try:
        found = list(fn(*args) or ())
    except Exception as e:  # noqa: BLE001 (any bug of one check; the other rules' findings stand)
        failures.append(CheckFailure(c.rule.id, c.stage, e))
        return []
    return list(_own(c, found))


def _own(c: Check, findings: Optional[Iterable[Finding]]) -> Iterable[Finding]:
    """A check's findings, which must be of its own rule (so that skipping the check is the same
    as dropping the rule's findings)."""
    for f in findings or ():
        if f.rule != c.rule.id:
            raise RegistryError(f"{c!r} produced a finding of {f.rule}")
        yield f


def _keep(best, f: Finding, rank) -> None:
    key = (f.rule, f.loc)
    cur = best.get(key)
    if cur is None or rank < cur[0]:
        best[key] = (rank, f)


REGISTRY = Registry()
RULES: Dict[str, Rule] = REGISTRY.rules


def rule(**kw) -> Rule:
    """Define and register a rule (its checks are bound with its methods on/check/after)."""
    return REGISTRY.rule(**kw)


def all_rules() -> List[Rule]:
    return [RULES[k] for k in sorted(RULES)]


def get(rule_id: str) -> Optional[Rule]:
    return RULES.get(rule_id.upper())


def selection(select: Sequence[str], ignore: Sequence[str]) -> Active:
    """The predicate `rule id -> is it enabled` for this --select/--ignore."""
    return lambda rule_id: enabled(rule_id, select, ignore)


def _matches(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(rule_id.startswith(p.upper()) for p in patterns)


def validate_patterns(patterns: Sequence[str]) -> List[str]:
    """Unknown rule ids or prefixes in --select/--ignore/config, as messages."""
    if all(p.upper() == "ALL" for p in patterns):
        return []
    bad = []
    for p in patterns:
        if p.upper() == "ALL":
            continue
        if not re.fullmatch(r"KLP\d{0,3}", p.upper()) or not any(r.startswith(p.upper()) for r in RULES):
            bad.append(f"unknown rule or prefix {p!r}")
    return bad


def enabled(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    if select and not any(p.upper() == "ALL" for p in select) and not _matches(rule_id, select):
        return False
    return not _matches(rule_id, ignore)
