#!/usr/bin/env bash
# The fleet load test: a throwaway PostgreSQL (durable settings, as in production), REPLICAS
# `central serve` processes on it sharing one data directory (the same keys), HAProxy in TCP mode
# in front of them (TLS passes through: each replica sees the station's client certificate) with
# health checks on /v1/health, all on loopback; then the fleet (central/examples/fleet) enrols its
# stations and lives the day through HAProxy. With FAULTS=1 (the default) it kills replica 1
# (SIGKILL) once 25 % of the records are receipted, restarts it at 45 %, and restarts PostgreSQL
# (immediate mode, as a crash) at 65 %. Everything is torn down at the end.
#
#   scripts/fleet.sh                                  # 4,500 stations x 25 records, faults
#   STATIONS=20 RECORDS=3 scripts/fleet.sh            # a quick check
#   STATIONS=900 RECORDS=2 RATE=15 FAULTS=0 scripts/fleet.sh   # the paced day (latency)
#
# Variables: STATIONS (4500), RECORDS (25), REPLICAS (2), WORKERS (48), RATE (records/s; full
# speed when empty), FAULTS (1), FLEET_PORT (18440: HAProxy; replicas on the next ports),
# FLEET_KEEP=1 keeps the work directory (logs, data) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

stations="${STATIONS:-4500}"
records="${RECORDS:-25}"
replicas="${REPLICAS:-2}"
workers="${WORKERS:-48}"
rate="${RATE:-}"
faults="${FAULTS:-1}"
port="${FLEET_PORT:-18440}"

command -v haproxy >/dev/null || { echo "HAProxy is missing (Debian: apt-get install haproxy)" >&2; exit 1; }
pg_bin=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && pg_bin="$dir"
done
[ -n "$pg_bin" ] || { echo "no PostgreSQL server installed (Debian: apt-get install postgresql)" >&2; exit 1; }

# The replicas as CI's tests build them (dev profile: our code at opt-level 1, dependencies at 2).
cargo build --workspace --bin central --example fleet
central="$PWD/target/debug/central"
fleet="$PWD/target/debug/examples/fleet"

work="$(mktemp -d /tmp/central-fleet.XXXXXX)"
chmod 755 "$work"
data="$work/data"
as=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: as the account the Debian package creates.
  as=(runuser -u postgres --)
  mkdir "$work/pg" && chown postgres: "$work/pg"
else
  mkdir "$work/pg"
fi

teardown() {
  for f in "$work"/*.pid; do
    [ -e "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true
  done
  "${as[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  if [ "${FLEET_KEEP:-0}" = 1 ]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap teardown EXIT
ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null || true

# PostgreSQL with its durable defaults (fsync, synchronous commit): a restart must not lose a
# receipt. On a unix socket in the work directory only.
"${as[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U central --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log"
pg_opts="-k $work/pg -c listen_addresses='' -c max_connections=200"
"${as[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -o "$pg_opts" start >/dev/null
database="host=$work/pg user=central dbname=postgres"

"$central" keys --data "$data" >/dev/null
"$fleet" prerequests --stations "$stations" --records "$records" --out "$work/prerequests.json"

# One script per replica, so that a fault can start it again.
for i in $(seq 1 "$replicas"); do
  cat >"$work/start-replica-$i.sh" <<SCRIPT
#!/usr/bin/env bash
RUST_LOG=\${RUST_LOG:-warn} "$central" --database "$database" serve --listen 127.0.0.1:$((port + i)) \
  --data "$data" --prerequests "$work/prerequests.json" >>"$work/replica-$i.log" 2>&1 &
echo \$! >"$work/replica-$i.pid"
SCRIPT
  bash "$work/start-replica-$i.sh"
done
cat >"$work/restart-postgres.sh" <<SCRIPT
#!/usr/bin/env bash
${as[*]} "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -m immediate -o "$pg_opts" restart >/dev/null
SCRIPT

servers=""
for i in $(seq 1 "$replicas"); do
  servers+="    server replica-$i 127.0.0.1:$((port + i))"$'\n'
done
cat >"$work/haproxy.cfg" <<CFG
global
    maxconn 4000
defaults
    mode tcp
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A connection refused by a dead replica is tried again on another.
    retries 2
    option redispatch
frontend stations
    bind 127.0.0.1:$port
    default_backend centrals
backend centrals
    balance leastconn
    # The replica's own health answer, over TLS as an anonymous client trusting the national CA.
    option httpchk GET /v1/health
    http-check expect status 200
    default-server check check-ssl verify required ca-file $data/keys/tls-ca.pem check-sni localhost verifyhost localhost inter 1s fall 2 rise 2
$servers
CFG
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
echo $! >"$work/haproxy.pid"

for i in $(seq 1 "$replicas"); do
  for _ in $(seq 1 600); do
    curl -sf --cacert "$data/keys/tls-ca.pem" "https://localhost:$((port + i))/v1/health" >/dev/null && break
    sleep 0.1
  done
done
# HAProxy takes a replica in after two good checks a second apart.
for _ in $(seq 1 300); do
  curl -sf --cacert "$data/keys/tls-ca.pem" "https://localhost:$port/v1/health" >/dev/null && break
  sleep 0.1
done
curl -sf --cacert "$data/keys/tls-ca.pem" "https://localhost:$port/v1/health" >/dev/null \
  || { echo "HAProxy does not answer" >&2; tail "$work"/*.log >&2; exit 1; }

fault_args=()
if [ "$faults" = 1 ]; then
  fault_args=(--fault "25:kill -KILL \$(cat $work/replica-1.pid)"
              --fault "45:bash $work/start-replica-1.sh"
              --fault "65:bash $work/restart-postgres.sh")
fi
rate_args=()
[ -n "$rate" ] && rate_args=(--rate "$rate")

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
status=0
"$fleet" run --url "https://127.0.0.1:$port" --ca "$data/keys/tls-ca.pem" --data "$data" \
  --database "$database" --stations "$stations" --records "$records" --workers "$workers" \
  "${rate_args[@]}" "${fault_args[@]}" || status=$?
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
grep -h -c "ERROR" "$work"/replica-*.log | paste -sd' ' | sed 's/^/replica log ERROR lines: /' >&2 || true
exit "$status"
