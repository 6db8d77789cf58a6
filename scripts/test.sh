#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints, every Rust test (unit, end-to-end over real
# sockets, the real binary), then the compatibility tests with the real npm and PyPI ServiceStack
# clients, which scripts/client-tests.sh installs (pinned) into clients/. Needs the Rust
# toolchain, Node.js with npm, and Python 3 with venv; run from any folder.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked

echo "== real ServiceStack clients (npm and PyPI)"
scripts/client-tests.sh
