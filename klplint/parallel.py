"""--jobs N: files analysed in worker processes, each with its own libclang index; results in input order."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, List, Optional


def _init_worker():
    """A forked worker inherits the parent's module globals: drop any libclang index the parent
    made, so every worker creates (and only ever uses) its own."""
    try:
        import threading

        from .frontend import from_clang
    except Exception:  # noqa: BLE001 - libclang absent: the pycparser front end needs nothing
        return
    from_clang._index_lock = threading.Lock()
    from_clang._index = None


def _work(args):
    from .analyze import analyze_file_safely
    path, config = args
    r = analyze_file_safely(path, config)
    r.module = None   # the IR stays in the worker: only findings cross the process boundary
    return r


def _crashed(path: str):
    from .analyze import FileResult
    from .findings import ToolError
    return FileResult(path, errors=[ToolError(path, "internal error: the analysis process died "
                                                    "(please report this with the file)")])


def run_parallel(files: List[str], config, jobs: int,
                 progress: Optional[Callable[[int, int, str], None]] = None):
    out: List = [None] * len(files)
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
            futures = {pool.submit(_work, (f, config)): i for i, f in enumerate(files)}
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    out[i] = fut.result()
                except BrokenProcessPool:
                    continue
                done += 1
                if progress:
                    progress(done, len(files), files[i])
    except BrokenProcessPool:
        pass
    # A worker that died (libclang crashing on some input) takes the pool down with it: retry the
    # unfinished files one by one, each in a fresh process, so only the culprit is lost.
    for i, f in enumerate(files):
        if out[i] is not None:
            continue
        try:
            with ProcessPoolExecutor(max_workers=1, initializer=_init_worker) as pool:
                out[i] = pool.submit(_work, (f, config)).result()
        except BrokenProcessPool:
            out[i] = _crashed(f)
        done += 1
        if progress:
            progress(done, len(files), f)
    return out
