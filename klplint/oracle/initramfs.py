"""Pack busybox, kmod's insmod/rmmod (with its libraries), the built modules and the generated /init into a gzip'd newc initramfs."""
from __future__ import annotations

import gzip
import os
import re
import subprocess
from typing import Dict, Iterable, List, Optional, Tuple

from klplint.oracle.parts import Tools

BUSYBOX_APPLETS = ("sh", "mount", "mkdir", "echo", "cat", "sleep", "rm", "head", "kill", "poweroff",
                   "ls", "dmesg", "grep", "test", "[", "cut", "tr")


class CpioWriter:
    """Minimal writer of the 'newc' cpio format the kernel unpacks."""

    def __init__(self) -> None:
        self._parts: List[bytes] = []
        self._ino = 1
        self._seen: set = set()

    def _entry(self, name: str, mode: int, data: bytes = b"", nlink: int = 1) -> None:
        name = name.lstrip("/")
        namez = name.encode() + b"\0"
        hdr = "070701" + "".join(f"{v:08x}" for v in (
            self._ino, mode, 0, 0, nlink, 0, len(data), 0, 0, 0, 0, len(namez), 0))
        self._ino += 1
        buf = hdr.encode() + namez
        buf += b"\0" * (-len(buf) % 4)
        buf += data
        buf += b"\0" * (-len(buf) % 4)
        self._parts.append(buf)

    def directory(self, path: str) -> None:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d and d not in self._seen:
                self._seen.add(d)
                self._entry(d, 0o040755, nlink=2)

    def file(self, path: str, data: bytes, mode: int = 0o644) -> None:
        self.directory(os.path.dirname(path.strip("/")))
        self._entry(path, 0o100000 | mode, data)

    def symlink(self, path: str, target: str) -> None:
        self.directory(os.path.dirname(path.strip("/")))
        self._entry(path, 0o120777, target.encode())

    def getvalue(self) -> bytes:
        trailer = CpioWriter()
        trailer._entry("TRAILER!!!", 0)
        return b"".join(self._parts) + trailer._parts[0]


def shared_libraries(binary: str) -> Optional[List[Tuple[str, str]]]:
    """(path in image, path on host) of every library `binary` needs, from ldd; None if unknown."""
    try:
        proc = subprocess.run(["ldd", binary], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    libs = []
    for line in proc.stdout.splitlines():
        m = re.search(r"=>\s*(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if m:
            host = m.group(1)
            libs.append((host, os.path.realpath(host)))
        elif "not found" in line:
            return None
    return libs


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def kmod_payload(tools: Tools) -> Optional[List[Tuple[str, str]]]:
    """(path in image, path on host) for kmod and its libraries, or None to use busybox's insmod."""
    if not tools.kmod:
        return None
    libs = shared_libraries(tools.kmod)
    if libs is None:
        return None
    return [("sbin/kmod", tools.kmod)] + libs


def build_initramfs(init_script: str, modules: Dict[str, str], tools: Tools, out_path: str,
                    kmod: Optional[List[Tuple[str, str]]] = None,
                    extra_files: Iterable[Tuple[str, str]] = (),
                    extra_data: Iterable[Tuple[str, bytes, int]] = ()) -> None:
    """Write the initramfs to out_path. modules: module name -> .ko path (stored as /modules/NAME.ko).
    kmod: kmod_payload(tools), to have /sbin/insmod and /sbin/rmmod be kmod's."""
    cpio = CpioWriter()
    for d in ("bin", "sbin", "proc", "sys", "dev", "tmp", "modules", "lib", "lib64", "usr"):
        cpio.directory(d)
    cpio.file("bin/busybox", _read(tools.busybox), 0o755)
    for applet in BUSYBOX_APPLETS:
        cpio.symlink(f"bin/{applet}", "busybox")
    if kmod:
        for guest, host in kmod:
            cpio.file(guest, _read(host), 0o755)
        for tool in ("insmod", "rmmod"):
            cpio.symlink(f"sbin/{tool}", "kmod")
    for name, ko in sorted(modules.items()):
        cpio.file(f"modules/{name}.ko", _read(ko))
    for guest, host in extra_files:
        cpio.file(guest, _read(host))
    for guest, data, mode in extra_data:
        cpio.file(guest, data, mode)
    cpio.file("init", init_script.encode(), 0o755)
    with open(out_path, "wb") as f:
        f.write(gzip.compress(cpio.getvalue(), compresslevel=1))
