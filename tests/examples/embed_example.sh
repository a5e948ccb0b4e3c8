#!/bin/sh
# embed_example.sh BUILD EXAMPLE WORK CXX [LAUNCHER] - install BUILD into
# WORK/prefix (cmake --install: copies what is built, builds nothing),
# configure EXAMPLE against that prefix with compiler CXX (and the build's
# compiler launcher, ccache, when it has one), build it, run its tests.
# WORK is kept between runs so that only what changed is copied and rebuilt.
set -eu
build="$1" example="$2" work="$3" cxx="$4" launcher="${5:-}"
mkdir -p "$work"
# The development component: libraries, header, package (not the program).
cmake --install "$build" --prefix "$work/prefix" --component development >"$work/install.log"
# Only this prefix: not the package registry, not an installed .deb under /usr first.
cmake -S "$example" -B "$work/build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/configure.log"
found=$(sed -n 's/^mailsim_DIR:PATH=//p' "$work/build/CMakeCache.txt")
if [ "$found" != "$work/prefix/lib/cmake/mailsim" ]; then
  echo "find_package(mailsim) found '$found', not the prefix's package" >&2
  exit 1
fi
cmake --build "$work/build" -j 2 >"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
ctest --test-dir "$work/build" --output-on-failure
