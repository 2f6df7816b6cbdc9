"""The shared intermediate representation every front end lowers into (nodes), and helpers over it (util).

`from klplint import ir` then `ir.Call`, `ir.FunctionDecl`...: the node classes are defined in
nodes.py and re-exported here, because every layer above the front ends speaks in them.
"""
from klplint.ir.nodes import *  # noqa: F401,F403
