"""One file from source to findings: parse, extract, structural rules, lifecycle engine, suppressions."""
from __future__ import annotations

from typing import List, Optional

from klplint import ir
from klplint.config.settings import Config
from klplint.findings import Finding, ToolError, sorted_findings
from klplint.frontend import FrontendError, parse
from klplint.frontend.strict import UnsupportedConstruct, strict_mode
from klplint.pipeline.ignores import file_ignored, rule_file_ignored
from klplint.pipeline.result import FileResult


def _note_finding(note: ir.Note) -> Finding:
    return Finding("KLP213", "note", note.message, note.loc)


def analyze_file(path: str, config: Config, text: Optional[str] = None) -> FileResult:
    """Everything klplint says about one file; never raises for a bad input (strict mode aside)."""
    from klplint.patch.extract import extract
    from klplint.rules import STRUCTURAL_CHECKS
    from klplint.rules.registry import enabled

    result = FileResult(path)
    try:
        unit = parse(path, config, text)
    except FrontendError as e:
        result.errors.append(ToolError(e.path, e.reason, e.line, e.col))
        return result
    except UnsupportedConstruct:
        raise
    except RecursionError:
        result.errors.append(ToolError(path, "nesting too deep to analyse"))
        return result
    result.includes = unit.includes
    module = extract(unit, config)
    lifecycle = _lifecycle_functions(module)
    for note in unit.notes:
        if note.kind == "unsupported":
            # a construct the lowering gave up on matters only where the engine executes:
            # hooks, callbacks, module_init/exit and what they call (not replacement functions)
            if note.function is None or lifecycle is None or note.function in lifecycle:
                result.findings.append(_note_finding(note))
        else:
            result.notes.append(ToolError(path, note.message, note.loc.line, note.loc.col))
    result.module = module
    for note in module.notes:
        result.findings.append(_note_finding(note))
    for rule_id, check in STRUCTURAL_CHECKS:
        if enabled(rule_id, config.select, config.ignore):
            result.findings.extend(check(module))
    if module.patches:
        result.findings.extend(_behaviour(module, config))
    result.findings = [f for f in sorted_findings(result.findings)
                       if enabled(f.rule, config.select, config.ignore) and not file_ignored(f, config)]
    result.findings = _suppressed(result.findings, path, config, text)
    if text is not None:
        result.findings = _reanchor_fixes(result.findings, path, text)
    return result


def _reanchor_fixes(findings: List[Finding], path: str, text: str) -> List[Finding]:
    """An editor buffer (`text`) may differ from the file on disk: a fix that appends at the end of
    the file on disk (line = its line count + 1) is moved to the end of the buffer."""
    from dataclasses import replace
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            disk = f.read()
    except OSError:
        return findings
    if disk == text:
        return findings
    disk_end, text_end = len(disk.splitlines()) + 1, len(text.splitlines()) + 1
    out = []
    for f in findings:
        if any(e.start == e.end and e.start.line == disk_end and e.start.col == 1 for x in f.fixes for e in x.edits):
            fixes = tuple(replace(x, edits=tuple(
                replace(e, start=replace(e.start, line=text_end), end=replace(e.end, line=text_end))
                if e.start == e.end and e.start.line == disk_end and e.start.col == 1 else e
                for e in x.edits)) for x in f.fixes)
            f = replace(f, fixes=fixes)
        out.append(f)
    return out


def _suppressed(findings: List[Finding], path: str, config: Config, text: Optional[str]) -> List[Finding]:
    """Inline `klplint: ignore[...]` comments applied, plus KLP119 for those that matched nothing."""
    from klplint.frontend import read_source
    from klplint.pipeline import suppress
    from klplint.rules.registry import enabled
    if text is None:
        try:
            text = read_source(path, config.max_file_bytes)
        except FrontendError:
            return findings
    if "klplint" not in text:
        return findings

    def active(rule_id: str) -> bool:
        return enabled(rule_id, config.select, config.ignore) and not rule_file_ignored(rule_id, path, config)
    all_active = not config.ignore and not config.per_file_ignores and (
        not config.select or any(p.upper() == "ALL" for p in config.select))
    return sorted_findings(suppress.apply(findings, path, text, active, all_active))


def analyze_file_safely(path: str, config: Config, text: Optional[str] = None) -> FileResult:
    """analyze_file, with an unexpected exception turned into a tool error for that file (the other
    files are still checked); strict mode (the tests) lets it propagate."""
    try:
        return analyze_file(path, config, text)
    except Exception as e:  # noqa: BLE001
        if strict_mode(config):
            raise
        return FileResult(path, errors=[ToolError(path, f"internal error: {type(e).__name__}: {e} "
                                                        "(please report this with the file)")])


def _lifecycle_functions(module):
    """The functions the lifecycle engine executes (None when the engine is not present)."""
    try:
        from klplint.analysis.statics import Statics
    except ModuleNotFoundError:
        return None
    return Statics(module).lifecycle


def _behaviour(module, config) -> List[Finding]:
    """The lifecycle engine's findings (KLP2xx-KLP4xx), when the engine is present."""
    try:
        from klplint.analysis.driver import check_module
    except ModuleNotFoundError as e:
        if e.name and e.name.startswith("klplint.analysis.driver"):
            return []
        raise
    return list(check_module(module, config))
