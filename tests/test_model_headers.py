"""klplint's bundled model kernel headers (klplint/frontend/include).

They must
  * each compile on their own with clang and gcc, -Wall -Wextra, without a diagnostic;
  * carry the kernel's own livepatch samples and test modules (linux-source-6.1) through both
    compilers without a diagnostic;
  * carry a representative livepatch module of each API generation (hooks, callbacks);
  * expand MODULE_INFO, module_init/module_exit and friends to the shapes klplint's extractor
    reads, and keep the kernel API names as calls;
  * stay plain C99 plus __attribute__((...)) for the pure-Python front end (pcpp + pycparser).
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "klplint" / "frontend" / "include"
HEADERS = sorted(p.relative_to(INCLUDE).as_posix() for p in INCLUDE.rglob("*.h"))
COMPILERS = ("clang", "gcc")
BASE_FLAGS = ["-fsyntax-only", "-nostdinc", "-isystem", str(INCLUDE), "-D__KERNEL__", "-DMODULE",
              "-std=gnu11"]

# The kernel's livepatch modules in linux-source-6.1 (test_klp_state3.c includes
# "test_klp_state2.c", so they are compiled where they were extracted, side by side).
KERNEL_MODULES = [
    "samples/livepatch/livepatch-callbacks-busymod.c",
    "samples/livepatch/livepatch-callbacks-demo.c",
    "samples/livepatch/livepatch-callbacks-mod.c",
    "samples/livepatch/livepatch-sample.c",
    "samples/livepatch/livepatch-shadow-fix1.c",
    "samples/livepatch/livepatch-shadow-fix2.c",
    "samples/livepatch/livepatch-shadow-mod.c",
    "lib/livepatch/test_klp_atomic_replace.c",
    "lib/livepatch/test_klp_callbacks_busy.c",
    "lib/livepatch/test_klp_callbacks_demo.c",
    "lib/livepatch/test_klp_callbacks_demo2.c",
    "lib/livepatch/test_klp_callbacks_mod.c",
    "lib/livepatch/test_klp_livepatch.c",
    "lib/livepatch/test_klp_shadow_vars.c",
    "lib/livepatch/test_klp_state.c",
    "lib/livepatch/test_klp_state2.c",
    "lib/livepatch/test_klp_state3.c",
]


def compiler(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is required to check the model headers and is not on PATH"
    return path


def compile_c(cc: str, source: Path, *extra: str, cwd: Path = None) -> subprocess.CompletedProcess:
    return subprocess.run([compiler(cc), *BASE_FLAGS, *extra, str(source)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def assert_clean(proc: subprocess.CompletedProcess, what: str) -> None:
    diagnostics = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0 and not diagnostics, f"{what}:\n{diagnostics}"


def preprocess(source: str, tmp_path: Path, *extra: str) -> str:
    f = tmp_path / "expand.c"
    f.write_text(source)
    proc = subprocess.run([compiler("clang"), "-E", "-P", *BASE_FLAGS[1:], *extra, str(f)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return re.sub(r"\s+", " ", proc.stdout)


# ------------------------------------------------------------------------------ the files


def test_bundle_is_not_empty():
    for required in ("linux/livepatch.h", "linux/module.h", "linux/kernel.h", "linux/slab.h",
                     "linux/printk.h", "linux/init.h", "linux/moduleparam.h", "linux/spinlock.h",
                     "linux/mutex.h", "linux/workqueue.h", "linux/seq_file.h", "linux/sched.h"):
        assert required in HEADERS


@pytest.mark.parametrize("header", HEADERS)
def test_header_marker_and_guard(header):
    text = (INCLUDE / header).read_text()
    lines = text.splitlines()
    assert lines[0].startswith("/*") and lines[0].endswith("*/"), "first line: a one-line comment"
    assert "klplint model header" in lines[0] and f"<{header}>" in lines[0]
    m = re.match(r"#ifndef (\w+)\n#define (\w+)\n", "\n".join(lines[1:3]) + "\n")
    assert m and m.group(1) == m.group(2), "an include guard right after the comment"
    assert lines[-1].startswith("#endif")


def test_include_guards_are_unique():
    guards = [re.search(r"^#ifndef (\w+)", (INCLUDE / h).read_text(), re.M).group(1) for h in HEADERS]
    assert len(guards) == len(set(guards))


def _code(text: str) -> str:
    """The text without comments, #include lines and string literals."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^\s*#\s*include\b[^\n]*", " ", text, flags=re.M)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


# no_free_ptr() and rcu_replace_pointer() hand out the value and overwrite the variable in one
# expression, as the kernel's do: a statement expression with __auto_type (both front ends read
# them: tests/test_gnu_constructs.py).
GNU_ALLOWED = {"linux/cleanup.h": {r"\(\{", r"\b__auto_type\b"},
               "linux/rcupdate.h": {r"\(\{", r"\b__auto_type\b"}}


@pytest.mark.parametrize("header", HEADERS)
def test_header_avoids_constructs_the_pure_c_front_end_cannot_read(header):
    code = _code((INCLUDE / header).read_text())
    for bad in (r"\btypeof\b", r"\b__typeof__\b", r"\(\{", r"\basm\b", r"\b__asm__\b",
                r"\b_Static_assert\b", r"\b_Generic\b", r"\b__extension__\b", r"\b__auto_type\b",
                r"\b_Noreturn\b", r"\b__builtin_offsetof\b"):
        if bad in GNU_ALLOWED.get(header, ()):
            continue
        assert not re.search(bad, code), f"{header} uses {bad}"
    if header != "linux/stdarg.h":  # the one isolated place, with a plain-C alternative
        assert "__builtin_" not in code, f"{header} names a compiler builtin"


# ------------------------------------------------------------------ a. standalone headers


@pytest.mark.parametrize("cc", COMPILERS)
@pytest.mark.parametrize("header", HEADERS)
def test_header_compiles_standalone(header, cc, tmp_path):
    src = tmp_path / "one.c"
    src.write_text(f"#include <{header}>\n")
    assert_clean(compile_c(cc, src, "-Wall", "-Wextra"), f"{cc}: <{header}> alone")


def test_all_headers_together(tmp_path):
    src = tmp_path / "all.c"
    src.write_text("".join(f"#include <{h}>\n" for h in HEADERS))
    for cc in COMPILERS:
        assert_clean(compile_c(cc, src, "-Wall", "-Wextra"), f"{cc}: every header at once")


# ------------------------------------------------------- b. the kernel's livepatch modules


@pytest.mark.kernel
def test_kernel_module_list_is_complete(kernel_source):
    from kernel_source import livepatch_module_sources
    found = sorted(p.relative_to(kernel_source).as_posix()
                   for p in livepatch_module_sources(kernel_source))
    assert found == sorted(KERNEL_MODULES)


@pytest.mark.kernel
@pytest.mark.parametrize("cc", COMPILERS)
@pytest.mark.parametrize("module", KERNEL_MODULES)
def test_kernel_livepatch_module_compiles(kernel_source, module, cc):
    path = kernel_source / module
    assert path.is_file(), f"{module} missing from the extracted kernel source"
    # Compiled where it lies (test_klp_state3.c includes "test_klp_state2.c"); no kbuild
    # defines: the bundle supplies a KBUILD_MODNAME fallback.
    assert_clean(compile_c(cc, path, "-Wall", cwd=path.parent), f"{cc}: {module}")


@pytest.mark.kernel
def test_kernel_modules_read_by_pure_c_front_end(kernel_source):
    for module in KERNEL_MODULES:
        path = kernel_source / module
        pure_c_parse(path.read_text(), str(path))


# ----------------------------------------------- c. representative modules of both eras

HOOKS_ERA_MODULE = r"""
/* A livepatch module for the hooks API (klplint test input, written for these tests). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/seq_file.h>
#include <linux/list.h>

#define SV_HITS 1

struct tracked {
	struct list_head node;
	unsigned long id;
};

static LIST_HEAD(tracked_list);
static DEFINE_MUTEX(tracked_lock);
static DEFINE_SPINLOCK(stats_lock);
static unsigned long retired_hits;
static bool patched_once;

static int hits_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	unsigned long *hits = shadow_data;

	*hits = ctor_data ? *(unsigned long *)ctor_data : 0;
	return 0;
}

static void hits_dtor(void *obj, void *shadow_data)
{
	unsigned long flags;

	spin_lock_irqsave(&stats_lock, flags);
	retired_hits += *(unsigned long *)shadow_data;
	spin_unlock_irqrestore(&stats_lock, flags);
}

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	unsigned long first = 1;
	unsigned long *hits;

	hits = klp_shadow_get_or_alloc(m, SV_HITS, sizeof(*hits), GFP_ATOMIC, hits_ctor, &first);
	if (hits && klp_shadow_get(m, SV_HITS) == hits)
		(*hits)++;
	seq_printf(m, "%s (%lu)\n", "this has been live patched", hits ? *hits : 0UL);
	return 0;
}

static int track_vmlinux(struct klp_object *obj)
{
	struct tracked *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	mutex_lock(&tracked_lock);
	list_add_tail(&t->node, &tracked_list);
	mutex_unlock(&tracked_lock);
	WRITE_ONCE(patched_once, true);
	pr_info("%s: %s\n", __func__, obj->name ? obj->name : "vmlinux");
	return 0;
}

static int check_target(struct klp_object *obj)
{
	if (WARN_ON(obj->mod && obj->mod->state == MODULE_STATE_UNFORMED))
		return -EINVAL;
	pr_info("%s: %s is %s\n", __func__, obj->name,
		obj->mod && obj->mod->state == MODULE_STATE_COMING ? "coming" : "live");
	return 0;
}

static int untrack_all(struct klp_object *obj)
{
	struct tracked *t, *tmp;

	mutex_lock(&tracked_lock);
	list_for_each_entry_safe(t, tmp, &tracked_list, node) {
		list_del(&t->node);
		kfree(t);
	}
	mutex_unlock(&tracked_lock);
	klp_shadow_free_all(SV_HITS, hits_dtor);
	pr_info("%s: patched_once=%d retired=%lu\n", __func__, READ_ONCE(patched_once), retired_hits);
	return 0;
}

static struct klp_hook vmlinux_patch_hooks[] = {
	{ .hook = track_vmlinux },
	{ }
};

static struct klp_hook vmlinux_unpatch_hooks[] = {
	{ .hook = untrack_all },
	{ }
};

static struct klp_hook target_patch_hooks[] = {
	{ .hook = check_target },
	{ }
};

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
		.old_sympos = 0,
		.immediate = false,
	}, { }
};

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		/* name == NULL: vmlinux */
		.funcs = funcs,
		.patch_hooks = vmlinux_patch_hooks,
		.unpatch_hooks = vmlinux_unpatch_hooks,
	}, {
		.name = "target_mod",
		.funcs = no_funcs,
		.patch_hooks = target_patch_hooks,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.immediate = false,
};

static int __init livepatch_hooks_init(void)
{
	int ret;

	ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret) {
		WARN_ON(klp_unregister_patch(&patch));
		return ret;
	}
	return 0;
}

static void __exit livepatch_hooks_exit(void)
{
	WARN_ON(klp_unregister_patch(&patch));
}

module_init(livepatch_hooks_init);
module_exit(livepatch_hooks_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_AUTHOR("klplint tests");
MODULE_DESCRIPTION("hooks-era livepatch");
"""

CALLBACKS_ERA_MODULE = r"""
/* A livepatch module for the callbacks API with states (klplint test input). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>

#define SV_EXTRA        2
#define COUNTER_STATE   7
#define COUNTER_VERSION 2

struct extra {
	unsigned long stamp;
	char tag[16];
};

struct counter_state {
	unsigned long value;
};

static DEFINE_MUTEX(state_lock);
static DEFINE_SPINLOCK(extra_lock);
static unsigned long live_extras;
static bool verbose;
module_param(verbose, bool, 0644);
MODULE_PARM_DESC(verbose, "log every callback");

static struct klp_patch patch;

static int extra_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct extra *e = shadow_data;
	unsigned long flags;

	if (!ctor_data)
		return -EINVAL;
	e->stamp = *(unsigned long *)ctor_data;
	spin_lock_irqsave(&extra_lock, flags);
	live_extras++;
	spin_unlock_irqrestore(&extra_lock, flags);
	return 0;
}

static void extra_dtor(void *obj, void *shadow_data)
{
	unsigned long flags;

	spin_lock_irqsave(&extra_lock, flags);
	WARN_ON(live_extras == 0);
	live_extras--;
	spin_unlock_irqrestore(&extra_lock, flags);
}

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	unsigned long now = jiffies;
	struct extra *e;

	e = klp_shadow_alloc(m, SV_EXTRA, sizeof(*e), GFP_NOWAIT, extra_ctor, &now);
	if (!e)
		e = klp_shadow_get(m, SV_EXTRA);
	seq_printf(m, "%s %lu\n", "this has been live patched", e ? e->stamp : 0UL);
	return 0;
}

static void callback_info(const char *callback, struct klp_object *obj)
{
	if (!READ_ONCE(verbose))
		return;
	if (klp_is_module(obj) && obj->mod)
		pr_info("%s: %s (state %d)\n", callback, obj->mod->name, obj->mod->state);
	else
		pr_info("%s: vmlinux\n", callback);
}

static int pre_patch_callback(struct klp_object *obj)
{
	struct klp_state *state, *prev;
	struct counter_state *cs;

	callback_info(__func__, obj);
	state = klp_get_state(&patch, COUNTER_STATE);
	if (WARN_ON(!state))
		return -EINVAL;
	prev = klp_get_prev_state(COUNTER_STATE);
	if (prev && prev->data) {
		state->data = prev->data;
		return 0;
	}
	cs = kzalloc(sizeof(*cs), GFP_KERNEL);
	if (!cs)
		return -ENOMEM;
	mutex_lock(&state_lock);
	state->data = cs;
	mutex_unlock(&state_lock);
	return 0;
}

static void post_patch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
}

static void pre_unpatch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
	klp_shadow_free_all(SV_EXTRA, extra_dtor);
}

static void post_unpatch_callback(struct klp_object *obj)
{
	struct klp_state *state;

	callback_info(__func__, obj);
	state = klp_get_state(&patch, COUNTER_STATE);
	if (!state)
		return;
	mutex_lock(&state_lock);
	kfree(state->data);
	state->data = NULL;
	mutex_unlock(&state_lock);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = NULL,
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pre_patch_callback,
			.post_patch = post_patch_callback,
			.pre_unpatch = pre_unpatch_callback,
			.post_unpatch = post_unpatch_callback,
		},
	}, { }
};

static struct klp_state states[] = {
	{
		.id = COUNTER_STATE,
		.version = COUNTER_VERSION,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
	.replace = true,
};

static int __init livepatch_callbacks_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit livepatch_callbacks_exit(void)
{
}

module_init(livepatch_callbacks_init);
module_exit(livepatch_callbacks_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("callbacks-era livepatch with a state and shadow variables");
"""

REPRESENTATIVE = {"hooks": HOOKS_ERA_MODULE, "callbacks": CALLBACKS_ERA_MODULE}


@pytest.mark.parametrize("cc", COMPILERS)
@pytest.mark.parametrize("era", sorted(REPRESENTATIVE))
def test_representative_livepatch_compiles(era, cc, tmp_path):
    src = tmp_path / f"livepatch_{era}.c"
    src.write_text(REPRESENTATIVE[era])
    assert_clean(compile_c(cc, src, "-Wall", '-DKBUILD_MODNAME="livepatch_%s"' % era),
                 f"{cc}: {era}-era module")


# --------------------------------------------------------------- the API, exactly typed

API_SHAPE = r"""
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/kthread.h>
#include <linux/err.h>
#include <linux/workqueue.h>

static int hook(struct klp_object *obj) { return 0; }
static void vcb(struct klp_object *obj) { }

static struct klp_func f = { .old_name = "x", .new_func = NULL, .old_sympos = 0, .immediate = 0,
	.old_func = NULL, .old_size = 0, .new_size = 0, .nop = 0, .patched = 0, .transition = 0 };
static struct klp_hook h[] = { { .hook = hook }, { } };
static struct klp_callbacks cbs = { .pre_patch = hook, .post_patch = vcb, .pre_unpatch = vcb,
	.post_unpatch = vcb, .post_unpatch_enabled = 0 };
static struct klp_object o = { .name = NULL, .funcs = &f, .patch_hooks = h, .unpatch_hooks = h,
	.callbacks = { .pre_patch = hook }, .mod = NULL, .dynamic = 0, .patched = 0 };
static struct klp_state s = { .id = 1UL, .version = 1U, .data = NULL };
static struct klp_patch p = { .mod = THIS_MODULE, .objs = &o, .states = &s, .replace = 0,
	.immediate = 0, .enabled = 0, .forced = 0 };

int (*const a1)(struct klp_patch *) = klp_enable_patch;
int (*const a2)(struct klp_patch *) = klp_register_patch;
int (*const a3)(struct klp_patch *) = klp_unregister_patch;
int (*const a4)(struct klp_patch *) = klp_disable_patch;
void *(*const a5)(void *, unsigned long) = klp_shadow_get;
void *(*const a6)(void *, unsigned long, size_t, gfp_t, klp_shadow_ctor_t, void *) = klp_shadow_alloc;
void *(*const a7)(void *, unsigned long, size_t, gfp_t, klp_shadow_ctor_t, void *) = klp_shadow_get_or_alloc;
void (*const a8)(void *, unsigned long, klp_shadow_dtor_t) = klp_shadow_free;
void (*const a9)(unsigned long, klp_shadow_dtor_t) = klp_shadow_free_all;
int (*const b1)(void *, void *, void *) = (klp_shadow_ctor_t)0;
void (*const b2)(void *, void *) = (klp_shadow_dtor_t)0;
struct klp_state *(*const b3)(struct klp_patch *, unsigned long) = klp_get_state;
struct klp_state *(*const b4)(unsigned long) = klp_get_prev_state;
bool (*const b5)(struct klp_object *) = klp_is_module;
int (*const b6)(bool, const char *, ...) = __request_module;
bool (*const b7)(struct module *) = try_module_get;
void (*const b8)(struct module *) = module_put;
struct task_struct *(*const b9)(int (*)(void *), void *, const char *, ...) = kthread_run;
int (*const c1)(int) = __warn_on;
void *(*const c2)(size_t, gfp_t) = kzalloc;
void (*const c3)(const void *) = kfree;
bool (*const c4)(const void *) = IS_ERR;
long (*const c5)(const void *) = PTR_ERR;
void *(*const c6)(long) = ERR_PTR;
bool (*const c7)(struct work_struct *) = schedule_work;
unsigned long (*const c8)(const unsigned int) = msecs_to_jiffies;

char state_values[(MODULE_STATE_LIVE == 0 && MODULE_STATE_COMING == 1 && MODULE_STATE_GOING == 2
		   && MODULE_STATE_UNFORMED == 3) ? 1 : -1];
char name_len[(sizeof(((struct module *)0)->name) == 56) ? 1 : -1];
char gfp_distinct[(GFP_KERNEL != GFP_ATOMIC && GFP_KERNEL != GFP_NOWAIT && GFP_ATOMIC != GFP_NOWAIT
		   && GFP_NOIO != GFP_NOFS && GFP_KERNEL != GFP_NOFS && __GFP_ZERO != __GFP_NOWARN
		   && (GFP_KERNEL & __GFP_DIRECT_RECLAIM) != 0 && (GFP_ATOMIC & __GFP_DIRECT_RECLAIM) == 0
		   && (GFP_NOWAIT & __GFP_DIRECT_RECLAIM) == 0
		   && (GFP_KERNEL & (__GFP_ZERO | __GFP_NOWARN)) == 0
		   && sizeof(gfp_t) == sizeof(unsigned int)) ? 1 : -1];
char initcall_types[(sizeof(initcall_t) == sizeof(int (*)(void))
		     && sizeof(exitcall_t) == sizeof(void (*)(void))) ? 1 : -1];

void *use(void);
void *use(void) { return &p; }
static void *const keep[] = { &cbs, &p };
void *use2(void);
void *use2(void) { return (void *)keep; }
"""


@pytest.mark.parametrize("cc", COMPILERS)
def test_livepatch_api_has_the_documented_shape(cc, tmp_path):
    src = tmp_path / "shape.c"
    src.write_text(API_SHAPE)
    assert_clean(compile_c(cc, src, "-Wall", "-Werror", "-Wno-unused-function",
                           "-Wno-unused-variable"), f"{cc}: API shape")


ERRNO = {"EPERM": 1, "ENOENT": 2, "ESRCH": 3, "EINTR": 4, "EIO": 5, "ENXIO": 6, "E2BIG": 7,
         "ENOEXEC": 8, "EBADF": 9, "ECHILD": 10, "EAGAIN": 11, "ENOMEM": 12, "EACCES": 13,
         "EFAULT": 14, "EBUSY": 16, "EEXIST": 17, "ENODEV": 19, "EINVAL": 22, "ENOSPC": 28,
         "ENOSYS": 38, "EOPNOTSUPP": 95, "ETIMEDOUT": 110, "ENOTSUPP": 524}


def _header_numbers(text: str) -> dict:
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^#define\s+(E[A-Z0-9_]+)\s+(\d+)\b", text, re.M)}


def test_errno_values():
    ours = _header_numbers((INCLUDE / "linux" / "errno.h").read_text())
    for name, value in ERRNO.items():
        assert ours.get(name) == value, name


def test_errno_values_agree_with_real_kernel_headers():
    candidates = sorted(Path("/usr/src").glob("linux-headers-*-common/include")) + [Path("/usr/include")]
    real = {}
    for inc in candidates:
        for rel in ("uapi/asm-generic/errno-base.h", "uapi/asm-generic/errno.h", "linux/errno.h",
                    "asm-generic/errno-base.h", "asm-generic/errno.h"):
            f = inc / rel
            if f.is_file():
                real.update(_header_numbers(f.read_text()))
        if real:
            break
    if not real:
        pytest.skip("no kernel or libc errno headers installed to compare with")
    ours = _header_numbers((INCLUDE / "linux" / "errno.h").read_text())
    wrong = {k: (v, real[k]) for k, v in ours.items() if k in real and real[k] != v}
    assert not wrong, f"(ours, real): {wrong}"


# ------------------------------------------------------------- expansions the analyzer reads


def test_modinfo_shape(tmp_path):
    out = preprocess('#include <linux/module.h>\nMODULE_LICENSE("GPL");\nMODULE_INFO(livepatch, "Y");\n'
                     'MODULE_AUTHOR("a");\nMODULE_DESCRIPTION("d");\nMODULE_VERSION("1.0");\n'
                     'MODULE_ALIAS("x");\n', tmp_path)
    attrs = r'__attribute__\(\(section\("\.modinfo"\), used, aligned\(1\)\)\)'
    for tag, info in (("license", "GPL"), ("livepatch", "Y"), ("author", "a"),
                      ("description", "d"), ("version", "1.0"), ("alias", "x")):
        pattern = (r'static const char __UNIQUE_ID_%s\d+\[\] %s = "%s" "=" "%s";'
                   % (tag, attrs, tag, re.escape(info)))
        assert re.search(pattern, out), f"MODULE_INFO({tag}) expands to:\n{out[-1500:]}"


def test_module_param_shape(tmp_path):
    out = preprocess('#include <linux/module.h>\nstatic int level;\nmodule_param(level, int, 0644);\n'
                     'MODULE_PARM_DESC(level, "how loud");\n', tmp_path)
    assert re.search(r'static const struct kernel_param __param_level __attribute__\(\(section\("__param"\)'
                     r'.*?\.name = "level", \.ops = \(&param_ops_int\), \.perm = \(0644\)', out)
    assert re.search(r'__UNIQUE_ID_leveltype\d+\[\] [^=]*= "parmtype" "=" "level" ":" "int";', out)
    assert re.search(r'__UNIQUE_ID_level\d+\[\] [^=]*= "parm" "=" "level" ":" "how loud";', out)


def test_module_init_exit_shape(tmp_path):
    out = preprocess('#include <linux/module.h>\nstatic int __init my_init(void) { return 0; }\n'
                     'static void __exit my_exit(void) { }\nmodule_init(my_init);\nmodule_exit(my_exit);\n',
                     tmp_path)
    assert 'static int __attribute__((section(".init.text")))' in out
    assert 'static void __attribute__((section(".exit.text")))' in out
    assert ('static inline initcall_t __attribute__((unused)) __inittest(void) { return my_init; } '
            'int init_module(void) __attribute__((alias("my_init")));') in out
    assert ('static inline exitcall_t __attribute__((unused)) __exittest(void) { return my_exit; } '
            'void cleanup_module(void) __attribute__((alias("my_exit")));') in out


def test_section_markers(tmp_path):
    out = preprocess("#include <linux/init.h>\nA __init; B __exit; C __initdata; D __initconst; "
                     "E __exitdata; F __section(\".x\");\n", tmp_path)
    for name, section in (("A", ".init.text"), ("B", ".exit.text"), ("C", ".init.data"),
                          ("D", ".init.rodata"), ("E", ".exit.data"), ("F", ".x")):
        assert re.search(r'%s __attribute__\(\(section\("%s"\)\)\)' % (name, re.escape(section)), out), name


def test_this_module(tmp_path):
    out = preprocess("#include <linux/module.h>\nvoid *m = THIS_MODULE;\n", tmp_path)
    assert "extern struct module __this_module;" in out
    assert "void *m = (&__this_module);" in out


def test_api_names_stay_calls(tmp_path):
    src = r"""
#define pr_fmt(fmt) "pfx: " fmt
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/irqflags.h>
#include <linux/rcupdate.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/kthread.h>
#include <linux/kmod.h>
#include <linux/list.h>
@1 pr_info("hi %d\n", 1);
@2 pr_err("bare\n");
@3 WARN_ON(x > 1);
@4 spin_lock_irqsave(&l, flags);
@5 BUG();
@6 local_irq_save(flags);
@7 READ_ONCE(v);
@8 WRITE_ONCE(v, 2);
@9 wait_event(wq, done);
@10 current;
@11 request_module("m%d", 1);
@12 likely(a);
@13 list_for_each_entry(pos, &head, node) { }
@14 pr_warn_once("w\n");
@15 kfree_rcu(obj, rcu);
@16 pr_info_ratelimited("r\n");
"""
    out = preprocess(src, tmp_path)
    got = {m.group(1): m.group(2).strip() for m in re.finditer(r"@(\d+) (.*?)(?= @\d+ |$)", out)}
    assert got["1"] == r'printk("\001" "6" "pfx: " "hi %d\n", 1);'
    assert got["2"] == r'printk("\001" "3" "pfx: " "bare\n");'
    assert got["3"] == "__warn_on(!!(x > 1));"
    assert got["4"] == "spin_lock_irqsave((&l), &(flags));"
    assert got["5"] == "__bug();"
    assert got["6"] == "local_irq_save(&(flags));"
    assert got["7"] == "(v);"
    assert got["8"] == "((v) = (2));"
    assert got["9"] == "wait_event(&(wq), !!(done));"
    assert got["10"] == "get_current();"
    assert got["11"] == '__request_module(true, "m%d", 1);'
    assert got["12"] == "(!!(a));"
    assert got["13"].startswith("for (pos = ") and "typeof" not in got["13"]
    assert got["14"] == r'printk_once("\001" "4" "pfx: " "w\n");'
    assert got["15"] == "kfree_rcu((obj), &(obj)->rcu);"
    assert got["16"] == r'printk_ratelimited("\001" "6" "pfx: " "r\n");'


def test_list_iteration_without_typeof(tmp_path):
    """The typeof-free list/container helpers find the right entries at run time."""
    src = tmp_path / "lists.c"
    src.write_text(r"""
#include <linux/list.h>
#include <linux/timer.h>

struct item { int pad[3]; int v; struct list_head node; struct hlist_node h; struct timer_list t; };

static int used;
void list_add_tail(struct list_head *n, struct list_head *head)
{ n->prev = head->prev; n->next = head; head->prev->next = n; head->prev = n; }
void list_del(struct list_head *e) { e->prev->next = e->next; e->next->prev = e->prev; used++; }
void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{ n->next = h->first; if (h->first) h->first->pprev = &n->next; h->first = n; n->pprev = &h->first; }

int main(void);
int main(void)
{
	LIST_HEAD(head);
	HLIST_HEAD(hh);
	struct item items[4], *pos, *tmp, *back;
	int i, sum = 0, hsum = 0, rev = 0;

	for (i = 0; i < 4; i++) {
		items[i].v = i + 1;
		list_add_tail(&items[i].node, &head);
		hlist_add_head(&items[i].h, &hh);
	}
	list_for_each_entry(pos, &head, node)
		sum = sum * 10 + pos->v;
	list_for_each_entry_reverse(pos, &head, node)
		rev = rev * 10 + pos->v;
	hlist_for_each_entry(pos, &hh, h)
		hsum = hsum * 10 + pos->v;
	back = from_timer(back, &items[2].t, t);
	list_for_each_entry_safe(pos, tmp, &head, node)
		list_del(&pos->node);
	return !(sum == 1234 && rev == 4321 && hsum == 4321 && back == &items[2] && used == 4
		 && head.next == &head && list_first_entry(&items[0].node, struct item, node) == &items[1]);
}
""")
    exe = tmp_path / "lists"
    # Headers from the bundle only; linked as an ordinary hosted program to run it.
    proc = subprocess.run([compiler("gcc"), "-nostdinc", "-isystem", str(INCLUDE), "-D__KERNEL__",
                           "-std=gnu11", "-Wall", "-O1", "-o", str(exe), str(src)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert subprocess.run([str(exe)], timeout=30).returncode == 0


# --------------------------------------------------------------- pure-C front end (pycparser)


def strip_attributes(text: str) -> str:
    out, i = [], 0
    while True:
        j = text.find("__attribute__", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:j])
        k, depth = text.index("(", j), 0
        for m in range(k, len(text)):
            depth += {"(": 1, ")": -1}.get(text[m], 0)
            if depth == 0:
                break
        i = m + 1


def pure_c_parse(source: str, name: str) -> None:
    """pcpp (with __KLPLINT_PURE_C__), then __attribute__ stripped, then pycparser."""
    import pcpp
    import pycparser

    pp = pcpp.Preprocessor()
    pp.line_directive = None
    pp.add_path(str(INCLUDE))
    for d in ("__KERNEL__", "MODULE", "__KLPLINT_PURE_C__"):
        pp.define(d + " 1")
    errors = []
    pp.on_error = lambda file, line, msg: errors.append(f"{file}:{line}: {msg}")
    pp.parse(source, name)
    out = io.StringIO()
    pp.write(out)
    assert not errors, errors
    text = out.getvalue()
    assert "__builtin_" not in text, f"{name}: a builtin survives __KLPLINT_PURE_C__"
    pycparser.CParser().parse(strip_attributes(text), name)


@pytest.mark.parametrize("header", HEADERS)
def test_header_read_by_pure_c_front_end(header):
    pure_c_parse(f"#include <{header}>\n", f"{header}.c")


@pytest.mark.parametrize("era", sorted(REPRESENTATIVE))
def test_representative_livepatch_read_by_pure_c_front_end(era):
    pure_c_parse(REPRESENTATIVE[era], f"livepatch_{era}.c")
