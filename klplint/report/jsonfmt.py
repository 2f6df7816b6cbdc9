"""JSON output: findings with their paths and fingerprints, tool errors and notes."""
from __future__ import annotations

from typing import Optional

from klplint import __version__
from klplint.rules.registry import get
from klplint.report.gather import all_errors, all_findings, all_notes, display_path
from klplint.report.jsondump import dumps
from klplint.report.source import SourceLines


def _loc(loc, sources: SourceLines):
    # the shown path from the report's cache: a relpath per location was most of a large report's time
    return {"file": sources.display(loc.file), "line": loc.line, "column": loc.col}


def finding_dict(f, sources: Optional[SourceLines] = None) -> dict:
    r = get(f.rule)
    sources = sources or SourceLines()
    return {
        "rule": f.rule,
        "name": r.name if r else "",
        "level": f.level,
        "message": f.message,
        **_loc(f.loc, sources),
        "function": f.function,
        "scenario": f.scenario,
        "path": [{**_loc(s.loc, sources), "message": s.message, "kind": s.kind} for s in f.path],
        **({"related": [{**_loc(s.loc, sources), "message": s.message} for s in f.related]} if f.related else {}),
        "fingerprint": sources.fingerprint(f),
        "fixable": bool(f.fixes),
        "fixes": [{"description": x.description,
                   "edits": [{"start": _loc(e.start, sources), "end": _loc(e.end, sources), "text": e.text}
                             for e in x.edits]}
                  for x in f.fixes],
    }


def render(results, errors, config, **_) -> str:
    sources = SourceLines()
    doc = {
        "tool": "klplint",
        "version": __version__,
        "findings": [finding_dict(f, sources) for f in all_findings(results)],
        "errors": [{"file": display_path(e.path), "line": e.line, "column": e.col, "reason": e.reason}
                   for e in all_errors(results, errors)],
        "notes": [{"file": display_path(e.path), "line": e.line, "column": e.col, "message": e.reason}
                  for e in all_notes(results)],
        # C files that are not livepatch modules: collected, not analysed
        "skipped": [display_path(r.path) for r in results if getattr(r, "skipped", False)],
    }
    return dumps(doc) + "\n"
