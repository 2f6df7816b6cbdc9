"""The pure-Python front end: pcpp preprocessing, a GNU C parser on pycparser, semantics and C types, lowering into the IR."""
