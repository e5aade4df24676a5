#!/usr/bin/env bash
# The one command that proves gdchaos on a GPU. Runs on a machine with the portable bundle (no Java,
# no Maven, no network needed) and writes one results folder:
#   facts.txt          machine: OS, CPU, memory, nvidia-smi, driver, CUDA/OpenCL libraries found, torch
#   steps.tsv          every step: name, status (ok / fail / timeout / skipped / no-gpu / n/a), seconds, detail
#   logs/STEP.log      each step's command and full output
#   sweeps/…           the sweeps compared (results.csv, curves.csv, …)
#   summary.md/.json   the table: checks (verify, CUDA vs Java, linear oracles, CUDA paths) and throughput
#                      (trajectory-steps/s, GFLOP/s, fraction of peak, gdchaos / torch)
# Every step runs under `timeout`, is logged, and never stops the rest; the whole run keeps to --budget
# (steps it cuts short say `budget`, steps it leaves out `skipped`; neither counts as a failure).
#
# Usage: check.sh [--bundle TARBALL|DIR] [--out DIR] [--archive DIR] [--quick] [--budget SECONDS]
#                 [--n N] [--ts "64 256 1024 4096"] [--no-lib-path]
#   --bundle    the bundle (target/gdchaos-*-linux-x86_64.tar.gz, or an unpacked folder). Default: the
#               bundle this script sits in (check/ of an unpacked bundle), else the newest
#               target/gdchaos-*-linux-x86_64.tar.* of the repository.
#   --out       results folder (default ./gdchaos-gpu-check-<time>)
#   --archive   also write DIR/gpu-check.tar.gz (the whole folder) and DIR/summary.md, DIR/summary.json
#               (the device tool returns at most 8 files, two folders deep: use --archive "$OUT")
#   --quick     a short run for machines without a GPU (CI, development): throughput at T = 64 on N = 1000
#   --budget    seconds for the whole run (default 450: done within 8 minutes with the archive)
#   --no-lib-path  do not add the folders where libcublas/libnvrtc were found to LD_LIBRARY_PATH
# Environment: PYTHON (default: the first python3 on PATH; it runs the helpers and the torch peer).
# Exit code: 0 when no check failed (no-GPU and n/a steps are not failures), 1 otherwise, 2 usage.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bundle="" out="" archive="" quick=0 budget=450 N="" TS="" lib_path=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --bundle) bundle="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --archive) archive="${2:?}"; shift 2 ;;
    --quick) quick=1; shift ;;
    --budget) budget="${2:?}"; shift 2 ;;
    --n) N="${2:?}"; shift 2 ;;
    --ts) TS="${2:?}"; shift 2 ;;
    --no-lib-path) lib_path=0; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "check.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$budget" in ''|*[!0-9]*) echo "check.sh: --budget must be whole seconds, got '$budget'" >&2; exit 2 ;; esac
start=$(date +%s)
deadline=$((start + budget))
stamp=$(date -u +%Y%m%d-%H%M%S)
out="${out:-$PWD/gdchaos-gpu-check-$stamp}"
mkdir -p "$out/logs" "$out/sweeps" || { echo "check.sh: cannot create $out" >&2; exit 2; }
out="$(cd "$out" && pwd)"
work="$out/.work"
mkdir -p "$work"
if [ "$quick" = 1 ]; then N="${N:-1000}"; TS="${TS:-64}"; else N="${N:-10000}"; TS="${TS:-64 256 1024 4096}"; fi

# ---- helpers (this folder in the repository; check/ in the bundle) ----------------------------
peers="$here/../peers"; [ -f "$peers/torch_batched.py" ] || peers="$here"
py="${PYTHON:-}"
if [ -z "$py" ]; then for p in python3 /usr/bin/python3 python; do command -v "$p" >/dev/null 2>&1 && { py="$p"; break; }; done; fi

# ---- the bundle ---------------------------------------------------------------------------------
if [ -z "$bundle" ]; then
  if [ -x "$here/../bin/gdchaos" ] && [ -d "$here/../runtime" ]; then
    bundle="$here/.."
  else
    bundle=$(ls -t "$here"/../../target/gdchaos-*-linux-x86_64.tar.* 2>/dev/null | head -n1)
  fi
fi
if [ -z "$bundle" ] || [ ! -e "$bundle" ]; then
  echo "check.sh: no bundle found (fix: packaging/bundle.sh, or --bundle PATH)" >&2
  exit 2
fi
if [ -f "$bundle" ]; then
  mkdir -p "$work/bundle"
  if ! tar -xf "$bundle" -C "$work/bundle"; then echo "check.sh: cannot unpack $bundle" >&2; exit 2; fi
  bundle=$(ls -d "$work"/bundle/gdchaos-* | head -n1)
fi
bundle="$(cd "$bundle" && pwd)"
gd="$bundle/bin/gdchaos"
[ -x "$gd" ] || { echo "check.sh: $gd is missing or not executable" >&2; exit 2; }
export GDCHAOS_JAR="$bundle/lib/gdchaos.jar"   # the torch peer reads the embedded MNIST from it
unset GDCHAOS_BACKEND || true

# ---- step runner --------------------------------------------------------------------------------
printf 'step\tstatus\tseconds\tdetail\n' > "$out/steps.tsv"
record() { # name status seconds detail
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(printf '%s' "$4" | tr '\t\n' '  ' | cut -c1-400)" >> "$out/steps.tsv"
  printf '%-34s %-8s %6ss  %s\n' "$1" "$2" "$3" "$(printf '%s' "$4" | tr '\t\n' '  ' | cut -c1-150)"
}
# run NAME LIMIT CMD...: runs CMD with `timeout LIMIT` (cut to the time left), output to logs/NAME.log;
# status ok / fail / timeout, or budget when the run's time budget (not the step's limit) stopped it;
# detail = the last line of output, or the lines matching $RUN_DETAIL. Returns the command's exit code.
run() {
  local name="$1" limit="$2" cut=0; shift 2
  local left=$((deadline - $(date +%s)))
  if [ "$left" -lt 10 ]; then record "$name" skipped 0 "time budget of ${budget}s used up"; return 99; fi
  [ "$limit" -gt "$left" ] && { limit=$left; cut=1; }
  local log="$out/logs/$name.log" t0 t1 rc status
  printf '$ %s\n' "$*" > "$log"
  t0=$(date +%s.%N)
  timeout -k 10 "$limit" "$@" >> "$log" 2>&1 < /dev/null
  rc=$?
  t1=$(date +%s.%N)
  case "$rc" in
    0) status=ok ;;
    124|137) status=timeout; [ "$cut" = 1 ] && status=budget ;;
    *) status=fail ;;
  esac
  local detail
  if [ -n "${RUN_DETAIL:-}" ]; then
    detail=$(grep -E "$RUN_DETAIL" "$log" | sed -E 's/  +/ /g' | paste -sd';' -)
  else
    detail=$(grep -v '^WARNING: Using incubator' "$log" | grep -v '^\s*$' | tail -n1)
  fi
  [ "$status" = timeout ] && detail="killed after ${limit}s (the step's limit); $detail"
  [ "$status" = budget ] && detail="stopped after ${limit}s: the run's --budget ${budget}s was used up; $detail"
  [ "$status" = fail ] && detail="exit $rc; $detail"
  record "$name" "$status" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')" "$detail"
  return "$rc"
}
note() { record "$1" "$2" 0 "$3"; }   # a step that was not run: no-gpu / n/a / skipped

# ---- 1. machine facts ---------------------------------------------------------------------------
facts="$out/facts.txt"
{
  echo "# gdchaos GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ), host $(hostname 2>/dev/null)"
  echo "## bundle"; cat "$bundle/BUILD-INFO" 2>/dev/null
  echo "## system"; uname -a; grep -E '^(PRETTY_NAME|VERSION)=' /etc/os-release 2>/dev/null
  echo "$(getconf GNU_LIBC_VERSION 2>/dev/null)"
  echo "## system libraries the bundle's runtime needs but this machine lacks (ldd; plots need freetype/harfbuzz)"
  own=$(find "$bundle/runtime" -name '*.so' -printf '%f\n')     # the runtime's own (found through the JVM)
  missing=$(find "$bundle/runtime" -name '*.so' -exec ldd {} + 2>/dev/null | awk '/not found/ {print $1}' | sort -u |
    grep -vxF "$own")
  echo "${missing:-(none)}"
  echo "## CPU"; grep -m1 'model name' /proc/cpuinfo; echo "cores: $(nproc)"; grep MemTotal /proc/meminfo
  echo "## GPU (nvidia-smi)"
  if command -v nvidia-smi >/dev/null 2>&1; then
    timeout 30 nvidia-smi 2>&1
    timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap,clocks.max.sm,clocks.max.mem,power.limit --format=csv 2>&1
  else
    echo "nvidia-smi: not found"
  fi
  echo "## CUDA / OpenCL libraries (ldconfig -p)"
  ldconfig -p 2>/dev/null | grep -E 'libcuda\.so|libcublas|libnvrtc|libOpenCL|libnvidia-opencl' || echo "(none in the ldconfig cache)"
  echo "## CUDA / OpenCL libraries (files)"
  roots=(/usr /usr/local/nvidia /usr/local/cuda /opt /lib /lib64 /etc/OpenCL)   # explicit: -xdev skips other mounts
  [ -n "$py" ] && roots+=($(timeout 30 "$py" -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null))
  existing=(); for r in "${roots[@]}"; do [ -d "$r" ] && existing+=("$r"); done
  timeout 60 find "${existing[@]}" -xdev \( -path /proc -o -path /sys -o -path "$out" \) -prune -o \
    \( -name 'libcuda.so*' -o -name 'libcublas.so*' -o -name 'libcublasLt.so*' -o -name 'libnvrtc.so*' \
       -o -name 'libnvidia-opencl.so*' -o -name 'libOpenCL.so*' -o -name '*.icd' \) -print 2>/dev/null | sort -u | head -n 200
  echo "## /etc/OpenCL/vendors"; ls -l /etc/OpenCL/vendors 2>&1
  echo "## nvcc"; command -v nvcc >/dev/null 2>&1 && nvcc --version | tail -n2 || echo "nvcc: not found"
  echo "## python / torch"
  if [ -n "$py" ]; then
    timeout 60 "$py" -c 'import sys; print("python", sys.version.split()[0]); import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), torch.cuda.get_device_name() if torch.cuda.is_available() else "")' 2>&1 | tail -n3
  else
    echo "python3: not found"
  fi
} > "$facts" 2>&1
have_gpu=0
if command -v nvidia-smi >/dev/null 2>&1 && timeout 30 nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then have_gpu=1; fi
gpu_name=$( [ "$have_gpu" = 1 ] && timeout 30 nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n1)
have_torch=0; grep -q '^torch ' "$facts" && have_torch=1
torch_cuda=0; grep -q '^torch .* available True' "$facts" && torch_cuda=1
note facts ok "GPU: ${gpu_name:-none}; torch: $([ "$have_torch" = 1 ] && echo yes || echo no) (cuda $torch_cuda); see facts.txt"

# ---- 2. library paths: CUDA 12/13 libraries outside the linker path; NVIDIA's OpenCL driver -----
if [ "$lib_path" = 1 ]; then
  dirs=$(grep -oE '/[^ ]*/lib(cublas|nvrtc)\.so\.1[2-9][.0-9]*$' "$facts" | grep -v '/stubs/' | xargs -r -n1 dirname |
    sort -u | paste -sd: -)
  if [ -n "$dirs" ]; then
    export LD_LIBRARY_PATH="$dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    note lib-path ok "LD_LIBRARY_PATH += $dirs (folders holding libcublas/libnvrtc)"
  else
    note lib-path n/a "no libcublas.so.12+/libnvrtc.so.12+ found"
  fi
fi
nv_ocl=$(grep -oE '/[^ ]*/libnvidia-opencl\.so\.1$' "$facts" | head -n1)   # ldconfig's "=> path" or find's path
if [ -n "$nv_ocl" ]; then
  vend="$work/opencl-vendors"
  mkdir -p "$vend"
  cp /etc/OpenCL/vendors/*.icd "$vend/" 2>/dev/null
  grep -qs 'libnvidia-opencl' "$vend"/*.icd || echo "$nv_ocl" > "$vend/nvidia.icd"
  export OCL_ICD_VENDORS="$vend"
  how="OCL_ICD_VENDORS=$vend (nvidia.icd -> $nv_ocl)"
  if ! ldconfig -p 2>/dev/null | grep -q 'libOpenCL\.so\.1 '; then
    if [ -f "$here/ocl-icd/libOpenCL.so.1" ]; then
      export LD_LIBRARY_PATH="$here/ocl-icd${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      how="$how; ICD loader: the bundle's check/ocl-icd/libOpenCL.so.1"
    else
      how="$how; no ICD loader libOpenCL.so.1 on this machine or in the bundle"
    fi
  fi
  note opencl-nvidia ok "$how"
else
  note opencl-nvidia n/a "NVIDIA's OpenCL driver (libnvidia-opencl.so.1) not found"
fi

# ---- 3. backends, and which CUDA paths load ------------------------------------------------------
RUN_DETAIL='^(cuda|opencl|java) ' run backends 60 "$gd" backends
RUN_DETAIL='^(\*|!) ' run backends-f32 60 "$gd" backends --dtype f32
cuda_line=$(grep -E '^cuda ' "$out/logs/backends.log" 2>/dev/null | head -n1)
opencl_line=$(grep -E '^opencl ' "$out/logs/backends.log" 2>/dev/null | head -n1)
cuda_ok=0; case "$cuda_line" in *" available"*) cuda_ok=1 ;; esac
opencl_ok=0; case "$opencl_line" in *" available"*) opencl_ok=1 ;; esac
opencl_gpu=0; case "$opencl_line" in *" available"*GPU*) opencl_gpu=1 ;; esac
reason() { printf '%s' "$1" | sed -E 's/^[a-z]+ +[0-9]+ +[a-z*]+ +//'; }
cuda_why=$(reason "$cuda_line")
# the status of a CUDA step that cannot run: no GPU here, or a GPU that CUDA cannot use (a failure)
cuda_absent() { if [ "$have_gpu" = 1 ]; then note "$1" fail "cuda unavailable on a machine with a GPU: $cuda_why"; else note "$1" no-gpu "no GPU: $cuda_why"; fi; }
combos=()
for k in nvrtc embedded; do
  for g in cublas own; do
    name="path-$k-$g"
    RUN_DETAIL='^cuda ' run "$name" 60 "$gd" -Dgdchaos.cuda.kernels=$k -Dgdchaos.cuda.gemm=$g backends >/dev/null
    line=$(grep -E '^cuda ' "$out/logs/$name.log" 2>/dev/null | head -n1)
    case "$line" in
      *" available"*)
        if printf '%s' "$line" | grep -qiw "$k" && printf '%s' "$line" | grep -qiw "$g"; then
          combos+=("$k/$g"); note "$name-status" ok "loads: $(reason "$line")"
        else
          note "$name-status" n/a "path switches not recognised by this build (its cuda line names no '$k'/'$g'): $(reason "$line")"
        fi ;;
      *) if [ "$have_gpu" = 1 ]; then note "$name-status" n/a "cuda unavailable on $k/$g: $(reason "$line")"
         else note "$name-status" no-gpu "no GPU: $(reason "$line")"; fi ;;
    esac
  done
done
props_of() { [ "$1" = auto/auto ] || echo "-Dgdchaos.cuda.kernels=${1%/*} -Dgdchaos.cuda.gemm=${1#*/}"; }
tag_of() { [ "$1" = auto/auto ] && echo cuda || echo "cuda-${1%/*}-${1#*/}"; }

# ---- 4. conformance on every available backend --------------------------------------------------
run verify 300 "$gd" backends --verify

# ---- 5. CUDA against Java: a small calm sweep (f64 to 1e-9, f32 to 1e-4 on losses) ----------------
sweep_args=(sweep --data mnist-10k --train-size 500 --test-size 200 --layers 784,64,10 --lr 0.1,1,2.5 --inits 2
  --replicas 2 --steps 20 --eval-every 5 --accuracy-threshold 0.3 --quiet)
eps_of() { [ "$1" = f64 ] && echo 1e-8 || echo 1e-3; }
rel_of() { [ "$1" = f64 ] && echo 1e-9 || echo 1e-4; }
calm() { # dtype backend combo: the sweep on a device backend and its comparison with Java's
  local dt="$1" be="$2" c="$3" tag ref dir
  tag="$be"; [ "$be" = cuda ] && tag=$(tag_of "$c")
  ref="$out/sweeps/calm-$dt-java"; dir="$out/sweeps/calm-$dt-$tag"
  [ -f "$ref/results.csv" ] || { note "sweep-$dt-$tag" skipped "no Java reference sweep"; return; }
  if [ "$be" = cuda ] && [ "$cuda_ok" != 1 ]; then cuda_absent "sweep-$dt-$tag"; return; fi
  run "sweep-$dt-$tag" 120 "$gd" $(props_of "$c") "${sweep_args[@]}" --dtype "$dt" --epsilon "$(eps_of "$dt")" \
    --backend "$be" --out "$dir" || return
  run "compare-$dt-$tag" 30 "$py" "$here/compare_sweeps.py" "$ref" "$dir" --rel "$(rel_of "$dt")" \
    --label "$dt $tag vs java" --json "$out/sweeps/compare-$dt-$tag.json"
}
for dt in f64 f32; do
  run "sweep-$dt-java" 120 "$gd" "${sweep_args[@]}" --dtype "$dt" --epsilon "$(eps_of "$dt")" --backend java \
    --out "$out/sweeps/calm-$dt-java"
  calm "$dt" cuda auto/auto
  # OpenCL where it runs on a GPU; without a GPU (--quick) on the CPU, which exercises the comparison
  if [ "$opencl_gpu" = 1 ] || { [ "$quick" = 1 ] && [ "$opencl_ok" = 1 ]; }; then calm "$dt" opencl auto/auto; fi
done
# the same comparison for a small CNN (im2col/col2im, pooling, the folded first layer): f64, CUDA vs Java
cnn_args=(sweep --data mnist-10k --train-size 200 --test-size 100
  --arch conv:4@5x5,tanh,avgpool:2,conv:8@3x3:same,tanh,maxpool:2,dense:10 --init xavier --lr 0.05,0.3 --inits 2
  --replicas 1 --steps 10 --eval-every 5 --accuracy-threshold 0.3 --quiet --dtype f64 --epsilon 1e-8)
if run cnn-f64-java 150 "$gd" "${cnn_args[@]}" --backend java --out "$out/sweeps/cnn-f64-java"; then
  if [ "$cuda_ok" = 1 ]; then
    run cnn-f64-cuda 150 "$gd" "${cnn_args[@]}" --backend cuda --out "$out/sweeps/cnn-f64-cuda" &&
      run compare-cnn-f64-cuda 30 "$py" "$here/compare_sweeps.py" "$out/sweeps/cnn-f64-java" "$out/sweeps/cnn-f64-cuda" \
        --rel 1e-9 --label "cnn f64 cuda vs java" --json "$out/sweeps/compare-cnn-f64-cuda.json"
  else
    cuda_absent cnn-f64-cuda
  fi
fi
# the same comparison with momentum and Nesterov (the fused optimizer_update kernel; benettin renormalises
# the whole state (w, v)): f64, CUDA vs Java
for opt in momentum:0.9 nesterov:0.5; do
  otag="${opt%%:*}"
  # η/(1 − β) is the effective step of heavy ball: a tenth of the calm grid stays calm (chaos would amplify
  # the backends' rounding differences beyond 1e-9 in 20 steps)
  mom_args=(sweep --data mnist-10k --train-size 500 --test-size 200 --layers 784,64,10 --lr 0.01,0.1,0.25 --inits 2
    --replicas 2 --steps 20 --eval-every 5 --accuracy-threshold 0.3 --quiet
    --optimizer "$opt" --method benettin --dtype f64 --epsilon 1e-8)
  if run "$otag-f64-java" 120 "$gd" "${mom_args[@]}" --backend java --out "$out/sweeps/$otag-f64-java"; then
    if [ "$cuda_ok" = 1 ]; then
      run "$otag-f64-cuda" 120 "$gd" "${mom_args[@]}" --backend cuda --out "$out/sweeps/$otag-f64-cuda" &&
        run "compare-$otag-f64-cuda" 30 "$py" "$here/compare_sweeps.py" "$out/sweeps/$otag-f64-java" \
          "$out/sweeps/$otag-f64-cuda" --rel 1e-9 --label "$otag f64 cuda vs java" \
          --json "$out/sweeps/compare-$otag-f64-cuda.json"
    else
      cuda_absent "$otag-f64-cuda"
    fi
  fi
done

# Adam's kernels: adam_tangent (the tangent method's Jacobian step over (δw, δm, δs)) and adam_precondition
# (the preconditioned sharpness): f64, CUDA vs Java; ε = 1e-4 keeps D = c1/(√ŝ + ε) moderate. Over 20 steps the
# tangent λ1 is Adam's bias-correction transient (≈ 0.9 on Java, measured), not chaos of the trajectories whose
# losses are compared, so --calm 10 counts every cell, and --rel 1e-6 allows that transient's amplification of
# the backends' rounding (e^{0.9·20} ≈ 10^7.8 at most)
adam_args=(sweep --data mnist-10k --train-size 500 --test-size 200 --layers 784,16,10 --lr 0.001,0.003 --inits 2
  --steps 20 --eval-every 5 --accuracy-threshold 0.3 --quiet --optimizer adam:0.9,0.999,1e-4
  --method tangent --exponents 2 --sharpness --dtype f64)
if run adam-f64-java 120 "$gd" "${adam_args[@]}" --backend java --out "$out/sweeps/adam-f64-java"; then
  if [ "$cuda_ok" = 1 ]; then
    run adam-f64-cuda 120 "$gd" "${adam_args[@]}" --backend cuda --out "$out/sweeps/adam-f64-cuda" &&
      run compare-adam-f64-cuda 30 "$py" "$here/compare_sweeps.py" "$out/sweeps/adam-f64-java" \
        "$out/sweeps/adam-f64-cuda" --rel 1e-6 --calm 10 --label "adam f64 cuda vs java" \
        --json "$out/sweeps/compare-adam-f64-cuda.json"
  else
    cuda_absent adam-f64-cuda
  fi
fi

# the same comparison for a sweep on an .npy dataset (npy:X,y with --normalize standard): f64, CUDA vs Java
# (OpenCL vs Java too with --quick, on the CPU). The arrays are written here with Python's standard library only:
# 300 samples of 20 float64 features, labels 0..2 (int64) from a fixed random linear map.
npy_dir="$work/npy"
npy_ok=0
cat > "$work/make_npy.py" <<'PY'
import os, random, struct, sys
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
def save(path, descr, shape, fmt, values):
    dims = ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "")
    h = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    h += " " * ((64 - (10 + len(h) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode("latin1"))
        f.write(struct.pack("<%d%s" % (len(values), fmt), *values))
r = random.Random(7); n, k, c = 300, 20, 3
w = [[r.gauss(0, 1) for _ in range(k)] for _ in range(c)]
x = [r.gauss(0, 1) * (1 + j) + j for _ in range(n) for j in range(k)]
y = [max(range(c), key=lambda a: sum(w[a][j] * x[i * k + j] for j in range(k))) for i in range(n)]
save(os.path.join(d, "x.npy"), "<f8", (n, k), "d", x)
save(os.path.join(d, "y.npy"), "<i8", (n,), "q", y)
print("wrote", d, "x (%d, %d) float64, y (%d,) int64" % (n, k, n))
PY
if [ -n "$py" ] && run npy-data 30 "$py" "$work/make_npy.py" "$npy_dir"; then npy_ok=1; fi
npy_args=(sweep --data "npy:$npy_dir/x.npy,$npy_dir/y.npy" --train-size 200 --test-size 100 --normalize standard
  --layers 20,16,3 --lr 0.1,1,3 --inits 2 --replicas 2 --steps 20 --eval-every 5 --accuracy-threshold 0.5 --quiet
  --dtype f64 --epsilon 1e-8)
npy_compare() { # backend
  local be="$1"
  run "npy-f64-$be" 120 "$gd" "${npy_args[@]}" --backend "$be" --out "$out/sweeps/npy-f64-$be" &&
    run "compare-npy-f64-$be" 30 "$py" "$here/compare_sweeps.py" "$out/sweeps/npy-f64-java" "$out/sweeps/npy-f64-$be" \
      --rel 1e-9 --label "npy f64 $be vs java" --json "$out/sweeps/compare-npy-f64-$be.json"
}
if [ "$npy_ok" != 1 ]; then
  note npy-f64-java skipped "no python3 to write the .npy arrays"
elif run npy-f64-java 120 "$gd" "${npy_args[@]}" --backend java --out "$out/sweeps/npy-f64-java"; then
  if [ "$cuda_ok" = 1 ]; then npy_compare cuda; else cuda_absent npy-f64-cuda; fi
  if [ "$quick" = 1 ] && [ "$opencl_ok" = 1 ]; then npy_compare opencl; fi
fi

# the onset search (gdchaos onset) on the balanced scalar network: CUDA must make Java's decisions
onset_args=(onset --model linear --width 1 --data scalar:x=1,y=1 --init values:0.5,0.5 --method benettin
  --lr-range lin:1:2 --points 8 --steps 1500 --transient 300 --inits 2 --quiet)
if run onset-java 150 "$gd" "${onset_args[@]}" --backend java --out "$out/sweeps/onset-java"; then
  if [ "$cuda_ok" = 1 ]; then
    run onset-cuda 150 "$gd" "${onset_args[@]}" --backend cuda --out "$out/sweeps/onset-cuda" &&
      run compare-onset-cuda 30 "$py" "$here/compare_onset.py" "$out/sweeps/onset-java" "$out/sweeps/onset-cuda" \
        --label "onset search cuda vs java" --json "$out/sweeps/compare-onset-cuda.json"
  else
    cuda_absent onset-cuda
  fi
fi

# ---- 6. the linear-network oracles (README: flat minima), Java and CUDA ---------------------------
lin_args=(sweep --data scalar:x=1,y=1 --model linear --width 4 --init normal:0.5 --lr lin:0.05:1.2:12 --inits 10
  --steps 2000 --method tangent --exponents 8 --transient 200 --sharpness --flow --balance --quiet)
lin_ref="$out/sweeps/linear-java"
if run linear-java 150 "$gd" "${lin_args[@]}" --backend java --out "$lin_ref"; then
  run oracles-java 30 "$py" "$here/linear_oracles.py" "$lin_ref" --label "linear java" --json "$out/sweeps/oracles-java.json"
fi
linear() { # combo
  local tag dir ref_opt=()
  tag=$(tag_of "$1"); dir="$out/sweeps/linear-$tag"
  if [ "$cuda_ok" != 1 ]; then cuda_absent "linear-$tag"; return; fi
  run "linear-$tag" 150 "$gd" $(props_of "$1") "${lin_args[@]}" --backend cuda --out "$dir" || return
  [ -f "$lin_ref/results.csv" ] && ref_opt=(--ref "$lin_ref")
  run "oracles-$tag" 30 "$py" "$here/linear_oracles.py" "$dir" ${ref_opt[@]+"${ref_opt[@]}"} --label "linear $tag" \
    --json "$out/sweeps/oracles-$tag.json"
}
linear auto/auto

# ---- 7. throughput of the paper workload: gdchaos on the GPU next to PyTorch batched --------------
# 784-64-10 tanh, full batch, N embedded digits, T trajectories; trajectory-steps/s = T·steps / time.
steps_for() { # T -> "steps warmup"
  if [ "$quick" = 1 ]; then echo "2 1"; elif [ "$1" -ge 4096 ]; then echo "3 1"; else echo "5 2"; fi
}
peer() { # name backend dtype T [props...]
  local name="$1" be="$2" dt="$3" t="$4" sw; shift 4
  sw=($(steps_for "$t"))
  GDCHAOS_MAIN=org.gdchaos.bench.PeerRun run "$name" 120 "$gd" "$@" --backend "$be" --dtype "$dt" --n "$N" --t "$t" \
    --steps "${sw[0]}" --warmup "${sw[1]}"
}
torch_peer() { # name device dtype T
  local name="$1" dev="$2" dt="$3" t="$4" sw rc threads
  sw=($(steps_for "$t")); threads=$(nproc)
  (cd "$peers" && run "$name" 120 "$py" torch_batched.py --device "$dev" --dtype "$dt" --n "$N" --t "$t" \
    --steps "${sw[0]}" --warmup "${sw[1]}" --threads "$threads")
  rc=$?
  # out of GPU memory with all N rows at once: the same peer with gradient accumulation over 2048-row blocks
  if [ "$rc" != 0 ] && [ "$rc" != 99 ] && grep -qi 'out of memory' "$out/logs/$name.log"; then
    (cd "$peers" && run "$name-chunk2048" 120 "$py" torch_batched.py --device "$dev" --dtype "$dt" --n "$N" --t "$t" \
      --steps "${sw[0]}" --warmup "${sw[1]}" --threads "$threads" --chunk 2048)
  fi
}
for dt in f32 f64; do
  for t in $TS; do
    if [ "$cuda_ok" = 1 ]; then peer "tp-gdchaos-cuda-$dt-T$t" cuda "$dt" "$t"; else cuda_absent "tp-gdchaos-cuda-$dt-T$t"; fi
    if [ "$torch_cuda" = 1 ]; then torch_peer "tp-torch-cuda-$dt-T$t" cuda "$dt" "$t"
    elif [ "$have_gpu" = 1 ]; then note "tp-torch-cuda-$dt-T$t" n/a "python3 has no CUDA torch"
    else note "tp-torch-cuda-$dt-T$t" no-gpu "no GPU"; fi
  done
done

# ---- 8. every CUDA path that loads: conformance, the calm sweeps, the linear oracles ---------------
for c in ${combos[@]+"${combos[@]}"}; do
  k=${c%/*}; g=${c#*/}
  run "verify-$k-$g" 240 "$gd" $(props_of "$c") backends --verify
  for dt in f64 f32; do calm "$dt" cuda "$c"; done
  linear "$c"
done

# ---- 9. one mid-size point for the other paths, OpenCL on the GPU, the CPU as a yardstick ----------
tmid=1024; [ "$quick" = 1 ] && tmid=64
for dt in f32 f64; do
  for c in ${combos[@]+"${combos[@]}"}; do
    [ "$c" = nvrtc/cublas ] && continue
    peer "tp-gdchaos-$(tag_of "$c")-$dt-T$tmid" cuda "$dt" "$tmid" $(props_of "$c")
  done
  if [ "$opencl_gpu" = 1 ]; then peer "tp-gdchaos-opencl-$dt-T$tmid" opencl "$dt" "$tmid"
  else note "tp-gdchaos-opencl-$dt-T$tmid" n/a "no OpenCL GPU device: $(reason "$opencl_line" | cut -c1-120)"; fi
  peer "tp-gdchaos-java-$dt-T64" java "$dt" 64
  if [ "$have_torch" = 1 ] && [ "$torch_cuda" != 1 ]; then torch_peer "tp-torch-cpu-$dt-T64" cpu "$dt" 64
  elif [ "$have_torch" != 1 ]; then note "tp-torch-cpu-$dt-T64" skipped "python3 ($py) has no torch"; fi
done

# ---- 10. summary ----------------------------------------------------------------------------------
elapsed=$(( $(date +%s) - start ))
summary_rc=0
if [ -n "$py" ]; then
  "$py" "$here/summarize.py" "$out" --elapsed "$elapsed" --budget "$budget" --quick "$quick" --n "$N" \
    --gpu "${gpu_name:-}" > "$out/logs/summarize.log" 2>&1 || summary_rc=$?
  [ -f "$out/summary.md" ] && cat "$out/summary.md" || cat "$out/logs/summarize.log"
else
  echo "python3 not found: no summary.md; see steps.tsv"; cat "$out/steps.tsv"
fi
rm -rf "$work"
if [ -n "$archive" ]; then
  mkdir -p "$archive" && tar -C "$(dirname "$out")" -czf "$archive/gpu-check.tar.gz" "$(basename "$out")" \
    && cp "$out/summary.md" "$out/summary.json" "$out/steps.tsv" "$archive/" 2>/dev/null
  echo "archive: $archive/gpu-check.tar.gz"
fi
echo "results: $out ($elapsed s)"
if awk -F'\t' 'NR > 1 && ($2 == "fail" || $2 == "timeout") {bad = 1} END {exit bad ? 0 : 1}' "$out/steps.tsv" || [ "$summary_rc" != 0 ]; then
  exit 1
fi
exit 0
