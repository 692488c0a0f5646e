//! `station outbox approve|reject RECORD --operator NAME [--reason ...]`: a supervisor's decision on
//! a record sealed with an exception, behind the operator gate (supervisor accounts only, PIN read
//! from standard input), audited with the supervisor's name, the reason and the record.

use std::path::Path;

use anyhow::{Context, bail};

use super::operator_gate::{OperatorArgs, sign_in};
use crate::{
    audit::AuditEvent,
    operators::Role,
    outbox::{
        Outbox, OutboxError,
        review::{Decision, clean_reason},
    },
};

fn supervisor_only(role: Role) -> bool {
    role == Role::Supervisor
}

/// Applies `decision` to `record` in the outbox of the station configured at `config`.
pub fn decide(
    config: &Path,
    record: &str,
    operator: &str,
    decision: Decision,
    reason: &str,
) -> anyhow::Result<()> {
    let record_id = record.trim().to_ascii_lowercase();
    let reason = clean_reason(reason);
    // Refused before the PIN is asked: nothing to sign in for.
    if decision == Decision::Reject && reason.is_empty() {
        bail!("un refus demande un motif : --reason \"...\"");
    }
    let command = match decision {
        Decision::Approve => "outbox approve",
        Decision::Reject => "outbox reject",
    };
    let signed = sign_in(
        &OperatorArgs {
            config: config.to_path_buf(),
            operator: operator.to_owned(),
        },
        command,
        supervisor_only,
        Some(&record_id),
    )?;
    let path = signed.config().outbox_path();
    // Opened without owning it when the station's app runs: the decision is one transaction, the
    // app's uploader takes an approved record at its next pass.
    let outbox = Outbox::open(&path).with_context(|| format!("outbox {}", path.display()))?;
    let supervisor = signed.operator().name.clone();
    match outbox.decide(&record_id, decision, &supervisor, &reason) {
        Ok(()) => {}
        Err(OutboxError::WrongState { .. }) => {
            bail!("le dossier {record_id} n'attend pas de décision d'un superviseur")
        }
        Err(e) => return Err(e.into()),
    }
    signed.audit(&match decision {
        Decision::Approve => AuditEvent::ReviewApproved {
            record_id: record_id.clone(),
            supervisor: supervisor.clone(),
            reason: Some(reason).filter(|r| !r.is_empty()),
        },
        Decision::Reject => AuditEvent::ReviewRejected {
            record_id: record_id.clone(),
            supervisor: supervisor.clone(),
            reason,
        },
    })?;
    crate::outln!(
        "record={record_id} reference={} decision={} supervisor={supervisor}",
        wire::case_reference::case_reference(&record_id),
        decision.as_str()
    );
    if decision == Decision::Reject {
        crate::outln!(
            "Le dossier est effacé et ne sera pas envoyé : le demandeur doit revenir pour une nouvelle demande."
        );
    }
    Ok(())
}
