"""Taking a global's address in code the engine does not run is a write only when the address
escapes or is written through: the kernel's READ_ONCE, list and container_of macros take addresses
they only read through, and must not make a global "unsure" (its tracking dropped between steps)."""
from __future__ import annotations

import pytest
from harness import model_of

from klplint.analysis.statics import Statics

CODE = r"""
struct box { int v; struct box *next; };
extern void take(void *p);
static int g_read;
static int g_write;
static struct box g_member_read;
static struct box g_member_write;
static int g_compared;
static int g_escapes;
static int *g_holder;
static int g_stored;

static int lp_replacement(struct box *p)
{
	int n = *(const volatile int *)&g_read;          /* READ_ONCE(g_read) */

	*(volatile int *)&g_write = n;                    /* WRITE_ONCE(g_write, n) */
	n += (&g_member_read)->v;                         /* list_first_entry(&head, ...) */
	(&g_member_write)->next = p;
	if ((void *)&g_compared != (void *)p)             /* list_entry_is_head() */
		n++;
	take(&g_escapes);
	g_holder = &g_stored;
	return n;
}

static struct klp_func funcs[] = { { .old_name = "f", .new_func = lp_replacement }, { } };
static struct klp_object objs[] = { { .funcs = funcs }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs };
static int __init lp_init(void) { return klp_enable_patch(&patch); }
module_init(lp_init);
"""


@pytest.fixture(scope="module")
def unsure():
    return Statics(model_of(CODE)).unsure


@pytest.mark.parametrize("name", ["g_read", "g_member_read", "g_compared"])
def test_an_address_only_followed_or_compared_is_no_write(unsure, name):
    assert name not in unsure


@pytest.mark.parametrize("name", ["g_write", "g_member_write", "g_escapes", "g_stored", "g_holder"])
def test_a_write_through_it_or_an_escape_is(unsure, name):
    assert name in unsure
