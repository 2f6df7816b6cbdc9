"""`klplint confirm`: build a livepatch module, run its lifecycle scenario(s) in a throwaway VM, print the kernel's calls beside the model's."""
from __future__ import annotations

import json
import sys
from typing import Dict

import click

from klplint.oracle import corpus, harness
from klplint.oracle.parts import OracleError
from klplint.oracle.scenario import FailKnob


def _parse_params(values) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for v in values:
        mod, sep, args = v.partition(":")
        if not sep or not mod:
            raise click.BadParameter(f"{v!r}: expected MODULE:ARGS, e.g. test_klp_callbacks_busy:block_transition=Y",
                                     param_hint="--param")
        out[mod] = (out.get(mod, "") + " " + args).strip()
    return out


def _parse_knobs(values):
    out: Dict[str, Dict[str, FailKnob]] = {}
    for v in values:
        mod, sep, rest = v.partition(":")
        role, eq, spec = rest.partition("=")
        if not sep or not eq or not spec:
            raise click.BadParameter(f"{v!r}: expected MODULE:ROLE=PARAM[=VALUE], e.g. "
                                     "lp:pre_patch=pre_patch_ret=-19", param_hint="--fail-knob")
        param, _, value = spec.partition("=")
        out.setdefault(mod, {})[role] = FailKnob(param, value or "-19")
    return out


@click.command("confirm")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--scenario", "scenarios", multiple=True, metavar="EVENTS",
              help="Events to replay, e.g. 'load:m,enable,disable,unload:m' (repeatable). "
                   "Default: every scenario `klplint trace` enumerates that can run here.")
@click.option("--target", "targets", multiple=True, metavar="FILE.c",
              help="Build this target module too (the kernel's own modules are found by name).")
@click.option("--param", "params", multiple=True, metavar="MODULE:ARGS",
              help="insmod parameters for a module.")
@click.option("--fail-knob", "knobs", multiple=True, metavar="MODULE:ROLE=PARAM[=VALUE]",
              help="Module parameter that makes ROLE fail, for fail:ROLE:OBJ events.")
@click.option("--kernel", "kernel", metavar="SERIES", default=None,
              help="Installed Debian kernel to use: a series (6.1, 6.12) or a release "
                   "(default: 6.1, else the newest with headers; with --kernel-headers, theirs).")
@click.option("--kernel-image", metavar="PATH", default=None,
              help="Kernel to boot (default: Debian's /boot/vmlinuz-*-amd64).")
@click.option("--kernel-headers", metavar="DIR", default=None,
              help="kbuild tree to build against (default: the matching linux-headers-*).")
@click.option("--timeout", type=float, default=None, metavar="S", help="Kill the VM after S seconds.")
@click.option("--no-model", is_flag=True, help="Only show what the kernel did.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def confirm(files, scenarios, targets, params, knobs, kernel, kernel_image, kernel_headers, timeout, no_model, fmt):
    """Run FILE.c in Debian's real kernel under qemu and show what happened beside the model.

    Each line is marked: '=' match, '!' differs, '<' predicted but not observed, '>' observed
    but not predicted. Exit status: 0 everything matched and nothing crashed, 1 a mismatch, an
    oops or a hang, 2 the oracle could not run (missing package, build failure, bad arguments)."""
    try:
        machine = harness.find_machine(kernel_image, kernel_headers, kernel)
        results = corpus.confirm(list(files), list(scenarios), list(targets), machine=machine,
                              fail_knobs=_parse_knobs(knobs), params=_parse_params(params),
                              timeout=timeout, use_model=not no_model)
    except click.BadParameter:
        raise
    except OracleError as e:
        click.echo(f"klplint confirm: {e}", err=True)
        sys.exit(2)
    release = machine.kernel.release if machine is not None else None     # the kernel that booted
    bad = False
    # a scenario that was meant to boot but was never seen running is no pass: exit 2
    unobserved = [c for c in results if c.boot and not c.observed]
    if fmt == "json":
        out = []
        for c in results:
            out.append({"scenario": c.events, "kernel": release, "outcome": c.result.outcome,
                        "calls": c.result.calls, "matched": c.matched,
                        "predicted": [dict(r.predicted) for r in c.comparison.rows if r.predicted]
                        if c.comparison else None,
                        "predicted_outcome": c.comparison.predicted_outcome if c.comparison else None,
                        "oops": c.oops, "hung": c.hung, "warning": c.warning,
                        "reports": [{"kind": r.kind, "title": r.title, "step": r.step, "text": r.text}
                                    for r in c.result.reports],
                        "problems": c.result.problems, "prediction_error": c.prediction_error,
                        "observed": c.observed})
            bad |= c.oops or c.hung or c.matched is False
        click.echo(json.dumps(out, indent=2, default=str))
    else:
        for i, c in enumerate(results):
            if i:
                click.echo("")
            click.echo(c.render())
            bad |= c.oops or c.hung or c.matched is False
        ran = [c for c in results if c.boot]
        skipped = len(results) - len(ran)
        if ran:
            boots = {c.boot: c.boot_seconds for c in ran}
            matched = sum(1 for c in ran if c.matched)
            compared = sum(1 for c in ran if c.matched is not None)
            where = ", ".join(x for x in (release, ran[0].accel) if x)
            summary = (f"{len(ran)} scenario(s) in {len(boots)} boot(s) ({where}, "
                       f"{sum(boots.values()):.0f} s)")
            if compared:
                summary += f"; {matched} of {compared} match the model"
            if skipped:
                summary += f"; {skipped} skipped"
            click.echo("\n" + summary)
    if unobserved:
        click.echo(f"klplint confirm: {len(unobserved)} scenario(s) never ran in the VM: "
                   + "; ".join(dict.fromkeys(p for c in unobserved for p in c.result.problems[:1])
                               or ["no reason printed"]), err=True)
        sys.exit(2)
    sys.exit(1 if bad else 0)
