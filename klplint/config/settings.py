"""One frozen Config for a run: built from defaults, then a config file, then command-line flags."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional, Tuple

LEVELS = ("note", "warning", "error")


@dataclass(frozen=True)
class Budgets:
    """Bounds that keep the executor finite; hitting one is a KLP213 outcome, never a hang. Every
    bound but file_seconds counts work, so where an analysis stops depends only on the input and
    these numbers (klplint/analysis/budget.py says how each is counted)."""
    max_paths: int = 256          # live states at any point (a statement, a core step, a lifecycle step)
    loop_unroll: int = 3          # iterations explored per loop
    call_depth: int = 4           # same-file calls inlined
    max_statements: int = 20000   # statements executed per hook call
    max_scenarios: int = 64       # lifecycle scenarios per file
    scenario_statements: int = 50000   # statements executed per scenario, the enable sequence included
    scenario_paths: int = 20000        # states left by the lifecycle steps of one scenario
    file_statements: int = 200000      # statements executed per file, over all scenarios
    file_paths: int = 60000            # states left by lifecycle steps per file
    file_seconds: float = 90.0    # wall clock per file for the executor: a last resort, far above the work budgets

    FIELDS = ("max_paths", "loop_unroll", "call_depth", "max_statements", "max_scenarios",
              "scenario_statements", "scenario_paths", "file_statements", "file_paths", "file_seconds")


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
