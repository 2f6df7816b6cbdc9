"""The libclang front end: parse with clang (lower), the ctypes entry points the bindings lack (clang_api), precompiled headers (pch)."""
