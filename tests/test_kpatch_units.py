"""The kpatch front end's parts on small hand-made inputs: diff parsing and applying, object placement
from Makefiles and .config, struct layouts, changed-function shapes, the command line's usage errors."""
import textwrap

import pytest
from click.testing import CliRunner

from klplint.cli.main import main
from klplint.kpatch import diff as diffs
from klplint.kpatch import layout
from klplint.kpatch.objects import ObjectError, place
from klplint.kpatch.tree import KernelTree, TreeError, open_tree

TWO_FILES = textwrap.dedent("""\
    Some description a git format-patch would carry.

    --- a/dir/one.c
    +++ b/dir/one.c
    @@ -1,3 +1,4 @@
     int a;
    +int b;
     int c;
     int d;
    --- a/dir/two.c
    +++ b/dir/two.c
    @@ -2,2 +2,2 @@
     x
    -y
    +z
    """)


class TestDiff:
    def test_plain_diff_of_two_files_is_two_files(self):
        sd = diffs.parse_diff("fix.patch", TWO_FILES)
        assert [f.path for f in sd.files] == ["dir/one.c", "dir/two.c"]
        one, two = sd.files
        assert (one.hunks[0].diff_line, one.hunks[0].added) == (5, (2,))
        assert two.hunks[0].diff_line == 12 and two.hunks[0].header.startswith("@@ -2,2 +2,2 @@")

    def test_apply_in_memory(self):
        sd = diffs.parse_diff("fix.patch", TWO_FILES)
        assert diffs.apply(sd, sd.files[0], "int a;\nint c;\nint d;\n") == "int a;\nint b;\nint c;\nint d;\n"

    def test_a_hunk_that_does_not_apply_is_named(self):
        sd = diffs.parse_diff("fix.patch", TWO_FILES)
        with pytest.raises(diffs.DiffError) as e:
            diffs.apply(sd, sd.files[1], "w\nx\nq\n")
        assert str(e.value).startswith("fix.patch:12: hunk #1 @@ -2,2 +2,2 @@ of dir/two.c does not apply")

    def test_no_changes_is_an_error(self):
        with pytest.raises(diffs.DiffError, match="no file changes"):
            diffs.parse_diff("empty.patch", "just words\n")


def _tree(tmp_path, makefiles, config):
    for rel, text in makefiles.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text))
    return KernelTree(str(tmp_path), str(tmp_path), config)


class TestPlacement:
    def test_builtin_module_and_composite(self, tmp_path):
        tree = _tree(tmp_path, {
            "drivers/foo/Makefile": """\
                obj-$(CONFIG_FOO) += foo.o
                obj-$(CONFIG_BAR) += bar.o
                obj-y += always.o
                baz-y := baz_main.o \\
                         baz_extra.o
                obj-$(CONFIG_BAZ) += baz.o
                obj-$(CONFIG_OFF) += off.o
                """}, {"CONFIG_FOO": "y", "CONFIG_BAR": "m", "CONFIG_BAZ": "m"})
        assert place(tree, "drivers/foo/foo.c").module is None
        assert place(tree, "drivers/foo/always.c").label == "vmlinux"
        assert place(tree, "drivers/foo/bar.c").module == "bar"
        assert place(tree, "drivers/foo/baz_extra.c").module == "baz"
        with pytest.raises(ObjectError, match="not built in this configuration"):
            place(tree, "drivers/foo/off.c")

    def test_obj_y_in_a_folder_entered_as_a_module(self, tmp_path):
        tree = _tree(tmp_path, {"fs/Makefile": "obj-$(CONFIG_QFS) += qfs/\n",
                                "fs/qfs/Makefile": "obj-y += inode.o\n"}, {"CONFIG_QFS": "m"})
        assert place(tree, "fs/qfs/inode.c").module == "inode"


    def test_a_folder_the_configuration_leaves_out(self, tmp_path):
        tree = _tree(tmp_path, {"fs/Makefile": "obj-$(CONFIG_QFS) += qfs/\n",
                                "fs/qfs/Makefile": "obj-y += inode.o\n"}, {})
        with pytest.raises(ObjectError, match="fs/qfs/ is disabled"):
            place(tree, "fs/qfs/inode.c")


class TestLayout:
    PRE = "struct s {\n\tint a; /* one */\n\tint b;\n};\nstruct t { int x; };\n"

    def test_member_added(self):
        post = self.PRE.replace("\tint b;\n", "\tint b;\n\tint c;\n")
        [(new, old)] = layout.changed_records(self.PRE, post)
        assert (new.name, new.line, len(new.members), len(old.members)) == ("s", 1, 3, 2)

    def test_comment_or_spacing_is_no_change(self):
        post = self.PRE.replace("/* one */", "/* the first */").replace("\tint b;", "\tint   b;")
        assert layout.changed_records(self.PRE, post) == []


class TestTree:
    def test_flags_of_a_module_file_and_a_builtin_file(self, tmp_path):
        tree = _tree(tmp_path, {"drivers/foo/Makefile": """\
            ccflags-y += -I$(src)/inc -DFOO_DEBUG -O3
            ccflags-$(CONFIG_FOO_TRACE) += -DFOO_TRACE
            ccflags-$(CONFIG_OFF) += -DOFF
            CFLAGS_bar.o := -DBAR_ONLY -I $(srctree)/include/foo -fno-inline $(UNKNOWN) $(call cc-option, -DINSIDE)
            """}, {"CONFIG_FOO_TRACE": "y"})
        bar = tree.flags("drivers/foo/bar.c", "foo")
        other = tree.flags("drivers/foo/other.c", None)
        assert "-DMODULE" in bar and "-DMODULE" not in other
        assert f"-I{tmp_path}/drivers/foo/inc" in bar and "-DFOO_TRACE" in bar and "-DOFF" not in bar
        assert "-DBAR_ONLY" in bar and "-DBAR_ONLY" not in other and "-DINSIDE)" not in bar
        assert bar[bar.index("-I") + 1] == f"{tmp_path}/include/foo"
        assert not any(f in bar for f in ("-O3", "-fno-inline")) and not any("$(" in f for f in bar)
        assert '-DKBUILD_MODNAME="foo"' in bar and '-DKBUILD_MODNAME="other"' in other

    def test_a_tree_without_config_says_what_to_pass(self, tmp_path):
        (tmp_path / "include" / "linux").mkdir(parents=True)
        (tmp_path / "Makefile").write_text("")
        with pytest.raises(TreeError, match="pass --kernel-dir"):
            open_tree(str(tmp_path), None)

    def test_no_tree(self):
        with pytest.raises(TreeError, match="--kernel-src"):
            open_tree(None, None)


class TestCommandLine:
    def test_diff_without_tree_is_a_one_line_usage_error(self, tmp_path, monkeypatch):
        monkeypatch.delenv("KSRC", raising=False)
        p = tmp_path / "fix.patch"
        p.write_text(TWO_FILES)
        r = CliRunner().invoke(main, ["check", str(p)])
        assert r.exit_code == 2
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and "--kernel-src DIR" in lines[0] and str(p) in lines[0]

    def test_diff_mixed_with_c_files(self, tmp_path):
        p = tmp_path / "fix.diff"
        p.write_text(TWO_FILES)
        r = CliRunner().invoke(main, ["check", str(p), "x.c", "--kernel-src", str(tmp_path)])
        assert r.exit_code == 2 and "not both" in r.output

    def test_baseline_is_refused_for_diffs(self, tmp_path):
        p = tmp_path / "fix.patch"
        p.write_text(TWO_FILES)
        r = CliRunner().invoke(main, ["check", str(p), "--kernel-src", str(tmp_path), "--baseline", "b.json"])
        assert r.exit_code == 2 and "do not work with source diffs" in r.output

    def test_bad_tree_is_an_error_naming_it(self, tmp_path):
        p = tmp_path / "fix.patch"
        p.write_text(TWO_FILES)
        r = CliRunner().invoke(main, ["check", str(p), "--kernel-src", str(tmp_path)])
        assert r.exit_code == 2 and "not a kernel source tree" in r.output


GIT_STYLE = textwrap.dedent("""\
    From 1234 Mon Sep 17 00:00:00 2001
    Subject: [PATCH] fix

    ---
     lib/a.c | 2 +-
     1 file changed

    diff --git a/lib/a.c b/lib/a.c
    index 1111111..2222222 100644
    --- a/lib/a.c
    +++ b/lib/a.c
    @@ -1,2 +1,2 @@ int f(void)
    -old
    +new
     same
    diff --git a/lib/new.c b/lib/new.c
    new file mode 100644
    index 0000000..3333333
    --- /dev/null
    +++ b/lib/new.c
    @@ -0,0 +1 @@
    +int g;
    -- 
    2.39.2
    """)


def test_git_format_patch_with_a_new_file():
    sd = diffs.parse_diff("0001-fix.patch", GIT_STYLE)
    a, new = sd.files
    assert (a.path, a.hunks[0].diff_line, a.hunks[0].header) == ("lib/a.c", 12, "@@ -1,2 +1,2 @@ int f(void)")
    assert diffs.apply(sd, a, "old\nsame\n") == "new\nsame\n"
    assert (new.path, new.old_path) == ("lib/new.c", None)
    assert diffs.apply(sd, new, None) == "int g;\n"        # the mail's "-- " signature is not a hunk line


class TestChangedFunctions:
    """compare() on two parses of a small file with klplint's bundled headers."""
    PRE = textwrap.dedent("""\
        static int counter = 1;
        static const int table[2] = { 1, 2 };
        static int helper(int x) { return x + 1; }
        int user(int x) { return helper(x) * 2; }
        int other(void) { return 7; }
        """)

    def _compare(self, tmp_path, post):
        from klplint.config.settings import Config
        from klplint.frontend import parse
        from klplint.kpatch.functions import compare
        path = str(tmp_path / "f.c")
        return compare(parse(path, Config(), self.PRE), parse(path, Config(), post))

    def test_a_body_change_and_nothing_else(self, tmp_path):
        post = "/* a new comment\n   shifting every line */\n" + self.PRE.replace("x + 1", "x + 2")
        c = self._compare(tmp_path, post + "int added(void) { return 0; }\n")
        assert [f.name for f in c.changed] == ["helper"]
        assert [f.name for f in c.added] == ["added"] and c.inits_changed == ()

    def test_a_line_number_that_moves_is_no_change(self, tmp_path):
        from klplint.config.settings import Config
        from klplint.frontend import parse
        from klplint.kpatch.functions import compare
        pre = "void report(const char *f, int line);\nvoid f(void) { report(__FILE__, __LINE__); }\n"
        path = str(tmp_path / "l.c")
        moved = compare(parse(path, Config(), pre), parse(path, Config(), "\n\n" + pre))
        assert moved.changed == ()
        other = compare(parse(path, Config(), pre), parse(path, Config(), pre.replace("__LINE__", "7")))
        assert [f.name for f in other.changed] == ["f"]

    def test_initial_values(self, tmp_path):
        from klplint.kpatch.check import _read_only
        post = self.PRE.replace("counter = 1", "counter = 2").replace("{ 1, 2 }", "{ 1, 3 }")
        c = self._compare(tmp_path, post)
        assert c.changed == ()
        changed = {v.name: _read_only(v.type) for v, _ in c.inits_changed}
        assert changed == {"counter": False, "table": True}

    def test_unique_id_renumbering_is_no_change(self):
        from klplint import ir
        from klplint.kpatch.functions import shape
        loc = ir.Location("f.c", 1, 1)
        a = ir.Name(loc, "__UNIQUE_ID_x_780", "var")
        b = ir.Name(ir.Location("f.c", 9, 2), "__UNIQUE_ID_x_781", "var")
        c = ir.Name(loc, "__UNIQUE_ID_y_780", "var")
        assert shape(a) == shape(b) and shape(a) != shape(c)


def test_patched_functions_that_allocate_on_every_call(tmp_path):
    from klplint.config.settings import Config
    from klplint.frontend import parse
    from klplint.kpatch.shadows import repeated_allocs
    text = textwrap.dedent("""\
        #include <linux/livepatch.h>
        #include <linux/slab.h>
        struct thing { int a; };
        struct thing global_thing;
        struct thing *make(void);
        void on_param(struct thing *t) { klp_shadow_alloc(&t->a, 1, 4, GFP_ATOMIC, NULL, NULL); }
        void on_global(void) { klp_shadow_alloc(&global_thing, 2, 4, GFP_ATOMIC, NULL, NULL); }
        void on_new(void) { struct thing *n = make(); klp_shadow_alloc(n, 3, 4, GFP_ATOMIC, NULL, NULL); }
        void get_or_alloc(struct thing *t) { klp_shadow_get_or_alloc(t, 4, 4, GFP_ATOMIC, NULL, NULL); }
        """)
    unit = parse(str(tmp_path / "p.c"), Config(), text)
    found = repeated_allocs(unit.functions)
    assert [(f.rule, f.function) for f in found] == [("KLP301", "on_param"), ("KLP301", "on_global")]
    assert "parameter 't'" in found[0].message and "global 'global_thing'" in found[1].message
