#!/bin/sh
# Determinism guard: no code outside sim/core/ reads a real clock or an
# unseeded random source (overview.md, "Determinism").  Exit 1 listing the
# offending lines.
root="${1:-.}"
pattern='system_clock|steady_clock|high_resolution_clock|random_device|[^_a-z]s?rand\(|gettimeofday|clock_gettime|[^_a-z:.]time\(NULL\)|[^_a-z:.]time\(nullptr\)|[^_a-z:.]time\(0\)'
hits=$(grep -rnE "$pattern" "$root/sim" "$root/fake_dns" "$root/bench" --include='*.cpp' --include='*.hpp' \
  | grep -v "^$root/sim/core/" || true)
if [ -n "$hits" ]; then
  echo "real clock or unseeded randomness outside sim/core/:"
  echo "$hits"
  exit 1
fi
echo "determinism guard: no real clock or unseeded randomness outside sim/core/"
