//! Checking the central's decision before anything is shown: the receipt key's signature over the
//! canonical string, then every field against what this station asked. A proxy that rewrites
//! "no-match" into "match", answers for another number, replays an older decision or signs with
//! another key is caught here; any mismatch is an error, never a pass.

use ring::signature;
use time::OffsetDateTime;
use wire::handover::{ANY_FINGER, Decision, HandoverDecision};

use super::HandoverOutcome;
use super::request::Asked;
use crate::checks::matching::MATCH_THRESHOLD;

/// How far the decision's time may be from the station's clock (as the central allows for the
/// request's).
pub const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// Why a decision is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// Not JSON shaped as a decision, or a field not in its format.
    #[error("malformed decision: {0}")]
    Malformed(String),
    /// The signature is not the central's receipt key's over these fields.
    #[error("the decision is not signed by the central")]
    BadSignature,
    /// A field differs from what this station asked.
    #[error("the decision's {field} is {got:?}, the station asked {expected:?}")]
    NotAsked {
        /// The field.
        field: &'static str,
        /// What the station asked.
        expected: String,
        /// What the decision says.
        got: String,
    },
    /// The decision does not follow from its own score and threshold, or the threshold is not the
    /// shared matcher's.
    #[error("inconsistent decision: {0}")]
    Inconsistent(String),
    /// The decision's time is too far from the station's clock.
    #[error("decision time {0} is more than 5 minutes from the station's clock")]
    Stale(String),
}

fn not_asked(field: &'static str, expected: impl ToString, got: impl ToString) -> DecisionError {
    DecisionError::NotAsked {
        field,
        expected: expected.to_string(),
        got: got.to_string(),
    }
}

/// Checks `decision` against what was `asked`, with the central's receipt public key, at `now`.
pub fn check_decision(
    decision: &HandoverDecision,
    asked: &Asked,
    receipt_key: &[u8; 32],
    now: OffsetDateTime,
) -> Result<HandoverOutcome, DecisionError> {
    let sig = hex::decode(&decision.signature)
        .ok()
        .filter(|s| s.len() == 64)
        .ok_or_else(|| DecisionError::Malformed("signature is not 128 hex digits".into()))?;
    signature::UnparsedPublicKey::new(&signature::ED25519, receipt_key)
        .verify(decision.canonical_string().as_bytes(), &sig)
        .map_err(|_| DecisionError::BadSignature)?;
    if decision.number != asked.number {
        return Err(not_asked("number", &asked.number, &decision.number));
    }
    if decision.nonce != asked.nonce {
        return Err(not_asked("nonce", &asked.nonce, &decision.nonce));
    }
    if decision.station_id != asked.station_id {
        return Err(not_asked(
            "station_id",
            &asked.station_id,
            &decision.station_id,
        ));
    }
    if decision.finger != asked.finger {
        return Err(not_asked("finger", asked.finger, decision.finger));
    }
    if asked.finger != ANY_FINGER && decision.compared_finger != asked.finger {
        return Err(not_asked(
            "compared_finger",
            asked.finger,
            decision.compared_finger,
        ));
    }
    if decision.threshold != MATCH_THRESHOLD {
        return Err(DecisionError::Inconsistent(format!(
            "threshold {} where the shared matcher's is {MATCH_THRESHOLD}",
            decision.threshold
        )));
    }
    let matched = decision.score >= decision.threshold;
    if matched != (decision.decision == Decision::Match) {
        return Err(DecisionError::Inconsistent(format!(
            "{} at score {} and threshold {}",
            decision.decision.as_str(),
            decision.score,
            decision.threshold
        )));
    }
    let decided_at = OffsetDateTime::parse(
        &decision.decided_at,
        &time::format_description::well_known::Rfc3339,
    )
    .map_err(|_| DecisionError::Malformed("decided_at is not RFC 3339".into()))?;
    if (decided_at - now).abs() > MAX_CLOCK_SKEW {
        return Err(DecisionError::Stale(decision.decided_at.clone()));
    }
    Ok(HandoverOutcome {
        matched,
        score: decision.score,
        threshold: decision.threshold,
        position: Some(decision.compared_finger),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! The golden decision (signed with the test receipt seed) passes; each field rewritten, or a
    //! signature by another key, is refused, and so is a decision the central never made.
    use super::*;
    use ring::signature::Ed25519KeyPair;
    use wire::golden;

    fn asked() -> Asked {
        Asked {
            number: golden::PRE_REQUEST.into(),
            finger: 7,
            nonce: golden::HANDOVER_NONCE.into(),
            station_id: golden::STATION_ID.into(),
        }
    }

    fn receipt_key() -> [u8; 32] {
        hex::decode(golden::RECEIPT_PUBLIC_KEY)
            .unwrap()
            .try_into()
            .unwrap()
    }

    fn at_decision_time() -> OffsetDateTime {
        OffsetDateTime::parse(
            &golden::handover_decision().decided_at,
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    }

    fn check(decision: &HandoverDecision) -> Result<HandoverOutcome, DecisionError> {
        check_decision(decision, &asked(), &receipt_key(), at_decision_time())
    }

    /// Signs `decision` with `seed`'s key, as a central (or someone with another key) would.
    fn signed_by(seed: [u8; 32], mut decision: HandoverDecision) -> HandoverDecision {
        let key = Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
        decision.signature = hex::encode(key.sign(decision.canonical_string().as_bytes()));
        decision
    }

    #[test]
    fn the_golden_decision_passes() {
        let decision: HandoverDecision =
            serde_json::from_slice(golden::HANDOVER_DECISION_JSON).unwrap();
        let outcome = check(&decision).unwrap();
        assert!(outcome.matched);
        assert_eq!((outcome.score, outcome.position), (412, Some(7)));
    }

    #[test]
    fn a_rewritten_field_breaks_the_signature() {
        type Rewrite = fn(&mut HandoverDecision);
        let rewrites: [(&str, Rewrite); 7] = [
            ("decision", |d| {
                d.decision = Decision::NoMatch;
                d.score = 3;
            }),
            ("number", |d| d.number = "QQQQQQQQQQ".into()),
            ("nonce", |d| d.nonce = "00".repeat(32)),
            ("finger", |d| d.finger = 2),
            ("station", |d| d.station_id = "mairie-autre".into()),
            ("score", |d| d.score = 999),
            ("time", |d| d.decided_at = "2026-12-02T14:03:29Z".into()),
        ];
        for (what, rewrite) in rewrites {
            let mut decision = golden::handover_decision();
            rewrite(&mut decision);
            assert_eq!(
                check(&decision),
                Err(DecisionError::BadSignature),
                "{what} rewritten"
            );
        }
    }

    #[test]
    fn another_key_is_refused() {
        let forged = signed_by([0x66; 32], golden::handover_decision());
        assert_eq!(check(&forged), Err(DecisionError::BadSignature));
        let mut garbled = golden::handover_decision();
        garbled.signature = "zz".into();
        assert!(matches!(check(&garbled), Err(DecisionError::Malformed(_))));
    }

    #[test]
    fn a_genuine_decision_for_something_else_is_refused() {
        // Signed by the central, but for another request: the proxy swaps in an old "match".
        let central = |rewrite: fn(&mut HandoverDecision)| {
            let mut d = golden::handover_decision();
            rewrite(&mut d);
            check(&signed_by(golden::RECEIPT_KEY_SEED, d))
        };
        let field = |r: Result<HandoverOutcome, DecisionError>| match r {
            Err(DecisionError::NotAsked { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(field(central(|d| d.number = "QQQQQQQQQQ".into())), "number");
        assert_eq!(field(central(|d| d.nonce = "ab".repeat(32))), "nonce");
        assert_eq!(
            field(central(|d| d.station_id = "mairie-autre".into())),
            "station_id"
        );
        assert_eq!(field(central(|d| d.finger = 2)), "finger");
        assert_eq!(field(central(|d| d.compared_finger = 2)), "compared_finger");
        assert!(matches!(
            central(|d| d.score = 10),
            Err(DecisionError::Inconsistent(_))
        ));
        assert!(matches!(
            central(|d| d.threshold = 5),
            Err(DecisionError::Inconsistent(_))
        ));
        assert!(matches!(
            central(|d| d.decided_at = "2026-12-02T13:03:28Z".into()),
            Err(DecisionError::Stale(_))
        ));
        // The same decision, honestly a refusal, stays a refusal.
        let no_match = central(|d| {
            d.decision = Decision::NoMatch;
            d.score = 20;
        })
        .unwrap();
        assert!(!no_match.matched);
    }
}
