"""Config sources merged into one Config: defaults, then [tool.klplint] / .klplint.toml, then flags."""
from __future__ import annotations

from typing import Optional, Sequence

from .config import Config
from .frontend.flags import safe_flags


def load_config(paths: Sequence[str], config_file: Optional[str], flags: dict) -> Config:
    """Flags given on the command line (None = not given) over the defaults.
    Raises ValueError with a one-line message for a bad value."""
    from .frontend.strict import strict_mode
    from .registry import validate_patterns
    cfg = Config(strict=strict_mode())
    changes = {}
    for key in ("frontend", "kernel_dir", "compile_commands_dir", "fail_on", "module_name"):
        if flags.get(key) is not None:
            changes[key] = flags[key]
    for key in ("include_dirs", "defines", "select", "ignore"):
        if flags.get(key):
            changes[key] = tuple(flags[key])
    bad = validate_patterns(list(changes.get("select", ())) + list(changes.get("ignore", ())))
    if bad:
        raise ValueError("; ".join(bad))
    if changes.get("kernel_dir") is not None:
        import os
        if not os.path.isdir(changes["kernel_dir"]):
            raise ValueError(f"--kernel-dir {changes['kernel_dir']}: no such directory")
    return cfg.with_(**changes)
