#!/usr/bin/env bash
# Runs kiji's whole test suite on a fresh machine: installs the Debian
# packages the build needs (mecab-ipadic), then builds and tests every crate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
cargo test --workspace --locked "$@"
