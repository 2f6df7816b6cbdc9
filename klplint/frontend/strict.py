"""Strict mode (KLPLINT_STRICT=1, set by the tests): an unhandled construct is an exception, not a note."""
from __future__ import annotations

import os


class UnsupportedConstruct(Exception):
    """Raised for a construct the lowering does not handle, only in strict mode."""


def strict_mode(config=None) -> bool:
    if config is not None and getattr(config, "strict", False):
        return True
    return os.environ.get("KLPLINT_STRICT", "") not in ("", "0")
