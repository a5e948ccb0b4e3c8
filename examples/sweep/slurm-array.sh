#!/bin/sh
# A 100,000-seed sweep of one scenario as a Slurm job array: 50 tasks, one
# shard each (--shard K/N takes K from 1, so task ids run 1-50).
#
#   sbatch examples/sweep/slurm-array.sh scenarios/backup-mx.json
#   # when the array is done:
#   mailsim sweep --merge results/backup-mx.*.jsonl
#
# The merge prints every failed seed's replay command and ends with
# "N seeds, N failed"; its exit status is 1 if any seed failed.
#SBATCH --job-name=mailsim-sweep
#SBATCH --array=1-50
#SBATCH --cpus-per-task=2
#SBATCH --time=00:30:00
#SBATCH --output=results/slurm-%A_%a.log
set -eu
scenario=${1:?usage: sbatch slurm-array.sh SCENARIO.json}
name=$(basename "$scenario" .json)
mkdir -p results
exec mailsim sweep "$scenario" --seeds 1..100000 --faults random \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "results/${name}.${SLURM_ARRAY_TASK_ID}.jsonl"
