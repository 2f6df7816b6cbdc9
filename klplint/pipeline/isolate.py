"""One file's analysis in a forked child process: a native crash, a hang or a runaway parse costs that file only.

libclang runs in-process and can die in ways Python cannot catch: a stack overflow on a deeply
nested expression, `#pragma clang __debug crash`, an abort on memory exhaustion; an `#include` of a
FIFO blocks it forever, an exponential macro grows it without end. So every file is analysed in a
child forked from the running process (cheap: libclang and klplint are already loaded, the pages are
shared copy-on-write), with an address-space limit and a CPU limit, and the parent waits for its
answer up to a deadline. A child that dies or overruns becomes a one-line tool error for its file.

The child runs the analysis on a thread with a large stack and a raised recursion limit, so deep but
legitimate input is analysed rather than refused; beyond that a RecursionError is the file's error.

KLPLINT_ISOLATE=0 analyses in-process (for profiling); without fork (not Linux/macOS) it is the same.
"""
from __future__ import annotations

import gc
import os
import pickle
import re
import select
import signal
import sys
import threading
import time
import warnings
from typing import Callable, Optional
import resource
import ctypes
import faulthandler
import hashlib
from klplint.findings import ToolError
from klplint.frontend import FrontendError, read_source
from klplint.pipeline.result import FileResult
from klplint.pathnorm import display, encodable

# Generous for a livepatch module parsed against a kernel's headers (~0.5 GB); a runaway parse
# (an /dev/zero include, an exponential macro) meets it within seconds.
DEFAULT_MEMORY_MB = 4096
# Wall-clock and CPU limits of one file's child: the executor's own budget ends in seconds; this is
# the safety net for what nothing else bounds (a blocked open, a parse that never ends).
DEFAULT_SECONDS = 120.0
THREAD_STACK = 512 * 1024 * 1024
RECURSION_LIMIT = 200_000

_in_child = False
forks = 0                 # children started by this process (for measurements)


class Isolated(Exception):
    """The child did not answer: `reason` is the one-line error for the file."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# How the reasons this module gives begin when the machine, not the input, decided them (a deadline,
# a memory or CPU limit, a killed process): such results are not cached.
_TRANSIENT = ("analysis did not finish within", "the parser crashed", "used more than", "out of memory",
              "the analysis process", "internal error: the analysis process died")


def transient(reason: str) -> bool:
    return reason.startswith(_TRANSIENT)


def enabled() -> bool:
    return hasattr(os, "fork") and os.environ.get("KLPLINT_ISOLATE", "1") != "0" and not _in_child


def limits() -> tuple:
    """(memory MB, seconds) from KLPLINT_MAX_MEMORY_MB / KLPLINT_FILE_TIMEOUT, else the defaults."""
    def num(name, default):
        try:
            v = float(os.environ.get(name, ""))
            return v if v > 0 else default
        except ValueError:
            return default
    return num("KLPLINT_MAX_MEMORY_MB", DEFAULT_MEMORY_MB), num("KLPLINT_FILE_TIMEOUT", DEFAULT_SECONDS)


def deep(fn: Callable[[], object]) -> object:
    """fn() on a thread with a large stack and a raised recursion limit; its exception re-raised."""
    box: dict = {}
    # libclang parses on a thread of its own with an 8 MB stack unless told not to: then it runs on
    # this one, with THREAD_STACK, and a 10,000-branch else-if chain parses instead of overflowing.
    os.environ["LIBCLANG_NOTHREADS"] = "1"

    def body():
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the caller
            box["error"] = e

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    try:
        threading.stack_size(THREAD_STACK)
        sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
        t = threading.Thread(target=body, name="klplint-analysis")
        t.start()
    except (RuntimeError, ValueError, MemoryError):     # no such stack here: run as we are
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
        return fn()
    finally:
        threading.stack_size(old_stack)
    try:
        t.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if "error" in box:
        raise box["error"]
    return box["value"]


def contain() -> None:
    """Make this process the crash-isolation child itself: it is already a disposable process forked
    for one request (the kbuild server's, cli/kbuild_server.py), whose death its caller survives by
    analysing the request on its own. The files are then analysed here, without forking once more,
    under the limits a child gets (memory, CPU, and the wall-clock deadline as an alarm)."""
    global _in_child
    _in_child = True
    memory_mb, seconds = limits()
    faulthandler.disable()
    _set_limits(memory_mb, seconds)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)       # the deadline kills this process, as run() would
    signal.setitimer(signal.ITIMER_REAL, seconds)


def _set_limits(memory_mb: float, seconds: float) -> None:
    for which, value in ((resource.RLIMIT_AS, int(memory_mb * 1024 * 1024)),
                         (resource.RLIMIT_CPU, int(seconds) + 5),
                         (resource.RLIMIT_CORE, 0)):
        try:
            soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, hard))
        except (ValueError, OSError):
            pass
    try:        # die with the parent (Linux): a killed klplint leaves no parse running
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(fn: Callable[[], object], wfd: int, memory_mb: float, seconds: float) -> None:
    global _in_child
    _in_child = True
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        faulthandler.disable()      # a crash is the file's one-line error, not a dump on stderr
        _set_limits(memory_mb, seconds)
        view = memoryview(_answer(fn, memory_mb))
        while view:
            n = os.write(wfd, view)
            view = view[n:]
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        code = 70
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
        os._exit(code)


# libclang's own report of a crash it recovered from (or an LLVM fatal error), printed on stderr:
# the file's tool error says it in one line instead.
_CRASH_REPORT = re.compile(rb"libclang: crash detected during [^\n]*\{\n(?:[^\n]*\n)*?\}\n|"
                           rb"^(?:LIBCLANG FATAL ERROR|LLVM ERROR|Allocation failed)[^\n]*\n?", re.M)


def crash_reports_removed(data: bytes) -> bytes:
    return _CRASH_REPORT.sub(b"", data)


def _forward_stderr(data: bytes) -> None:
    data = crash_reports_removed(data)
    if not data:
        return
    try:
        sys.stderr.flush()
        sys.stderr.buffer.write(data) if hasattr(sys.stderr, "buffer") else \
            sys.stderr.write(data.decode("utf-8", "replace"))
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _signal_name(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"


def run(fn: Callable[[], object], timeout: Optional[float] = None) -> object:
    """fn() in a forked child; its return value (pickled back), or Isolated with the reason."""
    global forks
    memory_mb, seconds = limits()
    if timeout is not None:
        seconds = timeout
    worker = getattr(_scope, "worker", None)
    if worker is not None and isinstance(fn, Task):
        answer = worker.call(fn, memory_mb, seconds)
        if answer is not _RETRY:
            return answer
    for stream in (sys.stdout, sys.stderr):     # nothing buffered is written twice by the child
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass
    rfd, wfd = os.pipe()
    efd, ewfd = os.pipe()           # the child's stderr: libclang's crash reports are filtered out
    gc.freeze()                     # the child's collector does not touch (and copy) the parent's heap
    try:
        with warnings.catch_warnings():     # 3.12+: fork in a threaded process (the language server);
            warnings.simplefilter("ignore", DeprecationWarning)     # the child only analyses and exits
            pid = os.fork()
    except OSError:                 # no process to be had: analyse here rather than not at all
        gc.unfreeze()
        for fd in (rfd, wfd, efd, ewfd):
            os.close(fd)
        return deep(fn)
    if pid != 0:
        gc.unfreeze()
    if pid == 0:
        os.close(rfd)
        os.close(efd)
        os.dup2(ewfd, 2)
        os.close(ewfd)
        _child(fn, wfd, memory_mb, seconds)
    forks += 1
    os.close(wfd)
    os.close(ewfd)
    chunks, errs = [], []
    deadline = time.monotonic() + seconds
    timed_out = False
    open_fds = [rfd, efd]
    try:
        while open_fds:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select(open_fds, [], [], min(left, 1.0))
            for fd in ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    open_fds.remove(fd)
                elif fd == rfd:
                    chunks.append(chunk)
                elif sum(map(len, errs)) < (1 << 20):
                    errs.append(chunk)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(rfd)
        os.close(efd)
        _forward_stderr(b"".join(errs))
    if timed_out:
        _kill(pid)
        raise Isolated(f"analysis did not finish within {seconds:g} s and was stopped "
                       "(an include that never ends, or a runaway parse)")
    _, status = _wait(pid)
    data = b"".join(chunks)
    if data:
        try:
            kind, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a truncated answer: the child died writing it
            kind, value = "error", None
        if kind == "ok":
            return value
        if kind == "raise":
            raise value
        if kind == "error" and value:
            raise Isolated(value)
    raise Isolated(_death_reason(status, seconds, memory_mb))


def _death_reason(status: int, seconds: float, memory_mb: float) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        why = {signal.SIGXCPU: f"used more than {seconds:g} s of CPU"}.get(sig)
        if why is None:
            why = (f"the parser crashed ({_signal_name(sig)}; a stack overflow on deeply nested code, "
                   f"clang's __debug pragmas, or more than {memory_mb:.0f} MB of memory)")
        return why
    return f"the analysis process exited with status {os.WEXITSTATUS(status)} without an answer"


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    _wait(pid)


def _wait(pid: int):
    while True:
        try:
            return os.waitpid(pid, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            return pid, 0


class Task:
    """One file's analysis as data (the function is a module's, by name), so that a worker forked
    before it was asked can be sent it."""

    __slots__ = ("analyze_guarded", "path", "config", "text")

    def __init__(self, analyze_guarded, path: str, config, text: str):
        self.analyze_guarded, self.path, self.config, self.text = analyze_guarded, path, config, text

    def __call__(self):
        r = self.analyze_guarded(self.path, self.config, self.text)
        r.module = None      # the IR stays in the child: only what the reporters and cache need returns
        return r


# ------------------------------------------------------------------ a reused child for a run of files
#
# Forking a child per file costs 20-60 ms a file (the fork of a large process, the pages it then
# copies, the caches every child fills again). Over a run of many files (analyze_paths, in
# `with reusing_worker():`), one forked child analyses file after file instead; it is as isolated
# from the parent as a per-file child (same limits, its death is the file's one-line error), and a
# file is never blamed for what earlier files left in it: when it dies or runs out of memory in a
# child that has analysed other files before, that file is analysed again in a child of its own, and
# that is its result. A timeout is not retried (it would only wait as long again). The child is
# replaced when the environment changes (it was forked with the old one), and stops with the scope.

_scope = threading.local()
_RETRY = object()
_LEN = 8


class _Worker:
    def __init__(self, memory_mb: float):
        self.task_r, self.task_w = os.pipe()
        self.res_r, self.res_w = os.pipe()
        # libclang's (or Python's) writes on the child's stderr, kept per file and forwarded after it,
        # filtered, as run() does; a file both sides hold (the parent truncates it before each file).
        self.err = _scratch_fd()
        self.env = dict(os.environ)
        self.memory_mb = memory_mb
        self.served = 0
        self.owner = os.getpid()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        gc.freeze()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self.pid = os.fork()
        finally:
            if os.getpid() == self.owner:
                gc.unfreeze()
        if self.pid == 0:
            self._child_loop()
        global forks
        forks += 1
        os.close(self.task_r)
        os.close(self.res_w)

    # -- the child
    def _child_loop(self) -> None:
        global _in_child
        _in_child = True
        code = 0
        try:
            os.close(self.task_w)
            os.close(self.res_r)
            os.dup2(self.err, 2)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            faulthandler.disable()
            _set_limits(self.memory_mb, DEFAULT_SECONDS)
            while True:
                head = _read_exactly(self.task_r, _LEN)
                if head is None:
                    break                           # the scope ended: the parent closed the pipe
                seconds, task = pickle.loads(_read_exactly(self.task_r, int.from_bytes(head, "big")) or b"")
                _cpu_limit(seconds)
                data = _answer(task, self.memory_mb)
                try:
                    sys.stderr.flush()
                except Exception:  # noqa: BLE001
                    pass
                _write_all(self.res_w, len(data).to_bytes(_LEN, "big") + data)
        except BaseException:  # noqa: BLE001 - nothing may escape a forked child
            code = 70
        finally:
            os._exit(code)

    # -- the parent
    def call(self, task: "Task", memory_mb: float, seconds: float):
        """The task's answer, or _RETRY when the caller must fork a child of its own for it."""
        if os.getpid() != self.owner or dict(os.environ) != self.env or memory_mb != self.memory_mb:
            self.stop()
            _scope.worker = None
            if os.getpid() != self.owner:
                return _RETRY
            return _LazyWorker().call(task, memory_mb, seconds)
        try:
            data = pickle.dumps((seconds, task), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a task that does not pickle: a child of its own
            return _RETRY
        os.ftruncate(self.err, 0)
        os.lseek(self.err, 0, os.SEEK_SET)
        try:
            _write_all(self.task_w, len(data).to_bytes(_LEN, "big") + data)
            reply, timed_out = self._read_reply(time.monotonic() + seconds)
        except OSError:
            reply, timed_out = None, False
        finally:
            _forward_stderr(_pread_all(self.err))
        if reply is not None:
            self.served += 1
            kind, value = pickle.loads(reply)
            if kind == "ok":
                return value
            if kind == "raise":
                raise value
            if value.startswith("out of memory") and self.served > 1:
                self.stop(kill=True)      # perhaps what earlier files left: the file's own child decides
                _scope.worker = None
                return _RETRY
            raise Isolated(value)
        # no answer: the child died, or the deadline passed
        died = self.served > 0
        status = self.stop(kill=True)
        _scope.worker = None
        if timed_out:
            raise Isolated(f"analysis did not finish within {seconds:g} s and was stopped "
                           "(an include that never ends, or a runaway parse)")
        if died:
            return _RETRY
        raise Isolated(_death_reason(status, seconds, memory_mb))

    def _read_reply(self, deadline: float):
        chunks: list = []
        want = None
        got = 0
        while want is None or got < want:
            left = deadline - time.monotonic()
            if left <= 0:
                return None, True
            ready, _, _ = select.select([self.res_r], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(self.res_r, 1 << 20)
            if not chunk:
                return None, False
            chunks.append(chunk)
            got += len(chunk)
            if want is None and got >= _LEN:
                head = b"".join(chunks)
                want = int.from_bytes(head[:_LEN], "big") + _LEN
        return b"".join(chunks)[_LEN:], False

    def stop(self, kill: bool = False) -> int:
        if os.getpid() != self.owner:      # a process forked from the owner: not ours to stop
            return 0
        for fd in (self.task_w, self.res_r):
            try:
                os.close(fd)
            except OSError:
                pass
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        _, status = _wait(self.pid)
        try:
            os.close(self.err)
        except OSError:
            pass
        return status


def _scratch_fd() -> int:
    # start-up: only a run that analyses several files makes one
    import tempfile
    f = tempfile.TemporaryFile()
    fd = os.dup(f.fileno())
    f.close()
    return fd


def _pread_all(fd: int) -> bytes:
    try:
        size = os.fstat(fd).st_size
        return os.pread(fd, size, 0) if size else b""
    except OSError:
        return b""


def _read_exactly(fd: int, n: int) -> Optional[bytes]:
    parts, got = [], 0
    while got < n:
        b = os.read(fd, n - got)
        if not b:
            return None
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _cpu_limit(seconds: float) -> None:
    """The CPU limit of one file in a child that analyses several: what it has used so far plus
    what a child of its own would get."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        value = int(used.ru_utime + used.ru_stime + seconds) + 5
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (value, hard))
    except (ValueError, OSError):
        pass


def _answer(task, memory_mb: float) -> bytes:
    """The pickled answer of task() run in this child, as _child sends it."""
    try:
        payload = ("ok", deep(task))
    except MemoryError:
        payload = ("error", f"out of memory (limit {memory_mb:.0f} MB)")
    except RecursionError:
        payload = ("error", "nesting too deep to analyse")
    except BaseException as e:  # noqa: BLE001 - strict mode: the parent re-raises it
        payload = ("raise", e)
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)          # an exception class that does not unpickle is sent as text
    except Exception as e:  # noqa: BLE001 - an exception that does not pickle
        data = pickle.dumps(("raise", RuntimeError(f"{type(payload[1]).__name__}: {payload[1]} ({e})")))
    return data


class reusing_worker:
    """`with reusing_worker():` the files analysed on this thread go to one forked child in turn
    (see above); without it (or with isolation off) every file gets a child of its own."""

    def __enter__(self):
        self.outer = getattr(_scope, "worker", None)
        self.mine = None
        if self.outer is None and enabled() and not getattr(_scope, "active", False):
            _scope.active = True
            self.mine = True
            _scope.worker = _LazyWorker()
        return self

    def __exit__(self, *exc):
        if self.mine:
            w = _scope.worker
            _scope.worker = None
            _scope.active = False
            if isinstance(w, _Worker):
                w.stop(kill=exc[0] is not None)     # interrupted mid-file: do not wait for it
        return False


class _LazyWorker:
    """The scope's worker before its first file: forked then, so a run served from the result cache
    forks nothing."""

    def call(self, task, memory_mb: float, seconds: float):
        try:
            _scope.worker = worker = _Worker(memory_mb)
        except OSError:                 # no process to be had now: this file forks (or runs) on its own
            return _RETRY
        return worker.call(task, memory_mb, seconds)


def analyze(path: str, config, text: Optional[str], analyze_guarded) -> object:
    """One file's FileResult. The file is read here, once: the child analyses exactly these bytes
    and the result carries their digest, so the cache stores it under the key of what was analysed
    (a file edited meanwhile cannot have its old result filed under its new text)."""


    if not encodable(path):
        return FileResult(display(path), errors=[ToolError(display(path), "the file name is not valid UTF-8 "
                                                           "(shown with U+FFFD); rename the file to check it")])
    if text is None:
        try:
            text = read_source(path, getattr(config, "max_file_bytes", 2 * 1024 * 1024))
        except FrontendError as e:
            return FileResult(path, errors=[ToolError(e.path, e.reason, e.line, e.col)])
        on_disk = True
    else:
        on_disk = False
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if on_disk else None

    work = Task(analyze_guarded, path, config, text)
    try:
        result = run(work) if enabled() else deep(work)
    except Isolated as e:
        result = FileResult(path, errors=[ToolError(path, e.reason)])
    result.source_digest = digest
    return result

