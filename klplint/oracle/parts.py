"""Locate the Debian parts the oracle runs on (kernel image, kbuild tree, source tarball, tools) or name the missing package."""
from __future__ import annotations

import glob
import os
import re
import shutil
import struct
from dataclasses import dataclass
from typing import List, Optional, Tuple

# The Debian packages the oracle uses; oracle/ci-deps.sh installs exactly these.
IMAGE_PACKAGE = "linux-image-amd64"
HEADERS_PACKAGE = "linux-headers-amd64"
SOURCE_PACKAGE = "linux-source-6.1"
# The kernel series the oracle knows; 6.1 is the one linux-image-amd64 pulls in on Debian 12.
DEFAULT_SERIES = "6.1"
SERIES = ("6.1", "6.12")
QEMU_PACKAGE = "qemu-system-x86"
BUSYBOX_PACKAGE = "busybox-static"
KMOD_PACKAGE = "kmod"
MAKE_PACKAGE = "make"


class OracleError(RuntimeError):
    """An error the oracle reports in one line, without a traceback."""


class MissingPart(OracleError):
    """A part of the oracle is not installed; the message names the package that provides it."""

    def __init__(self, what: str, package: str, detail: str = ""):
        self.what = what
        self.package = package
        msg = f"{what} not found{': ' + detail if detail else ''}; " \
              f"install Debian's {package} (apt-get install {package})"
        super().__init__(msg)


@dataclass(frozen=True)
class Kernel:
    """A kernel image and the kbuild tree of the headers that match it."""
    release: str          # e.g. 6.1.0-56-amd64
    image: str            # /boot/vmlinuz-<release>
    kbuild_dir: str       # /usr/src/linux-headers-<release>


@dataclass(frozen=True)
class Tools:
    qemu: str
    busybox: str
    kmod: Optional[str]   # None: fall back to busybox's insmod/rmmod
    make: str


def kernel_series(release: str) -> Optional[str]:
    """'6.12' for 6.12.117+deb12-amd64, '6.1' for 6.1.0-57-amd64 (None if it names no version)."""
    m = re.match(r"(\d+\.\d+)(?:[.\-+]|$)", release or "")
    return m.group(1) if m else None


def is_of(release: str, want: str) -> bool:
    """Whether a release is the series or the exact release `want` names."""
    return release == want or kernel_series(release) == want


def image_package(series: str) -> str:
    """The Debian package that keeps the newest kernel image of a series installed (Debian 12's
    linux-image-amd64 is 6.1; later series have their own metapackage)."""
    return IMAGE_PACKAGE if series == DEFAULT_SERIES else f"linux-image-{series}-amd64"


def headers_package(series: str) -> str:
    return HEADERS_PACKAGE if series == DEFAULT_SERIES else f"linux-headers-{series}-amd64"


def source_package(series: str) -> str:
    return f"linux-source-{series}"


def _version_key(release: str) -> Tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-+~]", release))


def image_release(path: str) -> Optional[str]:
    """The release string a bzImage announces in its setup header (None if not a bzImage)."""
    try:
        with open(path, "rb") as f:
            head = f.read(0x4000)
    except OSError:
        return None
    if len(head) < 0x210 or head[0x202:0x206] != b"HdrS":
        return None
    (off,) = struct.unpack_from("<H", head, 0x20E)
    start = off + 0x200
    if not off or start >= len(head):
        return None
    end = head.find(b"\0", start)
    text = head[start:end if end > 0 else None].decode("ascii", "replace")
    return text.split()[0] if text.split() else None


def kbuild_release(kbuild_dir: str) -> Optional[str]:
    """The release modules built in the kbuild tree are made for (UTS_RELEASE, which vermagic uses;
    Debian's include/config/kernel.release holds the upstream version instead)."""
    try:
        with open(os.path.join(kbuild_dir, "include", "generated", "utsrelease.h")) as f:
            m = re.search(r'UTS_RELEASE\s+"([^"]+)"', f.read())
            if m:
                return m.group(1)
    except OSError:
        pass
    try:
        with open(os.path.join(kbuild_dir, "include", "config", "kernel.release")) as f:
            return f.read().strip() or None
    except OSError:
        return None


def _installed_images() -> List[Tuple[str, str]]:
    out = []
    for path in glob.glob("/boot/vmlinuz-*"):
        rel = os.path.basename(path)[len("vmlinuz-"):]
        if rel.endswith("-amd64"):
            out.append((rel, path))
    return sorted(out, key=lambda rp: _version_key(rp[0]), reverse=True)


def _headers_dir(release: str) -> Optional[str]:
    for cand in (f"/usr/src/linux-headers-{release}", f"/lib/modules/{release}/build"):
        if os.path.isfile(os.path.join(cand, "Makefile")):
            return os.path.realpath(cand)
    return None


def find_kernel(kernel_image: Optional[str] = None, kernel_headers: Optional[str] = None,
                series: Optional[str] = None) -> Kernel:
    """The kernel to boot and the headers to build against. By default Debian's packages: the
    newest 6.1 kernel whose headers are installed (Debian 12's linux-image-amd64), else the newest
    kernel that has them; with kernel_headers, the image of their release. `series` ('6.12', or a
    whole release such as '6.12.117+deb12-amd64') picks the newest installed kernel it names."""
    if series is not None and not kernel_series(series):
        raise OracleError(f"kernel {series!r}: expected a kernel series such as 6.1 or 6.12, or a release")
    if kernel_headers and series:
        built = kbuild_release(kernel_headers) if os.path.isfile(os.path.join(kernel_headers, "Makefile")) else None
        if built and not is_of(built, series):
            raise OracleError(f"the headers in {kernel_headers} are for {built}, not a {series} kernel")
    if kernel_image:
        if not os.path.isfile(kernel_image):
            raise OracleError(f"kernel image {kernel_image} does not exist")
        if not os.access(kernel_image, os.R_OK):
            raise OracleError(f"kernel image {kernel_image} is not readable (Debian installs it "
                              "mode 0600: run as root or copy it)")
        release = image_release(kernel_image)
        image = kernel_image
        if series and release and not is_of(release, series):
            raise OracleError(f"kernel image {kernel_image} is {release}, not a {series} kernel")
    else:
        images = _installed_images()
        if series:
            images = [rp for rp in images if is_of(rp[0], series)]
            if not images:
                if kernel_series(series) != series:        # a whole release: its own package
                    raise MissingPart(f"the kernel image /boot/vmlinuz-{series}", f"linux-image-{series}")
                raise MissingPart(f"a {series} kernel image (/boot/vmlinuz-{series}.*-amd64)",
                                  image_package(series))
        if kernel_headers:
            want = kbuild_release(kernel_headers)
            images = [rp for rp in images if rp[0] == want] or images
        else:
            images = [rp for rp in images if _headers_dir(rp[0])] or images
            if not series:
                # Debian 12's own kernel (linux-image-amd64) before a newer series installed beside it
                images = [rp for rp in images if is_of(rp[0], DEFAULT_SERIES)] or images
        if not images:
            raise MissingPart("a kernel image (/boot/vmlinuz-*-amd64)", IMAGE_PACKAGE)
        release, image = images[0]
        if not os.access(image, os.R_OK):
            raise OracleError(f"kernel image {image} is not readable (Debian installs it mode "
                              "0600): run as root or pass --kernel-image with a readable copy")
    if kernel_headers:
        if not os.path.isfile(os.path.join(kernel_headers, "Makefile")):
            raise OracleError(f"{kernel_headers} is not a kbuild tree (no Makefile); pass the "
                              "directory of linux-headers-<release>")
        kbuild = os.path.realpath(kernel_headers)
    else:
        kbuild = _headers_dir(release) if release else None
        if kbuild is None:
            raise MissingPart(f"kernel headers for {release or kernel_image}",
                              f"linux-headers-{release}" if release else HEADERS_PACKAGE)
    built_for = kbuild_release(kbuild)
    if release and built_for and built_for != release:
        raise OracleError(f"headers in {kbuild} are for {built_for} but the kernel image is "
                          f"{release}: modules would be refused (vermagic); use matching parts")
    return Kernel(release=release or built_for or "unknown", image=image, kbuild_dir=kbuild)


def installed_series() -> List[str]:
    """The kernel series with an image and its headers installed, oldest first."""
    found = {kernel_series(rel) for rel, _ in _installed_images() if _headers_dir(rel)}
    return sorted((s for s in found if s), key=_version_key)


def find_source_tarball(path: Optional[str] = None, series: str = DEFAULT_SERIES) -> str:
    """Debian's kernel source tarball of a series (linux-source-6.1, linux-source-6.12), which
    holds the kernel's test modules and selftests."""
    if path:
        if not os.path.isfile(path):
            raise OracleError(f"kernel source tarball {path} does not exist")
        return path
    found = sorted(glob.glob(f"/usr/src/linux-source-{series}.tar.*"))
    if not found:
        raise MissingPart(f"the kernel source tarball /usr/src/linux-source-{series}.tar.xz",
                          source_package(series))
    return found[0]


def _which(name: str, extra: Tuple[str, ...] = ()) -> Optional[str]:
    found = shutil.which(name)
    if found:
        return found
    for d in extra or ("/usr/sbin", "/sbin", "/usr/bin", "/bin"):
        cand = os.path.join(d, name)
        if os.access(cand, os.X_OK):
            return cand
    return None


def _is_static_elf(path: str) -> bool:
    """True for an ELF executable without a program interpreter."""
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 16)
    except OSError:
        return False
    if data[:4] != b"\x7fELF" or data[4] != 2:
        return False
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        off = phoff + i * phentsize
        if off + 4 > len(data):
            break
        (ptype,) = struct.unpack_from("<I", data, off)
        if ptype == 3:  # PT_INTERP
            return False
    return True


def find_tools() -> Tools:
    qemu = _which("qemu-system-x86_64")
    if not qemu:
        raise MissingPart("qemu-system-x86_64", QEMU_PACKAGE)
    busybox = None
    for cand in ("/bin/busybox", "/usr/bin/busybox", _which("busybox")):
        if cand and os.path.isfile(cand) and _is_static_elf(cand):
            busybox = cand
            break
    if not busybox:
        raise MissingPart("a statically linked busybox", BUSYBOX_PACKAGE)
    kmod = None
    for cand in ("/bin/kmod", "/usr/bin/kmod", _which("kmod")):
        if cand and os.path.isfile(cand):
            kmod = cand
            break
    make = _which("make")
    if not make:
        raise MissingPart("make", MAKE_PACKAGE)
    return Tools(qemu=qemu, busybox=busybox, kmod=kmod, make=make)


def check_compiler(kernel: Kernel) -> None:
    """The kbuild tree names the gcc the kernel was built with; Debian's headers depend on it."""
    try:
        with open(os.path.join(kernel.kbuild_dir, "include", "generated", "compile.h")) as f:
            text = f.read()
    except OSError:
        text = ""
    m = re.search(r"gcc-(\d+)", text)
    gcc = f"gcc-{m.group(1)}" if m else "gcc"
    if not (_which(gcc) or _which("gcc")):
        raise MissingPart(gcc, gcc)
