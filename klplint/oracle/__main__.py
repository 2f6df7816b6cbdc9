"""`python -m klplint.oracle FILE...`: run corpus modules in the real kernel and list what happened to each (oops, hang, clean...)."""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys

from klplint.oracle.corpus import run_corpus
from klplint.oracle.harness import find_machine
from klplint.oracle.parts import OracleError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m klplint.oracle",
        description="Build each livepatch module, load it, patch, disable and unload it in Debian's "
                    "kernel under qemu; report build failures, refused loads, oopses and hangs.")
    ap.add_argument("files", nargs="+", help="C files or directories (searched for **/*.c)")
    ap.add_argument("--events", default=None,
                    help="events for every module (default: load the targets the kernel ships, "
                         "enable, disable, unload them)")
    ap.add_argument("--per-boot", type=int, default=16, help="modules per boot (default 16)")
    ap.add_argument("--kernel", default=None, metavar="SERIES",
                    help="the installed Debian kernel to use, by series (6.1, 6.12) or release")
    ap.add_argument("--kernel-image", default=None)
    ap.add_argument("--kernel-headers", default=None)
    ap.add_argument("--timeout", type=float, default=None, help="seconds per boot before it is killed")
    ap.add_argument("--json", action="store_true", help="one JSON object per module")
    ap.add_argument("--log", action="store_true", help="print each module's steps, calls and kernel lines")
    args = ap.parse_args(argv)

    files = []
    for f in args.files:
        if os.path.isdir(f):
            files += sorted(glob.glob(os.path.join(f, "**", "*.c"), recursive=True))
        else:
            files.append(f)
    try:
        machine = find_machine(args.kernel_image, args.kernel_headers, args.kernel)
        runs = run_corpus(files, machine=machine, events=args.events, per_boot=args.per_boot,
                          timeout=args.timeout, log=lambda m: print(m, file=sys.stderr, flush=True))
    except OracleError as e:
        print(f"klplint oracle: {e}", file=sys.stderr)
        return 2
    bad = 0
    for r in runs:
        if args.json:
            print(json.dumps({"source": r.source, "module": r.module, "expects": list(r.expects),
                              "events": r.events, "verdict": r.verdict, "outcome": r.outcome,
                              "calls": r.calls, "problems": r.problems, "build_error": r.build_error,
                              "reports": [{"kind": x.kind, "title": x.title, "step": x.step, "text": x.text}
                                          for x in r.reports]}))
        else:
            print(r.summary())
            if args.log and r.step_log:
                print("    " + r.step_log.replace("\n", "\n    "))
        bad += r.verdict in ("oops", "panic", "hung", "soft-lockup", "rcu-stall")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
