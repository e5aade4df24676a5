#!/usr/bin/env bash
# before/after JMH, Java backend, alternating (issue 23 item 7)
set -u
stamp=$1
JMH=$(cat /tmp/house/jmh.txt); CP=$(cat /tmp/house/cp.txt)
for r in 1 2 3; do
  for v in before after; do
    if [[ $v == before ]]; then cls=/tmp/house/before/target/classes; else cls=/tmp/house/after-classes; fi
    echo "== round $r $v load: $(cut -d' ' -f1-3 /proc/loadavg)"
    nice -n 10 java --add-modules jdk.incubator.vector -cp /tmp/house/bench-classes:$cls:$CP:$JMH org.openjdk.jmh.Main \
      'TrainStepBench|EvalStepBench' -p backend=java -p dtype=f32,f64 -p lrs=16 -p n=1000 -f 1 -wi 2 -w 1 -i 3 -r 1 \
      -rf json -rff /tmp/house/jmh/jmh-lifecycles-$stamp-r$r-$v.json 2>&1 | grep -E "^Benchmark|^(Train|Eval)StepBench\.[a-zA-Z]+ " 
  done
done
