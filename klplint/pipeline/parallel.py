"""--jobs N: files analysed in worker processes, each with its own libclang index; results yielded as
they complete, already stored in the result cache and stripped to what the reporters need."""
from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator, List, Optional, Tuple

from klplint.findings import ToolError
from klplint.pipeline import analyze_file, isolate
from klplint.pipeline.cache import ResultCache
from klplint.pipeline.result import FileResult, slim

# Per worker process: the run's Config and result cache, sent once by the initializer rather than
# with every file (the cache's key prefix hashes klplint's code: computed once per worker).
_config = None
_cache = None


def _init_worker(config, cache_directory: Optional[str]):
    """A forked worker inherits the parent's module globals: drop any libclang index the parent
    made, so every worker creates (and only ever uses) its own."""
    global _config, _cache
    _config = config
    _cache = None
    if cache_directory is not None:
        _cache = ResultCache(config, cache_directory)
    # This worker's files go to one forked child in turn (isolate.reusing_worker), for the worker's
    # life: the child reads the end of its task pipe and leaves when this process does.
    isolate.reusing_worker().__enter__()
    try:
        # start-up: libclang is optional; loading it is what this guards
        from klplint.frontend.libclang import lower as from_clang
    except Exception:  # noqa: BLE001 - libclang absent: the pycparser front end needs nothing
        return
    from_clang._index_lock = threading.Lock()
    from_clang._index = None


def _work(path: str):
    # looked up at call time: tests replace it before the workers fork
    r = analyze_file.analyze_file_safely(path, _config)
    if _cache is not None:
        _cache.put(path, r)
    # The IR and the header list stay in the worker: only findings, errors and notes cross the
    # process boundary, so the parent's memory does not grow with the size of the headers.
    return slim(r)


def _crashed(path: str):
    return FileResult(path, errors=[ToolError(path, "internal error: the analysis process died "
                                                    "(please report this with the file)")])


# At most this many files per worker are queued at a time: the pool's queue (and its futures) stay
# small however many files the run has.
_QUEUE_PER_WORKER = 4


def run_parallel(files: List[str], config, jobs: int,
                 cache_directory: Optional[str] = None) -> Iterator[Tuple[int, object]]:
    """(index into files, FileResult) for every file, in completion order."""
    pending = set(range(len(files)))
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(config, cache_directory)) as pool:
            queue = iter(range(len(files)))
            running = {}

            def refill():
                for i in queue:
                    running[pool.submit(_work, files[i])] = i
                    if len(running) >= jobs * _QUEUE_PER_WORKER:
                        return
            refill()
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = running.pop(fut)
                    r = fut.result()      # BrokenProcessPool: every unfinished file is retried below
                    pending.discard(i)
                    yield i, r
                refill()
    except BrokenProcessPool:
        pass
    # A worker that died (libclang crashing on some input) takes the pool down with it: retry the
    # unfinished files one by one, each in a fresh process, so only the culprit is lost.
    for i in sorted(pending):
        try:
            with ProcessPoolExecutor(max_workers=1, initializer=_init_worker,
                                     initargs=(config, cache_directory)) as pool:
                r = pool.submit(_work, files[i]).result()
        except BrokenProcessPool:
            r = _crashed(files[i])
        yield i, r
