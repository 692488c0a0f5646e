//! Records stored through the S3 client (`--features s3`) into a small S3-compatible stand-in on
//! loopback: path-style PUT/GET of `/{bucket}/records/{id}.drrec`, SigV4-signed.
#![cfg(feature = "s3")]
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use common::*;

#[derive(Default)]
struct Bucket {
    objects: BTreeMap<String, Vec<u8>>,
    authorizations: Vec<String>,
}

type Shared = Arc<Mutex<Bucket>>;

async fn put_object(
    State(bucket): State<Shared>,
    Path((name, key)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let mut b = bucket.lock().unwrap();
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    b.authorizations.push(auth);
    b.objects.insert(format!("{name}/{key}"), body.to_vec());
    (StatusCode::OK, [("etag", "\"0123456789abcdef\"")])
}

fn start_fake_s3() -> (std::net::SocketAddr, Shared) {
    let bucket: Shared = Arc::default();
    let app = axum::Router::new()
        .route("/{bucket}/{*key}", axum::routing::put(put_object))
        .with_state(Arc::clone(&bucket));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    (addr, bucket)
}

#[test]
fn records_go_to_the_configured_bucket() {
    let (s3_addr, bucket) = start_fake_s3();
    let dir = crate::common::private_tempdir();
    let mut config = crate::common::config(dir.path());
    config.object_store = Some(central::ObjectStoreConfig::S3(central::S3Config {
        bucket: "dr-records".into(),
        endpoint: Some(format!("http://{s3_addr}")),
        region: "eu-west-3".into(),
        access_key_id: Some("TESTKEYID".into()),
        secret_access_key: Some("test-secret".into()),
        allow_http: true,
    }));
    let (central, station) = start_with(config);

    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let record = seal(&spec, &station, central.public_keys());
    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);

    let b = bucket.lock().unwrap();
    let key = format!("dr-records/records/{}.drrec", spec.record_id);
    assert_eq!(b.objects.get(&key), Some(&record), "{:?}", b.objects.keys());
    assert!(
        b.authorizations
            .iter()
            .all(|a| a.starts_with("AWS4-HMAC-SHA256 Credential=TESTKEYID/")),
        "{:?}",
        b.authorizations
    );
    assert!(
        !dir.path().join("records").exists(),
        "nothing written locally"
    );
}

#[test]
fn an_unreachable_bucket_is_503_and_no_receipt() {
    // A port with nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = crate::common::private_tempdir();
    let mut config = crate::common::config(dir.path());
    config.object_store = Some(central::ObjectStoreConfig::S3(central::S3Config {
        bucket: "dr-records".into(),
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        region: "eu-west-3".into(),
        access_key_id: Some("TESTKEYID".into()),
        secret_access_key: Some("test-secret".into()),
        allow_http: true,
    }));
    let (central, station) = start_with(config);
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let answer = put_record(
        &central.url(),
        &spec.record_id,
        &seal(&spec, &station, central.public_keys()),
    );
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert_eq!(answer.error_code(), "storage-unavailable");
    assert_eq!(central.receipt_count().unwrap(), 0);
    let status = get(
        &central.url(),
        "/api/status?application_ids=DEMO000001",
        Some("demo-token"),
    );
    assert_eq!(
        status.json()["DEMO000001"]["status"],
        "validated",
        "not consumed"
    );
}
