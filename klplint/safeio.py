"""Reading files klplint did not write: regular files only, never more than a limit of bytes."""
from __future__ import annotations

import os
import stat

# Settings files, baselines, cache entries and compile databases are small; a larger one is a mistake
# or an attack on the checker's memory.
MAX_SMALL_FILE_BYTES = 16 * 1024 * 1024


class UnreadableFile(OSError):
    """A path that is not a regular file, too large, or that cannot be opened. str() is one line."""

    def __init__(self, path: str, reason: str):
        super().__init__(reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def read_bytes(path: str, max_bytes: int = MAX_SMALL_FILE_BYTES, limit_name: str = "") -> bytes:
    """The bytes of a regular file of at most max_bytes. Opening is non-blocking (a FIFO does not
    wait for a writer) and the type is checked on the open descriptor, so a path swapped for a FIFO,
    a device or /dev/zero after a check is still refused. `limit_name` names the setting behind
    max_bytes in the message (`max-file-size`)."""
    limit = f"limit {size_text(max_bytes)}" + (f": {limit_name}" if limit_name else "")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UnreadableFile(path, "no such file")
    except IsADirectoryError:
        raise UnreadableFile(path, "is a directory")
    except OSError as e:
        raise UnreadableFile(path, f"cannot read: {e.strerror or e}")
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableFile(path, "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableFile(path, f"not a regular file ({_kind(st.st_mode)})")
        if st.st_size > max_bytes:
            raise UnreadableFile(path, f"file too large ({size_text(st.st_size)}, {limit})")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:     # grew while being read
                raise UnreadableFile(path, f"file too large (grew while read, {limit})")
        return b"".join(chunks)
    except UnreadableFile:
        raise
    except OSError as e:
        raise UnreadableFile(path, f"cannot read: {e.strerror or e}")
    finally:
        os.close(fd)


def read_text(path: str, max_bytes: int = MAX_SMALL_FILE_BYTES) -> str:
    """read_bytes decoded as UTF-8; a decoding error is an UnreadableFile too."""
    data = read_bytes(path, max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnreadableFile(path, f"invalid UTF-8 at byte {e.start}")


def is_regular_file(path: str) -> bool:
    """Without following the path into a FIFO or device: stat, not open."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def size_text(n: int) -> str:
    """A byte count as people read it: '10 bytes', '512.0 KB', '5.2 MB'."""
    if n < 1000:
        return f"{n} byte{'s' if n != 1 else ''}"
    return f"{n / 1e3:.1f} KB" if n < 1e6 else f"{n / 1e6:.1f} MB"
