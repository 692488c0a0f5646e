//! Before a finger is read: what the central holds for the number (no file, not received yet, a
//! file without fingerprints, or the fingers enrolled), so the clerk asks for the right finger or
//! for none. The answer names fingers, never templates.

use wire::handover::{HandoverSubject, SubjectState};

use super::super::{CentralClient, PreRequestNumber, UplinkError};

/// Asks the central where the file of `number` stands for its handover.
pub fn handover_subject(
    central: &CentralClient,
    number: &PreRequestNumber,
) -> Result<HandoverSubject, UplinkError> {
    let body = central.get_json(&wire::paths::handover_subject(number.as_str()))?;
    let subject: HandoverSubject = serde_json::from_slice(&body)
        .map_err(|e| UplinkError::Malformed(format!("handover subject: {e}")))?;
    // An answer about another number, or fingers outside ISO's ten, is not the central's answer to
    // this question.
    if subject.number != number.as_str() {
        return Err(UplinkError::Malformed(format!(
            "handover subject for {} when {} was asked",
            subject.number,
            number.as_str()
        )));
    }
    let fingers_fit = match subject.state {
        SubjectState::Ready => {
            !subject.fingers.is_empty() && subject.fingers.iter().all(|p| (1..=10).contains(p))
        }
        _ => subject.fingers.is_empty(),
    };
    if !fingers_fit {
        return Err(UplinkError::Malformed(format!(
            "handover subject lists fingers {:?} for state {:?}",
            subject.fingers, subject.state
        )));
    }
    Ok(subject)
}
