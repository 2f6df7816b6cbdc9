"""The language server end to end: a real JSON-RPC client over stdio against `python -m klplint lsp`.

The buffer under test never exists on disk: klplint must analyse what the editor holds."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

BUGGY = """// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>

static int lp_show(void *m, void *v)
{
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "show_partition", .new_func = lp_show, },
};

static struct klp_object objs[] = {
	{ .funcs = funcs, },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&patch);
}

module_init(lp_init);
MODULE_LICENSE("GPL");
"""

FUNCS_LINE = BUGGY.splitlines().index("static struct klp_func funcs[] = {")   # 0-based


def apply_edits(text: str, edits) -> str:
    """Apply LSP TextEdits (ASCII text: UTF-16 offsets are character offsets) to text."""
    lines = text.split("\n")

    def offset(pos):
        return sum(len(l) + 1 for l in lines[:pos["line"]]) + pos["character"]
    for e in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        a, b = offset(e["range"]["start"]), offset(e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
        lines = text.split("\n")
    return text


class Client:
    """A minimal LSP client: Content-Length framing, requests with ids, notifications queued."""

    def __init__(self, cwd: Path):
        env = dict(os.environ)
        self.log = open(cwd / "lsp-stderr.log", "wb")     # the server's own logging, not the protocol
        self.proc = subprocess.Popen([sys.executable, "-m", "klplint", "lsp"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)
        self.next_id = 1
        self.responses = {}
        self.notifications = queue.Queue()
        self.server_requests = []                          # requests the server sent (registrations)
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
            body = out.read(int(headers["content-length"]))
            msg = json.loads(body)
            if "id" in msg and ("result" in msg or "error" in msg):
                with self.cond:
                    self.responses[msg["id"]] = msg
                    self.cond.notify_all()
            elif "method" in msg and "id" in msg:      # a request from the server
                self.server_requests.append(msg)
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            else:
                self.notifications.put(msg)

    def _send(self, msg):
        body = json.dumps(msg).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params, timeout=60):
        rid = self.next_id
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.cond:
            while rid not in self.responses:
                left = deadline - time.monotonic()
                assert left > 0, f"no response to {method} within {timeout}s"
                self.cond.wait(left)
            msg = self.responses.pop(rid)
        assert "error" not in msg, msg
        return msg["result"]

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, timeout=60, version=None):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            assert left > 0, "no publishDiagnostics in time"
            msg = self.notifications.get(timeout=left)
            if msg.get("method") != "textDocument/publishDiagnostics":
                continue
            p = msg["params"]
            if p["uri"] == uri and (version is None or p.get("version") == version):
                return p["diagnostics"]

    def close(self):
        try:
            self.request("shutdown", None, timeout=30)
            self.notify("exit", None)
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.log.close()


@pytest.fixture
def client(tmp_path):
    c = Client(tmp_path)
    result = c.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(),
                                      "capabilities": {"textDocument": {"publishDiagnostics": {
                                          "relatedInformation": True, "codeDescriptionSupport": True}}}})
    assert result["serverInfo"]["name"] == "klplint"
    caps = result["capabilities"]
    assert caps["hoverProvider"] and caps["codeActionProvider"]
    c.notify("initialized", {})
    yield c
    c.close()
    assert c.proc.returncode == 0, (tmp_path / "lsp-stderr.log").read_text()


def test_unsaved_buffer_diagnostics_hover_actions_and_fix(client, tmp_path):
    path = tmp_path / "lp_unsaved.c"          # never written: the buffer only lives in the editor
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                            "text": BUGGY}})
    diags = client.diagnostics(uri, version=1)
    assert not path.exists()
    by_code = {d["code"]: d for d in diags}
    assert set(by_code) == {"KLP101", "KLP112"}, diags
    d101 = by_code["KLP101"]
    assert d101["source"] == "klplint"
    assert d101["severity"] == 1                                   # Error
    assert d101["codeDescription"]["href"].endswith("rules/KLP101.md")
    assert d101["range"]["start"]["line"] == FUNCS_LINE
    assert BUGGY.splitlines()[FUNCS_LINE][d101["range"]["start"]["character"]:].startswith("funcs")

    # hover inside the diagnostic's range: the rule's documentation
    hov = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": d101["range"]["start"]})
    assert hov["contents"]["kind"] == "markdown"
    assert hov["contents"]["value"].startswith("# KLP101 missing-terminator")

    # code actions: the mechanical fix and the suppression
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d101["range"], "context": {"diagnostics": [d101]}})
    titles = [a["title"] for a in actions]
    fix = next(a for a in actions if "terminating" in a["title"])
    assert fix["kind"] == "quickfix" and fix["isPreferred"]
    ignore = next(a for a in actions if a["title"].startswith("Ignore KLP101"))
    assert len(actions) == 2, titles

    fixed_101 = apply_edits(BUGGY, fix["edit"]["changes"][uri])
    assert "\t{ .old_name = \"show_partition\", .new_func = lp_show, },\n\t{ }\n};" in fixed_101

    suppressed = apply_edits(BUGGY, ignore["edit"]["changes"][uri])
    assert suppressed.splitlines()[FUNCS_LINE] == "static struct klp_func funcs[] = {\t/* klplint: ignore[KLP101] */"

    # hover on the rule id inside a klplint: ignore[...] comment
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": suppressed}]})
    diags = client.diagnostics(uri, version=2)
    assert {d["code"] for d in diags} == {"KLP112"}
    col = suppressed.splitlines()[FUNCS_LINE].index("KLP101") + 2
    hov = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": {"line": FUNCS_LINE, "character": col}})
    assert hov["contents"]["value"].startswith("# KLP101 missing-terminator")

    # the fixed text (terminator from the quick fix, the livepatch tag added) clears the diagnostics
    fixed = fixed_101 + 'MODULE_INFO(livepatch, "Y");\n'
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": fixed}]})
    assert client.diagnostics(uri, version=3) == []
    assert not path.exists()


def test_append_fix_lands_at_the_end_of_the_edited_buffer(client, tmp_path):
    """KLP112's fix appends MODULE_INFO at the end of the file: with a buffer longer than the file
    on disk (edited, not saved), it must land at the end of the buffer, not of the file."""
    path = tmp_path / "lp_edited.c"
    path.write_text(BUGGY)
    uri = path.as_uri()
    edited = BUGGY.replace("static int lp_show", "/* a new comment\n * of three lines\n */\nstatic int lp_show")
    edited = edited.replace("\t{ .old_name = \"show_partition\", .new_func = lp_show, },\n",
                            "\t{ .old_name = \"show_partition\", .new_func = lp_show, },\n\t{ }\n")
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                            "text": edited}})
    diags = client.diagnostics(uri, version=1)
    assert {d["code"] for d in diags} == {"KLP112"}
    d112 = diags[0]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d112["range"], "context": {"diagnostics": [d112]}})
    fix = next(a for a in actions if "MODULE_INFO" in a["title"])
    fixed = apply_edits(edited, fix["edit"]["changes"][uri])
    assert fixed == edited + 'MODULE_INFO(livepatch, "Y");\n'
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": fixed}]})
    assert client.diagnostics(uri, version=2) == []
    assert path.read_text() == BUGGY


def test_changes_are_debounced(client, tmp_path):
    """A burst of edits is analysed once, for the last text."""
    uri = (tmp_path / "lp_burst.c").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                            "text": BUGGY}})
    client.diagnostics(uri, version=1)
    for v in range(2, 7):
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v},
                                                 "contentChanges": [{"text": BUGGY + f"// edit {v}\n"}]})
    diags = client.diagnostics(uri, timeout=60)
    time.sleep(1.0)
    later = []
    while not client.notifications.empty():
        m = client.notifications.get()
        if m.get("method") == "textDocument/publishDiagnostics":
            later.append(m["params"]["version"])
    assert {d["code"] for d in diags} == {"KLP101", "KLP112"}
    assert later == [], f"analysed intermediate versions too: {later}"


def test_lifecycle_path_becomes_related_information_and_config_is_used(client, tmp_path):
    """The nearest .klplint.toml applies to open buffers; saving it re-analyses them."""
    (tmp_path / ".klplint.toml").write_text('ignore = ["KLP112"]\n')
    uri = (tmp_path / "lp_cfg.c").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                            "text": BUGGY}})
    assert {d["code"] for d in client.diagnostics(uri, version=1)} == {"KLP101"}
    (tmp_path / ".klplint.toml").write_text('ignore = ["KLP101"]\n')
    client.notify("textDocument/didSave", {"textDocument": {"uri": (tmp_path / ".klplint.toml").as_uri()}})
    assert {d["code"] for d in client.diagnostics(uri, version=1)} == {"KLP112"}


def test_related_information_from_a_finding_path():
    """Finding.path steps map to relatedInformation locations (unit level: the engine decides
    which findings carry a path)."""
    from klplint.findings import Finding, PathStep
    from klplint.ir import Location
    from klplint.cli.lsp import create_server
    server = create_server()
    assert server.name == "klplint"
    from klplint.cli import lsp
    lines = BUGGY.split("\n")
    f = Finding("KLP101", "error", "m", Location("/x/a.c", FUNCS_LINE + 1, 24),
                path=(PathStep(Location("/x/a.c", 26, 2), "enable: pre_patch runs", "scenario"),),
                scenario="load, enable")
    # the diagnostic builder is a method of the server class
    diag = type(server)._diagnostic(server, f, lines)
    assert diag.code == "KLP101" and diag.source == "klplint"
    msgs = [r.message for r in diag.related_information]
    assert msgs == ["lifecycle scenario: load, enable", "enable: pre_patch runs"]
    assert diag.related_information[1].location.range.start.line == 25
    assert diag.related_information[1].location.uri == "file:///x/a.c"
    assert lsp._ignore_edit(["int a; // klplint: ignore[KLP101]"], 1, "KLP204").new_text == ", KLP204"


def test_lifecycle_finding_carries_its_path_as_related_information(client, tmp_path):
    """A behavioural finding from the lifecycle engine: its scenario and steps reach the editor."""
    from klplint.pipeline.analyze_file import analyze_file
    from klplint.config.settings import Config
    corpus = Path(__file__).resolve().parent.parent / "corpus" / "lifecycle" / "bad"
    source = next((p for p in sorted(corpus.glob("*.c"))
                   if any(f.path for f in analyze_file(str(p), Config(strict=True)).findings)), None)
    if source is None:
        pytest.skip("no lifecycle finding with a path in the corpus")
    uri = (tmp_path / source.name).as_uri()                   # unsaved: only the buffer exists
    text = source.read_text()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                            "text": text}})
    diags = client.diagnostics(uri, version=1)
    with_path = [d for d in diags if d.get("relatedInformation")]
    assert with_path, diags
    n_lines = len(text.splitlines())
    for d in with_path:
        assert d["relatedInformation"][0]["message"].startswith("lifecycle scenario: ")
        for info in d["relatedInformation"]:
            assert info["location"]["uri"] == uri
            assert 0 <= info["location"]["range"]["start"]["line"] < n_lines


def start(tmp_path, capabilities):
    c = Client(tmp_path)
    result = c.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(),
                                      "capabilities": capabilities})
    c.notify("initialized", {})
    return c, result


# a non-ASCII comment before the finding on its line: 'é' is 2 UTF-8 bytes and 1 UTF-16 unit, '𝄞' 4
# bytes and 2 units
NON_ASCII = BUGGY.replace("static struct klp_func funcs[] = {", "/* é𝄞 */ static struct klp_func funcs[] = {")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32", None])
def test_positions_in_the_negotiated_encoding(tmp_path, encoding):
    caps = {"general": {"positionEncodings": [encoding]}} if encoding else {}
    c, result = start(tmp_path, caps)
    try:
        assert result["capabilities"].get("positionEncoding", "utf-16") == (encoding or "utf-16")
        uri = (tmp_path / "lp_utf.c").as_uri()
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                           "text": NON_ASCII}})
        d101 = next(d for d in c.diagnostics(uri, version=1) if d["code"] == "KLP101")
        line = NON_ASCII.splitlines()[FUNCS_LINE]
        enc = encoding or "utf-16"
        codec = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[enc]
        unit = {"utf-8": 1, "utf-16": 2, "utf-32": 4}[enc]

        def text_at(character):       # the text from an LSP character offset, decoded as the client does
            return line.encode(codec)[character * unit:].decode(codec)
        start_char, end_char = d101["range"]["start"]["character"], d101["range"]["end"]["character"]
        assert text_at(start_char).startswith("funcs[]"), (enc, start_char)
        assert line.encode(codec)[start_char * unit:end_char * unit].decode(codec) == "funcs"
        # the ignore action: at the end of the line, never inside a token
        actions = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": d101["range"],
                                                        "context": {"diagnostics": [d101]}})
        ignore = next(a for a in actions if a["title"].startswith("Ignore KLP101"))
        (edit,) = ignore["edit"]["changes"][uri]
        at = edit["range"]["start"]["character"]
        assert line.encode(codec)[:at * unit].decode(codec) == line.rstrip()
        assert edit["range"]["end"]["character"] * unit == len(line.encode(codec))
        # hover on the rule id of a suppression after non-ASCII text
        suppressed = NON_ASCII.replace(line, line + "\t/* klplint: ignore[KLP101] */")
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                            "contentChanges": [{"text": suppressed}]})
        assert "KLP101" not in {d["code"] for d in c.diagnostics(uri, version=2)}
        new_line = suppressed.splitlines()[FUNCS_LINE]
        char = len(new_line[:new_line.index("KLP101") + 3].encode(codec)) // unit
        hov = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                               "position": {"line": FUNCS_LINE, "character": char}})
        assert hov["contents"]["value"].startswith("# KLP101 ")
    finally:
        c.close()


def test_incremental_edit_after_non_ascii_text_with_utf8(tmp_path):
    """An incremental change in UTF-8 units (Neovim's way) lands where the client meant it."""
    c, _ = start(tmp_path, {"general": {"positionEncodings": ["utf-8"]}})
    try:
        uri = (tmp_path / "lp_incr.c").as_uri()
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                           "text": NON_ASCII}})
        assert "KLP101" in {d["code"] for d in c.diagnostics(uri, version=1)}
        # add the terminator: insert "\t{ }\n" before the line "};" that closes funcs
        close = NON_ASCII.splitlines().index("};", FUNCS_LINE)
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": close, "character": 0}, "end": {"line": close, "character": 0}},
             "text": "\t{ }\n"}]})
        assert "KLP101" not in {d["code"] for d in c.diagnostics(uri, version=2)}
        # and a change on the non-ASCII line itself: replace "funcs" (after 'é𝄞', 6 bytes) by "fns"
        line = NON_ASCII.splitlines()[FUNCS_LINE]
        start_b = len(line[:line.index("funcs")].encode("utf-8"))
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": FUNCS_LINE, "character": start_b},
                       "end": {"line": FUNCS_LINE, "character": start_b + 5}}, "text": "fns"}]})
        diags = c.diagnostics(uri, version=3)
        # `.funcs = funcs` in objs now names an undeclared array: the edit went where it was meant
        # (one misplaced by a unit would leave `funcs` declared, or not parse at the edited line)
        objs_line = next(i for i, l in enumerate(NON_ASCII.splitlines()) if "{ .funcs = funcs, }" in l)
        assert [(d["range"]["start"]["line"], "undeclared identifier 'funcs'" in d["message"]) for d in diags] == \
            [(objs_line + 1, True)], diags          # + the terminator line added above
    finally:
        c.close()


def test_config_change_on_disk_is_seen_without_any_notification(client, tmp_path):
    """Editors configured as docs/editors.md says send no didSave for the TOML file: the next
    analysis reads the changed file anyway."""
    cfg = tmp_path / ".klplint.toml"
    cfg.write_text('ignore = ["KLP112"]\n')
    uri = (tmp_path / "lp_mtime.c").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                            "text": BUGGY}})
    assert {d["code"] for d in client.diagnostics(uri, version=1)} == {"KLP101"}
    cfg.write_text('ignore = ["KLP101"]\n')
    st = cfg.stat()
    os.utime(cfg, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))    # a later mtime, whatever the clock
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": BUGGY + "\n"}]})
    assert {d["code"] for d in client.diagnostics(uri, version=2)} == {"KLP112"}


def test_watched_config_files_are_registered_and_reanalyse(tmp_path):
    c = Client(tmp_path)
    c.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(), "capabilities": {
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}})
    c.notify("initialized", {})
    try:
        cfg = tmp_path / ".klplint.toml"
        cfg.write_text('ignore = ["KLP112"]\n')
        uri = (tmp_path / "lp_watch.c").as_uri()
        c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c", "version": 1,
                                                           "text": BUGGY}})
        assert {d["code"] for d in c.diagnostics(uri, version=1)} == {"KLP101"}
        registrations = [m for m in c.server_requests if m["method"] == "client/registerCapability"]
        assert registrations, c.server_requests
        reg = registrations[0]["params"]["registrations"][0]
        assert reg["method"] == "workspace/didChangeWatchedFiles"
        assert {w["globPattern"] for w in reg["registerOptions"]["watchers"]} == {"**/.klplint.toml",
                                                                                 "**/pyproject.toml"}
        cfg.write_text('ignore = ["KLP101"]\n')
        st = cfg.stat()
        os.utime(cfg, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": cfg.as_uri(), "type": 2}]})
        assert {d["code"] for d in c.diagnostics(uri, version=1)} == {"KLP112"}     # no edit of the buffer
    finally:
        c.close()


def test_a_slow_document_does_not_hold_up_another(client, tmp_path):
    """A large buffer takes a while to analyse; a small one opened after it is answered first."""
    big = BUGGY + "".join(f"static int helper_{i}(int x) {{ return x + {i}; }}\n" for i in range(6000))
    slow, quick = (tmp_path / "lp_big.c").as_uri(), (tmp_path / "lp_small.c").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": slow, "languageId": "c", "version": 1,
                                                            "text": big}})
    time.sleep(0.2)
    client.notify("textDocument/didOpen", {"textDocument": {"uri": quick, "languageId": "c", "version": 1,
                                                            "text": BUGGY}})
    order = []
    deadline = time.monotonic() + 120
    while len(order) < 2 and time.monotonic() < deadline:
        msg = client.notifications.get(timeout=max(deadline - time.monotonic(), 0.1))
        if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] not in order:
            order.append(msg["params"]["uri"])
    assert order == [quick, slow]
