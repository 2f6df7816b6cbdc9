"""Boot a kernel and initramfs under qemu with a hard timeout; collect the kernel console (ttyS0) and the trace channel (ttyS1)."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import List, Optional

from klplint.oracle.ksource import cache_dir

KVM_GET_API_VERSION = 0xAE00
KVM_CREATE_VM = 0xAE01
KERNEL_BANNER = b"Linux version"
DEFAULT_APPEND = "console=ttyS0 quiet panic=-1"
# TCG runs the vCPUs round-robin in one thread. Multi-threaded TCG (qemu 7.2's default) leaves the
# guest a stale int3 after text_poke_bp() now and then: 6.12's livepatch transitions rewrite the
# scheduler's static calls (cond_resched & co.) at every start and completion, and the conformance
# boot on 6.12 died of "Oops: int3" in irqentry_exit / _raw_spin_unlock, in klp_complete_transition,
# in 2 of 4 boots with threads, 0 of 3 without (and was not slower on a loaded 2-core host).
TCG_ACCEL = "tcg,thread=single"


@dataclass
class BootResult:
    console: str            # the kernel's console, ttyS0
    channel: str            # the harness channel, ttyS1: trace stream and @@KLPORACLE lines
    returncode: Optional[int]
    timed_out: bool
    seconds: float
    accel: str              # 'kvm' or 'tcg'
    command: List[str]
    stalled: bool = False   # killed because the harness channel stayed silent too long


def _kvm_opens() -> bool:
    """/dev/kvm can be opened read-write, answers API version 12 and creates a VM."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if fcntl.ioctl(fd, KVM_GET_API_VERSION) != 12:
            return False
        vm = fcntl.ioctl(fd, KVM_CREATE_VM, 0)
        os.close(vm)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _verdict_path() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            boot = f.read().strip()
    except OSError:
        boot = "unknown"
    return os.path.join(cache_dir(), f"kvm-verdict-{boot}")


def kvm_usable() -> bool:
    """Whether to add -enable-kvm: KLPLINT_ORACLE_KVM=0/1 decides; else /dev/kvm must open
    read-write and create a VM, and no earlier boot on this host (since its last reboot) saw
    KVM fail to reach the kernel's banner (nested KVM can accept ioctls yet never boot)."""
    env = os.environ.get("KLPLINT_ORACLE_KVM")
    if env in ("0", "1"):
        return env == "1"
    if not _kvm_opens():
        return False
    try:
        with open(_verdict_path()) as f:
            return f.read().strip() != "broken"
    except OSError:
        return True


def _remember_kvm_broken() -> None:
    try:
        with open(_verdict_path(), "w") as f:
            f.write("broken\n")
    except OSError:
        pass


def qemu_command(qemu: str, kernel: str, initrd: str, console_log: str, channel_log: str,
                 kvm: bool, memory: int = 1024, smp: int = 2, append: str = DEFAULT_APPEND) -> List[str]:
    cmd = [qemu, "-nodefaults", "-display", "none", "-no-reboot",
           "-m", str(memory), "-smp", str(smp),
           "-kernel", kernel, "-initrd", initrd, "-append", append,
           "-serial", f"file:{console_log}", "-serial", f"file:{channel_log}"]
    cmd += ["-enable-kvm", "-cpu", "host"] if kvm else ["-accel", TCG_ACCEL]
    return cmd


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").replace("\r", "")
    except OSError:
        return ""


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


class _Terminated(Exception):
    pass


def _on_sigterm_kill(proc: subprocess.Popen):
    """The VM runs in its own session; make SIGTERM to us take it down too (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGTERM)

    def handler(signum, frame):
        _kill(proc)
        raise _Terminated("terminated")
    try:
        signal.signal(signal.SIGTERM, handler)
    except ValueError:
        return None
    return previous


def _restore_sigterm(previous) -> None:
    if previous is None:
        return
    try:
        signal.signal(signal.SIGTERM, previous)
    except ValueError:
        pass


def boot(qemu: str, kernel: str, initrd: str, timeout: float, kvm: Optional[bool] = None,
         memory: int = 1024, smp: int = 2, append: str = DEFAULT_APPEND,
         banner_seconds: float = 15.0, workdir: Optional[str] = None,
         stall_seconds: Optional[float] = None) -> BootResult:
    """Run the VM until it powers off or `timeout` seconds pass (then it is killed: a hang is a
    result). With KVM, a boot that prints no kernel banner within banner_seconds, or a qemu that
    exits (aborts) before the banner, is retried without KVM, and KVM is not used again on this host until it reboots. stall_seconds: kill
    the VM once its harness channel (ttyS1, where /init says HB every 5 s while it waits) has
    been silent that long after it started talking."""
    if kvm is None:
        kvm = kvm_usable()
    workdir = workdir or tempfile.mkdtemp(prefix="klplint-oracle-vm-")
    console_log = os.path.join(workdir, "console.log")
    channel_log = os.path.join(workdir, "channel.log")
    for p in (console_log, channel_log):
        open(p, "wb").close()
    cmd = qemu_command(qemu, kernel, initrd, console_log, channel_log, kvm, memory, smp, append)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    old_term = _on_sigterm_kill(proc)
    timed_out = stalled = False
    banner_seen = not kvm
    last_size, last_change = 0, start
    try:
        while True:
            try:
                proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                pass
            elapsed = time.monotonic() - start
            if not banner_seen:
                with open(console_log, "rb") as f:
                    banner_seen = KERNEL_BANNER in f.read(1 << 16)
                if not banner_seen and elapsed > banner_seconds:
                    _kill(proc)
                    _remember_kvm_broken()
                    return boot(qemu, kernel, initrd, timeout, kvm=False, memory=memory, smp=smp,
                                append=append, banner_seconds=banner_seconds, workdir=workdir,
                                stall_seconds=stall_seconds)
            if elapsed > timeout:
                timed_out = True
                _kill(proc)
                break
            if stall_seconds:
                size = os.path.getsize(channel_log)
                if size != last_size:
                    last_size, last_change = size, time.monotonic()
                elif size and time.monotonic() - last_change > stall_seconds:
                    stalled = True
                    _kill(proc)
                    break
    except BaseException:
        _kill(proc)
        raise
    finally:
        _restore_sigterm(old_term)
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    console = _read(console_log)
    if kvm and not timed_out and not stalled and KERNEL_BANNER.decode() not in console:
        # qemu gave up before the kernel said anything (on a nested host KVM can accept the VM and
        # then abort in kvm_buf_set_msrs): the guest never ran, so run it again without KVM.
        _remember_kvm_broken()
        return boot(qemu, kernel, initrd, max(1.0, timeout - (time.monotonic() - start)), kvm=False,
                    memory=memory, smp=smp, append=append, banner_seconds=banner_seconds,
                    workdir=workdir, stall_seconds=stall_seconds)
    if out.strip():
        console += "\n[qemu] " + out.strip().replace("\n", "\n[qemu] ")
    return BootResult(console=console, channel=_read(channel_log), returncode=proc.returncode,
                      timed_out=timed_out, seconds=time.monotonic() - start,
                      accel="kvm" if kvm else "tcg", command=cmd, stalled=stalled)
