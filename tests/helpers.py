"""Small helpers for tests: parse a C snippet with the bundled headers, extract its model."""
from __future__ import annotations

import os
import tempfile

from klplint.config.settings import Config
from klplint.patch.extract import extract
from klplint.frontend import parse

PRELUDE = "#include <linux/module.h>\n#include <linux/livepatch.h>\n#include <linux/slab.h>\n"


def parse_c(code: str, name: str = "snippet.c", config: Config = None, prelude: bool = True):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write((PRELUDE if prelude else "") + code)
        return parse(path, config or Config(strict=True))


def model_of(code: str, name: str = "snippet.c", config: Config = None):
    unit = parse_c(code, name, config)
    return extract(unit, config)


def prelude_lines() -> int:
    return PRELUDE.count("\n")
