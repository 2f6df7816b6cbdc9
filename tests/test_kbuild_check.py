"""`klplint kbuild-check` as kbuild's checker: a real `make C=2 CHECK=...` against Debian's headers."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from kbuild_util import kernel_build_dir

from klplint.cli.kbuild_check import split_command

pytestmark = pytest.mark.kernel

# A callbacks-API livepatch module with two real bugs: the funcs array has no terminator (the core
# walks past its end) and the kernel's object is named "vmlinux" (taken for a module that never loads).
MODULE = r"""// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int lp_cmdline_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "this has been live patched");
	return 0;
}

static int lp_pre_patch(struct klp_object *obj)
{
	pr_info("%s: pre_patch\n", obj->name ? obj->name : "vmlinux");
	return 0;
}

static void lp_post_unpatch(struct klp_object *obj)
{
	pr_info("post_unpatch\n");
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_show, },
};

static struct klp_object objs[] = {
	{
		.name = "vmlinux",
		.funcs = funcs,
		.callbacks = {
			.pre_patch = lp_pre_patch,
			.post_unpatch = lp_post_unpatch,
		},
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int livepatch_init(void)
{
	return klp_enable_patch(&patch);
}

static void livepatch_exit(void)
{
}

module_init(livepatch_init);
module_exit(livepatch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

FINDING = re.compile(r"^(\S+?):(\d+):(\d+): (error|warning|note): (.*) \[(KLP\d{3})\](?: \(fixable with --fix\))?$")


def findings(text):
    return sorted((int(m.group(2)), int(m.group(3)), m.group(6), m.group(4), m.group(5))
                  for m in map(FINDING.match, text.splitlines()) if m)


def make(kdir, folder, check, extra=(), env=None):
    return subprocess.run(["make", "-C", kdir, f"M={folder}", "C=2", f"CHECK={check}", *extra],
                          capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture
def module_dir(tmp_path):
    (tmp_path / "lp_cmdline.c").write_text(MODULE)
    (tmp_path / "Makefile").write_text("obj-m += lp_cmdline.o\n")
    return tmp_path


def test_make_c2_runs_klplint_like_sparse_and_matches_check(module_dir):
    kdir = kernel_build_dir()
    checker = f"{sys.executable} -m klplint kbuild-check"
    proc = make(kdir, module_dir, checker)
    out = proc.stdout + proc.stderr
    assert f"CHECK   {module_dir}/lp_cmdline.c" in out, out[-3000:]
    got = findings(proc.stderr)
    assert {f[2] for f in got} == {"KLP101", "KLP107"}, out[-3000:]
    assert proc.returncode != 0            # a failing checker stops the build, as --fail-on says
    assert not (module_dir / "lp_cmdline.ko").exists()

    # the same findings as `klplint check --kernel-dir` on the same file
    direct = subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", "--kernel-dir", kdir,
                             str(module_dir / "lp_cmdline.c")], capture_output=True, text=True, timeout=600)
    assert direct.returncode == 1, direct.stderr
    assert findings(direct.stdout) == got
    assert all(l.startswith(f"{module_dir}/lp_cmdline.c:") for l in proc.stderr.splitlines() if FINDING.match(l))

    # --fail-on never: the findings are reported and the module still builds (sparse's habit)
    proc = make(kdir, module_dir, checker + " --fail-on never")
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert findings(proc.stderr) == got
    assert (module_dir / "lp_cmdline.ko").exists()


def test_clean_module_passes_the_build(module_dir):
    kdir = kernel_build_dir()
    fixed = MODULE.replace('\t\t.name = "vmlinux",\n', "").replace(
        "lp_cmdline_show, },\n};", "lp_cmdline_show, },\n\t{ }\n};")
    (module_dir / "lp_cmdline.c").write_text(fixed)
    proc = make(kdir, module_dir, f"{sys.executable} -m klplint kbuild-check --fail-on note")
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert findings(proc.stderr) == []
    assert (module_dir / "lp_cmdline.ko").exists()


def test_sparse_checkflags_and_dangerous_flags_are_dropped():
    args = ["-D__linux__", "-Dlinux", "-D__STDC__", "-Dunix", "-D__unix__", "-Wbitwise", "-Wno-return-void",
            "-Wno-unknown-attribute", "-D__x86_64__", "--arch=x86", "-mlittle-endian", "-m64",
            "-Wp,-MMD,/tmp/x/.lp.o.d", "-nostdinc", "-I./include", "-include", "./include/linux/kconfig.h",
            "-Xclang", "-load", "-Xclang", "/tmp/evil.so", "-fplugin=/tmp/evil.so", "-D__KERNEL__",
            "-DKBUILD_BASENAME=\"lp\"", "-DKBUILD_MODNAME=\"lp_cmdline\"", "-D__KBUILD_MODNAME=kmod_lp_cmdline",
            "/tmp/x/lp_cmdline.c"]
    flags, files, modname = split_command(args)
    assert files == ["/tmp/x/lp_cmdline.c"] and modname == "lp_cmdline"
    assert not {"-D__linux__", "-Dlinux", "-D__STDC__", "-D__x86_64__", "--arch=x86", "-Wbitwise"} & set(flags)
    from klplint.frontend.flags import kbuild_line_to_clang
    clang = kbuild_line_to_clang(flags, "/usr/src/linux-headers")
    assert not any("evil" in a or a in ("-Xclang", "-load") or a.startswith("-fplugin") for a in clang)
    assert "-I/usr/src/linux-headers/include" in clang and "-D__KERNEL__" in clang


def test_no_file_is_a_usage_error():
    r = subprocess.run([sys.executable, "-m", "klplint", "kbuild-check", "-D__KERNEL__", "-nostdinc"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "no C file" in r.stderr


def test_make_with_the_warm_server_reports_the_same(module_dir):
    """CHECK="klplint kbuild-check", nothing asked for: the first call starts the server by itself,
    the later ones are served by it; make sees the same findings and exit status as with
    --no-server."""
    import glob
    import time

    from server_util import private_runtime, stop_servers
    kdir = kernel_build_dir()
    checker = f"{sys.executable} -m klplint kbuild-check --fail-on never"
    plain = make(kdir, module_dir, checker + " --no-server")
    assert plain.returncode == 0, (plain.stdout + plain.stderr)[-3000:]
    runtime = private_runtime()
    env = dict(os.environ, XDG_RUNTIME_DIR=runtime, KLPLINT_SERVER_IDLE="60")
    env.pop("KLPLINT_SERVER", None)            # the tests' default (conftest) is off: make's is on
    try:
        for attempt in range(3):
            served = make(kdir, module_dir, checker, env=env)
            assert served.returncode == 0, (served.stdout + served.stderr)[-3000:]
            assert findings(served.stderr) == findings(plain.stderr) != []
            if attempt == 0:                       # let the server come up before the next builds
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and not glob.glob(os.path.join(runtime, "klplint-*", "*.sock")):
                    time.sleep(0.1)
        assert glob.glob(os.path.join(runtime, "klplint-*", "*.sock"))
    finally:
        stop_servers(runtime)
