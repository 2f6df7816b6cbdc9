"""Baselines: accept today's findings, fail only on new ones.

`--write-baseline FILE` records every current finding as (rule, path relative to FILE's folder,
enclosing function or table, hash of the whitespace-normalised source line): no line numbers, so
an edit elsewhere in the file does not churn it. `--baseline FILE` drops the findings it records,
counted as a multiset: a baseline holding one KLP204 in `post_patch` on a given line text absorbs
one such finding, and a second identical one (a copy of the same mistake) still fails.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from typing import Dict, Iterable, List, Optional, Tuple

from klplint.findings import Finding, snippet
from klplint.safeio import UnreadableFile, read_bytes

FORMAT = "klplint-baseline"
VERSION = 1

Key = Tuple[str, str, str, str]


class BaselineError(ValueError):
    """A baseline that cannot be read: one line naming the file and the problem."""


class _Sources:
    """Source lines read once per file."""

    def __init__(self):
        self._text: Dict[str, Optional[str]] = {}

    def line(self, path: str, line: int) -> str:
        if path not in self._text:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    self._text[path] = f.read()
            except OSError:
                self._text[path] = None
        text = self._text[path]
        return snippet(path, line, text) if text is not None else ""


def _relpath(path: str, base_dir: str) -> str:
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, base_dir)
    except ValueError:   # another drive (Windows)
        rel = absolute
    return rel.replace(os.sep, "/")


def finding_key(f: Finding, base_dir: str, sources: Optional[_Sources] = None) -> Key:
    sources = sources or _Sources()
    text = sources.line(f.loc.file, f.loc.line)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return (f.rule, _relpath(f.loc.file, base_dir), f.function or "", digest)


def _keys(findings: Iterable[Finding], base_dir: str) -> List[Key]:
    sources = _Sources()
    return [finding_key(f, base_dir, sources) for f in findings]


def write(path: str, findings: Iterable[Finding]) -> int:
    """Write the baseline; returns how many findings it holds. Raises OSError."""
    base_dir = os.path.dirname(os.path.abspath(path))
    keys = sorted(_keys(findings, base_dir))
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "comment": "klplint baseline: findings accepted as they are; regenerate with "
                   "`klplint check --write-baseline FILE PATHS...`",
        "findings": [{"rule": r, "path": p, "function": fn or None, "snippet": h} for r, p, fn, h in keys],
    }
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    return len(keys)


def load(path: str) -> Counter:
    """The baseline's findings as a multiset of keys. Raises BaselineError."""
    try:
        doc = json.loads(read_bytes(path, 256 * 1024 * 1024).decode("utf-8"))
    except UnreadableFile as e:
        if e.reason == "no such file":
            raise BaselineError(f"baseline {path}: no such file (create it with --write-baseline {path})")
        if e.reason == "is a directory":
            raise BaselineError(f"baseline {path}: is a directory")
        raise BaselineError(f"baseline {path}: cannot read: {e.reason}")
    except (ValueError, UnicodeDecodeError) as e:
        raise BaselineError(f"baseline {path}: not valid JSON ({e}); regenerate it with --write-baseline")
    except RecursionError:
        raise BaselineError(f"baseline {path}: not a klplint baseline (nested too deeply)")
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BaselineError(f"baseline {path}: not a klplint baseline (no \"format\": \"{FORMAT}\")")
    if doc.get("version") != VERSION:
        raise BaselineError(f"baseline {path}: unsupported version {doc.get('version')!r} (this klplint "
                            f"reads version {VERSION}); regenerate it with --write-baseline")
    entries = doc.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"baseline {path}: \"findings\" must be a list")
    out: Counter = Counter()
    for i, e in enumerate(entries):
        if (not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("rule", "path", "snippet"))
                or not isinstance(e.get("function"), (str, type(None)))):
            raise BaselineError(f"baseline {path}: entry {i} needs string \"rule\", \"path\", \"snippet\" "
                                "and a string or null \"function\"")
        out[(e["rule"], e["path"], e.get("function") or "", e["snippet"])] += 1
    return out


def filter_results(results, path: str, accepted: Counter) -> int:
    """Remove baselined findings from the FileResults in place; returns how many were removed."""
    base_dir = os.path.dirname(os.path.abspath(path))
    left = Counter(accepted)
    sources = _Sources()
    removed = 0
    for r in results:
        kept = []
        for f in r.findings:
            k = finding_key(f, base_dir, sources)
            if left[k] > 0:
                left[k] -= 1
                removed += 1
            else:
                kept.append(f)
        r.findings = kept
    return removed
