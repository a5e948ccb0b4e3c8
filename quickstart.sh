#!/bin/sh
# quickstart.sh - the README's two commands.
#
#   ./quickstart.sh tour   install what is missing, build (Release), run scenarios/tour.json
#   ./quickstart.sh test   install what is missing, build, run every test (ctest)
#   ./quickstart.sh asan   the test suite once more under AddressSanitizer + UBSan (CI)
#   ./quickstart.sh fuzz   build the libFuzzer targets with clang (build-fuzz/) and run each
#                          for FUZZ_SECONDS (default 20; about 5 minutes on 2 cores), print
#                          exec/s and edges per target, fail on any crash (CI)
#
# Works as root on a fresh Debian 12 machine; uses Debian packages only.
set -eu
cd "$(dirname "$0")"

PACKAGES="cmake g++ make libboost1.81-dev nlohmann-json3-dev catch2 libfmt-dev libssl-dev libpsl-dev libjemalloc-dev python3 python3-dkim swaks libnet-ssleay-perl openssl dnsutils curl chromium-headless-shell parallel postfix"
# quickstart.sh fuzz only: Debian's clang and its libFuzzer/sanitizer runtimes.
FUZZ_PACKAGES="clang libclang-rt-14-dev"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

install_missing() {  # install_missing [more packages...]
  missing=""
  for p in $PACKAGES "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix (the real MTA of the `mailsim world` tests) without its
    # configuration dialogue; the tests give it a configuration of their own.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
}

build() {  # build DIR [cmake options...] (Release unless the options say otherwise)
  dir="$1"
  shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

case "${1:-}" in
  tour)
    install_missing
    build build -DMAILSIM_TESTS=OFF -DMAILSIM_BENCH=OFF
    exec ./build/sim/cli/mailsim run scenarios/tour.json
    ;;
  test)
    install_missing
    build build -DMAILSIM_TESTS=ON -DMAILSIM_BENCH=ON
    cd build && exec ctest --output-on-failure -j "$JOBS"
    ;;
  asan)
    install_missing
    # Build type None: the flags are MAILSIM_SANITIZE's own (-O1, unused sections
    # dropped; CMakeLists.txt).
    build build-asan -DCMAKE_BUILD_TYPE=None -DMAILSIM_SANITIZE=ON -DMAILSIM_TESTS=ON -DMAILSIM_BENCH=OFF
    cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 exec ctest --output-on-failure -j "$JOBS"
    ;;
  fuzz)
    # shellcheck disable=SC2086
    install_missing $FUZZ_PACKAGES
    # clang, build type None (-O2 and sanitizers come from MAILSIM_FUZZ), only the
    # sans-I/O libraries and the fuzz targets.
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=None -DMAILSIM_FUZZ=ON \
      -DMAILSIM_TESTS=OFF -DMAILSIM_BENCH=OFF >/dev/null
    cmake --build build-fuzz -j "$JOBS" --target fuzz
    FUZZ_JOBS="${FUZZ_JOBS:-$JOBS}" exec sh tests/fuzz/run.sh build-fuzz
    ;;
  *)
    echo "usage: ./quickstart.sh tour|test|asan|fuzz" >&2
    exit 2
    ;;
esac
