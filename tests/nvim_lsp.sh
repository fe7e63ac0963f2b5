#!/usr/bin/env bash
# Runs residue as a language server inside a real editor: headless Neovim with its
# built-in LSP client (tests/nvim_lsp.lua). Installs Debian's neovim if missing.
# Prints `N passed, M failed`; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if ! command -v nvim > /dev/null; then
    apt-get install -y neovim > /dev/null || { apt-get update > /dev/null && apt-get install -y neovim > /dev/null; } || {
        echo "cannot install neovim"; exit 2; }
fi
cargo build --quiet || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seed=${1:-seeds/000_5a7f95a8a62f1715.txt}
cp "$seed" "$work/seed.txt"
RESIDUE=$root/target/debug/residue SEED=$work/seed.txt SCRATCH=$work/after.txt \
    timeout 120 nvim --headless --clean -n -c "luafile $root/tests/nvim_lsp.lua" 2>&1
