#!/usr/bin/env bash
# Screenshots of each screen of the station app, in French, from the real app under Xvfb: runs
# `station-demo` (paced simulators, so that the live capture can be seen), types and presses keys
# as a clerk would (xdotool), and captures each window (ImageMagick's `import`).
#
# Needs (Debian): xvfb xauth libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libgl1-mesa-dri
#                 imagemagick xdotool
# Usage: scripts/screenshots.sh [OUT_DIR]   (default docs/screenshots; STATION_BIN, DEMO_BIN to pick binaries)
# The clerk's window is taken at 1280×800 and at 1600×1000 (SIZE=WxH for one size only), each size
# in its own folder under OUT_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${SIZE:-}" ]]; then
    for size in 1280x800 1600x1000; do
        SIZE=$size "$0" "${1:-docs/screenshots}"
    done
    exit 0
fi
W=${SIZE%x*}
H=${SIZE#*x}
OUT=${1:-docs/screenshots}/$SIZE
mkdir -p "$OUT"
if [[ -z "${STATION_BIN:-}" || -z "${DEMO_BIN:-}" ]]; then
    cargo build -q -p station --bin station -p station-demo --bin station-demo
    STATION_BIN=target/debug/station
    DEMO_BIN=target/debug/station-demo
fi
WORK=$(mktemp -d)
# A display nobody uses (another Xvfb on the same number would be photographed instead).
N=${SCREENSHOT_DISPLAY:-}
if [[ -z "$N" ]]; then
    for N in $(seq 91 130); do [[ -e /tmp/.X11-unix/X$N || -e /tmp/.X$N-lock ]] || break; done
fi
SCREEN=":$N"
# Room for the clerk's window and the applicant's (800×600) beside it.
Xvfb "$SCREEN" -screen 0 $((W + 820))x$((H > 1000 ? H : 1000))x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB=$!
APP=""
cleanup() {
    [[ -n "$APP" ]] && kill "$APP" 2>/dev/null && wait "$APP" 2>/dev/null || true
    kill "$XVFB" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export DISPLAY="$SCREEN"
sleep 1
kill -0 "$XVFB" 2>/dev/null || { echo "Xvfb did not start on $SCREEN" >&2; cat "$WORK/xvfb.log" >&2; exit 1; }

CLERK=""
# A window that does not come within 90 s means the app stopped: say why instead of waiting forever.
window() {
    timeout 90 xdotool search --sync --name "$1" | head -n1 ||
        { echo "no window '$1'" >&2; tail -n 5 "$WORK"/*.log >&2; exit 1; }
}
# The clerk's window at the size taken (no window manager here maximizes it).
sized() { xdotool windowsize --sync "$1" "$W" "$H" 2>/dev/null || xdotool windowsize "$1" "$W" "$H"; }
focus() { xdotool windowfocus --sync "$CLERK" 2>/dev/null || xdotool windowfocus "$CLERK"; }
key() { focus; xdotool key --delay 120 "$@"; sleep "${PAUSE:-0.6}"; }
typed() { focus; xdotool type --delay 60 "$1"; sleep 0.4; }
shot() { sleep "${2:-0.8}"; import -window "$CLERK" "$OUT/$1.png"; echo "$OUT/$1.png"; }
# Waits until the demo's log holds PATTERN at least COUNT times (the core logs each step).
wait_log() {
    local deadline=$((SECONDS + 90))
    until (( $(grep -c -- "$1" "$WORK/demo.log" || true) >= ${2:-1} )); do
        (( SECONDS < deadline )) || { echo "no '$1' in the demo's log" >&2; exit 1; }
        sleep 0.3
    done
}

# 1. One-time setup: the app on a station with no account yet.
"$DEMO_BIN" --headless --unpaced --data-dir "$WORK/first" >"$WORK/first.log" 2>&1 &
APP=$!
until [[ -f "$WORK/first/station/station.toml" ]]; do sleep 0.2; done
sleep 1
kill "$APP"; wait "$APP" 2>/dev/null || true
sed -e "s|^data_dir = .*|data_dir = \"$WORK/fresh\"|" -e 's|^applicant_window = .*|applicant_window = false|' \
    "$WORK/first/station/station.toml" >"$WORK/fresh.toml"
grep -q '^applicant_window' "$WORK/fresh.toml" || printf '\n[ui]\napplicant_window = false\n' >>"$WORK/fresh.toml"
# The configuration is the demo's own, writable by whoever runs this: development mode accepts it.
STATION_DEVELOPMENT=1 "$STATION_BIN" app --config "$WORK/fresh.toml" >"$WORK/fresh.log" 2>&1 &
APP=$!
CLERK=$(window '^Dispositif de recueil$')
sized "$CLERK"
shot 00-setup 2
kill "$APP"; wait "$APP" 2>/dev/null || true

# 2. The demo: sign-in, home, the whole enrolment, the queue; the applicant's window beside.
RUST_LOG=station=info,warn "$DEMO_BIN" --data-dir "$WORK/demo" >"$WORK/demo.log" 2>&1 &
APP=$!
CLERK=$(window '^Dispositif de recueil$')
sized "$CLERK"
APPLICANT=$(window 'usager$')
xdotool windowmove "$APPLICANT" $((W + 10)) 0
applicant() { sleep "${2:-0.5}"; import -window "$APPLICANT" "$OUT/$1.png"; echo "$OUT/$1.png"; }
shot 01-sign-in 2
typed agent; key Return; typed 123456; key Return
shot 02-home 2
applicant 14-applicant-welcome 0
key F2
typed 4p6kyqjr0
shot 03-pre-request-typing
typed 6; key Return
wait_log "pre-request refused"
shot 04-pre-request-refused 1
key ctrl+a BackSpace
# The number read from the pre-request's QR code by the camera (F4): the demo's applicant takes
# out their phone and holds the code up; the number fills in and the pre-request loads.
key F4
wait_log "reading the pre-request's QR code"
sleep 3.5
shot 04-qr-reading 0
applicant 14-applicant-qr 0
wait_log "pre-request's QR code read by the camera"
wait_log "pre-request usable"
shot 05-pre-request-content 1
key Return
sleep 4
shot 06-photo-preview 1
applicant 14-applicant-photo
key Return
# The countdown ("Ne bougez plus : 3 / 2 / 1") runs on both windows before the shot.
shot 06-photo-countdown 0.3
applicant 14-applicant-countdown 0
wait_log "photo taken"
shot 07-photo-verdict 1.5
applicant 14-applicant-photo-kept 0
# Keep the photo (Enter); had it been refused, Enter would retake it and F7 takes the paper photo.
key Return
wait_log "photo accepted"
sleep 1
key Return
shot 08-fingers-live 2.5
applicant 14-applicant-fingers 0
wait_log "finger captured" 1
shot 09-fingers-next 2
applicant 14-applicant-result 0
key F8; key 2
shot 10-finger-exception
key Escape
key Return
wait_log "finger captured" 2
# The demo's applicant signs on their window as the review opens; the clerk sees it form, then
# validates it (F8) before confirming.
shot 11-review-signing 2.5
applicant 14-applicant-signature 0
sleep 2
key F8
wait_log "signature validated"
shot 11-review 1
applicant 14-applicant-storage-question 0
# An identity card: the applicant is asked whether they refuse that their prints be kept; the review
# is not sealed before the answer (F4 accepts, F5 refuses).
key F5
wait_log "fingerprint storage answered"
shot 11-review-storage-refused 1
applicant 14-applicant-storage-refused 0
key Return
sleep 3
key F9
wait_log "receipt written"
shot 12-receipt 1
key Return; key Escape; key F3
typed demo000001; key Return
shot 13-queue 4
# 3. The handover of the file just sent: the demo's simulated applicant lays their left index.
key Escape
sleep 1
key F7
typed DEMO000001; key Return
wait_log "handover decided"
shot 15-handover 1
applicant 15-applicant-handover 0
# 4. A child under 12 (no fingerprints taken), then the enrolment abandoned.
key Escape
sleep 1
key F2
typed DEMO000003; key Return
wait_log "pre-request usable" 2
shot 16-child 1
key Escape
shot 17-abandon-question
key Escape
shot 18-abandoned 1
# 5a. An adult's passport: the fee beside the content, then its tax stamp scanned and checked.
key F2
typed DEMO000002; key Return
wait_log "pre-request usable" 3
shot 23-tax-stamp-due 1
typed "TFE;0860000000000001;8600"; key Return
wait_log "tax stamp accepted"
shot 24-tax-stamp-checked 1
key Escape
key Escape
sleep 1

# 5. No pre-request: the paper form (F8), then sent with a mistake and empty choices.
key F2
key F8
shot 21-paper-form 1
typed "Le G0ff"; key Return
shot 22-paper-form-refused 1

# 5b. A paper photo: the record is sealed but waits for a supervisor; the queue lists it with the
# decision form, and home counts it.
key Escape; key Escape; key F1
sleep 1
count() { grep -c -- "$1" "$WORK/demo.log" || true; }
n=$(count "pre-request usable")
key F2
typed DEMO000002; key Return
wait_log "pre-request usable" $((n + 1))
# An adult's passport: its stamp first (the demo's second 86 € stamp).
typed "TFE;0860000000000002;8600"; key Return
wait_log "tax stamp accepted" 2
key Return
sleep 4
key F7
sleep 1
for _ in 1 2; do
    n=$(count "finger captured")
    key Return
    wait_log "finger captured" $((n + 1))
    sleep 2
done
# The demo's applicant signs as the review opens; the review is not sealed before the clerk
# validates the signature (F8).
n=$(count "signature validated")
sleep 5
key F8
wait_log "signature validated" $((n + 1))
key Return
wait_log "awaiting_approval"
sleep 2
key Return; key Escape; key F1
shot 19-home-awaiting-approval 2
key F3
shot 19-queue-approval 2

# 6. A mobile kit: the home screen's tour panel, the day typed and the tour prepared (F11).
kill "$APP"; wait "$APP" 2>/dev/null || true
RUST_LOG=station=info,warn "$DEMO_BIN" --mobile --data-dir "$WORK/mobile" >"$WORK/demo.log" 2>&1 &
APP=$!
CLERK=$(window '^Dispositif de recueil$')
sized "$CLERK"
sleep 2
typed agent; key Return; typed 123456; key Return
sleep 2
# The day field (today by default; the demo's tour day is 2026-12-14), at the same place at both
# sizes: under the three columns, right of its label.
focus; xdotool mousemove --window "$CLERK" 400 504 click 1; sleep 1
key End; for _ in 1 2 3 4 5 6 7 8 9 10; do xdotool key BackSpace; done; sleep 0.5
typed 2026-12-14
key F11
wait_log "tour prepared"
shot 19-mobile-tour 1
