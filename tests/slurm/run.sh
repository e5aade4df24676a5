#!/usr/bin/env bash
# Real-cluster test of `gdchaos slurm`: a single-node Slurm (slurmctld + slurmd + munge)
# on loopback, a small sharded sweep through `gdchaos slurm submit`, the dependent merge, and a
# check that the merged results equal a single-process sweep byte for byte; then a run where one
# shard is cancelled mid-run and resubmitted, ending with every cell exactly once.
#
# Needs root (installs Debian's slurmctld slurmd slurm-client munge if missing, starts daemons).
# Idempotent: stops what an earlier run left, and on exit cancels its jobs and stops the daemons it
# started. Everything lives in $WORK (default /tmp/gdchaos-slurm-test); /etc/slurm is not touched
# (the daemons and clients read $SLURM_CONF).
#   tests/slurm/run.sh                      # uses ./gdchaos (builds target/gdchaos.jar if needed)
#   GDCHAOS="java --add-modules jdk.incubator.vector -jar /path/gdchaos.jar" tests/slurm/run.sh
# Last line: "slurm: N passed, M failed"; exit status 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$(pwd)"
WORK="${WORK:-/tmp/gdchaos-slurm-test}"
GDCHAOS="${GDCHAOS:-$ROOT/gdchaos}"
read -r -a GD <<<"$GDCHAOS"
export SLURM_CONF="$WORK/etc/slurm.conf"
passed=0
failed=0
started_munge=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

stop_cluster() {
  # jobs outlive slurmd: cancel them first, then stop the daemons by their pid files
  if [ -f "$WORK/slurmctld.pid" ] && command -v scancel >/dev/null 2>&1; then
    timeout 10 scancel --quiet --user="$(id -un)" 2>/dev/null || true
    sleep 1
  fi
  for d in slurmd slurmctld; do
    local f="$WORK/$d.pid"
    if [ -f "$f" ]; then
      local pid; pid="$(cat "$f" 2>/dev/null || true)"
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$f"
    fi
  done
}
cleanup() {
  stop_cluster
  if [ "$started_munge" = 1 ] && [ -f /run/munge/munged.pid ]; then
    kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
  fi
}
finish() {
  cleanup
  echo "slurm: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
trap 'bad "interrupted"; finish' INT TERM

if [ "$(id -u)" != 0 ]; then
  if [ "${CI:-}" = true ]; then bad "needs root to install and start Slurm"; fi
  echo "tests/slurm/run.sh: skipped (needs root)"
  finish
fi

echo "== install (if missing): slurmctld slurmd slurm-client munge"
if ! dpkg -s slurmctld slurmd slurm-client munge >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge; }
fi
check "slurm and munge installed" bash -c "dpkg -s slurmctld slurmd slurm-client munge >/dev/null 2>&1"
command -v slurmctld >/dev/null 2>&1 || finish

echo "== munge"
if [ ! -s /etc/munge/munge.key ]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 0600 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged && started_munge=1
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi
check "munge works" bash -c 'munge -n | unmunge >/dev/null'

echo "== single-node cluster on loopback ($WORK)"
stop_cluster
rm -rf "$WORK"
mkdir -p "$WORK/etc" "$WORK/state" "$WORK/spool" "$WORK/log"
host="$(hostname -s)"
# CPUs, cores and memory as slurmd sees them (declaring more than exists makes the node INVAL)
node="$(slurmd -C | head -n 1 | sed -e "s/^NodeName=[^ ]* //")"
cat >"$SLURM_CONF" <<EOF
ClusterName=gdchaostest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
# no cgroups here (no freezer cgroup; the cgroup plugins drain the node)
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# no accounting: sacct does not work, scontrol does while MinJobAge keeps finished jobs
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=3600
ReturnToService=2
MpiDefault=none
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -i >/dev/null 2>&1
slurmd >/dev/null 2>&1
# slurmctld exits 0 even when it dies right after: wait for the node to be idle
state=""
for _ in $(seq 100); do
  state="$(sinfo -h -o %T 2>/dev/null | head -n 1)"
  [ "$state" = idle ] && break
  sleep 0.2
done
if [ "$state" != idle ]; then
  bad "node idle (state '$state')"
  tail -n 20 "$WORK"/log/*.log
  finish
fi
ok "single-node cluster up ($node)"

# --- helpers ---------------------------------------------------------------------------------
job_state() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2; }
# wait until job $1 (a plain job) leaves PENDING/RUNNING; prints its final state
wait_job() {
  local s=""
  for _ in $(seq "${2:-300}"); do
    s="$(job_state "$1")"
    case "$s" in PENDING | RUNNING | CONFIGURING | COMPLETING | "") sleep 0.5 ;; *) break ;; esac
  done
  echo "$s"
}
rows() { if [ -f "$1" ]; then echo $(($(wc -l <"$1") - 1)); else echo 0; fi; }
same_file() { cmp -s "$1" "$2" || { diff "$1" "$2" | head -n 5; return 1; }; }
no_duplicates() { [ -z "$(tail -n +2 "$1" | cut -d, -f1,3,5 | sort | uniq -d)" ]; }  # lr_index, wd_index, init

SWEEP=(--data teacher:in=4,hidden=3,out=2,n=40,seed=1 --train-size 40 --test-size 40 --layers 4,8,2
  --loss mse --lr 0.1,1 --inits 2 --replicas 2 --backend java)

echo "== 1: 4 shards through Slurm vs one process"
"${GD[@]}" sweep "${SWEEP[@]}" --steps 20 --quiet --out "$WORK/single" >"$WORK/single.log" 2>&1
check "single-process sweep" test "$(rows "$WORK/single/results.csv")" = 4
out1="$WORK/run1"
(cd "$WORK" && "${GD[@]}" slurm submit --shards 4 --out "$out1" --time 5 "${SWEEP[@]}" --steps 20) \
  >"$WORK/submit1.log" 2>&1
cat "$WORK/submit1.log" | grep -v '^WARNING'
array1="$(sed -n 's/^submitted array job \([0-9]*\).*/\1/p' "$WORK/submit1.log")"
merge1="$(sed -n 's/^submitted merge job \([0-9]*\).*/\1/p' "$WORK/submit1.log")"
check "submit printed array and merge job ids" test -n "$array1" -a -n "$merge1"
check "sweep.sbatch has one task per shard" grep -q -- '--array=0-3' "$out1/slurm/sweep.sbatch"
s="$(wait_job "$merge1")"
check "merge job completed (state $s)" test "$s" = COMPLETED
check "4 array tasks completed" test "$(scontrol -o show job "$array1" | grep -c 'JobState=COMPLETED')" = 4
for f in results.csv curves.csv summary.csv; do
  check "merged $f equals the single-process $f" same_file "$WORK/single/$f" "$out1/$f"
done
"${GD[@]}" slurm status "$out1" >"$WORK/status1.log" 2>&1
rc=$?
grep -v '^WARNING' "$WORK/status1.log"
check "slurm status: all 4 shards done (exit $rc)" bash -c "[ $rc = 0 ] && grep -q '^4 done, 0 running, 0 pending, 0 missing' '$WORK/status1.log'"
"${GD[@]}" merge "$out1" >/dev/null 2>&1
check "merge by hand again is idempotent" same_file "$WORK/single/results.csv" "$out1/results.csv"

echo "== 2: a shard cancelled mid-run, then resubmitted"
# 2 shards of 2 cells, one cell per device batch (--max-batch 3), so a shard writes cell by cell.
# The cells are sized to take a few seconds each (~3 s on 2 cores), so that the cancel below,
# sent within ~0.1 s of the first cell reaching the disk, lands while the second cell runs.
# (With millisecond cells the shard finished both before scancel took effect: a race, seen in CI.)
SWEEP2=(--data teacher:in=32,hidden=16,out=4,n=2200,seed=1 --train-size 2000 --test-size 200
  --layers 32,32,4 --loss mse --lr 0.1,1 --inits 2 --replicas 2 --backend java --steps 800 --max-batch 3)
"${GD[@]}" sweep "${SWEEP2[@]}" --quiet --out "$WORK/single2" >"$WORK/single2.log" 2>&1
check "single-process sweep (4 cells of ~3 s)" test "$(rows "$WORK/single2/results.csv")" = 4
out2="$WORK/run2"
array2="$(cd "$WORK" && "${GD[@]}" slurm submit --parsable --shards 2 --out "$out2" "${SWEEP2[@]}" \
  2>/dev/null | tail -n 1)"
check "submit --parsable printed the array job id ($array2)" test -n "$array2"
merge2="$(awk -F'\t' '$1 == "merge" { id = $2 } END { print id }' "$out2/slurm/jobs.tsv")"
part="$out2/shards/1-of-2/results.csv"
for _ in $(seq 600); do [ "$(rows "$part")" -ge 1 ] && break; sleep 0.1; done
scancel "${array2}_1"
wait_job "${array2}_1" 100 >/dev/null   # count the rows once the task has really stopped
cut_at="$(rows "$part")"
echo "cancelled task ${array2}_1 with $cut_at of its 2 cells on disk"
check "the cancel landed mid-shard ($cut_at of 2 cells on disk, want 1)" test "$cut_at" = 1
s="$(wait_job "$merge2")"
check "merge job of the failed array was cancelled, not left pending (state $s)" test "$s" = CANCELLED
"${GD[@]}" slurm status "$out2" >"$WORK/status2.log" 2>&1
grep -v '^WARNING' "$WORK/status2.log"
check "slurm status lists shard 1 as missing" grep -Eq '^1/2 .* missing ' "$WORK/status2.log"
"${GD[@]}" slurm resubmit "$out2" >"$WORK/resubmit.log" 2>&1
grep -v '^WARNING' "$WORK/resubmit.log"
check "resubmitted only shard 1" grep -q '^resubmitted shard(s) 1 as array job' "$WORK/resubmit.log"
merge3="$(sed -n 's/^submitted merge job \([0-9]*\).*/\1/p' "$WORK/resubmit.log")"
s="$(wait_job "$merge3")"
check "new merge job completed (state $s)" test "$s" = COMPLETED
check "shard 1 resumed: skipped the cells it had finished" \
  grep -q "resume: $cut_at cells already done" "$(ls -t "$out2"/slurm/logs/shard-1.out | head -n 1)"
check "no cell duplicated in shard 1" no_duplicates "$part"
check "merged results after resubmission equal the single-process results" \
  same_file "$WORK/single2/results.csv" "$out2/results.csv"
check "merged curves after resubmission equal the single-process curves" \
  same_file "$WORK/single2/curves.csv" "$out2/curves.csv"
"${GD[@]}" slurm resubmit "$out2" >"$WORK/resubmit2.log" 2>&1
check "a second resubmit has nothing to do" grep -q '^nothing to resubmit' "$WORK/resubmit2.log"

finish
