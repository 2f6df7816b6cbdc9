"""FileResult: what klplint says about one file (findings, tool errors, notes), and its slim form."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from klplint.findings import Finding, ToolError


@dataclass
class FileResult:
    path: str
    findings: List[Finding] = field(default_factory=list)
    errors: List[ToolError] = field(default_factory=list)
    notes: List[ToolError] = field(default_factory=list)     # non-fatal tool notes (missing headers)
    includes: Tuple[str, ...] = ()
    module: object = None                                     # the PatchModule, when extraction ran
    skipped: bool = False                                     # not a livepatch module: not analysed
    source_digest: Optional[str] = None                       # sha256 of the bytes analysed (the cache key's)

def slim(result: FileResult) -> FileResult:
    """The result as the reporters need it: without the patch model and the header list, which are
    large (the IR, ~550 header paths per kernel module) and needed only by the result cache."""
    result.module = None
    result.includes = ()
    return result
