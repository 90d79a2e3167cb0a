#!/usr/bin/env bash
# Builds a CPU-only libtorch 2.4.0 tree (what tch 0.17 / rust-bert 0.23 link
# against) from PyPI's wheels and prints the environment that points the build
# at it. Idempotent.
#   eval "$(bash scripts/setup-torch.sh --env)"    # export LIBTORCH etc.
#
# The torch wheel is downloaded (~800 MB), only its headers and CPU libraries
# are unpacked (~650 MB), and the wheel is deleted again: a full `pip install`
# would need ~2.5 GB (libtorch_cuda.so alone is 900 MB) plus pip's cache, and
# ran CI out of disk once. libtorch_cpu.so needs the CUDA runtime and CUPTI
# stubs, which come from two small NVIDIA wheels.
# KIJI_LIBTORCH_DIR overrides where the tree goes (default .libtorch).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lt="${KIJI_LIBTORCH_DIR:-$root/.libtorch}"
py="${KIJI_PYTHON:-python3.11}"
if ! command -v "$py" >/dev/null; then py=python3; fi
if [ ! -f "$lt/build-version" ]; then
  echo "setup-torch: unpacking torch==2.4.0 (headers + CPU libraries) into $lt" >&2
  df -h "$(dirname "$lt")" | sed 's/^/setup-torch: /' >&2
  wheels="$(mktemp -d "$(dirname "$lt")/.libtorch-wheels.XXXXXX")"
  trap 'rm -rf "$wheels"' EXIT
  "$py" -m pip download -q --disable-pip-version-check --no-cache-dir --no-deps \
    --only-binary=:all: -d "$wheels" \
    torch==2.4.0 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105 >&2
  rm -rf "$lt.partial"
  "$py" - "$wheels" "$lt.partial" <<'EOF'
import os, shutil, sys, zipfile
wheels, out = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(out, "lib"))
skip = ("libtorch_cuda", "libc10_cuda", "libtorch_python", "libcusparseLt", "libcaffe2_nvrtc")
for name in sorted(os.listdir(wheels)):
    with zipfile.ZipFile(os.path.join(wheels, name)) as whl:
        for info in whl.infolist():
            path = info.filename
            if info.is_dir():
                continue
            if path.startswith("torch/include/"):
                dest = os.path.join(out, path[len("torch/"):])
            elif path.startswith(("torch/lib/", "nvidia/cuda_runtime/lib/", "nvidia/cuda_cupti/lib/")):
                base = os.path.basename(path)
                if ".so" not in base or base.startswith(skip):
                    continue
                dest = os.path.join(out, "lib", base)
            else:
                continue
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with whl.open(info) as src, open(dest, "wb") as dst:
                shutil.copyfileobj(src, dst)
            if (info.external_attr >> 16) & 0o111:
                os.chmod(dest, 0o755)
    os.remove(os.path.join(wheels, name))  # free the space before the next wheel
with open(os.path.join(out, "build-version"), "w") as f:
    f.write("2.4.0\n")
EOF
  rm -rf "$lt"
  mv "$lt.partial" "$lt"
  echo "setup-torch: $(du -sh "$lt" | cut -f1) in $lt" >&2
fi
if [ "${1:-}" = "--env" ]; then
  echo "export LIBTORCH='$lt'"
  echo "export LIBTORCH_CXX11_ABI=0"
  echo "export LD_LIBRARY_PATH='$lt/lib'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
fi
