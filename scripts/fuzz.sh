#!/usr/bin/env bash
# Builds the fuzz targets (fuzz/, cargo-fuzz and libFuzzer) and runs each for MINUTES, one after
# the other, then prints per target the executions, the seconds run and whether it crashed.
#
#   scripts/fuzz.sh [MINUTES=10] [TARGET...]
#
# Needs `cargo install cargo-fuzz`. libFuzzer's flags are nightly-only: RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept them. Each target starts from the committed seeds (fuzz/corpus/TARGET,
# never written to) and grows its own corpus in fuzz/work/TARGET (ignored by git, kept between runs
# so the next run starts where this one stopped). A crash is saved in fuzz/artifacts/TARGET/ and
# the log of each run in fuzz/work/TARGET.log; docs/fuzzing.md says what to do with a crash.
#
# Environment: FUZZ_JOBS (default 1) targets run at once; FUZZ_RSS_MB (default 1024) the memory
# over which an input counts as a crash (our parsers must refuse a size before allocating for
# it); FUZZ_TIMEOUT (default 10) the seconds one input may take.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

minutes="${1:-10}"
shift || true
jobs="${FUZZ_JOBS:-1}"
rss_mb="${FUZZ_RSS_MB:-1024}"
timeout_s="${FUZZ_TIMEOUT:-10}"
export RUSTC_BOOTSTRAP=1

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

# Without a sanitizer: the project's code has no `unsafe` (the workspace denies it), so
# AddressSanitizer would mostly halve the executions; panics, overflows (checked in this build),
# timeouts and memory over FUZZ_RSS_MB are what we look for.
if [ "$#" -gt 0 ]; then
    for target in "${targets[@]}"; do
        cargo fuzz build --sanitizer none "$target"
    done
else
    cargo fuzz build --sanitizer none
fi
bin_dir="target/x86_64-unknown-linux-gnu/release"

run_one() {
    local target="$1"
    local log="work/$target.log"
    mkdir -p "work/$target" "artifacts/$target"
    local dict=()
    if [ -f "dict/$target.dict" ]; then
        dict=("-dict=dict/$target.dict")
    fi
    local started ended status
    started="$(date +%s)"
    # Crashes of earlier runs stay in artifacts/ until someone deals with them: count this run's.
    touch "work/$target.started"
    set +e
    "$bin_dir/$target" "work/$target" "corpus/$target" \
        "${dict[@]}" \
        -max_total_time="$((minutes * 60))" \
        -rss_limit_mb="$rss_mb" \
        -timeout="$timeout_s" \
        -artifact_prefix="artifacts/$target/" \
        -print_final_stats=1 >"$log" 2>&1
    status=$?
    set -e
    ended="$(date +%s)"
    local executions crashes
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    crashes=0
    if [ "$status" -ne 0 ]; then
        crashes="$(find "artifacts/$target" -type f -newer "work/$target.started" | wc -l)"
        # A crash that left no artifact (the fuzzer itself failed) still counts.
        [ "$crashes" -gt 0 ] || crashes=1
    fi
    printf '%-16s executions=%-10s seconds=%-6s crashes=%s\n' \
        "$target" "${executions:-?}" "$((ended - started))" "$crashes" >>"work/summary.txt"
}

mkdir -p work
: >"work/summary.txt"
running=0
for target in "${targets[@]}"; do
    run_one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

echo "fuzzing, ${minutes} min per target (logs in fuzz/work/, crashes in fuzz/artifacts/):"
sort "work/summary.txt"
if grep -q 'crashes=[1-9]' "work/summary.txt"; then
    exit 1
fi
