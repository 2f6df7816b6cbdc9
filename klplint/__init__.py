"""klplint: a static verifier for Linux kernel livepatch modules."""

__version__ = "0.2.0"
