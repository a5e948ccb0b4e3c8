#!/bin/sh
# tests/fuzz/run.sh - runs every fuzz target of a MAILSIM_FUZZ build for a bounded time.
#
#   sh tests/fuzz/run.sh BUILD_DIR            all targets (quickstart.sh fuzz calls this)
#   sh tests/fuzz/run.sh BUILD_DIR TARGET...  only these
#
# Environment: FUZZ_SECONDS per target (default 20), FUZZ_JOBS targets at a
# time (default: the number of processors).  Each target starts from its seed
# corpus (tests/fuzz/corpus/<target>/), its regressions and what earlier runs
# in this build folder found (BUILD_DIR/fuzz-corpus/<target>/), with its
# protocol's dictionary.  Logs go to BUILD_DIR/fuzz-logs/, crashing inputs to
# BUILD_DIR/fuzz-crashes/.  Prints one line per target (executions per second,
# edges covered, corpus size) and exits 1 if any target crashed, saying how to
# keep the input as a regression.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

# The dictionary of a target, from its name.
dict_of() {
  case "$1" in
    smtp_*) echo smtp ;;
    pop3_*) echo pop3 ;;
    imap_*) echo imap ;;
    dns_*) echo dns ;;
    message_*) echo mime ;;
    spf_*) echo spf ;;
    dkim_* | dmarc_* | auth_*) echo dkim ;;
    scenario_*) echo scenario ;;
    *) echo "" ;;
  esac
}

# One target: run it, write BUILD_DIR/fuzz-logs/<target>.{log,status}.
run_one() {
  build="$1"
  target="$2"
  work="$build/fuzz-corpus/$target"
  mkdir -p "$work" "$build/fuzz-crashes" "$build/fuzz-logs"
  rm -f "$build/fuzz-crashes/$target"-*  # what an earlier run found is in its log, not this one's
  set -- "$build/tests/fuzz/fuzz_$target" -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/fuzz-crashes/$target-" "$work" "$here/corpus/$target"
  dict=$(dict_of "$target")
  if [ -n "$dict" ]; then set -- "$@" -dict="$here/dict/$dict.dict"; fi
  if [ -d "$here/regressions/$target" ]; then set -- "$@" "$here/regressions/$target"; fi
  status=0
  "$@" >"$build/fuzz-logs/$target.log" 2>&1 || status=$?
  echo "$status" >"$build/fuzz-logs/$target.status"
}

if [ "${1:-}" = "--one" ]; then
  run_one "$2" "$3"
  exit 0
fi

if [ $# -lt 1 ]; then
  echo "usage: sh tests/fuzz/run.sh BUILD_DIR [TARGET...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
shift
if [ $# -gt 0 ]; then targets="$*"; else targets=$(cat "$build/tests/fuzz/targets.txt"); fi
jobs="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"

rm -f "$build"/fuzz-logs/*.status
start=$(date +%s)
# shellcheck disable=SC2086
printf '%s\n' $targets | xargs -P "$jobs" -I{} sh "$here/run.sh" --one "$build" {}
elapsed=$(( $(date +%s) - start ))

printf '\n%-24s %10s %8s %8s  %s\n' target "exec/s" edges corpus result
failed=""
for target in $targets; do
  log="$build/fuzz-logs/$target.log"
  status=$(cat "$build/fuzz-logs/$target.status" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  edges=$(grep -aoE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
  corpus=$(grep -aoE 'corp: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
  result=ok
  if [ "$status" != 0 ]; then
    result=CRASH
    failed="$failed $target"
  fi
  printf '%-24s %10s %8s %8s  %s\n' "$target" "${execs:--}" "${edges:--}" "${corpus:--}" "$result"
done
echo "fuzzing took ${elapsed}s (${FUZZ_SECONDS:-20}s per target, $jobs at a time)"

if [ -n "$failed" ]; then
  echo
  for target in $failed; do
    echo "$target crashed; its log: $build/fuzz-logs/$target.log"
    grep -aE 'fuzz invariant broken|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' \
      "$build/fuzz-logs/$target.log" | head -n 3 | sed 's/^/  /'
    for input in "$build"/fuzz-crashes/"$target"-*; do
      [ -e "$input" ] || continue
      echo "  input: $input"
      echo "  replay: $build/tests/fuzz/fuzz_$target $input"
      echo "  keep it: mkdir -p tests/fuzz/regressions/$target && cp $input tests/fuzz/regressions/$target/<what-it-shows>"
    done
  done
  echo "Fix the bug, add the input under tests/fuzz/regressions/<target>/ (ctest replays it), and commit both."
  exit 1
fi
