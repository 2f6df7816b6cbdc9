"""Kept for the tests that import from it: the helpers now live in tests/harness.py."""
from harness import PRELUDE, model_of, parse_c, prelude_lines

__all__ = ["PRELUDE", "model_of", "parse_c", "prelude_lines"]
