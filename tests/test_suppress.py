"""Inline suppressions and KLP119 (unused-suppression)."""
from __future__ import annotations

from pathlib import Path

import pytest

from klplint.pipeline import suppress
from klplint.pipeline.analyze_file import analyze_file
from klplint.config.settings import Config

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "corpus" / "structure" / "bad"
UNTERMINATED = (BAD / "klp101_funcs_without_terminator.c").read_text()
TABLE = "static struct klp_func proc_funcs[] = {"


def run(tmp_path, text, **cfg):
    p = tmp_path / "lp.c"
    p.write_text(text)
    return analyze_file(str(p), Config(strict=True, **cfg)).findings


def rules(findings):
    return sorted((f.rule, f.loc.line) for f in findings)


def line_of(text, needle):
    return next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)


def test_comment_lexer_skips_strings_and_tracks_lines():
    text = ('char *s = "/* not a comment */"; // one\n'
            "char c = '\"'; /* two\n   lines */ int x; // three \\\n continued\n"
            "int y; /* four */\n")
    cs = suppress.comments(text)
    assert [(c.text, c.line, c.col, c.end_line) for c in cs] == [
        ("// one", 1, 34, 1), ("/* two\n   lines */", 2, 15, 3),
        ("// three \\\n continued", 3, 20, 4), ("/* four */", 5, 8, 5)]


@pytest.mark.parametrize("comment", ["/* klplint: ignore[KLP101] */", "// klplint: ignore[KLP101]",
                                     "// klplint:ignore[ klp101 ]", "/* klplint: ignore */",
                                     "// klplint: ignore[KLP107, KLP101]"])
def test_same_line_forms(tmp_path, comment):
    text = UNTERMINATED.replace(TABLE, TABLE + "\t" + comment)
    assert rules(run(tmp_path, text)) == ([("KLP119", line_of(text, TABLE))] if "KLP107" in comment else [])


def test_line_before_and_not_two_lines_before(tmp_path):
    text = UNTERMINATED.replace(TABLE, "/* klplint: ignore[KLP101] */\n" + TABLE)
    assert rules(run(tmp_path, text)) == []
    text = UNTERMINATED.replace(TABLE, "/* klplint: ignore[KLP101] */\n\n" + TABLE)
    assert rules(run(tmp_path, text)) == [("KLP101", line_of(text, TABLE)), ("KLP119", line_of(text, "ignore"))]


def test_block_comment_over_several_lines_covers_the_line_after_it(tmp_path):
    text = UNTERMINATED.replace(TABLE, "/*\n * klplint: ignore[KLP101]\n * (ticket 42)\n */\n" + TABLE)
    assert rules(run(tmp_path, text)) == []


def test_file_level_anywhere(tmp_path):
    text = UNTERMINATED + "/* klplint: ignore-file[KLP101] */\n"
    assert rules(run(tmp_path, text)) == []
    text = UNTERMINATED + "// klplint: ignore-file\n"
    assert rules(run(tmp_path, text)) == []


def test_rule_of_another_id_is_not_suppressed(tmp_path):
    text = UNTERMINATED.replace(TABLE, TABLE + " // klplint: ignore[KLP102]")
    line = line_of(text, TABLE)
    assert rules(run(tmp_path, text)) == [("KLP101", line), ("KLP119", line)]


def test_unused_suppression_message_and_location(tmp_path):
    text = UNTERMINATED.replace("static struct klp_object proc_objs[] = {",
                                "static struct klp_object proc_objs[] = {\t// klplint: ignore[KLP103]")
    fs = [f for f in run(tmp_path, text) if f.rule == "KLP119"]
    assert len(fs) == 1
    f = fs[0]
    assert f.level == "warning"
    assert f.message == ("unused suppression: no KLP103 finding on this line or the next "
                         "(remove KLP103 from this 'klplint: ignore')")
    line = text.splitlines()[f.loc.line - 1]
    assert line[f.loc.col - 1:].startswith("klplint: ignore[KLP103]")


def test_unknown_and_malformed_ids_are_reported(tmp_path):
    text = UNTERMINATED + "// klplint: ignore[KLP2O4]\n/* klplint: ignore[KLP101 */\n// klplint: ignore[]\n"
    msgs = sorted(f.message for f in run(tmp_path, text) if f.rule == "KLP119")
    assert msgs == ["empty suppression list '[]'", "malformed suppression: missing ']'",
                    "suppression names 'KLP2O4', which is not a klplint rule"]


def test_disabled_rules_are_not_reported_unused(tmp_path):
    """With --select KLP2 a suppression of KLP101 suppresses nothing, but only because the rule is off."""
    text = UNTERMINATED.replace(TABLE, TABLE + " // klplint: ignore[KLP101]") + "// klplint: ignore\n"
    # every rule on: the bare ignore at the end covers nothing and is reported
    assert rules(run(tmp_path, text)) == [("KLP119", len(text.splitlines()))]
    # not every rule runs: the bare ignore may be meant for one that does not, so it stays quiet
    assert rules(run(tmp_path, text, select=("KLP2", "KLP119"))) == []
    assert rules(run(tmp_path, text, ignore=("KLP101",))) == []
    assert rules(run(tmp_path, text, ignore=("KLP119",))) == []


def test_klp119_can_be_kept_quiet_in_the_comment_or_the_file(tmp_path):
    text = UNTERMINATED.replace("static struct klp_object", "// klplint: ignore[KLP204, KLP119]\nstatic struct klp_object")
    assert rules(run(tmp_path, text)) == [("KLP101", line_of(text, TABLE))]
    text = UNTERMINATED + "// klplint: ignore[KLP204]\n/* klplint: ignore-file[KLP119] */\n"
    assert rules(run(tmp_path, text)) == [("KLP101", line_of(text, TABLE))]


def test_unsaved_text_is_what_counts(tmp_path):
    p = tmp_path / "lp.c"
    p.write_text(UNTERMINATED)
    text = UNTERMINATED.replace(TABLE, TABLE + " // klplint: ignore[KLP101]")
    assert analyze_file(str(p), Config(strict=True), text=text).findings == []
    assert rules(analyze_file(str(p), Config(strict=True)).findings) == [("KLP101", line_of(UNTERMINATED, TABLE))]
