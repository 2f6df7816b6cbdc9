"""per-file-ignores: which rules a config turns off for which files."""
from __future__ import annotations

import fnmatch
import os

from klplint.config.settings import Config
from klplint.findings import Finding


def file_ignored(f: Finding, config: Config) -> bool:
    return rule_file_ignored(f.rule, f.loc.file, config)


def rule_file_ignored(rule_id: str, file: str, config: Config) -> bool:
    """per-file-ignores: a glob with a folder part is absolute (anchored at the config file's folder
    by configfile.py); a bare file-name glob matches the file name, or the path as given."""
    path = file.replace(os.sep, "/")
    absolute = os.path.abspath(file).replace(os.sep, "/")
    for pattern, ids in config.per_file_ignores:
        pattern = pattern.replace("**/", "*")
        if pattern.startswith("/"):
            hit = fnmatch.fnmatch(absolute, pattern)
        else:
            hit = fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern)
        if hit and any(rule_id.startswith(i.upper()) or i.upper() == "ALL" for i in ids):
            return True
    return False
