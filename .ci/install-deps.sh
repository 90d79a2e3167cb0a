#!/usr/bin/env bash
# Installs the Debian packages the kiji build needs, and any packages named as
# arguments (scripts/test-python.sh: a venv, Java). Idempotent: safe to run
# again; does nothing when everything is already there.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        $SUDO apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

# kiji-morph: IPADIC sources (EUC-JP CSV + matrix.def), compiled into the
# binary by crates/morph/build.rs. KIJI_IPADIC_DIR overrides the location.
if [ -z "${KIJI_IPADIC_DIR:-}" ] && [ ! -f /usr/share/mecab/dic/ipadic/matrix.def ]; then
    apt_install mecab-ipadic
fi

# Packages a caller names (installed, or already there).
if [ "$#" -gt 0 ]; then
    apt_install "$@"
fi
