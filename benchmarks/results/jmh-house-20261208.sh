#!/usr/bin/env bash
# Issue 23's closing measurement: the training step of an MLP and of a CNN before and after the
# redesign, Java backend, alternating before/after in each round so that
# both see the same machine load. BEFORE/AFTER: benchmarks.jar built by benchmarks/run.sh's build step
# (mvn install of gdchaos, then mvn -f benchmarks/pom.xml package) at the two commits.
#   bash benchmarks/results/jmh-house-20261208.sh BEFORE.jar AFTER.jar OUTDIR
set -u
before=$1; after=$2; out=$3; mkdir -p "$out"
for r in 1 2 3; do
  for v in before after; do
    jar=$before; [[ $v == after ]] && jar=$after
    echo "== round $r $v load: $(cut -d' ' -f1-3 /proc/loadavg)"
    nice -n 5 java -jar "$jar" 'TrainStepBench|CnnStepBench' -p backend=java -p dtype=f32,f64 -p t=16 \
      -p lrs=16 -p n=1000 -f 1 -wi 2 -w 1 -i 3 -r 1 \
      -rf json -rff "$out/jmh-house-r$r-$v.json" 2>&1 | grep -E "^Benchmark|^(Train|Cnn)\w*\.[a-zA-Z]+ "
  done
done
