"""Rule metadata — id, name, family, API, level, documentation — and rule selection."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence

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


RULES: Dict[str, Rule] = {}


def rule(**kw) -> Rule:
    r = Rule(**kw)
    if r.id in RULES:
        raise ValueError(f"rule {r.id} defined twice")
    if not re.fullmatch(r"KLP[1-5]\d\d", r.id):
        raise ValueError(f"bad rule id {r.id}")
    RULES[r.id] = r
    return r


def all_rules() -> List[Rule]:
    _load()
    return [RULES[k] for k in sorted(RULES)]


def get(rule_id: str) -> Optional[Rule]:
    _load()
    return RULES.get(rule_id.upper())


def _load() -> None:
    # The rule modules register themselves on import.
    from klplint import rules  # noqa: F401


def _matches(rule_id: str, patterns: Iterable[str]) -> bool:
    return any(rule_id.startswith(p.upper()) for p in patterns)


def validate_patterns(patterns: Sequence[str]) -> List[str]:
    """Unknown rule ids or prefixes in --select/--ignore/config, as messages."""
    if all(p.upper() == "ALL" for p in patterns):
        return []       # nothing to look up: do not import the rules (a warm cached run needs none)
    _load()
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
