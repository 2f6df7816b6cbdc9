"""Paths as klplint shows and keys them: valid Unicode for output, repository-relative for fingerprints."""
from __future__ import annotations

import os
from functools import lru_cache


def encodable(path: str) -> bool:
    """The name is valid UTF-8 (os gives undecodable bytes as lone surrogates)."""
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def display(path: str) -> str:
    """path with each byte that is not UTF-8 shown as U+FFFD: reports stay valid Unicode."""
    if encodable(path):
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_MARKERS = (".git", ".hg", ".svn")


@lru_cache(maxsize=4096)
def _root_of(folder: str) -> str:
    """The nearest folder at or above `folder` holding a version-control marker, else `folder`'s
    nearest one holding a klplint settings file, else the file system root."""
    settings = None
    d = folder
    while True:
        if any(os.path.exists(os.path.join(d, m)) for m in _MARKERS):
            return d
        if settings is None and any(os.path.isfile(os.path.join(d, n)) for n in (".klplint.toml", "pyproject.toml")):
            settings = d
        parent = os.path.dirname(d)
        if parent == d:
            return settings or d
        d = parent


def repo_relative(path: str) -> str:
    """The path relative to its repository's root, with forward slashes: `x.c`, `./x.c`, an
    absolute path and the same file named from another working folder give one spelling."""
    absolute = os.path.normpath(os.path.abspath(path))
    root = _root_of(os.path.dirname(absolute))
    try:
        rel = os.path.relpath(absolute, root)
    except ValueError:      # another drive (Windows)
        rel = absolute
    return rel.replace(os.sep, "/")
