"""KLP214/KLP215 over replacement functions: calls that come back through ftrace, addresses cached across module reloads."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Set, Tuple

from klplint import ir
from klplint.findings import Finding, PathStep
from klplint.ir.util import is_null as const_is_null, reachable, strip, walk
from klplint.patch import model
from klplint.patch.roles import AFTER_UNPATCHED, PATCH_SIDE
from klplint.rules.registry import rule
from klplint.rules.reloc_tables import table_resolutions
from klplint.rules.replacement_window import used_pointer


KLP214 = rule(
    id="KLP214", name="replacement-recurses", api="B", level="error",
    summary="A replacement function calls the function it replaces, by name or through an address looked up at "
            "run time (`kallsyms_lookup_name()` of the `old_name`, a kprobe's `addr`): ftrace sends the call "
            "back into the replacement.",
    why="""Once a function is patched, ftrace redirects every call to its old address into the new function:
calls from other kernel code, and calls from the livepatch module itself. A replacement that wants "the
original, plus a fix-up" and calls the old function by name, or through a pointer it resolved with
`kallsyms_lookup_name("old_name")` (or read from a kprobe planted on it), enters itself again: unbounded
recursion and a stack overflow on the first call after the transition. The old code cannot be called
from the livepatch; what it did must be copied into the replacement.""",
    bad="""static int (*orig_show)(struct seq_file *m, void *v);

static int lp_meminfo_show(struct seq_file *m, void *v)
{
	int ret = orig_show(m, v);	/* orig_show = kallsyms_lookup_name("meminfo_proc_show") */
	seq_puts(m, "Livepatched: yes\n");
	return ret;
}""",
    good="""static int lp_meminfo_show(struct seq_file *m, void *v)
{
	/* the body of meminfo_proc_show(), copied and fixed */
	show_meminfo_fields(m);
	seq_puts(m, "Livepatched: yes\n");
	return 0;
}""",
    fix="Copy the replaced function's body into the replacement (calling the helpers it calls), instead of "
        "calling the replaced function.",
    precision="high")

KLP215 = rule(
    id="KLP215", name="module-symbol-cached", api="B", level="warning",
    summary="An address looked up once (in module_init, or in a vmlinux callback at enable) and used by the "
            "replacement functions or callbacks of a module object: unresolvable when the livepatch loads before "
            "that module, stale after the module is unloaded and loaded again.",
    why="""A module object's target can load after the livepatch and can be unloaded and loaded again while
the patch stays enabled; the core patches it each time it comes. An address inside it, looked up once when
the livepatch loads, is NULL (or wrong) when the target was not there yet, and points into freed module text
after the target reloads: the replacement then calls freed memory. The address belongs to one load of the
target: resolve it in that object's `pre_patch` (which runs for every load, before the target's code is
patched) and clear it in `post_unpatch`, or let klp relocations (`.klp.sym` relocations of klp-convert or
kpatch-build) resolve it.

The same holds for addresses filled through a relocation table, as klp-ccp-generated and distribution
livepatches do: a table of `{ "symbol", (void **)&klpe_ptr[, "object"] }` entries that one helper walks,
storing `kallsyms_lookup_name()` of each name through each entry. The entries tied to a module object (by
the table's object field, the helper's argument, or the table's name) are cached where that helper is
called from: in module_init they are the bug above; in the object's `pre_patch` they are not.

Resolving per load is half of it: what an object's patch-side callback keeps of its module (an address
it looked up, `obj->mod` itself) must be dropped by that object's `post_unpatch`, which runs whenever the
module goes (`pre_unpatch` is skipped during a transition). Kept, it is used after the module is gone by
the code that runs without it: the other objects' functions and callbacks, and module_exit.""",
    bad="""static void (*reset_versions)(void *nn);

static int __init lp_init(void)
{
	reset_versions = (void *)kallsyms_lookup_name("nfsd_reset_versions");
	return klp_enable_patch(&patch);	/* object "nfsd" */
}""",
    good="""static int lp_nfsd_pre_patch(struct klp_object *obj)
{
	reset_versions = (void *)kallsyms_lookup_name("nfsd_reset_versions");
	return reset_versions ? 0 : -ENOENT;
}

static void lp_nfsd_post_unpatch(struct klp_object *obj)
{
	reset_versions = NULL;
}""",
    fix="Resolve the address in the module object's `pre_patch` callback and clear it in its `post_unpatch`, "
        "or use a klp relocation.",
    precision="medium")


# Ways a module turns a symbol name into an address at run time.
LOOKUP_CALLS = ("kallsyms_lookup_name", "kallsyms_lookup_name_nocache", "klp_lookup_name")


@dataclass(frozen=True)
class Resolution:
    """`target = <address of symbol>` written somewhere in the module."""
    target: str                 # the global pointer (or struct kprobe) that receives the address
    symbol: str                 # the symbol name looked up
    how: str                    # C text of the lookup, for messages
    function: str               # the function the assignment is in
    loc: ir.Location
    # a relocation table entry may name the symbol's object: None there means vmlinux
    objname: Optional[str] = None
    has_objname: bool = False
    object_known: bool = True   # False: a relocation table klplint cannot tie to vmlinux or to a module


def _kprobe_symbols(module: model.PatchModule) -> Dict[str, str]:
    """Globals `struct kprobe kp = { .symbol_name = "sym" }`: reading kp.addr after
    register_kprobe() is the usual way to look a symbol up where kallsyms_lookup_name is not
    exported (5.7 and later)."""
    out: Dict[str, str] = {}
    for v in module.variables.values():
        if v.type.kind == "struct" and v.type.name == "kprobe" and isinstance(v.init, ir.InitList):
            for item in v.init.items:
                if item.designators == ("symbol_name",) and isinstance(strip(item.value), ir.StrLit):
                    out[v.name] = strip(item.value).value
    return out


def _address_of_symbol(e: Optional[ir.Expr], kprobes: Dict[str, str]) -> Optional[Tuple[str, str]]:
    """(symbol, C text) when e evaluates to the address of a named symbol at run time."""
    e = strip(e)
    if isinstance(e, ir.Call) and isinstance(strip(e.callee), ir.Name) and e.callee.name in LOOKUP_CALLS \
            and e.args and isinstance(strip(e.args[0]), ir.StrLit):
        sym = strip(e.args[0]).value
        return sym, f'{e.callee.name}("{sym}")'
    if isinstance(e, ir.Member) and e.field == "addr":
        base = strip(e.base)
        if isinstance(base, ir.Unary) and base.op == "&":
            base = strip(base.operand)
        if isinstance(base, ir.Name) and base.name in kprobes:
            sym = kprobes[base.name]
            return sym, f"{base.name}.addr (a kprobe on {sym})"
    return None


def resolutions(module: model.PatchModule) -> List[Resolution]:
    """Every assignment of a looked-up address to a file-scope pointer."""
    kprobes = _kprobe_symbols(module)
    out: List[Resolution] = []
    for f in module.functions.values():
        if f.body is None:
            continue
        for n in walk(f.body):
            if isinstance(n, ir.Assign) and n.op == "=":
                tgt = strip(n.target)
                found = _address_of_symbol(n.value, kprobes)
                if found and isinstance(tgt, ir.Name) and tgt.kind == "var":
                    out.append(Resolution(tgt.name, found[0], found[1], f.name, n.loc))
    for v in module.variables.values():
        found = _address_of_symbol(v.init, kprobes)
        if found:
            out.append(Resolution(v.name, found[0], found[1], "", v.loc))
    for t in table_resolutions(module, LOOKUP_CALLS):
        out.append(Resolution(t.target, t.symbol, f'kallsyms_lookup_name("{t.symbol}") through {t.resolver}() '
                              f"over the table '{t.table}'", t.function, t.loc, t.objname, t.has_objname,
                              t.object_known))
    return out


def _calls_through(fn: ir.FunctionDecl) -> Iterable[Tuple[ir.Call, Optional[str], Optional[str]]]:
    """(call, direct callee name, pointer global called through) for every call in fn."""
    for n in walk(fn.body):
        if isinstance(n, ir.Call):
            c = strip(n.callee)
            if isinstance(c, ir.Unary) and c.op == "*":
                c = strip(c.operand)
            if isinstance(c, ir.Name) and c.kind == "func":
                yield n, c.name, None
            elif isinstance(c, ir.Name) and c.kind == "var":
                yield n, None, c.name


@KLP214.check
def replacement_recursion(module: model.PatchModule) -> List[Finding]:
    """KLP214: a replacement function (or a same-file function it calls) calls the function it
    replaces, by name or through an address looked up at run time."""
    by_target: Dict[str, List[Resolution]] = {}
    for r in resolutions(module):
        by_target.setdefault(r.target, []).append(r)
    out: List[Finding] = []
    seen: Set[ir.Location] = set()
    for p in module.patches:
        for o in p.objects:
            for kf in (o.funcs.walked if o.funcs else ()):
                if not kf.old_name or not kf.new_func or not kf.new_func.name:
                    continue
                old, new = kf.old_name, kf.new_func.name
                defined_here = module.functions.get(old)
                if defined_here is not None and defined_here.body is not None:
                    continue    # a local function of that name is called, not the patched one
                for name in sorted(reachable(module.functions, [new])):
                    fn = module.functions[name]
                    if fn.body is None:
                        continue
                    for call, direct, ptr in _calls_through(fn):
                        how = None
                        if direct == old:
                            how = f"{old}() by name"
                        elif ptr is not None:
                            hits = [r for r in by_target.get(ptr, ()) if r.symbol == old]
                            if hits:
                                how = f"through '{ptr}', which holds {hits[0].how}"
                        if how is None or call.loc in seen:
                            continue
                        seen.add(call.loc)
                        via = "" if name == new else f" (through {name}(), which {new}() calls)"
                        out.append(Finding(
                            "KLP214", "error",
                            f"{new}() replaces {old}() and calls it{via}: it calls {how}, and once the "
                            f"patch is live ftrace redirects that call back into {new}(): unbounded recursion "
                            "on the first call after the transition",
                            call.loc, function=name,
                            path=(PathStep(kf.loc, f"klp_func: {old} is replaced by {new}", "statement"),)))
    return out


@KLP215.check
def module_symbol_cached(module: model.PatchModule) -> List[Finding]:
    """KLP215: an address looked up once (module_init, or a vmlinux-side callback run at enable)
    and used by code of a module object: stale after that module reloads, unresolvable when the
    livepatch loads first."""
    once_roots = [module.init_func]
    per_object: Dict[str, Set[str]] = {}       # module object name -> functions that run for it
    object_setup: Dict[str, Set[str]] = {}     # module object name -> functions of its patch side
    vmlinux_code: Set[str] = set()
    for p in module.patches:
        for o in p.objects:
            funcs = [kf.new_func.name for kf in (o.funcs.walked if o.funcs else ())
                     if kf.new_func and kf.new_func.name]
            roles = [ref.name for _, ref in o.role_functions() if ref.name]
            code = reachable(module.functions, funcs + roles)
            if o.is_vmlinux:
                vmlinux_code |= code
                if o.callbacks is not None:
                    for role in ("pre_patch", "post_patch"):
                        ref = o.callbacks.get(role)
                        if ref and ref.name:
                            once_roots.append(ref.name)
            else:
                per_object.setdefault(o.name, set()).update(code)
                setup = [ref.name for role, ref in o.role_functions()
                         if ref.name and role in ("pre_patch", "post_patch", "patch_hook")]
                object_setup.setdefault(o.name, set()).update(reachable(module.functions, setup))
    once = reachable(module.functions, [r for r in once_roots if r])
    out: List[Finding] = []
    for r in resolutions(module):
        if r.function and r.function not in once:
            continue
        if r.has_objname and r.objname is None:
            continue            # the table entry says vmlinux: it never unloads
        if not r.object_known:
            continue            # the symbol may be vmlinux's: no warning without knowing it is a module's
        users = {}
        for obj, code in per_object.items():
            if r.has_objname and obj != r.objname:
                continue
            if r.function in object_setup.get(obj, ()):
                continue            # resolved again each time this object is patched
            for name in sorted(code):
                fn = module.functions.get(name)
                if fn is None or fn.body is None:
                    continue
                if any(isinstance(n, ir.Name) and n.name == r.target and n.kind == "var" for n in walk(fn.body)):
                    users.setdefault(obj, name)
        if not users or (not r.has_objname and any(u in vmlinux_code for u in users.values())):
            continue    # used only by vmlinux code (or by both): the symbol may well be vmlinux's
        obj, user = sorted(users.items())[0]
        where = f"{r.function}()" if r.function else "its initializer"
        out.append(Finding(
            "KLP215", "warning",
            f"'{r.target}' caches {r.how}, resolved once in {where}, and {user}() uses it for module "
            f"object '{obj}': when {obj} loads after the livepatch the lookup has failed, and after {obj} "
            f"is unloaded and loaded again the address points into its freed text; resolve it in {obj}'s "
            "pre_patch and clear it in post_unpatch, or use a klp relocation",
            r.loc, function=r.function or None))
    return out




def _module_addresses(fn: ir.FunctionDecl) -> Iterable[Tuple[str, ir.Assign]]:
    """(global, assignment) for each `g = obj->mod` (or an address inside it) in a callback `fn` whose
    first parameter is the klp_object."""
    if not fn.params or fn.body is None:
        return
    obj = fn.params[0].name
    for n in walk(fn.body):
        if isinstance(n, ir.Assign) and n.op == "=":
            tgt = strip(n.target)
            if not (isinstance(tgt, ir.Name) and tgt.kind == "var"):
                continue
            v = strip(n.value)
            while isinstance(v, ir.Unary) and v.op == "&":
                v = strip(v.operand)
            while isinstance(v, ir.Member) and not (v.field == "mod" and v.arrow):
                v = strip(v.base)
            if isinstance(v, ir.Member) and isinstance(strip(v.base), ir.Name) and strip(v.base).name == obj:
                yield tgt.name, n


@KLP215.check
def module_address_kept(module: model.PatchModule) -> List[Finding]:
    """KLP215, the other half: a module object's `obj->mod` (or a symbol of it) stored by that object's
    patch-side callback and never cleared by its post_unpatch, used by code that runs while the module
    may be gone (another object's functions or callbacks, module_exit)."""
    objects = [(p, o) for p in module.patches for o in p.objects]
    out: List[Finding] = []
    resolved = resolutions(module)
    for p, o in objects:
        if o.is_vmlinux:
            continue
        stores: List[Tuple[str, ir.Location, str, str]] = []   # (global, where, what, function)
        clears: Set[str] = set()
        for role, ref in o.role_functions():
            fn = module.functions.get(ref.name or "")
            if fn is None or fn.body is None:
                continue
            if role in PATCH_SIDE:
                stores += [(g, a.loc, f"{o.name}'s struct module (obj->mod)", fn.name) for g, a in _module_addresses(fn)]
                here = reachable(module.functions, [fn.name])
                stores += [(r.target, r.loc, r.how, r.function) for r in resolved
                           if r.function in here and (not r.has_objname or r.objname == o.name)]
            # dropped for good only where the core runs for this object once its functions are
            # unpatched, whatever the scenario (post_unpatch is gated by pre_patch, as the setup is)
            if role in AFTER_UNPATCHED:
                for name in reachable(module.functions, [fn.name]):
                    f = module.functions[name]
                    if f.body is None:
                        continue
                    clears |= {strip(n.target).name for n in walk(f.body)
                               if isinstance(n, ir.Assign) and isinstance(strip(n.target), ir.Name)
                               and n.op == "=" and const_is_null(n.value)}
        stores = [s for s in stores if s[0] not in clears]
        if not stores:
            continue
        # code that runs while this module may be unloaded: the other objects' and module_exit's
        roots = [module.exit_func] if module.exit_func else []
        for _, other in objects:
            if other is o:
                continue
            roots += [kf.new_func.name for kf in (other.funcs.walked if other.funcs else ())
                      if kf.new_func and kf.new_func.name]
            roots += [ref.name for _, ref in other.role_functions() if ref.name]
        own = reachable(module.functions, [kf.new_func.name for kf in (o.funcs.walked if o.funcs else ())
                                           if kf.new_func and kf.new_func.name] +
                        [ref.name for _, ref in o.role_functions() if ref.name])
        reported: Set[str] = set()
        for name in sorted(reachable(module.functions, roots)):
            fn = module.functions[name]
            if fn.body is None or name in own:
                continue
            for n in walk(fn.body):
                var = used_pointer(n, module)
                hit = next((s for s in stores if s[0] == var), None)
                if hit is None or var in reported:
                    continue
                reported.add(var)
                g, where, what, setter = hit
                out.append(Finding(
                    "KLP215", "warning",
                    f"'{g}' holds {what}, stored by {setter}() each time {o.name} is patched and never cleared "
                    f"in its post_unpatch, and {name}() uses it while {o.name} may have been unloaded: it "
                    f"points into the freed module; clear it in {o.name}'s post_unpatch (and test it here)",
                    n.loc, function=name,
                    path=(PathStep(where, f"'{g}' is set here, in {setter}()", "statement"),)))
    return out
