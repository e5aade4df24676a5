#!/usr/bin/env sh
# Builds gdchaos's CUDA 13 forwarding shims (src/main/c/cuda13-shim/) into OUTPUT_FOLDER:
#   cublas12-shim.so  soname libcublas.so.12, forwards to libcublas.so.13
#   nvrtc12-shim.so   soname libnvrtc.so.12,  forwards to libnvrtc.so.13
# Maven runs it while building (process-classes, into target/classes/org/gdchaos/backend/cuda/shim);
# without gcc it prints a note and succeeds: the jar then has no shim and -Dgdchaos.cuda.shim=on
# says so. The shims are off unless chosen (see README, "GPUs") and unverified on a GPU.
set -eu
out="${1:?usage: build-cuda13-shim.sh OUTPUT_FOLDER}"
src="$(cd "$(dirname "$0")/../src/main/c/cuda13-shim" && pwd)"
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "build-cuda13-shim: $cc not found: the jar will have no CUDA 13 shim (optional)"
  exit 0
fi
if [ "$(uname -s)" != Linux ]; then
  echo "build-cuda13-shim: not Linux: no CUDA 13 shim (optional)"
  exit 0
fi
mkdir -p "$out"
for lib in cublas12 nvrtc12; do
  soname="$(sed -n 's/^\(lib[a-z]*\.so\.12\) {$/\1/p' "$src/$lib.map")"
  "$cc" -shared -fPIC -O2 -o "$out/$lib-shim.so" -Wl,-soname,"$soname" -Wl,--version-script="$src/$lib.map" \
    "$src/$lib.c" -ldl
done
echo "build-cuda13-shim: built $out/cublas12-shim.so and $out/nvrtc12-shim.so"
