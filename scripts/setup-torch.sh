#!/usr/bin/env bash
# Installs libtorch 2.4.0 (CPU-only link) from PyPI into .venv-torch and prints
# the environment that tch 0.17 / rust-bert 0.23 need. Idempotent.
#   eval "$(bash scripts/setup-torch.sh --env)"    # export LIBTORCH etc.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${KIJI_TORCH_VENV:-$root/.venv-torch}"
py="${KIJI_PYTHON:-python3.11}"
if ! command -v "$py" >/dev/null; then py=python3; fi
site() { "$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'; }
if [ ! -f "$venv/.kiji-torch-2.4.0" ]; then
  echo "setup-torch: installing torch==2.4.0 (CPU link) into $venv" >&2
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
    torch==2.4.0 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105 >&2
  touch "$venv/.kiji-torch-2.4.0"
fi
torch_dir="$(site)/torch"
# A LIBTORCH tree without libtorch_cuda.so: tch then links the CPU library only.
lt="$venv/libtorch-cpu"
if [ ! -d "$lt/lib" ]; then
  mkdir -p "$lt/lib"
  ln -sfn "$torch_dir/include" "$lt/include"
  for f in "$torch_dir"/lib/*; do
    case "$(basename "$f")" in libtorch_cuda*|libc10_cuda*) ;; *) ln -sfn "$f" "$lt/lib/";; esac
  done
  # libtorch_cpu.so needs the CUDA runtime and CUPTI stubs; its own
  # $ORIGIN-relative runpath does not survive the symlinks, so link them here.
  for f in "$(site)"/nvidia/cuda_runtime/lib/*.so* "$(site)"/nvidia/cuda_cupti/lib/*.so*; do
    ln -sfn "$f" "$lt/lib/"
  done
fi
if [ "${1:-}" = "--env" ]; then
  echo "export LIBTORCH='$lt'"
  echo "export LIBTORCH_CXX11_ABI=0"
  echo "export LD_LIBRARY_PATH='$lt/lib'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
fi
