"""Parse what the VM printed: the trace stream (calls, markers, syscalls, kernel messages) and the kernel console (oops, BUG, WARNING, hung task)."""
from __future__ import annotations

import errno as _errno
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from klplint.oracle.initscript import MARK, SAY
from klplint.oracle.probes import Probe

_TRACE_RE = re.compile(r"^\s*(?P<comm>.+?)-(?P<pid>\d+)\s+(?:\(\s*[\d-]+\)\s+)?\[(?P<cpu>\d+)\]\s+"
                       r"(?:(?P<flags>[^\s]{4,6})\s+)?(?P<ts>\d+\.\d+):\s(?P<body>.*)$")
_ARG_RE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\(fault\)|\S+)')
_KPROBE_RE = re.compile(r"^f(?P<idx>\d+): \((?P<where>[^)]*)\)(?P<args>.*)$")
_SYS_ENTER_RE = re.compile(r"^sys_(?P<name>\w+)\(")
_SYS_EXIT_RE = re.compile(r"^sys_(?P<name>\w+) -> (?P<ret>0x[0-9a-f]+|-?\d+)")
_KLOG_RE = re.compile(r"^\[\s*(?P<ts>\d+\.\d+)\]\s?(?P<msg>.*)$")

# First lines of the kernel's reports, with their kind.
REPORT_PATTERNS: Tuple[Tuple[str, re.Pattern], ...] = (
    ("panic", re.compile(r"Kernel panic - not syncing")),
    ("hung_task", re.compile(r"INFO: task \S+ blocked for more than \d+ seconds")),
    ("soft_lockup", re.compile(r"(watchdog: )?BUG: soft lockup")),
    ("rcu_stall", re.compile(r"rcu: INFO: \S+ (self-)?detected stall")),
    ("oops", re.compile(r"BUG: |kernel BUG at |Oops: |general protection fault|"
                        r"Unable to handle kernel|stack segment: |invalid opcode: ")),
    ("warning", re.compile(r"WARNING: |UBSAN: |list_(add|del) corruption")),
)
_REPORT_END = re.compile(r"---\[ end (trace|Kernel panic)")


@dataclass(frozen=True)
class ObservedCall:
    """A hook or callback the kernel called, as the kprobe saw its struct klp_object argument."""
    patch: str
    function: str
    roles: Tuple[str, ...]
    object: str                 # obj->name, or 'vmlinux' when obj->name is NULL
    state: Optional[str]        # obj->mod->state name; None when obj->mod is NULL
    mod_null: bool
    task: str
    ts: float

    def describe(self) -> str:
        st = f"[{self.state}]" if self.state else ""
        role = "/".join(self.roles) if self.roles else "?"
        return f"{self.patch}: {role} {self.function}({self.object}{st})"


@dataclass(frozen=True)
class Report:
    kind: str                   # oops | warning | hung_task | panic | soft_lockup | rcu_stall
    title: str                  # the report's first line
    text: str                   # the first lines of the report
    scenario: Optional[int] = None
    step: Optional[str] = None  # step index, 'cleanup', or None when not attributable


@dataclass
class StepRecord:
    scenario: int
    index: str                  # '0', '1', ... or 'cleanup'
    kind: str
    module: str
    start: float = 0.0          # trace timestamp of the step's marker (close to printk's clock)
    rc: Optional[str] = None    # exit status of the command, 'timeout', or None (never ended)
    wait: str = "-"
    err: str = ""
    syscall_returns: List[Tuple[str, int]] = field(default_factory=list)
    attempts: int = 0           # module load syscalls entered
    calls: List[ObservedCall] = field(default_factory=list)
    klp_lines: List[str] = field(default_factory=list)      # the core's 'livepatch:' lines
    kernel_lines: List[str] = field(default_factory=list)   # every kernel message in the step
    events: List[Tuple[str, object]] = field(default_factory=list)  # ('call', c) | ('log', line)

    @property
    def failed(self) -> bool:
        return self.rc not in ("0", None, "skipped")

    @property
    def skipped(self) -> bool:
        """The script did not run the step: what it acts on was not there."""
        return self.rc == "skipped"

    @property
    def errno(self) -> Optional[int]:
        """The error the kernel returned to the step's syscall (module load/unload), or from the
        shell's message for a sysfs write."""
        if self.syscall_returns:
            ret = self.syscall_returns[-1][1]      # the step's own module comes last
            if ret < 0:
                return -ret
        if self.failed and self.err:
            return errno_from_message(self.err)
        return None


@dataclass
class ScenarioRecord:
    index: int
    name: str
    steps: List[StepRecord] = field(default_factory=list)
    cleanup: Optional[StepRecord] = None
    left_loaded: List[str] = field(default_factory=list)
    began: bool = False
    ended: bool = False
    notes: List[str] = field(default_factory=list)   # what the harness saw go wrong in it

    @property
    def calls(self) -> List[ObservedCall]:
        return [c for st in self.steps for c in st.calls]


@dataclass
class VmRun:
    scenarios: List[ScenarioRecord]
    reports: List[Report]
    complete: bool                 # the END marker came through: every step ran, trace intact
    aborted: bool                  # a step timed out; the rest was skipped
    booted: bool
    problems: List[str]            # harness problems (probe registration, trace setup)
    console: str
    channel: str


_STRERROR: Dict[str, int] = {}


# kmod's own words where it refuses without asking the kernel
_KMOD_WORDS = (("is in use", _errno.EBUSY), ("is not currently loaded", _errno.ENOENT),
               ("does not exist in /proc/modules", _errno.ENOENT))


def errno_from_message(msg: str) -> Optional[int]:
    """'insmod: ERROR: could not insert module x.ko: No such device' -> 19."""
    for words, num in _KMOD_WORDS:
        if words in msg:
            return num
    if not _STRERROR:
        for num in _errno.errorcode:
            _STRERROR[os.strerror(num)] = num
    for text in sorted(_STRERROR, key=len, reverse=True):
        if text and text in msg:
            return _STRERROR[text]
    return None


def errno_name(num: Optional[int]) -> str:
    if num is None:
        return "?"
    return "-" + _errno.errorcode.get(num, str(num))


def _signed(value: str) -> int:
    v = int(value, 16) if value.startswith("0x") else int(value)
    return v - (1 << 64) if v >= 1 << 63 else v


def _unquote(v: str) -> Optional[str]:
    if v == "(fault)":
        return None
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1]
    return v


def decode_call(body: str, probes: Sequence[Probe], state_names: Dict[int, str], task: str,
                ts: float) -> Optional[ObservedCall]:
    m = _KPROBE_RE.match(body)
    if not m:
        return None
    idx = int(m.group("idx"))
    if idx >= len(probes):
        return None
    probe = probes[idx]
    args = {k: v for k, v in _ARG_RE.findall(m.group("args"))}
    mod = int(args.get("mod", "0x0"), 16) if args.get("mod", "").startswith("0x") else 0
    name = _unquote(args.get("objname", "(fault)"))
    state = None
    if mod:
        try:
            state = state_names.get(int(args.get("state", "")), f"?{args.get('state')}")
        except ValueError:
            state = "?"
    obj = name if name is not None else "vmlinux"
    return ObservedCall(patch=probe.patch, function=probe.function, roles=probe.roles, object=obj,
                        state=state, mod_null=not mod, task=task, ts=ts)


def find_reports(lines: Sequence[str]) -> List[Tuple[int, Report]]:
    """(index of first line, report) for every kernel report in a list of kernel messages."""
    out: List[Tuple[int, Report]] = []
    i = 0
    while i < len(lines):
        kind = None
        for k, pat in REPORT_PATTERNS:
            if pat.search(lines[i]):
                kind = k
                break
        if kind is None:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and j - i < 60:
            if _REPORT_END.search(lines[j]):
                j += 1
                break
            if any(p.search(lines[j]) for _, p in REPORT_PATTERNS) and kind != "panic":
                # a new report starts (an oops right after a warning, ...)
                if not (kind == "oops" and lines[j].lstrip().startswith(("Oops:", "BUG: unable"))):
                    break
            j += 1
        title = lines[i].strip()
        out.append((i, Report(kind, title, "\n".join(l.rstrip() for l in lines[i:j]))))
        i = j
    return out


def kernel_log_lines(console: str) -> List[str]:
    """The kernel messages of the serial console, timestamps removed."""
    return [msg for _, msg in kernel_log(console)]


def kernel_log(console: str) -> List[Tuple[float, str]]:
    """(printk timestamp, message) for every kernel message of the serial console."""
    out = []
    for line in console.splitlines():
        m = _KLOG_RE.match(line)
        if m:
            out.append((float(m.group("ts")), m.group("msg")))
    return out


def _scenario_of(words: List[str], scenarios: List[ScenarioRecord]) -> Optional[ScenarioRecord]:
    if len(words) > 1 and words[1].isdigit() and int(words[1]) < len(scenarios):
        return scenarios[int(words[1])]
    return None


def parse_run(console: str, channel: str, probes: Sequence[Probe], state_names: Dict[int, str],
              scenario_names: Sequence[str], multi_attempt_loads: bool = False) -> VmRun:
    """Turn the two channels into per-step records.

    multi_attempt_loads: the image used busybox's insmod, which retries a refused load with
    init_module after finit_module: keep only the calls of a step's last load attempt."""
    scenarios = [ScenarioRecord(i, n) for i, n in enumerate(scenario_names)]
    problems: List[str] = []
    complete = aborted = booted = False
    cur: Optional[StepRecord] = None
    cur_sc: Optional[ScenarioRecord] = None
    attempt_start = 0
    trace_console: List[Tuple[Optional[StepRecord], str]] = []

    for raw in channel.splitlines():
        line = raw.rstrip()
        if line.startswith(SAY):
            parts = line.split()
            if len(parts) > 1 and parts[1] == "HB":
                continue
            if len(parts) > 1 and parts[1] == "BOOT":
                booted = True
            elif len(parts) > 1 and parts[1] in ("PROBE-FAILED", "TRACE-SETUP-FAILED"):
                detail = " ".join(parts[2:])
                if parts[1] == "PROBE-FAILED" and parts[2:] and parts[2].isdigit() and int(parts[2]) < len(probes):
                    p = probes[int(parts[2])]
                    detail = f"{p.patch}:{p.function}"
                problems.append(f"{parts[1].lower()}: {detail}")
            continue
        m = _TRACE_RE.match(line)
        if not m:
            continue
        body = m.group("body")
        task = f"{m.group('comm').strip()}-{m.group('pid')}"
        ts = float(m.group("ts"))
        if body.startswith("tracing_mark_write: " + MARK + " "):
            words = body[len("tracing_mark_write: " + MARK + " "):].split(" ")
            tag = words[0]
            if tag == "SCENARIO" and len(words) >= 3:
                s = int(words[1])
                if 0 <= s < len(scenarios):
                    cur_sc = scenarios[s]
                    if words[2] == "BEGIN":
                        cur_sc.began = True
                    else:
                        cur_sc.ended = True
                cur = None
            elif tag == "STEP" and len(words) >= 5:
                s, k = int(words[1]), words[2]
                if 0 <= s < len(scenarios):
                    cur = StepRecord(s, k, words[3], words[4], start=ts)
                    scenarios[s].steps.append(cur)
                    attempt_start = 0
            elif tag == "RESULT" and cur is not None:
                rest = " ".join(words[3:])
                rm = re.match(r"rc=(\S*) wait=(\S*) err=(.*)$", rest)
                if rm:
                    cur.rc, cur.wait, cur.err = rm.group(1), rm.group(2), rm.group(3).strip()
            elif tag == "CLEANUP" and len(words) >= 2:
                s = int(words[1])
                if 0 <= s < len(scenarios):
                    cur = StepRecord(s, "cleanup", "cleanup", "", start=ts)
                    scenarios[s].cleanup = cur
            elif tag == "CLEANED" and len(words) >= 3:
                s = int(words[1])
                left = words[2][len("left="):] if words[2].startswith("left=") else ""
                if 0 <= s < len(scenarios):
                    scenarios[s].left_loaded = [x for x in left.split(",") if x]
            elif tag == "ABORT":
                aborted = True
                note = f"the boot stopped here: {' '.join(words[3:])}"
                target = _scenario_of(words, scenarios) or cur_sc
                if target is not None:
                    target.notes.append(note)
                else:
                    problems.append(note)
            elif tag == "TRACING-WAS-OFF":
                note = ("tracing was switched off (the kernel does that on an oops): "
                        "calls between the oops and here are missing")
                if cur_sc is not None:
                    cur_sc.notes.append(note)
                elif note not in problems:
                    problems.append(note)
            elif tag == "END":
                complete = not aborted
            continue
        if body.startswith("console: "):
            text = body[len("console: "):]
            trace_console.append((cur, text))
            if cur is not None:
                cur.kernel_lines.append(text)
                cur.events.append(("log", text))
                if text.startswith("livepatch: "):
                    cur.klp_lines.append(text)
            continue
        sm = _SYS_ENTER_RE.match(body)
        if sm:
            if cur is not None and sm.group("name") in ("finit_module", "init_module"):
                cur.attempts += 1
                if multi_attempt_loads and cur.attempts > 1:
                    del cur.calls[attempt_start:]
                attempt_start = len(cur.calls)
            continue
        sm = _SYS_EXIT_RE.match(body)
        if sm:
            if cur is not None:
                cur.syscall_returns.append((sm.group("name"), _signed(sm.group("ret"))))
            continue
        call = decode_call(body, probes, state_names, task, ts)
        if call is not None and cur is not None:
            cur.calls.append(call)
            cur.events.append(("call", call))

    # Kernel reports: from the trace stream when it carried them (exact step), else the console.
    reports: List[Report] = []
    seen = set()
    step_of = [st for st, _ in trace_console]
    for i, rep in find_reports([t for _, t in trace_console]):
        st = step_of[i]
        r = Report(rep.kind, rep.title, rep.text, st.scenario if st else None, st.index if st else None)
        reports.append(r)
        seen.add(rep.title)
    steps = sorted((st for sc in scenarios for st in sc.steps + ([sc.cleanup] if sc.cleanup else [])),
                   key=lambda st: st.start)
    klog = kernel_log(console)
    for i, rep in find_reports([m for _, m in klog]):
        if rep.title in seen:
            continue
        seen.add(rep.title)
        # not in the trace (an oops switches tracing off; a panic or hang stops the stream):
        # the step that had begun by the report's printk time is the one it happened in
        when = klog[i][0]
        began = [st for st in steps if st.start <= when]
        st = began[-1] if began else None
        reports.append(Report(rep.kind, rep.title, rep.text, st.scenario if st else None,
                              st.index if st else None))
    for line in kernel_log_lines(console):
        if "Failed to re-register probe" in line or "Failed to register probe" in line:
            problems.append(line.strip())
    return VmRun(scenarios=scenarios, reports=reports, complete=complete, aborted=aborted,
                 booted=booted, problems=problems, console=console, channel=channel)
