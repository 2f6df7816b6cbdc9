"""klplint as users get it: the wheel built from this checkout, installed into a fresh virtual
environment, run from a folder outside the checkout — package data, every subcommand's --help, a
real run of each."""
from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BAD = ROOT / "corpus" / "structure" / "bad" / "klp101_funcs_without_terminator.c"
HOOKS = HERE / "oracle" / "data" / "klp_oracle_hooks.c"


class Install:
    """An installed klplint: its interpreter and its console script."""

    def __init__(self, python: Path, script: Path):
        self.python, self.script = python, script

    def run(self, *args, cwd, timeout=300, stdin=None, env=None):
        env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONPATH"}
        return subprocess.run([str(self.script), *map(str, args)], cwd=cwd, env=env, input=stdin,
                              capture_output=True, timeout=timeout)


def _installed_from_checkout() -> bool:
    import klplint

    return Path(klplint.__file__).resolve().is_relative_to(ROOT)


def _build_wheel(out: Path) -> Path:
    shutil.rmtree(ROOT / "build", ignore_errors=True)      # stale files there would go into the wheel
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(out)]
    got = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if got.returncode != 0:      # no index to fetch the build backend from: build with the one here
        got = subprocess.run(cmd + ["--no-build-isolation"], capture_output=True, text=True, timeout=600)
    assert got.returncode == 0, got.stderr[-3000:]
    (wheel,) = out.glob("klplint-*.whl")
    return wheel


@pytest.fixture(scope="module")
def product(tmp_path_factory) -> Install:
    """The suite's own install when scripts/test.sh installed the wheel; else a wheel built now,
    installed without dependencies into a fresh venv that borrows this environment's packages
    (a plain path entry: the editable install's finder there is not activated)."""
    if not _installed_from_checkout():
        bindir = Path(sys.executable).parent
        return Install(Path(sys.executable), bindir / "klplint")
    base = tmp_path_factory.mktemp("product")
    wheel = _build_wheel(base / "dist")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    got = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                          "--no-index", str(wheel)], capture_output=True, text=True, timeout=600)
    assert got.returncode == 0, got.stderr[-3000:]
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    borrowed = [p for p in site.getsitepackages() + [site.getusersitepackages()] if os.path.isdir(p)]
    Path(purelib, "_klplint_test_deps.pth").write_text("".join(p + "\n" for p in borrowed))
    return Install(python, venv / "bin" / "klplint")


@pytest.fixture
def outside(tmp_path) -> Path:
    """A working folder with nothing of the checkout in it."""
    return tmp_path


def test_the_product_is_not_the_checkout(product, outside):
    got = subprocess.run([str(product.python), "-c", "import klplint; print(klplint.__file__)"], cwd=outside,
                         capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert got.returncode == 0, got.stderr
    assert not Path(got.stdout.strip()).resolve().is_relative_to(ROOT), got.stdout


def _data_files(pkg: Path):
    return sorted(str(p.relative_to(pkg)) for p in pkg.rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc", ".md") and "__pycache__" not in p.parts)


def test_every_data_file_of_the_package_is_installed(product, outside):
    got = subprocess.run([str(product.python), "-c", "import klplint, os; print(os.path.dirname(klplint.__file__))"],
                         cwd=outside, capture_output=True, text=True, check=True)
    installed = Path(got.stdout.strip())
    want = _data_files(ROOT / "klplint")
    assert "oracle/compat/klp_hooks_compat.h" in want and any(w.startswith("frontend/include/") for w in want)
    missing = [w for w in want if not (installed / w).is_file()]
    assert missing == []


def _subcommands(product, outside):
    got = product.run("--help", cwd=outside)
    assert got.returncode == 0, got.stderr
    text = got.stdout.decode()
    return re.findall(r"^  ([a-z][a-z-]+)\s", text.split("Commands:", 1)[1], flags=re.M)


def test_every_subcommand_answers_help(product, outside):
    names = _subcommands(product, outside)
    assert {"check", "confirm", "explain", "kbuild-check", "lsp", "rules", "trace"} <= set(names)
    for name in names:
        got = product.run(name, "--help", cwd=outside)
        assert got.returncode == 0 and got.stdout.decode().startswith(f"Usage: klplint {name}"), (name, got.stderr)


def _no_traceback(got):
    err = got.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err


def test_check_finds_the_missing_terminator(product, outside):
    shutil.copy(BAD, outside / "lp.c")
    got = product.run("check", "--no-cache", "--format", "json", "lp.c", cwd=outside)
    _no_traceback(got)
    assert got.returncode == 1, got.stderr
    assert "KLP101" in {f["rule"] for f in json.loads(got.stdout)["findings"]}


def test_rules_and_explain(product, outside):
    got = product.run("rules", "--format", "json", cwd=outside)
    assert got.returncode == 0, got.stderr
    ids = [r["id"] for r in json.loads(got.stdout)]
    assert "KLP101" in ids and ids == sorted(ids)
    got = product.run("explain", "KLP101", cwd=outside)
    assert got.returncode == 0 and got.stdout.decode().startswith("# KLP101"), got.stderr


def test_trace_predicts_the_lifecycle(product, outside):
    shutil.copy(HOOKS, outside / "hooks.c")
    got = product.run("trace", "--format", "json", "hooks.c", cwd=outside)
    _no_traceback(got)
    assert got.returncode == 0, got.stderr
    scenarios = json.loads(got.stdout)
    assert scenarios and all("calls" in s for s in scenarios)


def test_kbuild_check_reports_like_a_compiler(product, outside):
    shutil.copy(BAD, outside / "lp.c")
    got = product.run("kbuild-check", "--fail-on", "never", "-D__KERNEL__", '-DKBUILD_MODNAME="lp"', "lp.c",
                      cwd=outside)
    _no_traceback(got)
    assert got.returncode == 0, got.stderr
    assert got.stderr.decode().startswith("lp.c:") or got.stdout.decode().startswith("lp.c:"), got


def _frame(msg) -> bytes:
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _messages(data: bytes):
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        n = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        out.append(json.loads(rest[:n]))
        data = rest[n:]
    return out


def test_lsp_publishes_diagnostics(product, outside):
    uri = (outside / "lp.c").as_uri()
    session = b"".join(_frame(m) for m in [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": outside.as_uri(), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri, "languageId": "c", "version": 1, "text": BAD.read_text()}}},
    ])
    script = str(product.script)
    proc = subprocess.Popen([script, "lsp"], cwd=outside, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdin.write(session)
    proc.stdin.flush()
    data = b""
    deadline = time.monotonic() + 120
    os.set_blocking(proc.stdout.fileno(), False)
    try:
        while b"publishDiagnostics" not in data and time.monotonic() < deadline and proc.poll() is None:
            chunk = proc.stdout.read()
            if chunk:
                data += chunk
            else:
                time.sleep(0.05)
        time.sleep(0.3)
        data += proc.stdout.read() or b""
        proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) +
                         _frame({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.close()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert "Traceback" not in err, err
    msgs = [m for m in _messages(data) if m.get("method") == "textDocument/publishDiagnostics"]
    assert msgs, (data[-2000:], err)
    codes = {d.get("code") for d in msgs[-1]["params"]["diagnostics"]}
    assert "KLP101" in codes, msgs[-1]


def test_confirm_without_a_kernel_is_a_one_line_error(product, outside):
    shutil.copy(HOOKS, outside / "hooks.c")
    got = product.run("confirm", "--kernel-image", outside / "no-such-vmlinuz", "hooks.c", cwd=outside)
    _no_traceback(got)
    assert got.returncode == 2
    lines = got.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("klplint confirm:"), lines


@pytest.mark.oracle
@pytest.mark.slow
def test_confirm_boots_the_real_kernel_with_the_installed_compat_header(product, outside):
    """A hooks-API module needs oracle/compat/klp_hooks_compat.h from the install: a real boot."""
    from klplint.oracle import harness
    from klplint.oracle.parts import OracleError

    try:
        harness.find_machine()
    except OracleError as e:
        if os.environ.get("CI"):
            pytest.fail(str(e))
        pytest.skip(str(e))
    shutil.copy(HOOKS, outside / "hooks.c")
    got = product.run("confirm", "--no-model", "--scenario", "enable,disable", "hooks.c", cwd=outside,
                      timeout=900)
    _no_traceback(got)
    out = got.stdout.decode()
    assert got.returncode == 0, (out, got.stderr.decode())
    assert "hooks.c: enable,disable -> ok" in out and "observed:" in out, out
