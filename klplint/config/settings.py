"""One frozen Config for a run: built from defaults, then a config file, then command-line flags."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional, Tuple

LEVELS = ("note", "warning", "error")


@dataclass(frozen=True)
class Budgets:
    """Bounds that keep the executor finite; hitting one is a KLP213 outcome, never a hang."""
    max_paths: int = 256          # live paths per step
    loop_unroll: int = 3          # iterations explored per loop
    call_depth: int = 4           # same-file calls inlined
    max_statements: int = 20000   # statements executed per hook call
    max_scenarios: int = 64       # lifecycle scenarios per file
    file_seconds: float = 20.0    # wall clock per file for the executor

    FIELDS = ("max_paths", "loop_unroll", "call_depth", "max_statements", "max_scenarios", "file_seconds")


@dataclass(frozen=True)
class Config:
    frontend: str = "libclang"                    # 'libclang' | 'pycparser'
    kernel_dir: Optional[str] = None              # a kbuild tree (Debian's linux-headers-*)
    kernel_src: Optional[str] = None              # a kernel source tree, for source diffs (kpatch)
    kernel_dir_probe: bool = True                 # may run kbuild there (False: named by a checked tree's settings)
    compile_commands_dir: Optional[str] = None    # -p DIR
    include_dirs: Tuple[str, ...] = ()
    defines: Tuple[str, ...] = ()                 # NAME or NAME=VALUE
    extra_flags: Tuple[str, ...] = ()             # already filtered through flags.safe_flags
    select: Tuple[str, ...] = ()                  # rule ids or prefixes; empty = all
    ignore: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    fail_on: str = "warning"
    budgets: Budgets = field(default_factory=Budgets)
    max_file_bytes: int = 2 * 1024 * 1024
    module_name: Optional[str] = None             # the livepatch module's name, when kbuild says it
    strict: bool = False                          # KLPLINT_STRICT: unsupported constructs raise

    def with_(self, **changes) -> "Config":
        return replace(self, **changes)
