"""One file from source to findings (parse, extract, structural rules, lifecycle engine), and many files."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

from . import ir
from .config import Config
from .findings import Finding, ToolError, sorted_findings
from .frontend import FrontendError, parse
from .frontend.strict import UnsupportedConstruct, strict_mode


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
    return result


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
    import fnmatch
    path = f.loc.file.replace(os.sep, "/")
    for pattern, ids in config.per_file_ignores:
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern):
            if any(f.rule.startswith(i.upper()) or i.upper() == "ALL" for i in ids):
                return True
    return False


def analyze_paths(paths: Sequence[str], config: Config, jobs: int = 1,
                  progress: Optional[Callable[[int, int, str], None]] = None) -> Tuple[List[FileResult], List[ToolError]]:
    files, errors = collect_files(paths)
    results: List[FileResult] = []
    if jobs > 1 and len(files) > 1:
        from .parallel import run_parallel
        results = run_parallel(files, config, jobs, progress)
    else:
        for i, f in enumerate(files):
            results.append(analyze_file_safely(f, config))
            if progress:
                progress(i + 1, len(files), f)
    return results, errors
