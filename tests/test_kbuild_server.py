"""`kbuild-check`'s warm server (on by default): it starts itself, gives exactly the in-process output,
and is only ever used when it is safe; otherwise the call runs in its own process."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from server_util import private_runtime, stop_servers

from klplint.cli import kbuild_server
from klplint.config.settings import Config
from klplint.frontend import flags

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad" / "klp101_funcs_without_terminator.c"
GOOD = ROOT / "corpus" / "structure" / "good" / "klp101_terminated_tables.c"


@pytest.fixture
def runtime(monkeypatch):
    """A private XDG_RUNTIME_DIR (short: socket paths are limited to ~107 bytes); every server
    started in it is stopped afterwards."""
    base = private_runtime()
    monkeypatch.setenv("XDG_RUNTIME_DIR", base)
    monkeypatch.setenv("KLPLINT_SERVER_IDLE", "60")
    monkeypatch.delenv("KLPLINT_SERVER", raising=False)
    yield Path(base)
    stop_servers(base)


def argv_for(path: Path, *extra):
    return ["kbuild-check", *extra, *flags.flags_for(str(path), Config()), str(path)]


def in_process(argv, cwd=None, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    env["KLPLINT_SERVER"] = "0"
    return subprocess.run([sys.executable, "-m", "klplint", *argv], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def wait_for_server(timeout=60.0) -> str:
    path = kbuild_server.socket_path()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path and os.path.exists(path):
            return path
        time.sleep(0.1)
    raise AssertionError(f"no server socket at {path}")


def test_first_call_starts_the_server_and_later_calls_get_the_same_output(runtime, capsys):
    for path, code in ((BAD, 1), (GOOD, 0)):
        assert in_process(argv_for(path)).returncode == code
    assert kbuild_server.client_main(argv_for(BAD)) is None        # nothing to talk to yet: run it yourself
    sock = wait_for_server()
    assert (os.stat(os.path.dirname(sock)).st_mode & 0o777) == 0o700
    capsys.readouterr()
    for path, extra in ((BAD, ()), (GOOD, ()), (BAD, ("--fail-on", "never")), (BAD, ("--select", "KLP107"))):
        expected = in_process(argv_for(path, *extra))
        code = kbuild_server.client_main(argv_for(path, *extra))
        assert code == expected.returncode, (path, extra)            # served: an exit code, not None
        assert capsys.readouterr().err == expected.stderr, (path, extra)
    # usage errors and --help come back on the streams they would use in-process
    for argv in (["kbuild-check", "--fail-on", "sometimes", str(BAD)], ["kbuild-check", "--help"]):
        expected = in_process(argv)
        assert kbuild_server.client_main(argv) == expected.returncode
        got = capsys.readouterr()
        assert (got.out, got.err) == (expected.stdout, expected.stderr), argv
    # and through the command line, as make runs it
    served = subprocess.run([sys.executable, "-m", "klplint", *argv_for(BAD, "--server")], capture_output=True,
                            text=True, timeout=300)
    assert (served.returncode, served.stderr) == (1, in_process(argv_for(BAD)).stderr)
    assert "KLP101" in served.stderr
    # stopped, the server removes its socket on the way out
    assert kbuild_server.stop_servers(str(runtime)) == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and os.path.exists(sock):
        time.sleep(0.1)
    assert not os.path.exists(sock)


def test_the_callers_folder_and_relative_paths_are_used(runtime, tmp_path, capsys, monkeypatch):
    (tmp_path / "sub").mkdir()
    shutil.copy(BAD, tmp_path / "sub" / "lp.c")
    argv = ["kbuild-check", *flags.flags_for(str(tmp_path / "sub" / "lp.c"), Config()), "sub/lp.c"]
    expected = in_process(argv, cwd=tmp_path)
    assert expected.returncode == 1 and expected.stderr.startswith("sub/lp.c:")
    kbuild_server.client_main(argv_for(GOOD))
    wait_for_server()
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert kbuild_server.client_main(argv) == 1
    assert capsys.readouterr().err == expected.stderr


def test_a_folder_others_can_write_is_never_used(runtime):
    unsafe = runtime / f"klplint-{os.getuid()}"
    unsafe.mkdir()
    os.chmod(unsafe, 0o777)
    assert kbuild_server.private_dir() is None and kbuild_server.socket_path() is None
    assert kbuild_server.client_main(argv_for(BAD)) is None
    time.sleep(1)
    assert list(unsafe.iterdir()) == []                          # no server started, no socket


def test_a_stale_socket_is_replaced(runtime, capsys):
    import socket
    path = kbuild_server.socket_path()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)                        # a socket file nobody listens on (a server that was killed)
    s.close()
    assert kbuild_server.client_main(argv_for(BAD)) is None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and kbuild_server.client_main(argv_for(GOOD)) is None:
        time.sleep(0.2)
    capsys.readouterr()
    assert kbuild_server.client_main(argv_for(BAD)) == 1
    assert "KLP101" in capsys.readouterr().err


def test_the_server_leaves_when_idle(runtime, monkeypatch):
    monkeypatch.setenv("KLPLINT_SERVER_IDLE", "1")
    kbuild_server.client_main(argv_for(GOOD))
    sock = wait_for_server()
    pid = int(Path(sock + ".lock").read_text().split()[0])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and os.path.exists(sock):
        time.sleep(0.1)
    assert not os.path.exists(sock)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:                                    # the test process started it: reap it if it has exited
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def test_only_kbuild_check_asks_for_the_server_and_by_default(monkeypatch):
    monkeypatch.delenv("KLPLINT_SERVER", raising=False)
    assert kbuild_server.wanted(["kbuild-check", "x.c"])
    assert kbuild_server.wanted(["kbuild-check", "--server", "x.c"])
    assert not kbuild_server.wanted(["kbuild-check", "--no-server", "x.c"])
    assert not kbuild_server.wanted(["check", "--server", "x.c"])
    monkeypatch.setenv("KLPLINT_SERVER", "1")
    assert kbuild_server.wanted(["kbuild-check", "x.c"]) and not kbuild_server.wanted(["check", "x.c"])
    monkeypatch.setenv("KLPLINT_SERVER", "0")
    assert not kbuild_server.wanted(["kbuild-check", "x.c"])
    assert kbuild_server.wanted(["kbuild-check", "--server", "x.c"])      # asked for explicitly


# ------------------------------------------------------------------ started by default, as make runs it

def as_make_runs_it(argv, cwd=None):
    """`klplint kbuild-check ...` as a fresh process with nothing asked for, and whether the call was
    served: a served call never imports klplint's command line (-X importtime names every import)."""
    env = dict(os.environ)
    env.pop("KLPLINT_SERVER", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "klplint", *argv], capture_output=True,
                       text=True, cwd=cwd, env=env, timeout=300)
    lines = p.stderr.splitlines(keepends=True)
    imports = [ln for ln in lines if ln.startswith("import time:")]
    stderr = "".join(ln for ln in lines if not ln.startswith("import time:"))
    served = not any(ln.rstrip().endswith(("klplint.cli.main", "click")) for ln in imports)
    assert imports, "-X importtime printed nothing: the check below would prove nothing"
    return p.returncode, p.stdout, stderr, served


def test_by_default_the_first_call_starts_the_server_and_the_next_are_served(runtime):
    expected = {path: in_process(argv_for(path)) for path in (BAD, GOOD)}
    code, out, err, served = as_make_runs_it(argv_for(BAD))
    assert not served and (code, out, err) == (1, "", expected[BAD].stderr)
    sock = wait_for_server()
    for path in (BAD, GOOD, BAD):
        code, out, err, served = as_make_runs_it(argv_for(path))
        assert served, path
        assert (code, out, err) == (expected[path].returncode, expected[path].stdout, expected[path].stderr)
    # --no-server runs in the calling process, with the same output
    code, out, err, served = as_make_runs_it(argv_for(BAD, "--no-server"))
    assert not served and (code, err) == (1, expected[BAD].stderr)
    assert os.path.exists(sock)


def test_an_unusable_runtime_folder_falls_back_to_the_calling_process(runtime, monkeypatch, tmp_path):
    not_a_folder = tmp_path / "runtime"
    not_a_folder.write_text("")             # mkdir under it fails (as root, permission bits would not)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(not_a_folder))
    assert kbuild_server.private_dir() is None
    expected = in_process(argv_for(BAD))
    for _ in range(2):
        code, out, err, served = as_make_runs_it(argv_for(BAD))
        assert not served and (code, out, err) == (1, "", expected.stderr)
    assert not_a_folder.read_text() == ""


def test_a_server_that_answers_badly_is_not_believed(runtime, capsys):
    """Something listening on the socket that is not our server (or one that dies mid-reply): the
    call runs in its own process and gets the in-process output."""
    import socket
    import threading
    path = kbuild_server.socket_path()
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)

    def answer_garbage():
        conn, _ = srv.accept()
        conn.recv(65536)
        conn.sendall(b"0\0999\0short")          # says 999 bytes of stdout, sends 5
        conn.close()
    t = threading.Thread(target=answer_garbage)
    t.start()
    assert kbuild_server.client_main(argv_for(BAD)) is None
    t.join(10)
    srv.close()
    assert capsys.readouterr().err == ""         # nothing of the bad reply was printed


def test_the_wire_format_round_trips_any_argument():
    argv = ["kbuild-check", "-DX=\"a b\"", "caf\u00e9.c", "bytes\udcff.c", ""]
    env = {"KLPLINT_X": "1=2", "HOME": "/h"}
    assert kbuild_server.decode_request(kbuild_server.encode_request(argv, "/w d", env)) == (argv, "/w d", env)
    assert kbuild_server.decode_reply(kbuild_server.encode_reply(3, "o\u00e9", "e\0x")) == (3, "o\u00e9", "e\0x")
    with pytest.raises(ValueError):
        kbuild_server.encode_request(["a\0b"], "/", {})
    with pytest.raises(ValueError):
        kbuild_server.decode_request(b"other protocol\0\0")


# ------------------------------------------------------------------ one server per code, not per copy

def _copy_of_klplint(dest: Path) -> Path:
    """A second copy of the klplint package the tests import (fresh mtimes, another folder), as a
    wheel installed from a checkout is beside that checkout."""
    src = Path(kbuild_server.__file__).resolve().parent.parent
    shutil.copytree(src, dest / "klplint", ignore=shutil.ignore_patterns("__pycache__"), copy_function=shutil.copy)
    return dest


def _imported_from(cwd: Path) -> str:
    return subprocess.run([sys.executable, "-c", "import klplint, os; print(os.path.dirname(klplint.__file__))"],
                          capture_output=True, text=True, cwd=cwd, timeout=60).stdout.strip()


def _locks(runtime: Path) -> list:
    return sorted(p.name for p in (runtime / f"klplint-{os.getuid()}").glob("*.lock"))


def test_two_copies_of_the_same_code_share_one_server(runtime, tmp_path):
    copy = _copy_of_klplint(tmp_path / "copy")
    assert _imported_from(copy) == str(copy / "klplint")         # a `python -m klplint` there runs the copy
    assert kbuild_server.client_main(argv_for(GOOD)) is None      # started from the tests' own copy
    sock = wait_for_server()
    expected = in_process(argv_for(BAD), cwd=copy)
    code, out, err, served = as_make_runs_it(argv_for(BAD), cwd=copy)
    assert served and (code, out, err) == (1, "", expected.stderr)
    assert _locks(runtime) == [os.path.basename(sock) + ".lock"]  # and no second server was started


def test_other_code_gets_its_own_server_and_a_server_runs_its_clients_copy(runtime, tmp_path, monkeypatch):
    other = _copy_of_klplint(tmp_path / "other")
    mark = tmp_path / "other-copy-imported"
    with open(other / "klplint" / "__init__.py", "a") as f:     # other code, which says when it is imported
        f.write("\nimport os as _os\nif _os.environ.get('KLPLINT_TEST_MARK'):\n"
                "    open(_os.environ['KLPLINT_TEST_MARK'], 'a').write(__file__)\n")
    theirs = subprocess.run([sys.executable, "-c", "from klplint.cli import kbuild_server as k; print(k.socket_path())"],
                            capture_output=True, text=True, cwd=other, timeout=60).stdout.strip()
    assert theirs and theirs != kbuild_server.socket_path()
    # Started from a folder holding other code, the server still imports its client's copy, the one
    # whose key its socket has.
    monkeypatch.setenv("KLPLINT_TEST_MARK", str(mark))
    monkeypatch.chdir(other)
    assert kbuild_server.client_main(argv_for(GOOD)) is None
    sock = wait_for_server()
    assert sock == kbuild_server.socket_path() and not os.path.exists(theirs)
    assert not mark.exists()


def test_a_server_never_listens_under_the_key_of_other_code(runtime):
    d = kbuild_server.private_dir()
    wrong = os.path.join(d, "kbuild-0123456789abcdef0123.sock")
    assert kbuild_server.serve(wrong, 5.0) == 0
    assert not os.path.exists(wrong) and not os.path.exists(wrong + ".lock")


def test_a_request_that_overruns_its_limits_falls_back_to_the_calling_process(runtime):
    """A served call is analysed in the request's own child, under the limits a crash-isolation child
    has; one that dies there (here: a deadline nothing can meet) gets exactly the in-process result,
    and the server stays up for the next call."""
    expected = in_process(argv_for(BAD), env_extra={"KLPLINT_FILE_TIMEOUT": "0.001"})
    assert expected.returncode == 2 and "did not finish within" in expected.stderr
    kbuild_server.client_main(argv_for(GOOD))
    sock = wait_for_server()
    p = subprocess.run([sys.executable, "-m", "klplint", *argv_for(BAD)], capture_output=True, text=True,
                       timeout=300, env=dict(os.environ, KLPLINT_FILE_TIMEOUT="0.001"))
    assert (p.returncode, p.stdout, p.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    code, out, err, served = as_make_runs_it(argv_for(BAD))
    assert served and code == 1 and "KLP101" in err and os.path.exists(sock)
