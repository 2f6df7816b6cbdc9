"""Text output: `path:line:col: KLP201 [error] message`, then the path as indented notes."""
from __future__ import annotations

from collections import Counter

from klplint.report.gather import all_errors, all_findings, display_path


def render(results, errors, config, statistics: bool = False, **_) -> str:
    lines = []
    findings = all_findings(results)
    for f in findings:
        lines.append(f"{display_path(f.loc.file)}:{f.loc.line}:{f.loc.col}: {f.rule} [{f.level}] {f.message}")
        if f.scenario:
            lines.append(f"    scenario: {f.scenario}")
        for step in f.path:
            lines.append(f"    {display_path(step.loc.file)}:{step.loc.line}:{step.loc.col}: note: {step.message}")
    if statistics:
        # start-up: the registry imports every rule and the analyzer; a run served from the
        # result cache asks for it only with --statistics
        from klplint.rules.registry import get
        counts = Counter(f.rule for f in findings)
        for rid, n in sorted(counts.items()):
            r = get(rid)
            lines.append(f"{n:5d}  {rid}  {r.name if r else ''}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_errors(results, errors) -> str:
    """Tool errors for stderr: one line each, naming the file and the reason."""
    out = []
    for e in all_errors(results, errors):
        where = f"{display_path(e.path)}:{e.line}:{e.col}" if e.line else display_path(e.path)
        out.append(f"{where}: error: {e.reason}")
    return "\n".join(out) + ("\n" if out else "")
