"""One file from source to findings: parse, extract, structural checks, the engine and its checks, suppressions."""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional

from klplint import ir
from klplint.config.settings import Config
from klplint.findings import Finding, ToolError, sorted_findings
from klplint.frontend import FrontendError, parse, read_source
from klplint.frontend.strict import UnsupportedConstruct, strict_mode
from klplint.patch.extract import extract
from klplint.patch.model import PatchModule
from klplint.pipeline import suppress
from klplint.pipeline.ignores import file_ignored, rule_file_ignored
from klplint.pipeline.result import FileResult
from klplint.rules.registry import REGISTRY, Active, CheckFailure, enabled, selection
from klplint.pipeline import isolate
from klplint.analysis.statics import Statics

NOTE_RULE = "KLP213"        # what the front end or the extractor could not model


def _note_finding(note: ir.Note) -> Finding:
    return Finding("KLP213", "note", note.message, note.loc)


def analyze_file(path: str, config: Config, text: Optional[str] = None) -> FileResult:
    """Everything klplint says about one file; never raises for a bad input (strict mode aside).
    Only the checks of the rules --select/--ignore enable run."""
    active = selection(config.select, config.ignore)
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
    # the lifecycle closure only when a note needs it: most files have none, and the engine makes
    # its own Statics when it runs
    lifecycle = Statics(module).lifecycle if any(
        n.kind == "unsupported" and n.function is not None for n in unit.notes) else frozenset()
    for note in unit.notes:
        if note.kind == "unsupported":
            # a construct the lowering gave up on matters only where the engine executes:
            # hooks, callbacks, module_init/exit and what they call (not replacement functions)
            if active(NOTE_RULE) and (note.function is None or note.function in lifecycle):
                result.findings.append(_note_finding(note))
        else:
            result.notes.append(ToolError(path, note.message, note.loc.line, note.loc.col))
    result.module = module
    if active(NOTE_RULE):
        result.findings.extend(_note_finding(note) for note in module.notes)
    # a check that raises costs its own rule's findings for this file, never the others'
    failures: List[CheckFailure] = []
    result.findings.extend(REGISTRY.structural_findings(module, active, failures))
    result.findings.extend(engine_findings(module, config, active, failures))
    if failures and strict_mode(config):
        raise failures[0].error
    result.errors.extend(_failure_error(path, f) for f in failures)
    result.findings = [f for f in sorted_findings(result.findings) if not file_ignored(f, config)]
    result.findings = _suppressed(result.findings, path, config, text)
    if text is not None:
        result.findings = _reanchor_fixes(result.findings, path, text)
    return result


def _failure_error(path: str, f: CheckFailure) -> ToolError:
    what = "the lifecycle engine" if f.stage == "engine" else f"{f.rule} ({f.stage} check)"
    lost = "every lifecycle rule's findings are" if f.stage == "engine" else f"{f.rule}'s findings are"
    return ToolError(path, f"internal error in {what}: {type(f.error).__name__}: {f.error}; {lost} missing "
                           "for this file, the other rules' stand (please report this with the file)")


def _reanchor_fixes(findings: List[Finding], path: str, text: str) -> List[Finding]:
    """An editor buffer (`text`) may differ from the file on disk: a fix that appends at the end of
    the file on disk (line = its line count + 1) is moved to the end of the buffer."""
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
    """analyze_file in a forked child (pipeline/isolate.py: a native crash, a hang or a runaway
    parse is that file's tool error), with an unexpected exception turned into a tool error for that
    file (the other files are still checked); strict mode (the tests) lets it propagate."""
    return isolate.analyze(path, config, text, _analyze_guarded)


def _analyze_guarded(path: str, config: Config, text: Optional[str] = None) -> FileResult:
    try:
        return analyze_file(path, config, text)
    except RecursionError:      # deeper than the analysis thread's stack: the input's size, not a bug
        return FileResult(path, errors=[ToolError(path, "nesting too deep to analyse")])
    except Exception as e:  # noqa: BLE001
        if strict_mode(config):
            raise
        return FileResult(path, errors=[ToolError(path, f"internal error: {type(e).__name__}: {e} "
                                                        "(please report this with the file)")])


def structural_findings(module: PatchModule, config: Config) -> List[Finding]:
    """The findings of the enabled structural checks (over the patch model)."""
    return REGISTRY.structural_findings(module, selection(config.select, config.ignore))


def engine_findings(module: PatchModule, config: Config, active: Optional[Active] = None,
                    failures: Optional[List[CheckFailure]] = None) -> List[Finding]:
    """The engine run over every scenario, its events handed to the enabled event and after checks
    (KLP2xx-KLP4xx). Not run when the module has no patch or no such check is enabled. With
    `failures`, an exception of the engine or of a check is recorded there (stage "engine" for
    the engine itself) and what else was found is returned."""
    active = active or selection(config.select, config.ignore)
    if not module.patches or not REGISTRY.wants_engine(active):
        return []
    # Start-up: the engine (executor and kernel-call models) is imported on the first module it
    # runs on; a run served from the result cache never needs it.
    from klplint.analysis.driver import analyse
    if failures is None:
        return REGISTRY.engine_findings(analyse(module, config), active)
    try:
        analysis = analyse(module, config)
    except RecursionError:
        raise               # the input's nesting: analyze_file_safely names it
    except Exception as e:  # noqa: BLE001 (a bug of the engine: the structural findings stand)
        failures.append(CheckFailure("", "engine", e))
        return []
    return REGISTRY.engine_findings(analysis, active, failures)
