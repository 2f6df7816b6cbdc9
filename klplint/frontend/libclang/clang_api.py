"""ctypes bindings for the libclang entry points the Python bindings do not wrap (operators, evaluation, printing)."""
from __future__ import annotations

import ctypes
from typing import Optional

import clang.cindex as ci

_BINARY = {3: "*", 4: "/", 5: "%", 6: "+", 7: "-", 8: "<<", 9: ">>", 11: "<", 12: ">", 13: "<=",
           14: ">=", 15: "==", 16: "!=", 17: "&", 18: "^", 19: "|", 20: "&&", 21: "||", 22: "=",
           23: "*=", 24: "/=", 25: "%=", 26: "+=", 27: "-=", 28: "<<=", 29: ">>=", 30: "&=",
           31: "^=", 32: "|=", 33: ","}
_UNARY = {1: "post++", 2: "post--", 3: "++pre", 4: "--pre", 5: "&", 6: "*", 7: "+", 8: "-",
          9: "~", 10: "!", 13: "__extension__"}

_TERSE_OUTPUT = 17          # CXPrintingPolicy_TerseOutput: declarations without bodies
_EVAL_INT, _EVAL_STR = 1, 4

_ready = False


def _setup() -> None:
    global _ready
    if _ready:
        return
    lib = ci.conf.lib
    lib.clang_getCursorBinaryOperatorKind.argtypes = [ci.Cursor]
    lib.clang_getCursorBinaryOperatorKind.restype = ctypes.c_int
    lib.clang_getCursorUnaryOperatorKind.argtypes = [ci.Cursor]
    lib.clang_getCursorUnaryOperatorKind.restype = ctypes.c_int
    lib.clang_Cursor_Evaluate.argtypes = [ci.Cursor]
    lib.clang_Cursor_Evaluate.restype = ctypes.c_void_p
    lib.clang_EvalResult_getKind.argtypes = [ctypes.c_void_p]
    lib.clang_EvalResult_getKind.restype = ctypes.c_int
    lib.clang_EvalResult_isUnsignedInt.argtypes = [ctypes.c_void_p]
    lib.clang_EvalResult_isUnsignedInt.restype = ctypes.c_uint
    lib.clang_EvalResult_getAsUnsigned.argtypes = [ctypes.c_void_p]
    lib.clang_EvalResult_getAsUnsigned.restype = ctypes.c_ulonglong
    lib.clang_EvalResult_getAsLongLong.argtypes = [ctypes.c_void_p]
    lib.clang_EvalResult_getAsLongLong.restype = ctypes.c_longlong
    lib.clang_EvalResult_getAsStr.argtypes = [ctypes.c_void_p]
    lib.clang_EvalResult_getAsStr.restype = ctypes.c_char_p
    lib.clang_EvalResult_dispose.argtypes = [ctypes.c_void_p]
    lib.clang_Cursor_getVarDeclInitializer.argtypes = [ci.Cursor]
    lib.clang_Cursor_getVarDeclInitializer.restype = ci.Cursor
    lib.clang_Cursor_getVarDeclInitializer.errcheck = ci.Cursor.from_result
    lib.clang_getCursorPrintingPolicy.argtypes = [ci.Cursor]
    lib.clang_getCursorPrintingPolicy.restype = ctypes.c_void_p
    lib.clang_PrintingPolicy_setProperty.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint]
    lib.clang_PrintingPolicy_dispose.argtypes = [ctypes.c_void_p]
    lib.clang_getCursorPrettyPrinted.argtypes = [ci.Cursor, ctypes.c_void_p]
    lib.clang_getCursorPrettyPrinted.restype = ci._CXString
    _ready = True


def binary_op(c: ci.Cursor) -> Optional[str]:
    _setup()
    return _BINARY.get(ci.conf.lib.clang_getCursorBinaryOperatorKind(c))


def unary_op(c: ci.Cursor) -> Optional[str]:
    _setup()
    return _UNARY.get(ci.conf.lib.clang_getCursorUnaryOperatorKind(c))


def evaluate(c: ci.Cursor):
    """The value of a constant expression cursor: int, str, or None."""
    _setup()
    lib = ci.conf.lib
    res = lib.clang_Cursor_Evaluate(c)
    if not res:
        return None
    try:
        kind = lib.clang_EvalResult_getKind(res)
        if kind == _EVAL_INT:
            if lib.clang_EvalResult_isUnsignedInt(res):
                return int(lib.clang_EvalResult_getAsUnsigned(res))
            return int(lib.clang_EvalResult_getAsLongLong(res))
        if kind == _EVAL_STR:
            raw = lib.clang_EvalResult_getAsStr(res)
            return raw.decode("utf-8", "replace") if raw is not None else None
        return None
    finally:
        lib.clang_EvalResult_dispose(res)


def var_initializer(c: ci.Cursor) -> Optional[ci.Cursor]:
    _setup()
    init = ci.conf.lib.clang_Cursor_getVarDeclInitializer(c)
    if init is None or init.kind.is_invalid():
        return None
    return init


def pretty_declaration(c: ci.Cursor) -> str:
    """The declaration as clang prints it, attributes resolved through macros, without a body."""
    _setup()
    lib = ci.conf.lib
    policy = lib.clang_getCursorPrintingPolicy(c)
    try:
        lib.clang_PrintingPolicy_setProperty(policy, _TERSE_OUTPUT, 1)
        cxs = lib.clang_getCursorPrettyPrinted(c, policy)
        return ci._CXString.from_result(cxs)
    finally:
        lib.clang_PrintingPolicy_dispose(policy)
