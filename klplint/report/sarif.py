"""SARIF 2.1.0: the run through sarif-om, serialised by hand so fields equal to their defaults (level) are
kept; results, locations and fixes as plain dicts, so the writer stays linear and fast in their number."""
from __future__ import annotations

import gc
import os
import pathlib
from contextlib import contextmanager
from typing import Any, Dict, List, Optional

import attr
import sarif_om as so

from klplint import __version__
from klplint.rules.registry import get
from klplint.report.gather import all_errors, all_findings, all_notes
from klplint.report.jsondump import dumps
from klplint.report.source import SourceLines

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/klplint/klplint"
SRCROOT = "%SRCROOT%"
# GitHub code scanning limits
MAX_RESULTS = 25000
MAX_FLOW_LOCATIONS = 1000
# sarif-om fields whose value must be written even when it equals sarif-om's default
ALWAYS = {"level"}


class _Writer:
    """One report's state: each file read once (code-point columns, fingerprints) and each file's
    artifact location made once, so the writer is linear in the number of findings."""

    def __init__(self):
        self.sources = SourceLines()
        self.root = os.getcwd()
        self._artifacts: Dict[str, so.ArtifactLocation] = {}
        self._artifact_dicts: Dict[str, dict] = {}

    def artifact(self, path: str) -> so.ArtifactLocation:
        if path not in self._artifacts:
            absolute = os.path.abspath(path)
            if absolute == self.root or absolute.startswith(self.root.rstrip(os.sep) + os.sep):
                rel = os.path.relpath(absolute, self.root).replace(os.sep, "/")
                self._artifacts[path] = so.ArtifactLocation(uri=rel, uri_base_id=SRCROOT)
            else:
                self._artifacts[path] = so.ArtifactLocation(uri=pathlib.Path(absolute).as_uri())
        return self._artifacts[path]

    def column(self, path: str, line: int, col: int) -> int:
        return self.sources.code_point_column(path, line, col)

    def artifact_dict(self, path: str) -> dict:
        if path not in self._artifact_dicts:
            self._artifact_dicts[path] = to_dict(self.artifact(path))
        return self._artifact_dicts[path]

    def location(self, loc, message: Optional[str] = None) -> dict:
        """A result's location as a plain dict: results are many, sarif-om objects for them were most
        of the time of a large report."""
        line = loc.line if loc.line > 1 else 1
        col = loc.col if loc.col > 1 else 1
        out: Dict[str, Any] = {"physicalLocation": {"artifactLocation": self.artifact_dict(loc.file),
                                    "region": {"startLine": line,
                                               "startColumn": self.sources.code_point_column(loc.file, line, col)}}}
        if message:
            out["message"] = {"text": message}
        return out

    def fix(self, fx) -> dict:
        by_file: Dict[str, List] = {}
        for e in fx.edits:
            region = {"startLine": e.start.line, "startColumn": self.column(e.start.file, e.start.line, e.start.col),
                      "endLine": e.end.line, "endColumn": self.column(e.end.file, e.end.line, e.end.col)}
            by_file.setdefault(e.start.file, []).append({"deletedRegion": region,
                                                         "insertedContent": {"text": e.text}})
        return {"description": {"text": fx.description},
                "artifactChanges": [{"artifactLocation": self.artifact_dict(f), "replacements": reps}
                                    for f, reps in sorted(by_file.items())]}

    def result(self, f, rule_index: int) -> dict:
        res = {"ruleId": f.rule, "ruleIndex": rule_index, "level": f.level, "message": {"text": f.message},
               "locations": [self.location(f.loc)],
               "partialFingerprints": {"klplint/v1": self.sources.fingerprint(f)}}
        if f.path:
            steps = []
            for s in f.path[:MAX_FLOW_LOCATIONS]:
                step: Dict[str, Any] = {"location": self.location(s.loc, s.message)}
                if s.kind == "scenario":
                    step["kinds"] = ["lifecycle"]
                steps.append(step)
            flow: Dict[str, Any] = {"message": {"text": f"lifecycle scenario: {f.scenario}"}} if f.scenario else {}
            flow["threadFlows"] = [{"locations": steps}]
            res["codeFlows"] = [flow]
        if f.related:
            res["relatedLocations"] = [self.location(s.loc, s.message) for s in f.related]
        if f.fixes:
            res["fixes"] = [self.fix(x) for x in f.fixes]
        return res


def category_id(category: str) -> str:
    """automationDetails.id for a category: code scanning takes everything before the id's last '/'
    as the category, so `klplint/livepatch` is written `klplint/livepatch/` to stay itself."""
    return category if category.endswith("/") else category + "/"


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


def build(results, errors, config, category: Optional[str] = None) -> dict:
    """The SARIF log as a JSON-ready dict: the run's frame through sarif-om, its results (there
    may be 25,000) as plain dicts."""
    w = _Writer()
    every = all_findings(results)
    findings = every[:MAX_RESULTS]
    rule_ids = sorted({f.rule for f in findings})
    index = {rid: i for i, rid in enumerate(rule_ids)}
    descriptors = [_rule_descriptor(get(rid)) for rid in rule_ids]
    tool_errors = all_errors(results, errors)
    notifications = []
    for e in tool_errors:
        notifications.append({"level": "error", "message": {"text": e.reason},
                              "locations": [w.location(_Loc(e.path, e.line, e.col))]})
    for n in all_notes(results):
        notifications.append({"level": "note", "message": {"text": n.reason},
                              "locations": [w.location(_Loc(n.path, n.line, n.col))]})
    truncated = len(every) - len(findings)
    if truncated:
        # code scanning rejects a run with more results: say what was left out, and that the run
        # does not carry every result
        notifications.append({"level": "warning", "descriptor": {"id": "klplint/results-truncated"},
                              "message": {"text": f"{len(every)} findings: only the first {MAX_RESULTS} are in "
                                                  f"this file (GitHub code scanning's limit); {truncated} left out"}})
    run = so.Run(
        tool=so.Tool(driver=so.ToolComponent(name="klplint", version=__version__, semantic_version=__version__,
                                             information_uri=INFORMATION_URI, rules=descriptors)),
        results=[], invocations=[so.Invocation(execution_successful=not tool_errors and not truncated)],
        original_uri_base_ids={SRCROOT: so.ArtifactLocation(uri=pathlib.Path(os.getcwd()).as_uri() + "/")},
        automation_details=so.RunAutomationDetails(id=category_id(category)) if category else None,
        column_kind="unicodeCodePoints")
    doc = to_dict(so.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run]))
    out = doc["runs"][0]
    out["results"] = [w.result(f, index[f.rule]) for f in findings]
    if notifications:
        out["invocations"][0]["toolExecutionNotifications"] = notifications
    return doc


@contextmanager
def _no_cycle_collection():
    """The cyclic garbage collector paused while the log is built and written: its results are tens
    of thousands of small dicts with no cycles, and their allocation kept triggering collections
    that rescan the growing heap and free nothing (half of the time of 25,000 results)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Loc:
    def __init__(self, file, line, col):
        self.file, self.line, self.col = file, line, col


_FIELDS: Dict[type, List] = {}


def _fields(cls) -> List:
    """(attribute, SARIF name, default) of a sarif-om class, computed once per class."""
    if cls not in _FIELDS:
        _FIELDS[cls] = [(f.name, f.metadata.get("schema_property_name", f.name),
                         f.default if f.default is not attr.NOTHING else None) for f in attr.fields(cls)]
    return _FIELDS[cls]


def to_dict(obj):
    """sarif-om object -> JSON-ready dict, keeping every field that is set (not only non-defaults)."""
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    out = {}
    for name, key, default in _fields(type(obj)):
        v = getattr(obj, name)
        if v is None or (v == default and name not in ALWAYS):
            continue
        out[key] = to_dict(v)
    return out


def render(results, errors, config, category: Optional[str] = None, **_) -> str:
    with _no_cycle_collection():
        return dumps(build(results, errors, config, category)) + "\n"
