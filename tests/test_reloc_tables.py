"""Which object a relocation table without object names serves, and what KLP215 makes of it."""
from __future__ import annotations

from typing import Sequence, Tuple

import pytest

from harness import assert_findings
from klplint.rules.reloc_tables import VMLINUX, _named_object


@pytest.mark.parametrize("table, objects, expected", [
    ("klp_nf_tables_relocs", ("nf_tables",), "nf_tables"),
    ("klp_vmlinux_relocs", ("nf_tables",), VMLINUX),
    ("relocs_kvm_intel", ("kvm", "kvm_intel"), "kvm_intel"),   # the longer name is the one meant
    ("relocs_kvm", ("kvm", "kvm_intel"), "kvm"),
    ("nftables_relocs", ("nf_tables",), None),                 # words, not substrings
    ("kvmlinux_relocs", ("kvm",), None),
    ("vmlinux_kvm_relocs", ("kvm",), None),                    # names two objects: undecided
    ("relocs", ("kvm",), None),
    ("lp_nfs_v4_fixups", ("nfs-v4",), "nfs-v4"),               # module names may spell '-' for '_'
])
def test_table_name_names_object(table: str, objects: Tuple[str, ...], expected: object) -> None:
    assert _named_object(table, objects) == expected


def _module(tables: Sequence[Tuple[str, str, str]], init_calls: str, helper_obj_arg: bool = False) -> str:
    """A module whose init resolves `tables` ((name, symbol, pointer)) through one helper; every
    pointer is used by the replacement function of module object 'xfs'."""
    ptrs = "".join(f"static void (*{p})(void);\n" for _, _, p in tables)
    defs = "".join(f"static struct reloc {t}[] = {{\n\t{{ \"{s}\", (void **)&{p} }},\n}};\n"
                   for t, s, p in tables)
    uses = "".join(f"\t{p}();\n" for _, _, p in tables)
    obj = "const char *obj, " if helper_obj_arg else ""
    return f"""#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/kallsyms.h>
#include <linux/errno.h>

struct reloc {{
	const char *sym;
	void **where;
}};

{ptrs}
{defs}
static int fill({obj}struct reloc *r, int n)
{{
	while (n--) {{
		unsigned long a = kallsyms_lookup_name(r[n].sym);

		if (!a)
			return -ENOENT;
		*r[n].where = (void *)a;
	}}
	return 0;
}}

static void lp_xfs_fsync(void)
{{
{uses}}}

static struct klp_func funcs[] = {{
	{{ .old_name = "xfs_file_fsync", .new_func = lp_xfs_fsync }},
	{{ }}
}};

static struct klp_object objs[] = {{
	{{ .name = "xfs", .funcs = funcs }},
	{{ }}
}};

static struct klp_patch patch = {{
	.mod = THIS_MODULE,
	.objs = objs,
}};

static int __init lp_init(void)
{{
{init_calls}	return klp_enable_patch(&patch);
}}

static void __exit lp_exit(void)
{{
}}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def test_one_table_used_by_a_module_object_is_cached_at_init() -> None:
    # a single table is like a plain lookup: its users say which object it is for
    src = _module([("relocs", "xfs_trans_commit", "p_commit")], "\tfill(relocs, 1);\n")
    assert_findings(src, "KLP215")


def test_tables_split_in_a_way_klplint_cannot_read_stay_silent() -> None:
    # two tables, neither tied to an object: one may be vmlinux's, and KLP215 is only for a module's
    src = _module([("relocs_a", "xfs_trans_commit", "p_commit"), ("relocs_b", "wake_up_var", "p_wake")],
                  "\tfill(relocs_a, 1);\n\tfill(relocs_b, 1);\n")
    assert_findings(src)


def test_named_tables_keep_the_module_ones_finding() -> None:
    src = _module([("xfs_relocs", "xfs_trans_commit", "p_commit"), ("core_relocs", "wake_up_var", "p_wake"),
                   ("vmlinux_relocs", "synchronize_rcu", "p_sync")],
                  "\tfill(xfs_relocs, 1);\n\tfill(core_relocs, 1);\n\tfill(vmlinux_relocs, 1);\n")
    [found] = assert_findings(src, "KLP215")
    assert found.message.startswith("'p_commit' caches")


def test_the_object_the_helper_is_given_ties_the_table() -> None:
    src = _module([("relocs_a", "xfs_trans_commit", "p_commit"), ("relocs_b", "wake_up_var", "p_wake")],
                  '\tfill("xfs", relocs_a, 1);\n\tfill("vmlinux", relocs_b, 1);\n', helper_obj_arg=True)
    [found] = assert_findings(src, "KLP215")
    assert found.message.startswith("'p_commit' caches")
