#!/usr/bin/env bash
# Tests kiji's Python package (crates/python) and the Spark example
# (examples/spark) on a fresh machine:
#   1. Debian packages when missing: python3-venv, Java (openjdk-17-jre-headless,
#      for pyspark's local mode);
#   2. a venv ($KIJI_VENV, default .venv-py) with maturin, pytest and pyspark from PyPI;
#   3. `pipeline-run` and the package (`pip install ./crates/python`, the
#      README's command), both in $KIJI_PY_PROFILE (release by default;
#      scripts/test.sh passes dev to reuse the build of `cargo test`);
#   4. pytest over crates/python/tests and examples/spark (the Spark test on
#      the first 300 pool lines; it may not be skipped here).
# Exits non-zero when anything fails, pytest included.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${KIJI_VENV:-.venv-py}
PROFILE=${KIJI_PY_PROFILE:-release}
TARGET=$(realpath -m "${CARGO_TARGET_DIR:-target}")
case "$PROFILE" in
    release) PROFILE_DIR=release ;;
    dev) PROFILE_DIR=debug ;;
    *) echo "test-python.sh: KIJI_PY_PROFILE must be release or dev, not $PROFILE" >&2; exit 2 ;;
esac
started=$(date +%s)
log() { echo "test-python.sh [$(( $(date +%s) - started )) s]: $*" >&2; }

# Debian packages through the project's one installer (apt-get update once per call).
apt_install() { bash .ci/install-deps.sh "$@"; }

bash .ci/install-deps.sh
PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    apt_install python3 python3-venv
fi
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
    log "installing Java for pyspark"
    apt_install openjdk-17-jre-headless || apt_install default-jre-headless
fi
if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        py_minor=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        apt_install "python${py_minor}-venv" || apt_install python3-venv
        "$PYTHON" -m venv "$VENV"
    fi
fi
PY="$(cd "$VENV" && pwd)/bin/python"
# The venv's tools (maturin for pip's build backend) first on PATH.
export PATH="$(dirname "$PY"):$PATH"
log "venv $VENV ($("$PY" --version)); installing maturin, pytest, pyspark"
"$PY" -m pip install -q --upgrade pip
"$PY" -m pip install -q "maturin>=1.9.4,<2" "pytest>=7" "pyspark>=3.5,<5"

log "building pipeline-run ($PROFILE)"
if [ "$PROFILE" = dev ]; then
    # The very build of `cargo test --workspace` (scripts/test.sh): a no-op
    # there, where `cargo build -p kiji-cli` would resolve other features
    # and rebuild half the dependencies.
    cargo test --workspace --locked --no-run
else
    cargo build --locked --release -p kiji-cli
fi
log "building and installing the package: pip install ./crates/python ($PROFILE)"
# maturin's PEP 517 backend reads its cargo arguments from MATURIN_PEP517_ARGS.
MATURIN_PEP517_ARGS="--locked --profile $PROFILE" \
    "$PY" -m pip install -q --force-reinstall --no-build-isolation ./crates/python
log "package: $(cd /tmp && "$PY" -c 'import kiji; print(kiji.__file__, kiji.__version__)')"

log "pytest"
status=0
KIJI_BIN="$TARGET/$PROFILE_DIR/pipeline-run" KIJI_REQUIRE_SPARK=1 \
    "$PY" -m pytest -q -p no:cacheprovider crates/python/tests examples/spark || status=$?
if [ "$status" -ne 0 ]; then
    log "pytest failed (exit status $status)"
    exit 1
fi
log "all Python tests passed"
