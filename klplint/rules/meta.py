"""Rules about klplint's own annotations in the source (suppressions). The check lives in suppress.py,
which runs after every other rule, because only then is it known what a suppression suppressed."""
from __future__ import annotations

from klplint.rules.registry import rule

KLP119 = rule(
    id="KLP119", name="unused-suppression", api="B", level="warning",
    summary="A `klplint: ignore[...]` or `klplint: ignore-file[...]` comment that suppresses no finding, "
            "or that names something that is not a klplint rule.",
    why="""This rule is about the suppression comment, not about the livepatch core. A suppression
outlives the finding it was written for: the table gets its terminator, the callback is rewritten,
the line moves. A stale `/* klplint: ignore[KLP204] */` then sits there and quietly swallows the
next, unrelated KLP204 that somebody introduces on that line, which is how a lifecycle leak reaches
a production kernel with a clean klplint run. A misspelt id (`ignore[KLP2O4]`) never suppressed
anything in the first place. The level is warning, so with the default `--fail-on warning` a stale
suppression fails CI the way ruff's unused-noqa and ESLint's unused-disable reports do.

A line suppression covers the line it is on and the line after the comment. `ignore-file[...]` may
be written anywhere in the file and covers all of it. Ids of rules that are not enabled in the run
(`--select`, `--ignore`, `per-file-ignores`) are not reported, and a bare `klplint: ignore` is only
reported when every rule is enabled.""",
    bad="""static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
	{ }
};
/* The terminator was added long ago; the suppression stayed. */
static struct klp_object objs[] = {	/* klplint: ignore[KLP101] */
	{ .funcs = funcs, },
	{ }
};""",
    good="""static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
	{ }
};
static struct klp_object objs[] = {
	{ .funcs = funcs, },
	{ }
};""",
    fix="""Delete the suppression comment (or the ids in it that no longer match a finding). If the finding
only fires in some configurations (another kernel tree, other `-D` flags) and the suppression must
stay, list KLP119 in it too: `/* klplint: ignore[KLP204, KLP119] */`.""",
    precision="very-high")

# No check in the registry: the findings are made by pipeline/suppress.py, after every other rule.
KLP119.produced_by("pipeline/suppress.py (after every other rule)")
