"""--jobs N: files analysed in worker processes, each with its own libclang index; results in input order."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Callable, List, Optional



def _work(args):
    from .analyze import analyze_file_safely
    path, config = args
    r = analyze_file_safely(path, config)
    r.module = None   # the IR stays in the worker: only findings cross the process boundary
    return r


def run_parallel(files: List[str], config, jobs: int,
                 progress: Optional[Callable[[int, int, str], None]] = None):
    out = [None] * len(files)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = 0
        for i, r in enumerate(pool.map(_work, [(f, config) for f in files], chunksize=1)):
            out[i] = r
            done += 1
            if progress:
                progress(done, len(files), files[i])
    return out
