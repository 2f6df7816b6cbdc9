"""The `klplint` command's entry point: a `kbuild-check` call goes to the warm server (on by default)
and a `check` run that nothing can have changed is replayed (klplint/rerun.py), both before anything
else is imported; everything else, and any call neither can take, goes to the click command line."""
from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["kbuild-check"]:
        # start-up: the console script loads the rerun replay, then the command line, only when needed
        from klplint.cli import kbuild_server
        if kbuild_server.wanted(argv):
            code = kbuild_server.client_main(argv)
            if code is not None:
                sys.exit(code)
    recorder = None
    if argv[:1] == ["check"]:
        # start-up: the console script loads the rerun replay, then the command line, only when needed
        from klplint import rerun
        code = rerun.replay(argv)
        if code is not None:
            sys.exit(code)
        recorder = rerun.recorder(argv)
    # start-up: the console script loads the rerun replay, then the command line, only when needed
    from klplint.cli.main import main as cli_main
    if recorder is None:
        cli_main(prog_name="klplint")
        return
    code = None
    try:
        cli_main(prog_name="klplint")
        code = 0
    except SystemExit as e:
        code = 0 if e.code is None else e.code
        raise
    finally:
        recorder.finish(code if isinstance(code, int) else None)
