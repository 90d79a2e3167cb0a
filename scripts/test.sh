#!/usr/bin/env bash
# Runs kiji's whole test suite on a fresh machine: installs the Debian
# packages the build needs (mecab-ipadic), builds and tests every crate, then
# installs libtorch 2.4.0 from PyPI (scripts/setup-torch.sh, CPU link) and
# tests the crates with the `torch` feature (the transformer NER backend).
# Between the two, scripts/test-python.sh tests the Python package and the
# Spark example. KIJI_SKIP_PYTHON=1 / KIJI_SKIP_TORCH=1 skip those parts.
set -euo pipefail
cd "$(dirname "$0")/.."
# Incremental caches only help edit-compile loops; a full run is one build each.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
free_kb=$(df -Pk . | awk 'NR==2 {print $4}')
echo "test.sh: $((free_kb / 1024 / 1024)) GiB free on $(df -P . | awk 'NR==2 {print $6}'); a clean run writes ~5 GiB (target 4.1 GiB, .libtorch 0.6 GiB)" >&2
bash .ci/install-deps.sh
cargo test --workspace --locked "$@"
# The Python package and the Spark example on the dev build just tested
# (venv, pyspark, Java when missing; ~5 min). KIJI_SKIP_PYTHON=1 skips it.
if [ "${KIJI_SKIP_PYTHON:-0}" != 1 ]; then
    KIJI_PY_PROFILE=dev bash scripts/test-python.sh
fi
if [ "${KIJI_SKIP_TORCH:-0}" != 1 ]; then
    torch_env=$(bash scripts/setup-torch.sh --env)
    eval "$torch_env"
    cargo test --locked -p kiji-ner -p kiji-pipeline -p kiji-cli --features kiji-cli/torch "$@"
fi
echo "test.sh: disk used: target $(du -sh "${CARGO_TARGET_DIR:-target}" | cut -f1)$( [ -d .libtorch ] && echo ", .libtorch $(du -sh .libtorch | cut -f1)")" >&2
