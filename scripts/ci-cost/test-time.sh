#!/usr/bin/env bash
# What each test costs, for README "Test and CI speed": a target runner for cargo-nextest that runs
# each test's process under /usr/bin/time and appends one line to $TEST_TIME_LOG:
#   binary  test  user-s  sys-s  wall-s
# A test whose wall time is far above its CPU time waits (line time, timeouts, retries) rather
# than computes; the simulators and the central run as threads of the test's process, and the
# commands it runs are its children, so their CPU is counted too.
#   CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER=$PWD/scripts/ci-cost/test-time.sh \
#     TEST_TIME_LOG=$PWD/test-time.log cargo nextest run --workspace --tests
#   awk '{print $5-($3+$4), $3+$4, $5, $2}' test-time.log | sort -rn | head -30
set -u
binary="$1"
shift
test=
prev=
for a in "$@"; do
  # nextest lists each binary's tests through the runner too: not a test run.
  case "$a" in --list) exec "$binary" "$@" ;; esac
  case "$prev" in --exact) test=$a ;; esac
  prev=$a
done
times=$(mktemp)
/usr/bin/time -f "%U %S %e" -o "$times" "$binary" "$@"
status=$?
echo "$(basename "$binary") $test $(tail -n 1 "$times")" >>"${TEST_TIME_LOG:?set TEST_TIME_LOG to the log file}"
rm -f "$times"
exit $status
