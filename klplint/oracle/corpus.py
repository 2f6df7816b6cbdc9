"""Run corpus modules through build, load, patch, disable and unload and report oopses; confirm what one module really does in a scenario."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from klplint.oracle import harness, ksource
from klplint.oracle.compare import Comparison, compare
from klplint.oracle.console import Report, ScenarioRecord
from klplint.oracle.debmods import find_shipped
from klplint.oracle.initscript import InitOptions
from klplint.oracle.kbuild import BuiltModule, build_modules, build_tolerant, module_name
from klplint.oracle.parts import OracleError
from klplint.oracle.predict import Prediction, PredictionUnavailable, predict
from klplint.oracle.scenario import FailKnob, Scenario, build_scenario, knob_caveat, parse_event

_EXPECT_RE = re.compile(r"//\s*expect(?:@[+-]?\d+)?\s+((?:KLP\d{3}[\s,]*)+)")
_OBJNAME_RE = re.compile(r"\.\s*name\s*=\s*\"([^\"]+)\"")
NEVER_RAN = "the VM never ran /init"
FATAL = ("oops", "panic", "hung_task", "soft_lockup", "rcu_stall")


def expectations(source: str) -> Tuple[str, ...]:
    """The rule ids a corpus file's `// expect KLPnnn` comments name."""
    with open(source, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if "expect-no-findings" in text:
        return ()
    ids: List[str] = []
    for m in _EXPECT_RE.finditer(text):
        ids += [i for i in re.findall(r"KLP\d{3}", m.group(1)) if i not in ids]
    return tuple(ids)


def is_livepatch_source(source: str) -> bool:
    with open(source, encoding="utf-8", errors="replace") as f:
        return bool(re.search(r"\bstruct\s+klp_patch\b", f.read()))


def object_names(source: str) -> Tuple[str, ...]:
    """Target module names a livepatch source's objects name (`.name = "..."`)."""
    with open(source, encoding="utf-8", errors="replace") as f:
        text = re.sub(r"/\*.*?\*/|//[^\n]*", " ", f.read(), flags=re.S)
    out: List[str] = []
    for n in _OBJNAME_RE.findall(text):
        if n != "vmlinux" and n not in out:
            out.append(n)
    return tuple(out)


@dataclass
class ModuleRun:
    """What happened to one corpus module."""
    source: str
    module: str
    expects: Tuple[str, ...]
    events: str
    build_error: Optional[str] = None
    outcome: str = "not run"
    calls: List[Dict] = field(default_factory=list)
    reports: List[Report] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    step_log: str = ""
    boot: int = 0

    @property
    def verdict(self) -> str:
        """build-failed | panic | oops | hung | soft-lockup | rcu-stall | warning | load-failed |
        did-not-finish | clean"""
        if self.build_error is not None:
            return "build-failed"
        if self.outcome == "not a livepatch":
            return "skipped"
        kinds = {r.kind for r in self.reports}
        for kind, word in (("panic", "panic"), ("oops", "oops"), ("hung_task", "hung"),
                           ("soft_lockup", "soft-lockup"), ("rcu_stall", "rcu-stall")):
            if kind in kinds:
                return word
        if self.outcome == "not run":
            return "not-run"
        if "warning" in kinds:
            return "warning"
        if "hung" in self.outcome or "did not finish" in self.outcome:
            return "did-not-finish"
        if self.outcome != "ok":
            return "load-failed" if "enable" in self.outcome else "failed"
        if any(p for p in self.problems if not p.startswith("left loaded")):
            return "incomplete"
        return "clean"

    def summary(self) -> str:
        exp = ",".join(self.expects) or "-"
        line = f"{self.verdict:<14} {self.source}  [expect {exp}]  {self.events}: {self.outcome}"
        for title in _titles(self.reports, with_kind=True):
            line += f"\n    {title}"
        for p in self.problems:
            line += f"\n    problem: {p}"
        if self.build_error:
            err = [ln for ln in self.build_error.splitlines() if "rror" in ln][:2]
            line += "".join(f"\n    {ln.strip()}" for ln in err)
        return line


def _titles(reports: Sequence[Report], with_kind: bool = False) -> List[str]:
    """Report titles, repeats (an oops in a loop: [#1], [#2], ...) counted once."""
    counts: Dict[Tuple[str, str], int] = {}
    for r in reports:
        key = (r.kind, re.sub(r"\s*\[#\d+\]", "", r.title))
        counts[key] = counts.get(key, 0) + 1
    return [(f"{kind}: " if with_kind else "") + title + (f"  (x{n})" if n > 1 else "")
            for (kind, title), n in counts.items()]


def _default_events(source: str, release: str) -> Tuple[str, Tuple[str, ...]]:
    """'load:T...,enable,disable,unload:T...' with every target the kernel ships; else
    'enable,disable'."""
    targets = tuple(n for n in object_names(source) if find_shipped(n, release))
    events = [f"load:{t}" for t in targets] + ["enable", "disable"] + [f"unload:{t}" for t in reversed(targets)]
    return ",".join(events), targets


def run_corpus(files: Sequence[str], machine: Optional[harness.Machine] = None,
               events: Optional[str] = None, per_boot: int = 16,
               timeout: Optional[float] = None, log=None,
               options: Optional[InitOptions] = None) -> List[ModuleRun]:
    """Build every file (a build failure is a result), then run each module's scenario
    (default: load the targets the kernel ships, enable, disable, unload) in as few boots as
    possible. After an oops, a hang or a panic the following modules run in a fresh boot."""
    machine = machine or harness.find_machine()
    work = tempfile.mkdtemp(prefix="klplint-oracle-corpus-")
    try:
        results: List[ModuleRun] = []
        by_name: Dict[str, List[str]] = {}
        for f in files:
            by_name.setdefault(module_name(f), []).append(f)
        # modules with the same name cannot share a build: one build per "generation"
        generations: List[List[str]] = []
        for name, fs in by_name.items():
            for i, f in enumerate(fs):
                while len(generations) <= i:
                    generations.append([])
                generations[i].append(f)
        queue: List[Tuple[ModuleRun, BuiltModule, Scenario, Tuple[str, ...]]] = []
        for g, gen in enumerate(generations):
            to_build = [f for f in gen if is_livepatch_source(f)]
            built, errors = build_tolerant(to_build, machine.kernel.kbuild_dir, os.path.join(work, f"gen{g}"),
                                           make=machine.tools.make)
            for f in gen:
                name = module_name(f)
                ev, targets = (events, ()) if events else _default_events(f, machine.kernel.release)
                if events:
                    targets = tuple(parse_event(e).name for e in events.split(",")
                                    if e.startswith("load:"))
                mr = ModuleRun(f, name, expectations(f), ev)
                results.append(mr)
                if not is_livepatch_source(f):
                    mr.outcome = "not a livepatch"
                    continue
                if f in errors:
                    mr.build_error = errors[f]
                    continue
                if name not in built:
                    mr.build_error = "kbuild produced no module"
                    continue
                sc = build_scenario(ev, [name], name=name)
                queue.append((mr, built[name], sc, targets))
        boot_no = 0
        solo: set = set()           # modules to run alone (they went wrong after others ran)
        while queue:
            # one boot: modules with distinct names only; a module marked solo runs alone
            batch, rest, names = [], [], set()
            for item in queue:
                alone = id(item[0]) in solo
                if batch and (alone or id(batch[0][0]) in solo):
                    rest.append(item)
                elif len(batch) < per_boot and item[1].name not in names:
                    batch.append(item)
                    names.add(item[1].name)
                else:
                    rest.append(item)
            boot_no += 1
            if log:
                log(f"boot {boot_no}: {len(batch)} module(s)")
            run = harness.run([], [b[2] for b in batch], machine=machine, timeout=timeout, options=options,
                              built={b[1].name: b[1] for b in batch},
                              shipped=sorted({t for b in batch for t in b[3]}))
            retry: List = []
            stop = False
            for pos, (item, res) in enumerate(zip(batch, run.results)):
                mr = item[0]
                if stop or not res.record.began:
                    retry.append(item)
                    continue
                went_wrong = any(r.kind in FATAL for r in res.reports) or not res.record.ended
                if went_wrong and pos > 0 and id(mr) not in solo:
                    # an earlier module of this boot may have left the kernel broken: run it
                    # again alone before blaming it
                    solo.add(id(mr))
                    mr.problems = [f"in boot {boot_no}, after {', '.join(b[0].module for b in batch[:pos])}: "
                                   f"{res.outcome}" + "".join(f"; {t}" for t in _titles(res.reports))]
                    retry.append(item)
                    stop = True
                    continue
                earlier = [p for p in mr.problems if p.startswith("in boot ")] if id(mr) in solo else []
                mr.outcome, mr.calls, mr.reports = res.outcome, res.calls, res.reports
                mr.problems = list(res.problems)
                if earlier and not went_wrong:
                    mr.problems.append(earlier[0].replace("in boot", "went wrong in boot", 1) +
                                       " — alone it did not: an earlier module broke the kernel")
                mr.step_log, mr.boot = res.step_log(), boot_no
                if went_wrong:
                    stop = True        # the kernel is no longer trustworthy for the others
                if [m for m in res.record.left_loaded if m != mr.module]:
                    stop = True        # a target the next modules may load is still there
            if retry and len(retry) == len(batch):
                # nothing ran: do not loop forever
                for item in retry:
                    item[0].outcome = "not run"
                    item[0].problems.append("the VM stopped before this module ran: " +
                                            "; ".join(run.problems or ["no reason printed"]))
                retry = []
            elif run.problems:
                # harness trouble of the whole boot (probes, watchdog): on every module that ran
                for item in batch:
                    if item not in retry:
                        item[0].problems.extend(p for p in run.problems if p not in item[0].problems)
            queue = retry + rest
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


@dataclass
class Confirmation:
    """What one module really does in one scenario, beside the model's prediction."""
    source: str
    events: str
    result: harness.ScenarioResult
    comparison: Optional[Comparison]
    prediction_error: Optional[str]
    accel: str = ""
    boot_seconds: float = 0.0
    boot: int = 0                  # which boot of the confirmation ran it (0: none)

    @property
    def oops(self) -> bool:
        return any(r.kind in ("oops", "panic") for r in self.result.reports)

    @property
    def hung(self) -> bool:
        return any(r.kind in ("hung_task", "soft_lockup", "rcu_stall") for r in self.result.reports) or \
            "hung" in self.result.outcome

    @property
    def observed(self) -> bool:
        """The VM booted, ran /init and began this scenario: only then is there a result to show."""
        return self.boot > 0 and self.result.record.began and not any(
            p.startswith(NEVER_RAN) for p in self.result.problems)

    @property
    def warning(self) -> bool:
        return any(r.kind == "warning" for r in self.result.reports)

    @property
    def missing_calls(self) -> List[Dict]:
        """Calls the model predicted that the kernel did not make."""
        if self.comparison is None:
            return []
        return [dict(r.predicted) for r in self.comparison.rows if r.mark in ("<", "!") and r.predicted]

    @property
    def extra_calls(self) -> List[Dict]:
        if self.comparison is None:
            return []
        return [dict(r.observed) for r in self.comparison.rows if r.mark in (">", "!") and r.observed]

    @property
    def matched(self) -> Optional[bool]:
        return None if self.comparison is None else self.comparison.matched

    def render(self) -> str:
        out = []
        flags = []
        if self.oops:
            flags.append("OOPS")
        if self.hung:
            flags.append("HUNG")
        if self.warning:
            flags.append("WARNING")
        if self.missing_calls:
            flags.append(f"{len(self.missing_calls)} predicted call(s) missing")
        out.append(f"{self.source}: {self.events} -> {self.result.outcome}"
                   + (f"  [{', '.join(flags)}]" if flags else ""))
        if self.comparison is not None:
            out.append(self.comparison.render())
        else:
            out.append(f"  (no prediction: {self.prediction_error})")
            for c in self.result.calls:
                st = f" [{c['state']}]" if c.get("state") else ""
                out.append(f"  observed: {'/'.join(c['roles']) or '?'} {c['function']}({c['object']}){st}"
                           f"   -- {c.get('event')}")
        for r in self.result.reports:
            out.append(f"  kernel {r.kind} during step {r.step}:")
            out.extend("    " + ln for ln in r.text.splitlines()[:25])
        for p in self.result.problems:
            out.append(f"  problem: {p}")
        return "\n".join(out)


def _not_runnable_here(events: str) -> Optional[str]:
    """Why an enumerated scenario cannot be reproduced on 6.1 with an arbitrary module."""
    for ev in events.split(","):
        if ev.startswith("reenable"):
            return "the kernel (6.1, 6.12) frees a disabled patch: re-enabling (H7) stays with the model"
        if ev.startswith("enable") and "stalled" in ev:
            return "a stalled transition needs a task sleeping in patched code (run it with a busy target)"
    return None


def _predictions_for(files: Sequence[str], events: str) -> Tuple[List[Prediction], Optional[str]]:
    try:
        return predict(files, events), None
    except PredictionUnavailable as e:
        return [], str(e)


def confirm(sources: Sequence[str], scenarios: Sequence[str] = (), targets: Sequence[str] = (),
            machine: Optional[harness.Machine] = None, fail_knobs: Optional[Mapping[str, Mapping[str, FailKnob]]] = None,
            params: Optional[Mapping[str, str]] = None, timeout: Optional[float] = None,
            use_model: bool = True, options: Optional[InitOptions] = None,
            max_boots: int = 8) -> List[Confirmation]:
    """Run the livepatch module(s) `sources` (several: stacked patches, enable:N) with target
    modules built from `targets` or shipped with the kernel, through each scenario in one boot,
    and set what happened beside what `klplint trace` predicts.

    scenarios: section-3 event strings; none: every scenario the model enumerates that this
    machine can run, or 'load:T...,enable,disable,unload:T...' without a model."""
    machine = machine or harness.find_machine()
    patches = [module_name(s) for s in sources]
    targets = list(targets)
    target_names = [module_name(t) for t in targets]

    def have_target(name: str) -> bool:
        """Given, shipped with the kernel, or one of the kernel's test modules (built from
        linux-source-<series> of the kernel that boots)."""
        if name in target_names or find_shipped(name, machine.kernel.release):
            return True
        src = ksource.find_test_module(name, machine.series)
        if src:
            targets.append(src)
            target_names.append(name)
        return src is not None

    skipped: List[Tuple[str, str]] = []
    enumerated_here = not scenarios
    if not scenarios:
        enumerated: List[str] = []
        if use_model:
            preds = []
            try:
                preds = predict(sources, None)
            except PredictionUnavailable:
                pass        # no prediction: the default scenario below is run
            enumerated = []
            for p in preds:
                if not p.scenario or p.scenario in enumerated or p.scenario in (e for e, _ in skipped):
                    continue
                why = _not_runnable_here(p.scenario)
                if why:
                    skipped.append((p.scenario, why))
                else:
                    enumerated.append(p.scenario)
        if not enumerated:
            objs = [n for s in sources for n in object_names(s)]
            have = [n for n in objs if have_target(n)]
            enumerated = [",".join([f"load:{t}" for t in have] + ["enable" if len(sources) == 1 else
                                   ",".join(f"enable:{i + 1}" for i in range(len(sources)))] +
                                   ["disable" if len(sources) == 1 else
                                    ",".join(f"disable:{i}" for i in range(len(sources), 0, -1))] +
                                   [f"unload:{t}" for t in reversed(have)])]
        scenarios = enumerated
    built_scenarios: List[Scenario] = []
    shipped: List[str] = []
    objects = [n for src in sources for n in object_names(src)]
    caveats: Dict[str, str] = {}
    for ev in scenarios:
        why = knob_caveat(ev, objects) if "fail:" in ev else None
        if why:
            if enumerated_here:
                skipped.append((ev, why))
                continue
            caveats[ev] = why
        try:
            sc = build_scenario(ev, patches, params or {}, fail_knobs or {}, name=ev)
        except OracleError as e:
            skipped.append((ev, str(e)))
            continue
        missing = [st.module for st in sc.steps if st.kind == "load" and st.module not in target_names
                   and st.module not in patches]
        unavailable = [m for m in missing if not have_target(m)]
        missing = [m for m in missing if m not in target_names]
        if unavailable:
            skipped.append((ev, f"no module {', '.join(unavailable)} to load (give its source with --target)"))
            continue
        shipped += [m for m in missing if m not in shipped]
        built_scenarios.append(sc)
    if not built_scenarios:
        raise OracleError("no scenario can run here: " + "; ".join(f"{e}: {r}" for e, r in skipped))
    # One boot for all; scenarios a crash or hang kept from running go to a fresh boot.
    done: Dict[int, Tuple[harness.ScenarioResult, str, float, int]] = {}
    pending = list(range(len(built_scenarios)))
    boots = 0
    build_dir = tempfile.mkdtemp(prefix="klplint-oracle-confirm-")
    try:
        built = build_modules(list(sources) + list(targets), machine.kernel.kbuild_dir, build_dir,
                              make=machine.tools.make)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    while pending and boots < max_boots:
        boots += 1
        try:
            run = harness.run([], [built_scenarios[i] for i in pending], machine=machine,
                              timeout=timeout, shipped=shipped, options=options, built=built)
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            raise
        later = []
        for i, res in zip(pending, run.results):
            if not res.record.began and i != pending[0]:
                later.append(i)
                continue
            res.problems.extend(p for p in run.problems if p not in res.problems)
            if boots > 1:
                res.problems.append(f"ran in boot {boots}: an earlier scenario stopped the one before")
            done[i] = (res, run.boot.accel, run.boot.seconds, boots)
        pending = later
    shutil.rmtree(build_dir, ignore_errors=True)
    out = []
    for i, sc in enumerate(built_scenarios):
        if i not in done:
            continue
        res, accel, seconds, boot_no = done[i]
        if sc.name in caveats:
            res.problems.append(f"not faithful: {caveats[sc.name]}")
        comparison, perr = None, None
        if not res.record.began:
            perr = "the scenario did not run"
        elif use_model:
            preds, perr = _predictions_for(sources, sc.event_text)
            if preds:
                comparison = compare(sc.event_text, [(p.calls, p.outcome) for p in preds],
                                     res.calls, res.outcome)
        out.append(Confirmation(", ".join(sources), sc.event_text, res, comparison, perr, accel, seconds,
                                boot_no))
    for ev, reason in skipped:
        res = harness.ScenarioResult(Scenario(ev, (), (), tuple(patches)), ScenarioRecord(-1, ev),
                                     [], "not run", [], [f"skipped: {reason}"])
        out.append(Confirmation(", ".join(sources), ev, res, None, "skipped"))
    return out
