#!/bin/sh
# bench/campaign_100k.sh - the 100,000-recipient campaign of issue 18:
# `mailsim run bench/campaign-100k.json --quiet`, timed by GNU time.
#
#   sh bench/campaign_100k.sh [MAILSIM] [RUNS] [SCENARIO]
#
# SCENARIO defaults to bench/campaign-100k.json; bench/campaign-100k-engaged.json
# is the same campaign with readers (engagement).
# Prints per run the wall time, the CPU time (user + system), the peak
# resident memory and deliveries per second of wall time and of CPU time
# (98,500 deliveries: 100,000 recipients less 1% unknown and 0.5% full),
# then the load average: on a shared machine the CPU figures are the ones
# to compare.  Needs /usr/bin/time (Debian package `time`).
set -eu
bin="${1:-build/sim/cli/mailsim}"
runs="${2:-3}"
here="$(dirname "$0")"
scenario="${3:-$here/campaign-100k.json}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
echo "load before: $(uptime)"
i=0
while [ "$i" -lt "$runs" ]; do
  /usr/bin/time -f '%e %U %S %M' -o "$out" "$bin" run "$scenario" --quiet > /dev/null
  read -r wall user sys rss < "$out"
  awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
    printf "wall %.2f s, CPU %.2f s, peak RSS %.0f MiB, %.0f deliveries/s of wall time, %.0f of CPU time\n",
           w, u + s, r / 1024, 98500 / w, 98500 / (u + s) }'
  i=$((i + 1))
done
echo "load after: $(uptime)"
