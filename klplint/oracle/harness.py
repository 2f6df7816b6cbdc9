"""Run scenarios of livepatch modules in the real kernel: build, probe, pack, boot, parse — one call."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from klplint.oracle import parts as _parts
from klplint.oracle.debmods import find_shipped, modprobe_script, shipped_set
from klplint.oracle.console import (ObservedCall, Report, ScenarioRecord, StepRecord, VmRun, errno_name, parse_run)
from klplint.oracle.initramfs import build_initramfs, kmod_payload
from klplint.oracle.initscript import InitOptions, render_init
from klplint.oracle.kbuild import BuiltModule, build_modules
from klplint.oracle.offsets import Offsets, struct_offsets
from klplint.oracle.probes import Probe, check_symbols, dedupe, probes_from_source
from klplint.oracle.qemu import BootResult, boot
from klplint.oracle.scenario import Scenario


@dataclass(frozen=True)
class Machine:
    """The parts a run uses: Debian's kernel, its kbuild tree, and the tools."""
    kernel: _parts.Kernel
    tools: _parts.Tools
    memory: int = 1024
    smp: int = 2
    kvm: Optional[bool] = None        # None: kvm_usable() decides

    @property
    def series(self) -> str:
        """The kernel's series ('6.1', '6.12'): which linux-source tarball its test modules come from."""
        return _parts.kernel_series(self.kernel.release) or _parts.DEFAULT_SERIES


def find_machine(kernel_image: Optional[str] = None, kernel_headers: Optional[str] = None,
                 series: Optional[str] = None) -> Machine:
    """Debian's parts by default (`series`: the newest installed kernel of that series); raises
    MissingPart naming the package when one is absent."""
    tools = _parts.find_tools()
    kernel = _parts.find_kernel(kernel_image, kernel_headers, series)
    _parts.check_compiler(kernel)
    return Machine(kernel=kernel, tools=tools)


# kernel lines every module load prints, left out of step logs
_NOISE = ("loading out-of-tree module taints kernel", "tainting kernel with TAINT_LIVEPATCH",
          "module verification failed", "klp_try_switch_task")


@dataclass
class ScenarioResult:
    scenario: Scenario
    record: ScenarioRecord
    calls: List[Dict]               # observed calls as dicts (patch, function, roles, object, state, event)
    outcome: str                    # in the model's words: 'ok', 'enable failed: -ENODEV', ...
    reports: List[Report]
    problems: List[str]             # the harness could not run the scenario as written

    @property
    def ran(self) -> bool:
        return self.record.began and not any(p.startswith("did not run") for p in self.problems)

    def step_log(self) -> str:
        """Each step with its result, calls and the core's livepatch: lines, in order."""
        out = []
        for st in self.record.steps + ([self.record.cleanup] if self.record.cleanup else []):
            step = _step_of(self.scenario, st)
            label = step.label if step else st.kind
            res = f"rc={st.rc}" + (f" {st.wait}" if st.wait not in ("-", "") else "")
            if st.err:
                res += f" ({st.err})"
            out.append(f"% {label}   [{res}]" if st.index != "cleanup" else "% (cleanup)")
            for kind, item in st.events:
                if kind == "call":
                    out.append(f"    call  {item.describe()}")
                elif not any(noise in item for noise in _NOISE):
                    out.append(f"    log   {item}")
        return "\n".join(out)


@dataclass
class OracleRun:
    results: List[ScenarioResult]
    vm: VmRun
    boot: BootResult
    built: Dict[str, BuiltModule]
    probes: List[Probe]
    build_seconds: float
    workdir: str
    problems: List[str] = field(default_factory=list)

    @property
    def reports(self) -> List[Report]:
        return self.vm.reports

    @property
    def went_away(self) -> bool:
        return went_away(self.boot, self.vm)


def _step_of(sc: Scenario, st: StepRecord):
    if st.index.isdigit() and int(st.index) < len(sc.steps):
        return sc.steps[int(st.index)]
    return None


def observed_outcome(sc: Scenario, rec: ScenarioRecord) -> str:
    """The scenario's outcome in the model's vocabulary (klplint/lifecycle.py)."""
    outs: List[str] = []
    seen = set()
    for st in rec.steps:
        step = _step_of(sc, st)
        if step is None or step.event is None:
            continue
        if st.rc == "timeout":
            outs.append(f"{step.event} hung")
        elif st.rc is None:
            outs.append(f"{step.event} did not finish")
        elif step.kind == "enable" and st.wait == "no-patch":
            # the module loaded but its init went on although klp_enable_patch() failed
            outs.append(f"{step.event} failed: the module loaded without its patch")
        elif st.failed and st.rc.isdigit() and int(st.rc) > 128 and st.errno is None:
            outs.append(f"{step.event} killed by signal {int(st.rc) - 128}")
        elif st.failed:
            err = errno_name(st.errno)
            if step.kind == "load":
                outs.append(f"load of {step.module} refused: {err}")
            elif step.event not in seen:
                outs.append(f"{step.event} failed: {err}")
            seen.add(step.event)
    return "; ".join(outs) or "ok"


def _call_dict(c: ObservedCall, event: Optional[str]) -> Dict:
    return {"patch": c.patch, "function": c.function, "roles": list(c.roles),
            "role": c.roles[0] if len(c.roles) == 1 else None,
            "object": c.object, "state": c.state, "event": event, "task": c.task}


def scenario_problems(sc: Scenario, rec: ScenarioRecord) -> List[str]:
    probs = []
    if not rec.began:
        return ["did not run (the VM stopped before this scenario)"]
    done = {st.index for st in rec.steps}
    for k, step in enumerate(sc.steps):
        if str(k) not in done:
            probs.append(f"did not run step {k}: {step.label}")
    for st in rec.steps:
        step = _step_of(sc, st)
        if step is None:
            continue
        if step.kind == "enable" and st.rc == "0" and st.wait != "no-patch":
            want = "stalled" if step.wait == "stalled" else "complete"
            if st.wait != want:
                probs.append(f"{step.event}: transition {st.wait} (wanted {want})")
        if step.kind in ("disable", "unload") and st.rc == "0" and st.wait == "not-gone":
            probs.append(f"{step.event}: still present after {step.label}")
        if st.skipped:
            probs.append(f"{step.event}: skipped ({st.err})")
    if rec.left_loaded:
        probs.append(f"left loaded after cleanup (rmmod refused): {', '.join(rec.left_loaded)}")
    probs.extend(rec.notes)
    return probs


def default_probes(built: Dict[str, BuiltModule]) -> List[Probe]:
    """Every hook and callback of every built module that defines a struct klp_patch."""
    probes: List[Probe] = []
    for name, mod in built.items():
        with open(mod.source, encoding="utf-8", errors="replace") as f:
            if not re.search(r"\bstruct\s+klp_patch\b", f.read()):
                continue
        probes += probes_from_source(mod.source, patch=name, compat=mod.uses_hooks_compat)
    return probes


def boot_problems(res: BootResult, vm: VmRun, silence_limit: float) -> List[str]:
    """What went wrong with the boot itself, as the run's problems: a VM killed for a timeout or a
    silent harness, one that never ran /init, and one that stopped in the middle."""
    problems = []
    if res.timed_out:
        problems.append(f"the VM was killed after {res.seconds:.0f} s (hang or too slow)")
    if res.stalled:
        problems.append(f"the VM was killed: /init said nothing for {silence_limit} s "
                        "(its own shell hung: the patch broke something it uses)")
    if not vm.booted:
        why = "qemu exited with status %s" % res.returncode if res.returncode else "no output from /init"
        problems.append(f"the VM never ran /init ({res.accel}: {why})")
    elif went_away(res, vm):
        # The guest went away in the middle (a panic reboots it, and qemu runs with
        # -no-reboot; qemu itself can die): the steps after that were never observed, so
        # this must not read as a run whose last steps simply did nothing.
        problems.append(stopped_early(res))
    return problems


def went_away(res: BootResult, vm: VmRun) -> bool:
    """The guest started /init and then stopped before its END marker, without a step timing
    out and without the host killing it."""
    return vm.booted and not (vm.complete or vm.aborted or res.timed_out or res.stalled)


def stopped_early(res: BootResult, lines: int = 12) -> str:
    """One problem line for a VM that stopped before /init's END marker without being killed:
    qemu's exit status, the accelerator and the console's last lines (where a panic shows)."""
    tail = [ln for ln in res.console.splitlines() if ln.strip()][-lines:]
    return (f"the VM stopped before /init finished ({res.accel}: qemu exited with status "
            f"{res.returncode} after {res.seconds:.0f} s); the console ends with: "
            + " | ".join(ln.strip() for ln in tail))


def default_timeout(scenarios: Sequence[Scenario], options: InitOptions) -> float:
    steps = sum(len(s.steps) + 2 for s in scenarios)
    return min(1800.0, 60.0 + 6.0 * steps + options.step_timeout + 2 * options.wait_timeout)


def run(sources: Sequence[str], scenarios: Sequence[Scenario], probes: Optional[Sequence[Probe]] = None,
        machine: Optional[Machine] = None, timeout: Optional[float] = None,
        options: Optional[InitOptions] = None, workdir: Optional[str] = None,
        keep: bool = False, shipped: Sequence[str] = (),
        built: Optional[Dict[str, BuiltModule]] = None) -> OracleRun:
    """Build `sources`, boot once, run every scenario in order (each followed by a cleanup that
    disables and unloads what it left), and return what the kernel did.

    shipped: names of the kernel's own modules (linux-image) the scenarios load as targets;
    they go into the image with their dependencies. built: modules already built (then
    `sources` is not built again)."""
    machine = machine or find_machine()
    options = options or InitOptions()
    own_dir = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="klplint-oracle-")
    try:
        t0 = time.monotonic()
        if built is None:
            built = build_modules(sources, machine.kernel.kbuild_dir, os.path.join(workdir, "build"),
                                  make=machine.tools.make)
        kos = {n: m.ko for n, m in built.items()}
        for name in shipped:
            if find_shipped(name, machine.kernel.release) is None:
                raise _parts.OracleError(f"no module {name} in /lib/modules/{machine.kernel.release} "
                                         f"(linux-image-{machine.kernel.release})")
        ship = shipped_set(shipped, machine.kernel.release)
        depends: Dict[str, tuple] = dict(ship.depends)
        kos.update({n: ko for n, ko in ship.kos.items() if n not in kos})
        offs: Offsets = struct_offsets(machine.kernel.kbuild_dir, machine.tools.make)
        build_seconds = time.monotonic() - t0
        probe_list = dedupe(probes if probes is not None else default_probes(built))
        problems = check_symbols(probe_list, {n: m.info for n, m in built.items()})
        probe_list = [p for p in probe_list if p.patch in built and p.function in built[p.patch].info.functions]
        for sc in scenarios:
            for step in sc.steps:
                if step.module not in kos:
                    raise _parts.OracleError(f"scenario {sc.name}: no module {step.module} to load "
                                             f"(have: {', '.join(sorted(kos))})")
        kmod = kmod_payload(machine.tools)
        opts = InitOptions(**{**options.__dict__, "use_kmod": bool(kmod) and options.use_kmod})
        script = render_init(scenarios, probe_list, offs, opts, depends)
        with open(os.path.join(workdir, "init"), "w") as f:
            f.write(script)
        initrd = os.path.join(workdir, "initrd.gz")
        insmod = "/sbin/insmod" if opts.use_kmod else "/bin/busybox insmod"
        data = [("modules/aliases", "".join(f"{a} {m}\n" for a, m in ship.aliases).encode(), 0o644),
                ("modules/deps", "".join(f"{m}:{' '.join(d)}\n" for m, d in depends.items()).encode(), 0o644),
                ("sbin/modprobe", modprobe_script(insmod).encode(), 0o755)]
        build_initramfs(script, kos, machine.tools, initrd,
                        kmod=kmod if opts.use_kmod else None, extra_data=data)
        res = boot(machine.tools.qemu, machine.kernel.image, initrd,
                   timeout=timeout or default_timeout(scenarios, opts), kvm=machine.kvm,
                   memory=machine.memory, smp=machine.smp, workdir=workdir,
                   stall_seconds=opts.silence_limit)
        state_names = {getattr(offs, f"MODULE_STATE_{n}"): n for n in ("LIVE", "COMING", "GOING", "UNFORMED")}
        vm = parse_run(res.console, res.channel, probe_list, state_names, [s.name for s in scenarios],
                       multi_attempt_loads=not opts.use_kmod)
        problems += vm.problems + boot_problems(res, vm, opts.silence_limit)
        results = []
        for sc, rec in zip(scenarios, vm.scenarios):
            events = {str(k): st.event for k, st in enumerate(sc.steps)}
            calls = [_call_dict(c, events.get(st.index)) for st in rec.steps for c in st.calls]
            reps = [r for r in vm.reports if r.scenario == rec.index]
            results.append(ScenarioResult(sc, rec, calls, observed_outcome(sc, rec), reps,
                                          scenario_problems(sc, rec)))
        return OracleRun(results, vm, res, built, probe_list, build_seconds, workdir, problems)
    finally:
        if own_dir and not keep:
            shutil.rmtree(workdir, ignore_errors=True)
