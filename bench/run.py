#!/usr/bin/env python3
"""klplint side by side with the kernel's own checker (sparse) and the parse floor (clang -fsyntax-only).

One machine, one run, the same files with the same flags, several runs each (median):
  (a) the corpus (corpus/**/*.c) with klplint's bundled headers;
  (b) the kernel's own livepatch modules (samples/livepatch/*.c, lib/livepatch/test_klp_*.c, unpacked
      from Debian's linux-source-6.1 tarball into a cache outside the repository) against Debian's
      kernel headers (--kernel-dir);
  (c) generated modules (10, 100, 1000): total time and peak memory of the klplint process tree, cold
      (--no-cache) and warm result cache, --jobs 1 and 2.

Usage: python bench/run.py [--runs 5] [--scale 10,100,1000] [--json FILE] [--quick]   (see bench/README.md)
"""
from __future__ import annotations

import argparse
import contextlib
import datetime
import glob
import importlib.util
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
sys.path.insert(0, HERE)

# kbuild's sparse invocation: `$(CHECK) $(CHECKFLAGS) $(c_flags) $<` with, in Debian's 6.1 kbuild,
#   Makefile:519      CHECKFLAGS := -D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__
#                                   -Wbitwise -Wno-return-void -Wno-unknown-attribute $(CF)
#   arch/x86/Makefile CHECKFLAGS += -D__x86_64__            (64-bit)
#   Makefile:1177-83  CHECKFLAGS += --arch=$(ARCH) -mlittle-endian -m64
SPARSE_CHECKFLAGS = ["-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix", "-D__unix__", "-Wbitwise",
                     "-Wno-return-void", "-Wno-unknown-attribute", "-D__x86_64__", "--arch=x86",
                     "-mlittle-endian", "-m64"]
# What klplint adds for libclang that is clang's business only (warnings), left out for sparse.
CLANG_ONLY = ("-Wno-everything", "-Wno-error=")
APT_TOOLS = {"clang": "clang", "sparse": "sparse", "make": "make"}
TARBALL = "/usr/src/linux-source-6.1.tar.xz"


def log(msg: str) -> None:
    sys.stderr.write(f"[bench] {msg}\n")
    sys.stderr.flush()


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# ------------------------------------------------------------------ setup

def ensure_tools(need_kernel: bool, install: bool) -> Dict[str, str]:
    """clang, sparse (and for set (b) linux-source-6.1 / linux-headers-amd64) from Debian; installed
    with apt-get when missing and we are root. Returns notes about what is unavailable."""
    missing = [pkg for tool, pkg in APT_TOOLS.items() if not shutil.which(tool)]
    if need_kernel:
        if not os.path.isfile(TARBALL):
            missing.append("linux-source-6.1")
        if not glob.glob("/usr/src/linux-headers-*-amd64/Makefile"):
            missing.append("linux-headers-amd64")
    if missing and install and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log(f"installing {' '.join(missing)} with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-q"], env=env, check=False, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", *missing], env=env, check=False,
                       stdout=subprocess.DEVNULL)
    notes = {}
    for tool in ("clang", "sparse"):
        if not shutil.which(tool):
            notes[tool] = f"{tool} not installed (apt-get install {APT_TOOLS[tool]}); its columns are empty"
    return notes


def tool_version(cmd: List[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unavailable"


def libclang_version() -> str:
    try:
        import clang.cindex as ci
        ci.Index.create()
        lib = ci.conf.lib
        lib.clang_getClangVersion.restype = ci._CXString
        lib.clang_getClangVersion.errcheck = ci._CXString.from_result
        return lib.clang_getClangVersion()
    except Exception as e:  # noqa: BLE001
        return f"unavailable ({e})"


def machine() -> dict:
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "ram_gib": round(mem / 2**30, 1), "cpu": cpu,
            "kernel": platform.release(), "python": platform.python_version(), "loadavg": loadavg()}


def loadavg() -> str:
    try:
        return "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        return "?"


def kernel_dir(arg: Optional[str]) -> Optional[str]:
    if arg:
        return arg
    found = sorted(d for d in glob.glob("/usr/src/linux-headers-*-amd64") if os.path.isfile(os.path.join(d, "Makefile")))
    return found[-1] if found else None


def kernel_files() -> List[str]:
    sys.path.insert(0, os.path.join(REPO, "tests"))
    from kernel_source import extract_kernel_source, livepatch_module_sources
    return [str(p) for p in livepatch_module_sources(extract_kernel_source())]


def corpus_files() -> List[str]:
    return sorted(glob.glob(os.path.join(REPO, "corpus", "**", "*.c"), recursive=True))


# ------------------------------------------------------------------ external tools, per file

def config_for(kdir: Optional[str]):
    from klplint.config.settings import Config
    return Config(kernel_dir=kdir) if kdir else Config()


def tool_commands(path: str, kdir: Optional[str]) -> Dict[str, List[str]]:
    """The same flags klplint gives libclang (flags.flags_for: BUNDLED_FLAGS or kbuild's, plus the
    module's KBUILD_MODNAME), for clang -fsyntax-only and for sparse as kbuild runs it."""
    from klplint.frontend import flags
    fl = flags.flags_for(path, config_for(kdir))
    return {"clang": ["clang", "-fsyntax-only", *fl, path],
            "sparse": ["sparse", *SPARSE_CHECKFLAGS, *[a for a in fl if not a.startswith(CLANG_ONLY)], path]}


def time_cmd(cmd: List[str]) -> tuple:
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t, p.returncode, p.stderr.decode("utf-8", "replace")


# ------------------------------------------------------------------ klplint, in process (worker)

def worker_phases(argv: List[str]) -> None:
    """A fresh process timing klplint's phases per file with klplint's own functions. It reads one
    command a line on stdin (first | pass | nopch | done) and answers each with one JSON line, so
    the parent can interleave its passes with the clang and sparse passes."""
    spec = json.loads(argv[0])
    files, kdir = spec["files"], spec["kdir"]
    os.environ.pop("KLPLINT_STRICT", None)
    from klplint.pipeline import analyze_file as analyze
    from klplint.patch.extract import extract
    from klplint.frontend import FrontendError, parse
    from klplint.frontend.libclang import pch
    config = config_for(kdir)

    def phases(path):
        t0 = time.perf_counter()
        try:
            unit = parse(path, config)
        except FrontendError as e:
            return {"parse": time.perf_counter() - t0, "error": e.reason}
        t1 = time.perf_counter()
        module = extract(unit, config)
        t2 = time.perf_counter()
        analyze.structural_findings(module, config)
        t3 = time.perf_counter()
        if module.patches:
            analyze.engine_findings(module, config)   # the lifecycle engine, as analyze_file calls it
        t4 = time.perf_counter()
        r = analyze.analyze_file_safely(path, config)  # end to end: what the CLI does per file
        t5 = time.perf_counter()
        return {"parse": t1 - t0, "extract": t2 - t1, "rules": t3 - t2, "engine": t4 - t3, "total": t5 - t4,
                "findings": len(r.findings), "errors": [e.reason for e in r.errors]}

    def reply(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    t = time.perf_counter()
    from klplint.frontend.libclang import lower as from_clang
    from_clang.load_library()
    reply({"engine_present": importlib.util.find_spec("klplint.analysis.driver") is not None,
           "libclang_load": time.perf_counter() - t})
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "first":        # the PCH cache is empty: the one-time header preparation happens here
            per, t = {}, time.perf_counter()
            for f in files:
                s = time.perf_counter()
                try:
                    parse(f, config)
                except FrontendError:
                    pass
                per[f] = time.perf_counter() - s
            reply({"total": time.perf_counter() - t, "per_file": per, "pch_built": pch.stats["built"]})
        elif cmd == "pass":
            # `total` is analyze_file_safely as analyze_paths runs it over several files: in one reused
            # crash-isolation child when the tree has one (pipeline/isolate.py), else a child per file
            from klplint.pipeline import isolate
            with getattr(isolate, "reusing_worker", contextlib.nullcontext)():
                reply({f: phases(f) for f in files})
        elif cmd == "pycparser":   # the second front end, end to end (analyze_file_safely)
            pure = config.with_(frontend="pycparser")
            per = {}
            for f in files:
                s = time.perf_counter()
                r = analyze.analyze_file_safely(f, pure)
                per[f] = {"total": time.perf_counter() - s, "errors": [e.reason for e in r.errors],
                          "findings": len(r.findings)}
            reply(per)
        elif cmd == "nopch":
            os.environ["KLPLINT_NO_PCH"] = "1"
            per = {}
            for f in files:
                s = time.perf_counter()
                try:
                    parse(f, config)
                except FrontendError:
                    pass
                per[f] = time.perf_counter() - s
            del os.environ["KLPLINT_NO_PCH"]
            reply(per)
        else:
            reply({"pch_stats": dict(pch.stats),
                   "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024})
            return


class Worker:
    """The parent's handle on worker_phases."""

    def __init__(self, files: List[str], kdir: Optional[str], pch_dir: str):
        env = dict(os.environ, KLPLINT_PCH_DIR=pch_dir)
        env.pop("KLPLINT_STRICT", None)
        env.pop("KLPLINT_NO_PCH", None)
        spec = json.dumps({"files": files, "kdir": kdir})
        self.p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "_phases", spec], env=env,
                                  cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.hello = self._read()

    def _read(self) -> dict:
        line = self.p.stdout.readline()
        if not line:
            raise SystemExit("bench: the klplint worker failed (see its error above)")
        return json.loads(line)

    def ask(self, cmd: str) -> dict:
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        return self._read()

    def close(self) -> dict:
        out = self.ask("done")
        self.p.wait()
        return out


def measure_set(files: List[str], kdir: Optional[str], runs: int, pch_dir: str,
                notes: Dict[str, str], pycparser: bool = True, tools_too: bool = True) -> tuple:
    """clang, sparse and klplint on the same files, their passes interleaved run by run so that a
    change in the machine's load hits all three alike. Returns (tools, klplint figures)."""
    cmds = {f: tool_commands(f, kdir) for f in files}
    tools_used = [t for t in ("clang", "sparse") if t not in notes] if tools_too else []
    worker = Worker(files, kdir, pch_dir)
    first = worker.ask("first")
    tool_samples: Dict[tuple, List[float]] = {}
    tools: Dict[str, dict] = {f: {"commands": {t: cmds[f][t] for t in tools_used}} for f in files}
    klp_samples: Dict[str, List[dict]] = {f: [] for f in files}
    nopch: Dict[str, List[float]] = {f: [] for f in files}
    pure: Dict[str, List[dict]] = {f: [] for f in files}
    for r in range(runs):
        for f in files:
            for tool in tools_used:
                dt, rc, err = time_cmd(cmds[f][tool])
                tool_samples.setdefault((f, tool), []).append(dt)
                if r == 0:
                    tools[f][tool + "_rc"] = rc
                    if rc:
                        tools[f][tool + "_error"] = err.strip().splitlines()[-1:] or [f"exit {rc}"]
        for f, x in worker.ask("pass").items():
            klp_samples[f].append(x)
        if kdir:
            for f, x in worker.ask("nopch").items():
                nopch[f].append(x)
        if pycparser and r == 0:     # one run: in pure Python it is the slow front end, not a close race
            for f, x in worker.ask("pycparser").items():
                pure[f].append(x)
    end = worker.close()
    for (f, tool), xs in tool_samples.items():
        tools[f][tool] = median(xs)
    per = {}
    for f in files:
        xs = klp_samples[f]
        d = {k: median([x[k] for x in xs if k in x]) for k in ("parse", "extract", "rules", "engine", "total")
             if any(k in x for x in xs)}
        d["findings"] = xs[-1].get("findings")
        d["errors"] = xs[-1].get("errors") or ([xs[-1]["error"]] if "error" in xs[-1] else [])
        if nopch[f]:
            d["parse_no_pch"] = median(nopch[f])
        if pure[f]:
            d["pycparser"] = median([x["total"] for x in pure[f]])
            d["pycparser_errors"] = pure[f][-1]["errors"]
        per[f] = d
    klp = {"engine_present": worker.hello["engine_present"], "libclang_load": worker.hello["libclang_load"],
           "first_pass": first, "per_file": per, "pch_stats": end["pch_stats"], "peak_rss": end["peak_rss"]}
    return tools, klp


# ------------------------------------------------------------------ klplint, the command line

try:
    import psutil
except ImportError:   # the figures then come from wait4(): the largest single process, not the tree
    psutil = None


def run_measured(cmd: List[str], env: dict, cwd: str) -> dict:
    """Wall time, exit code and peak RSS of the whole process tree (psutil, sampled every 10 ms)."""
    err = tempfile.TemporaryFile()
    t = time.perf_counter()
    if psutil is None:
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        peak, how = usage.ru_maxrss * 1024, "largest process (wait4)"
    else:
        p = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        peak, how = 0, "process tree (psutil)"
        while p.poll() is None:
            rss = 0
            try:
                procs = [p] + p.children(recursive=True)
            except psutil.Error:
                procs = []
            for q in procs:
                try:
                    rss += q.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, rss)
            time.sleep(0.01)
        wall = time.perf_counter() - t
    err.seek(0)
    tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    return {"wall": wall, "rc": p.returncode, "peak_rss": peak, "rss_how": how, "stderr_tail": tail}


def klplint_cmd(files: List[str], kdir: Optional[str], jobs: int, cache: bool) -> List[str]:
    cmd = [KLP_PY, "-m", "klplint", "check", "--jobs", str(jobs)]
    if kdir:
        cmd += ["--kernel-dir", kdir]
    if not cache:
        cmd.append("--no-cache")
    return cmd + files


# The interpreter that runs klplint's command lines. By default a virtual environment the bench makes
# with `pip install` of this tree, as a user installs klplint: its start-up is that of a clean
# interpreter (no .pth files of the machine's own site-packages), and its modules are compiled to
# bytecode by pip. --no-venv uses this interpreter and this tree (PYTHONPATH) instead, with the
# bytecode compiled into klplint/__pycache__ (git ignores it); PYTHONDONTWRITEBYTECODE is cleared
# for the children either way, since without bytecode every process would compile ~1 MB of source.
KLP_PY = sys.executable
KLP_FROM_TREE = True


def python_env(**extra) -> dict:
    env = dict(os.environ, **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if KLP_FROM_TREE:
        env["PYTHONPATH"] = REPO
    else:
        env.pop("PYTHONPATH", None)
    return env


def prepare_interpreter(work: str, use_venv: bool, notes: Dict[str, str]) -> str:
    """Set KLP_PY; returns how klplint is run, for the report's header."""
    global KLP_PY, KLP_FROM_TREE
    if use_venv:
        venv = os.path.join(work, "venv")
        py = os.path.join(venv, "bin", "python")
        log("installing klplint into a virtual environment (pip install .)")
        ok = subprocess.run([sys.executable, "-m", "venv", venv], stdout=subprocess.DEVNULL).returncode == 0
        ok = ok and subprocess.run([py, "-m", "pip", "install", "-q", REPO], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
                                   ).returncode == 0
        if ok:
            KLP_PY, KLP_FROM_TREE = py, False
            return "a virtual environment with `pip install .` of this tree"
        notes["venv"] = "pip install into a virtual environment failed: klplint runs from the tree"
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.join(REPO, "klplint")],
                   env=python_env(), stdout=subprocess.DEVNULL, check=False)
    return "this interpreter, from the tree (PYTHONPATH), bytecode compiled"


def klplint_env(pch_dir: str, cache_dir: str) -> dict:
    env = python_env(KLPLINT_PCH_DIR=pch_dir, KLPLINT_CACHE_DIR=cache_dir)
    for k in ("KLPLINT_STRICT", "KLPLINT_NO_PCH", "KLPLINT_SERVER", "KLPLINT_NO_RERUN"):
        env.pop(k, None)
    return env


def first_module(files: List[str]) -> str:
    """The first file that is a livepatch module: the one-file figures time an analysis (or its
    replay), not the skip of a helper module (the kernel set starts with one, callbacks-busymod)."""
    from klplint.pipeline.collect import is_livepatch_source
    return next((f for f in files if is_livepatch_source(f)), files[0])


def cli_whole_set(files, kdir, runs, pch_dir, work, tools: Dict[str, dict]) -> dict:
    """`klplint check --no-cache` over the whole set, and over one file; and `klplint kbuild-check`
    started once per file with sparse's arguments, the way `make C=2 CHECK=...` runs a checker,
    interleaved with sparse run the same way."""
    env = klplint_env(pch_dir, os.path.join(work, "cli-cache"))
    whole = [run_measured(klplint_cmd(files, kdir, 1, False), env, work) for _ in range(runs)]
    one = [run_measured(klplint_cmd([first_module(files)], kdir, 1, False), env, work) for _ in range(runs)]
    out = {"whole": median([r["wall"] for r in whole]), "whole_rc": whole[0]["rc"],
           "whole_peak_rss": max(r["peak_rss"] for r in whole),
           "one_file": median([r["wall"] for r in one]), "one_file_name": first_module(files),
           "stderr_tail": whole[0]["stderr_tail"]}
    out.update(warm_rerun(files, kdir, runs, pch_dir, work, out["one_file"]))
    sparse_cmds = {f: tools[f]["commands"]["sparse"] for f in files if "sparse" in tools[f].get("commands", {})}
    if kdir and len(sparse_cmds) == len(files):
        out.update(kbuild_per_file(files, runs, sparse_cmds, env, work))
    return out


def kbuild_per_file(files, runs, sparse_cmds: Dict[str, List[str]], env: dict, work: str) -> dict:
    """`klplint kbuild-check` started once per file with exactly sparse's arguments, as make runs a
    checker, interleaved file by file with sparse run the same way: with nothing asked for (the server
    starts itself) and with --no-server. Sums over the files of the per-file medians."""
    # A private runtime folder for the server (the user's own is left alone), stopped at the end.
    runtime = tempfile.mkdtemp(prefix="klr")
    os.chmod(runtime, 0o700)
    env_server = dict(env, XDG_RUNTIME_DIR=runtime, KLPLINT_SERVER_IDLE="600")
    # kbuild_check: exactly what make runs, nothing asked for (the server starts itself on the first
    # call); kbuild_inproc: --no-server, the whole start-up paid per file.
    variants = {"kbuild_check": ([], env_server), "kbuild_inproc": (["--no-server"], env)}
    per: Dict[str, Dict[str, List[float]]] = {k: {f: [] for f in files} for k in [*variants, "sparse"]}
    try:
        for r in range(runs + 1):   # pass 0 builds the PCHs for kbuild's flags and starts the server: not timed
            for f in files:
                for name, (extra, venv) in variants.items():
                    cmd = [KLP_PY, "-m", "klplint", "kbuild-check", "--fail-on", "never", *extra,
                           *sparse_cmds[f][1:]]
                    t = time.perf_counter()
                    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=venv, cwd=work)
                    if r:
                        per[name][f].append(time.perf_counter() - t)
                if r:
                    per["sparse"][f].append(time_cmd(sparse_cmds[f])[0])
            if r == 0:
                time.sleep(3)       # the server warms up in the background
    finally:
        stop_servers(runtime)
    out: dict = {"kbuild_sparse" if name == "sparse" else name: sum(median(xs) for xs in d.values())
                 for name, d in per.items()}
    out["kbuild_per_file"] = {name: {f: median(xs) for f, xs in d.items()} for name, d in per.items()}
    return out


def timed_run(cmd: List[str], env: dict, cwd: str) -> dict:
    """Wall time and exit code only (no memory sampling, whose 10 ms polling would round a 20 ms run)."""
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    return {"wall": time.perf_counter() - t, "rc": p.returncode}


def warm_rerun(files, kdir, runs, pch_dir, work, cold_one) -> dict:
    """`klplint check` over the set with the result cache: the run that fills it, the first rerun
    (served by the result cache; it leaves the replay record, klplint/rerun.py) and the later reruns
    (replayed); and one file rerun, beside the interpreter's own `python -c pass`, interleaved."""
    env = klplint_env(pch_dir, os.path.join(work, "rerun-cache"))
    cmd = klplint_cmd(files, kdir, 1, True)
    fill = timed_run(cmd, env, work)
    first = timed_run(cmd, env, work)
    later = [timed_run(cmd, env, work) for _ in range(runs)]
    one_cmd = klplint_cmd([first_module(files)], kdir, 1, True)
    timed_run(one_cmd, env, work)
    timed_run(one_cmd, env, work)
    one, bare = [], []
    for _ in range(max(runs, 5) * 2):
        one.append(timed_run(one_cmd, env, work)["wall"])
        bare.append(timed_run([KLP_PY, "-c", "pass"], env, work)["wall"])
    return {"rerun_fill": fill["wall"], "rerun_first": first["wall"],
            "rerun_replayed": median([r["wall"] for r in later]), "rerun_rc": sorted({r["rc"] for r in later}),
            "rerun_one": median(one), "python_pass": median(bare), "rerun_one_cold": cold_one}


def stop_servers(runtime: str) -> None:
    from klplint.cli.kbuild_server import stop_servers as stop
    stop(runtime)
    shutil.rmtree(runtime, ignore_errors=True)


def startup_time(runs: int, cmd: List[str]) -> float:
    xs = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=python_env())
        xs.append(time.perf_counter() - t)
    return median(xs)


# ------------------------------------------------------------------ (c) scaling

def result_cache_status(work: str, pch_dir: str, sample: List[str], kdir: Optional[str]) -> dict:
    """Is there a result cache? klplint/cache.py importable, and a default run writes into
    $KLPLINT_CACHE_DIR (and --no-cache does not)."""
    cache_dir = os.path.join(work, "probe-cache")
    env = klplint_env(pch_dir, cache_dir)
    run_measured(klplint_cmd(sample, kdir, 1, True), env, work)
    wrote = os.path.isdir(cache_dir) and any(os.scandir(cache_dir))
    module = importlib.util.find_spec("klplint.pipeline.cache") is not None
    legacy = os.path.isdir(os.path.join(work, ".klplint_cache"))
    return {"module": module, "writes": wrote or legacy, "dir": cache_dir if wrote else
            (os.path.join(work, ".klplint_cache") if legacy else None)}


def scaling(files: List[str], sizes: List[int], jobs_list: List[int], runs: int, kdir: Optional[str],
            pch_dir: str, work: str, cache_status: dict) -> List[dict]:
    rows = []
    for n in sizes:
        subset = files[:n]
        for jobs in jobs_list:
            env_cold = klplint_env(pch_dir, os.path.join(work, f"cache-cold-{n}-{jobs}"))
            cold = []
            for _ in range(runs):
                cold.append(run_measured(klplint_cmd(subset, kdir, jobs, False), env_cold, work))
            log(f"n={n} jobs={jobs} cold: {median([r['wall'] for r in cold]):.2f} s")
            rows.append(_row(n, jobs, "cold (--no-cache)", cold))
            cache_dir = os.path.join(work, f"cache-warm-{n}-{jobs}")
            env_warm = klplint_env(pch_dir, cache_dir)
            fill = run_measured(klplint_cmd(subset, kdir, jobs, True), env_warm, work)
            # without a result cache a warm run is a cold one: one run shows it, more would only cost time
            warm_runs = runs if cache_status["writes"] else 1
            warm = [run_measured(klplint_cmd(subset, kdir, jobs, True), env_warm, work) for _ in range(warm_runs)]
            log(f"n={n} jobs={jobs} warm: {median([r['wall'] for r in warm]):.2f} s (fill {fill['wall']:.2f} s)")
            row = _row(n, jobs, "warm (cache filled)" if cache_status["writes"] else "warm (no cache: = cold)", warm)
            row["fill_wall"] = fill["wall"]
            rows.append(row)
            shutil.rmtree(cache_dir, ignore_errors=True)
    return rows


def _row(n, jobs, mode, rs) -> dict:
    walls = [r["wall"] for r in rs]
    return {"files": n, "jobs": jobs, "mode": mode, "wall": median(walls), "walls": walls,
            "per_file_ms": median(walls) / n * 1000, "peak_rss": max(r["peak_rss"] for r in rs),
            "rss_how": rs[0]["rss_how"], "rc": sorted({r["rc"] for r in rs}),
            "stderr_tail": next((r["stderr_tail"] for r in rs if r["rc"] not in (0, 1)), [])}


# ------------------------------------------------------------------ report

def fmt_ms(x) -> str:
    return "-" if x is None or x != x else f"{x * 1000:8.1f}"


def fmt_ratio(a, b) -> str:
    if a is None or b is None or a != a or b != b or not b:
        return "-"
    return f"{a / b:6.2f}x"


def set_table(title: str, files: List[str], tools: Dict[str, dict], klp: dict, cli: dict) -> List[str]:
    lines = [title, ""]
    head = (f"{'file':34} {'clang-fs':>8} {'sparse':>8} | {'parse':>8} {'extract':>8} {'rules':>8} {'engine':>8}"
            f" {'klplint':>8} | {'noPCH':>8} | {'klp/sparse':>10} {'klp/clang':>9}")
    lines += [head, "-" * len(head)]
    tot = {k: 0.0 for k in ("clang", "sparse", "parse", "extract", "rules", "engine", "total", "parse_no_pch")}
    have = {k: True for k in tot}
    for f in files:
        t, k = tools.get(f, {}), klp["per_file"][f]
        row = {"clang": t.get("clang"), "sparse": t.get("sparse"), **{x: k.get(x) for x in
                                                                     ("parse", "extract", "rules", "engine", "total", "parse_no_pch")}}
        for key, v in row.items():
            if v is None:
                have[key] = False
            else:
                tot[key] += v
        mark = ""
        if t.get("clang_rc"):
            mark += " c!"
        if t.get("sparse_rc"):
            mark += " s!"
        if k.get("errors"):
            mark += " k!"
        name = os.path.basename(f)
        lines.append(f"{name[:34]:34} {fmt_ms(row['clang'])} {fmt_ms(row['sparse'])} | {fmt_ms(row['parse'])}"
                     f" {fmt_ms(row['extract'])} {fmt_ms(row['rules'])} {fmt_ms(row['engine'])} {fmt_ms(row['total'])}"
                     f" | {fmt_ms(row['parse_no_pch'])} | {fmt_ratio(row['total'], row['sparse']):>10}"
                     f" {fmt_ratio(row['total'], row['clang']):>9}{mark}")
    T = {k: (v if have[k] else None) for k, v in tot.items()}
    lines.append("-" * len(head))
    lines.append(f"{'TOTAL (' + str(len(files)) + ' files)':34} {fmt_ms(T['clang'])} {fmt_ms(T['sparse'])} | {fmt_ms(T['parse'])}"
                 f" {fmt_ms(T['extract'])} {fmt_ms(T['rules'])} {fmt_ms(T['engine'])} {fmt_ms(T['total'])}"
                 f" | {fmt_ms(T['parse_no_pch'])} | {fmt_ratio(T['total'], T['sparse']):>10} {fmt_ratio(T['total'], T['clang']):>9}")
    lines.append("")
    lines.append("  times in ms, median per file; clang-fs = clang -fsyntax-only (the parse floor), a fresh process per")
    lines.append("  file like sparse; klplint = analyze_file in one warm process (parse+extract+rules+engine) after the")
    lines.append("  one-time header preparation; noPCH = klplint's parse with KLPLINT_NO_PCH=1. Marks: c!/s!/k! = clang,")
    lines.append("  sparse or klplint reported an error on that file.")
    if T["clang"]:
        lines.append(f"  ratio to the floor (sum of medians / clang -fsyntax-only): sparse {fmt_ratio(T['sparse'], T['clang'])},"
                     f" klplint parse {fmt_ratio(T['parse'], T['clang'])}, klplint total {fmt_ratio(T['total'], T['clang'])}")
    fp = klp["first_pass"]
    lines.append(f"  first pass with an empty PCH cache (one-time header preparation, {fp['pch_built']} PCH(s) built,"
                 f" {klp['pch_stats'].get('prefix', 0)} parse(s) through a PCH chained onto a shared prefix's over all passes):"
                 f" {fp['total']:.2f} s for {len(files)} files; libclang load {klp['libclang_load'] * 1000:.0f} ms")
    if cli:
        lines.append(f"  command line, whole set (`klplint check --no-cache`, one process): {cli['whole']:.2f} s ="
                     f" {cli['whole'] / len(files) * 1000:.1f} ms/file (exit {cli['whole_rc']},"
                     f" peak RSS {cli['whole_peak_rss'] / 2**20:.0f} MB); one file per process"
                     f" ({os.path.basename(cli['one_file_name'])}): {cli['one_file'] * 1000:.0f} ms")
        if "rerun_replayed" in cli:
            lines.append(f"  `klplint check` with the result cache: filling it {cli['rerun_fill']:.2f} s; first rerun"
                         f" {cli['rerun_first'] * 1000:.0f} ms; later reruns (replayed) {cli['rerun_replayed'] * 1000:.0f} ms"
                         f" (exit {cli['rerun_rc']}); one file rerun {cli['rerun_one'] * 1000:.0f} ms beside"
                         f" `python -c pass` {cli['python_pass'] * 1000:.0f} ms")
        if "kbuild_check" in cli:
            n = len(files)
            lines.append(f"  one process per file, as `make C=2 CHECK=...` runs a checker: sparse"
                         f" {cli['kbuild_sparse'] / n * 1000:.0f} ms/file; `klplint kbuild-check` (default: the"
                         f" server starts itself) {cli['kbuild_check'] / n * 1000:.0f} ms/file"
                         f" ({fmt_ratio(cli['kbuild_check'], cli['kbuild_sparse']).strip()} sparse);"
                         f" `kbuild-check --no-server` {cli['kbuild_inproc'] / n * 1000:.0f} ms/file"
                         f" ({fmt_ratio(cli['kbuild_inproc'], cli['kbuild_sparse']).strip()} sparse)")
    if any("pycparser" in klp["per_file"][f] for f in files):
        pure = [klp["per_file"][f].get("pycparser") for f in files]
        errs = sum(1 for f in files if klp["per_file"][f].get("pycparser_errors"))
        lines.append(f"  pycparser front end (analyze_file_safely, --frontend pycparser): {sum(pure) / len(files) * 1000:.1f}"
                     f" ms/file ({errs} file(s) with a tool error)")
    lines.append(f"  klplint worker peak RSS {klp['peak_rss'] / 2**20:.0f} MB; engine present: {klp['engine_present']}")
    return lines


def scale_table(rows: List[dict], cache_status: dict, prep: Optional[float]) -> List[str]:
    lines = ["(c) generated modules: klplint check, total wall time and peak RSS", ""]
    head = f"{'files':>6} {'jobs':>4}  {'result cache':24} {'wall s':>8} {'ms/file':>8} {'peak RSS MB':>11}  exit"
    lines += [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['files']:>6} {r['jobs']:>4}  {r['mode']:24} {r['wall']:8.2f} {r['per_file_ms']:8.1f}"
                     f" {r['peak_rss'] / 2**20:11.0f}  {','.join(map(str, r['rc']))}")
    lines.append("")
    speed = []
    for r in rows:
        if r["mode"].startswith("warm"):
            cold = next(c for c in rows if c["files"] == r["files"] and c["jobs"] == r["jobs"] and c["mode"].startswith("cold"))
            speed.append(f"{r['files']}/j{r['jobs']}: {cold['wall'] / r['wall']:.1f}x")
    lines.append("  warm-cache speed-up (cold/warm): " + ", ".join(speed))
    if not cache_status["writes"]:
        lines.append("  NOTE: no result cache in this tree (klplint/cache.py "
                     + ("present but nothing was written" if cache_status["module"] else "absent")
                     + "): a 'warm' run does the same work as a cold one.")
    lines.append(f"  peak RSS measured as: {rows[0]['rss_how'] if rows else '-'}; PCH cache prepared beforehand"
                 + (f" ({prep:.2f} s)" if prep is not None else ""))
    for jobs in sorted({r["jobs"] for r in rows}):
        pts = [(r["files"], r["wall"]) for r in rows if r["jobs"] == jobs and r["mode"].startswith("cold")]
        if len(pts) >= 2:
            (n0, w0), (n1, w1) = pts[-2], pts[-1]
            marg = (w1 - w0) / (n1 - n0) * 1000
            lines.append(f"  jobs {jobs}: marginal cost {marg:.1f} ms/file between {n0} and {n1} files"
                         f" (ms/file: " + ", ".join(f"{n}: {w / n * 1000:.1f}" for n, w in pts) + ")")
    return lines


def MAX_PCH_ENTRIES() -> int:
    from klplint.frontend.libclang import pch
    return pch.MAX_ENTRIES


def MAX_PCH_BYTES() -> int:
    from klplint.frontend.libclang import pch
    return pch.MAX_BYTES


def kbuild_table(files: List[str], kb: dict) -> List[str]:
    n = len(files)
    lines = [f"(kbuild) `klplint kbuild-check` started once per file with sparse's arguments, as make runs it ({n} files)",
             f"{'file':<34} {'sparse':>8} {'default':>8} {'--no-server':>12}"]
    per = kb["kbuild_per_file"]
    for f in files:
        lines.append(f"{os.path.basename(f)[:34]:<34} {per['sparse'][f] * 1000:8.1f} {per['kbuild_check'][f] * 1000:8.1f}"
                     f" {per['kbuild_inproc'][f] * 1000:12.1f}")
    lines.append(f"{'TOTAL':<34} {kb['kbuild_sparse'] * 1000:8.1f} {kb['kbuild_check'] * 1000:8.1f}"
                 f" {kb['kbuild_inproc'] * 1000:12.1f}")
    lines.append("  ms, median per file; default = nothing asked for (the warm server starts itself on the first,"
                 " untimed, pass)")
    return lines


def kpatch_set(runs: int, env: dict) -> dict:
    """`klplint check FIX.patch --kernel-src SRC --kernel-dir HDRS --no-cache` on every corpus/kpatch
    diff that applies (bench/kpatch.py's measurement), from the same interpreter as the other sets."""
    sys.path.insert(0, os.path.join(REPO, "tests"))
    try:
        from kpatch_tree import diff_version, headers_dir, kpatch_diffs, kpatch_expectations, kpatch_tree
        diffs = [d for d in kpatch_diffs() if not kpatch_expectations(d.read_text())[1]]
    except Exception as e:  # noqa: BLE001 - no corpus/kpatch or no test helpers: the set is skipped
        return {"rows": [], "skipped": f"{type(e).__name__}: {e}"}
    trees, skipped = {}, {}
    for d in diffs:
        try:
            trees[d] = (kpatch_tree(diff_version(d)), headers_dir(diff_version(d)))
        except Exception as e:  # noqa: BLE001 - that kernel's source or headers are not installed
            skipped[diff_version(d)] = f"{type(e).__name__}: {e}"
    diffs = [d for d in diffs if d in trees]
    rows = []
    for d in diffs:
        src, hdrs = trees[d]
        cmd = [KLP_PY, "-m", "klplint", "check", str(d), "--kernel-src", str(src), "--kernel-dir", str(hdrs), "--no-cache"]
        # untimed: fills the PCHs of that tree, as a second run would find them; a crash is reported
        first = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
        crashed = "Traceback (most recent call last)" in first.stderr or first.returncode not in (0, 1)
        rs = []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = timed_run(cmd, env, REPO)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            r["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            rs.append(r)
        rows.append({"diff": os.path.relpath(d, REPO), "files": d.read_text().count("\n+++ "),
                     "wall": median([r["wall"] for r in rs]), "cpu": median([r["cpu"] for r in rs]), "rc": rs[0]["rc"],
                     "crashed": first.stderr.strip().splitlines()[-1:] if crashed else None})
    return {"rows": rows, "skipped_versions": skipped,
            "wall_median": median([r["wall"] for r in rows]) if rows else None,
            "cpu_median": median([r["cpu"] for r in rows]) if rows else None}


def kpatch_table(kp: dict) -> List[str]:
    if not kp["rows"]:
        return [f"(kpatch) SKIPPED: {kp.get('skipped', 'no diff applies')}"]
    lines = [f"(kpatch) `klplint check FIX.patch --kernel-src ... --kernel-dir ... --no-cache`, {len(kp['rows'])} diffs"
             " (PCHs filled by an untimed first run)", f"{'diff':<64} {'files':>5} {'wall s':>7} {'cpu s':>7} exit"]
    for r in kp["rows"]:
        lines.append(f"{r['diff'][-64:]:<64} {r['files']:>5} {r['wall']:7.2f} {r['cpu']:7.2f} {r['rc']:>4}"
                     + (f"  TOOL ERROR: {r['crashed'][0] if r['crashed'] else ''}" if r.get("crashed") is not None else ""))
    lines.append(f"  median per patch: wall {kp['wall_median']:.2f} s, CPU {kp['cpu_median']:.2f} s")
    for version, why in kp.get("skipped_versions", {}).items():
        lines.append(f"  NOTE: the linux-{version} diffs are not timed: {why}")
    return lines


def _sum(per: dict, key: str) -> Optional[float]:
    xs = [d.get(key) for d in per.values()]
    return None if not xs or any(x is None for x in xs) else sum(xs)


def targets_table(data: dict) -> List[str]:
    """Issue 15's targets, each figure beside its comparison, from this run's figures."""
    lines = ["Targets (figures from this run)", ""]

    def row(name, figure, target, met):
        lines.append(f"  {'MET ' if met else 'MISS' if met is not None else '  - '} {name}: {figure} (target {target})")
    k = data["sets"].get("kernel")
    if k:
        cli, per, n = k["cli"], k["klplint"]["per_file"], len(k["klplint"]["per_file"])
        if "kbuild_check" in cli:
            r = cli["kbuild_check"] / cli["kbuild_sparse"]
            row("kbuild-check once per file, by default (server starts itself)",
                f"{cli['kbuild_check'] / n * 1000:.0f} ms/file vs sparse {cli['kbuild_sparse'] / n * 1000:.0f} ms/file ="
                f" {r:.2f}x; --no-server {cli['kbuild_inproc'] / n * 1000:.0f} ms/file"
                f" = {cli['kbuild_inproc'] / cli['kbuild_sparse']:.2f}x", "<= 1.0x sparse", r <= 1.0)
        if "rerun_replayed" in cli:
            sp = cli["whole"] / cli["rerun_replayed"]
            row("warm rerun, nothing changed, 17 files",
                f"cold {cli['whole']:.2f} s / replayed {cli['rerun_replayed'] * 1000:.0f} ms = {sp:.0f}x"
                f" (first rerun, from the result cache: {cli['rerun_first'] * 1000:.0f} ms ="
                f" {cli['whole'] / cli['rerun_first']:.1f}x)", ">= 20x", sp >= 20)
            own = cli["rerun_one"] - cli["python_pass"]
            row("klplint's own start-up, warm rerun of one file",
                f"{cli['rerun_one'] * 1000:.0f} ms - `python -c pass` {cli['python_pass'] * 1000:.0f} ms = {own * 1000:.0f} ms",
                "< 50 ms", own < 0.050)
        tot, spr = _sum(per, "total"), _sum(k["tools"], "sparse")
        if tot is not None and spr:
            row("cold, one process, per file (17 kernel modules)",
                f"{tot / n * 1000:.0f} ms/file vs sparse {spr / n * 1000:.0f} ms/file = {tot / spr:.2f}x;"
                f" `check --no-cache` over the set {cli['whole'] / n * 1000:.0f} ms/file ="
                f" {cli['whole'] / spr:.2f}x", "<= 0.5x sparse", tot / spr <= 0.5)
        pp, npp = _sum(per, "parse"), _sum(per, "parse_no_pch")
        if pp and npp:
            row("PCH gain on the 17 kernel modules", f"parse {pp / n * 1000:.0f} ms/file vs {npp / n * 1000:.0f}"
                f" without = {npp / pp:.1f}x", "(the reference for the tree)", None)
        pure = _sum(per, "pycparser")
        if pure is not None:
            errs = sum(1 for d in per.values() if d.get("pycparser_errors"))
            row("pycparser front end, 17 kernel modules", f"{pure / n * 1000:.0f} ms/file end to end"
                f" ({errs} file(s) with a tool error)", "in the bench", None)
    t = data["sets"].get("tree")
    if t:
        per, n = t["klplint"]["per_file"], len(t["klplint"]["per_file"])
        pp, npp = _sum(per, "parse"), _sum(per, "parse_no_pch")
        if pp and npp:
            ok = None                # judged against set (b)'s gain, when it is in the same run
            if k is not None and _sum(k["klplint"]["per_file"], "parse") and _sum(k["klplint"]["per_file"], "parse_no_pch"):
                ok = npp / pp >= 0.5 * (_sum(k["klplint"]["per_file"], "parse_no_pch") / _sum(k["klplint"]["per_file"], "parse")) \
                    and t["klplint"]["pch_files"] <= MAX_PCH_ENTRIES() \
                    and t["klplint"].get("pch_bytes", 0) <= MAX_PCH_BYTES()
            row(f"PCH gain on {n} modules with {n} different include lists",
                f"parse {pp / n * 1000:.0f} ms/file vs {npp / n * 1000:.0f} without = {npp / pp:.1f}x with"
                f" {t['klplint']['pch_files']} PCHs, {t['klplint'].get('pch_bytes', 0) / 2**20:.0f} MB"
                f" (first pass {t['klplint']['first_pass']['total']:.1f} s)",
                "holds: at least half the 17 files' gain, PCHs within the cache", ok)
    kb = data["sets"].get("kbuild")
    if kb and "kbuild_check" in kb:
        n = len(kb["kbuild_per_file"]["sparse"])
        r = kb["kbuild_check"] / kb["kbuild_sparse"]
        row(f"kbuild-check once per file, by default (set kbuild, {n} kernel modules)",
            f"{kb['kbuild_check'] / n * 1000:.0f} ms/file vs sparse {kb['kbuild_sparse'] / n * 1000:.0f} ms/file ="
            f" {r:.2f}x; --no-server {kb['kbuild_inproc'] / n * 1000:.0f} ms/file"
            f" = {kb['kbuild_inproc'] / kb['kbuild_sparse']:.2f}x", "<= 1.0x sparse", r <= 1.0)
    kp = data["sets"].get("kpatch")
    if kp and kp.get("rows"):
        row(f"kpatch path, {len(kp['rows'])} fix diffs (`klplint check FIX.patch --kernel-src`)",
            f"median {kp['wall_median']:.2f} s wall, {kp['cpu_median']:.2f} s CPU per patch", "in the bench", None)
    c = data["sets"].get("corpus")
    if c:
        per, n = c["klplint"]["per_file"], len(c["klplint"]["per_file"])
        pure = _sum(per, "pycparser")
        if pure is not None:
            row("pycparser front end, corpus (bundled headers)", f"{pure / n * 1000:.1f} ms/file vs libclang"
                f" {_sum(per, 'total') / n * 1000:.1f} ms/file", "in the bench", None)
    for key, label in (("corpus", "corpus"), ("kernel", "17 kernel modules"), ("tree", "generated tree")):
        got = data["sets"].get(key)
        if got:
            r = engine_below_parse(got["klplint"]["per_file"])
            if r is not None:
                row(f"engine time per file below parse time ({label})", r[0], "engine < parse, per file on average", r[1])
    lines.append("")
    return lines


def engine_below_parse(per: dict) -> Optional[tuple]:
    """Issue 12's figure: the lifecycle engine (symbolic execution and its checks) costs less than the
    parse, per file on average; the files where it does not (those written to exhaust the engine's
    budget, KLP213) are counted beside. Returns (the figure as text, met) or None without the columns."""
    rows = [(f, d["engine"], d["parse"]) for f, d in per.items()
            if d.get("engine") is not None and d.get("parse")]
    if not rows:
        return None
    over = [(f, e / p) for f, e, p in rows if e >= p]
    worst_f, worst_r = max(((f, e / p) for f, e, p in rows), key=lambda x: x[1])
    eng, par = sum(e for _, e, _ in rows), sum(p for _, _, p in rows)
    text = (f"engine {eng / len(rows) * 1000:.1f} ms/file vs parse {par / len(rows) * 1000:.1f} ms/file"
            f" = {eng / par:.2f}x; {len(over)} of {len(rows)} files with engine >= parse (highest"
            f" {os.path.basename(worst_f)} {worst_r:.2f}x)")
    return text, eng < par


# ------------------------------------------------------------------ main

def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "_phases":
        worker_phases(sys.argv[2:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (median); default 5")
    ap.add_argument("--scale", default="10,100,1000", help="generated set sizes (default 10,100,1000; '' skips)")
    ap.add_argument("--scale-runs", type=int, default=None, help="runs per scaling figure (default: --runs)")
    ap.add_argument("--jobs", default="1,2", help="--jobs values for the scaling runs (default 1,2)")
    ap.add_argument("--sets", default="corpus,kernel,tree,scale,kpatch,explode",
                    help="which of corpus,kernel,tree,scale,kbuild,kpatch,explode to run (kbuild: only"
                         " kbuild-check once per file beside sparse, which set (b) also measures)")
    ap.add_argument("--pycparser-kernel", action="store_true",
                    help="also time the pycparser front end on set (b) (pure Python on ~550 kernel headers: seconds"
                         " per file; it is always timed on the corpus)")
    ap.add_argument("--tree-runs", type=int, default=1,
                    help="runs for set (d) (default 1: its figure is klplint's own parse with and without PCH)")
    ap.add_argument("--tree", type=int, default=64,
                    help="modules in the real-world-sized tree, each with its own include list (default 64)")
    ap.add_argument("--kernel-dir", default=None, help="kbuild tree (default: the newest /usr/src/linux-headers-*-amd64)")
    ap.add_argument("--json", metavar="FILE", default=None, help="also write every figure as JSON")
    ap.add_argument("--no-install", action="store_true", help="never apt-get install missing tools")
    ap.add_argument("--no-venv", action="store_true",
                    help="run klplint's command lines from this tree and interpreter, not from a fresh `pip install .`")
    ap.add_argument("--quick", action="store_true", help="1 run, sizes 10,100 (a smoke test, not figures)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (generated modules, caches)")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.scale = 1, "10,100"
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    scale_runs = args.scale_runs or args.runs
    sizes = [int(x) for x in args.scale.split(",") if x.strip()]
    jobs_list = [int(x) for x in args.jobs.split(",") if x.strip()]

    notes = ensure_tools(bool({"kernel", "scale", "kbuild", "kpatch"} & set(sets)), not args.no_install)
    kdir = kernel_dir(args.kernel_dir)
    work = tempfile.mkdtemp(prefix="klplint-bench-")
    pch_dir = os.path.join(work, "pch")
    started = datetime.datetime.now().astimezone()
    info = {"date": started.isoformat(timespec="seconds"), "machine": machine(),
            "command": "python " + shlex.join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
            "runs": args.runs, "clang": tool_version(["clang", "--version"]),
            "sparse": tool_version(["sparse", "--version"]), "libclang": libclang_version(),
            "kernel_dir": kdir, "tool_notes": notes}
    try:
        info["git"] = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                                     text=True).stdout.strip() or "not a git checkout"
        if subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                          text=True).stdout.strip():
            info["git"] += " + uncommitted changes"
    except OSError:
        info["git"] = ""
    report: List[str] = []
    m = info["machine"]
    report.append(f"klplint bench, {info['date']} (git {info['git']}), nproc {m['nproc']}, RAM {m['ram_gib']} GiB,"
                  f" {m['cpu']}, Linux {m['kernel']}, Python {m['python']}")
    report.append(f"  {info['clang']}; sparse {info['sparse']}; libclang (klplint) {info['libclang']}")
    report.append(f"  command: {info['command']}; load average at start: {m['loadavg']}")
    how = prepare_interpreter(work, not args.no_venv, notes)
    info["klplint_runs_from"] = how
    report.append(f"  klplint's command lines run from {how}")
    report.append(f"  runs per figure: {args.runs} (median; scaling: {scale_runs}); start-up: that interpreter"
                  f" (`python -c pass`) {startup_time(args.runs, [KLP_PY, '-c', 'pass']) * 1000:.0f} ms,"
                  f" `python -m klplint --version` {startup_time(args.runs, [KLP_PY, '-m', 'klplint', '--version']) * 1000:.0f} ms")
    for n in notes.values():
        report.append("  NOTE: " + n)
    report.append("")
    data = {"info": info, "sets": {}}
    try:
        if "corpus" in sets:
            files = corpus_files()
            log(f"(a) corpus: {len(files)} files")
            tools, klp = measure_set(files, None, args.runs, pch_dir, notes)
            cli = cli_whole_set(files, None, args.runs, pch_dir, work, tools)
            report += set_table(f"(a) corpus ({len(files)} files), klplint's bundled headers (flags.BUNDLED_FLAGS)",
                                files, tools, klp, cli) + [""]
            data["sets"]["corpus"] = {"tools": tools, "klplint": klp, "cli": cli}
        if "kernel" in sets:
            if not kdir:
                report.append("(b) kernel modules: SKIPPED, no kernel headers (apt-get install linux-headers-amd64)")
            else:
                try:
                    files = kernel_files()
                except Exception as e:  # noqa: BLE001
                    files = []
                    report.append(f"(b) kernel modules: SKIPPED ({e})")
                if files:
                    log(f"(b) kernel modules: {len(files)} files, --kernel-dir {kdir}")
                    tools, klp = measure_set(files, kdir, args.runs, pch_dir, notes, pycparser=args.pycparser_kernel)
                    cli = cli_whole_set(files, kdir, args.runs, pch_dir, work, tools)
                    report += set_table(f"(b) the kernel's livepatch modules ({len(files)} files), --kernel-dir {kdir}"
                                        " (kbuild's flags)", files, tools, klp, cli) + [""]
                    data["sets"]["kernel"] = {"tools": tools, "klplint": klp, "cli": cli}
        if "tree" in sets and args.tree:
            if not kdir:
                report.append("(d) real-world-sized tree: SKIPPED, no kernel headers")
            else:
                from generate import generate
                tfiles = generate(os.path.join(work, "tree"), args.tree, distinct_includes=True)
                tree_pch = os.path.join(work, "pch-tree")    # its own PCH folder: its own one-time preparation
                log(f"(d) tree: {len(tfiles)} generated modules, each with its own include list")
                tools, klp = measure_set(tfiles, kdir, args.tree_runs, tree_pch, notes, pycparser=False, tools_too=False)
                pchs = [os.path.join(tree_pch, n) for n in os.listdir(tree_pch) if n.endswith(".pch")] \
                    if os.path.isdir(tree_pch) else []
                klp["pch_files"] = len(pchs)
                klp["pch_bytes"] = sum(os.path.getsize(p) for p in pchs)
                report += set_table(f"(d) a real-world-sized tree: {len(tfiles)} generated modules, each including a"
                                    f" different list of kernel headers, --kernel-dir {kdir}", tfiles, tools, klp, {})
                chains = klp["pch_stats"].get("chains_built", 0)
                report.append(f"  PCHs in the cache after the set: {klp['pch_files']} ({chains} built chained onto a"
                              f" shared prefix's), {klp['pch_bytes'] / 2**20:.0f} MB, for {len(tfiles)} different include"
                              f" lists (the cache keeps {MAX_PCH_ENTRIES()} and {MAX_PCH_BYTES() >> 20} MB)")
                report.append("")
                data["sets"]["tree"] = {"tools": tools, "klplint": klp}
        if "kbuild" in sets:
            if not kdir:
                report.append("(kbuild) kbuild-check per file: SKIPPED, no kernel headers")
            else:
                files = kernel_files()
                log(f"(kbuild) kbuild-check once per file beside sparse: {len(files)} kernel modules")
                kb = kbuild_per_file(files, args.runs, {f: tool_commands(f, kdir)["sparse"] for f in files},
                                     klplint_env(pch_dir, os.path.join(work, "kbuild-cache")), work)
                report += kbuild_table(files, kb) + [""]
                data["sets"]["kbuild"] = kb
        if "kpatch" in sets:
            log("(kpatch) klplint check FIX.patch --kernel-src, every applicable corpus/kpatch diff")
            kp = kpatch_set(args.runs, klplint_env(os.path.join(work, "pch-kpatch"), os.path.join(work, "kpatch-cache")))
            report += kpatch_table(kp) + [""]
            data["sets"]["kpatch"] = kp
        if "scale" in sets and sizes:
            from generate import generate
            gen = generate(os.path.join(work, "generated"), max(sizes))
            mode_kdir = kdir
            log(f"(c) generated {len(gen)} modules; header mode: {'--kernel-dir ' + kdir if kdir else 'bundled'}")
            t = time.perf_counter()
            prep = run_measured(klplint_cmd(gen[:8], mode_kdir, 1, False), klplint_env(pch_dir, os.path.join(work, "prep")), work)
            prep_wall = time.perf_counter() - t
            status = result_cache_status(work, pch_dir, gen[:3], mode_kdir)
            rows = scaling(gen, sizes, jobs_list, scale_runs, mode_kdir, pch_dir, work, status)
            report += scale_table(rows, status, prep_wall)
            report.append(f"  header mode: {'--kernel-dir ' + kdir if kdir else 'bundled headers'}; runs per figure: {scale_runs};"
                          f" exit codes: 0 clean, 1 findings, 2 errors (prep run exit {prep['rc']})")
            report.append("")
            data["sets"]["scale"] = {"rows": rows, "result_cache": status, "prep_wall": prep_wall,
                                     "kernel_dir": mode_kdir}
        if "explode" in sets:
            import explode      # bench/explode.py: the executor's budget on modules shaped to explode
            lines, rows = explode.measure(explode.modules_of([]), runs=args.runs if not args.quick else 1)
            report += ["(e) modules shaped to explode (tests/explode/): seconds and peak memory per module, "
                       "each in a fresh process"] + ["  " + x for x in lines] + [""]
            data["sets"]["explode"] = {"rows": rows}
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    info["loadavg_end"] = loadavg()
    report += targets_table(data)
    report.append(f"load average at the end: {info['loadavg_end']} (other work on the machine inflates every figure alike)")
    text = "\n".join(report)
    print(text)
    data["table"] = text
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
