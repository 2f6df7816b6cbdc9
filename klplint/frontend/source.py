"""Reading a C file we can analyse: a regular file, size limit, not binary, UTF-8; FrontendError says why not."""
from __future__ import annotations

from klplint.safeio import UnreadableFile, read_bytes

MAX_FILE_BYTES_DEFAULT = 2 * 1024 * 1024   # livepatch modules are small; a 5 MB file is a mistake


class FrontendError(Exception):
    """A file that cannot be analysed. `reason` is one line, shown after the file name."""

    def __init__(self, path: str, reason: str, line: int = 0, col: int = 0):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
        self.col = col


def read_source(path: str, max_bytes: int = MAX_FILE_BYTES_DEFAULT) -> str:
    """The text of a C file, or a FrontendError saying why it is not one we can analyse. Only a
    regular file is opened (a FIFO or /dev/zero named *.c would block or never end)."""
    try:
        data = read_bytes(path, max_bytes, "max-file-size")
    except UnreadableFile as e:
        raise FrontendError(path, e.reason)
    if b"\0" in data[:65536]:
        raise FrontendError(path, "binary file (contains NUL bytes), not C source")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise FrontendError(path, f"invalid UTF-8 at byte {e.start} (line {line})", line, 0)
