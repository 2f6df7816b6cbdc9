"""The kernel's own livepatch samples and test modules (linux-source-6.1 and 6.12, extracted at test time into
a cache outside the repository) produce no error or warning from the lifecycle engine, with the bundled
headers and with Debian's kernel tree of the same version; and the engine is really exercised on them:
small edits of those modules that introduce a lifecycle bug are found."""
from __future__ import annotations

import os

import pytest

from klplint.analysis import driver as engine
from klplint.pipeline.analyze_file import analyze_file
from klplint.config.settings import Config

from kbuild_util import kernel_build_dir
from kernel_source import KernelSourceUnavailable, kernel_source_of, livepatch_module_sources

pytestmark = pytest.mark.kernel

VERSIONS = ["6.1", "6.12"]


@pytest.fixture(scope="module", params=VERSIONS)
def tree(request):
    """(version, root of the extracted livepatch sources of linux-source-<version>)."""
    try:
        return request.param, kernel_source_of(request.param)
    except KernelSourceUnavailable as e:
        if os.environ.get("CI"):
            pytest.fail(str(e))
        pytest.skip(str(e))


def _test_module(version: str, name: str) -> str:
    """Where a livepatch test module lives: lib/livepatch/ up to 6.10, the selftests from 6.11."""
    if version == "6.1":
        return f"lib/livepatch/{name}"
    return f"tools/testing/selftests/livepatch/test_modules/{name}"

# Notes the engine may honestly give on the kernel's modules: shadow-fix2 looks up and frees the
# SV_LEAK variables shadow-fix1 attached, an id it never allocates itself.
ALLOWED_NOTES = {("livepatch-shadow-fix2.c", "KLP304")}

# Real bugs in the kernel's own modules, which the engine must report (and report so): 6.12's
# test_klp_syscall.c creates the kobject "test_klp_syscall" and its file in livepatch_init(), then
# returns klp_enable_patch()'s error without kobject_put(). module_exit never runs after a failed
# init, so a failing enable leaks both, and the next load fails with -EEXIST on the name.
KERNEL_BUGS = {("test_klp_syscall.c", "KLP204"): "klp_kobj taken here (livepatch_init(), module_init) is still "
                                                 "held when the livepatch module's load failed"}


def _config(mode: str, version: str = "6.1") -> Config:
    if mode == "kernel-dir":
        return Config(strict=True, kernel_dir=kernel_build_dir(version))
    return Config(strict=True)


@pytest.mark.parametrize("mode", ["bundled", "kernel-dir"])
def test_kernel_livepatch_modules_have_no_engine_findings(tree, mode):
    version, kernel_source = tree
    cfg = _config(mode, version)
    files = livepatch_module_sources(kernel_source)
    assert len(files) >= 15
    livepatches = 0
    bugs_found = set()
    for path in files:
        result = analyze_file(str(path), cfg)
        assert not result.errors, (path.name, [str(e) for e in result.errors])
        for f in result.findings:
            if (path.name, f.rule) in KERNEL_BUGS:
                assert f.level == "warning" and KERNEL_BUGS[path.name, f.rule] in f.message, f.message
                assert (path.name, f.rule) not in bugs_found, ("reported twice", f.message)
                bugs_found.add((path.name, f.rule))
                continue
            assert f.level == "note", (path.name, f.rule, f.loc.line, f.message)
            assert (path.name, f.rule) in ALLOWED_NOTES, (path.name, f.rule, f.message)
        module = result.module
        if module is not None and module.patches:
            livepatches += 1
            analysis = engine.analyse(module, cfg)
            assert analysis.scenarios_run > 0, path.name
            incomplete = [e for _, e in analysis.events.values() if e.kind == "incomplete"]
            assert not incomplete, (path.name, [e.payload for e in incomplete])
    assert livepatches >= 10
    present = {name for name, _ in KERNEL_BUGS} & {p.name for p in files}
    assert {b for b in KERNEL_BUGS if b[0] in present} == bugs_found


def _mutated(tree, tmp_path, rel: str, edits, mode: str):
    version, kernel_source = tree
    if rel.startswith("lib/livepatch/"):
        rel = _test_module(version, os.path.basename(rel))
    text = (kernel_source / rel).read_text()
    for old, new in edits:
        assert old in text, (rel, old)
        text = text.replace(old, new)
    path = tmp_path / os.path.basename(rel)
    path.write_text(text)
    cfg = _config(mode, version)
    return analyze_file(str(path), cfg), text


def _line(text: str, needle: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


@pytest.mark.parametrize("mode", ["bundled", "kernel-dir"])
def test_dropping_the_obj_mod_guard_of_the_callbacks_demo_is_found(tree, tmp_path, mode):
    result, text = _mutated(tree, tmp_path, "lib/livepatch/test_klp_callbacks_demo.c", [
        ("\tif (obj->mod)\n\t\tpr_info(\"%s: %s -> %s\\n\", callback, obj->mod->name,",
         "\tif (1)\n\t\tpr_info(\"%s: %s -> %s\\n\", callback, obj->mod->name,")], mode)
    found = [(f.rule, f.loc.line) for f in result.findings if f.level != "note"]
    assert found == [("KLP201", _line(text, "pr_info(\"%s: %s -> %s\\n\", callback, obj->mod->name,"))]


@pytest.mark.parametrize("mode", ["bundled", "kernel-dir"])
def test_dropping_free_all_from_shadow_fix1_is_found(tree, tmp_path, mode):
    result, text = _mutated(tree, tmp_path, "samples/livepatch/livepatch-shadow-fix1.c", [
        ("\tklp_shadow_free_all(SV_LEAK, livepatch_fix1_dummy_leak_dtor);", "")], mode)
    found = [(f.rule, f.loc.line) for f in result.findings]
    assert ("KLP303", _line(text, "shadow_leak = klp_shadow_alloc(d, SV_LEAK")) in found


@pytest.mark.parametrize("mode", ["bundled", "kernel-dir"])
def test_state_sample_freeing_in_the_wrong_callback_is_found(tree, tmp_path, mode):
    # free the loglevel state's data in pre_unpatch instead of post_unpatch: a reversed transition
    # runs no pre_unpatch, so the data allocated by pre_patch leaks
    result, text = _mutated(tree, tmp_path, "lib/livepatch/test_klp_state.c", [
        ("\trestore_console_loglevel();\n}", "\trestore_console_loglevel();\n\tfree_loglevel_state();\n}"),
        ("\tcallback_info(__func__, obj);\n\tfree_loglevel_state();\n}", "\tcallback_info(__func__, obj);\n}")],
        mode)
    found = [(f.rule, f.loc.line) for f in result.findings]
    assert ("KLP204", _line(text, "loglevel_state->data = kzalloc(")) in found
