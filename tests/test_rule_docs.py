"""rules/<ID>.md are generated from the rules' own documentation and must stay in step with it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from klplint.rules import docs
from klplint.rules.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"


def test_committed_rule_pages_are_up_to_date():
    problems = docs.stale(str(RULES_DIR))
    assert not problems, ("rule pages out of step with the rule definitions:\n  " + "\n  ".join(problems)
                          + f"\nregenerate with: {docs.REGENERATE}  (from the repository root), then commit rules/")


def test_every_rule_has_a_complete_page():
    for r in all_rules():
        page = (RULES_DIR / f"{r.id}.md").read_text()
        assert f"# {r.id} {r.name}" in page
        for field in (r.why, r.bad, r.good, r.fix):
            assert field.strip() and field.strip() in page, r.id
        assert f"[{r.id}]({r.id}.md)" in (RULES_DIR / "README.md").read_text()


def test_generator_writes_checks_and_prunes(tmp_path):
    out = tmp_path / "rules"
    r = subprocess.run([sys.executable, "-m", "klplint.rules.docs", "--check", str(out)], capture_output=True, text=True)
    assert r.returncode == 1 and "KLP101.md: missing" in r.stderr and "regenerate with" in r.stderr
    r = subprocess.run([sys.executable, "-m", "klplint", "rules", "--write-docs", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{x.id}.md" for x in all_rules()] + ["README.md"])
    assert docs.stale(str(out)) == []
    (out / "KLP101.md").write_text((out / "KLP101.md").read_text().replace("terminator", "sentinel"))
    (out / "KLP199.md").write_text("# a rule that no longer exists\n")
    assert docs.stale(str(out)) == [f"{out}/KLP101.md: out of date with the rule's definition",
                                    f"{out}/KLP199.md: no such rule any more"]
    r = subprocess.run([sys.executable, "-m", "klplint.rules.docs", str(out)], capture_output=True, text=True)
    assert r.returncode == 0
    assert docs.stale(str(out)) == [] and not (out / "KLP199.md").exists()
    assert (out / "KLP101.md").read_text() == docs.HEADER + next(x for x in all_rules() if x.id == "KLP101").markdown()


# ------------------------------------------------------------------ klplint/analysis/README.md

ANALYSIS_README = ROOT / "klplint" / "analysis" / "README.md"


def _table(section: str):
    """The rows (lists of cells) of the first table under the heading `section`."""
    text = ANALYSIS_README.read_text()
    body = text[text.index(f"\n## {section}\n"):]
    rows, started = [], False
    for line in body.splitlines()[2:]:
        if line.startswith("|"):
            started = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set(cells[0]) <= set("- "):
                rows.append(cells)
        elif started:
            break
    return rows[1:]            # without the header row


def _rule_ids(cell: str):
    out = set()
    for part in cell.split(","):
        part = part.strip()
        if "–" in part:
            lo, hi = (int(x[3:]) for x in part.split("–"))
            out |= {f"KLP{n}" for n in range(lo, hi + 1)}
        else:
            out.add(part)
    return out


def test_analysis_readme_lists_every_event_kind_with_its_payload():
    from klplint.analysis.events import FACT_KINDS, PAYLOAD_OF, EventKind
    rows = {r[0].strip("`").split("`")[0]: r for r in _table("Events")}
    assert set(rows) == {k.name for k in EventKind}
    for kind, cls in PAYLOAD_OF.items():
        row = rows[kind.name]
        assert row[1] == f"`{cls.__name__}({', '.join(cls._fields)})`", (kind, row[1])
        assert ("(fact)" in row[0]) == (kind in FACT_KINDS), kind


def test_analysis_readme_says_what_each_rule_listens_to():
    from klplint.rules.registry import REGISTRY
    documented = {}
    for row in _table("Which rule listens to what"):
        for rid in _rule_ids(row[0]):
            documented[rid] = row[1]
    assert set(documented) == {r.id for r in all_rules()}
    for r in all_rules():
        checks = [c for c in REGISTRY.checks if c.rule is r]
        cell = documented[r.id]
        kinds = sorted({k.name for c in checks for k in c.kinds})
        listed = sorted(w.strip("`;,") for w in cell.split() if w.strip("`;,").isupper())
        assert listed == kinds, (r.id, cell)
        assert ("after" in cell) == any(c.stage == "after" for c in checks), (r.id, cell)
        assert ("structural" in cell) == any(c.stage == "structural" for c in checks), (r.id, cell)
        assert ("—" in cell or "pipeline/" in cell) == (r.id in REGISTRY.elsewhere), (r.id, cell)
