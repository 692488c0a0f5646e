//! The ANTS-shaped `GET /api/status` for ANTS-style callers (no client certificate): off unless
//! enabled, and then only with a configured token, never a default one; the `central` binary
//! refuses to start with the interface enabled and no token, and serves no demo catalogue unless
//! given one.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{self, Answer};

const BIN: &str = env!("CARGO_BIN_EXE_central");
const TOKEN: &str = "a-long-ants-token-for-the-tests";

/// A caller with no client certificate, trusting the central's CA: how an ANTS-style service
/// calls.
fn ants_get(central: &central::RunningCentral, path: &str, token: Option<&str>) -> Answer {
    let mut request =
        common::tls_agent(central.ca_pem(), None).get(&format!("{}{path}", central.url()));
    if let Some(token) = token {
        request = request.header(wire::headers::TOKEN, token);
    }
    let mut response = request.call().expect("HTTPS exchange");
    Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn ants_config(dir: &std::path::Path, token: Option<&str>) -> central::CentralConfig {
    let mut config = crate::common::config(dir);
    config.ants_status = true;
    config.ants_token = token.map(str::to_owned);
    config
}

#[test]
fn the_ants_interface_is_off_unless_enabled() {
    let dir = crate::common::private_tempdir();
    let (central, _station) = common::start(dir.path());
    let status = "/api/status?application_ids=DEMO000001";
    for token in [None, Some("demo-token"), Some(TOKEN)] {
        let answer = ants_get(&central, status, token);
        assert_eq!(answer.status, 401, "{token:?}: {}", answer.body);
        assert!(!answer.body.contains("validated"), "{}", answer.body);
    }
    central.stop();
}

#[test]
fn enabled_without_a_token_the_central_refuses_to_start() {
    let dir = crate::common::private_tempdir();
    for token in [None, Some(""), Some("   ")] {
        let Err(error) = central::Central::start(ants_config(dir.path(), token)) else {
            panic!("{token:?}: the central started");
        };
        let error = error.to_string();
        assert!(error.contains("token"), "{token:?}: {error}");
    }
}

#[test]
fn an_ants_caller_is_answered_with_the_configured_token_only() {
    let dir = crate::common::private_tempdir();
    let central = central::Central::start(ants_config(dir.path(), Some(TOKEN))).unwrap();
    let path = format!(
        "/api/status?application_ids=DEMO000001&application_ids={}",
        central::prerequests::catalogue::OTHER_TOWN_HALL_NUMBER
    );
    let answer = ants_get(&central, &path, Some(TOKEN));
    assert_eq!(answer.status, 200, "{}", answer.body);
    // The appointment service sees every town hall's.
    assert_eq!(answer.json()["DEMO000001"]["status"], "validated");
    assert_eq!(answer.json()["AUTRE00001"]["status"], "validated");
    for token in [
        None,
        Some("demo-token"),
        Some("a-long-ants-token-for-the-testsX"),
    ] {
        let answer = ants_get(&central, &path, token);
        assert_eq!(answer.status, 401, "{token:?}: {}", answer.body);
        assert_eq!(
            answer.json(),
            serde_json::json!({"detail": "X-RDV-OPT-AUTH-TOKEN header invalid"})
        );
    }
    // Civil data goes to stations only, token or not.
    let answer = ants_get(&central, "/v1/pre-requests/DEMO000001", Some(TOKEN));
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert!(!answer.body.contains("Lefèvre"));
    central.stop();
}

/// Runs `central serve` with `args`, expecting it to stop by itself with an error; killed after
/// a while otherwise (it then started, which is the failure).
fn serve_refused(args: &[&str]) -> String {
    let dir = crate::common::private_tempdir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data"])
        .arg(dir.path())
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success(), "{args:?} ended well");
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            return stderr;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("central serve {args:?} started instead of refusing");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_binary_wants_a_catalogue_and_a_token_for_the_ants_interface() {
    let dir = crate::common::private_tempdir();
    let catalogue = dir.path().join("prerequests.json");
    std::fs::write(
        &catalogue,
        central::prerequests::catalogue::DEMO_PREREQUESTS,
    )
    .unwrap();
    let catalogue = catalogue.to_str().unwrap();

    // No catalogue: the demo's is not served in its place.
    let stderr = serve_refused(&[]);
    assert!(stderr.contains("--prerequests"), "{stderr}");
    // The ANTS interface enabled without a token.
    let stderr = serve_refused(&["--prerequests", catalogue, "--ants-status"]);
    assert!(stderr.contains("token"), "{stderr}");
    // With an empty token file.
    let empty = dir.path().join("empty-token");
    std::fs::write(&empty, "\n").unwrap();
    let stderr = serve_refused(&[
        "--prerequests",
        catalogue,
        "--ants-status",
        "--ants-token-file",
        empty.to_str().unwrap(),
    ]);
    assert!(stderr.contains("token"), "{stderr}");
}
