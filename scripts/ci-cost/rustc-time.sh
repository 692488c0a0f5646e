#!/usr/bin/env bash
# What each crate costs to compile, for README "Test and CI speed": a RUSTC_WRAPPER that runs rustc
# under /usr/bin/time and appends one line per compilation to $RUSTC_TIME_LOG:
#   crate  kind  opt-level  user-s  sys-s  wall-s
# (kind: lib, proc-macro, bin, test for a test harness). CPU seconds, unlike wall time, are little
# changed by other work on the machine. Cargo rebuilds everything when the wrapper changes, so use
# a target directory of its own:
#   RUSTC_WRAPPER=$PWD/scripts/ci-cost/rustc-time.sh RUSTC_TIME_LOG=$PWD/rustc-time.log \
#     CARGO_INCREMENTAL=0 CARGO_TARGET_DIR=target-cost cargo test --no-run --workspace --tests
#   awk '{c[$1" "$3]+=$4+$5} END{for(k in c) print c[k], k}' rustc-time.log | sort -rn | head -40
set -u
rustc="$1"
shift
name=
kind=lib
opt=0
prev=
for a in "$@"; do
  case "$prev" in
    --crate-name) name=$a ;;
    --crate-type) kind=$a ;;
  esac
  case "$a" in
    --test) kind=test ;;
    opt-level=*) opt=${a#opt-level=} ;;
  esac
  prev=$a
done
# Queries (`rustc -vV`, `--print`) are not compilations.
if [ -z "$name" ]; then
  exec "$rustc" "$@"
fi
times=$(mktemp)
/usr/bin/time -f "%U %S %e" -o "$times" "$rustc" "$@"
status=$?
echo "$name $kind $opt $(tail -n 1 "$times")" >>"${RUSTC_TIME_LOG:?set RUSTC_TIME_LOG to the log file}"
rm -f "$times"
exit $status
