"""GitHub Actions workflow commands: one ::error/::warning/::notice annotation per finding."""
from __future__ import annotations

from klplint.report.gather import all_errors, all_findings, display_path

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render(results, errors, config, **_) -> str:
    out = []
    for f in all_findings(results):
        msg = f.message
        if f.path:
            msg += "\n" + "\n".join(f"  {display_path(s.loc.file)}:{s.loc.line}: {s.message}" for s in f.path)
        out.append(f"::{_COMMAND[f.level]} file={_prop(display_path(f.loc.file))},line={f.loc.line},"
                   f"col={f.loc.col},title={_prop(f.rule)}::{_data(msg)}")
    for e in all_errors(results, errors):
        line = f",line={e.line}" if e.line else ""
        out.append(f"::error file={_prop(display_path(e.path))}{line},title=klplint::{_data(e.reason)}")
    return "\n".join(out) + ("\n" if out else "")
