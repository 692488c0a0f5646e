//! The pre-request endpoints over HTTP: ANTS status shapes, token, content, malformed numbers.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use common::*;

#[test]
fn status_answers_every_status_in_the_ants_shape() {
    let dir = crate::common::private_tempdir();
    let (central, _station) = start(dir.path());
    let catalogue = central::Catalogue::demo().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    // The demo station sees its own town hall's pre-requests (`scope` tests the others).
    for entry in catalogue
        .iter()
        .filter(|e| wire::town_hall::visible_from(e, TOWN_HALL))
    {
        let answer = get(
            &central.url(),
            &format!("/api/status?application_ids={}", entry.number),
            Some("demo-token"),
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        let json = answer.json();
        let object = json.as_object().unwrap();
        assert_eq!(object.len(), 1);
        let item = &json[&entry.number];
        let status = item["status"].as_str().unwrap().to_owned();
        assert_eq!(serde_json::to_value(entry.status).unwrap(), status.as_str());
        let appointments = item["appointments"].as_array().unwrap();
        assert_eq!(appointments.len(), entry.appointments.len());
        for a in appointments {
            for field in [
                "meeting_point",
                "meeting_point_id",
                "appointment_date",
                "management_url",
            ] {
                assert!(a[field].is_string(), "{field} in {a}");
            }
        }
        seen.insert(status);
    }
    let all: std::collections::BTreeSet<String> =
        ["validated", "consumed", "declared", "unknown", "expired"]
            .into_iter()
            .map(String::from)
            .collect();
    assert_eq!(seen, all, "the demo set has every status");
}

#[test]
fn status_takes_repeated_ids_and_lower_case_and_unknown_numbers() {
    let dir = crate::common::private_tempdir();
    let (central, _station) = start(dir.path());
    let answer = get(
        &central.url(),
        "/api/status?application_ids=demo000001&application_ids=DEMO000003&application_ids=QQQQQQQQQQ",
        Some("demo-token"),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let json = answer.json();
    assert_eq!(json.as_object().unwrap().len(), 3);
    assert_eq!(json["DEMO000001"]["status"], "validated");
    assert_eq!(json["DEMO000003"]["status"], "validated");
    assert_eq!(json["QQQQQQQQQQ"]["status"], "unknown");
    assert_eq!(json["QQQQQQQQQQ"]["appointments"], serde_json::json!([]));
}

#[test]
fn a_wrong_token_is_401_with_the_ants_body_and_a_station_needs_none() {
    let dir = crate::common::private_tempdir();
    let mut config = crate::common::config(dir.path());
    config.ants_status = true;
    config.ants_token = Some("demo-token".into());
    let (central, _station) = start_with(config);
    // The station's certificate is its authentication; the ANTS header is an extra.
    for path in [
        "/api/status?application_ids=DEMO000001",
        "/v1/pre-requests/DEMO000001",
    ] {
        let answer = get(&central.url(), path, None);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    }
    for token in [
        Some("wrong-token"),
        Some(""),
        Some("demo-tokenX"),
        Some("DEMO-TOKEN"),
    ] {
        for path in [
            "/api/status?application_ids=DEMO000001",
            "/v1/pre-requests/DEMO000001",
        ] {
            let answer = get(&central.url(), path, token);
            assert_eq!(answer.status, 401, "{path} {token:?}");
            assert_eq!(
                answer.json(),
                serde_json::json!({"detail": "X-RDV-OPT-AUTH-TOKEN header invalid"})
            );
        }
    }
}

#[test]
fn malformed_numbers_are_400_and_unknown_content_is_404() {
    let dir = crate::common::private_tempdir();
    let (central, _station) = start(dir.path());
    for bad in [
        "DEMO00001",
        "DEMO0000011",
        "DEMO-00001",
        "DEMO%2000001",
        "D%C3%89MO00001",
        "%ZZ",
    ] {
        let answer = get(
            &central.url(),
            &format!("/api/status?application_ids={bad}"),
            Some("demo-token"),
        );
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
        assert!(!answer.error_code().is_empty(), "{bad}: {}", answer.body);
        let answer = get(
            &central.url(),
            &format!("/v1/pre-requests/{bad}"),
            Some("demo-token"),
        );
        assert_eq!(answer.status, 400, "{bad}: {}", answer.body);
        assert_eq!(
            answer.error_code(),
            "malformed-number",
            "{bad}: {}",
            answer.body
        );
    }
    let answer = get(&central.url(), "/api/status", Some("demo-token"));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "missing-application-ids")
    );
    let many: Vec<String> = (0..101)
        .map(|i| format!("application_ids=A{i:09}"))
        .collect();
    let answer = get(
        &central.url(),
        &format!("/api/status?{}", many.join("&")),
        Some("demo-token"),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "too-many-application-ids")
    );

    let answer = get(
        &central.url(),
        "/v1/pre-requests/QQQQQQQQQQ",
        Some("demo-token"),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (404, "unknown")
    );
    let answer = get(&central.url(), "/v1/no-such-endpoint", None);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (404, "not-found")
    );
}

#[test]
fn content_gives_civil_status_document_and_reason() {
    let dir = crate::common::private_tempdir();
    let (central, _station) = start(dir.path());
    let catalogue = central::Catalogue::demo().unwrap();
    for entry in catalogue
        .iter()
        .filter(|e| wire::town_hall::visible_from(e, TOWN_HALL))
    {
        let answer = get(
            &central.url(),
            &format!("/v1/pre-requests/{}", entry.number.to_lowercase()),
            Some("demo-token"),
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        let json = answer.json();
        assert_eq!(json["number"], entry.number.as_str());
        assert!(
            ["cni", "passport", "cni+passport"].contains(&json["document_type"].as_str().unwrap())
        );
        assert!(
            [
                "first",
                "renewal",
                "loss",
                "theft",
                "civil-status-change",
                "address-change"
            ]
            .contains(&json["reason"].as_str().unwrap())
        );
        let applicant = &json["applicant"];
        for field in ["surname", "given_names", "birth_place", "address"] {
            assert!(!applicant[field].as_str().unwrap().is_empty(), "{field}");
        }
        assert!(["F", "M", "X"].contains(&applicant["sex"].as_str().unwrap()));
        let birth = applicant["birth_date"].as_str().unwrap();
        assert!(
            time::Date::parse(
                birth,
                time::macros::format_description!("[year]-[month]-[day]")
            )
            .is_ok(),
            "{birth}"
        );
        assert!(applicant["parents"].is_array());
        // Round-trips into the library's own type.
        let parsed: central::prerequests::PreRequest = serde_json::from_value(json).unwrap();
        assert_eq!(&parsed, entry);
    }
    // Accents survive the trip as UTF-8.
    let answer = get(
        &central.url(),
        "/v1/pre-requests/DEMO000003",
        Some("demo-token"),
    );
    assert_eq!(answer.json()["applicant"]["given_names"], "Gaëlle");
}

#[test]
fn demo_set_is_varied() {
    let catalogue = central::Catalogue::demo().unwrap();
    assert!(catalogue.len() >= 20);
    let today = time::macros::date!(2026 - 11 - 27);
    let ages: Vec<i32> = catalogue
        .iter()
        .map(|p| {
            let born = time::Date::parse(
                &p.applicant.birth_date,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .unwrap();
            today.year() - born.year()
        })
        .collect();
    assert!(
        ages.iter().filter(|a| **a < 12).count() >= 2,
        "children under 12"
    );
    assert!(
        ages.iter().filter(|a| (12..18).contains(*a)).count() >= 2,
        "minors 12-17"
    );
    let accented = catalogue
        .iter()
        .filter(|p| !(p.applicant.surname.is_ascii() && p.applicant.given_names.is_ascii()))
        .count();
    assert!(accented >= 10, "{accented} names with accents");
    for doc in ["cni", "passport", "cni+passport"] {
        assert!(
            catalogue.iter().any(|p| p.document_type.as_str() == doc),
            "{doc}"
        );
    }
}

#[test]
fn catalogue_files_are_checked() {
    let bad_number = r#"[{"number":"SHORT","status":"validated","document_type":"cni","reason":"first",
        "applicant":{"surname":"A","given_names":"B","birth_date":"2000-01-01","birth_place":"C","sex":"F","address":"D","parents":[]}}]"#;
    assert!(central::Catalogue::from_json(bad_number).is_err());
    let bad_date = bad_number
        .replace("SHORT", "ABCDEFGHIJ")
        .replace("2000-01-01", "01/01/2000");
    assert!(central::Catalogue::from_json(&bad_date).is_err());
    let good = bad_number.replace("SHORT", "abcdefghij");
    let catalogue = central::Catalogue::from_json(&good).unwrap();
    assert!(catalogue.get("ABCDEFGHIJ").is_some());
    let twice = format!("[{0},{0}]", &good[1..good.len() - 1]);
    assert!(central::Catalogue::from_json(&twice).is_err());
    let unknown_status = good.replace("validated", "approved");
    assert!(central::Catalogue::from_json(&unknown_status).is_err());
}
