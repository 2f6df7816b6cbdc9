"""`klplint confirm`: one boot, the kernel's calls beside the model's, and a one-line error (exit 2) when a
Debian package is missing."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from klplint.oracle import parts
from klplint.oracle.command import confirm


pytestmark = pytest.mark.oracle

DATA = Path(__file__).resolve().parent / "data"
CLEAN = str(DATA / "klp_oracle_clean.c")
TARGET = str(DATA / "klp_oracle_target.c")
EVENTS = "load:klp_oracle_target,enable,disable,unload:klp_oracle_target"


def test_confirm_prints_observed_beside_predicted(machine):
    args = [CLEAN, "--target", TARGET, "--scenario", EVENTS, "--timeout", "300"]
    result = CliRunner().invoke(confirm, args, catch_exceptions=False)
    out = result.output
    assert result.exit_code == 0, out
    assert f"klp_oracle_clean.c: {EVENTS} -> ok" in out
    assert "1 scenario(s) in 1 boot(s)" in out
    assert "predicted (klplint trace)" in out and "observed (kernel)" in out
    rows = [ln for ln in out.splitlines() if ln.startswith("  = ") and "outcome:" not in ln]
    assert len(rows) == 6 and all(ln.rstrip().endswith("match") for ln in rows), out
    assert "pre_patch pre_patch(klp_oracle_target) [LIVE]" in out
    assert "= outcome: ok" in out


def _hide(monkeypatch, name):
    real = parts._which

    def which(n, extra=()):
        return None if n == name else real(n, extra)
    monkeypatch.setattr(parts, "_which", which)


def test_missing_qemu_is_one_line_naming_the_package(monkeypatch):
    _hide(monkeypatch, "qemu-system-x86_64")
    result = CliRunner().invoke(confirm, [CLEAN, "--scenario", "enable,disable"])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert "qemu-system-x86" in lines[0] and "apt-get install qemu-system-x86" in lines[0]
    assert "Traceback" not in result.output


def test_missing_headers_name_the_headers_package(monkeypatch, tmp_path):
    monkeypatch.setattr(parts, "_headers_dir", lambda release: None)
    result = CliRunner().invoke(confirm, [CLEAN])
    if "kernel image" in result.output and "not found" in result.output:
        pytest.skip("no kernel image on this machine either")
    assert result.exit_code == 2
    assert "linux-headers-" in result.output and "apt-get install" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_bad_kernel_image_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(confirm, [CLEAN, "--kernel-image", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "kernel image" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_bad_event_is_an_error_not_a_traceback(machine):
    result = CliRunner().invoke(confirm, [CLEAN, "--scenario", "enable,explode", "--no-model"])
    assert result.exit_code == 2
    assert "unknown event 'explode'" in result.output
    assert "Traceback" not in result.output
