#!/usr/bin/env bash
# A single-node Slurm cluster on this machine (munged, slurmctld and slurmd from Debian's munge and slurm-wlm,
# with a throwaway configuration in a temporary folder) runs scripts/slurm/fit-array.sbatch as an array of 4
# tasks over 8 small fits. Task 1 is cancelled half-way and resubmitted: its finished job is skipped, its
# interrupted one resumes. The merged summary must list every job done exactly once, with the results of a
# local `fit --batch`. The daemons this script started are stopped by their process ids and the folder removed,
# also on failure. Exit code 77 (skipped) where the daemons cannot run.
# Usage: slurm_array_test.sh PENUMBRA SOURCE_DIR
set -euo pipefail
penumbra=$1
source_dir=$2

skip() {
  echo "SKIPPED: $*"
  exit 77
}
[ "$(id -u)" -eq 0 ] || skip "the Slurm daemons run as root here (CI does); this user is $(id -un)"
for tool in munged mungekey slurmctld slurmd sbatch squeue scancel sinfo python3; do
  command -v "$tool" > /dev/null || skip "$tool is missing; scripts/setup installs slurm-wlm and munge"
done

work=$(mktemp -d /tmp/penumbra-slurm.XXXXXX)
daemons=()
cleanup() {
  local status=$?
  if [ -n "${SLURM_CONF:-}" ]; then
    # Jobs first (their slurmstepd would outlive slurmd), then the daemons, newest first.
    scancel --quiet --full --partition=penumbra 2> /dev/null || true
    for _ in $(seq 1 40); do
      [ -z "$(squeue -h -p penumbra 2> /dev/null)" ] && break
      sleep 0.5
    done
  fi
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do kill "${daemons[i]}" 2> /dev/null || true; done
  for pid in "${daemons[@]}"; do wait "$pid" 2> /dev/null || true; done
  if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
    for log in "$work"/*.log "$work"/logs/*; do [ -f "$log" ] && { echo "== $log"; tail -n 20 "$log"; }; done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*"
  exit 1
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${seconds} s waiting for $what"
    sleep 0.1
  done
}

# --- munge and Slurm with a throwaway configuration ---------------------------------------------------------
mungekey --create --keyfile="$work/munge.key" > /dev/null
chmod 400 "$work/munge.key"
munged --foreground --force --key-file="$work/munge.key" --socket="$work/munge.socket" \
  --pid-file="$work/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munged.seed" \
  > "$work/munged.stderr.log" 2>&1 &
daemons+=($!)
wait_until 10 "munged's socket" test -S "$work/munge.socket"

host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/state" "$work/spool" "$work/logs"
export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" << CONF
ClusterName=penumbra-test
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$work/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
KillWait=10
MinJobAge=600
$(slurmd -C | head -n 1)
PartitionName=penumbra Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -c -f "$SLURM_CONF" > "$work/slurmctld.stderr.log" 2>&1 &
daemons+=($!)
slurmd -D -f "$SLURM_CONF" > "$work/slurmd.stderr.log" 2>&1 &
daemons+=($!)
node_idle() { [ "$(sinfo -h -N -p penumbra -o %t 2> /dev/null)" = "idle" ]; }
wait_until 60 "the node to come up idle (see slurmctld.log, slurmd.log)" node_idle

# --- 8 fits; job 5 (task 1's second) is long enough to be cancelled while it runs -------------------------
mkdir -p "$work/cluster" "$work/local"
printf 'v -1 -1 -1\nv 1 -1 -1\nv 1 1 -1\nv -1 1 -1\nv -1 -1 1\nv 1 -1 1\nv 1 1 1\nv -1 1 1\n' > "$work/cluster/box.obj"
printf 'f 1 3 2\nf 1 4 3\nf 5 6 7\nf 5 7 8\nf 1 2 6\nf 1 6 5\nf 2 3 7\nf 2 7 6\nf 3 4 8\nf 3 8 7\nf 4 1 5\nf 4 5 8\n' \
  >> "$work/cluster/box.obj"
python3 - "$work/cluster/jobs.json" << 'PY'
import json, sys
jobs = [{"target-mesh": "box.obj", "template": "icosphere:1", "size": "16", "views": 4, "held-out": 2,
         "iters": 400 if i == 5 else 30, "checkpoint-every": 5, "seed": i + 1, "out": f"runs/job{i}"}
        for i in range(8)]
json.dump(jobs, open(sys.argv[1], "w"), indent=1)
PY
cp "$work/cluster/box.obj" "$work/cluster/jobs.json" "$work/local/"

submit() {
  PENUMBRA=$penumbra sbatch --parsable --cpus-per-task=1 --mem-per-cpu=100M --time=10 --chdir="$work" \
    --output="$work/logs/%A_%a.out" "$@"
}
array_done() { [ -z "$(squeue -h -j "$1" 2> /dev/null)" ]; }
runs=$work/cluster/runs

array=$(submit --array=0-3 "$source_dir/scripts/slurm/fit-array.sbatch" "$work/cluster/jobs.json")
half_way() { [ -f "$runs/job1/result.obj" ] && [ -f "$runs/job5/checkpoint.bin" ]; }
wait_until 90 "task 1 to finish job 1 and checkpoint job 5" half_way
scancel "${array}_1"
wait_until 90 "the array to end" array_done "$array"
[ -f "$runs/job5/result.obj" ] && fail "job 5 finished before its task was cancelled; nothing was left to resume"
job1_result=$(stat -c %y "$runs/job1/result.obj")

resubmitted=$(submit --array=1 "$source_dir/scripts/slurm/fit-array.sbatch" "$work/cluster/jobs.json" --shard 1/4)
wait_until 120 "the resubmitted task to end" array_done "$resubmitted"
[ "$(stat -c %y "$runs/job1/result.obj")" = "$job1_result" ] || fail "job 1 was run again after it had finished"

"$penumbra" batch-summary "$work/cluster" > "$work/logs/merge.txt" || fail "batch-summary: $(cat "$work/logs/merge.txt")"
"$penumbra" fit --batch "$work/local/jobs.json" --jobs 2 --quiet > /dev/null || fail "the local batch failed"

python3 - "$work" << 'PY' || fail "the cluster's results differ from the local run's (above)"
import json, sys
work = sys.argv[1]
merged = json.load(open(f"{work}/cluster/batch-summary.json"))["jobs"]
local = json.load(open(f"{work}/local/summary-0-of-1.json"))["jobs"]
task1 = {row["job"]: row for row in json.load(open(f"{work}/cluster/summary-1-of-4.json"))["jobs"]}
problems = []
if [row["job"] for row in merged] != list(range(8)):
    problems.append(f"jobs in the merged summary: {[row['job'] for row in merged]}")
if task1.get(1, {}).get("run") != "skipped":
    problems.append(f"job 1 after the resubmission: {task1.get(1)} (expected skipped)")
if task1.get(5, {}).get("run") != "resumed":
    problems.append(f"job 5 after the resubmission: {task1.get(5)} (expected resumed)")
drop = lambda row: {k: v for k, v in row.items() if k not in ("out", "seconds", "run")}
for cluster_row, local_row in zip(merged, local):
    if drop(cluster_row) != drop(local_row):
        problems.append(f"cluster {cluster_row} != local {local_row}")
for i in range(8):
    if open(f"{work}/cluster/runs/job{i}/result.obj", "rb").read() != open(f"{work}/local/runs/job{i}/result.obj", "rb").read():
        problems.append(f"job {i}: result.obj differs")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
echo "Slurm array of 4 tasks over 8 fits: every job done once, one task cancelled and resumed, results as local"
