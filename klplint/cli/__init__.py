"""The surfaces users meet: the command line (main, run), the language server (lsp), the kbuild checker and its warm server."""
