//! The signed decision: every field the station asked is echoed, and the receipt key (which the
//! station already pins for receipts) signs them all, so a proxy can change none of them.

use time::OffsetDateTime;
use wire::handover::{Decision, HandoverDecision};

use super::OpenedClaim;
use crate::keys::CentralKeys;

/// Builds and signs the decision for `claim`.
pub(crate) fn issue(
    keys: &CentralKeys,
    claim: &OpenedClaim,
    compared_finger: u8,
    score: u32,
    threshold: u32,
    decision: Decision,
    now: OffsetDateTime,
) -> HandoverDecision {
    let mut answer = HandoverDecision {
        number: claim.number.clone(),
        nonce: claim.nonce.clone(),
        station_id: claim.station_id.clone(),
        finger: claim.finger,
        compared_finger,
        score,
        threshold,
        decision,
        decided_at: rfc3339_seconds(now),
        signature: String::new(),
    };
    answer.signature = hex::encode(keys.sign_receipt(answer.canonical_string().as_bytes()));
    answer
}

/// `now` as RFC 3339 UTC to the second, with `Z`.
fn rfc3339_seconds(now: OffsetDateTime) -> String {
    let now = now.to_offset(time::UtcOffset::UTC);
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::golden;

    /// PKCS#8 v1 of an Ed25519 seed (RFC 8410): the fixed prefix, then the 32-byte seed.
    fn pkcs8_v1(seed: &[u8; 32]) -> Vec<u8> {
        let mut doc = hex::decode("302e020100300506032b657004220420").unwrap_or_default();
        doc.extend_from_slice(seed);
        doc
    }

    #[test]
    fn the_central_issues_the_golden_decision() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("keys"))?;
        std::fs::write(dir.path().join("keys/record.x25519"), [7u8; 32])?;
        std::fs::write(
            dir.path().join("keys/receipt.ed25519.p8"),
            pkcs8_v1(&golden::RECEIPT_KEY_SEED),
        )?;
        let keys = CentralKeys::load(dir.path())?;
        let expected = golden::handover_decision();
        let claim = golden::handover_claim();
        let opened = OpenedClaim {
            number: claim.number,
            finger: claim.finger,
            nonce: claim.nonce,
            station_id: claim.station_id,
            requested_at: claim.requested_at,
            template: fingerprint::Template {
                width: 256,
                height: 288,
                resolution_ppcm: fingerprint::RESOLUTION_500_PPI,
                minutiae: Vec::new(),
            },
        };
        let decided_at = OffsetDateTime::parse(
            &expected.decided_at,
            &time::format_description::well_known::Rfc3339,
        )?;
        let decision = issue(
            &keys,
            &opened,
            expected.compared_finger,
            expected.score,
            expected.threshold,
            expected.decision,
            decided_at,
        );
        assert_eq!(
            String::from_utf8(serde_json::to_vec(&decision)?)?,
            String::from_utf8(golden::HANDOVER_DECISION_JSON.to_vec())?
        );
        assert_eq!(
            decision.canonical_string().as_bytes(),
            golden::HANDOVER_DECISION_CANONICAL
        );
        Ok(())
    }
}
