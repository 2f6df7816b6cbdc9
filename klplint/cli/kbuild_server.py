"""`klplint kbuild-check --server`: a warm process that make's once-per-file checker calls reuse.

kbuild starts its checker once per C file; a fresh klplint pays about 150 ms of interpreter, import
and libclang start-up every time, where sparse pays almost none. With --server (or KLPLINT_SERVER=1)
the first call starts a background process that has imported klplint and loaded libclang; the next
calls connect to it over a Unix socket and it forks a child per request, as Mercurial's chg command
server does. The child has everything loaded and runs exactly what an in-process `kbuild-check`
runs, in the caller's working directory and KLPLINT_* environment, and sends back its stderr and
exit code. Requests share nothing but the imported code; `make -j` gets one child per call.

- The socket's name hashes the interpreter and the size and mtime of klplint's own files: a server
  never answers for other code (an upgraded klplint starts its own; the old one idles out).
- It lives in a private folder, `klplint-<uid>` under $XDG_RUNTIME_DIR or the temp folder, created
  with mode 0700 and used only if it is ours and nobody else can write to it.
- The server holds a lock for its life (two calls starting one at the same moment start one), and
  exits after KLPLINT_SERVER_IDLE seconds (default 300) without a request.
- Whenever the server cannot be reached or answers badly, the call is analysed in its own process,
  exactly as without --server: the server only ever saves time.

The client side imports nothing of klplint's analysis: it is on the path of every call.
"""
from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import io
import json
import os
import signal
import socket
import stat
import sys
import tempfile
from typing import List, Optional

ENV_ON = "KLPLINT_SERVER"
ENV_IDLE = "KLPLINT_SERVER_IDLE"
DEFAULT_IDLE = 300.0
# What a request carries from the caller's environment: klplint's own settings, and where its caches go.
_PASSED_ENV = ("HOME", "XDG_CACHE_HOME")


def wanted(argv: List[str]) -> bool:
    """Is this a `kbuild-check` call that asks for the server?"""
    return bool(argv) and argv[0] == "kbuild-check" and (
        "--server" in argv[1:] or os.environ.get(ENV_ON, "") not in ("", "0"))


def _digest() -> str:
    root = os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256(sys.executable.encode() + b"\0" + sys.version.encode())
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for n in sorted(names):
            if n.endswith((".py", ".h")):
                try:
                    st = os.stat(os.path.join(dirpath, n))
                except OSError:
                    continue
                h.update(f"{os.path.relpath(os.path.join(dirpath, n), root)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:20]


def private_dir() -> Optional[str]:
    """klplint-<uid> under $XDG_RUNTIME_DIR (else the temp folder), mode 0700 and ours; None if it
    cannot be made safe (then no server is used)."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    if not base:
        base = tempfile.gettempdir()
    path = os.path.join(base, f"klplint-{os.getuid()}")
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return path


def socket_path() -> Optional[str]:
    d = private_dir()
    if d is None:
        return None
    path = os.path.join(d, f"kbuild-{_digest()}.sock")
    # AF_UNIX paths are limited to about 107 bytes.
    return path if len(path.encode()) < 100 else None


# ------------------------------------------------------------------ the client

def client_main(argv: List[str]) -> Optional[int]:
    """Run `klplint <argv>` on the server; its exit code, or None when the caller must run it itself
    (no server yet: one is started for the next call)."""
    if not hasattr(socket, "AF_UNIX") or not hasattr(os, "fork"):
        return None
    path = socket_path()
    if path is None:
        return None
    request = {"argv": argv, "cwd": os.getcwd(),
               "env": {k: v for k, v in os.environ.items() if k.startswith("KLPLINT_") or k in _PASSED_ENV}}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(path)
            s.sendall(json.dumps(request).encode() + b"\n")
            s.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        reply = json.loads(b"".join(chunks))
        code, out, err = int(reply["exit"]), str(reply["stdout"]), str(reply["stderr"])
    except (OSError, ValueError, KeyError, TypeError):
        # No server (or a stale socket), or one that died mid-request: start one for the next call
        # and let this call run in-process.
        _start_server(path)
        return None
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    sys.stderr.flush()
    return code


def _start_server(path: str) -> None:
    import subprocess  # start-up: 3 ms on the client path; only starting a server needs it
    try:
        subprocess.Popen([sys.executable, "-m", "klplint.cli.kbuild_server", path],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)
    except OSError:
        pass


def stop_servers(runtime: str) -> int:
    """SIGTERM every server whose lock is in a klplint-* folder of `runtime` (an XDG_RUNTIME_DIR);
    how many were signalled. A server removes its socket on the way out."""
    n = 0
    for lock in glob.glob(os.path.join(runtime, "klplint-*", "*.lock")):
        try:
            with open(lock) as f:
                os.kill(int(f.read().split()[0]), signal.SIGTERM)
            n += 1
        except (ValueError, IndexError, OSError):
            pass
    return n


# ------------------------------------------------------------------ the server

def serve(path: str, idle: float) -> int:
    lock = open(path + ".lock", "a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0                      # another server for this code is running
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    _warm_up()
    os.chdir("/")                     # hold no caller's folder; each child moves to its caller's
    try:
        os.unlink(path)               # a stale socket from a server that died
    except OSError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(64)
    srv.settimeout(idle)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)       # children are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # remove the socket on the way out
    try:
        while True:
            try:
                conn, _ = srv.accept()
            except socket.timeout:
                break
            try:
                pid = os.fork()
            except OSError:
                conn.close()          # the caller gets no answer and runs the check itself
                continue
            if pid == 0:
                srv.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                try:
                    _handle(conn)
                finally:
                    os._exit(0)
            conn.close()
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        srv.close()
    return 0


# A small module for the warm-up call: it goes through every stage (config, parse, extract, rules,
# engine, text report) so that what those import or compile lazily is in the parent before it forks.
_WARM_UP = """#include <linux/module.h>
#include <linux/livepatch.h>
static int lp_new(void) { return 0; }
static int lp_pre(struct klp_object *obj) { return 0; }
static struct klp_func funcs[] = { { .old_name = "f", .new_func = lp_new, }, { } };
static struct klp_object objs[] = { { .funcs = funcs, .callbacks = { .pre_patch = lp_pre, }, }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int __init lp_init(void) { return klp_enable_patch(&patch); }
static void __exit lp_exit(void) { }
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def _warm_up() -> None:
    """Import everything a kbuild-check call uses and load libclang, by running one on a module of
    our own with the bundled headers; every forked child then starts from there."""
    # start-up: the server side; the client imports this module on every call and must stay light
    from klplint.cli.main import main
    from klplint.config.settings import Config
    from klplint.frontend import flags, libclang_problem
    libclang_problem()
    with tempfile.TemporaryDirectory(prefix="klplint-warm-") as d:
        path = os.path.join(d, "lp_warm_up.c")
        with open(path, "w") as f:
            f.write(_WARM_UP)
        argv = ["kbuild-check", "--fail-on", "never", *flags.flags_for(path, Config()), path]
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            try:
                main(args=argv, prog_name="klplint")
            except BaseException:  # noqa: BLE001 - a warm-up that fails only costs time later
                pass


def _handle(conn: socket.socket) -> None:
    """In a forked child: one kbuild-check call, as the client would have run it."""
    conn.settimeout(None)
    data = b""
    while not data.endswith(b"\n"):
        b = conn.recv(65536)
        if not b:
            return
        data += b
    req = json.loads(data)
    os.chdir(req["cwd"])
    for k in [k for k in os.environ if k.startswith("KLPLINT_") or k in _PASSED_ENV]:
        del os.environ[k]
    os.environ.update({k: v for k, v in req["env"].items() if k.startswith("KLPLINT_") or k in _PASSED_ENV})
    from klplint.frontend.libclang import lower as from_clang  # start-up: server side (see _warm_up)
    from_clang._index = None          # a fresh libclang index per child, never the parent's
    out, err = io.StringIO(), io.StringIO()
    code = 0
    from klplint.cli.main import main  # start-up: server side (see _warm_up)
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            main(args=list(req["argv"]), prog_name="klplint")
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        except Exception as e:  # noqa: BLE001 - reported like the in-process command would
            err.write(f"klplint kbuild-check: internal error: {type(e).__name__}: {e}\n")
            code = 2
    conn.sendall(json.dumps({"exit": code, "stdout": out.getvalue(), "stderr": err.getvalue()}).encode())
    conn.close()


if __name__ == "__main__":
    idle = DEFAULT_IDLE
    try:
        idle = float(os.environ.get(ENV_IDLE, DEFAULT_IDLE))
    except ValueError:
        pass
    sys.exit(serve(sys.argv[1], idle))
