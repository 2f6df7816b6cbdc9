"""What a checked file must not do to the parser: clang's `__debug` pragmas are blanked, and an #include that names a FIFO, a device or an oversized file is refused before the parse opens it."""
from __future__ import annotations

import os
import re
import stat
from typing import Iterable, List, Optional, Sequence, Set, Tuple
from klplint.safeio import UnreadableFile, read_text

# `#pragma clang __debug crash|overflow_stack|parser_crash|llvm_fatal_error|...` make clang crash,
# hang or abort on purpose; `_Pragma("clang __debug ...")` is the same pragma from a macro.
_DEBUG_PRAGMA = re.compile(r"^[ \t]*#[ \t]*pragma[ \t]+clang[ \t]+__debug\b(?:[^\n]*\\\r?\n)*[^\n]*", re.M)
_DEBUG_OPERATOR = re.compile(r'_Pragma[ \t]*\([ \t]*(?:L|u8|u|U)?"[ \t]*clang[ \t]+__debug\b[^"\n]*"[ \t]*\)')
# A pragma spelled through a macro's stringification (#define S(x) #x / _Pragma(S(clang __debug ...))):
# `__debug` after `clang` anywhere in a macro definition or a _Pragma argument is blanked too.
_DEBUG_WORD = re.compile(r"\bclang(?:[ \t]|\\\r?\n)+__debug\b")

_INCLUDE = re.compile(r'^[ \t]*#[ \t]*(?:include|include_next|import)[ \t]*([<"])([^>"\n]+)[>"]', re.M)

MAX_SCANNED_HEADERS = 64


def _blank(m: "re.Match[str]") -> str:
    return "".join(c if c in "\r\n" else " " for c in m.group(0))


def neutralise(text: str) -> str:
    """text with clang's __debug pragmas replaced by spaces (lines and columns are kept)."""
    if "__debug" not in text:
        return text
    text = _DEBUG_PRAGMA.sub(_blank, text)
    text = _DEBUG_OPERATOR.sub(_blank, text)
    return _DEBUG_WORD.sub(lambda m: m.group(0).replace("__debug", "_______"), text)


def _dirs(args: Sequence[str]) -> Tuple[List[str], List[str]]:
    """(quote dirs, angle dirs) in clang's search order, from the compile arguments."""
    quote: List[str] = []
    angle: List[str] = []
    system: List[str] = []
    after: List[str] = []
    args = list(args)
    i = 0
    while i < len(args):
        a = args[i]
        for opt, into in (("-iquote", quote), ("-isystem", system), ("-idirafter", after), ("-I", angle)):
            if a == opt and i + 1 < len(args):
                into.append(args[i + 1])
                i += 1
                break
            if a.startswith(opt) and len(a) > len(opt):
                into.append(a[len(opt):])
                break
        i += 1
    return quote, angle + system + after


def _special(path: str) -> Optional[str]:
    """Why an existing include target cannot be read as a header, or None."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if \
            stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file"
        return f"not a regular file ({kind})"
    return None


def _resolve(name: str, angle: bool, here: str, quote: Sequence[str], search: Sequence[str]) -> Optional[str]:
    if os.path.isabs(name):
        return name if os.path.lexists(name) else None
    dirs: Iterable[str] = search if angle else [here, *quote, *search]
    for d in dirs:
        p = os.path.join(d, name)
        if os.path.lexists(p) and not os.path.isdir(p):
            return p
    return None


def check_includes(path: str, text: str, args: Sequence[str], max_bytes: int) -> Optional[Tuple[int, str]]:
    """(line, reason) for the first #include — of the file, or of a header of its own folder tree
    that it includes with quotes — that resolves to a FIFO, a device or a file over max_bytes;
    None when there is none. The search follows clang's (quote dirs, -I, -isystem, -idirafter);
    an include clang would resolve otherwise (a computed #include) is bounded by the parse's limits."""

    quote, search = _dirs(args)
    seen: Set[str] = set()
    todo: List[Tuple[str, str, int]] = [(path, text, 0)]    # (file, text, line in the main file)
    root = os.path.dirname(os.path.abspath(path))
    while todo:
        file, body, main_line = todo.pop()
        here = os.path.dirname(os.path.abspath(file))
        for m in _INCLUDE.finditer(body):
            line = main_line or body.count("\n", 0, m.start()) + 1
            target = _resolve(m.group(2).strip(), m.group(1) == "<", here, quote, search)
            if target is None:
                continue
            why = _special(target)
            if why is None:
                try:
                    if os.path.getsize(target) > max_bytes:
                        why = f"file too large ({os.path.getsize(target) / 1e6:.1f} MB)"
                except OSError:
                    continue
            if why:
                spelled = f"<{m.group(2)}>" if m.group(1) == "<" else f'"{m.group(2)}"'
                return line, f"#include {spelled}: {target}: {why}"
            real = os.path.realpath(target)
            # the checked tree's own headers are followed; the kernel's and the bundled ones are not
            if m.group(1) == '"' and real.startswith(root + os.sep) and real not in seen \
                    and len(seen) < MAX_SCANNED_HEADERS:
                seen.add(real)
                try:
                    todo.append((target, read_text(target, max_bytes), line))
                except UnreadableFile:
                    continue
    return None
