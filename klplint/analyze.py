"""One file from source to findings (parse, extract, structural rules, lifecycle engine), and many files."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, Tuple

from .config import Config
from .findings import Finding, ToolError, sorted_findings
from .frontend import FrontendError, parse
from .frontend.strict import UnsupportedConstruct, strict_mode

if TYPE_CHECKING:
    from . import ir


@dataclass
class FileResult:
    path: str
    findings: List[Finding] = field(default_factory=list)
    errors: List[ToolError] = field(default_factory=list)
    notes: List[ToolError] = field(default_factory=list)     # non-fatal tool notes (missing headers)
    includes: Tuple[str, ...] = ()
    module: object = None                                     # the PatchModule, when extraction ran


def collect_files(paths: Sequence[str]) -> Tuple[List[str], List[ToolError]]:
    """Files to analyse: files as given, folders expanded to every *.c below them (sorted)."""
    files: List[str] = []
    errors: List[ToolError] = []
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(root, n) for n in sorted(names) if n.endswith(".c")]
            if not found:
                errors.append(ToolError(p, "no C files (*.c) in this directory"))
            files += found
        elif os.path.exists(p):
            files.append(p)
        else:
            errors.append(ToolError(p, "no such file or directory"))
    seen = set()
    unique = []
    for f in files:
        key = os.path.normpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


def _note_finding(note: ir.Note) -> Finding:
    return Finding("KLP213", "note", note.message, note.loc)


def analyze_file(path: str, config: Config, text: Optional[str] = None) -> FileResult:
    """Everything klplint says about one file; never raises for a bad input (strict mode aside)."""
    from .extract import extract
    from .registry import enabled
    from .rules import STRUCTURAL_CHECKS

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
    for note in unit.notes:
        if note.kind == "unsupported":
            result.findings.append(_note_finding(note))
        else:
            result.notes.append(ToolError(path, note.message, note.loc.line, note.loc.col))
    module = extract(unit, config)
    result.module = module
    for note in module.notes:
        result.findings.append(_note_finding(note))
    for rule_id, check in STRUCTURAL_CHECKS:
        if enabled(rule_id, config.select, config.ignore):
            result.findings.extend(check(module))
    if module.patches:
        result.findings.extend(_behaviour(module, config))
    result.findings = [f for f in sorted_findings(result.findings)
                       if enabled(f.rule, config.select, config.ignore) and not _file_ignored(f, config)]
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
    from . import suppress
    from .frontend import read_source
    from .registry import enabled
    if text is None:
        try:
            text = read_source(path, config.max_file_bytes)
        except FrontendError:
            return findings
    if "klplint" not in text:
        return findings

    def active(rule_id: str) -> bool:
        return enabled(rule_id, config.select, config.ignore) and not _rule_file_ignored(rule_id, path, config)
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


def _behaviour(module, config) -> List[Finding]:
    """The lifecycle engine's findings (KLP2xx-KLP4xx), when the engine is present."""
    try:
        from .engine import check_module
    except ModuleNotFoundError as e:
        if e.name and e.name.startswith("klplint.engine"):
            return []
        raise
    return list(check_module(module, config))


def _file_ignored(f: Finding, config: Config) -> bool:
    return _rule_file_ignored(f.rule, f.loc.file, config)


def _rule_file_ignored(rule_id: str, file: str, config: Config) -> bool:
    """per-file-ignores: a glob with a folder part is absolute (anchored at the config file's folder
    by configfile.py); a bare file-name glob matches the file name, or the path as given."""
    import fnmatch
    path = file.replace(os.sep, "/")
    absolute = os.path.abspath(file).replace(os.sep, "/")
    for pattern, ids in config.per_file_ignores:
        pattern = pattern.replace("**/", "*")
        if pattern.startswith("/"):
            hit = fnmatch.fnmatch(absolute, pattern)
        else:
            hit = fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern)
        if hit and any(rule_id.startswith(i.upper()) or i.upper() == "ALL" for i in ids):
            return True
    return False


def slim(result: FileResult) -> FileResult:
    """The result as the reporters need it: without the patch model and the header list, which are
    large (the IR, ~550 header paths per kernel module) and needed only by the result cache."""
    result.module = None
    result.includes = ()
    return result


def analyze_paths(paths: Sequence[str], config: Config, jobs: int = 1,
                  progress: Optional[Callable[[int, int, str], None]] = None,
                  cache=None) -> Tuple[List[FileResult], List[ToolError]]:
    """Every file below `paths`, results in input order. `cache` (a cache.ResultCache) serves
    unchanged files and stores each fresh result as soon as it is made. The results are slim (no
    `module`, no `includes`): what a run keeps grows with its findings, not with its files' IR."""
    files, errors = collect_files(paths)
    results: List[Optional[FileResult]] = [None] * len(files)
    todo: List[int] = []
    done = 0

    def finished(i: int, r: FileResult) -> None:
        nonlocal done
        results[i] = r
        done += 1
        if progress:
            progress(done, len(files), files[i])

    for i, f in enumerate(files):
        hit = cache.get(f) if cache is not None else None
        if hit is None:
            todo.append(i)
        else:
            finished(i, hit)
    if jobs > 1 and len(todo) > 1:
        from .parallel import run_parallel
        directory = cache.directory if cache is not None else None
        for k, r in run_parallel([files[i] for i in todo], config, jobs, directory):
            finished(todo[k], r)
    else:
        for i in todo:
            r = analyze_file_safely(files[i], config)
            if cache is not None:
                cache.put(files[i], r)
            finished(i, slim(r))
    return results, errors
