#!/usr/bin/env bash
# Runs kiji's whole test suite on a fresh machine: installs the Debian
# packages the build needs (mecab-ipadic), builds and tests every crate, then
# installs libtorch 2.4.0 from PyPI (scripts/setup-torch.sh, CPU link) and
# tests the crates with the `torch` feature (the transformer NER backend).
# KIJI_SKIP_TORCH=1 skips the second part.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
cargo test --workspace --locked "$@"
if [ "${KIJI_SKIP_TORCH:-0}" != 1 ]; then
    torch_env=$(bash scripts/setup-torch.sh --env)
    eval "$torch_env"
    cargo test --locked -p kiji-ner -p kiji-pipeline -p kiji-cli --features kiji-cli/torch "$@"
fi
