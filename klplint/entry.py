"""The `klplint` command's entry point: a `kbuild-check` call goes to the warm server (on by default)
before anything else is imported (it runs once per C file under make); everything else, and any call
the server cannot take, goes to the click command line."""
from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["kbuild-check"]:
        from klplint.cli import kbuild_server
        if kbuild_server.wanted(argv):
            code = kbuild_server.client_main(argv)
            if code is not None:
                sys.exit(code)
    from klplint.cli.main import main as cli_main
    cli_main(prog_name="klplint")
