#!/bin/sh
# package_deb.sh BUILD WORK - `cpack -G DEB` for BUILD into WORK, then the
# .deb's control fields (dpkg-deb -f) and files (dpkg-deb -c) checked.
set -eu
build="$1" work="$2"
rm -rf "$work"
mkdir -p "$work"
(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log") || { cat "$work/cpack.log" >&2; exit 1; }
deb=$(ls "$work"/mailsim_*.deb)
fail=0
want_field() {  # want_field FIELD TEXT
  got=$(dpkg-deb -f "$deb" "$1")
  case "$got" in
    *"$2"*) ;;
    *) echo "$1: '$got' lacks '$2'" >&2; fail=1 ;;
  esac
}
want_field Package mailsim
want_field Version "$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
want_field Maintainer "$(sed -n 's/^MAILSIM_DEB_MAINTAINER:STRING=//p' "$build/CMakeCache.txt")"
want_field Depends libssl3
want_field Depends libfmt9
want_field Depends libpsl5
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/files"
for f in ./usr/bin/mailsim ./usr/include/mailsim/mailsim.hpp ./usr/lib/libmailsim.a \
         ./usr/lib/mailsim/libmailsim_scenario.a ./usr/lib/cmake/mailsim/mailsimConfig.cmake \
         ./usr/lib/cmake/mailsim/mailsimConfigVersion.cmake ./usr/lib/cmake/mailsim/mailsimTargets.cmake; do
  grep -qx "$f" "$work/files" || { echo "missing from the .deb: $f" >&2; fail=1; }
done
exit $fail
