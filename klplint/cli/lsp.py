"""`klplint lsp`: a language server (pygls 2, stdio) for editors.

- Diagnostics for the buffer as it is in the editor, saved or not: on open and save at once, on
  change after a 300 ms pause in typing. Each diagnostic has the rule id as `code`, the rule's page
  as `codeDescription.href`, `source` "klplint", a severity from the finding's level, and the
  lifecycle path (scenario steps and statements) as `relatedInformation`.
- Hover on a rule id (anywhere in the text, e.g. in a `klplint: ignore[...]` comment) or inside a
  diagnostic's range shows the rule's documentation.
- Code actions: the finding's mechanical fix when it has one (KLP101's missing terminator,
  KLP112's missing MODULE_INFO(livepatch, "Y"), ...), and "ignore this finding", which adds
  `/* klplint: ignore[ID] */` at the end of the line (or adds the id to a suppression already there).
- Settings come from the nearest `.klplint.toml` / `pyproject.toml` of each file, re-read whenever
  that file changes on disk (its modification time is part of the cache key, so an editor that
  never tells the server still gets the new settings at the next analysis), and every open file is
  re-analysed when the client reports a change to one (`workspace/didChangeWatchedFiles`,
  registered when the client supports it) or one is saved in the editor.
- Positions in the encoding the client negotiates (`general.positionEncodings`: UTF-8, UTF-16 or
  UTF-32; UTF-16 when it says nothing); klplint's own columns are bytes.
- One document never holds up another: analyses run in two worker threads, one at a time per
  document, and the event loop (hover, code actions) never waits for an analysis.
"""
from __future__ import annotations

import asyncio
import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional, Tuple


import click
from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from klplint import __version__
from klplint.config.files import config_path_for, load_config
from klplint.config.settings import Config
from klplint.frontend.strict import strict_mode
from klplint.pipeline.analyze_file import analyze_file_safely
from klplint.rules.registry import get
from klplint.fixes import settle_terminators

# pygls and lsprotocol take half a second to import: only `klplint lsp` pays for it, because the
# command line imports this module only for that command (cli/main.py, _Group.LAZY).

DEBOUNCE_SECONDS = 0.3
SOURCE = "klplint"
CONFIG_NAMES = (".klplint.toml", "pyproject.toml")
_RULE_AT = re.compile(r"KLP\d{3}")
_WORD = re.compile(r"[A-Za-z0-9_]+|\"[^\"\n]*\"")
_SUPPRESSION = re.compile(r"klplint\s*:\s*ignore(?![-\w])\s*\[([^\]\n]*)\]")


# ------------------------------------------------------------------ positions

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _units(s: str, enc: str = UTF16) -> int:
    """The length of `s` in the negotiated position encoding's code units."""
    if enc == UTF8:
        return len(s.encode("utf-8"))
    if enc == UTF32:
        return len(s)
    return _utf16_len(s)


def encoding_name(value) -> str:
    """pygls' negotiated PositionEncodingKind (an enum or a string) as 'utf-8' / 'utf-16' / 'utf-32'."""
    v = str(getattr(value, "value", value) or UTF16).lower()
    return v if v in (UTF8, UTF16, UTF32) else UTF16


def _lines(text: str) -> List[str]:
    return text.split("\n")


def _char(lines: List[str], line: int, col: int, enc: str = UTF16) -> int:
    """A klplint 1-based byte column on a 1-based line -> an LSP character offset in `enc` units."""
    if not (1 <= line <= len(lines)):
        return 0
    raw = lines[line - 1].rstrip("\r").encode("utf-8")
    prefix = raw[:max(col - 1, 0)].decode("utf-8", errors="ignore")
    return _units(prefix, enc)


def _position(lines: List[str], line: int, col: int, enc: str = UTF16) -> T.Position:
    if line > len(lines):                 # an insertion at the very end of the file
        return T.Position(line=max(len(lines) - 1, 0), character=_units(lines[-1], enc) if lines else 0)
    return T.Position(line=max(line - 1, 0), character=_char(lines, line, col, enc))


def _range(lines: List[str], line: int, col: int, enc: str = UTF16) -> T.Range:
    """The word (identifier or string) at a finding's position, or the rest of the line."""
    start = _position(lines, line, col, enc)
    if not (1 <= line <= len(lines)):
        return T.Range(start=start, end=start)
    text = lines[line - 1].rstrip("\r")
    raw = text.encode("utf-8")
    offset = len(raw[:max(col - 1, 0)].decode("utf-8", errors="ignore"))
    m = _WORD.match(text, offset)
    end_offset = m.end() if m else len(text.rstrip())
    if end_offset <= offset:
        end_offset = min(offset + 1, len(text))
    end = T.Position(line=start.line, character=_units(text[:end_offset], enc))
    return T.Range(start=start, end=end)


def _contains(r: T.Range, p: T.Position) -> bool:
    return (r.start.line, r.start.character) <= (p.line, p.character) <= (r.end.line, r.end.character)


def _same(a: str, b: str) -> bool:
    return a == b or os.path.abspath(a) == os.path.abspath(b)


def _file_lines(path: str) -> List[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return _lines(fh.read())
    except OSError:
        return []


def _overlaps(a: T.Range, b: T.Range) -> bool:
    return not ((a.end.line, a.end.character) < (b.start.line, b.start.character)
                or (b.end.line, b.end.character) < (a.start.line, a.start.character))


def _ignore_edit(lines: List[str], line: int, rule: str, enc: str = UTF16) -> Optional[T.TextEdit]:
    """`/* klplint: ignore[RULE] */` at the end of the line, or RULE added to a suppression there."""
    if not (1 <= line <= len(lines)):
        return None
    text = lines[line - 1].rstrip("\r")
    m = _SUPPRESSION.search(text)
    if m:
        ids = [i for i in re.split(r"[\s,]+", m.group(1)) if i]
        if rule in ids:
            return None
        at = T.Position(line=line - 1, character=_units(text[:m.end(1)], enc))
        return T.TextEdit(range=T.Range(start=at, end=at), new_text=(", " if ids else "") + rule)
    comment = f"/* klplint: ignore[{rule}] */"
    if text.rstrip().endswith("\\"):      # a macro continuation: the comment goes before the code
        indent = len(text) - len(text.lstrip())
        at = T.Position(line=line - 1, character=_units(text[:indent], enc))
        return T.TextEdit(range=T.Range(start=at, end=at), new_text=comment + " ")
    end = _units(text.rstrip(), enc)
    at = T.Position(line=line - 1, character=end)
    return T.TextEdit(range=T.Range(start=at, end=T.Position(line=line - 1, character=_units(text, enc))),
                      new_text=("\t" if text.strip() else "") + comment)


# ------------------------------------------------------------------ the server

def create_server():
    """The language server, with its features registered."""

    _SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
                 "note": T.DiagnosticSeverity.Information}

    class KlplintServer(LanguageServer):
        def __init__(self):
            super().__init__("klplint", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
            self.analyzer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="klplint-analysis")
            self.pending: Dict[str, asyncio.Task] = {}
            self.running: Dict[str, asyncio.Future] = {}      # uri -> its analysis in a worker thread
            self.findings: Dict[str, List[Tuple[T.Diagnostic, object]]] = {}   # uri -> (diagnostic, Finding)
            self.configs: Dict[tuple, object] = {}

        @property
        def encoding(self) -> str:
            return encoding_name(self.workspace.position_encoding)

        # -- configuration
        def config_for(self, path: str):
            """The settings for `path`, keyed on the config file that applies and its modification
            time: an edit to it, or a new one nearer to the file, is seen at the next analysis."""
            where = config_path_for([path])
            try:
                stamp = os.stat(where).st_mtime_ns if where else None
            except OSError:
                stamp = None
            key = (os.path.dirname(os.path.abspath(path)), where, stamp)
            if key not in self.configs:
                try:
                    self.configs[key] = (load_config([path], None, {}), None)
                except ValueError as e:
                    self.configs[key] = (Config(strict=strict_mode()), str(e))
            return self.configs[key]

        def reanalyse_all(self) -> None:
            self.configs.clear()
            for other in list(self.workspace.text_documents):
                if other.endswith((".c", ".h")):
                    self.schedule(other, 0)

        # -- analysis
        def schedule(self, uri: str, delay: float) -> None:
            old = self.pending.pop(uri, None)
            if old is not None and not old.done():
                old.cancel()
            self.pending[uri] = asyncio.ensure_future(self._analyse_later(uri, delay))

        async def _analyse_later(self, uri: str, delay: float) -> None:
            if delay:
                await asyncio.sleep(delay)
            try:
                doc = self.workspace.get_text_document(uri)
            except Exception:  # noqa: BLE001 - closed meanwhile
                return
            version, text = doc.version, doc.source
            path = to_fs_path(uri) or os.path.join(os.getcwd(), "untitled.c")
            loop = asyncio.get_running_loop()
            previous = self.running.get(uri)
            if previous is not None and not previous.done():
                await asyncio.wait([previous])     # one analysis per document at a time
            job = loop.run_in_executor(self.analyzer, self._diagnose, uri, path, text, self.encoding)
            self.running[uri] = job
            diagnostics = await job
            current = self.workspace.text_documents.get(uri)
            if current is None or current.version != version:
                return    # closed or edited meanwhile: a newer analysis will publish
            self.findings[uri] = diagnostics
            self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=[d for d, _ in diagnostics]))

        def _diagnose(self, uri: str, path: str, text: str, enc: str = UTF16) -> List[Tuple[T.Diagnostic, object]]:
            lines = _lines(text)
            config, problem = self.config_for(path)
            out: List[Tuple[T.Diagnostic, object]] = []
            if problem:
                out.append((T.Diagnostic(range=T.Range(start=T.Position(line=0, character=0),
                                                       end=T.Position(line=0, character=0)),
                                         message=f"klplint configuration: {problem}", source=SOURCE,
                                         severity=T.DiagnosticSeverity.Error), None))
            try:
                result = analyze_file_safely(path, config, text=text)
            except Exception as e:  # noqa: BLE001 - strict mode, or a bug: show it, keep serving
                out.append((T.Diagnostic(range=_range(lines, 1, 1, enc), source=SOURCE,
                                         severity=T.DiagnosticSeverity.Error,
                                         message=f"klplint internal error: {type(e).__name__}: {e}"), None))
                return out
            # KLP101's edits are made against the file on disk; the buffer is what they must fit
            findings = settle_terminators(result.findings, text, lambda p: _same(p, path))
            for f in findings:
                if not _same(f.loc.file, path):
                    continue
                out.append((self._diagnostic(f, lines, enc), f))
            for e in result.errors:
                line = e.line if _same(e.path, path) and e.line else 1
                col = e.col if _same(e.path, path) and e.col else 1
                out.append((T.Diagnostic(range=_range(lines, line, col, enc), source=SOURCE, message=e.reason,
                                         severity=T.DiagnosticSeverity.Error), None))
            for n in result.notes:
                line = n.line if _same(n.path, path) and n.line else 1
                out.append((T.Diagnostic(range=_range(lines, line, n.col or 1, enc), source=SOURCE, message=n.reason,
                                         severity=T.DiagnosticSeverity.Hint), None))
            return out

        def _diagnostic(self, f, lines: List[str], enc: str = UTF16) -> T.Diagnostic:
            rule = get(f.rule)
            related = []
            if f.scenario:
                related.append(T.DiagnosticRelatedInformation(
                    location=T.Location(uri=from_fs_path(os.path.abspath(f.loc.file)),
                                        range=_range(lines, f.loc.line, f.loc.col, enc)),
                    message=f"lifecycle scenario: {f.scenario}"))
            for step in f.path:
                step_lines = lines if _same(step.loc.file, f.loc.file) else _file_lines(step.loc.file)
                related.append(T.DiagnosticRelatedInformation(
                    location=T.Location(uri=from_fs_path(os.path.abspath(step.loc.file)),
                                        range=_range(step_lines, step.loc.line, step.loc.col, enc)),
                    message=step.message))
            return T.Diagnostic(
                range=_range(lines, f.loc.line, f.loc.col, enc), message=f.message, source=SOURCE,
                severity=_SEVERITY.get(f.level, T.DiagnosticSeverity.Warning), code=f.rule,
                code_description=T.CodeDescription(href=rule.help_uri) if rule else None,
                related_information=related or None,
                data={"rule": f.rule, "fixes": len(f.fixes)})


    server = KlplintServer()


    @server.feature(T.INITIALIZED)
    def initialized(ls: KlplintServer, params: T.InitializedParams):
        # ask the client to tell us about config files changing on disk, when it can
        caps = ls.client_capabilities
        ws = getattr(caps, "workspace", None)
        watched = getattr(ws, "did_change_watched_files", None) if ws else None
        if watched is not None and getattr(watched, "dynamic_registration", False):
            ls.client_register_capability(T.RegistrationParams(registrations=[T.Registration(
                id="klplint-config-files", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    T.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]))]))


    @server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: KlplintServer, params: T.DidChangeWatchedFilesParams):
        if any(os.path.basename(to_fs_path(c.uri) or "") in CONFIG_NAMES for c in params.changes):
            ls.reanalyse_all()


    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KlplintServer, params: T.DidOpenTextDocumentParams):
        ls.schedule(params.text_document.uri, 0)


    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KlplintServer, params: T.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)


    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: KlplintServer, params: T.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        path = to_fs_path(uri) or ""
        if os.path.basename(path) in CONFIG_NAMES:
            ls.reanalyse_all()
            return
        ls.schedule(uri, 0)


    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KlplintServer, params: T.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.findings.pop(uri, None)
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


    @server.feature(T.TEXT_DOCUMENT_HOVER)
    def hover(ls: KlplintServer, params: T.HoverParams) -> Optional[T.Hover]:
        uri, pos = params.text_document.uri, params.position
        try:
            doc = ls.workspace.get_text_document(uri)
            line = doc.lines[pos.line] if pos.line < len(doc.lines) else ""
        except Exception:  # noqa: BLE001
            line = ""
        # a rule id under the cursor (an ignore comment, an expectation, a diagnostic's code)
        for m in _RULE_AT.finditer(line):
            start, end = _units(line[:m.start()], ls.encoding), _units(line[:m.end()], ls.encoding)
            if start <= pos.character <= end and get(m.group(0)):
                return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=get(m.group(0)).markdown()),
                               range=T.Range(start=T.Position(line=pos.line, character=start),
                                             end=T.Position(line=pos.line, character=end)))
        # inside a diagnostic's range
        docs = []
        for d, f in ls.findings.get(uri, []):
            if f is not None and _contains(d.range, pos) and get(f.rule) and get(f.rule).markdown() not in docs:
                docs.append(get(f.rule).markdown())
        if docs:
            return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value="\n---\n\n".join(docs)))
        return None


    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                    T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix], resolve_provider=False))
    def code_action(ls: KlplintServer, params: T.CodeActionParams) -> List[T.CodeAction]:
        uri = params.text_document.uri
        try:
            doc = ls.workspace.get_text_document(uri)
            lines = _lines(doc.source)
        except Exception:  # noqa: BLE001
            return []
        actions: List[T.CodeAction] = []
        seen_lines = set()
        enc = ls.encoding
        for d, f in ls.findings.get(uri, []):
            if f is None or not _overlaps(d.range, params.range):
                continue
            for fx in f.fixes:
                edits = [T.TextEdit(range=T.Range(start=_position(lines, e.start.line, e.start.col, enc),
                                                  end=_position(lines, e.end.line, e.end.col, enc)),
                                    new_text=e.text)
                         for e in fx.edits if _same(e.start.file, f.loc.file)]
                if edits:
                    actions.append(T.CodeAction(title=f"{f.rule}: {fx.description}", kind=T.CodeActionKind.QuickFix,
                                                diagnostics=[d], is_preferred=True,
                                                edit=T.WorkspaceEdit(changes={uri: edits})))
            key = (f.rule, f.loc.line)
            if key in seen_lines:
                continue
            seen_lines.add(key)
            edit = _ignore_edit(lines, f.loc.line, f.rule, enc)
            if edit is not None:
                actions.append(T.CodeAction(title=f"Ignore {f.rule} on this line (klplint: ignore)",
                                            kind=T.CodeActionKind.QuickFix, diagnostics=[d],
                                            edit=T.WorkspaceEdit(changes={uri: [edit]})))
        return actions

    return server


@click.command("lsp")
def lsp_command():
    """Run the language server on stdin/stdout (for editors)."""
    create_server().start_io()
