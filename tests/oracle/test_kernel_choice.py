"""Which kernel the oracle boots and which source tree its test modules come from: series, releases,
the default, the package a missing series names, and both layouts of the kernel's test modules
(lib/livepatch up to 6.7, the selftests' test_modules/ after). No VM: fake /boot and kbuild trees,
tarballs written here."""
import io
import tarfile

import pytest
from click.testing import CliRunner

from klplint.oracle import harness, ksource, parts
from klplint.oracle.command import confirm
from klplint.oracle.parts import MissingPart, OracleError

pytestmark = pytest.mark.oracle

R61, R61_OLD, R612 = "6.1.0-57-amd64", "6.1.0-41-amd64", "6.12.117+deb12-amd64"


def test_series_of_debian_releases():
    assert parts.kernel_series(R61) == "6.1"
    assert parts.kernel_series(R612) == "6.12"
    assert parts.kernel_series("6.12") == "6.12"
    assert parts.kernel_series("amd64") is None
    assert parts.is_of(R612, "6.12") and parts.is_of(R612, R612)
    assert not parts.is_of(R61, "6.12") and not parts.is_of("6.10.3-amd64", "6.1")


def test_package_names_per_series():
    # Debian 12's own kernel comes with the unversioned metapackages; 6.12 has its own ones
    assert parts.image_package("6.1") == "linux-image-amd64"
    assert parts.headers_package("6.1") == "linux-headers-amd64"
    assert parts.image_package("6.12") == "linux-image-6.12-amd64"
    assert parts.headers_package("6.12") == "linux-headers-6.12-amd64"
    assert parts.source_package("6.12") == "linux-source-6.12"


def _kbuild(root, release):
    d = root / f"linux-headers-{release}"
    (d / "include" / "generated").mkdir(parents=True)
    (d / "Makefile").write_text("# kbuild\n")
    (d / "include" / "generated" / "utsrelease.h").write_text(f'#define UTS_RELEASE "{release}"\n')
    return d


@pytest.fixture
def boot_dir(tmp_path, monkeypatch):
    """/boot with two 6.1 releases (only the newer has headers) and a 6.12 with headers."""
    images, headers = {}, {}
    for rel in (R61, R61_OLD, R612):
        img = tmp_path / f"vmlinuz-{rel}"
        img.write_bytes(b"not a bzImage")
        images[rel] = str(img)
    for rel in (R61, R612):
        headers[rel] = str(_kbuild(tmp_path, rel))

    def installed():
        return sorted(images.items(), key=lambda rp: parts._version_key(rp[0]), reverse=True)
    monkeypatch.setattr(parts, "_installed_images", installed)
    monkeypatch.setattr(parts, "_headers_dir", lambda rel: headers.get(rel))
    return images, headers


def test_default_is_debian_12s_kernel_even_with_a_newer_series_beside_it(boot_dir):
    k = parts.find_kernel()
    assert (k.release, k.kbuild_dir) == (R61, boot_dir[1][R61])


def test_series_picks_its_newest_kernel_with_headers(boot_dir):
    assert parts.find_kernel(series="6.12").release == R612
    assert parts.find_kernel(series="6.1").release == R61         # 6.1.0-41 has no headers
    assert parts.find_kernel(series=R612).image == boot_dir[0][R612]
    assert parts.installed_series() == ["6.1", "6.12"]


def test_headers_decide_the_kernel_when_given(boot_dir):
    k = parts.find_kernel(kernel_headers=boot_dir[1][R612])
    assert k.release == R612 and k.image == boot_dir[0][R612]
    with pytest.raises(OracleError, match="are for 6.12.117.*not a 6.1 kernel"):
        parts.find_kernel(kernel_headers=boot_dir[1][R612], series="6.1")


def test_a_series_not_installed_names_its_package(boot_dir):
    with pytest.raises(MissingPart) as e:
        parts.find_kernel(series="6.19")
    assert "apt-get install linux-image-6.19-amd64" in str(e.value)
    with pytest.raises(MissingPart, match="apt-get install linux-image-6.12.999"):
        parts.find_kernel(series="6.12.999+deb12-amd64")
    with pytest.raises(OracleError, match="expected a kernel series"):
        parts.find_kernel(series="latest")


def test_machine_series_chooses_the_source_tarball(boot_dir, monkeypatch):
    monkeypatch.setattr(parts, "check_compiler", lambda kernel: None)
    monkeypatch.setattr(parts, "find_tools", lambda: parts.Tools("qemu", "busybox", None, "make"))
    assert harness.find_machine(series="6.12").series == "6.12"
    assert harness.find_machine().series == "6.1"


def test_confirm_with_a_series_that_is_not_installed_is_one_line(boot_dir, monkeypatch, tmp_path):
    monkeypatch.setattr(parts, "find_tools", lambda: parts.Tools("qemu", "busybox", None, "make"))
    src = tmp_path / "lp.c"
    src.write_text("/* never built */\n")
    got = CliRunner().invoke(confirm, [str(src), "--kernel", "6.19", "--no-model"])
    assert got.exit_code == 2
    lines = [ln for ln in got.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "linux-image-6.19-amd64" in lines[0], got.output
    assert "Traceback" not in got.output


# ---------------------------------------------------------------- the kernel's test modules, both layouts

def _tarball(path, prefix, files):
    with tarfile.open(path, "w:xz") as tf:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{prefix}/{name}")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return str(path)


LAYOUTS = {
    # up to 6.7: lib/livepatch; from 6.8 on the modules moved under the selftests
    "lib/livepatch": "lib/livepatch/test_klp_callbacks_mod.c",
    "test_modules": "tools/testing/selftests/livepatch/test_modules/test_klp_callbacks_mod.c",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_test_modules_and_selftests_are_found_in_either_layout(tmp_path, monkeypatch, layout):
    monkeypatch.setenv("KLPLINT_ORACLE_CACHE", str(tmp_path / "cache"))
    tar = _tarball(tmp_path / "linux-source-9.9.tar.xz", "linux-source-9.9", {
        LAYOUTS[layout]: "/* mod */\n",
        "tools/testing/selftests/livepatch/test-callbacks.sh": "#!/bin/bash\n",
        "samples/livepatch/livepatch-sample.c": "/* sample */\n",
        "kernel/livepatch/core.c": "/* not extracted */\n",
    })
    mod = ksource.test_module_source("test_klp_callbacks_mod", tarball=tar)
    assert mod.endswith(LAYOUTS[layout]) and open(mod).read() == "/* mod */\n"
    assert open(ksource.selftest_script("test-callbacks.sh", tarball=tar)).read() == "#!/bin/bash\n"
    root = ksource.livepatch_sources(tar)
    assert not (tmp_path / root / "kernel").exists()        # only the livepatch members
    with pytest.raises(OracleError, match="test_klp_nope.c is not in"):
        ksource.test_module_source("test_klp_nope", tarball=tar)


def test_a_tarball_without_test_modules_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("KLPLINT_ORACLE_CACHE", str(tmp_path / "cache"))
    tar = _tarball(tmp_path / "linux-source-9.9.tar.xz", "linux-source-9.9",
                   {"samples/livepatch/livepatch-sample.c": "/* sample */\n"})
    with pytest.raises(OracleError, match="not a linux-source tarball"):
        ksource.livepatch_sources(tar)


def test_kernel_test_modules_by_name(tmp_path, monkeypatch):
    """What `klplint confirm` builds for a target it was not given: the booted series' own test module."""
    monkeypatch.setenv("KLPLINT_ORACLE_CACHE", str(tmp_path / "cache"))
    tar = _tarball(tmp_path / "linux-source-9.9.tar.xz", "linux-source-9.9",
                   {LAYOUTS["test_modules"]: "/* mod */\n"})

    def find_source_tarball(path=None, series="6.1"):
        if series != "9.9":
            raise MissingPart(f"the tarball of {series}", f"linux-source-{series}")
        return tar
    monkeypatch.setattr(ksource, "find_source_tarball", find_source_tarball)
    assert ksource.find_test_module("test_klp_callbacks_mod", "9.9").endswith(LAYOUTS["test_modules"])
    assert ksource.find_test_module("test_klp_callbacks_mod", "9.8") is None     # no such tarball
    assert ksource.find_test_module("test_klp_nope", "9.9") is None
    assert ksource.find_test_module("e1000", "9.9") is None                      # not a test module name


class _Built(Exception):
    """Raised by the fake build: what confirm() was about to build."""


def test_confirm_builds_the_booted_series_test_module_it_was_not_given(tmp_path, monkeypatch):
    from klplint.oracle import corpus

    lp = tmp_path / "lp.c"
    lp.write_text('static struct klp_object objs[] = { { .name = "test_klp_callbacks_mod" }, { } };\n')
    mod = str(tmp_path / "tree-6.12" / "test_klp_callbacks_mod.c")
    asked = []

    def find_test_module(name, series):
        asked.append((name, series))
        return mod if (name, series) == ("test_klp_callbacks_mod", "6.12") else None

    def build_modules(sources, kbuild_dir, out, make="make"):
        raise _Built(sources)
    monkeypatch.setattr(ksource, "find_test_module", find_test_module)
    monkeypatch.setattr(corpus, "build_modules", build_modules)
    kernel = parts.Kernel(release="6.12.999+deb12-amd64", image="/nonexistent", kbuild_dir=str(tmp_path))
    machine = harness.Machine(kernel=kernel, tools=parts.Tools("qemu", "busybox", None, "make"))
    events = "load:test_klp_callbacks_mod,enable,disable,unload:test_klp_callbacks_mod"
    with pytest.raises(_Built) as built:
        corpus.confirm([str(lp)], [events], machine=machine, use_model=False)
    assert built.value.args[0] == [str(lp), mod]
    assert ("test_klp_callbacks_mod", "6.12") in asked
    # on another series, nothing is found: the scenario is skipped, naming --target
    other = harness.Machine(kernel=parts.Kernel("6.1.0-99-amd64", "/nonexistent", str(tmp_path)), tools=machine.tools)
    with pytest.raises(OracleError, match="no module test_klp_callbacks_mod to load .give its source with --target"):
        corpus.confirm([str(lp)], [events], machine=other, use_model=False)
