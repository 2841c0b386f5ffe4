#!/usr/bin/env bash
# The scale measurement of docs/cluster.md: 64 small fits (icosphere:2 template -> 8 meshes of Debian's
# assimp-testmodels, 32x32, 100 steps), once as a local `fit --batch --jobs 2` and once as a 4-task Slurm array on
# a throwaway single-node cluster (scripts/slurm/single-node-cluster.sh; needs root, slurm-wlm and munge), then
# the same array again with every job finished, which is the scheduler path alone. Prints wall and CPU seconds.
# Usage (from the repository root): examples/slurm_scale.sh PENUMBRA_BINARY OUT_FOLDER
set -euo pipefail
penumbra=$(realpath "${1:?path to the penumbra binary}")
out=$(realpath -m "${2:?output folder}")
source scripts/slurm/single-node-cluster.sh
reason=$(cluster_unavailable)
[ -z "$reason" ] || { echo "cannot measure on Slurm: $reason" >&2; exit 2; }
models=/usr/share/assimp/models
[ -d "$models" ] || { echo "$models is missing; scripts/setup installs assimp-testmodels" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out/local" "$out/cluster" "$out/logs"

python3 - "$models" "$out/local/jobs.json" << 'PY'
import json, sys
meshes = ["OFF/Cube.off", "OFF/Wuson.off", "STL/Spider_ascii.stl", "STL/sphereWithHole.stl", "OBJ/spider.obj",
          "OBJ/WusonOBJ.obj", "OBJ/regr01.obj", "STL/3DSMaxExport.STL"]
jobs = [{"target-mesh": f"{sys.argv[1]}/{meshes[i % 8]}", "template": "icosphere:2", "size": "32", "views": 8,
         "held-out": 4, "iters": 100, "checkpoint-every": 50, "seed": i + 1, "out": f"runs/job{i:02d}"}
        for i in range(64)]
json.dump(jobs, open(sys.argv[2], "w"), indent=1)
PY
cp "$out/local/jobs.json" "$out/cluster/"

TIMEFORMAT="%R %U %S"
echo "local: fit --batch --jobs 2 (wall, user, system seconds)"
{ time "$penumbra" fit --batch "$out/local/jobs.json" --jobs 2 --quiet > "$out/logs/local.txt"; } 2>&1

# task/none binds no CPUs, so each task could see every CPU of the node: --threads 1 holds it to its one CPU, as a
# binding cluster (task/affinity, task/cgroup) does through the CPU affinity. Each array task runs penumbra
# through this wrapper, which appends its wall, user and system seconds.
cat > "$out/timed-penumbra" << WRAP
#!/usr/bin/env bash
TIMEFORMAT="%R %U %S"
{ time "$penumbra" "\$@" 2> "$out/logs/task-stderr.\$SLURM_ARRAY_TASK_ID.txt"; } 2>> "$out/logs/task-times.txt"
WRAP
chmod +x "$out/timed-penumbra"

trap cluster_stop EXIT
cluster_start "$out/daemons"
run_array() {
  local label=$1 started array
  : > "$out/logs/task-times.txt"
  started=$(date +%s.%N)
  array=$(PENUMBRA=$out/timed-penumbra sbatch --parsable --array=0-3 --cpus-per-task=1 --mem-per-cpu=200M \
    --time=30 --chdir="$out" --output="$out/logs/%A_%a.out" scripts/slurm/fit-array.sbatch "$out/cluster/jobs.json" \
    --threads 1)
  cluster_wait 1800 cluster_job_gone "$array"
  python3 - "$label" "$started" "$(date +%s.%N)" "$out/logs/task-times.txt" << 'PY'
import sys
label, started, ended, times = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
rows = [list(map(float, line.split())) for line in open(times) if line.strip()]
print(f"{label}: wall {ended - started:.1f} s from sbatch to the last task's end; {len(rows)} tasks, "
      f"task wall {sum(r[0] for r in rows):.1f} s, user {sum(r[1] for r in rows):.1f} s, "
      f"system {sum(r[2] for r in rows):.1f} s")
PY
}
run_array "cluster: 4-task array, 2 CPUs"
run_array "cluster again, every job finished (the scheduler path alone)"
"$penumbra" batch-summary "$out/cluster" > "$out/logs/merge.txt"
tail -n 2 "$out/logs/merge.txt"
