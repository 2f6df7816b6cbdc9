"""Test configuration: strict lowering (an unhandled construct fails the test), shared fixtures."""
import os

# Lenient for users, strict in tests: an AST construct the lowering does not handle raises.
os.environ["KLPLINT_STRICT"] = "1"
