"""Config sources merged into one Config: defaults, then [tool.klplint] / .klplint.toml, then flags.

Discovery: the nearest `.klplint.toml`, or `pyproject.toml` with a `[tool.klplint]` table, walking up
from the first checked path (the working directory when none is given) and stopping at the folder
that holds `.git` or at the filesystem root; in one folder `.klplint.toml` wins. `--config FILE`
forces one file (a `pyproject.toml` is read from its `[tool.klplint]` table, any other name from its
top-level keys).

Keys (kebab-case or snake_case): select, ignore, per-file-ignores, kernel-dir, kernel-src, include-dirs, defines,
fail-on, frontend, budgets, max-file-size. Relative paths and per-file-ignores globs resolve against
the config file's folder. Flags win: --select/--ignore/--fail-on/--kernel-dir/--frontend replace the
file's value; -I and -D add to the file's include dirs and defines (-I searched first, -D last so it
wins).

Every mistake is one line naming the file and the key, raised as ValueError (exit 2).
"""
from __future__ import annotations

import os
import re
import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple

from klplint.config.settings import LEVELS, Budgets, Config
from klplint.frontend.strict import strict_mode
from klplint.rules.registry import validate_patterns
from klplint.safeio import MAX_SMALL_FILE_BYTES, UnreadableFile, read_bytes, read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

CONFIG_NAMES = (".klplint.toml", "pyproject.toml")
FRONTENDS = ("libclang", "pycparser")
KEYS = ("select", "ignore", "per_file_ignores", "kernel_dir", "kernel_src", "include_dirs", "defines", "fail_on",
        "frontend", "budgets", "max_file_size")


class ConfigError(ValueError):
    """A config file problem, as one line naming the file and the key."""


# ------------------------------------------------------------------ discovery

def _start_dir(paths: Sequence[str]) -> str:
    for p in paths or ():
        if not p:
            continue
        p = os.path.abspath(p)
        if os.path.isdir(p):
            return p
        parent = os.path.dirname(p)
        if os.path.isdir(parent):
            return parent
        break
    return os.getcwd()


def _has_klplint_table(pyproject: str) -> bool:
    try:
        raw = read_bytes(pyproject, MAX_SMALL_FILE_BYTES)
    except UnreadableFile:
        return False
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        # a broken pyproject.toml that does not mention us is not ours to complain about
        # also a header left unclosed (`[tool.klplint`): it is meant for us, so its error is ours
        text = raw.decode("utf-8", "replace")
        return re.search(r"^\s*\[\s*tool\s*\.\s*klplint\b", text, re.M) is not None
    return isinstance(data.get("tool"), dict) and "klplint" in data["tool"]


def find_config(paths: Sequence[str]) -> Optional[str]:
    """The nearest config file to the first path (or the working directory), or None."""
    d = _start_dir(paths)
    while True:
        candidate = os.path.join(d, ".klplint.toml")
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(d, "pyproject.toml")
        if os.path.isfile(candidate) and _has_klplint_table(candidate):
            return candidate
        if os.path.exists(os.path.join(d, ".git")):
            return None
        parent = os.path.dirname(d)
        if parent == d:
            return None
        d = parent


# ------------------------------------------------------------------ reading

def read_config_file(path: str) -> Tuple[Dict[str, Any], str]:
    """The klplint settings of one file (top-level keys, or pyproject's [tool.klplint]) and the name
    they are shown under in messages."""
    shown = _shown(path)
    try:
        data = tomllib.loads(read_text(path, MAX_SMALL_FILE_BYTES))
    except UnreadableFile as e:
        if e.reason == "no such file":
            raise ConfigError(f"{shown}: no such config file")
        if e.reason == "is a directory":
            raise ConfigError(f"{shown}: is a directory, not a config file")
        raise ConfigError(f"{shown}: cannot read: {e.reason}")
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{shown}: not valid TOML: {e}")
    except RecursionError:
        raise ConfigError(f"{shown}: not valid TOML: nested too deeply")
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool")
        if not isinstance(tool, dict) or "klplint" not in tool:
            raise ConfigError(f"{shown}: no [tool.klplint] table")
        section = tool["klplint"]
        if not isinstance(section, dict):
            raise ConfigError(f"{shown}: [tool.klplint] must be a table")
        return section, f"{shown}: [tool.klplint]"
    return data, shown


def _shown(path: str) -> str:
    rel = os.path.relpath(os.path.abspath(path))
    return path if rel.startswith("..") else rel


def parse_settings(raw: Dict[str, Any], where: str, base_dir: str) -> Dict[str, Any]:
    """Validate a settings table into Config field values. `where` prefixes every message."""
    out: Dict[str, Any] = {}
    seen: Dict[str, str] = {}
    for key, value in raw.items():
        norm = key.replace("-", "_")
        if norm not in KEYS:
            hint = _close(norm, KEYS)
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
        if norm in seen:
            raise ConfigError(f"{where}: {key!r} given twice (as {seen[norm]!r} and {key!r})")
        seen[norm] = key

        def bad(msg: str, k: str = key) -> ConfigError:
            return ConfigError(f"{where}: {k}: {msg}")

        if norm in ("select", "ignore"):
            ids = _str_list(value, bad)
            problems = validate_patterns(ids)
            if problems:
                raise bad(problems[0])
            out[norm] = tuple(i.upper() for i in ids)
        elif norm == "per_file_ignores":
            if not isinstance(value, dict):
                raise bad("expected a table of glob = [rule ids]")
            pfi: List[Tuple[str, Tuple[str, ...]]] = []
            for glob, ids in value.items():
                ids = _str_list(ids, lambda m, g=glob: bad(m, f"{key}.{g!r}"))
                problems = validate_patterns(ids)
                if problems:
                    raise bad(problems[0], f"{key}.{glob!r}")
                pfi.append((_glob(glob, base_dir), tuple(i.upper() for i in ids)))
            out["per_file_ignores"] = tuple(pfi)
        elif norm in ("kernel_dir", "kernel_src"):
            if not isinstance(value, str) or not value:
                raise bad("expected a path (string)")
            p = _resolve(value, base_dir)
            if not os.path.isdir(p):
                raise bad(f"{value}: no such directory")
            out[norm] = p
        elif norm == "include_dirs":
            out["include_dirs"] = tuple(_resolve(v, base_dir) for v in _str_list(value, bad))
        elif norm == "defines":
            out["defines"] = _defines(value, bad)
        elif norm == "fail_on":
            if value not in LEVELS:
                raise bad(f"expected one of {', '.join(LEVELS)}, got {value!r}")
            out["fail_on"] = value
        elif norm == "frontend":
            if value not in FRONTENDS:
                raise bad(f"expected one of {', '.join(FRONTENDS)}, got {value!r}")
            out["frontend"] = value
        elif norm == "budgets":
            out["budgets"] = _budgets(value, bad, key)
        elif norm == "max_file_size":
            out["max_file_bytes"] = _size(value, bad)
    return out


def _close(word: str, options: Sequence[str]) -> str:
    import difflib  # start-up: only a mistake in a config file needs it
    m = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {m[0].replace('_', '-')!r}?)" if m else ""


def _str_list(value, bad) -> List[str]:
    if isinstance(value, str):
        raise bad(f"expected a list of strings, got the string {value!r} (write [{value!r}])")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad("expected a list of strings")
    return list(value)


def _resolve(p: str, base_dir: str) -> str:
    p = os.path.expanduser(p)
    return p if os.path.isabs(p) else os.path.normpath(os.path.join(base_dir, p))


def _glob(pattern: str, base_dir: str) -> str:
    """A glob with a folder part is anchored at the config's folder; a bare file-name glob
    (`legacy_*.c`) matches the file name anywhere below it."""
    if "/" not in pattern:
        return pattern
    if pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern if os.path.isabs(pattern) else os.path.join(base_dir, pattern).replace(os.sep, "/")


_DEFINE_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\([^)]*\))?(=.*)?\Z", re.S)


def _defines(value, bad) -> Tuple[str, ...]:
    if isinstance(value, dict):   # { NAME = "VALUE", FLAG = true }
        items = []
        for name, v in value.items():
            if v is True:
                items.append(name)
            elif isinstance(v, (str, int)) and not isinstance(v, bool):
                items.append(f"{name}={v}")
            else:
                raise bad(f"{name}: expected a string, an integer or true")
    else:
        items = _str_list(value, bad)
    for d in items:
        if not _DEFINE_RE.match(d):
            raise bad(f"{d!r} is not NAME or NAME=VALUE")
    return tuple(items)


def _budgets(value, bad, key) -> Budgets:
    if not isinstance(value, dict):
        raise bad("expected a table, e.g. budgets = { max-paths = 256 }")
    changes = {}
    defaults = Budgets()
    for k, v in value.items():
        norm = k.replace("-", "_")
        if norm not in Budgets.FIELDS:
            raise bad(f"unknown budget {k!r}{_close(norm, Budgets.FIELDS)}; "
                      f"known: {', '.join(f.replace('_', '-') for f in Budgets.FIELDS)}", key)
        default = getattr(defaults, norm)
        if isinstance(default, float):
            ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0
            if not ok:
                raise bad(f"expected a positive number, got {v!r}", f"{key}.{k}")
            v = float(v)
        else:
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise bad(f"expected a positive integer, got {v!r}", f"{key}.{k}")
        changes[norm] = v
    return Budgets(**{f: changes.get(f, getattr(defaults, f)) for f in Budgets.FIELDS})


_SIZE_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]i?[bB]?|[bB])?\s*\Z")
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 10 ** 6, "mb": 10 ** 6,
          "mib": 1 << 20, "g": 10 ** 9, "gb": 10 ** 9, "gib": 1 << 30, "ki": 1024, "mi": 1 << 20,
          "gi": 1 << 30}


def _size(value, bad) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    elif isinstance(value, str) and (m := _SIZE_RE.match(value)):
        n = int(float(m.group(1)) * _UNITS[(m.group(2) or "").lower()])
    else:
        raise bad(f"expected a size in bytes (1048576) or with a unit ('1 MB', '512 KiB'), got {value!r}")
    if n < 1:
        raise bad(f"must be positive, got {value!r}")
    return n


# ------------------------------------------------------------------ merging

def load_config(paths: Sequence[str], config_file: Optional[str], flags: dict) -> Config:
    """Defaults, then the nearest (or --config) file, then flags given on the command line
    (None = not given). Raises ValueError with a one-line message for a bad file or value."""
    cfg = Config(strict=strict_mode())
    path = config_file if config_file else find_config(paths)
    file_settings: Dict[str, Any] = {}
    if path:
        raw, where = read_config_file(path)
        file_settings = parse_settings(raw, where, os.path.dirname(os.path.abspath(path)))
    changes = dict(file_settings)
    if "kernel_dir" in file_settings:
        # a settings file lives in the checked tree: its kernel dir's Makefile is never run
        changes["kernel_dir_probe"] = False

    for key in ("frontend", "kernel_dir", "kernel_src", "compile_commands_dir", "fail_on", "module_name"):
        if flags.get(key) is not None:
            changes[key] = flags[key]
    if flags.get("kernel_dir") is not None:       # given by the user: kbuild may be run there
        changes["kernel_dir_probe"] = True
    for key in ("select", "ignore"):
        if flags.get(key):
            changes[key] = tuple(flags[key])
    if flags.get("include_dirs"):
        changes["include_dirs"] = tuple(flags["include_dirs"]) + tuple(file_settings.get("include_dirs", ()))
    if flags.get("defines"):
        changes["defines"] = tuple(file_settings.get("defines", ())) + tuple(flags["defines"])
    if flags.get("extra_flags"):
        changes["extra_flags"] = tuple(flags["extra_flags"])

    bad = validate_patterns(list(flags.get("select") or ()) + list(flags.get("ignore") or ()))
    if bad:
        raise ValueError("; ".join(bad))
    if flags.get("kernel_dir") is not None and not os.path.isdir(flags["kernel_dir"]):
        raise ValueError(f"--kernel-dir {flags['kernel_dir']}: no such directory")
    if flags.get("kernel_src") is not None and not os.path.isdir(flags["kernel_src"]):
        raise ValueError(f"--kernel-src {flags['kernel_src']}: no such directory")
    if flags.get("compile_commands_dir") is not None and not os.path.isdir(flags["compile_commands_dir"]):
        raise ValueError(f"-p {flags['compile_commands_dir']}: no such directory")
    return cfg.with_(**changes)


def config_path_for(paths: Sequence[str], config_file: Optional[str] = None) -> Optional[str]:
    """Which file load_config reads for these paths (for messages and the language server)."""
    return config_file if config_file else find_config(paths)
