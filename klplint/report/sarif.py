"""SARIF 2.1.0 through sarif-om, serialised by hand so fields equal to their defaults (level) are kept."""
from __future__ import annotations

import json
import os
import pathlib
from typing import Dict, List, Optional

import attr
import sarif_om as so

from klplint import __version__
from klplint.findings import fingerprint
from klplint.rules.registry import get
from klplint.report.gather import all_errors, all_findings, all_notes

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/klplint/klplint"
SRCROOT = "%SRCROOT%"
# GitHub code scanning limits
MAX_RESULTS = 25000
MAX_FLOW_LOCATIONS = 1000
# sarif-om fields whose value must be written even when it equals sarif-om's default
ALWAYS = {"level"}


def _artifact(path: str):
    absolute = os.path.abspath(path)
    root = os.getcwd()
    if absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep):
        rel = os.path.relpath(absolute, root).replace(os.sep, "/")
        return so.ArtifactLocation(uri=rel, uri_base_id=SRCROOT)
    return so.ArtifactLocation(uri=pathlib.Path(absolute).as_uri())


def _location(loc, message: Optional[str] = None):
    region = so.Region(start_line=max(loc.line, 1), start_column=max(loc.col, 1))
    return so.Location(physical_location=so.PhysicalLocation(artifact_location=_artifact(loc.file), region=region),
                       message=so.Message(text=message) if message else None)


def _rule_descriptor(r):
    return so.ReportingDescriptor(
        id=r.id, name=r.name,
        short_description=so.MultiformatMessageString(text=r.summary),
        full_description=so.MultiformatMessageString(text=" ".join(r.why.split())),
        help=so.MultiformatMessageString(text=f"{r.summary} {' '.join(r.fix.split())}", markdown=r.markdown()),
        help_uri=r.help_uri,
        default_configuration=so.ReportingConfiguration(level=r.level),
        properties={"tags": ["livepatch", r.family, f"api:{r.api}"], "precision": r.precision,
                    "problem.severity": {"error": "error", "warning": "warning", "note": "recommendation"}[r.level]})


def _fix(fx):
    by_file: Dict[str, List] = {}
    for e in fx.edits:
        region = so.Region(start_line=e.start.line, start_column=e.start.col,
                           end_line=e.end.line, end_column=e.end.col)
        by_file.setdefault(e.start.file, []).append(
            so.Replacement(deleted_region=region, inserted_content=so.ArtifactContent(text=e.text)))
    return so.Fix(description=so.Message(text=fx.description),
                  artifact_changes=[so.ArtifactChange(artifact_location=_artifact(f), replacements=reps)
                                    for f, reps in sorted(by_file.items())])


def build(results, errors, config, category: str = "klplint/") -> so.SarifLog:
    findings = all_findings(results)[:MAX_RESULTS]
    rule_ids = sorted({f.rule for f in findings})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    descriptors = [_rule_descriptor(get(rid)) for rid in rule_ids]
    sarif_results = []
    for f in findings:
        res = so.Result(
            rule_id=f.rule, rule_index=index[f.rule], level=f.level, message=so.Message(text=f.message),
            locations=[_location(f.loc)], partial_fingerprints={"klplint/v1": fingerprint(f)})
        if f.path:
            steps = f.path[:MAX_FLOW_LOCATIONS]
            res.code_flows = [so.CodeFlow(
                message=so.Message(text=f"lifecycle scenario: {f.scenario}") if f.scenario else None,
                thread_flows=[so.ThreadFlow(locations=[
                    so.ThreadFlowLocation(location=_location(s.loc, s.message),
                                          kinds=["lifecycle"] if s.kind == "scenario" else None)
                    for s in steps])])]
        if f.fixes:
            res.fixes = [_fix(x) for x in f.fixes]
        sarif_results.append(res)
    tool_errors = all_errors(results, errors)
    notifications = []
    for e in tool_errors:
        notifications.append(so.Notification(
            level="error", message=so.Message(text=e.reason),
            locations=[_location(_Loc(e.path, e.line, e.col))]))
    for n in all_notes(results):
        notifications.append(so.Notification(
            level="note", message=so.Message(text=n.reason),
            locations=[_location(_Loc(n.path, n.line, n.col))]))
    invocation = so.Invocation(execution_successful=not tool_errors,
                               tool_execution_notifications=notifications or None)
    run = so.Run(
        tool=so.Tool(driver=so.ToolComponent(name="klplint", version=__version__, semantic_version=__version__,
                                             information_uri=INFORMATION_URI, rules=descriptors)),
        results=sarif_results, invocations=[invocation],
        original_uri_base_ids={SRCROOT: so.ArtifactLocation(uri=pathlib.Path(os.getcwd()).as_uri() + "/")},
        automation_details=so.RunAutomationDetails(id=category),
        column_kind="unicodeCodePoints")
    return so.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])


class _Loc:
    def __init__(self, file, line, col):
        self.file, self.line, self.col = file, line, col


def to_dict(obj):
    """sarif-om object -> JSON-ready dict, keeping every field that is set (not only non-defaults)."""
    if attr.has(type(obj)):
        out = {}
        for f in attr.fields(type(obj)):
            v = getattr(obj, f.name)
            if v is None:
                continue
            default = f.default if f.default is not attr.NOTHING else None
            if v == default and f.name not in ALWAYS:
                continue
            out[f.metadata.get("schema_property_name", f.name)] = to_dict(v)
        return out
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    return obj


def render(results, errors, config, category: str = "klplint/", **_) -> str:
    return json.dumps(to_dict(build(results, errors, config, category)), indent=2) + "\n"
