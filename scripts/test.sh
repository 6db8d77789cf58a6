#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints and every Rust test (unit, end-to-end over real
# sockets, the real binary). Needs only the Rust toolchain; run from any folder.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked
