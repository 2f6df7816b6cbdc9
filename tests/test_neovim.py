"""The real Neovim (headless) driving `klplint lsp` through the snippet docs/editors.md gives, run
exactly as written: diagnostics, hover, a code action applied, an edit that moves a diagnostic, a
line with non-ASCII text before the finding, and a config change picked up at the next edit."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

MODULE = """#include <linux/module.h>
#include <linux/livepatch.h>

static int lp_show(void *m, void *v)
{
	return 0;
}

/* é→ */ static struct klp_func funcs[] = {
	{ .old_name = "show_partition", .new_func = lp_show, }
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

# The driver: waits for each state of the diagnostics, records what it saw, applies a fix.
DRIVE = r"""
local out = {}
local buf = vim.api.nvim_get_current_buf()
local function diags()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
                         lnum = d.lnum, col = d.col, severity = d.severity })
  end
  table.sort(list, function(a, b) return tostring(a.code) < tostring(b.code) end)
  return list
end
local function has(code)
  for _, d in ipairs(diags()) do if d.code == code then return d end end
  return nil
end
local function wait_for(what, fn)
  local ok = vim.wait(60000, fn, 50)
  if not ok then out.timeout = what end
  return ok
end
local function finish()
  local f = io.open(OUT, "w"); f:write(vim.fn.json_encode(out)); f:close()
  vim.cmd("qa!")
end

if not wait_for("first diagnostics", function() return has("KLP101") ~= nil and has("KLP112") ~= nil end) then
  return finish()
end
out.first = diags()
out.line_text = vim.api.nvim_buf_get_lines(buf, has("KLP101").lnum, has("KLP101").lnum + 1, false)[1]
out.client = vim.lsp.get_active_clients()[1].name

-- hover on the diagnostic
local d = has("KLP101")
local hover = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = d.lnum, character = vim.str_utfindex(out.line_text, d.col) } }, 20000)
for _, r in pairs(hover or {}) do
  if r.result then out.hover = r.result.contents.value end
end

-- an edit that moves the diagnostics two lines down
vim.api.nvim_buf_set_lines(buf, 0, 0, false, { "/* two new", " * lines */" })
wait_for("moved", function() local x = has("KLP101"); return x ~= nil and x.lnum == d.lnum + 2 end)
out.moved = has("KLP101") and has("KLP101").lnum

-- the quick fix for KLP101, applied as Neovim applies a code action's edit
d = has("KLP101")
local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
local lsp_diag = nil
for _, x in ipairs(vim.diagnostic.get(buf)) do
  if x.code == "KLP101" or (x.user_data and x.user_data.lsp and x.user_data.lsp.code == "KLP101") then
    -- back to the protocol's shape (Neovim keeps byte columns)
    lsp_diag = { message = x.message, code = "KLP101", source = x.source, severity = x.severity,
                 range = { start = { line = x.lnum, character = vim.str_utfindex(line, x.col) },
                           ["end"] = { line = x.end_lnum, character = vim.str_utfindex(line, x.end_col) } } }
  end
end
local actions = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = d.lnum, character = vim.str_utfindex(line, d.col) },
            ["end"] = { line = d.lnum, character = vim.str_utfindex(line, d.col) } },
  context = { diagnostics = { lsp_diag } } }, 20000)
out.titles = {}
for _, r in pairs(actions or {}) do
  for _, a in ipairs(r.result or {}) do
    table.insert(out.titles, a.title)
    if a.title:find("terminating") then vim.lsp.util.apply_workspace_edit(a.edit, "utf-16") end
  end
end
wait_for("fixed", function() return has("KLP101") == nil and has("KLP112") ~= nil end)
out.after_fix = diags()
out.fixed_text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")

-- a config change: KLP112 ignored from now on, seen at the next edit (nothing tells the server)
local f = io.open(CONFIG, "w"); f:write('ignore = ["KLP112"]\n'); f:close()
vim.loop.fs_utime(CONFIG, os.time() + 5, os.time() + 5)
vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "/* an edit */" })
wait_for("config", function() return has("KLP112") == nil end)
out.after_config = diags()
finish()
"""


def neovim() -> str:
    exe = shutil.which("nvim")
    if exe is None:
        msg = "Neovim is not installed (apt-get install neovim)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return exe


def documented_snippet() -> str:
    text = (ROOT / "docs" / "editors.md").read_text()
    section = text[text.index("## Neovim"):]
    return re.search(r"```lua\n(.*?)```", section, re.S).group(1)


def test_neovim_with_the_documented_config(tmp_path):
    nvim = neovim()
    version = subprocess.run([nvim, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    (tmp_path / "init.lua").write_text(documented_snippet())
    (tmp_path / "lp.c").write_text(MODULE)
    out = tmp_path / "out.json"
    config = tmp_path / ".klplint.toml"
    (tmp_path / "drive.lua").write_text(f"OUT = {json.dumps(str(out))}\nCONFIG = {json.dumps(str(config))}\n" + DRIVE)
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               XDG_STATE_HOME=str(tmp_path / "xdg-state"))
    proc = subprocess.run([nvim, "--headless", "-n", "-i", "NONE", "-u", str(tmp_path / "init.lua"), "lp.c",
                           "-c", "luafile drive.lua"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert out.exists(), f"{version}: {proc.stdout}{proc.stderr}"
    got = json.loads(out.read_text())
    assert "timeout" not in got, (version, got)
    assert got["client"] == "klplint"
    first = {d["code"]: d for d in got["first"]}
    assert set(first) == {"KLP101", "KLP112"}
    assert first["KLP101"]["severity"] == 1                         # vim.diagnostic.severity.ERROR
    # Neovim's columns are bytes: after 'é→' (5 bytes for 2 characters) it still lands on `funcs`
    assert got["line_text"].encode("utf-8")[first["KLP101"]["col"]:].decode("utf-8").startswith("funcs[]")
    assert got["hover"].startswith("# KLP101 missing-terminator")
    assert got["moved"] == first["KLP101"]["lnum"] + 2
    assert any("terminating" in t for t in got["titles"]) and any(t.startswith("Ignore KLP101") for t in got["titles"])
    assert [d["code"] for d in got["after_fix"]] == ["KLP112"]
    assert "lp_show, },\n\t{ }\n};" in got["fixed_text"]          # the comma the element lacked, then { }
    assert got["after_config"] == []
