#!/usr/bin/env bash
# Public client libraries for ZFM / R30x fingerprint modules, installed from PyPI into a throw-away
# venv, run against `firmware-sim fingerprint` at its defaults: does other people's software
# accept the simulated module? Prints pass/fail per flow and exits non-zero if any flow failed.
#
# Needs PyPI, so it is not part of CI. Nothing here is used by the product at run time.
#
#   scripts/client-libraries.sh                       # builds and uses target/debug/firmware-sim
#   FIRMWARE_SIM=/path/to/firmware-sim scripts/client-libraries.sh   # another build (e.g. main's)
#   SIM_ARGS="--sensor r503" scripts/client-libraries.sh               # another sensor model
#   DRAIN_FIRST=1 scripts/client-libraries.sh   # take away what the module sends before the
#                                               # libraries open the port (to see past a boot byte)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HERE="$ROOT/scripts/client-libraries"
SIM="${FIRMWARE_SIM:-$ROOT/target/debug/firmware-sim}"
read -r -a SIM_EXTRA <<<"${SIM_ARGS:-}"
WORK="$(mktemp -d)"
SIM_PID=""

stop_sim() {
    if [[ -n "$SIM_PID" ]]; then
        kill "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
        SIM_PID=""
    fi
}
trap 'stop_sim; rm -rf "$WORK"' EXIT

if [[ -z "${FIRMWARE_SIM:-}" ]]; then
    cargo build -q -p firmware-sim --manifest-path "$ROOT/Cargo.toml"
fi

echo "== venv and libraries from PyPI (in $WORK)"
python3 -m venv "$WORK/venv"
PY="$WORK/venv/bin/python"
"$PY" -m pip install -q --disable-pip-version-check \
    pyfingerprint adafruit-circuitpython-fingerprint pyserial pillow
# Adafruit's examples come with its source distribution, not with its wheel.
"$PY" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
    -d "$WORK/sdist" adafruit-circuitpython-fingerprint
tar -xzf "$WORK"/sdist/adafruit_circuitpython_fingerprint-*.tar.gz -C "$WORK/sdist"
EXAMPLE="$(ls "$WORK"/sdist/adafruit_circuitpython_fingerprint-*/examples/fingerprint_simpletest_rpi.py)"
"$PY" -m pip list --disable-pip-version-check 2>/dev/null |
    grep -iE '^(pyfingerprint|adafruit-circuitpython-fingerprint|pyserial) '

# A fresh module for each library: each meets it as at power-up.
start_sim() {
    local link="$WORK/fingerprint-$1"
    "$SIM" fingerprint --link "$link" "${SIM_EXTRA[@]}" >"$WORK/sim-$1.out" 2>"$WORK/sim-$1.err" &
    SIM_PID=$!
    for _ in $(seq 100); do
        [[ -e "$link" && -S "$link.control" ]] && break
        sleep 0.1
    done
    if [[ ! -S "$link.control" ]]; then
        echo "the simulator did not start:" >&2
        cat "$WORK/sim-$1.err" >&2
        return 1
    fi
    if [[ -n "${DRAIN_FIRST:-}" ]]; then
        "$PY" -c 'import serial, sys; p = serial.Serial(sys.argv[1], 57600, timeout=0.5); print("drained before the library:", p.read(64).hex() or "nothing")' "$link"
    fi
}

status=0
echo "== pyfingerprint"
start_sim pyfingerprint
(cd "$HERE" && "$PY" pyfingerprint_flows.py "$WORK/fingerprint-pyfingerprint" \
    "$WORK/fingerprint-pyfingerprint.control" "$WORK") || status=1
stop_sim

echo "== adafruit-circuitpython-fingerprint ($(basename "$EXAMPLE"))"
start_sim adafruit
(cd "$HERE" && "$PY" adafruit_flows.py "$EXAMPLE" "$WORK/fingerprint-adafruit" \
    "$WORK/fingerprint-adafruit.control" "$WORK") || status=1
stop_sim

exit "$status"
