#!/usr/bin/env bash
# Builds pipeline-run with the LibTorch engine of the transformer NER backends
# (feature `torch`; the default build runs them on the native CPU engine):
# unpacks libtorch 2.4.0 from PyPI's wheels into .libtorch (scripts/setup-torch.sh,
# once) and builds target/release/pipeline-run against it (rpath baked in).
#   bash scripts/build-torch.sh && target/release/pipeline-run ner-eval --data ../shared/data/ner/stockmark/test.json --model models/ner-transformer
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
torch_env=$(bash scripts/setup-torch.sh --env)
eval "$torch_env"
cargo build --release --locked -p kiji-cli --features torch "$@"
echo "built target/release/pipeline-run with --features torch (libtorch: $LIBTORCH)" >&2
