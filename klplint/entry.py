"""The `klplint` command's entry point: a `kbuild-check --server` call goes to the warm server
before anything else is imported (it runs once per C file under make); everything else, and any call
the server cannot take, goes to the click command line."""
from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["kbuild-check"]:
        # start-up: the server's client first, before click and the rest of klplint are imported
        from klplint.cli import kbuild_server
        if kbuild_server.wanted(argv):
            code = kbuild_server.client_main(argv)
            if code is not None:
                sys.exit(code)
    from klplint.cli.main import main as cli_main  # start-up: only when the server did not answer
    cli_main(prog_name="klplint")
