-- Drives `residue lsp` from Neovim's built-in LSP client (headless); run by
-- tests/nvim_lsp.sh. Written for Neovim 0.7 (Debian bookworm) and later.
local residue = os.getenv('RESIDUE')
local file = os.getenv('SEED')
local scratch = os.getenv('SCRATCH')
local passed, failed = 0, 0

local function say(s) io.stdout:write(s .. '\n') end
local function check(cond, name)
  if cond then passed = passed + 1; say('ok: ' .. name)
  else failed = failed + 1; say('FAIL: ' .. name) end
end
local function finish()
  say(string.format('%d passed, %d failed', passed, failed))
  os.exit(failed == 0 and 0 or 1)
end

-- What the command line reports for a file.
local function cli_count(path)
  local out = vim.fn.system({ residue, 'check', '--format', 'json', path })
  return #vim.fn.json_decode(out)
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'residue',
  cmd = { residue, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
check(client_id ~= nil, 'language server started')
if not client_id then finish() end
vim.lsp.buf_attach_client(bufnr, client_id)

local expected = cli_count(file)
local got_any = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
check(got_any, 'diagnostics published on open')
local count = #vim.diagnostic.get(bufnr)
say('diagnostics: ' .. count .. ' (residue check --format json: ' .. expected .. ')')
check(count == expected, 'count matches residue check')

-- Ask for code actions line by line at the diagnostics until one offers a fix.
local uri = vim.uri_from_bufnr(bufnr)
local action
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local params = {
    textDocument = { uri = uri },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.end_lnum + 1, character = 0 } },
    context = { diagnostics = {} },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 5000) or {}
  for _, response in pairs(responses) do
    for _, a in ipairs(response.result or {}) do
      if a.kind == 'quickfix' and a.edit and not action then action = a end
    end
  end
  if action then break end
end
check(action ~= nil, 'a quick fix is offered')
if not action then finish() end
say('applying: ' .. action.title)

local before = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
check(table.concat(lines, '\n') ~= before, 'the buffer changed')

-- Neovim sends the edit as an incremental change; the server's new diagnostics
-- must match a fresh `residue check` of the edited text.
vim.fn.writefile(lines, scratch)
local after = cli_count(scratch)
local settled = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) == after end, 20)
say('after the fix: ' .. #vim.diagnostic.get(bufnr) .. ' (residue check: ' .. after .. ')')
check(settled and after < expected, 're-linted after the incremental change')

vim.lsp.stop_client(client_id)
finish()
