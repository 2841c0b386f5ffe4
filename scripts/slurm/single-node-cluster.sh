# A throwaway single-node Slurm cluster on this machine, for tests and measurements: munged, slurmctld and
# slurmd from Debian's munge and slurm-wlm (scripts/setup installs them), configured in a folder of their own,
# run as root without systemd (proctrack/linuxproc, task/none), on the loopback address so that no name has to
# resolve. Source this file, then:
#   cluster_start FOLDER    starts the daemons (their ids in CLUSTER_DAEMONS), exports SLURM_CONF, waits for the
#                           node; partition "penumbra" holds this machine with its real name and CPU count
#   cluster_stop            cancels the partition's jobs, stops the daemons by their ids (newest first)
# cluster_unavailable prints why the daemons cannot run here, or nothing.

cluster_unavailable() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "the Slurm daemons run as root here; this user is $(id -un)"
    return
  fi
  local tool
  for tool in munged mungekey slurmctld slurmd sbatch squeue scancel sinfo; do
    command -v "$tool" > /dev/null || {
      echo "$tool is missing; scripts/setup installs slurm-wlm and munge"
      return
    }
  done
}

CLUSTER_DAEMONS=()

# cluster_wait SECONDS COMMAND...: polls COMMAND every 0.1 s; status 1 on timeout.
cluster_wait() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

cluster_start() {
  local folder=$1
  mkdir -p "$folder/state" "$folder/spool"
  mungekey --create --keyfile="$folder/munge.key" > /dev/null
  chmod 400 "$folder/munge.key"
  munged --foreground --force --key-file="$folder/munge.key" --socket="$folder/munge.socket" \
    --pid-file="$folder/munged.pid" --log-file="$folder/munged.log" --seed-file="$folder/munged.seed" \
    > "$folder/munged.stderr.log" 2>&1 &
  CLUSTER_DAEMONS+=($!)
  cluster_wait 10 test -S "$folder/munge.socket" || {
    echo "munged did not start (see $folder/munged.log)" >&2
    return 1
  }

  local host port
  host=$(hostname -s)
  port=$((20000 + RANDOM % 20000))
  export SLURM_CONF=$folder/slurm.conf
  cat > "$SLURM_CONF" << CONF
ClusterName=penumbra-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$folder/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$folder/state
SlurmdSpoolDir=$folder/spool
SlurmctldPidFile=$folder/slurmctld.pid
SlurmdPidFile=$folder/slurmd.pid
SlurmctldLogFile=$folder/slurmctld.log
SlurmdLogFile=$folder/slurmd.log
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
$(slurmd -C | head -n 1) NodeAddr=127.0.0.1
PartitionName=penumbra Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld -D -c -f "$SLURM_CONF" > "$folder/slurmctld.stderr.log" 2>&1 &
  CLUSTER_DAEMONS+=($!)
  slurmd -D -f "$SLURM_CONF" > "$folder/slurmd.stderr.log" 2>&1 &
  CLUSTER_DAEMONS+=($!)
  cluster_wait 60 cluster_node_idle || {
    echo "the node did not come up (see $folder/slurmctld.log and slurmd.log)" >&2
    return 1
  }
}

cluster_node_idle() { [ "$(sinfo -h -N -p penumbra -o %t 2> /dev/null)" = "idle" ]; }

# True once no job of the array (or job) $1 is pending or running.
cluster_job_gone() { [ -z "$(squeue -h -j "$1" 2> /dev/null)" ]; }

cluster_stop() {
  if [ -n "${SLURM_CONF:-}" ] && [ ${#CLUSTER_DAEMONS[@]} -gt 0 ]; then
    # Jobs first: their slurmstepd would outlive slurmd.
    scancel --quiet --full --partition=penumbra 2> /dev/null || true
    cluster_wait 20 eval '[ -z "$(squeue -h -p penumbra 2> /dev/null)" ]' || true
  fi
  local i
  for ((i = ${#CLUSTER_DAEMONS[@]} - 1; i >= 0; i--)); do kill "${CLUSTER_DAEMONS[i]}" 2> /dev/null || true; done
  for i in "${CLUSTER_DAEMONS[@]}"; do wait "$i" 2> /dev/null || true; done
  CLUSTER_DAEMONS=()
}
