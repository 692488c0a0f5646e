//! The `central` binary: keys and the national CA, enrolment codes, serve over mutual TLS,
//! revocation.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use std::process::Command;

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_central");

/// Runs `central ARGS` on this run's database (the one of the `--data` directory).
fn run(args: &[&str]) -> String {
    let database = args
        .iter()
        .position(|a| *a == "--data")
        .and_then(|i| args.get(i + 1))
        .map(|data| database_args(std::path::Path::new(data)))
        .unwrap_or_default();
    let out = Command::new(BIN)
        .args(args)
        .args(database)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn value<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key}= in {text}"))
}

#[test]
fn keys_enrol_serve_over_mutual_tls_and_revoke() {
    let dir = crate::common::private_tempdir();
    let data = dir.path().to_str().unwrap();
    let text = run(&["keys", "--data", data]);
    let keys = central::public_keys(dir.path()).unwrap();
    assert!(
        text.starts_with(&format!(
            "record_public_key={}\nreceipt_public_key={}\n",
            hex::encode(keys.record_public_key),
            hex::encode(keys.receipt_public_key)
        )),
        "{text}"
    );
    let ca_pem = std::fs::read_to_string(value(&text, "ca_certificate")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        for name in [
            "tls-ca.pem",
            "tls-ca.key.pem",
            "tls-server.pem",
            "tls-server.key.pem",
        ] {
            let meta = std::fs::metadata(dir.path().join("keys").join(name)).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
        }
    }

    let station = TestStation::new("mairie-lyon-03-p1");
    let issued = run(&[
        "stations",
        "enrol",
        "--data",
        data,
        "--station-id",
        &station.id,
        "--town-hall",
        "69382-02",
    ]);
    let code = value(&issued, "code").to_owned();

    // Bad inputs are refused with a message and a failing exit code.
    for args in [
        vec![
            "enrol",
            "--station-id",
            "mairie lyon",
            "--town-hall",
            "69382-02",
        ],
        vec!["enrol", "--station-id", "ok", "--town-hall", "bad town"],
        // Already enrolled (after the code below is used) or unknown.
        vec!["rekey", "--station-id", "never-enrolled"],
        vec!["revoke", "--station-id", "never-enrolled"],
    ] {
        let out = Command::new(BIN)
            .args(["stations", args[0], "--data", data])
            .args(&args[1..])
            .args(database_args(dir.path()))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(!out.stderr.is_empty());
    }

    // The server started by the binary enrols the station with the code, then serves it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Outside the data directory: the central refuses to start on a data directory holding files
    // others may read.
    let inputs = tempfile::tempdir().unwrap();
    let catalogue = inputs.path().join("prerequests.json");
    std::fs::write(
        &catalogue,
        central::prerequests::catalogue::DEMO_PREREQUESTS,
    )
    .unwrap();
    let token_file = inputs.path().join("ants-token");
    std::fs::write(&token_file, "t0k\n").unwrap();
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data",
            data,
            "--prerequests",
            catalogue.to_str().unwrap(),
            "--ants-status",
            "--ants-token-file",
            token_file.to_str().unwrap(),
        ])
        .args(database_args(dir.path()))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("https://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "central did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (key_pem, csr) = key_and_csr();
    let answer = post_enrolment(&url, &ca_pem, &code, &csr, station.public_key());
    assert_eq!(answer.status, 200, "{}", answer.body);
    let enrolled: wire::provisioning::EnrolAnswer = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(enrolled.station_id, station.id);
    assert_eq!(enrolled.town_hall, "69382-02");
    let identity = TlsIdentity {
        ca_pem: ca_pem.clone(),
        cert_pem: enrolled.certificate_pem,
        key_pem,
    };
    use_identity(&url, &identity);

    // A plain-HTTP client gets no answer from the HTTPS port.
    let plain = ureq::get(&format!("http://127.0.0.1:{port}/v1/health")).call();
    assert!(plain.is_err(), "{plain:?}");

    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let answer = put_record(&url, &spec.record_id, &seal(&spec, &station, &keys));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        get(&url, "/api/status?application_ids=DEMO000001", Some("t0k")).status,
        200
    );
    assert_eq!(
        get(
            &url,
            "/api/status?application_ids=DEMO000001",
            Some("demo-token")
        )
        .status,
        401
    );

    let listed = run(&["stations", "list", "--data", data]);
    assert!(
        listed.starts_with(&format!(
            "{} town_hall=69382-02 public_key={} ",
            station.id,
            hex::encode(station.public_key())
        )),
        "{listed}"
    );
    // The algorithm last, after the columns scripts read before keys had algorithms.
    assert!(
        listed.trim_end().ends_with("active algorithm=Ed25519"),
        "{listed}"
    );
    assert_eq!(listed.lines().count(), 1);

    // Revoked while the server runs: refused at the next request.
    run(&[
        "stations",
        "revoke",
        "--data",
        data,
        "--station-id",
        &station.id,
    ]);
    let other = PayloadSpec::new(&station.id, "DEMO000002");
    let refused = put_record(&url, &other.record_id, &seal(&other, &station, &keys));
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.error_code(), "station-revoked");
    assert!(
        run(&["stations", "list", "--data", data]).contains("revoked="),
        "listed as revoked"
    );

    // SIGTERM ends it cleanly.
    nix_kill(child.id());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

fn nix_kill(pid: u32) {
    let out = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success());
}
