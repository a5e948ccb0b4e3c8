#!/bin/sh
# A sweep in shards with GNU parallel (Debian package `parallel`): 8 shards,
# as many at once as there are cores (add -S host1,host2 to spread them over
# machines that have mailsim and the scenario), then one merged summary.
#
#   sh examples/sweep/parallel.sh scenarios/backup-mx.json 1..10000
set -eu
scenario=${1:?usage: parallel.sh SCENARIO.json [SEEDS]}
seeds=${2:-1..10000}
out=$(mktemp -d)
parallel --will-cite mailsim sweep "$scenario" --seeds "$seeds" --faults random \
  --shard {}/8 --out "$out/shard{}.jsonl" ::: 1 2 3 4 5 6 7 8 > "$out/log" || true
mailsim sweep --merge "$out"/shard*.jsonl
