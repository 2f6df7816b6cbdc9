"""klplint's SARIF against Microsoft's SARIF multitool with GitHub's rules (what code scanning's
ingestion checks), and what code scanning relies on: code-point columns, the category only when
asked, the 25,000-result cut announced, and writers that read each file once however many findings."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from klplint.config.settings import Config
from klplint.findings import Finding
from klplint.location import Location
from klplint.pipeline.analyze_file import analyze_file
from klplint.pipeline.result import FileResult
from klplint.report import render, sarif
from sarif_tools import require_multitool

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad"
# a finding after non-ASCII text on its line: 'é' is 2 bytes, 1 code point; '→' is 3 bytes, 1
NON_ASCII = """#include <linux/module.h>
#include <linux/livepatch.h>
static int lp_show(void *m, void *v) { return 0; }
/* é→ */ static struct klp_func funcs[] = { { .old_name = "é", .new_func = lp_show } };
static struct klp_object objs[] = { { .funcs = funcs, }, { } };
static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
static int __init lp_init(void) { return klp_enable_patch(&patch); }
module_init(lp_init);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
"""


def check(*args, cwd):
    return subprocess.run([sys.executable, "-m", "klplint", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    d = tmp_path_factory.mktemp("sarif")
    for name in ("klp101_funcs_without_terminator.c", "klp112_no_livepatch_tag.c", "klp116_one_array_both_ways.c"):
        shutil.copy(BAD / name, d / name)
    shutil.copy(ROOT / "corpus" / "lifecycle" / "bad" / "klp201_shared_callback_logs_module.c", d / "path.c")
    (d / "utf8.c").write_text(NON_ASCII, encoding="utf-8")
    (d / "broken.c").write_text("#include <linux/livepatch.h>\nint x = ;\n")    # a tool error notification
    return d


def test_multitool_with_githubs_rules_accepts_the_sarif(tree, tmp_path):
    exe = require_multitool()
    r = check("--format", "sarif", "-o", "klplint.sarif", "--sarif-category", "klplint/livepatch", ".", cwd=tree)
    assert r.returncode == 2, r.stderr                 # findings and one tool error
    doc = json.loads((tree / "klplint.sarif").read_text())
    assert {x["ruleId"] for x in doc["runs"][0]["results"]} >= {"KLP101", "KLP112", "KLP116", "KLP201"}
    log = tmp_path / "validation.sarif"
    proc = subprocess.run([str(exe), "validate", "--rule-kind", "Gh;Sarif", "--level", "Error;Warning",
                           "--log", "ForceOverwrite", "-o", str(log), str(tree / "klplint.sarif")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    problems = [(x["ruleId"], x["message"]) for x in json.loads(log.read_text())["runs"][0].get("results", [])
                if x.get("level", "warning") in ("error", "warning")]
    assert problems == [], problems


def test_multitool_finds_what_github_would_reject(tree, tmp_path):
    """The validation above can fail: the same file without a result's locations is rejected."""
    exe = require_multitool()
    check("--format", "sarif", "-o", "good.sarif", "klp101_funcs_without_terminator.c", cwd=tree)
    doc = json.loads((tree / "good.sarif").read_text())
    del doc["runs"][0]["results"][0]["locations"]
    (tmp_path / "bad.sarif").write_text(json.dumps(doc))
    log = tmp_path / "validation.sarif"
    subprocess.run([str(exe), "validate", "--rule-kind", "Gh", "--log", "ForceOverwrite", "-o", str(log),
                    str(tmp_path / "bad.sarif")], capture_output=True, text=True, timeout=300)
    rules = {x["ruleId"] for x in json.loads(log.read_text())["runs"][0]["results"]}
    assert any(r.startswith("GH") for r in rules), rules


def test_columns_are_code_points(tree, monkeypatch):
    monkeypatch.chdir(tree)
    result = analyze_file("utf8.c", Config())
    f = next(x for x in result.findings if x.rule == "KLP101")
    line = NON_ASCII.splitlines()[f.loc.line - 1]
    byte_prefix = line.encode("utf-8")[:f.loc.col - 1].decode("utf-8")
    doc = json.loads(render("sarif", [result], [], Config()))
    run = doc["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    res = next(x for x in run["results"] if x["ruleId"] == "KLP101")
    col = res["locations"][0]["physicalLocation"]["region"]["startColumn"]
    assert col == len(byte_prefix) + 1 == f.loc.col - 3         # 'é→' is 5 bytes, 2 code points
    assert line[col - 1:].startswith("funcs")
    # the fix's columns too: its insertion lands at the same text as the byte-column edit
    for fix in res["fixes"]:
        for change in fix["artifactChanges"]:
            for rep in change["replacements"]:
                region = rep["deletedRegion"]
                text = NON_ASCII.splitlines()[region["startLine"] - 1] if region["startLine"] <= 10 else ""
                edit = next(e for x in f.fixes for e in x.edits if e.start.line == region["startLine"]
                            and e.text == rep["insertedContent"]["text"])
                raw = text.encode("utf-8")
                assert text[:region["startColumn"] - 1] == raw[:edit.start.col - 1].decode("utf-8")


def test_category_only_when_asked_and_kept_as_given(tree, monkeypatch):
    monkeypatch.chdir(tree)
    results = [analyze_file("klp101_funcs_without_terminator.c", Config())]
    assert "automationDetails" not in json.loads(render("sarif", results, [], Config()))["runs"][0]
    for given, written in (("klplint/livepatch", "klplint/livepatch/"), ("klplint/livepatch/", "klplint/livepatch/"),
                           ("klplint", "klplint/")):
        doc = json.loads(render("sarif", results, [], Config(), category=given))
        assert doc["runs"][0]["automationDetails"]["id"] == written
        # code scanning's reading: the category is what comes before the id's last '/'
        assert written.rsplit("/", 1)[0] == given.rstrip("/")


def _many(path: str, n: int):
    return [FileResult(path, findings=[Finding("KLP101", "error", f"finding {i}", Location(path, 1 + i % 5, 1 + i % 7),
                                               function="funcs") for i in range(n)])]


def test_cut_at_the_limit_is_announced(tree, monkeypatch):
    monkeypatch.chdir(tree)
    monkeypatch.setattr(sarif, "MAX_RESULTS", 10)
    doc = json.loads(render("sarif", _many("utf8.c", 25), [], Config()))
    run = doc["runs"][0]
    assert len(run["results"]) == 10
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    notes = [n for n in inv["toolExecutionNotifications"] if n.get("descriptor", {}).get("id") == "klplint/results-truncated"]
    assert len(notes) == 1 and notes[0]["level"] == "warning"
    assert "25 findings" in notes[0]["message"]["text"] and "15 left out" in notes[0]["message"]["text"]
    doc = json.loads(render("sarif", _many("utf8.c", 10), [], Config()))
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is True       # at the limit: all there


@pytest.mark.parametrize("fmt", ["sarif", "json", "text"])
def test_writers_read_each_file_once(tree, monkeypatch, fmt):
    """No per-finding rescan of the source (what made 16,000 findings in one file take a minute):
    3,000 findings in one file, the file opened once, and fingerprints never re-read it."""
    import builtins

    import klplint.findings as findings_mod
    import klplint.report.source as source_mod
    monkeypatch.chdir(tree)
    opened = []
    real_open = builtins.open

    def counting_open(path, *a, **k):
        opened.append(str(path))
        return real_open(path, *a, **k)
    monkeypatch.setattr(source_mod, "open", counting_open, raising=False)
    monkeypatch.setattr(findings_mod, "snippet", lambda *a, **k: pytest.fail("a per-finding read of the source"))
    out = render(fmt, _many("utf8.c", 3000), [], Config(), source=True)
    assert opened == ["utf8.c"]
    assert out.count("finding 2999") == 1
