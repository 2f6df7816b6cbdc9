#!/bin/sh
# Install exactly what klplint's kernel oracle (klplint/oracle, tests/oracle) needs, from Debian's
# archive: the 6.1 and 6.12 kernels to boot and their matching headers (kbuild trees), their kernel
# source tarballs (the kernel's own livepatch test modules and selftests), qemu, a static busybox for the
# initramfs, kmod's insmod/rmmod, and make. The headers pull in the gcc the kernel was built with.
# Usage: oracle/ci-deps.sh   (as root, or with sudo available)
set -eu

SUDO=
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi

# 6.1 is Debian 12's own kernel; 6.12 is installed beside it by its own metapackages (the newest 6.12
# release, whichever it is) and the conformance tests run in both.
PACKAGES="linux-image-amd64 linux-headers-amd64 linux-source-6.1
          linux-image-6.12-amd64 linux-headers-6.12-amd64 linux-source-6.12
          qemu-system-x86 busybox-static kmod make xz-utils"

$SUDO apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $PACKAGES

# Debian installs the kernel image readable by root only; the tests boot it as whoever runs them.
for image in /boot/vmlinuz-*-amd64; do
	[ -e "$image" ] && $SUDO chmod a+r "$image"
done

echo "oracle dependencies installed:"
dpkg-query -W -f '  ${Package} ${Version}\n' $PACKAGES
