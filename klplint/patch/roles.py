"""Lifecycle roles of patch code (patch side, unpatch side) and the errno names the model uses."""
from __future__ import annotations

PATCH_SIDE = ("patch_hook", "pre_patch", "post_patch")
UNPATCH_SIDE = ("unpatch_hook", "pre_unpatch", "post_unpatch")
# the unpatch side that runs once the object's functions are removed (no task runs them any more)
AFTER_UNPATCHED = ("unpatch_hook", "post_unpatch")
INT_ROLES = ("patch_hook", "unpatch_hook", "pre_patch")
ERRNO = {"-ENODEV": -19, "-EINVAL": -22, "-EBUSY": -16, "-ENOMEM": -12, "-EEXIST": -17}
ERRNO_NAMES = {1: "EPERM", 2: "ENOENT", 4: "EINTR", 5: "EIO", 11: "EAGAIN", 12: "ENOMEM", 14: "EFAULT",
               16: "EBUSY", 17: "EEXIST", 19: "ENODEV", 22: "EINVAL", 28: "ENOSPC", 38: "ENOSYS",
               95: "EOPNOTSUPP", 110: "ETIMEDOUT", 524: "ENOTSUPP"}
