"""The real Emacs with eglot driving `klplint lsp` through the snippet docs/editors.md gives, loaded
exactly as written: a corpus file's findings arrive as Flymake diagnostics on the lines its
`// expect` comments name, follow an edit, go away through eglot's code action, and a change to
`.klplint.toml` is picked up through eglot's file watching.

Emacs runs in batch mode (`emacs --batch -l ...`), which skips three things an interactive Emacs
does and the driver below does in their place: the package activation before `init.el` (it is what
puts Debian's elpa-eglot, or a package-installed eglot, on the load path: `--batch` and `-Q` skip
it), the command loop's `post-command-hook` after the command that visited the file (eglot-ensure
connects there), and the idle timers that run when the user stops typing (eglot sends its
didChange from one). The wait itself is `read-event` with a timeout, as the command loop waits:
it is what delivers process output and file notifications. Site start files are loaded as for any
user (no `-Q`): Debian's Emacs finds its ELPA packages through them.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from corpus_expect import expectations

ROOT = Path(__file__).resolve().parent.parent
CORPUS_FILE = ROOT / "corpus" / "lifecycle" / "bad" / "klp207_context_used_after_free.c"

# Run as the user's session would, before init.el (see the module docstring).
PRELUDE = "(package-activate-all)\n"

DRIVE = r"""
(require 'json)
(require 'cl-lib)
;; a loaded machine: more time than eglot's defaults to start the server and for an answer
(require 'jsonrpc)
(setq jsonrpc-default-request-timeout 120)
(setq eglot-connect-timeout 300)
(defvar drv-out nil)
(defvar drv-buffer nil)

(defun drv-diags ()
  "The buffer's Flymake diagnostics: rule id (the LSP code eglot keeps), line, Flymake type."
  (with-current-buffer drv-buffer
    (sort (mapcar (lambda (d)
                    (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
                      (list (cons 'code (plist-get lsp :code))
                            (cons 'line (line-number-at-pos (flymake-diagnostic-beg d)))
                            (cons 'type (symbol-name (flymake-diagnostic-type d)))
                            (cons 'text (flymake-diagnostic-text d)))))
                  (flymake-diagnostics))
          (lambda (a b) (< (alist-get 'line a) (alist-get 'line b))))))

(defun drv-has (code &optional line)
  (cl-find-if (lambda (d) (and (equal (alist-get 'code d) code)
                               (or (null line) (= (alist-get 'line d) line))))
              (drv-diags)))

(defun drv-finish ()
  (with-temp-file OUT (insert (json-encode drv-out)))
  (kill-emacs 0))

(defun drv-wait (what pred)
  "Wait as the command loop does, the user idle, until PRED holds; record WHAT on a timeout."
  (let ((deadline (+ (float-time) 90)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (read-event nil nil 0.05)
      (dolist (timer (copy-sequence timer-idle-list))
        (timer-event-handler timer)))
    (or (funcall pred)
        (progn (push (cons 'timeout what) drv-out)
               (push (cons 'last (drv-diags)) drv-out)
               (drv-finish)))))

(find-file FILE)
(setq drv-buffer (current-buffer))
(push (cons 'mode (symbol-name major-mode)) drv-out)
(run-hooks 'post-command-hook)
(drv-wait "first diagnostics" (lambda () (= (length (drv-diags)) EXPECTED)))
(push (cons 'server (plist-get (eglot--server-info (eglot-current-server)) :name)) drv-out)
(push (cons 'first (drv-diags)) drv-out)

;; an edit: two lines at the top move every diagnostic two lines down (all of them: the structural
;; findings may arrive before the engine's)
(goto-char (point-min))
(insert "/* two new\n * lines */\n")
(drv-wait "moved" (lambda () (cl-every (lambda (d) (drv-has (alist-get 'code d) (+ 2 (alist-get 'line d))))
                                       (alist-get 'first drv-out))))
(push (cons 'moved (drv-diags)) drv-out)

;; eglot's code action on the last diagnostic, the user choosing the ignore action at the prompt
(let* ((last (car (last (drv-diags))))
       (code (alist-get 'code last))
       (prefix (format "Ignore %s on this line" code))
       (offered nil))
  (goto-char (point-min))
  (forward-line (1- (alist-get 'line last)))
  (cl-letf (((symbol-function 'completing-read)
             (lambda (_prompt collection &rest _)
               (setq offered (mapcar #'car collection))
               (cl-find-if (lambda (title) (string-prefix-p prefix title)) offered))))
    (let ((last-nonmenu-event ?\r))
      (eglot-code-actions (line-beginning-position) (line-end-position) nil t)))
  (push (cons 'offered offered) drv-out)
  (push (cons 'ignored code) drv-out)
  (push (cons 'ignored_line (alist-get 'line last)) drv-out)
  (push (cons 'ignored_text (buffer-substring-no-properties (line-beginning-position) (line-end-position)))
        drv-out)
  (drv-wait "ignored" (lambda () (= (length (drv-diags)) (1- EXPECTED))))
  (push (cons 'after_action (drv-diags)) drv-out))

;; a config change, written outside the editor: eglot's file watch tells the server
(with-temp-file CONFIG (insert (format "ignore = [\"%s\"]\n" CONFIG_RULE)))
(drv-wait "config" (lambda () (and (drv-diags) (not (drv-has CONFIG_RULE)))))
(push (cons 'after_config (drv-diags)) drv-out)
(push (cons 'watched (with-current-buffer (jsonrpc-events-buffer (eglot-current-server))
                       (save-excursion
                         (goto-char (point-min))
                         (and (search-forward ":method \"workspace/didChangeWatchedFiles\"" nil t) t))))
      drv-out)
(drv-finish)
"""


def emacs_with_eglot() -> str:
    """Emacs, and eglot where its user's session finds it; skip without them (fail under CI, whose
    scripts/test.sh installs emacs-nox and elpa-eglot)."""
    exe = shutil.which("emacs")
    problem = None
    if exe is None:
        problem = "Emacs is not installed (apt-get install emacs-nox elpa-eglot)"
    else:
        r = subprocess.run([exe, "--batch", "--eval", '(progn (package-activate-all) (princ (locate-library "eglot")))'],
                           capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        if "eglot" not in r.stdout:
            problem = "eglot is not installed for Emacs (apt-get install elpa-eglot, or Emacs 29 or later)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    return exe


def documented_snippet() -> str:
    text = (ROOT / "docs" / "editors.md").read_text()
    section = text[text.index("## Emacs (eglot)"):]
    section = section[:section.index("\n## ", 1)]
    (block,) = re.findall(r"```elisp\n(.*?)```", section, re.S)
    return block


def elisp_string(s: str) -> str:
    return json.dumps(s)      # a JSON string of a path is an Emacs Lisp string literal too


def levels(path: Path) -> dict:
    """Rule id -> level, as `klplint check` reports them for the file."""
    r = subprocess.run([sys.executable, "-m", "klplint", "check", "--format", "json", "--no-cache", str(path)],
                       capture_output=True, text=True, timeout=300)
    return {f["rule"]: f["level"] for f in json.loads(r.stdout)["findings"]}


def test_emacs_eglot_with_the_documented_config(tmp_path):
    emacs = emacs_with_eglot()
    version = subprocess.run([emacs, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    text = CORPUS_FILE.read_text()
    want, _ = expectations(text)
    assert len(set(r for r, _ in want)) >= 2 and sum(want.values()) >= 3   # what the steps below need
    lp = tmp_path / "lp.c"
    lp.write_text(text)
    level = levels(lp)
    config_rule = min(r for r, _ in want)          # ignored by the config change at the end
    (tmp_path / "init.el").write_text(documented_snippet())
    (tmp_path / "prelude.el").write_text(PRELUDE)
    out = tmp_path / "out.json"
    (tmp_path / "drive.el").write_text(
        f"(defvar OUT {elisp_string(str(out))})\n(defvar FILE {elisp_string(str(lp))})\n"
        f"(defvar CONFIG {elisp_string(str(tmp_path / '.klplint.toml'))})\n"
        f"(defvar CONFIG_RULE {elisp_string(config_rule)})\n(defvar EXPECTED {sum(want.values())})\n" + DRIVE)
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("KLPLINT_STRICT", None)
    proc = subprocess.run([emacs, "--batch", "-l", str(tmp_path / "prelude.el"), "-l", str(tmp_path / "init.el"),
                           "-l", str(tmp_path / "drive.el")], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)
    assert out.exists(), f"{version}: {proc.stdout}{proc.stderr}"[-4000:]
    got = json.loads(out.read_text())
    assert "timeout" not in got, (version, got, proc.stderr[-3000:])
    assert got["mode"] == "c-mode" and got["server"] == "klplint"

    def seen(stage):
        return Counter((d["code"], d["line"]) for d in got[stage])

    # every expectation of the corpus file, and nothing else, with the severity klplint gives it
    assert seen("first") == want, got["first"]
    for d in got["first"]:
        assert d["type"] == {"error": "eglot-error", "warning": "eglot-warning", "note": "eglot-note"}[level[d["code"]]]
        assert d["text"].startswith(f"klplint [{d['code']}]: ")
    assert seen("moved") == Counter({(r, line + 2): n for (r, line), n in want.items()})
    # the ignore action offered next to the others, applied as eglot applies an edit
    assert any(t.startswith(f"Ignore {got['ignored']} on this line") for t in got["offered"]), got["offered"]
    assert got["ignored_text"].endswith(f"/* klplint: ignore[{got['ignored']}] */")
    assert seen("after_action") == seen("moved") - Counter({(got["ignored"], got["ignored_line"]): 1})
    assert seen("after_config") == Counter({k: n for k, n in seen("after_action").items() if k[0] != config_rule})
    assert got["after_config"]
    assert got["watched"] is True        # through eglot's file watch, not a later edit
