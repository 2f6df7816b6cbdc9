"""klplint: a static verifier for Linux kernel livepatch modules."""

__version__ = "0.1.0"
