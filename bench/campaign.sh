#!/bin/sh
# bench/campaign.sh - bench_campaign at several sizes, two builds side by side.
#
#   sh bench/campaign.sh NEW_BINARY [OLD_BINARY] [RUNS] [SIZES]
#
# Runs each size RUNS times (default 3), alternating the two binaries when
# an old one is given (a build of an earlier commit with this program
# copied in, for before/after figures), and prints per binary and size the
# median deliveries per second (real time), CPU per delivery, peak resident
# memory, then the marginal memory per delivery between 10k and 100k
# deliveries (the slope of peak RSS).  SIZES defaults to "1000 10000
# 100000"; R is 1 and 100 recipients per message.  The machine's load
# (uptime) is printed first and last: on a shared machine compare ratios,
# and CPU per delivery rather than real time.
set -eu

new="$1"
old="${2:-}"
runs="${3:-3}"
sizes="${4:-1000 10000 100000}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

echo "load before: $(uptime)"
for rcpts in 1 100; do
  for n in $sizes; do
    i=0
    while [ "$i" -lt "$runs" ]; do
      for which in new old; do
        if [ "$which" = new ]; then bin="$new"; else bin="$old"; fi
        [ -n "$bin" ] || continue
        # "bench_campaign N=... R=...: D deliveries in S s = X /s, CPU C us/delivery, peak RSS M MiB ..."
        "$bin" "$n" "$rcpts" | awk -v w="$which" -v n="$n" -v r="$rcpts" \
          '{ for (k = 1; k <= NF; k++) { if ($k == "/s,") rate = $(k-1); if ($k == "us/delivery,") cpu = $(k-1);
                                          if ($k == "MiB") rss = $(k-1) }
             print w, r, n, rate, cpu, rss }' >> "$out"
      done
      i=$((i + 1))
    done
  done
done
echo "load after:  $(uptime)"

printf '%-4s %4s %8s %14s %16s %12s\n' build R N "deliveries/s" "CPU us/delivery" "peak RSS MiB"
awk '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { key = $1 " " $2 " " $3; rate[key] = rate[key] " " $4; cpu[key] = cpu[key] " " $5; rss[key] = rss[key] " " $6
    if (!(key in seen)) { seen[key] = 1; order[++count] = key } }
  END {
    for (i = 1; i <= count; i++) {
      k = order[i]; split(k, f, " ")
      m = median(rss[k]); mem[k] = m
      printf "%-4s %4s %8s %14.0f %16.2f %12.1f\n", f[1], f[2], f[3], median(rate[k]), median(cpu[k]), m
    }
    for (i = 1; i <= count; i++) {
      k = order[i]; split(k, f, " ")
      if (f[3] != 100000) continue
      small = f[1] " " f[2] " 10000"
      if (small in mem)
        printf "%s R=%s: marginal resident memory %.0f bytes per delivery (10k to 100k)\n", f[1], f[2],
               (mem[k] - mem[small]) * 1048576 / 90000
    }
  }' "$out"
