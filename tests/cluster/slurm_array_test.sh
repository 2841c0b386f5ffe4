#!/usr/bin/env bash
# A single-node Slurm cluster on this machine (munged, slurmctld and slurmd from Debian's munge and slurm-wlm,
# with a throwaway configuration in a temporary folder) runs scripts/slurm/fit-array.sbatch as an array of 4
# tasks over 8 small fits. Task 1 is cancelled half-way and resubmitted: its finished job is skipped, its
# interrupted one resumes. The merged summary must list every job done exactly once, with the results of a
# local `fit --batch`. The daemons (scripts/slurm/single-node-cluster.sh) are stopped by their process ids and
# the folder removed, also on failure. Exit code 77 (skipped) where the daemons cannot run.
# Usage: slurm_array_test.sh PENUMBRA SOURCE_DIR
set -euo pipefail
penumbra=$1
source_dir=$2

source "$source_dir/scripts/slurm/single-node-cluster.sh"

reason=$(cluster_unavailable)
[ -z "$reason" ] || { echo "SKIPPED: $reason"; exit 77; }
command -v python3 > /dev/null || { echo "SKIPPED: python3 is missing"; exit 77; }

work=$(mktemp -d /tmp/penumbra-slurm.XXXXXX)
cleanup() {
  local status=$?
  cluster_stop
  if [ "$status" -ne 0 ]; then
    for log in "$work"/cluster-daemons/*.log "$work"/logs/*; do
      [ -f "$log" ] && { echo "== $log"; tail -n 20 "$log"; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

fail() {
  echo "FAILED: $*"
  exit 1
}

# wait_until SECONDS DESCRIPTION COMMAND...
wait_until() {
  local seconds=$1 what=$2
  shift 2
  cluster_wait "$seconds" "$@" || fail "timed out after ${seconds} s waiting for $what"
}

# Daemons that cannot start here (no permission to bind, a locked-down container) are this machine's limit, not
# Penumbra's: the test says so and skips.
if ! cluster_start "$work/cluster-daemons"; then
  echo "SKIPPED: the single-node Slurm cluster did not start here (its logs below)"
  exit 77
fi
mkdir -p "$work/logs"

# --- 8 fits; job 5 (task 1's second) runs long enough (about 6 CPU-seconds) to be cancelled while it runs ----
mkdir -p "$work/cluster" "$work/local"
printf 'v -1 -1 -1\nv 1 -1 -1\nv 1 1 -1\nv -1 1 -1\nv -1 -1 1\nv 1 -1 1\nv 1 1 1\nv -1 1 1\n' > "$work/cluster/box.obj"
printf 'f 1 3 2\nf 1 4 3\nf 5 6 7\nf 5 7 8\nf 1 2 6\nf 1 6 5\nf 2 3 7\nf 2 7 6\nf 3 4 8\nf 3 8 7\nf 4 1 5\nf 4 5 8\n' \
  >> "$work/cluster/box.obj"
python3 - "$work/cluster/jobs.json" << 'PY'
import json, sys
jobs = [{"target-mesh": "box.obj", "template": "icosphere:1", "size": "16", "views": 4, "held-out": 2,
         "iters": 800 if i == 5 else 30, "checkpoint-every": 5, "seed": i + 1, "out": f"runs/job{i}"}
        for i in range(8)]
json.dump(jobs, open(sys.argv[1], "w"), indent=1)
PY
cp "$work/cluster/box.obj" "$work/cluster/jobs.json" "$work/local/"

submit() {
  PENUMBRA=$penumbra sbatch --parsable --cpus-per-task=1 --mem-per-cpu=100M --time=10 --chdir="$work" \
    --output="$work/logs/%A_%a.out" "$@"
}
runs=$work/cluster/runs

array=$(submit --array=0-3 "$source_dir/scripts/slurm/fit-array.sbatch" "$work/cluster/jobs.json")
half_way() { [ -f "$runs/job1/result.obj" ] && [ -f "$runs/job5/checkpoint.bin" ]; }
wait_until 90 "task 1 to finish job 1 and checkpoint job 5" half_way
scancel "${array}_1"
wait_until 90 "the array to end" cluster_job_gone "$array"
[ -f "$runs/job5/result.obj" ] && fail "job 5 finished before its task was cancelled; nothing was left to resume"
job1_result=$(stat -c %y "$runs/job1/result.obj")

resubmitted=$(submit --array=1 "$source_dir/scripts/slurm/fit-array.sbatch" "$work/cluster/jobs.json" --shard 1/4)
wait_until 120 "the resubmitted task to end" cluster_job_gone "$resubmitted"
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
