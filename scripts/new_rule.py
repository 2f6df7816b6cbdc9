#!/usr/bin/env python3
"""Scaffold a new rule: its declaration (with every documentation field) appended to
klplint/rules/<family>.py, and its corpus twins corpus/<family>/{bad,good}/klpnnn_<name>.c.

    python scripts/new_rule.py KLP214 callback-leaks-a-timer --family lifecycle --level warning --api B

Rule ids are fixed once published: take the next free number of the family (see `klplint rules`).
The bad twin expects the rule and fails the corpus test until the check is written: that is the
point. What to do next is printed at the end.

The three templates below are the only place that knows how a rule is declared: when the registry's
form changes, change RULE_TEMPLATE (and nothing else).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parent.parent

FAMILY_OF_DIGIT = {"1": "structure", "2": "lifecycle", "3": "shadow", "4": "states"}
LEVELS = ("error", "warning", "note")
APIS = {"H": "hooks", "C": "callbacks", "B": "hooks and callbacks"}

RULE_TEMPLATE = '''

# ------------------------------------------------------------------ {id}

{id} = rule(
    id="{id}", name="{name}", api="{api}", level="{level}",
    summary="TODO: one line: what {id} finds.",
    why="""TODO: why the livepatch core makes this a bug: which core path, in which lifecycle step,
does what with the module's code or data.""",
    bad="""TODO: the smallest C that fires (the heart of corpus/{family}/bad/{stem}.c).""",
    good="""TODO: the same code, corrected (the heart of corpus/{family}/good/{stem}.c).""",
    fix="TODO: how to fix it, in one or two sentences.")


@{id}.check
def _check_{stem}(module):
    """TODO: {id}'s findings. This binds a structural check over the patch model; an engine rule binds
    `@{id}.on(EventKind.X)` (fn(event, analysis), per event) or `@{id}.after` (fn(analysis), once per
    module) instead -- the event vocabulary is in klplint/analysis/README.md."""
    return []
'''

# The module both twins start from: clean, on the API the rule is about.
_CALLBACKS_MODULE = """#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_cmdline_proc_show(void *m, void *v)
{{
	return 0;
}}

static int lp_pre_patch(struct klp_object *obj)
{{
	return 0;
}}

static struct klp_func funcs[] = {{
	{{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_proc_show, }},
	{{ }}
}};

static struct klp_object objs[] = {{
	{{
		.funcs = funcs,
		.callbacks = {{
			.pre_patch = lp_pre_patch,
		}},
	}},
	{{ }}
}};

static struct klp_patch patch = {{{expect}
	.mod = THIS_MODULE,
	.objs = objs,
}};

static int __init lp_init(void)
{{
	return klp_enable_patch(&patch);
}}

static void __exit lp_exit(void)
{{
}}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

_HOOKS_MODULE = """#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_cmdline_proc_show(void *m, void *v)
{{
	return 0;
}}

static int lp_patch_hook(struct klp_object *obj)
{{
	return 0;
}}

static struct klp_hook patch_hooks[] = {{ {{ .hook = lp_patch_hook }}, {{ }} }};

static struct klp_func funcs[] = {{
	{{ .old_name = "cmdline_proc_show", .new_func = lp_cmdline_proc_show, }},
	{{ }}
}};

static struct klp_object objs[] = {{
	{{ .funcs = funcs, .patch_hooks = patch_hooks, }},
	{{ }}
}};

static struct klp_patch patch = {{{expect}
	.mod = THIS_MODULE,
	.objs = objs,
}};

static int __init lp_init(void)
{{
	int ret = klp_register_patch(&patch);
	if (ret)
		return ret;
	ret = klp_enable_patch(&patch);
	if (ret)
		WARN_ON(klp_unregister_patch(&patch));
	return ret;
}}

static void __exit lp_exit(void)
{{
	WARN_ON(klp_unregister_patch(&patch));
}}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""

BAD_TEMPLATE = """// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: {id} {name}.
 * TODO: say what this module does wrong, then write it so that it does; keep
 * `// expect {id}` on the line the finding is reported at (and nothing else fires).
 */
{module}"""

GOOD_TEMPLATE = """// SPDX-License-Identifier: GPL-2.0
/*
 * klplint corpus: the correct twin of ../bad/{stem}.c.
 * TODO: the same module, corrected the way the rule's `fix` says.
 */
// expect-no-findings
{module}"""


class ScaffoldError(Exception):
    """A scaffold that cannot be written: one line saying why."""


def _module(api: str, expect: str) -> str:
    return (_HOOKS_MODULE if api == "H" else _CALLBACKS_MODULE).format(expect=expect)


def _existing_ids(rules_dir: Path) -> List[str]:
    ids = []
    for p in sorted(rules_dir.glob("*.py")):
        ids += re.findall(r'\bid="(KLP\d{3})"', p.read_text())
    return ids


def scaffold(rule_id: str, name: str, family: Optional[str], level: str, api: str,
             root: Path = ROOT) -> List[Path]:
    """Write the three files; the paths written. Raises ScaffoldError before writing anything."""
    rule_id = rule_id.upper()
    if not re.fullmatch(r"KLP[1-4]\d\d", rule_id):
        raise ScaffoldError(f"{rule_id}: a rule id is KLP followed by three digits, the first 1-4")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name):
        raise ScaffoldError(f"{name}: a rule name is kebab-case, e.g. callback-leaks-a-timer")
    if level not in LEVELS:
        raise ScaffoldError(f"--level {level}: one of {', '.join(LEVELS)}")
    if api not in APIS:
        raise ScaffoldError(f"--api {api}: one of {', '.join(APIS)} ({', '.join(APIS.values())})")
    family = family or FAMILY_OF_DIGIT[rule_id[3]]
    rules_dir = root / "klplint" / "rules"
    rules_file = rules_dir / f"{family}.py"
    if not rules_file.exists():
        families = sorted(p.parent.name for p in (root / "corpus").glob("*/bad"))
        raise ScaffoldError(f"--family {family}: no {rules_file.relative_to(root)} (families: {', '.join(families)})")
    if rule_id in _existing_ids(rules_dir):
        raise ScaffoldError(f"{rule_id} is already declared in klplint/rules/: rule ids are never reused")
    stem = f"{rule_id.lower()}_{name.replace('-', '_')}"
    bad = root / "corpus" / family / "bad" / f"{stem}.c"
    good = root / "corpus" / family / "good" / f"{stem}.c"
    for p in (bad, good):
        if p.exists():
            raise ScaffoldError(f"{p.relative_to(root)} exists already")
    fields = dict(id=rule_id, name=name, api=api, level=level, family=family, stem=stem)
    bad.parent.mkdir(parents=True, exist_ok=True)
    good.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text(BAD_TEMPLATE.format(module=_module(api, f"\t// expect {rule_id}"), **fields))
    good.write_text(GOOD_TEMPLATE.format(module=_module(api, ""), **fields))
    with rules_file.open("a") as f:
        f.write(RULE_TEMPLATE.format(**fields))
    return [rules_file, bad, good]


def next_steps(rule_id: str, written: List[Path], root: Path = ROOT) -> str:
    rules_file, bad, good = (p.relative_to(root) for p in written)
    return f"""wrote {rules_file} (appended), {bad}, {good}

next:
  1. fill in {rule_id}'s summary, why, bad, good and fix in {rules_file}, and write its check
  2. make {bad} break the rule (keep `// expect {rule_id}` on the finding's line) and
     {good} the corrected code
  3. python -m pytest -q tests/test_corpus.py -k {rule_id.lower()}
  4. python -m klplint.rules.docs rules/           (regenerate rules/{rule_id}.md and rules/README.md)
  5. python -m pytest -q tests/test_rule_docs.py tests/test_corpus.py
  6. python scripts/same_output.py --base main       (no other finding changed)"""


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/new_rule.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("rule_id", metavar="KLPnnn")
    ap.add_argument("name", help="kebab-case, e.g. callback-leaks-a-timer")
    ap.add_argument("--family", default=None,
                    help="the klplint/rules/<family>.py and corpus/<family>/ to write to "
                         "(default: from the id: 1 structure, 2 lifecycle, 3 shadow, 4 states)")
    ap.add_argument("--level", required=True, choices=LEVELS)
    ap.add_argument("--api", required=True, choices=sorted(APIS),
                    help="H hooks, C callbacks, B both")
    args = ap.parse_args(argv)
    try:
        written = scaffold(args.rule_id, args.name, args.family, args.level, args.api)
    except ScaffoldError as e:
        print(f"new_rule.py: error: {e}", file=sys.stderr)
        return 2
    print(next_steps(args.rule_id.upper(), written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
