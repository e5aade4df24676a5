#!/usr/bin/env bash
# Whole-sweep byte identity between two builds (a refactor must not change any number):
#   tools/byte-identity.sh BEFORE.jar AFTER.jar [WORKDIR]
# Runs the same small sweeps (every Lyapunov method, an MLP and a CNN, f32 and f64, SGD, weight decay
# and momentum axes, Adam and Nesterov, sharpness/flow/balance, OpenCL where it runs) with each jar and
# compares every CSV file byte for byte, and run.json's "spec" object. Prints one line per sweep and
# exits 1 on the first difference list. About 3 minutes per jar on 2 cores.
set -uo pipefail
before="$1"; after="$2"; work="${3:-$(mktemp -d)}"
mnist=(--data mnist-10k --train-size 200 --test-size 200 --steps 30 --eval-every 5 --inits 2)
teacher=(--data teacher:in=3,hidden=4,out=2,n=40,seed=2 --layers 3,8,2 --activation tanh --loss mse --steps 40 --inits 2)
sweeps=(
  "paper|${mnist[*]} --layers 784,16,10 --lr 0.1,2,8 --replicas 3"
  "benettin-f32|${mnist[*]} --layers 784,16,10 --lr 0.1,2,8 --method benettin --dtype f32 --epsilon 0.01"
  "spectrum|${teacher[*]} --lr 0.05,0.5,2 --method spectrum --exponents 3"
  "tangent-sharp|${teacher[*]} --lr 0.05,0.5,2 --method tangent --exponents 2 --sharpness --sharpness-every 10 --sharpness-k 2"
  "cnn|${mnist[*]} --arch conv:4@3x3,tanh,avgpool:2,dense:10 --init xavier --lr 0.1,1 --replicas 2"
  "cnn-maxpool-f32|${mnist[*]} --arch conv:4@3x3,relu,maxpool:2,dense:10 --init xavier --lr 0.1,1 --replicas 2 --dtype f32 --epsilon 0.0001"
  "wd-sgd|${teacher[*]} --lr 0.1,1 --weight-decay 0,0.01,0.1 --batch 10"
  "momentum-axis|${teacher[*]} --lr 0.1,1 --optimizer momentum --momentum 0,0.5,0.9 --sharpness"
  "nesterov|${teacher[*]} --lr 0.1,1 --optimizer nesterov:0.9 --method benettin"
  "adam-tangent|${teacher[*]} --lr 0.001,0.01 --optimizer adam --method tangent --exponents 2 --sharpness"
  "linear-flow|--model linear --width 2 --data scalar:x=1,y=1 --lr 0.1,0.5,1.5 --steps 60 --inits 2 --flow --balance --sharpness"
  "opencl|${mnist[*]} --layers 784,16,10 --lr 0.1,4 --backend opencl --method benettin"
)
run() { # jar tag name args
  local out="$work/$2/$3"; rm -rf "$out"; mkdir -p "$work/$2"
  java --add-modules jdk.incubator.vector -XX:+UseParallelGC -jar "$1" sweep $4 --out "$out" --quiet \
    >"$out.log" 2>&1
  echo $?
}
fail=0
for s in "${sweeps[@]}"; do
  name="${s%%|*}"; args="${s#*|}"
  ra=$(run "$before" before "$name" "$args"); rb=$(run "$after" after "$name" "$args")
  if [ "$ra" != 0 ] || [ "$rb" != 0 ]; then
    echo "$name: exit $ra / $rb (logs $work/{before,after}/$name.log)"; fail=1; continue
  fi
  diffs=""
  for f in $(cd "$work/before/$name" && find . -name '*.csv' | sort); do
    cmp -s "$work/before/$name/$f" "$work/after/$name/$f" || diffs="$diffs $f"
  done
  na=$(cd "$work/before/$name" && find . -name '*.csv' | wc -l); nb=$(cd "$work/after/$name" && find . -name '*.csv' | wc -l)
  [ "$na" = "$nb" ] || diffs="$diffs (csv count $na vs $nb)"
  python3 - "$work/before/$name/run.json" "$work/after/$name/run.json" <<'PY' || diffs="$diffs run.json:spec"
import json, sys
a, b = (json.load(open(p))["spec"] for p in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
  if [ -n "$diffs" ]; then echo "$name: DIFFERENT:$diffs"; fail=1; else echo "$name: identical ($na csv files)"; fi
done
exit $fail
