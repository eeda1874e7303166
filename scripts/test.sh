#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every check: formatting, clippy with warnings as errors,
# and the whole test suite (unit tests, spoken end-to-end calls over real websockets with the
# real whisper model, the natural voice and SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --locked --all-targets -- -D warnings
echo "== cargo test"
cargo test --locked
