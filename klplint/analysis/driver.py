"""The lifecycle engine: runs a patch's hooks, callbacks, module_init and module_exit over every scenario."""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Set, Tuple

from klplint import ir
from klplint.analysis import falloff, initmode, kapi, lifecycle
from klplint.analysis.budget import HOOK, Budget, Work
from klplint.analysis.context import Binding, StepCtx
from klplint.analysis.events import (
    Event,
    EventKind,
    Incomplete,
    Leak,
    LockHeld,
    MissingReturn,
    PartialErrorReturn,
    make,
)
from klplint.analysis.execute import Executor
from klplint.analysis.frontier import Frontier
from klplint.analysis.kapi.livepatch import REGISTERED
from klplint.analysis.objects import object_views, views_key
from klplint.analysis.results import _INTERESTING_NOTE, Analysis, _step_key
from klplint.analysis.state import State, merge
from klplint.analysis.statics import Statics, callback_refs
from klplint.analysis.values import (
    ZERO,
    FailedStep,
    Global,
    HeapRegion,
    Int,
    Ptr,
    Sym,
    SymRegion,
)
from klplint.ir.util import c_text, const_int
from klplint.patch import model
from klplint.patch.roles import ERRNO, ERRNO_NAMES, INT_ROLES

# State flag: the enable through sysfs of a patch module_init only registered failed (lp_exit runs).
SYSFS_FAILED = "sysfs_enable_failed"

# Objects that leak when the last pointer to them is gone. Not: shadow variables (the core's hash
# table holds them), /proc and debugfs entries (removed by name), kthreads (they may exit alone).
LOSABLE = ("heap", "kmem_cache", "workqueue", "kobject", "file", "sysctl table", "device class")
class Engine:
    def __init__(self, module: model.PatchModule, config):
        self.module = module
        self.config = config
        self.budgets = config.budgets
        self.statics = Statics(module)
        self.analysis = Analysis(module, self.statics)
        self.work = Work(self.budgets)      # statements and paths of the whole file, and the clock
        self.ex = Executor(module, self.budgets, kapi.lookup, work=self.work,
                           unsure_globals=frozenset(self.statics.unsure))
        self.cache: Dict[tuple, tuple] = {}
        self.given_up: Set[str] = set()     # hooks that hit the statement budget once: not run again
        self.order = 0
        self.exhausted: Optional[Budget] = None     # the file's work budget or the clock ran out
        self.views: Dict[int, tuple] = {}    # objects.object_views() of the scenario being run
        # (patch variable, scenario name) -> the steps some path ran, as positions in
        # Scenario.steps: (i,) for a step, (i, j) for the j-th enable call inside the lp_init step
        # i (the steps `klplint trace` prints)
        self.executed: Dict[Tuple[str, str], Tuple[Tuple[int, ...], ...]] = {}
        self._ran: Set[Tuple[int, ...]] = set()

    # ================================================== driver
    def run(self) -> Analysis:
        for p in self.module.patches:
            try:
                # what module_init does with the patch decides whether a disabled patch can be
                # enabled again (klp_register_patch before 5.1): scenarios with a re-enable
                scenarios = lifecycle.enumerate_scenarios([p], self.budgets.max_scenarios,
                                                          [initmode.init_mode(self.module, p)])
            except lifecycle.ScenarioError:
                continue
            for scen in scenarios:
                if self.exhausted:
                    break
                self.run_scenario(p, scen)
            if p.replace and p.api == "callbacks" and not self.exhausted:
                scen = self._replaced_scenario(p)
                if scen is not None:
                    self.run_scenario(p, scen, replaced=True)
        if not self.exhausted:
            self.run_shadow_callbacks()
        for ev in self.ex.facts:
            self.analysis.add_fact(ev)
        return self.analysis

    def _stopped(self, b: Budget, patch: model.Patch) -> None:
        """A scenario's or the file's work budget (or the clock) ran out during a scenario."""
        if b.ends_analysis:
            self.exhausted = b
        if not b.noted:     # a budget hit outside a step (between steps, or when the scenario began)
            ev = make(patch.loc, Incomplete(b.reason), (), 0, None, None, self.scenario.name)
            self.analysis.add(ev, self.order)

    def _replaced_scenario(self, p: model.Patch) -> Optional[lifecycle.Scenario]:
        """enable, then a cumulative patch replaces this one (none of its unpatch callbacks run),
        then its module is removed."""
        try:
            base = lifecycle.replay([p], ["enable"], [initmode.init_mode(self.module, p)])
        except lifecycle.ScenarioError:
            return None
        steps = base.steps + (
            lifecycle.CoreNote(f"'{p.module_name}': replaced by a later cumulative (.replace) patch, "
                               "unpatched without running its callbacks", "replace",
                               lifecycle.CoreAct.REPLACED, p.module_name),
            lifecycle.ModuleCode("lp_exit", p.module_name, 0, "rmmod"))
        return lifecycle.Scenario(("enable", "replaced"), steps, "replaced")

    # ================================================== scenarios
    def run_scenario(self, patch: model.Patch, scen: lifecycle.Scenario, replaced: bool = False) -> None:
        self.order += 1
        self.analysis.scenarios_run += 1
        self.scenario = scen
        self.replaced = replaced
        self.views = object_views(patch, scen.steps)
        states = [State()]
        finished: List[State] = []
        ran: Set[Tuple[int, ...]] = set()
        try:
            self.work.begin_scenario()
            for idx, step in enumerate(scen.steps):
                if not states:
                    break
                if isinstance(step, lifecycle.CoreNote):
                    if any(w in step.text for w in _INTERESTING_NOTE):
                        states = [s.note(patch.loc, step.text, "scenario") for s in states]
                    continue
                init = isinstance(step, lifecycle.ModuleCode) and step.kind == "lp_init"
                arrived = Frontier(self.budgets.max_paths)
                ends: List[State] = []      # every way module_init ended, for _nothing_after_init
                for s in states:
                    for x in self.run_step(s, step, patch, idx, ran):
                        if init:
                            ends.append(x)
                        if init and "load_failed" in x.flags:
                            finished.append(x)
                        elif not init or "lp_loaded" in x.flags:
                            arrived.add(x)
                if init and not len(arrived):
                    self._nothing_after_init(scen, idx, ends, patch)
                states = self._tidy(arrived, patch)
        except Budget as b:
            self._stopped(b, patch)
            states = []         # the paths still under way did not finish: nothing is checked at their end
        if not replaced:
            self.executed[(patch.var, scen.name)] = tuple(sorted(ran))
        for s in states + finished:
            if "lp_removed" in s.flags or "load_failed" in s.flags:
                self.end_check(s, patch)

    def _nothing_after_init(self, scen: lifecycle.Scenario, idx: int, ends: List[State],
                            patch: model.Patch) -> None:
        """No path of module_init leads into the rest of the scenario: say so (KLP213) rather than
        report a clean result for hooks and callbacks that were never run."""
        step = scen.steps[idx]
        rest = [x for x in scen.steps[idx + 1:] if not isinstance(x, lifecycle.CoreNote)
                and not (isinstance(x, lifecycle.ModuleCode) and x.if_registered)]
        if step.enable_result != "ok" or not rest or not ends or any("incomplete" in x.flags for x in ends):
            return
        fn = self._step_function(step)
        name = f"{fn.name}()" if fn is not None else "module_init"
        if any(x.flags & {"enable_done", REGISTERED} for x in ends):
            why = (f"module_init {name} fails on every path, even when klp_enable_patch() succeeds: "
                   f"no step of the lifecycle after the load of '{patch.module_name}' was run")
        else:
            why = (f"module_init {name} returns 0 on no path that enables or registers the patch "
                   f"'{patch.var}' (code klplint does not see may enable it): "
                   "no hook or callback of this patch was run after the load")
        loc = fn.loc if fn is not None else patch.loc
        self.analysis.add(make(loc, Incomplete(why), ends[0].trace, ends[0].nstmt,
                               fn.name if fn is not None else None, "lp_init", scen.name), self.order)

    def _tidy(self, arrived: Frontier, patch: model.Patch) -> List[State]:
        states = [_gc_pc(s) for s in arrived.take()]
        states = merge(states)
        if arrived.cut or len(states) > self.budgets.max_paths:
            ev = make(patch.loc,
                      Incomplete(f"more than {self.budgets.max_paths} paths in scenario {self.scenario.name}"),
                      states[0].trace, states[0].nstmt, patch.var, None, self.scenario.name)
            self.analysis.add(ev, self.order)
            states = states[: self.budgets.max_paths]
        return states

    def commit(self, events: Iterable[Event], prefix: Tuple, nstmt0: int) -> None:
        if self.replaced:
            events = [e for e in events if e.kind is EventKind.LEAK]
        for e in events:
            e = e._replace(trace=prefix + e.trace, nstmt=nstmt0 + e.nstmt, scenario=self.scenario.name)
            if self.replaced:
                e = e._replace(payload=e.payload._replace(replaced=True))
            self.analysis.add(e, self.order)

    # ================================================== steps
    def run_step(self, s: State, step, patch: model.Patch, idx: int = 0,
                 ran: Optional[Set[Tuple[int, ...]]] = None) -> List[State]:
        key = (s.key(), _step_key(step), patch.var, self.replaced, views_key(self.views, step))
        cached = self.cache.get(key)
        left = self.work.left()
        if cached is not None and cached[2] is not None and cached[3] != left:
            cached = None       # cut short by a budget that left more (or less) then than now: rerun
        if cached is None:
            stop: Optional[Budget] = None
            self._ran = set()
            start = self.havoc_unsure(s)
            start = start.copy()
            start.trace = ()
            start.nstmt = 0
            start.events = ()
            start.gotos = ()
            self.ex.side_events = []
            self.ex.stmts = 0
            try:
                ends = self._exec_step(start, step, patch, depth=1)
            except Budget as b:
                fn = self._step_function(step)
                loc = fn.loc if fn is not None else patch.loc
                tainted = start.with_flag("incomplete")
                ev = make(loc, Incomplete(b.reason), start.trace, 0,
                          fn.name if fn is not None else None, _step_role(step), None)
                ends = [tainted]
                self.ex.side_events.append(ev)
                if b.kind != HOOK:
                    stop = b        # the scenario (or the whole analysis) ends after this step
                    b.noted = True
            side = list(self.ex.side_events)
            self.ex.side_events = []
            local = []
            for e in ends:
                evs = e.events
                e2 = e.copy()
                e2.events = ()
                local.append((e2, evs))
            cached = (tuple(local), tuple(side), stop, left, frozenset(self._ran))
            self.cache[key] = cached
        local, side, stop, _, done = cached
        if ran is not None:
            ran.update((idx,) + at for at in done)
        out = []
        all_events = list(side)
        for e, evs in local:
            n = e.copy()
            n.trace = (s.trace + e.trace)[: 4 * 80]
            n.nstmt = s.nstmt + e.nstmt
            n.events = ()
            all_events += evs
            out.append(n)
        self.commit(all_events, s.trace, s.nstmt)
        if stop is not None:
            raise stop
        self.work.count_paths(len(out))
        return out

    def havoc_unsure(self, s: State) -> State:
        """Between two steps, code the engine does not run (replacement functions, work items,
        sysfs writes to module parameters) may have changed these globals: forget their values."""
        for name in sorted(self.statics.unsure):
            region = Global(name)
            if (region, ("#h",)) in s.mem and not any(k[0] == region and k[1] != ("#h",) for k in s.mem):
                continue
            s = self.ex.escape(s, Ptr(region))
        return s

    def _step_function(self, step) -> Optional[ir.FunctionDecl]:
        if isinstance(step, lifecycle.Call):
            return self.module.functions.get(step.function or "")
        if isinstance(step, lifecycle.ModuleCode):
            name = self.module.init_func if step.kind == "lp_init" else \
                self.module.exit_func if step.kind == "lp_exit" else None
            return self.module.functions.get(name or "")
        return None

    def _exec_step(self, s: State, step, patch: model.Patch, depth: int, at: Tuple[int, ...] = ()) -> List[State]:
        if isinstance(step, lifecycle.CoreNote):
            if any(w in step.text for w in _INTERESTING_NOTE):
                return [s.note(patch.loc, step.text, "scenario")]
            return [s]
        if isinstance(step, lifecycle.ModuleCode) and step.if_registered and SYSFS_FAILED not in s.flags:
            return [s]          # module_init enabled the patch itself: its failure unloaded the module
        self._ran.add(at)
        if isinstance(step, lifecycle.Call):
            return self.exec_call(s, step, patch, depth)
        if step.kind == "lp_init":
            return self.exec_lp_init(s, step, patch, depth)
        if step.kind == "lp_exit":
            return self.exec_lp_exit(s, step, patch, depth)
        obj = next((o for o in patch.objects if o.name == step.module), None)
        loc = (obj.name_loc or obj.loc) if obj is not None else patch.loc
        if step.kind == "target_init":
            return [s.note(loc, f"target module {step.module} loads: COMING, then its init runs", "scenario")]
        return [s.note(loc, f"target module {step.module} unloads: its exit runs, then GOING", "scenario")]

    # ---------------------------------------------- a hook or callback
    def exec_call(self, s: State, call: lifecycle.Call, patch: model.Patch, depth: int) -> List[State]:
        fn = self.module.functions.get(call.function or "")
        obj = patch.objects[call.obj_index]
        where = obj.label if call.state is None else f"{obj.label} [{call.state}]"
        label = f"{call.role}(obj={where})"
        if call.must == "fail":
            label += " returns an error"
        if fn is None or fn.body is None:
            return [s.note(obj.loc, label + f": {call.function or '?'}() is not in this file", "scenario")]
        view = self.views.get(id(call))
        binding = Binding(call.patch_index, call.obj_index, obj.label, obj.name, call.mod_null, call.state,
                          view.objects if view is not None else (), view is not None and view.completed)
        ctx = StepCtx(call.role, fn.name, binding, in_hook=True, cnt0=s.cnt, desc=f"{call.role}",
                      patch=patch)
        s = s.note(fn.loc, f"{label}: the core calls {fn.name}()", "scenario")
        if fn.name in self.given_up:
            return [s.with_flag("incomplete")]
        with self.ex.in_step(ctx, depth, reset_stmts=True):
            try:
                results = self.ex.call_function(fn, (Ptr(binding.region),), s, depth, fn.loc)
            except Budget as b:
                if b.kind != HOOK:
                    raise       # the scenario's or the file's budget: not this hook's fault
                self.given_up.add(fn.name)
                self.ex.side_events.append(make(fn.loc, Incomplete(b.reason), s.trace, s.nstmt,
                                                fn.name, call.role, None))
                return [s.with_flag("incomplete")]
        returns_int = fn.type.target is not None and fn.type.target.kind not in ("void",)
        # the hook falls off by its shape though no path the scenario allows does (-Wreturn-type)
        shape_end = falloff.shape_end(self.ex, fn) if returns_int and call.role in INT_ROLES \
            and all(st is not None for _, _, st in results) else None
        out = []
        for v, x, ret_stmt in results:
            if call.must in ("ok", "fail") and returns_int and falloff.GHOST not in x.flags:
                x = _assume_result(x, v, call.must == "ok")
                if x is None:
                    continue
            if ret_stmt is None and returns_int and call.role in INT_ROLES and "incomplete" not in x.flags:
                saved_ctx = self.ex.ctx
                self.ex.ctx = ctx
                x = self.ex.event(x, fn.loc, MissingReturn(call.role))
                self.ex.ctx = saved_ctx
            elif returns_int and call.role in INT_ROLES and type(v) is Sym and x.flags:
                # the hook returns what a helper it called did not return (or that helper's value
                # tested in the hook was reported by Evaluate already)
                saved_ctx = self.ex.ctx
                self.ex.ctx = ctx
                x = falloff.used(self.ex, x, v.id)
                self.ex.ctx = saved_ctx
            if falloff.GHOST in x.flags:
                # a ghost path ends with the hook: only its KLP209 outlives it
                self.ex.side_events.extend(e for e in x.events if type(e.payload) is MissingReturn)
                continue
            if shape_end is not None and "incomplete" not in x.flags:
                saved_ctx = self.ex.ctx
                self.ex.ctx = ctx
                x = self.ex.event(x, fn.loc, MissingReturn(call.role, None, shape_end))
                self.ex.ctx = saved_ctx
                shape_end = None        # once: it holds whatever the path
            x = falloff.clear(x)
            err = returns_int and call.role in INT_ROLES and _is_error(x, v)
            if err and ret_stmt is not None:
                x = x.note(ret_stmt.loc, f"{fn.name}() returns {_ret_text(ret_stmt)}")
            out.append(self.end_of_call(x, ctx, err, ret_stmt, fn))
        if call.must in ("ok", "fail") and not out and results:
            pass        # no path returns what the scenario assumes: the scenario is infeasible
        return out

    def end_of_call(self, s: State, ctx: StepCtx, err: bool, ret_stmt: Optional[ir.Return],
                    fn: Optional[ir.FunctionDecl]) -> State:
        """What a hook leaves behind when it returns: locks still held, resources it took before
        an error return, objects nothing points to any more."""
        saved = self.ex.ctx
        self.ex.ctx = ctx
        try:
            ret_loc = ret_stmt.loc if ret_stmt is not None else (fn.loc if fn else None)
            ret_text = _ret_text(ret_stmt)
            for key, loc, kind, label in s.locks:
                s = self.ex.event(s, loc, LockHeld(kind, label, ret_loc))
            if s.locks:
                s = s.copy()
                s.locks = ()
            if err and ctx.role in ("patch_hook", "pre_patch"):
                taken = [("heap", h, o) for h, o in sorted(s.heap.items())
                         if o.acq_id >= ctx.cnt0 and o.status == "live" and not o.escaped]
                taken += [("res", k, r) for k, r in s.res.items() if r.acq_id >= ctx.cnt0 and r.status == "held"]
                if taken:
                    failed = FailedStep(ctx.role, ret_loc, ret_text, fn.name if fn else None)
                    if ctx.role == "patch_hook":
                        s = self.ex.event(s, ret_loc or fn.loc, PartialErrorReturn(tuple(
                            o for _, _, o in taken), ret_text))
                    for what, k, o in taken:
                        if what == "heap":
                            s = s.set_heap(k, o._replace(failed=failed))
                        else:
                            # the mark replaces the workqueue link (they once shared a field: kept as it was)
                            s = s.set_res(k, o._replace(failed=failed, queue=None))
            lost = self.lost_objects(s)
            for hid in lost:
                o = s.heap[hid]
                s = self.ex.event(s, o.site, Leak("return", heap=o, ret=ret_loc, ret_text=ret_text,
                                  function=fn.name if fn else None, overwritten=o.acq_id < ctx.cnt0))
                s = s.set_heap(hid, o._replace(status="lost"))
        finally:
            self.ex.ctx = saved
        return s

    def lost_objects(self, s: State) -> List[int]:
        """Live heap objects nothing reachable points to any more."""
        live = [h for h, o in s.heap.items() if o.status == "live" and not o.escaped and o.kind in LOSABLE]
        if not live:
            return []
        roots = {k[0] for k in s.mem if type(k[0]) is not HeapRegion}
        roots |= {HeapRegion(h) for h, o in s.heap.items() if o.kind == "shadow" and o.status == "live"}
        reach = self.ex.reachable_regions(s, roots)
        return sorted(h for h in live if HeapRegion(h) not in reach)

    # ---------------------------------------------- module_init / module_exit
    def _enable(self, s: State, step: lifecycle.ModuleCode, patch: model.Patch, depth: int,
                loc) -> List[State]:
        """The core enables the scenario's patch: the hooks and callbacks of the lp_init step."""
        x = s.with_flag("enable_done")
        if step.enable_result != "ok":
            x = x.with_flag("enable_failed")
        states = [x]
        for j, inner in enumerate(step.enable_calls):
            # the core's steps inside klp_enable_patch() multiply states like lifecycle steps:
            # counted as paths of the scenario, and capped like any live set
            arrived = Frontier(self.budgets.max_paths)
            for y in states:
                got = self._exec_step(y, inner, patch, depth, (j,))
                self.work.count_paths(len(got))
                arrived.extend(got)
            states = arrived.take()
            if arrived.cut:
                self.ex.paths_cut(states, loc)
        return states

    def exec_lp_init(self, s: State, step: lifecycle.ModuleCode, patch: model.Patch, depth: int) -> List[State]:
        fn = self.module.functions.get(self.module.init_func or "")
        result = 0 if step.enable_result == "ok" else ERRNO.get(step.enable_result, -22)
        engine = self

        def enable(cx):
            states = engine._enable(cx.s, step, patch, cx.fr.depth + 1, cx.loc)
            rv = Int(result) if result else ZERO
            if result:
                states = [y.note(cx.loc, f"klp_enable_patch() returns {step.enable_result}") for y in states]
            return [(rv, y) for y in states]

        if fn is None or fn.body is None:
            class _Cx:
                pass
            cx = _Cx()
            cx.s, cx.loc = s.note(patch.loc, f"the livepatch module {patch.module_name} loads", "scenario"), patch.loc
            cx.fr = type("F", (), {"depth": depth})()
            out = []
            for v, x in enable(cx):
                out.append(self._classify_init(x, v, None, patch))
            return out
        ctx = StepCtx("lp_init", fn.name, None, in_hook=False, cnt0=s.cnt, desc="module_init",
                      enable=enable, patch=patch)
        s = s.note(fn.loc, f"the livepatch module {patch.module_name} loads: {fn.name}() runs", "scenario")
        with self.ex.in_step(ctx, depth):
            results = self.ex.call_function(fn, (), s, depth, fn.loc)
        out: List[State] = []
        for v, x, st in results:
            x = self.end_of_call(x, ctx, False, st, fn)
            c = self._classify_init(x, v, st, patch)
            if c is None:
                continue
            if REGISTERED in c.flags and not c.flags & {"load_failed", "lp_loaded"}:
                out += self._sysfs_enable(c.with_flag(REGISTERED, False), step, patch, depth, fn)
            else:           # the flag stays on a failed load: KLP213 tells "fails" from "never enables"
                out.append(c if "load_failed" in c.flags else c.with_flag(REGISTERED, False))
        return out

    def _sysfs_enable(self, s: State, step: lifecycle.ModuleCode, patch: model.Patch, depth: int,
                      fn: ir.FunctionDecl) -> List[State]:
        """module_init only registered the patch and returned 0: the administrator enables it by
        writing 1 to /sys/kernel/livepatch/<patch>/enabled, and the core runs the same enable. If
        that fails, the write fails and the module stays loaded with its patch disabled."""
        enabled = f"/sys/kernel/livepatch/{patch.module_name}/enabled"
        s = s.note(fn.loc, f"{fn.name}() only registered the patch: echo 1 > {enabled}", "scenario")
        out = []
        for x in self._enable(s, step, patch, depth + 1, fn.loc):
            if step.enable_result == "ok":
                out.append(x.with_flag("lp_loaded"))
            else:
                out.append(x.with_flag("lp_loaded").with_flag(SYSFS_FAILED).note(
                    fn.loc, f"the write to {enabled} fails with {step.enable_result}: the module stays "
                            "loaded, its patch registered and disabled", "scenario"))
        return out

    def _classify_init(self, x: State, v, st, patch) -> Optional[State]:
        done, failed = "enable_done" in x.flags, "enable_failed" in x.flags
        nonzero = None
        if type(v) is Int:
            nonzero = v.value != 0
        elif type(v) is Sym:
            if x.sym_excludes(v.id, 0):
                nonzero = True
            elif x.sym_value(v.id) == 0:
                nonzero = False
            else:
                nonzero = failed or not done
        else:
            nonzero = True
        loc = st.loc if st is not None else patch.loc
        if nonzero:
            return x.with_flag("load_failed").note(loc, f"module_init returns {_ret_text(st) or 'an error'}: "
                                                        "the livepatch module does not load", "scenario")
        if done and not failed:
            return x.with_flag("lp_loaded")
        return x            # module_init returned 0 without enabling the patch: the scenario ends

    def exec_lp_exit(self, s: State, step, patch: model.Patch, depth: int) -> List[State]:
        fn = self.module.functions.get(self.module.exit_func or "")
        if fn is None or fn.body is None:
            return [s.with_flag("lp_removed").note(patch.loc, f"the livepatch module {patch.module_name} is removed",
                                                   "scenario")]
        ctx = StepCtx("lp_exit", fn.name, None, in_hook=False, cnt0=s.cnt, desc="module_exit", patch=patch)
        s = s.note(fn.loc, f"the livepatch module {patch.module_name} is removed: {fn.name}() runs", "scenario")
        with self.ex.in_step(ctx, depth):
            results = self.ex.call_function(fn, (), s, depth, fn.loc)
        return [self.end_of_call(x, ctx, False, st, fn).with_flag("lp_removed") for _, x, st in results]

    # ---------------------------------------------- the end of a scenario
    def end_check(self, s: State, patch: model.Patch) -> None:
        """The livepatch module is gone (removed, or its load failed): whatever it still holds leaks."""
        exit_fn = self.module.functions.get(self.module.exit_func or "")
        loc = exit_fn.loc if exit_fn is not None and "lp_removed" in s.flags else patch.loc
        for h, o in sorted(s.heap.items()):
            if o.status == "released" and o.rel_what:
                self.analysis.released_by.setdefault(o.site, set()).add(o.rel_what[0])
        for k, r in s.res.items():
            if r.status == "released" and r.rel_what:
                self.analysis.released_by.setdefault(r.site, set()).add(r.rel_what[0])
        if "incomplete" in s.flags:
            return
        gone = "the livepatch module is removed" if "lp_removed" in s.flags else "the livepatch module's load failed"
        events = []
        ctx = StepCtx("end", None, None)
        saved = self.ex.ctx
        self.ex.ctx = ctx
        try:
            for h, o in sorted(s.heap.items()):
                if o.status == "live" and not o.escaped:
                    x = s.note(loc, f"{gone}: {o.name or o.desc} (from line {o.site.line}) is still held",
                               "scenario")
                    x = self.ex.event(x, o.site, Leak("end", heap=o, gone=gone))
                    events += x.events[-1:]
            leaking = {HeapRegion(h) for h, o in s.heap.items() if o.status == "live" and not o.escaped}
            for k, r in sorted(s.res.items(), key=lambda kv: (kv[1].site, kv[1].desc)):
                # what was created inside a leaking object (the sysfs files of a kobject) goes
                # with it: the object's leak is the one to fix
                inside = type(k.target) is Ptr and k.target.region in leaking
                if r.status == "held" and not inside:
                    x = s.note(loc, f"{gone}: {r.desc} (from line {r.site.line}) is still held", "scenario")
                    x = self.ex.event(x, r.site, Leak("end", res=r, gone=gone))
                    events += x.events[-1:]
        finally:
            self.ex.ctx = saved
        for e in events:
            self.analysis.add(e._replace(scenario=self.scenario.name,
                                         payload=e.payload._replace(replaced=True) if self.replaced else e.payload),
                              self.order)

    # ---------------------------------------------- shadow ctors and dtors, wherever they are passed
    def run_shadow_callbacks(self) -> None:
        done = set()
        for name, what, call, caller in callback_refs(self.module):
            fn = self.module.functions.get(name)
            if fn is None or fn.body is None or (name, what) in done:
                continue
            done.add((name, what))
            self.order += 1
            self.scenario = lifecycle.Scenario((f"{call.callee_name}() in {caller}()",), (), "")
            self.replaced = False
            ctx = StepCtx(what, fn.name, None, atomic=1, desc=what)
            s = State().note(call.loc, f"{call.callee_name}() runs {name}() with a spinlock held and "
                                       "interrupts off", "statement")
            args = []
            for _ in fn.params:
                v, s = self.ex.fresh_sym(s)
                args.append(v)
            self.ex.stmts = 0
            with self.ex.in_step(ctx, 1):
                try:
                    self.work.begin_scenario()      # each run is a scenario of its own for the budget
                    results = self.ex.call_function(fn, tuple(args), s, 1, fn.loc)
                except Budget as b:
                    results = []
                    self.analysis.add(make(fn.loc, Incomplete(b.reason), s.trace, 0, fn.name, what, None),
                                      self.order)
                    if b.ends_analysis:
                        self.exhausted = b
                        return
            for _, x, _ in results:
                for e in x.events:
                    if e.kind in (EventKind.SLEEP_ATOMIC, EventKind.INCOMPLETE):
                        self.analysis.add(e._replace(scenario=None), self.order)


# ------------------------------------------------------------------ helpers

def _step_role(step) -> Optional[str]:
    if isinstance(step, lifecycle.Call):
        return step.role
    if isinstance(step, lifecycle.ModuleCode):
        return step.kind
    return None


def _assume_result(s: State, v, ok: bool) -> Optional[State]:
    if type(v) is Int:
        return s if (v.value == 0) == ok else None
    if type(v) is Ptr:
        return None if ok else s
    return s.constrain(v.id, eq=0) if ok else s.constrain(v.id, ne=0)


def _is_error(s: State, v) -> bool:
    if type(v) is Int:
        return v.value != 0
    if type(v) is Sym:
        return s.sym_excludes(v.id, 0)
    return False



def _ret_text(st: Optional[ir.Return]) -> str:
    if st is None or st.value is None:
        return ""
    c = const_int(st.value)
    if c is not None and c < 0 and -c in ERRNO_NAMES:
        return f"-{ERRNO_NAMES[-c]}"
    return c_text(st.value)


def _gc_pc(s: State) -> State:
    """Drop path-condition facts about symbols nothing refers to any more (lets paths merge)."""
    if not s.pc:
        return s
    live = set()
    for (region, _), v in s.mem.items():
        if type(v) is Sym:
            live.add(v.id)
        if type(region) is SymRegion:
            live.add(region.sym)
    for k in s.res:
        t = k.target
        if isinstance(t, Sym):
            live.add(t.id)
        elif isinstance(t.region, SymRegion):
            live.add(t.region.sym)
    for (okey, _), _h in s.shadow.items():
        if type(okey) is Sym:
            live.add(okey.id)
    if all(sym in live for sym in s.pc):
        return s
    n = s.copy()
    n.pc = {k: v for k, v in s.pc.items() if k in live}
    return n


# ------------------------------------------------------------------ entry point

def analyse(module: model.PatchModule, config) -> Analysis:
    """Run every scenario of every patch of `module`; the events the engine saw, deduplicated."""
    return Engine(module, config).run()
