//! The pre-request check before an enrolment starts: status (ANTS-shaped) and content. Fails closed:
//! anything but a clear `validated` answer means no enrolment.

use std::collections::BTreeMap;

use super::{CentralClient, UplinkError};

/// A pre-request number that is well formed: exactly 10 characters `[A-Z0-9]`, upper-cased
/// (docs/reference/counter-workflow.md, "The pre-request check").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PreRequestNumber(String);

/// The number typed or scanned is not a pre-request number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Numéro de pré-demande invalide « {0} » : il faut 10 caractères, lettres et chiffres.")]
pub struct BadNumber(pub String);

impl PreRequestNumber {
    /// Trims and upper-cases, then checks the format.
    pub fn parse(text: &str) -> Result<Self, BadNumber> {
        let number = text.trim().to_ascii_uppercase();
        if number.len() == 10
            && number
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            Ok(Self(number))
        } else {
            let shown: String = text.chars().take(20).collect();
            Err(BadNumber(shown))
        }
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PreRequestNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Status of a pre-request, as the ANTS coordination API reports it (the wire type).
pub use wire::prerequest::Status as PreRequestStatus;
use wire::prerequest::StatusEntry;
/// A pre-request's content and its parts (the wire types).
pub use wire::prerequest::{Applicant, DocumentType, Parent, PreRequest, Reason, Sex};

impl CentralClient {
    /// `GET /api/status?application_ids=N`: the pre-request's status. Any doubt is an error.
    pub fn pre_request_status(
        &self,
        number: &PreRequestNumber,
    ) -> Result<PreRequestStatus, UplinkError> {
        let body = self.get_json(&wire::paths::status(number.as_str()))?;
        let answer: BTreeMap<String, StatusEntry> =
            serde_json::from_slice(&body).map_err(|e| UplinkError::Malformed(e.to_string()))?;
        answer
            .get(number.as_str())
            .map(|e| e.status)
            .ok_or_else(|| UplinkError::Malformed(format!("no status for {number} in the answer")))
    }

    /// `GET /v1/pre-requests/N`: the pre-request's content.
    pub fn pre_request(&self, number: &PreRequestNumber) -> Result<PreRequest, UplinkError> {
        let body = self
            .get_json(&wire::paths::pre_request(number.as_str()))
            .map_err(|e| match e {
                UplinkError::Status { status: 404, .. } => UplinkError::NotFound,
                other => other,
            })?;
        let pre: PreRequest =
            serde_json::from_slice(&body).map_err(|e| UplinkError::Malformed(e.to_string()))?;
        if pre.number != number.as_str() {
            return Err(UplinkError::Malformed(format!(
                "asked for {number}, got {}",
                pre.number
            )));
        }
        Ok(pre)
    }

    /// Both checks; `Ok` only for a validated pre-request whose content loaded. The error's
    /// `Display` is for the log; [`clerk_message`] gives the clerk's sentence.
    pub fn usable_pre_request(&self, number: &PreRequestNumber) -> Result<PreRequest, UplinkError> {
        let status = self.pre_request_status(number)?;
        if status != PreRequestStatus::Validated {
            return Err(UplinkError::Status {
                status: 200,
                code: status.as_str().to_owned(),
                detail: "pre-request not usable".into(),
            });
        }
        let pre = self.pre_request(number)?;
        if pre.status != PreRequestStatus::Validated {
            return Err(UplinkError::Malformed("status and content disagree".into()));
        }
        Ok(pre)
    }
}

/// The clerk's sentence for a failed pre-request check.
pub fn clerk_message(error: &UplinkError) -> String {
    match error {
        UplinkError::BadNumber(e) => e.to_string(),
        e if e.is_announced_records_missing() => "Le service national suspend les nouvelles demandes de \
             cette station : des dossiers scellés ici ne lui sont jamais parvenus. Prévenez le support technique."
            .into(),
        e if e.is_other_town_hall() => "Cette pré-demande concerne une autre mairie : le rendez-vous \
             n'est pas pris ici."
            .into(),
        UplinkError::NotFound => "Pré-demande introuvable : vérifiez le numéro avec l'usager.".into(),
        UplinkError::Status { status: 200, code, .. } => match code.as_str() {
            "consumed" => "Cette pré-demande a déjà été utilisée pour un dossier.".into(),
            "expired" => "Cette pré-demande a expiré : l'usager doit en faire une nouvelle.".into(),
            "declared" => "Cette pré-demande n'est pas reconnue comme officielle.".into(),
            _ => "Pré-demande inconnue : vérifiez le numéro avec l'usager.".into(),
        },
        UplinkError::Unauthorized => {
            "Le service national refuse la station (jeton invalide) : prévenez le support technique.".into()
        }
        UplinkError::UntrustedCentral(_) => "Le service national n'a pas pu être authentifié (connexion \
             interceptée ?) : prévenez le support technique."
            .into(),
        UplinkError::Trust(_) => "La station n'est pas raccordée au service national (certificat absent ou \
             adresse non sécurisée) : prévenez le support technique."
            .into(),
        UplinkError::Status {
            status: 401 | 403, ..
        } => "Le service national refuse cette station (révoquée ou certificat remplacé) : \
              prévenez le support technique."
            .into(),
        _ => "Vérification de la pré-demande impossible pour le moment (service national injoignable ou \
              réponse invalide). Réessayez dans un instant."
            .into(),
    }
}
