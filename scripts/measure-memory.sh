#!/usr/bin/env bash
# Memory and launch time of the real `station app` in a window (Xvfb, Mesa's software OpenGL),
# against the app's goals: RSS with 10,000 queued records ≤ 150 MB, launch to the
# sign-in screen ≤ 1 s.
#
# Fills (once) an empty station and one with 10,000 sealed records queued, the central stopped, with
# the app_memory bench (APP_MEMORY_DIR keeps them), then for each: launches the release app, reads
# the launch time from its log ("first screen shown", launch_to_sign_in_ms), signs in (xdotool),
# shows home then the queue (F3) and reads VmRSS / VmHWM from /proc/PID/status at each screen.
#
# Needs (Debian): xvfb xauth libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libgl1-mesa-dri xdotool
# Usage: scripts/measure-memory.sh [DATA_DIR]   (default /tmp/station-memory; kept for reuse)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/station-memory}
cargo build -q --release -p station --bin station
BIN=target/release/station
[[ -n "${MEASURE_SKIP_BENCH:-}" ]] || APP_MEMORY_DIR="$DIR" cargo bench -q -p station --bench app_memory

N=${MEASURE_DISPLAY:-}
if [[ -z "$N" ]]; then
    for N in $(seq 131 170); do [[ -e /tmp/.X11-unix/X$N || -e /tmp/.X$N-lock ]] || break; done
fi
Xvfb ":$N" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
APP=""
cleanup() {
    [[ -n "$APP" ]] && kill "$APP" 2>/dev/null && wait "$APP" 2>/dev/null || true
    kill "$XVFB" 2>/dev/null || true
}
trap cleanup EXIT
export DISPLAY=":$N"
sleep 1

mem() { awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

printf '%-22s %10s %14s %12s %12s %12s\n' station launch_ms "RSS sign-in MB" "RSS home MB" "RSS queue MB" "VmHWM MB"
for station in empty queued; do
    LOG=$(mktemp)
    RUST_LOG=station=info,warn "$BIN" app --config "$DIR/$station/station.toml" >"$LOG" 2>&1 &
    APP=$!
    WIN=$(xdotool search --sync --name '^Dispositif de recueil$' | head -n1)
    for _ in $(seq 100); do grep -q 'first screen shown' "$LOG" && break; sleep 0.1; done
    # The log is coloured: strip the escapes before reading the field.
    LAUNCH=$(sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -o 'launch_to_sign_in_ms=[0-9]*' | head -n1 | cut -d= -f2 || true)
    sleep 2
    SIGN_IN=$(mem "$APP" VmRSS)
    xdotool windowfocus --sync "$WIN" 2>/dev/null || true
    xdotool type --delay 60 chef; xdotool key Return; sleep 0.5
    xdotool type --delay 60 1234-abcd; xdotool key Return
    sleep 4
    HOME_RSS=$(mem "$APP" VmRSS)
    xdotool key F3
    sleep 4
    QUEUE_RSS=$(mem "$APP" VmRSS)
    HWM=$(mem "$APP" VmHWM)
    if [[ -n "${MEASURE_SHOTS:-}" ]] && command -v import >/dev/null; then
        import -window "$WIN" "$MEASURE_SHOTS/memory-$station-queue.png"
    fi
    printf '%-22s %10s %14s %12s %12s %12s\n' "$station" "${LAUNCH:-?}" "$SIGN_IN" "$HOME_RSS" "$QUEUE_RSS" "$HWM"
    kill "$APP"; wait "$APP" 2>/dev/null || true
    APP=""
    rm -f "$LOG"
done
