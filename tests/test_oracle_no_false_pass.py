"""The oracle never reports what it did not see: a qemu that aborts under KVM is retried with TCG, and
`klplint confirm` exits 2 when the VM never ran /init. A stand-in qemu (a script written here) plays
the nested host; no kernel is booted."""
from __future__ import annotations

import stat
import sys
import textwrap

from click.testing import CliRunner

from klplint.oracle import qemu
from klplint.oracle.console import ScenarioRecord
from klplint.oracle.corpus import Confirmation
from klplint.oracle.harness import ScenarioResult
from klplint.oracle.scenario import Scenario

FAKE_QEMU = textwrap.dedent("""\
    #!{python}
    # behaves like qemu on a nested host: with KVM it aborts before the guest prints anything
    import os, sys
    args = sys.argv[1:]
    with open({calls!r}, "a") as f:
        f.write(" ".join(a.split(",")[0] for a in args if a.startswith("-enable-kvm") or a.split(",")[0] == "tcg") + "\\n")
    serials = [a[len("file:"):] for a in args if a.startswith("file:")]
    if "-enable-kvm" in args:
        sys.stderr.write("qemu-system-x86_64: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\\n")
        sys.stderr.flush()
        os.abort()
    with open(serials[0], "w") as f:
        f.write("Linux version 6.1.0 (fake)\\n")
    with open(serials[1], "w") as f:
        f.write("@@KLPORACLE BOOTED\\n")
""")


def _fake_qemu(tmp_path):
    calls = tmp_path / "calls.txt"
    path = tmp_path / "qemu-system-x86_64"
    path.write_text(FAKE_QEMU.format(python=sys.executable, calls=str(calls)))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path), calls


def test_qemu_abort_under_kvm_falls_back_to_tcg(tmp_path, monkeypatch):
    monkeypatch.setenv("KLPLINT_ORACLE_CACHE", str(tmp_path / "cache"))
    exe, calls = _fake_qemu(tmp_path)
    res = qemu.boot(exe, "vmlinuz", "initrd", timeout=30, kvm=True, workdir=str(tmp_path))
    assert res.accel == "tcg"
    assert "Linux version" in res.console
    assert calls.read_text().split("\n")[:2] == ["-enable-kvm", "tcg"]
    # the verdict is remembered: the next boot on this host does not try KVM
    monkeypatch.delenv("KLPLINT_ORACLE_KVM", raising=False)
    monkeypatch.setattr(qemu, "_kvm_opens", lambda: True)
    assert qemu.kvm_usable() is False


def _confirmation(began: bool, problems):
    sc = Scenario("load:lp,enable", (), (), ("lp",))
    rec = ScenarioRecord(0, sc.name)
    rec.began = began
    res = ScenarioResult(sc, rec, [], "ok", [], list(problems))
    return Confirmation("lp.c", "load:lp,enable", res, None, "the scenario did not run", "tcg", 3.0, 1)


def _run_confirm(monkeypatch, tmp_path, confirmations, *args):
    from klplint.oracle import command, corpus, harness

    monkeypatch.setattr(harness, "find_machine", lambda *a: None)
    monkeypatch.setattr(corpus, "confirm", lambda *a, **k: confirmations)
    src = tmp_path / "lp.c"
    src.write_text("int x;\n")
    return CliRunner().invoke(command.confirm, [str(src), *args])


def test_confirm_exits_2_when_the_vm_never_ran_init(monkeypatch, tmp_path):
    never = _confirmation(False, ["the VM never ran /init (tcg: qemu exited with status 1)"])
    for fmt in ("text", "json"):
        got = _run_confirm(monkeypatch, tmp_path, [never], "--format", fmt)
        assert got.exit_code == 2, got.output
        assert "never ran" in got.output


def test_confirm_still_passes_what_it_observed(monkeypatch, tmp_path):
    seen = _confirmation(True, [])
    got = _run_confirm(monkeypatch, tmp_path, [seen], "--no-model")
    assert got.exit_code == 0, got.output
