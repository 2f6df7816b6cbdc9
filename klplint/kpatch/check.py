"""A diff from source to findings: apply it in memory, parse each changed file with its kbuild flags,
place it in its object, build kpatch-build's patch model, run the rule set and the lifecycle engine,
and tie every finding to the hunk it comes from."""
from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Tuple

from klplint import ir
from klplint.findings import Finding, PathStep, ToolError, sorted_findings
from klplint.frontend import FrontendError, parse
from klplint.kpatch import diff as diffs
from klplint.kpatch import layout
from klplint.kpatch.functions import compare
from klplint.kpatch.objects import ObjectError, place
from klplint.kpatch.patchmodel import PatchedFile, build
from klplint.kpatch.shadows import repeated_allocs
from klplint.kpatch.tree import KernelTree, TreeError, open_tree
from klplint.pipeline.result import FileResult
from klplint.rules.kpatch import KLP501, KLP502, KLP503
from klplint.pipeline import suppress
from klplint.rules.registry import enabled
from klplint.pipeline.analyze_file import engine_findings, structural_findings


class KpatchError(Exception):
    """The whole diff cannot be checked (no tree, unreadable diff, a hunk that does not apply)."""


@dataclass
class Prepared:
    """Everything known about one diff before the engine runs."""
    diff: diffs.SourceDiff
    tree: KernelTree
    files: List[PatchedFile] = field(default_factory=list)
    by_path: Dict[str, Tuple[diffs.FileDiff, str]] = field(default_factory=dict)   # tree path -> (diff, post text)
    findings: List[Finding] = field(default_factory=list)     # what the diff alone shows (KLP5xx, KLP213)
    errors: List[ToolError] = field(default_factory=list)
    notes: List[ToolError] = field(default_factory=list)
    module: object = None                                       # the PatchModule (None: no .c file to patch)


def prepare(diff_path: str, config) -> Prepared:
    """Read and apply the diff against config.kernel_src, parse and compare every changed file."""
    try:
        tree = open_tree(config.kernel_src, config.kernel_dir)
        sd = diffs.read_diff(diff_path)
    except (TreeError, diffs.DiffError) as e:
        raise KpatchError(str(e))
    out = Prepared(sd, tree)
    for fd in sd.files:
        if fd.old_path is None or fd.new_path is None:
            out.errors.append(ToolError(diff_path, f"{fd.path}: the diff {'adds' if fd.old_path is None else 'deletes'} "
                                                   "this file; klplint checks changes to existing files only"))
            continue
        old = tree.read(fd.path)
        if old is None:
            raise KpatchError(f"{diff_path}: {fd.path} is not in the kernel tree {tree.src}")
        try:
            new = diffs.apply(sd, fd, old)
        except diffs.DiffError as e:
            raise KpatchError(str(e))
        path = os.path.join(tree.src, fd.path)
        out.by_path[path] = (fd, new)
        for post_rec, pre_rec in layout.changed_records(old, new):
            out.findings.append(Finding(
                KLP503.id, KLP503.level,
                f"the diff changes the members of {post_rec.kind} {post_rec.name}: objects allocated before "
                "the patch, and every function it does not replace, keep the old layout; attach the new data "
                "with a shadow variable (klp_shadow_get_or_alloc) instead",
                ir.Location(path, post_rec.line, 1), function=post_rec.name))
        if not fd.path.endswith(".c"):
            if not fd.path.endswith(".h"):
                out.notes.append(ToolError(path, "not C source: kpatch-build only compares compiled objects"))
            else:
                out.notes.append(ToolError(path, "a header change: kpatch-build recompiles every file that "
                                                 "includes it; klplint checks the .c files of the diff"))
            continue
        try:
            placement = place(tree, fd.path)
        except ObjectError as e:
            out.errors.append(ToolError(path, str(e)))
            continue
        modname = placement.module or os.path.splitext(os.path.basename(fd.path))[0]   # kbuild's KBUILD_MODNAME
        fconfig = config.with_(kernel_dir=None, compile_commands_dir=None, module_name=modname,
                               extra_flags=tuple(tree.flags(fd.path, placement.module)))
        try:
            pre = parse(path, fconfig, old)
            post = parse(path, fconfig, new)
        except FrontendError as e:
            out.errors.append(ToolError(e.path, e.reason, e.line, e.col))
            continue
        change = compare(pre, post)
        pf = PatchedFile(fd.path, path, placement, post, change)
        if not change.changed and not change.added and not pf.callbacks():
            out.notes.append(ToolError(path, "the diff changes no function of this file"))
            continue
        out.files.append(pf)
        for fn in change.changed:
            if (fn.section or "").startswith(".init."):
                out.findings.append(Finding(
                    KLP501.id, KLP501.level,
                    f"the diff changes __init function {fn.name}(): it already ran when "
                    f"{placement.label} {'loaded' if placement.module else 'booted'} and its code is freed; "
                    "kpatch-build refuses the change: do it from a KPATCH_POST_PATCH_CALLBACK instead",
                    fn.loc, function=fn.name))
        for v, _ in change.inits_changed:
            if (v.section or "").startswith(".kpatch.") or _read_only(v.type):
                continue        # read-only data is code-like: patched functions get the new copy
            out.findings.append(Finding(
                KLP502.id, KLP502.level,
                f"the diff changes the initial value of global '{v.name}': the running "
                f"{placement.label} keeps the value it was loaded with; set it from a "
                "KPATCH_POST_PATCH_CALLBACK instead", v.loc, function=v.name))
        out.findings += _unsupported(pf)
    if out.files:
        out.module = build(sd.path, out.files, config)
    return out


def _read_only(t: ir.Type) -> bool:
    while t.kind == "array" and t.target is not None:
        t = t.target
    return t.const


def _extents(unit: ir.TranslationUnit) -> List[Tuple[int, ir.FunctionDecl]]:
    return sorted(((f.loc.line, f) for f in unit.functions if f.body is not None), key=lambda x: x[0])


def _function_at(unit: ir.TranslationUnit, line: int) -> Optional[ir.FunctionDecl]:
    ext = _extents(unit)
    i = bisect.bisect_right([s for s, _ in ext], line) - 1
    return ext[i][1] if i >= 0 else None


def _unsupported(pf: PatchedFile) -> List[Finding]:
    """The front end's KLP213 notes, for the patched functions only (the rest of a kernel file is not
    part of the livepatch)."""
    mine = {f.name for f in pf.change.changed + pf.change.added}
    out = []
    for note in pf.post.notes:
        if note.kind != "unsupported":
            continue
        fn = _function_at(pf.post, note.loc.line)
        if fn is not None and fn.name in mine:
            out.append(Finding("KLP213", "note", note.message, note.loc))
    return out


def _hunk_for(p: Prepared, f: Finding) -> Optional[Tuple[diffs.FileDiff, diffs.Hunk]]:
    entry = p.by_path.get(f.loc.file)
    if entry is None or not entry[0].hunks:
        return None
    fd = entry[0]
    h = fd.hunk_at(f.loc.line)
    if h is None:
        pf = next((x for x in p.files if x.path == f.loc.file), None)
        fn = _function_at(pf.post, f.loc.line) if pf is not None else None
        start = fn.loc.line if fn is not None else f.loc.line
        inside = [x for x in fd.hunks if x.new_last >= start]
        h = inside[0] if inside else fd.hunks[-1]
    return fd, h


def with_hunk(p: Prepared, f: Finding) -> Finding:
    """The finding, naming the diff and the hunk of its line (or of its function)."""
    found = _hunk_for(p, f)
    if found is None:
        return f
    fd, h = found
    step = PathStep(ir.Location(p.diff.path, h.diff_line, 1), f"hunk #{h.number} of {fd.path}: {h.header}")
    return replace(f, message=f"{f.message} [{p.diff.path}:{h.diff_line}: hunk #{h.number} of {fd.path}]",
                   related=(step,))


def _suppressed(p: Prepared, findings: List[Finding], config) -> List[Finding]:
    """`klplint: ignore[...]` comments the diff adds work as in a module (read in the post-image)."""
    out = [f for f in findings if f.loc.file not in p.by_path]
    for path, (_, text) in p.by_path.items():
        mine = [f for f in findings if f.loc.file == path]
        if "klplint" not in text:
            out += mine
            continue
        out += suppress.apply(mine, path, text, lambda r: enabled(r, config.select, config.ignore),
                              not config.select and not config.ignore)
    return sorted_findings(out)


def _callback_names(p: Prepared) -> set:
    """Callbacks run once per transition, as the engine models them: not patched code."""
    return {ref.name for pf in p.files for ref in pf.callbacks().values() if ref.name}


def check_diff(diff_path: str, config) -> List[FileResult]:
    """One FileResult per patched file (findings at post-image lines); a KpatchError when the diff as a
    whole cannot be checked."""

    p = prepare(diff_path, config)
    findings = list(p.findings)
    if p.module is not None:
        findings.extend(structural_findings(p.module, config))
        findings.extend(engine_findings(p.module, config))
        findings.extend(repeated_allocs(f for pf in p.files for f in pf.change.changed + pf.change.added
                                        if f.name not in _callback_names(p)))
    findings = [with_hunk(p, f) for f in sorted_findings(findings) if enabled(f.rule, config.select, config.ignore)]
    findings = _suppressed(p, findings, config)
    results: Dict[str, FileResult] = {}
    for path in p.by_path:
        results[path] = FileResult(path)
    first = next(iter(results.values()), None) or FileResult(diff_path)
    results.setdefault(first.path, first)
    for f in findings:
        results.get(f.loc.file, first).findings.append(f)
    for e in p.errors:
        results.get(e.path, first).errors.append(e)
    for n in p.notes:
        results.get(n.path, first).notes.append(n)
    if p.module is not None:
        first.module = p.module
    return list(results.values())
