"""`klplint kbuild-check`'s warm server: make starts the checker once per C file; the calls reuse one
process that has klplint imported and libclang loaded.

kbuild starts its checker once per C file; a fresh klplint pays about 100 ms of import and libclang
start-up every time, where sparse pays almost none. So by default (KLPLINT_SERVER=0 or `--no-server`
turn it off) a `kbuild-check` call first asks a background server: the first call finds none, starts
one and analyses its file in its own process; the next calls connect to it over a Unix socket and it
forks a child per request, as Mercurial's chg command server does. The child has everything loaded and
runs exactly what an in-process `kbuild-check` runs, in the caller's working directory and KLPLINT_*
environment, and sends back its stdout, stderr and exit code. Requests share nothing but the imported
code; `make -j` gets one child per call.

- The socket's name hashes the interpreter and the content of every code file of the klplint
  package: a server never answers for other code (an upgraded klplint starts its own; the old one
  idles out), and two copies of the same code (the installed wheel, and the checkout it was built
  from, which a `python -m klplint` run inside it imports) share one server. The server is started
  on the very copy its client runs, and checks on start that its own code has the socket's key.
- Private to the user: it lives in `klplint-<uid>` under $XDG_RUNTIME_DIR (else $TMPDIR or /tmp),
  created with mode 0700 and used only if it is ours and nobody else can write to it; the server also
  checks each caller's uid (SO_PEERCRED).
- The server holds a lock for its life (two calls starting one at the same moment start one), and
  exits after KLPLINT_SERVER_IDLE seconds (default 300) without a request.
- Whenever the server cannot be started, reached or answers badly (no private folder, a stale socket,
  a child that died), the call is analysed in its own process, exactly as without a server: the
  server only ever saves time.

The client side imports neither klplint's analysis nor json or the socket module (see the wire
format below): it is on the path of every call.
"""
from __future__ import annotations

import os
import sys

ENV_ON = "KLPLINT_SERVER"
ENV_IDLE = "KLPLINT_SERVER_IDLE"
DEFAULT_IDLE = 300.0
# What a request carries from the caller's environment: klplint's own settings, and where its caches go.
_PASSED_ENV = ("HOME", "XDG_CACHE_HOME")
_PROTOCOL = b"klplint-kbuild 2"


def wanted(argv: list) -> bool:
    """Is this a `kbuild-check` call that may go to the server? Yes by default; not with
    `--no-server` or KLPLINT_SERVER=0 (`--server` or KLPLINT_SERVER=1 only say it explicitly)."""
    if not argv or argv[0] != "kbuild-check" or "--no-server" in argv[1:]:
        return False
    return "--server" in argv[1:] or os.environ.get(ENV_ON, "").strip() != "0"


def _sha256():
    # _sha256 is built in and imports in microseconds; hashlib pulls in OpenSSL (~3 ms).
    try:
        # start-up: the client runs once per C file; the server side imports the rest
        import _sha256
        return _sha256.sha256()
    except ImportError:
        # start-up: the client runs once per C file; the server side imports the rest
        import hashlib
        return hashlib.sha256()


def _package_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _code_files(root: str):
    """(relative path, absolute path) of every file of the package that is code: the modules and the
    bundled headers (not the READMEs, which a wheel does not carry)."""
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for n in sorted(names):
            if n.endswith((".py", ".h")):
                full = os.path.join(dirpath, n)
                yield os.path.relpath(full, root), full


def _interpreter() -> bytes:
    return sys.executable.encode() + b"\0" + sys.version.encode() + b"\0"


def _stat_digest(root: str) -> str:
    """The interpreter and the size and mtime of every code file of this copy of klplint: cheap (no
    file is read), but two copies of the same code (a wheel and the checkout it was built from)
    differ in it."""
    h = _sha256()
    h.update(_interpreter() + root.encode() + b"\0")
    for rel, full in _code_files(root):
        try:
            st = os.stat(full)
        except OSError:
            continue
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:20]


def _content_digest(root: str) -> str:
    """The interpreter and the relative path and bytes of every code file: the same for every copy of
    the same code, wherever it is installed."""
    h = _sha256()
    h.update(_interpreter())
    for rel, full in _code_files(root):
        try:
            with open(full, "rb") as f:
                data = f.read()
        except OSError:
            continue
        h.update(f"{rel}\0{len(data)}\0".encode() + data)
    return h.hexdigest()[:20]


def _is_key(text: str) -> bool:
    return len(text) == 20 and all(c in "0123456789abcdef" for c in text)


def _digest(folder=None) -> str:
    """The server's key: the content digest of the code this copy of klplint would run, so that a
    server only ever answers for exactly that code, and every copy of the same code (the installed
    wheel and the checkout a `python -m klplint` in it imports) reaches the same server. Reading the
    ~330 files costs a few ms, so the content digest is remembered in the private folder under the
    copy's stat digest (its files' sizes and mtimes): a later call only stats them."""
    root = _package_root()
    if folder is None:
        return _content_digest(root)
    memo = os.path.join(folder, f"code-{_stat_digest(root)}")
    try:
        with open(memo) as f:
            key = f.read().strip()
        if _is_key(key):
            return key
    except OSError:
        pass
    key = _content_digest(root)
    tmp = f"{memo}.{os.getpid()}"
    try:
        with open(tmp, "w") as f:
            f.write(key + "\n")
        os.replace(tmp, memo)
    except OSError:
        pass
    return key


def private_dir():
    """klplint-<uid> under $XDG_RUNTIME_DIR (else $TMPDIR, else /tmp), mode 0700 and ours; None if it
    cannot be made safe (then no server is used)."""
    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("TMPDIR") or "/tmp"
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
    # S_ISDIR without the stat module: 0o040000 is the directory bit of st_mode.
    if (st.st_mode & 0o170000) != 0o040000 or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return path


def socket_path():
    d = private_dir()
    if d is None:
        return None
    path = os.path.join(d, f"kbuild-{_digest(d)}.sock")
    # AF_UNIX paths are limited to about 107 bytes.
    return path if len(path.encode()) < 100 else None


# ------------------------------------------------------------------ the wire format
# No json and no `socket` module on the client side: together they cost ~12 ms of imports (re, enum,
# selectors), which is paid once per C file under make. A request is NUL-separated fields; a reply is
# "<exit>\0<len(stdout)>\0" followed by stdout's and stderr's bytes.

def _enc(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def encode_request(argv: list, cwd: str, env: dict) -> bytes:
    fields = [_PROTOCOL, _enc(cwd), str(len(argv)).encode(), *map(_enc, argv),
              *(_enc(f"{k}={v}") for k, v in sorted(env.items()))]
    if any(b"\0" in f for f in fields):
        raise ValueError("NUL in a request field")
    return b"\0".join(fields) + b"\0\0"


def decode_request(data: bytes) -> tuple:
    """(argv, cwd, env) of a request; ValueError when it is not one."""
    if not data.endswith(b"\0\0"):
        raise ValueError("truncated request")
    fields = [f.decode("utf-8", "surrogateescape") for f in data[:-2].split(b"\0")]
    if fields[0] != _PROTOCOL.decode():
        raise ValueError("another protocol")
    n = int(fields[2])
    argv, rest = fields[3:3 + n], fields[3 + n:]
    if len(argv) != n:
        raise ValueError("truncated request")
    env = dict(f.split("=", 1) for f in rest)
    return argv, fields[1], env


def encode_reply(code: int, out: str, err: str) -> bytes:
    o, e = _enc(out), _enc(err)
    return f"{code}\0{len(o)}\0".encode() + o + e


def decode_reply(data: bytes) -> tuple:
    code, n, body = data.split(b"\0", 2)
    n = int(n)
    if len(body) < n:
        raise ValueError("truncated reply")
    return int(code), body[:n].decode("utf-8", "surrogateescape"), body[n:].decode("utf-8", "surrogateescape")


def passed_env(environ) -> dict:
    return {k: v for k, v in environ.items() if k.startswith("KLPLINT_") or k in _PASSED_ENV}


# ------------------------------------------------------------------ the client

def client_main(argv: list):
    """Run `klplint <argv>` on the server; its exit code, or None when the caller must run it itself
    (no server yet: one is started for the next call)."""
    try:
        # start-up: the client runs once per C file; the server side imports the rest
        import _socket
    except ImportError:
        return None
    if not hasattr(_socket, "AF_UNIX") or not hasattr(os, "fork"):
        return None
    path = socket_path()
    if path is None:
        return None
    try:
        request = encode_request(argv, os.getcwd(), passed_env(os.environ))
    except (ValueError, OSError):
        return None
    try:
        s = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            s.connect(path)
            s.sendall(request)
            s.shutdown(_socket.SHUT_WR)
            chunks = []
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        finally:
            s.close()
        code, out, err = decode_reply(b"".join(chunks))
    except (OSError, ValueError):
        # No server (or a stale socket), or one that died mid-request: start one for the next call
        # and let this call run in-process.
        _start_server(path)
        return None
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    sys.stderr.flush()
    return code


# The server process imports the client's own copy of klplint: `-m` would put the working folder first
# on sys.path, and a checkout there would answer under the key of other code. It runs from "/".
_BOOT = "import sys; sys.path[0] = sys.argv[1]; from klplint.cli.kbuild_server import _server_main; _server_main()"


def _start_server(path: str) -> None:
    # start-up: the client runs once per C file; the server side imports the rest
    import subprocess
    try:
        subprocess.Popen([sys.executable, "-c", _BOOT, os.path.dirname(_package_root()), path],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         cwd="/", start_new_session=True, close_fds=True)
    except OSError:
        pass


def stop_servers(runtime: str) -> int:
    """SIGTERM every server whose lock is in a klplint-* folder of `runtime` (an XDG_RUNTIME_DIR);
    how many were signalled. A server removes its socket on the way out."""
    # start-up: the client runs once per C file; the server side imports the rest
    import glob
    import signal
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
    # start-up: the client runs once per C file; the server side imports the rest
    import fcntl
    import gc
    import signal
    import socket
    if os.path.basename(path) != f"kbuild-{_digest(os.path.dirname(path))}.sock":
        return 0                      # not the code this socket's key names: never answer for it
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
    # Everything imported so far is shared with the children copy-on-write: keep the collector from
    # walking (and so touching and copying) it in every child.
    gc.freeze()
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
            if not _same_user(conn):
                conn.close()
                continue
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
    # start-up: the client runs once per C file; the server side imports the rest
    import contextlib
    import io
    import tempfile

    # start-up: the client runs once per C file; the server side imports the rest
    from klplint.cli.main import main
    from klplint.config.settings import Config
    from klplint.frontend import flags, libclang_problem
    libclang_problem()
    with tempfile.TemporaryDirectory(prefix="klplint-warm-") as d:
        path = os.path.join(d, "lp_warm_up.c")
        with open(path, "w") as f:
            f.write(_WARM_UP)
        argv = ["kbuild-check", "--fail-on", "never", *flags.flags_for(path, Config()), path]
        # In this process, not in a crash-isolation child (pipeline/isolate.py): what the parse and the
        # analysis import, and libclang's shared library and its bindings, are then loaded here once,
        # instead of in every request's child (~45 ms a call). Our own module cannot crash libclang.
        isolate_was = os.environ.get("KLPLINT_ISOLATE")
        os.environ["KLPLINT_ISOLATE"] = "0"
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            try:
                main(args=argv, prog_name="klplint")
            except BaseException:  # noqa: BLE001 - a warm-up that fails only costs time later
                pass
            finally:
                if isolate_was is None:
                    del os.environ["KLPLINT_ISOLATE"]
                else:
                    os.environ["KLPLINT_ISOLATE"] = isolate_was


def _same_user(conn) -> bool:
    """The caller runs as our user (the folder's mode already says so; this is the second lock)."""
    # start-up: the client runs once per C file; the server side imports the rest
    import socket
    import struct
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    try:
        _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                               struct.calcsize("3i")))
    except OSError:
        return False
    return uid == os.getuid()


def _handle(conn) -> None:
    """In a forked child: one kbuild-check call, as the client would have run it."""
    # start-up: the client runs once per C file; the server side imports the rest
    import contextlib
    import io
    conn.settimeout(None)
    chunks = []
    while True:
        b = conn.recv(65536)
        if not b:
            break
        chunks.append(b)
    try:
        argv, cwd, env = decode_request(b"".join(chunks))
        os.chdir(cwd)
    except (ValueError, IndexError, OSError):
        return                        # no reply: the caller runs the check itself
    for k in list(passed_env(os.environ)):
        del os.environ[k]
    os.environ.update(passed_env(env))
    # start-up: the client runs once per C file; the server side imports the rest
    import tempfile
    from klplint.frontend.libclang import lower as from_clang
    from klplint.pipeline import isolate
    from_clang._index = None          # a fresh libclang index per child, never the parent's
    # This child is the request's crash isolation: if libclang kills it, or it overruns a limit, the
    # caller gets no reply and analyses the call itself, in its own isolated child, which reports the
    # file's one-line error. So the file is analysed here, not in one more fork (~30 ms a call).
    isolate.contain()
    # What libclang writes on the process's stderr goes with the reply, filtered as isolate.run
    # filters a child's. All analysis happens before kbuild-check renders anything, so it comes first.
    native = tempfile.TemporaryFile()
    os.dup2(native.fileno(), 2)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    # start-up: the client runs once per C file; the server side imports the rest
    from klplint.cli.main import main
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            main(args=argv, prog_name="klplint")
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        except Exception as e:  # noqa: BLE001 - reported like the in-process command would
            err.write(f"klplint kbuild-check: internal error: {type(e).__name__}: {e}\n")
            code = 2
    native.seek(0)
    before = isolate.crash_reports_removed(native.read()).decode("utf-8", "replace")
    conn.sendall(encode_reply(code, out.getvalue(), before + err.getvalue()))
    conn.close()


def _server_main() -> None:
    """`python -c _BOOT <package parent> <socket>` (or `-m klplint.cli.kbuild_server <socket>`)."""
    idle = DEFAULT_IDLE
    try:
        idle = float(os.environ.get(ENV_IDLE, DEFAULT_IDLE))
    except ValueError:
        pass
    sys.exit(serve(sys.argv[-1], idle))


if __name__ == "__main__":
    _server_main()
