"""GNU and clang constructs real kernel code is made of: a hook goes through each one, in both front ends, and
the leak after it is still found (the construct is lowered into IR the executor runs, not an end of analysis)."""
from __future__ import annotations

import pytest

from klplint import frontend as fe
from klplint.config.settings import Config
from klplint.pipeline.analyze_file import analyze_file

# One module; each case puts its construct in pre_patch before an allocation that the error return
# then leaks (KLP210). `top` goes at file scope, `body` at the start of pre_patch; `v` is an int local.
MODULE = r"""
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
%(top)s
struct lp_quirk { unsigned int fw_version; unsigned int flags; int arr[4]; };
static struct lp_quirk *lp_quirk;
static unsigned int lp_fw_version;
static int lp_repl(void) { return 0; }
static int lp_pre_patch(struct klp_object *obj)
{
	int v = 0;
%(body)s
	lp_quirk = kzalloc(sizeof(*lp_quirk), GFP_KERNEL);
	if (!lp_quirk)
		return -ENOMEM;
	lp_quirk->fw_version = lp_fw_version + v;
	if (lp_quirk->fw_version < 0x2000)
		return -ENODEV;
	return 0;
}
static void lp_post_unpatch(struct klp_object *obj) { kfree(lp_quirk); lp_quirk = NULL; }
static struct klp_func funcs[] = { { .old_name = "f", .new_func = lp_repl, }, { } };
static struct klp_object objs[] = { { .name = "m", .funcs = funcs,
	.callbacks = { .pre_patch = lp_pre_patch, .post_unpatch = lp_post_unpatch, }, }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int lp_init(void) { return klp_enable_patch(&patch); }
static void lp_exit(void) { }
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

CONSTRUCTS = {
    "gnu_elvis": ("", "\tv = lp_fw_version ?: 3;"),
    "elvis_with_a_call_evaluated_once": ("static int next_id(void);", "\tv = next_id() ?: -1;"),
    "choose_expr_constant": ("", "\tv = __builtin_choose_expr(sizeof(long) == 8, v + 1, 7);"),
    "choose_expr_not_constant": ("", "\tv = __builtin_choose_expr(__builtin_constant_p(v), 1, v + 2);"),
    "generic_by_type": ("", "\tv = _Generic(v, int: v + 1, long: 2, default: 3);"),
    # container_of_const() (6.2+, tcp_sk()): the branches differ in the constness of their type
    "generic_container_of_const": ("struct s { int a; };\n"
                                   "#define as_s(p) _Generic(p, const struct s *: (const struct s *)(p), "
                                   "default: (struct s *)(p))",
                                   "\tconst struct s *cp = as_s((const struct s *)obj);\n"
                                   "\tstruct s *mp = as_s((struct s *)obj);\n"
                                   "\tv = cp->a + mp->a;"),
    # seqcount's __seqprop(): branches of one type, none constant (libclang: each on its own path)
    "generic_same_type_branches": ("", "\tv = _Generic(v, int: v + 1, long: v + 2, default: v + 3);"),
    "atomic_builtins": ("static int cnt;",
                        "\tv = __atomic_load_n(&cnt, __ATOMIC_RELAXED);\n"
                        "\t__atomic_store_n(&cnt, 1, __ATOMIC_RELEASE);\n"
                        "\t__atomic_fetch_add(&cnt, 1, __ATOMIC_SEQ_CST);"),
    "sync_builtins": ("static int cnt;", "\tv += __sync_fetch_and_add(&cnt, 1);\n\t__sync_synchronize();"),
    "statement_expression": ("", "\tv = ({ int t = 2; t + 1; });"),
    "typeof_and_auto_type": ("", "\ttypeof(v) w = 3;\n\t__auto_type z = w;\n\tv = z;"),
    "compound_literals": ("struct pt { int x, y; };",
                          "\tstruct pt p = (struct pt){ .x = 1, .y = 2 };\n\tv = p.x + ((int[]){ 1, 2 })[1];"),
    "range_designator": ("", "\tint a[8] = { [0 ... 7] = 1 };\n\tv = a[3];"),
    "asm_goto": ("", "\tasm goto(\"jmp %l0\" :::: out);\n\tv = 1;\nout:\n\tv += 1;"),
    "constant_p_and_object_size": ("", "\tv = __builtin_constant_p(v) ? 1 : __builtin_object_size(&v, 0) > 0;"),
    "static_keys": ("#include <linux/jump_label.h>\nstatic DEFINE_STATIC_KEY_FALSE(lp_key);",
                    "\tif (static_branch_unlikely(&lp_key))\n\t\tv = 1;\n\tstatic_branch_enable(&lp_key);"),
    "kconfig_is_enabled": ("", "#if IS_ENABLED(CONFIG_X86_64) && IS_BUILTIN(CONFIG_SMP) && !IS_MODULE(CONFIG_SMP)\n"
                               "\tv = 1;\n#else\n#error \"bundled mode is an x86_64 SMP kernel\"\n#endif"),
}

FRONTENDS = ["libclang", "pycparser"]


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("construct", sorted(CONSTRUCTS))
def test_leak_after_the_construct_is_found(construct, frontend, tmp_path):
    if frontend == "libclang" and fe.libclang_problem():
        pytest.skip("libclang cannot be loaded here")
    top, body = CONSTRUCTS[construct]
    path = tmp_path / f"{construct}.c"
    path.write_text(MODULE % {"top": top, "body": body})
    result = analyze_file(str(path), Config(frontend=frontend, strict=True))
    assert not result.errors, result.errors
    rules = sorted(f.rule for f in result.findings)
    assert rules == ["KLP210"], [(f.rule, f.message) for f in result.findings]
    leak = result.findings[0]
    assert "-ENODEV" in leak.message and "lp_quirk" in leak.message


# Scope-based cleanup (6.5+): what guard()/__free() release at scope exit is released on every path.
CLEANUP_MODULE = r"""
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/cleanup.h>
static DEFINE_MUTEX(lp_lock);
static int lp_ready;
extern int lp_flag;
static void *lp_buf;
static int lp_repl(void) { return 0; }
%(hook)s
static void lp_post_unpatch(struct klp_object *obj) { kfree(lp_buf); lp_buf = NULL; }
static struct klp_func funcs[] = { { .old_name = "f", .new_func = lp_repl, }, { } };
static struct klp_object objs[] = { { .name = "m", .funcs = funcs,
	.callbacks = { .pre_patch = lp_pre_patch, .post_unpatch = lp_post_unpatch, }, }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int lp_init(void) { return klp_enable_patch(&patch); }
static void lp_exit(void) { }
module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

CLEANUP_HOOKS = {
    # the mutex is released by the guard on both returns: nothing to report
    "guard_on_every_return": ([], """
static int lp_pre_patch(struct klp_object *obj)
{
	guard(mutex)(&lp_lock);
	if (lp_flag)
		return -EBUSY;
	lp_ready = 1;
	return 0;
}"""),
    "scoped_guard_then_return": ([], """
static int lp_pre_patch(struct klp_object *obj)
{
	scoped_guard(mutex, &lp_lock) {
		if (lp_flag)
			return -EBUSY;
		lp_ready = 1;
	}
	return 0;
}"""),
    # __free(kfree) frees the buffer on the error return; return_ptr-style hand-over keeps it
    "free_on_error_keep_on_success": ([], """
static void *lp_make(void)
{
	void *b __free(kfree) = kzalloc(16, GFP_KERNEL);
	if (!b)
		return NULL;
	if (lp_flag)
		return NULL;
	return_ptr(b);
}
static int lp_pre_patch(struct klp_object *obj)
{
	lp_buf = lp_make();
	return lp_buf ? 0 : -ENOMEM;
}"""),
    # what no cleanup releases still leaks
    "other_allocation_still_leaks": (["KLP210"], """
static int lp_pre_patch(struct klp_object *obj)
{
	void *b __free(kfree) = kzalloc(16, GFP_KERNEL);
	lp_buf = kzalloc(16, GFP_KERNEL);
	if (!lp_buf)
		return -ENOMEM;
	if (lp_flag)
		return -ENODEV;
	return 0;
}"""),
}


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("case", sorted(CLEANUP_HOOKS))
def test_scope_based_cleanup_runs_at_every_scope_exit(case, frontend, tmp_path):
    if frontend == "libclang" and fe.libclang_problem():
        pytest.skip("libclang cannot be loaded here")
    want, hook = CLEANUP_HOOKS[case]
    path = tmp_path / f"{case}.c"
    path.write_text(CLEANUP_MODULE % {"hook": hook})
    result = analyze_file(str(path), Config(frontend=frontend, strict=True))
    assert not result.errors, result.errors
    assert sorted(f.rule for f in result.findings) == want, [(f.rule, f.message) for f in result.findings]


# The same hooks with the executor's scope-exit cleanups switched off: the findings the cleanups
# prevent appear (what the tests above check is the cleanup's doing).
WITHOUT_CLEANUPS = {
    "guard_on_every_return": ["KLP204"],
    "scoped_guard_then_return": ["KLP204"],
    "free_on_error_keep_on_success": ["KLP210"],
}


@pytest.mark.parametrize("case", sorted(WITHOUT_CLEANUPS))
def test_without_scope_exit_cleanups_the_findings_appear(case, tmp_path, monkeypatch):
    from klplint.analysis.execute import Executor
    monkeypatch.setattr(Executor, "run_cleanups", lambda self, scope, outs, fr, upto=None: outs)
    path = tmp_path / f"{case}.c"
    path.write_text(CLEANUP_MODULE % {"hook": CLEANUP_HOOKS[case][1]})
    result = analyze_file(str(path), Config(frontend="pycparser", strict=True))
    assert sorted(f.rule for f in result.findings) == WITHOUT_CLEANUPS[case], \
        [(f.rule, f.message) for f in result.findings]


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_bundled_mode_is_a_kbuild_x86_64_module_build(frontend, tmp_path):
    """kconfig.h is force-included (IS_ENABLED before any #include) and the configuration is a
    distribution's x86_64 kernel's."""
    if frontend == "libclang" and fe.libclang_problem():
        pytest.skip("libclang cannot be loaded here")
    prefix = ("#if !IS_ENABLED(CONFIG_LIVEPATCH) || !defined(CONFIG_X86_64) || !IS_BUILTIN(CONFIG_64BIT)\n"
              "#error \"not an x86_64 livepatch build\"\n#endif\n"
              "#if IS_MODULE(CONFIG_SMP) || !IS_REACHABLE(CONFIG_SMP) || IS_ENABLED(CONFIG_NOT_A_REAL_OPTION)\n"
              "#error \"kconfig.h semantics\"\n#endif\n")
    path = tmp_path / "kconfig_first.c"
    path.write_text(prefix + MODULE % {"top": "", "body": ""})
    result = analyze_file(str(path), Config(frontend=frontend, strict=True))
    assert not result.errors, result.errors
    assert [f.rule for f in result.findings] == ["KLP210"]
