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
