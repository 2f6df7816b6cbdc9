"""The path-sensitive executor on small IR snippets parsed from C: values, branches pruned on the
bound `obj`, loops, control flow, memory, budgets, and state carried from one call to the next."""
from __future__ import annotations

import pytest
from helpers import model_of

from klplint.analysis import kapi
from klplint.analysis.budget import Budget
from klplint.analysis.context import Binding, StepCtx
from klplint.analysis.execute import Executor
from klplint.analysis.state import State
from klplint.analysis.values import (
    ZERO,
    Global,
    HeapRegion,
    Int,
    OriginKind,
    Ptr,
    Sym,
    heap_id,
    is_null,
)
from klplint.config.settings import Budgets

VMLINUX = Binding(0, 0, "vmlinux", None, True, None)


def module_obj(state="LIVE", name="nfsd"):
    return Binding(0, 1, name, name, False, state)


class Run:
    """One executor over one snippet; call() runs a function from given states."""

    def __init__(self, code: str, budgets: Budgets = Budgets()):
        self.m = model_of(code)
        self.ex = Executor(self.m, budgets, kapi.lookup)

    def call(self, fn: str, binding=None, states=None, role="post_patch", args=None, in_hook=True):
        states = states or [State()]
        out = []
        for s in states:
            ctx = StepCtx(role, fn, binding, in_hook=in_hook, cnt0=s.cnt)
            self.ex.ctx = ctx
            self.ex.base_depth = 1
            self.ex.stmts = 0
            a = args if args is not None else ((Ptr(binding.region),) if binding else ())
            out += self.ex.call_function(self.m.functions[fn], a, s, 1)
        return out

    def values(self, results):
        return sorted(v.value for v, _, _ in results if isinstance(v, Int))

    def events(self, results, kind=None):
        evs = [e for _, s, _ in results for e in s.events] + list(self.ex.side_events)
        return [e for e in evs if kind is None or e.kind == kind]


# ------------------------------------------------------------------ obj binding

OBJ_CODE = r"""
static int which(struct klp_object *obj)
{
	if (obj->mod)
		return 1;
	return 2;
}
static int name_test(struct klp_object *obj)
{
	if (!obj->name)
		return 0;
	if (!strcmp(obj->name, "nfsd"))
		return 10;
	return 20;
}
static int by_state(struct klp_object *obj)
{
	if (!obj->mod)
		return -1;
	switch (obj->mod->state) {
	case MODULE_STATE_LIVE:
		return 100;
	case MODULE_STATE_COMING:
		return 101;
	default:
		return 102;
	}
}
static int careless(struct klp_object *obj)
{
	return obj->mod->state;
}
"""


def test_branch_on_obj_mod_is_decided_by_the_binding():
    r = Run(OBJ_CODE)
    assert r.values(r.call("which", VMLINUX)) == [2]
    assert r.values(r.call("which", module_obj())) == [1]


def test_obj_name_and_strcmp_are_decided():
    r = Run(OBJ_CODE)
    assert r.values(r.call("name_test", VMLINUX)) == [0]
    assert r.values(r.call("name_test", module_obj(name="nfsd"))) == [10]
    assert r.values(r.call("name_test", module_obj(name="ext4"))) == [20]


def test_module_state_switch_is_decided_and_recorded():
    r = Run(OBJ_CODE)
    assert r.values(r.call("by_state", module_obj("LIVE"))) == [100]
    assert r.values(r.call("by_state", module_obj("COMING"), role="pre_patch")) == [101]
    assert r.values(r.call("by_state", module_obj("GOING"), role="post_unpatch")) == [102]
    assert r.values(r.call("by_state", VMLINUX)) == [-1]
    roles = {(e.payload.const, e.role) for e in r.ex.facts}
    assert (1, "pre_patch") in roles      # the COMING case label was tested in pre_patch


def test_null_obj_mod_dereference_ends_the_path_with_an_event():
    r = Run(OBJ_CODE)
    res = r.call("careless", VMLINUX)
    assert res == []
    ev = r.events(res, "null_deref")
    assert ev and ev[0].payload.origin.kind is OriginKind.OBJ_MOD and ev[0].loc.line > 0


# ------------------------------------------------------------------ allocation and NULL checks

ALLOC_CODE = r"""
struct cfg { int level; void *buf; };
static struct cfg *cfg;
static int checked(void)
{
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->level = 3;
	return 0;
}
static int unchecked(void)
{
	struct cfg *c = kmalloc(sizeof(*c), GFP_KERNEL);
	c->level = 1;
	kfree(c);
	return 0;
}
static int short_circuit(void)
{
	struct cfg *c = kzalloc(sizeof(*c), GFP_KERNEL);
	int ok = c && c->level == 0;
	kfree(c);
	return ok;
}
"""


def test_allocation_forks_and_a_null_check_prunes():
    r = Run(ALLOC_CODE)
    res = r.call("checked", role="pre_patch")
    assert r.values(res) == [-12, 0]
    assert not r.events(res, "null_deref")
    ok = [s for v, s, _ in res if is_null(v)][0]
    hid = heap_id(ok.mem[(Global("cfg"), ())])
    assert ok.heap[hid].status == "live" and ok.heap[hid].name == "cfg"
    assert ok.mem[(HeapRegion(hid), ("level",))] == Int(3)


def test_unchecked_allocation_is_a_null_dereference_from_an_allocation():
    r = Run(ALLOC_CODE)
    res = r.call("unchecked")
    assert r.values(res) == [0]                  # the NULL path crashed
    ev = r.events(res, "null_deref")
    assert len(ev) == 1 and ev[0].payload.origin.kind is OriginKind.ALLOC and ev[0].payload.origin.what == "kmalloc"


def test_logical_and_short_circuits():
    r = Run(ALLOC_CODE)
    res = r.call("short_circuit")
    assert r.values(res) == [0, 1]
    assert not r.events(res, "null_deref")


# ------------------------------------------------------------------ control flow

FLOW_CODE = r"""
static int sum_to(int n)
{
	int i, sum = 0;
	for (i = 0; i < n; i++)
		sum += i;
	return sum;
}
static int forever(void)
{
	int n = 0;
	while (kthread_should_stop() == 0)
		n++;
	return n;
}
static int long_loop(void)
{
	int i;
	for (i = 0; i < 1000; i++)
		;
	return 7;
}
static int classify(int x)
{
	int r = 0;
	switch (x) {
	case 1:
		r += 1;
		/* fall through */
	case 2:
		r += 10;
		break;
	case 3:
		r = 30;
		break;
	default:
		r = -1;
	}
	return r;
}
static void *a, *b;
static int unwind(int fail_second)
{
	a = kmalloc(8, GFP_KERNEL);
	if (!a)
		goto out;
	b = kmalloc(8, GFP_KERNEL);
	if (!b || fail_second)
		goto free_a;
	return 0;
free_a:
	kfree(a);
	a = NULL;
out:
	return -ENOMEM;
}
static int misc(int x)
{
	int y = x > 0 ? 5 : 6;
	int z = ({ int t = y * 2; t + 1; });
	y <<= 2;
	y |= 1;
	return y + z;
}
static int retry(void)
{
	int tries = 0;
again:
	tries++;
	if (tries < 3)
		goto again;
	return tries;
}
"""


def test_concrete_loop_runs_to_completion():
    r = Run(FLOW_CODE)
    assert r.values(r.call("sum_to", args=(Int(10),))) == [45]


def test_loop_on_an_unknown_condition_is_bounded():
    r = Run(FLOW_CODE, Budgets(loop_unroll=3))
    res = r.call("forever")
    vals = r.values(res)
    assert vals == [0, 1, 2]                  # exits after 0..2 iterations; later ones are bounded
    assert len(res) <= 4


def test_loop_beyond_the_hard_cap_is_incomplete():
    r = Run(FLOW_CODE)
    res = r.call("long_loop")
    assert r.values(res) == [7]                # the loop is widened and left, the function returns
    assert r.events(res, "incomplete")


def test_switch_with_fallthrough_and_default():
    r = Run(FLOW_CODE)
    assert r.values(r.call("classify", args=(Int(1),))) == [11]
    assert r.values(r.call("classify", args=(Int(2),))) == [10]
    assert r.values(r.call("classify", args=(Int(3),))) == [30]
    assert r.values(r.call("classify", args=(Int(9),))) == [-1]
    assert r.values(r.call("classify", args=(Sym(999),))) == [-1, 10, 11, 30]


def test_goto_unwinding_keeps_every_path_straight():
    r = Run(FLOW_CODE)
    res = r.call("unwind", args=(Sym(999),), role="pre_patch")
    assert r.values(res) == [-12, -12, -12, 0]
    for v, s, _ in res:
        live = [o for o in s.heap.values() if o.status == "live"]
        if is_null(v):
            assert len(live) == 2
        else:       # on every error path `a` was freed (or never allocated); `b` is lost or NULL
            a = s.mem.get((Global("a"), ()))
            assert a in (None, ZERO) or isinstance(a, Ptr) or a.origin is not None


def test_ternary_statement_expression_and_compound_assignment():
    r = Run(FLOW_CODE)
    # x > 0: y = 5, z = 11, y = (5 << 2) | 1 = 21; otherwise y = 6, z = 13, y = 25
    assert r.values(r.call("misc", args=(Int(1),))) == [32]
    assert r.values(r.call("misc", args=(Int(-1),))) == [38]


def test_backward_goto_loops_concretely():
    r = Run(FLOW_CODE)
    assert r.values(r.call("retry")) == [3]


# ------------------------------------------------------------------ memory

MEM_CODE = r"""
struct holder { void *ptr; int count; };
static struct holder holder;
static void *slots[4];
static void *cache;
static void take(void)
{
	holder.ptr = kzalloc(32, GFP_KERNEL);
	slots[2] = kmalloc(16, GFP_KERNEL);
	cache = kzalloc(8, GFP_KERNEL);
}
static void give(void)
{
	kfree(holder.ptr);
	kfree(slots[2]);
	kfree(cache);
	cache = NULL;
}
static void hand_over(void)
{
	void *p = kzalloc(8, GFP_KERNEL);
	some_kernel_api_we_do_not_know(p);
}
"""


def _ok_paths(results):
    return [s for _, s, _ in results if all(o.status != "live" or True for o in s.heap.values())]


def test_state_is_carried_across_calls_and_double_free_is_seen():
    r = Run(MEM_CODE)
    after_take = [s for _, s, _ in r.call("take")]
    full = [s for s in after_take if sum(o.status == "live" for o in s.heap.values()) == 3]
    assert len(full) == 1
    after_give = [s for _, s, _ in r.call("give", states=full)]
    assert all(o.status == "released" for o in after_give[0].heap.values())
    again = r.call("give", states=after_give)
    ev = r.events(again, "double_release")
    freed = sorted(e.payload.what for e in ev)
    assert freed == ["holder.ptr", "slots[2]"]      # cache was cleared: kfree(NULL) is fine


def test_unknown_call_makes_its_pointer_arguments_escape():
    r = Run(MEM_CODE)
    res = r.call("hand_over")
    ok = [s for _, s, _ in res if s.heap and list(s.heap.values())[0].status == "live"]
    assert ok and all(o.escaped for o in ok[0].heap.values())


# ------------------------------------------------------------------ budgets

def _many_branches(n: int) -> str:
    lines = "\n".join(f"\tif (get_random_u32() & {1 << (i % 30)}) flags |= {1 << (i % 30)};" for i in range(n))
    return f"""
static unsigned long flags_out;
static int many(struct klp_object *obj)
{{
	unsigned long flags = 0;
	int i, j;
{lines}
	for (i = 0; i < 50; i++)
		for (j = 0; j < 50; j++)
			if (get_random_u32() & 1)
				flags ^= i * j;
	flags_out = flags;
	return 0;
}}
"""


@pytest.mark.timeout(120)
def test_pathological_hook_ends_with_an_incomplete_note():
    r = Run(_many_branches(40), Budgets(max_paths=64))
    res = r.call("many", VMLINUX, role="pre_patch")
    assert res                                   # a verdict for the paths kept
    assert any("paths" in e.payload.reason for e in r.events(res, "incomplete"))


def test_statement_budget_raises_budget():
    r = Run(FLOW_CODE, Budgets(max_statements=50))
    with pytest.raises(Budget):
        r.call("sum_to", args=(Int(100),))


def test_call_depth_budget_is_incomplete_not_a_crash():
    code = r"""
static int depth(int n) { if (n <= 0) return 0; return depth(n - 1) + 1; }
static int top(void) { return depth(10); }
"""
    r = Run(code, Budgets(call_depth=3))
    res = r.call("top")
    assert res and r.events(res, "incomplete")
