"""The shared harness itself: the fixtures are clean with both front ends, assert_findings fails on a
missing and on an extra finding with the findings in its message, and the skeleton builds modules
the engine reads (a leak in a pre_patch callback is found, its release in post_unpatch clears it)."""
from __future__ import annotations

import pytest

from harness import FIXTURES, assert_findings, callbacks_module, edit, fixture, run_klplint
from klplint.config.settings import Config

FIXTURE_NAMES = sorted(p.name for p in FIXTURES.glob("*.c"))


def test_there_are_fixtures():
    assert {"callbacks_patch.c", "hooks_patch.c", "multi_object_patch.c"} <= set(FIXTURE_NAMES)


@pytest.mark.parametrize("frontend", ["libclang", "pycparser"])
@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixtures_are_clean(name, frontend):
    assert_findings(fixture(name), config=Config(strict=True, frontend=frontend))


def test_fixtures_use_the_api_they_are_named_for():
    for name in FIXTURE_NAMES:
        module = run_klplint(fixture(name)).module
        objects = [o for p in module.patches for o in p.objects]
        hooks = any(o.patch_hooks or o.unpatch_hooks for o in objects)
        callbacks = any(o.callbacks is not None for o in objects)
        assert (hooks, callbacks) == ((True, False) if name.startswith("hooks") else (False, True)), name
    multi = run_klplint(fixture("multi_object_patch.c")).module.patches[0]
    assert [o.name for o in multi.objects] == [None, "ext4", "xfs"]


NO_LICENSE = edit(fixture("callbacks_patch.c"), 'MODULE_LICENSE("GPL");', "")


def test_exactly_the_given_ids_pass():
    found = assert_findings(NO_LICENSE, "KLP113")
    assert [f.rule for f in found] == ["KLP113"]


def test_a_missing_finding_fails_and_lists_what_fired():
    with pytest.raises(AssertionError) as e:
        assert_findings(NO_LICENSE, "KLP113", "KLP112")
    assert "missing: ['KLP112']" in str(e.value) and "KLP113 [error]" in str(e.value)


def test_an_extra_finding_fails():
    with pytest.raises(AssertionError) as e:
        assert_findings(NO_LICENSE)
    assert "extra: ['KLP113']" in str(e.value)


def test_a_repeated_id_counts():
    with pytest.raises(AssertionError) as e:
        assert_findings(NO_LICENSE, "KLP113", "KLP113")
    assert "missing: ['KLP113']" in str(e.value)


def test_family_narrows_what_is_compared():
    assert_findings(NO_LICENSE, family="KLP2")


def test_a_source_that_does_not_parse_fails_the_test():
    with pytest.raises(AssertionError, match="could not analyse"):
        run_klplint("\xff binary \0 garbage")


LEAK = """static void *buf;
static int lp_pre(struct klp_object *obj)
{
	buf = kmalloc(16, GFP_KERNEL);
	return buf ? 0 : -ENOMEM;
}
"""


def test_skeleton_carries_the_callbacks():
    assert_findings(callbacks_module(LEAK, {"pre_patch": "lp_pre"}), "KLP204")
    released = LEAK + "static void lp_post(struct klp_object *obj) { kfree(buf); }\n"
    assert_findings(callbacks_module(released, {"pre_patch": "lp_pre", "post_unpatch": "lp_post"}))


@pytest.mark.parametrize("object_name,enable", [(None, True), ("ext4", False)])
def test_skeleton_variants_are_clean(object_name, enable):
    assert_findings(callbacks_module(object_name=object_name, enable=enable))
