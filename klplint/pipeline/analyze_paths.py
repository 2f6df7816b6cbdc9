"""Many files: results in input order, served from the result cache or analysed (in parallel with --jobs)."""
from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Callable, List, Optional, Sequence, Tuple

from klplint.config.settings import Config
from klplint.findings import ToolError
from klplint.pipeline import isolate
from klplint.pipeline.analyze_file import analyze_file_safely
from klplint.pathnorm import display
from klplint.pipeline.collect import collect_files, is_livepatch_source
from klplint.pipeline.result import FileResult, slim


def analyze_paths(paths: Sequence[str], config: Config, jobs: int = 1,
                  progress: Optional[Callable[[int, int, str], None]] = None,
                  cache=None) -> Tuple[List[FileResult], List[ToolError]]:
    """Every file below `paths`, results in input order. `cache` (a cache.ResultCache) serves
    unchanged files and stores each fresh result as soon as it is made. The results are slim (no
    `module`, no `includes`): what a run keeps grows with its findings, not with its files' IR."""
    files, errors = collect_files(paths)
    errors = [replace(e, path=display(e.path), reason=display(e.reason)) for e in errors]   # valid Unicode out
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
        if not is_livepatch_source(f):       # skipped quietly, counted in the summary
            finished(i, FileResult(f, skipped=True))
            continue
        hit = cache.get(f) if cache is not None else None
        if hit is None:
            todo.append(i)
        else:
            finished(i, hit)
    if jobs > 1 and len(todo) > 1:
        from klplint.pipeline.parallel import run_parallel  # start-up: multiprocessing only for --jobs
        directory = cache.directory if cache is not None else None
        for k, r in run_parallel([files[i] for i in todo], config, jobs, directory):
            finished(todo[k], r)
    else:
        # one forked child analyses the files in turn (isolate.py), rather than one child per file
        with isolate.reusing_worker() if len(todo) > 1 else contextlib.nullcontext():
            for i in todo:
                r = analyze_file_safely(files[i], config)
                if cache is not None:
                    cache.put(files[i], r)
                finished(i, slim(r))
    return results, errors
