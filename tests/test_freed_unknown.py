"""A pointer klplint did not see allocated (a list entry, what an unknown call returned) and that the
code frees: the same value used again is a use after free (KLP207), freed again a double free (KLP205)."""
import pytest

from harness import assert_findings, callbacks_module

PROTOS = ("struct lp_ent { struct list_head node; int id; struct lp_ent *next; };\n"
          "struct lp_ent *lp_lookup(int id);\n"
          "void lp_report(struct lp_ent *e);\n"
          "struct list_head *lp_head(void);\n")


def _post_unpatch(body: str) -> str:
    code = PROTOS + "static void lp_pu(struct klp_object *obj)\n{\n" + body + "\n}\n"
    return "#include <linux/list.h>\n" + callbacks_module(code, {"post_unpatch": "lp_pu"})


@pytest.mark.parametrize("body,rules", [
    ("\tstruct lp_ent *e = lp_lookup(1);\n\n\tkfree(e);\n\tpr_info(\"%d\\n\", e->id);", ["KLP207"]),
    ("\tstruct lp_ent *e = lp_lookup(1);\n\n\tkfree(e);\n\tkfree(e);", ["KLP205"]),
    ("\tstruct lp_ent *e = lp_lookup(1);\n\n\tkfree(e);\n\te = lp_lookup(2);\n\tpr_info(\"%d\\n\", e->id);", []),
    ("\tstruct lp_ent *e = lp_lookup(1);\n\n\tkfree(e);\n\tlp_report(e);", []),    # not dereferenced here
    # freeing the head of a chain, then stepping through it
    ("\tstruct lp_ent *e = lp_lookup(1);\n\n\twhile (e) {\n\t\tkfree(e);\n\t\te = e->next;\n\t}", ["KLP207"]),
    ("\tstruct lp_ent *e = lp_lookup(1), *n;\n\n\twhile (e) {\n\t\tn = e->next;\n\t\tkfree(e);\n\t\te = n;\n\t}",
     []),
    # a list whose entries klplint did not see added (an empty static list is never walked)
    ("\tstruct list_head *h = lp_head();\n\tstruct lp_ent *e;\n\n\tlist_for_each_entry(e, h, node)\n\t\tkfree(e);",
     ["KLP207"]),
    ("\tstruct list_head *h = lp_head();\n\tstruct lp_ent *e, *t;\n\n\tlist_for_each_entry_safe(e, t, h, node) {\n"
     "\t\tlist_del(&e->node);\n\t\tkfree(e);\n\t}", []),
])
def test_freed_unknown_pointer(body, rules):
    found = assert_findings(_post_unpatch(body), *rules, family="KLP20")
    for f in found:
        assert "'e" in f.message or "e " in f.message, f.message
