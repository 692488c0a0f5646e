#!/usr/bin/env bash
# Screenshots of the technician area (docs/screenshots/technician-*.png), in French, from the real
# app under Xvfb, as scripts/screenshots.sh does for the clerk's screens: the app on simulators
# started here with their control sockets (so that the calibration targets can be laid), signed in
# as the demo supervisor; clicks with xdotool at the buttons' places in a 1500 × 1250 window.
#
# Needs (Debian): xvfb xauth libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libgl1-mesa-dri
#                 imagemagick xdotool python3
# Usage: scripts/technician-screenshots.sh [OUT_DIR]   (default docs/screenshots; BIN=DIR to use built binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/screenshots}
mkdir -p "$OUT"
if [[ -z "${BIN:-}" ]]; then
    cargo build -q -p station --bin station -p station-demo --bin station-demo -p firmware-sim --bin firmware-sim
    BIN=target/debug
fi
WORK=$(mktemp -d)
SCREEN=":${SCREENSHOT_DISPLAY:-173}"
Xvfb "$SCREEN" -screen 0 1600x1300x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB=$!
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    kill "$XVFB" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
export DISPLAY="$SCREEN"
sleep 1

# The demo's station (accounts, keys, configuration), then our own simulators on its links.
"$BIN/station-demo" --headless --unpaced --data-dir "$WORK/demo" >"$WORK/demo.log" 2>&1 &
DEMO=$!
until [[ -f "$WORK/demo/station/station.toml" ]]; do sleep 0.2; done
sleep 1
kill "$DEMO"; wait "$DEMO" 2>/dev/null || true
sed -e 's|^applicant_window = .*|applicant_window = false|' "$WORK/demo/station/station.toml" >"$WORK/station.toml"
grep -q '^applicant_window' "$WORK/station.toml" || printf '\n[ui]\napplicant_window = false\n' >>"$WORK/station.toml"
# A sensor with a little of everything calibration looks for.
"$BIN/firmware-sim" fingerprint --link "$WORK/demo/fingerprint" --unpaced --finger none \
    --defects 'vignetting=0.35,noise=3,dead=6,stuck=3,dirty=30@120x90' >"$WORK/fp.log" 2>&1 &
PIDS+=($!)
"$BIN/firmware-sim" camera --link "$WORK/demo/camera" --unpaced >"$WORK/cam.log" 2>&1 &
PIDS+=($!)
until [[ -S "$WORK/demo/fingerprint.control" && -S "$WORK/demo/camera.control" ]]; do sleep 0.2; done
ctl() {
    python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
print(sys.argv[2], "→", s.recv(200).decode().strip())
PY
}
# The configuration is the demo's own, writable by whoever runs this: development mode accepts it.
STATION_DEVELOPMENT=1 "$BIN/station" app --config "$WORK/station.toml" >"$WORK/app.log" 2>&1 &
PIDS+=($!)
APP=$(xdotool search --sync --name '^Dispositif de recueil$' | head -n1)
xdotool windowsize "$APP" 1500 1250
sleep 1
focus() { xdotool windowfocus --sync "$APP" 2>/dev/null || xdotool windowfocus "$APP"; }
key() { focus; xdotool key --delay 120 "$@"; sleep 0.6; }
typed() { focus; xdotool type --delay 60 "$1"; sleep 0.4; }
click() { focus; xdotool mousemove --window "$APP" "$1" "$2" click 1; sleep "${3:-1}"; xdotool mousemove --window "$APP" 1490 1240; }
shot() { sleep "${2:-0.8}"; import -window "$APP" "$OUT/$1.png"; echo "$OUT/$1.png"; }

typed superviseur; key Return; typed 654321; key Return
sleep 2
key F6
# Devices: discovery of every port, then the devices found saved into the configuration.
click 121 376 15
click 208 597 2
shot technician-devices
# Diagnostics: both devices, then the report.
click 172 154
click 175 223 6
click 490 223 8
click 728 223
shot technician-diagnostics
# Calibration of the sensor, twice (the history needs two points), then the camera.
click 293 154
for round in 1 2; do
    click 170 223 2
    [[ $round == 1 ]] && shot technician-calibration-prompt 0.5
    ctl "$WORK/demo/fingerprint.control" "target blank"
    click 58 358 4
    ctl "$WORK/demo/fingerprint.control" "target flat"
    click 58 358 6
    ctl "$WORK/demo/fingerprint.control" "lift"
done
ctl "$WORK/demo/camera.control" "grey-card"
click 436 223 1
click 58 318 12
# Down to the history's time axis, which the window's height would otherwise leave out.
focus; xdotool mousemove --window "$APP" 700 900 click --repeat 4 --delay 100 5; sleep 0.5
xdotool mousemove --window "$APP" 1490 1240
shot technician-calibration
