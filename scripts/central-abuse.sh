#!/usr/bin/env bash
# Floods a release `central serve` with stalled uploads and slow-header connections and prints its
# peak resident memory and how many of those connections it closed, and when.
#
#   scripts/central-abuse.sh [STALLED=200] [SLOW=200]
#
# Builds `central` in release and the `abuse` example (central/examples/abuse.rs), starts the
# central on a free loopback port in a temporary data directory, enrols one station for the
# uploads that present a certificate, runs the floods and stops the central.
set -euo pipefail
cd "$(dirname "$0")/.."

stalled="${1:-200}"
slow="${2:-200}"
port="${CENTRAL_ABUSE_PORT:-18443}"

cargo build --release -p central --bin central
cargo build -p central --example abuse
bin=target/release/central
abuse=target/debug/examples/abuse

data="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
# 200 + 200 client connections and as many on the central's side.
ulimit -n 4096 2>/dev/null || true

"$bin" keys --data "$data" >/dev/null
code="$("$bin" stations enrol --data "$data" --station-id abuse-station-1 --town-hall 69382-02 \
    | sed -n 's/^code=//p')"
RUST_LOG="${RUST_LOG:-error}" "$bin" serve --listen "127.0.0.1:$port" --data "$data" \
    --prerequests central/demo/prerequests.json &
pid=$!
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.2
done

"$abuse" --addr "127.0.0.1:$port" --pid "$pid" --ca "$data/keys/tls-ca.pem" --code "$code" \
    --stalled "$stalled" --slow "$slow"
