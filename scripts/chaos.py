#!/usr/bin/env python3
"""Chaos campaign against the real binaries: SIGKILL of the station, its drain and the central at
random points, a faulty TCP proxy between station and central, then a clean drain and the counts
that must all be 0.

    scripts/chaos.py [--kills 100] [--records 300] [--seed N] [--short] [--keep]
    BIN=target/release scripts/chaos.py      # release binaries (default: target/debug)

What it sets up, in a temporary directory (kept with --keep):
- a central (`central keys`, `central stations enrol`, `central serve` on loopback HTTPS) with a
  pre-request catalogue `CH00000000`… for the station's town hall;
- a station whose key is in a SoftHSM2 token (`softhsm2-util --init-token`, `station token
  create-key`), provisioned with the one-time code (`station provision`), then pointed at the
  proxy instead of the central;
- the proxy (asyncio, this file): per connection it forwards, or drops the connection mid-body,
  delays, truncates the answer, resets (RST), stalls, or corrupts one byte.

The campaign runs "lives" one after another, each either the station sealing and uploading
(`station-demo enrol-test`, which prints `queued <id> <number>` after each durable commit) or the
drain (`station outbox drain`); most lives are killed with SIGKILL after a random delay. Between
lives a refused sign-in (wrong PIN) writes the audit log, whose signed checkpoints travel with the
uploads; one in five of those is killed too. Meanwhile another thread kills the central at random moments and restarts it. Once enough
kills are done and every record is sealed, the proxy forwards cleanly and a last drain runs to its
end. Then, with every process stopped:

- sealed: records the station reported queued (plus any the outbox holds that it had no time to
  report);
- lost: sealed, but neither holding its sealed bytes in the outbox nor received by the central;
  and, from the central's side, records announced by the station and never received;
- duplicated: more than one record received for a pre-request, or a record file without its
  receipt row (or the other way round);
- orphaned: staging files (`records/*.drrec#n`) left in the central's record store;
- purged without a valid receipt: purged from the outbox while the central holds no receipt, or
  a different one, for it;
- `PRAGMA integrity_check` of every SQLite file of both sides, and `station audit verify`.

Exit status 0 only when every count is 0, every file is sound, the audit log verifies, every proxy
mode was exercised and nothing is left to send. Needs python3 (standard library only) and softhsm2.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import re
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STATION_ID = "mairie-chaos-01-p1"
TOWN_HALL = "69382-02"
PREFIX = "CH"
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "731904"
FAULTS = ["drop-mid-body", "delay", "truncate-answer", "reset", "stall", "corrupt"]


def log(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.02)
    return False


# ---------------------------------------------------------------------------------------------
# The faulty proxy


class Proxy:
    """A TCP proxy on loopback; each new connection gets a mode: `forward` or one of FAULTS.

    It sits below TLS, as a faulty network or middlebox would: it never sees the plaintext, so
    every fault it makes is one the station's TLS and HTTP layers must turn into a retry."""

    def __init__(self, upstream_port: int, rng: random.Random):
        self.port = free_port()
        self.upstream_port = upstream_port
        self.rng = rng
        self.faulty = True
        self.fault_share = 0.5
        self.used = collections.Counter()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.ready = threading.Event()

    def start(self) -> None:
        self.thread.start()
        self.ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", self.port)
        )
        self.ready.set()
        self.loop.run_forever()
        server.close()

    def _mode(self) -> str:
        if not self.faulty or self.rng.random() >= self.fault_share:
            return "forward"
        # The least used fault first now and then, so that a short run still sees every mode.
        if self.rng.random() < 0.3:
            return min(FAULTS, key=lambda f: self.used[f])
        return self.rng.choice(FAULTS)

    async def _client(self, reader, writer) -> None:
        mode = self._mode()
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return
        self.used[mode] += 1
        plan = self._plan(mode)
        pipes = [
            asyncio.ensure_future(self._pipe(reader, up_writer, plan, "up")),
            asyncio.ensure_future(self._pipe(up_reader, writer, plan, "down")),
        ]
        try:
            # A cut in one direction ends the connection; a clean end waits for both.
            done, pending = await asyncio.wait(pipes, return_when=asyncio.FIRST_EXCEPTION)
            for task in pending:
                task.cancel()
            for task in pipes:
                try:
                    await task
                except (OSError, asyncio.CancelledError):
                    pass
        finally:
            for w in (writer, up_writer):
                if plan.get("reset") and w is writer:
                    self._reset(w)
                w.close()

    def _plan(self, mode: str) -> dict:
        r = self.rng
        if mode == "drop-mid-body":
            # Past the TLS handshake (~2–4 KB up) and into the record (tens of KB).
            return {"cut_up_after": r.randint(3_000, 30_000)}
        if mode == "delay":
            return {"delay": r.uniform(0.1, 2.0)}
        if mode == "truncate-answer":
            # Past the handshake down (~2 KB): the request reaches the central, its answer does not.
            return {"cut_down_after": r.randint(1_500, 5_000)}
        if mode == "reset":
            return {"reset": True, "cut_up_after": r.randint(0, 30_000)}
        if mode == "stall":
            return {"stall_up_after": r.randint(0, 30_000), "stall_for": r.uniform(2.0, 8.0)}
        if mode == "corrupt":
            return {"corrupt": r.choice(["up", "down"]), "corrupt_at": r.randint(0, 20_000)}
        return {}

    @staticmethod
    def _reset(writer) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass

    async def _pipe(self, reader, writer, plan: dict, direction: str) -> None:
        seen = 0
        corrupted = False
        if "delay" in plan:
            await asyncio.sleep(plan["delay"])
        while True:
            data = await reader.read(16_384)
            if not data:
                break
            cut = plan.get("cut_up_after" if direction == "up" else "cut_down_after")
            if cut is not None and seen + len(data) > cut:
                writer.write(data[: max(0, cut - seen)])
                await writer.drain()
                raise ConnectionAbortedError(direction)
            stall_at = plan.get("stall_up_after") if direction == "up" else None
            if stall_at is not None and seen + len(data) > stall_at:
                writer.write(data[: max(0, stall_at - seen)])
                await writer.drain()
                await asyncio.sleep(plan["stall_for"])
                raise ConnectionAbortedError("stall")
            if plan.get("corrupt") == direction and not corrupted and seen + len(data) > plan["corrupt_at"]:
                i = max(0, plan["corrupt_at"] - seen)
                data = data[:i] + bytes([data[i] ^ (1 << self.rng.randrange(8))]) + data[i + 1 :]
                corrupted = True
            seen += len(data)
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            try:
                writer.write_eof()
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# The setup


class Campaign:
    def __init__(self, args):
        self.args = args
        repo = Path(__file__).resolve().parent.parent
        self.bin = repo / os.environ.get("BIN", "target/debug")
        self.rng = random.Random(args.seed)
        self.dir = Path(tempfile.mkdtemp(prefix="chaos-"))
        self.central_dir = self.dir / "central"
        self.station_dir = self.dir / "station"
        self.config = self.dir / "station.toml"
        self.central_port = free_port()
        self.env = dict(os.environ)
        self.env["SOFTHSM2_CONF"] = str(self.dir / "softhsm2.conf")
        # The configuration is written by this script as the same user that runs the station:
        # development mode (the file-ownership check), with the station key in the token anyway.
        self.env["STATION_DEVELOPMENT"] = "1"
        self.env.setdefault("RUST_LOG", "warn")
        self.central = None
        self.central_lock = threading.Lock()
        self.kills = collections.Counter()
        self.lives = collections.Counter()
        self.reported = {}
        self.stop_central_chaos = threading.Event()
        # Sealing goes on until the kills and the proxy modes are done too: room for that.
        self.catalogue_size = args.records * 4 + 2_000
        self.token_restored = 0
        self.staging_left_by_kills = 0

    def run_tool(self, *argv, stdin=None, check=True) -> subprocess.CompletedProcess:
        out = subprocess.run(
            [str(a) for a in argv],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            cwd=self.dir,
        )
        if check and out.returncode != 0:
            raise SystemExit(f"{' '.join(map(str, argv))} failed:\n{out.stdout}{out.stderr}")
        return out

    def setup(self) -> None:
        for name in ("central", "station", "station-demo"):
            if not (self.bin / name).exists():
                raise SystemExit(
                    f"{self.bin / name} missing: cargo build -p central -p station -p station-demo"
                )
        if not Path(SOFTHSM_MODULE).exists():
            raise SystemExit(f"{SOFTHSM_MODULE} missing: apt-get install softhsm2")
        log(f"working in {self.dir}, binaries from {self.bin}")
        tokens = self.dir / "tokens"
        tokens.mkdir()
        (self.dir / "softhsm2.conf").write_text(
            f"directories.tokendir = {tokens}\nobjectstore.backend = file\n"
            "log.level = ERROR\nslots.removable = false\n"
        )
        self.run_tool("softhsm2-util", "--init-token", "--free", "--label", "station",
                      "--so-pin", "0000000", "--pin", PIN)
        pin_file = self.dir / "token.pin"
        pin_file.write_text(PIN + "\n")
        pin_file.chmod(0o600)

        keys = self.run_tool(self.bin / "central", "keys", "--data", self.central_dir).stdout
        record_key = re.search(r"^record_public_key=(\w+)", keys, re.M).group(1)
        receipt_key = re.search(r"^receipt_public_key=(\w+)", keys, re.M).group(1)
        catalogue = [
            {
                "number": f"{PREFIX}{i:08d}",
                "status": "validated",
                "document_type": "cni",
                "reason": "first",
                "applicant": {
                    "surname": "Lefèvre", "given_names": "Hélène", "birth_date": "1984-03-12",
                    "birth_place": "Lyon (69)", "sex": "F",
                    "address": "14 rue de la République, 69002 Lyon", "parents": [],
                },
                "appointments": [{
                    "meeting_point": "Mairie du 2e arrondissement de Lyon",
                    "meeting_point_id": TOWN_HALL,
                    "appointment_date": "2026-12-01T09:00:00+01:00",
                    "management_url": "https://rdv.mairie-lyon.example/rendez-vous/1000",
                }],
            }
            for i in range(self.catalogue_size)
        ]
        (self.dir / "prerequests.json").write_text(json.dumps(catalogue))
        self.start_central()

        self.station_dir.mkdir(mode=0o700)
        central_url = f"https://127.0.0.1:{self.central_port}"
        self.config.write_text(
            f'data_dir = "{self.station_dir}"\n'
            f'station_id = "{STATION_ID}"\n\n'
            f'[central]\nurl = "{central_url}"\n'
            f'record_public_key = "{record_key}"\nreceipt_public_key = "{receipt_key}"\n\n'
            f'[identity]\nkind = "pkcs11"\nmodule = "{SOFTHSM_MODULE}"\n'
            f'token_label = "station"\nkey_label = "station-signing"\npin_file = "{pin_file}"\n\n'
            # Quick retries and short timeouts: a stalled connection costs seconds, not minutes.
            "[uploader]\nconcurrency = 2\ninitial_backoff_ms = 50\nmax_backoff_ms = 1000\n"
            "idle_poll_ms = 50\n\n"
            "[http]\nconnect_timeout_ms = 1000\nlookup_timeout_ms = 2000\nupload_timeout_ms = 3000\n"
        )
        self.run_tool(self.bin / "station", "token", "create-key", "--config", self.config)
        # SoftHSM2 rewrites its token file in place at every login (C_Login sets the token's
        # flags), so a SIGKILL at that moment leaves it empty and the token gone. That is SoftHSM2's
        # file store, not the station (a TPM or smart-card HSM does not lose itself so); past
        # set-up only its generation counter changes, so a torn one is put back and counted.
        self.token_file = next(tokens.glob("*/token.object"))
        self.token_copy = self.token_file.read_bytes()
        enrol = self.run_tool(self.bin / "central", "stations", "enrol", "--data", self.central_dir,
                              "--station-id", STATION_ID, "--town-hall", TOWN_HALL).stdout
        code = re.search(r"^code=(\S+)", enrol, re.M).group(1)
        self.run_tool(self.bin / "station", "provision", "--config", self.config, "--central",
                      central_url, "--ca", self.central_dir / "keys" / "tls-ca.pem", "--code", code)

        self.proxy = Proxy(self.central_port, random.Random(self.rng.random()))
        self.proxy.start()
        text = self.config.read_text()
        self.config.write_text(text.replace(central_url, f"https://127.0.0.1:{self.proxy.port}"))
        log(f"central on :{self.central_port}, proxy on :{self.proxy.port}, station provisioned")

    # -----------------------------------------------------------------------------------------
    # The central, killed and restarted by its own thread

    def start_central(self) -> None:
        with self.central_lock:
            log_file = open(self.dir / "central.log", "ab")
            self.central = subprocess.Popen(
                [self.bin / "central", "serve", "--listen", f"127.0.0.1:{self.central_port}",
                 "--data", self.central_dir, "--prerequests", self.dir / "prerequests.json"],
                env=self.env, stdout=log_file, stderr=log_file, cwd=self.dir,
            )
            log_file.close()
        if not wait_port(self.central_port, 30):
            raise SystemExit("the central did not start (see central.log)")

    def staging_files(self) -> list[str]:
        records = self.central_dir / "records"
        if not records.exists():
            return []
        return sorted(p.name for p in records.iterdir() if re.search(r"\.drrec#\d+$", p.name))

    def kill_central(self) -> None:
        with self.central_lock:
            if self.central is not None and self.central.poll() is None:
                self.central.send_signal(signal.SIGKILL)
                self.central.wait()
                self.kills["central"] += 1
                # What the kill left mid-write; the next start must remove them.
                self.staging_left_by_kills += len(self.staging_files())

    def central_chaos(self) -> None:
        while not self.stop_central_chaos.wait(self.rng.uniform(0.3, 4.0)):
            self.kill_central()
            # Sometimes down for a while, so that the station sees refused connections too.
            if self.rng.random() < 0.3:
                time.sleep(self.rng.uniform(0.1, 1.5))
            self.start_central()

    # -----------------------------------------------------------------------------------------
    # The station's lives

    def refused_sign_in(self) -> None:
        """Writes the audit log (a refused sign-in is audited): its signed checkpoints go with
        the uploads, and the central refuses one that goes backwards. Now and then killed while
        it writes."""
        argv = [self.bin / "station", "camera", "capture", "--config", self.config,
                "--operator", "chaos", "--port", "/dev/null", "--out", self.dir / "x.jpg"]
        child = subprocess.Popen([str(a) for a in argv], env=self.env, stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.dir)
        child.stdin.write(b"000000\n")
        child.stdin.close()
        if self.rng.random() < 0.2:
            try:
                child.wait(timeout=self.rng.uniform(0.0, 0.25))
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                self.kills["audit-writer"] += 1
        child.wait()
        self.restore_torn_token()

    def restore_torn_token(self) -> None:
        # Its generation counter changes at every login; only its size tells a torn file.
        if len(self.token_file.read_bytes()) != len(self.token_copy):
            self.token_file.write_bytes(self.token_copy)
            self.token_restored += 1

    def life(self, role: str, cap: int) -> None:
        if role == "station":
            argv = [self.bin / "station-demo", "enrol-test", "--config", self.config,
                    "--count", str(cap), "--prefix", PREFIX, "--timeout-s", "60"]
            # Half the records with a portrait: larger bodies, longer writes at the central.
            if self.rng.random() < 0.5:
                argv.append("--with-face")
        else:
            argv = [self.bin / "station", "outbox", "--config", self.config, "drain",
                    "--timeout-s", "60"]
        err = open(self.dir / f"{role}.log", "ab")
        child = subprocess.Popen([str(a) for a in argv], env=self.env, stdout=subprocess.PIPE,
                                 stderr=err, cwd=self.dir, text=True)
        err.close()
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(child.stdout), daemon=True)
        reader.start()
        self.lives[role] += 1
        killed = False
        if self.rng.random() < 0.85:
            # A drain with little to send ends within a fraction of a second: its kills come sooner.
            most = 2.5 if role == "station" else 0.4
            try:
                child.wait(timeout=self.rng.uniform(0.02, most))
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                killed = True
        child.wait()
        reader.join()
        if killed:
            self.kills[role] += 1
            self.restore_torn_token()
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "queued":
                if parts[1] in self.reported:
                    raise SystemExit(f"record {parts[1]} reported queued twice")
                self.reported[parts[1]] = parts[2]

    def campaign(self) -> None:
        chaos = threading.Thread(target=self.central_chaos, daemon=True)
        chaos.start()
        started = time.monotonic()
        while True:
            total = sum(self.kills.values())
            sealed = len(self.reported)
            modes_seen = all(self.proxy.used[f] > 0 for f in FAULTS)
            if total >= self.args.kills and sealed >= self.args.records and modes_seen:
                break
            if time.monotonic() - started > self.args.max_minutes * 60:
                log("time limit reached before the campaign's goals")
                break
            self.refused_sign_in()
            # Sealing until the count is reached, then drains only.
            room = self.catalogue_size - 20
            role = "station" if sealed < room and self.rng.random() < 0.7 else "drain"
            cap = min(room, sealed + self.rng.randint(1, 12))
            self.life(role, cap)
            if sum(self.lives.values()) % 20 == 0:
                log(f"kills {dict(self.kills)}, lives {dict(self.lives)}, sealed {sealed}, "
                    f"proxy {dict(self.proxy.used)}")
        self.stop_central_chaos.set()
        chaos.join()
        log(f"campaign done in {time.monotonic() - started:.0f} s: kills {dict(self.kills)}, "
            f"lives {dict(self.lives)}, proxy {dict(self.proxy.used)}")

    def final_drain(self) -> bool:
        self.proxy.faulty = False
        if self.central.poll() is not None:
            self.start_central()
        out = self.run_tool(self.bin / "station", "outbox", "--config", self.config, "drain",
                            "--timeout-s", "300", check=False)
        log(f"final drain: exit {out.returncode} {out.stdout.strip()} {out.stderr.strip()[-300:]}")
        return out.returncode == 0

    def stop_central(self) -> None:
        with self.central_lock:
            if self.central is not None and self.central.poll() is None:
                self.central.send_signal(signal.SIGTERM)
                try:
                    self.central.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.central.kill()
                    self.central.wait()

    # -----------------------------------------------------------------------------------------
    # The counts

    def report(self, drained: bool) -> int:
        self.stop_central()
        outbox = sqlite3.connect(self.station_dir / "outbox.sqlite")
        rows = outbox.execute(
            "SELECT r.record_id, r.pre_request, r.state, r.sha256, r.receipt, s.seq IS NOT NULL "
            "FROM records r LEFT JOIN sealed_records s USING (seq)"
        ).fetchall()
        outbox.close()
        station = {r[0]: r for r in rows}
        central_db = sqlite3.connect(self.central_dir / "central.sqlite")
        receipts = {
            r[0]: r
            for r in central_db.execute(
                "SELECT record_id, sha256, received_at, signature, pre_request FROM receipts "
                "WHERE station_id = ?", (STATION_ID,))
        }
        # Announced at seal time (in the record's own transaction), never received.
        announced_missing = central_db.execute(
            "SELECT count(*) FROM announcements a LEFT JOIN receipts r USING (record_id) "
            "WHERE r.record_id IS NULL").fetchone()[0]
        per_number = central_db.execute(
            "SELECT count(*) FROM (SELECT pre_request FROM receipts GROUP BY pre_request "
            "HAVING count(*) > 1)").fetchone()[0]
        central_db.close()

        sealed = set(self.reported) | set(station)
        lost = sorted(i for i in sealed if i not in receipts and not (i in station and station[i][5]))
        records_dir = self.central_dir / "records"
        names = [p.name for p in records_dir.iterdir()] if records_dir.exists() else []
        staging = self.staging_files()
        stored = {n[: -len(".drrec")] for n in names if n.endswith(".drrec")}
        duplicated = per_number + len(stored ^ set(receipts))
        purged_without = []
        for record_id, row in station.items():
            if row[2] != "purged":
                continue
            central = receipts.get(record_id)
            try:
                kept = json.loads(row[4] or "null")
            except json.JSONDecodeError:
                kept = None
            if (
                central is None
                or not isinstance(kept, dict)
                or kept.get("signature") != central[3]
                or kept.get("sha256") != central[1]
                or row[3] != central[1]
            ):
                purged_without.append(record_id)
        waiting = sum(1 for r in station.values() if r[2] != "purged")

        integrity = {}
        for path in sorted(list(self.station_dir.glob("*.sqlite")) + list(self.central_dir.glob("*.sqlite"))):
            conn = sqlite3.connect(path)
            integrity[str(path.relative_to(self.dir))] = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.close()
        audit = self.run_tool(self.bin / "station", "audit", "verify", "--config", self.config, check=False)
        audit_text = (audit.stdout + audit.stderr).strip()

        counts = {
            "kills": dict(self.kills),
            "kills_total": sum(self.kills.values()),
            "lives": dict(self.lives),
            "softhsm2_token_file_torn_and_restored": self.token_restored,
            "proxy_connections": dict(self.proxy.used),
            "sealed": len(sealed),
            "reported_queued": len(self.reported),
            "received_by_central": len(receipts),
            "lost": len(lost),
            "announced_never_received": announced_missing,
            "duplicated": duplicated,
            "orphaned_staging_files": len(staging),
            "staging_files_seen_after_central_kills": self.staging_left_by_kills,
            "purged_without_valid_receipt": len(purged_without),
            "left_in_outbox": waiting,
            "final_drain": "ok" if drained else "failed",
            "integrity": integrity,
            "audit_verify": audit_text,
        }
        (self.dir / "counts.json").write_text(json.dumps(counts, indent=2))
        print(json.dumps(counts, indent=2))
        failed = []
        for key in ("lost", "announced_never_received", "duplicated", "orphaned_staging_files", "purged_without_valid_receipt",
                    "left_in_outbox"):
            if counts[key]:
                failed.append(key)
        failed += [f"integrity {k}" for k, v in integrity.items() if v != "ok"]
        if audit.returncode != 0:
            failed.append("audit verify")
        if not drained:
            failed.append("final drain")
        failed += [f"proxy mode {f} never used" for f in FAULTS if not self.proxy.used[f]]
        if lost:
            log(f"lost: {lost[:10]}")
        if purged_without:
            log(f"purged without a valid receipt: {purged_without[:10]}")
        if staging:
            log(f"staging files: {staging[:10]}")
        if failed:
            log("FAILED: " + ", ".join(failed))
            return 1
        log("all counts 0, every file sound, audit log verified")
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100, help="SIGKILLs in all (default 100)")
    parser.add_argument("--records", type=int, default=300, help="records to seal (default 300)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--short", action="store_true", help="a quick check: 12 kills, 30 records")
    parser.add_argument("--max-minutes", type=float, default=60, help="give up the campaign after this")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    args = parser.parse_args()
    if args.short:
        args.kills, args.records = 12, 30
    if args.seed is None:
        args.seed = random.randrange(1 << 32)
    log(f"seed {args.seed}, {args.kills} kills, {args.records} records")
    campaign = Campaign(args)
    status = 1
    try:
        campaign.setup()
        campaign.campaign()
        drained = campaign.final_drain()
        status = campaign.report(drained)
    finally:
        campaign.stop_central_chaos.set()
        campaign.stop_central()
        if args.keep or status != 0:
            log(f"working directory kept: {campaign.dir}")
        else:
            subprocess.run(["rm", "-rf", str(campaign.dir)])
    return status


if __name__ == "__main__":
    sys.exit(main())
