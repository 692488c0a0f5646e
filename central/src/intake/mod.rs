//! Intake of sealed records: verify the station's signature, check the header, open with the `hpke`
//! crate, check the payload, store the bytes exactly as received, mark the pre-request consumed,
//! and issue a signed receipt. Idempotent per record id.

pub mod images;
pub mod iso19794_2;
pub mod iso19794_4;
pub mod iso19794_5;
pub mod locks;
mod lost_race;
pub mod manifest;
pub mod paper_form;
pub mod payload;
pub mod sealed;
pub mod signature;
mod tax_stamp;

use std::sync::Arc;

use bytes::Bytes;
use hpke::Deserializable;
use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;

use crate::keys::CentralKeys;
use crate::prerequests::{Catalogue, Status};
use crate::receipts::Receipt;
use crate::storage::{Database, DatabaseError, ObjectError, RecordStore};

/// Why a record was refused. Each maps to one HTTP status and one error code (docs/central-api.md).
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// The path's record id is not a UUID v4.
    #[error("the record id {0:?} in the path is not a UUID v4")]
    BadRecordId(String),
    /// The framing or the header JSON is malformed.
    #[error(transparent)]
    Malformed(#[from] sealed::FramingError),
    /// The station named in the header is not registered.
    #[error("station {0:?} is not registered")]
    UnknownStation(String),
    /// The station signature does not verify.
    #[error("the station signature does not verify")]
    BadSignature,
    /// The header's record id differs from the path's.
    #[error("the header's record id {header} differs from the path's {path}")]
    IdMismatch {
        /// From the path.
        path: String,
        /// From the header.
        header: String,
    },
    /// The header names another suite.
    #[error("unsupported suite {0:?}")]
    WrongSuite(String),
    /// The header names another central key.
    #[error("the record is sealed to central key {0}, not to this central's key")]
    WrongCentralKey(String),
    /// The header's `created_at` is not RFC 3339.
    #[error("created_at {0:?} is not RFC 3339")]
    BadCreatedAt(String),
    /// HPKE open failed although the signature verified.
    #[error("the record cannot be opened with this central's key")]
    CannotOpen,
    /// The payload (tar, manifest, ISO records) is invalid.
    #[error("invalid payload: {0}")]
    InvalidPayload(#[from] payload::PayloadError),
    /// The pre-request is not known.
    #[error("pre-request {0} is not known")]
    UnknownPreRequest(String),
    /// The pre-request cannot be used (declared, unknown, expired).
    #[error("pre-request {number} is {status:?}, not validated")]
    PreRequestNotValidated {
        /// The number.
        number: String,
        /// Its status.
        status: Status,
    },
    /// The pre-request has no appointment at the town hall of the station that sealed the record.
    #[error("pre-request {number} has no appointment at town hall {town_hall:?} of the station")]
    OtherTownHall {
        /// The number.
        number: String,
        /// The station's town hall.
        town_hall: String,
    },
    /// The pre-request was already used by another record.
    #[error("pre-request {0} is already consumed")]
    PreRequestConsumed(String),
    /// The manifest's document type differs from the pre-request's.
    #[error("the record is for a {record} but pre-request {number} asks for a {prerequest}")]
    DocumentTypeMismatch {
        /// The number.
        number: String,
        /// In the manifest.
        record: String,
        /// In the pre-request.
        prerequest: String,
    },
    /// The manifest's height is not one a person has ([`wire::physical::HEIGHT_CM`]): kept in the
    /// central file, a typing mistake would be printed on nothing but would stay on record.
    #[error("height {0} cm is out of range (40 to 260 cm)")]
    HeightOutOfRange(u16),
    /// The manifest answers the storage question on a record where it is not asked (a passport
    /// alone, no prints): the answer would schedule nothing, so it is a station's mistake.
    #[error(
        "fingerprint_storage is only answered for an identity card with prints, not for a {document_type} record with {fingers} finger(s)"
    )]
    FingerprintStorageNotAsked {
        /// In the manifest.
        document_type: String,
        /// Fingers in the manifest.
        fingers: usize,
    },
    /// The manifest names no pre-request and carries no paper form: nothing says whose record it
    /// is.
    #[error("the record names no pre-request and carries no paper form")]
    NoPreRequestNorPaperForm,
    /// The paper form typed at the counter fails the civil-status checks the pre-requests pass.
    #[error("the paper form is refused: {0}")]
    PaperFormInvalid(String),
    /// The manifest has no `signature` entry: neither a signature, nor the clerk's "cannot sign"
    /// with its reason, nor the under-12 exemption. The file would lack what the title needs.
    #[error(
        "the record has no signature entry: a signature, \"cannot-sign\" with a reason, or \"under-12\" is required"
    )]
    SignatureMissing,
    /// The record's stamp is not in the register.
    #[error("tax stamp {0} is not known")]
    TaxStampUnknown(String),
    /// The record's stamp was already used by another record.
    #[error("tax stamp {0} was already used")]
    TaxStampUsed(String),
    /// The record's stamp is worth less than the fee on the day.
    #[error("tax stamp worth {amount_cents} cents for a fee of {due_cents} cents")]
    TaxStampTooLow {
        /// The stamp's value.
        amount_cents: u32,
        /// The fee.
        due_cents: u32,
    },
    /// A fee is due and the record carries no stamp.
    #[error("a fee of {due_cents} cents is due and the record carries no tax stamp")]
    TaxStampMissing {
        /// The fee.
        due_cents: u32,
    },
    /// Another body was already accepted under this record id.
    #[error("record {0} was already received with different bytes")]
    Conflict(String),
    /// The central's database failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
    /// The record store failed.
    #[error(transparent)]
    Storage(#[from] ObjectError),
    /// The checking task died.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What the checks established about a record, before it is committed.
#[derive(Debug, Clone)]
pub struct CheckedRecord {
    /// Canonical (lower-case, hyphenated) record id.
    pub record_id: String,
    /// The station that sealed and signed it.
    pub station_id: String,
    /// Canonical pre-request number from the manifest.
    pub pre_request: String,
    /// Document type from the manifest.
    pub document_type: String,
    /// Hex SHA-256 of the bytes received.
    pub sha256: String,
    /// The paper form typed at the counter, when the record names no pre-request (then
    /// `pre_request` is [`wire::paper_form::NO_PRE_REQUEST`] and none is consumed).
    pub paper_form: Option<Box<wire::paper_form::PaperForm>>,
    /// The minutiae record, kept for handover.
    pub minutiae: Option<crate::templates::MinutiaeRecordBytes>,
    /// The applicant's answer to the storage question, when asked.
    pub fingerprint_storage: Option<wire::fingerprint_storage::FingerprintStorage>,
    /// The manifest's `created_at` (the day the fee is reckoned on).
    pub created_at: String,
    /// The reason of the request as the clerk confirmed it, if the station said.
    pub reason: Option<wire::prerequest::Reason>,
    /// The tax stamp paying the fee, if any.
    pub tax_stamp: Option<wire::tax_stamp::TaxStamp>,
}

/// Everything intake needs; shared by the request handlers.
#[derive(Debug)]
pub struct Intake {
    keys: Arc<CentralKeys>,
    db: Arc<Database>,
    store: RecordStore,
    catalogue: Arc<Catalogue>,
    /// Serialise the "already received? → store → commit" step per record id and per pre-request,
    /// so one record id is never stored with two bodies and one pre-request never receipted twice.
    /// Checking (signature, HPKE, payload) runs outside them; unrelated records run in parallel.
    locks: locks::KeyedLocks,
    /// Where the reference templates of opened records are kept (handover), if anywhere.
    templates: Option<Arc<crate::templates::TemplateStore>>,
    /// Where refusals of storage are scheduled for deletion, if anywhere.
    prints: Option<Arc<crate::prints::PrintsSchedule>>,
    /// The tax stamps the central can check.
    tax_stamps: Arc<crate::tax_stamps::StampBook>,
}

/// Hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

fn canonical_record_id(text: &str) -> Result<String, IntakeError> {
    let id = uuid::Uuid::parse_str(text).map_err(|_| IntakeError::BadRecordId(text.into()))?;
    if id.get_version_num() != 4 {
        return Err(IntakeError::BadRecordId(text.into()));
    }
    Ok(id.hyphenated().to_string())
}

impl Intake {
    /// Builds the intake over the central's keys, database, store and pre-requests.
    pub fn new(
        keys: Arc<CentralKeys>,
        db: Arc<Database>,
        store: RecordStore,
        catalogue: Arc<Catalogue>,
    ) -> Self {
        Self {
            keys,
            db,
            store,
            catalogue,
            locks: locks::KeyedLocks::default(),
            templates: None,
            prints: None,
            tax_stamps: Arc::default(),
        }
    }

    /// Checks records' tax stamps against `book` (none known otherwise: every stamp is refused).
    pub fn check_tax_stamps(mut self, book: Arc<crate::tax_stamps::StampBook>) -> Self {
        self.tax_stamps = book;
        self
    }

    /// Keeps the minutiae record of every record received in `store`, by pre-request number.
    pub fn keep_templates(mut self, store: Arc<crate::templates::TemplateStore>) -> Self {
        self.templates = Some(store);
        self
    }

    /// Schedules the deletion of the prints of every record whose applicant refused storage.
    pub fn schedule_prints(mut self, schedule: Arc<crate::prints::PrintsSchedule>) -> Self {
        self.prints = Some(schedule);
        self
    }

    /// The central's public keys (given to stations at enrolment).
    pub fn public_keys(&self) -> &crate::keys::PublicKeys {
        self.keys.public()
    }

    /// Checks a record without storing it: framing, station signature, header, HPKE, payload.
    pub fn check(&self, path_id: &str, bytes: &[u8]) -> Result<CheckedRecord, IntakeError> {
        let record_id = canonical_record_id(path_id)?;
        let sealed = sealed::parse(bytes)?;
        let header = &sealed.header;

        let station_key = self
            .db
            .station_key(&header.station_id)?
            .ok_or_else(|| IntakeError::UnknownStation(header.station_id.clone()))?;
        // The registered algorithm decides; a header naming another one is refused like a bad
        // signature, so that a record cannot pick a weaker check for itself.
        if header.signature_algorithm() != station_key.algorithm
            || !crate::stations::verify_signature(&station_key, sealed.signed, sealed.signature)
        {
            return Err(IntakeError::BadSignature);
        }

        let header_id =
            canonical_record_id(&header.record_id).map_err(|_| IntakeError::IdMismatch {
                path: record_id.clone(),
                header: header.record_id.clone(),
            })?;
        if header_id != record_id {
            return Err(IntakeError::IdMismatch {
                path: record_id,
                header: header.record_id.clone(),
            });
        }
        if header.suite != sealed::SUITE {
            return Err(IntakeError::WrongSuite(header.suite.clone()));
        }
        if !header
            .central_key_id
            .eq_ignore_ascii_case(&self.keys.public().central_key_id)
        {
            return Err(IntakeError::WrongCentralKey(header.central_key_id.clone()));
        }
        if time::OffsetDateTime::parse(
            &header.created_at,
            &time::format_description::well_known::Rfc3339,
        )
        .is_err()
        {
            return Err(IntakeError::BadCreatedAt(header.created_at.clone()));
        }

        let enc = <X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(sealed.enc)
            .map_err(|_| IntakeError::CannotOpen)?;
        let plaintext = hpke::single_shot_open::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
            &hpke::OpModeR::Base,
            self.keys.record_private(),
            &enc,
            sealed::HPKE_INFO,
            sealed.ciphertext,
            sealed.aad,
        )
        // The opened payload (a citizen's face, fingers and identity) is wiped when dropped,
        // once parsed, refused or not: only what the central keeps leaves this function.
        .map(zeroize::Zeroizing::new)
        .map_err(|_| IntakeError::CannotOpen)?;

        let payload = payload::check(&plaintext, &record_id, &header.station_id)?;
        if payload.manifest.signature.is_none() {
            return Err(IntakeError::SignatureMissing);
        }
        if let Some(cm) = payload.manifest.height_cm
            && !wire::physical::is_plausible_height(cm)
        {
            return Err(IntakeError::HeightOutOfRange(cm));
        }
        if payload.manifest.fingerprint_storage.is_some()
            && !wire::fingerprint_storage::is_asked(
                &payload.manifest.document_type,
                !payload.manifest.fingers.is_empty(),
            )
        {
            return Err(IntakeError::FingerprintStorageNotAsked {
                document_type: payload.manifest.document_type,
                fingers: payload.manifest.fingers.len(),
            });
        }
        let (pre_request, paper_form) =
            match paper_form::taken_for(&payload.manifest, &paper_form::today_for_birth_dates())? {
                paper_form::TakenFor::PreRequest(number) => (number, None),
                paper_form::TakenFor::PaperForm(form) => {
                    (wire::paper_form::NO_PRE_REQUEST.to_owned(), Some(form))
                }
            };
        Ok(CheckedRecord {
            record_id,
            station_id: header.station_id.clone(),
            pre_request,
            paper_form,
            document_type: payload.manifest.document_type,
            sha256: sha256_hex(bytes),
            minutiae: payload.minutiae,
            fingerprint_storage: payload.manifest.fingerprint_storage,
            created_at: payload.manifest.created_at,
            reason: payload.manifest.reason,
            tax_stamp: payload.manifest.tax_stamp,
        })
    }

    /// Receives a record: the same bytes again get the same receipt; see [`IntakeError`] otherwise.
    pub async fn receive(
        self: &Arc<Self>,
        path_id: String,
        bytes: Bytes,
    ) -> Result<Receipt, IntakeError> {
        // Fast path for a replay: identical bytes were fully checked the first time.
        if let Ok(record_id) = canonical_record_id(&path_id) {
            let db = Arc::clone(&self.db);
            let id = record_id.clone();
            let existing = tokio::task::spawn_blocking(move || db.receipt(&id))
                .await
                .map_err(|e| IntakeError::Internal(e.to_string()))??;
            if let Some(receipt) = existing
                && receipt.sha256 == sha256_hex(&bytes)
            {
                tracing::info!(record_id = %record_id, "record received again; same receipt");
                return Ok(receipt);
            }
        }

        let started = std::time::Instant::now();
        let this = Arc::clone(self);
        let body = bytes.clone();
        let checked = tokio::task::spawn_blocking(move || this.check(&path_id, &body))
            .await
            .map_err(|e| IntakeError::Internal(e.to_string()))??;

        // Always the record's lock before the pre-request's: no two tasks wait on each other.
        let _record_guard = self
            .locks
            .lock(&format!("record:{}", checked.record_id))
            .await;
        // A record from the paper form consumes no pre-request: only its record id is locked.
        let _prerequest_guard = match checked.paper_form {
            None => Some(
                self.locks
                    .lock(&format!("pre-request:{}", checked.pre_request))
                    .await,
            ),
            Some(_) => None,
        };
        // And the stamp's last: two records paying with one stamp are checked one after the other.
        let _stamp_guard = match &checked.tax_stamp {
            Some(stamp) => Some(
                self.locks
                    .lock(&format!("tax-stamp:{}", stamp.number))
                    .await,
            ),
            None => None,
        };
        if let Some(receipt) = self.db.receipt(&checked.record_id)? {
            if receipt.sha256 == checked.sha256 {
                return Ok(receipt);
            }
            tracing::warn!(record_id = %checked.record_id, station_id = %checked.station_id,
                "different bytes under an already received record id");
            return Err(IntakeError::Conflict(checked.record_id));
        }
        if let Some(form) = &checked.paper_form {
            return self.receive_paper_form(&checked, form, bytes).await;
        }
        let checked_at = std::time::Instant::now();
        if let Err(error) = self.check_pre_request(&checked) {
            return self.after_failed_check(&checked, error);
        }
        self.store.put(&checked.record_id, bytes).await?;
        // Before the receipt: a retry after a crash here stores them again (same bytes).
        self.keep_minutiae(&checked).await?;
        self.schedule_deletion(&checked).await?;
        let stored_at = std::time::Instant::now();
        let received_at = now_rfc3339();
        let receipt = crate::receipts::issue(
            &self.keys,
            &checked.record_id,
            &checked.sha256,
            &received_at,
        );
        let db = Arc::clone(&self.db);
        let (r, station, number, stamp) = (
            receipt.clone(),
            checked.station_id.clone(),
            checked.pre_request.clone(),
            checked.tax_stamp.as_ref().map(|s| s.number.to_string()),
        );
        let committed = tokio::task::spawn_blocking(move || {
            db.commit_intake(&r, &station, &number, stamp.as_deref())
        })
        .await
        .map_err(|e| IntakeError::Internal(e.to_string()))?;
        if let Err(error) = committed {
            return self.after_failed_commit(&checked, error).await;
        }
        tracing::info!(record_id = %checked.record_id, station_id = %checked.station_id,
            pre_request = %checked.pre_request, sha256 = %checked.sha256,
            check_ms = (checked_at - started).as_millis(),
            store_ms = (stored_at - checked_at).as_millis(),
            commit_ms = stored_at.elapsed().as_millis(), "record stored");
        log_stamp_used(&checked);
        Ok(receipt)
    }

    /// The end of [`Self::receive`] for a record taken from the paper form (its record lock
    /// held): stored, receipted and its form kept; no pre-request to check or consume.
    async fn receive_paper_form(
        &self,
        checked: &CheckedRecord,
        form: &wire::paper_form::PaperForm,
        bytes: Bytes,
    ) -> Result<Receipt, IntakeError> {
        // The fee follows the form as it follows a pre-request: the same document, reason and
        // birth date decide it, and the stamp is used in the receipt's transaction below.
        self.check_tax_stamp(
            checked,
            tax_stamp::FeeBasis {
                document_type: form.document_type,
                reason: form.reason,
                birth_date: &form.applicant.birth_date,
                older_station_exempt: false,
            },
        )?;
        let form_json =
            serde_json::to_string(form).map_err(|e| IntakeError::Internal(e.to_string()))?;
        self.store.put(&checked.record_id, bytes).await?;
        let receipt = crate::receipts::issue(
            &self.keys,
            &checked.record_id,
            &checked.sha256,
            &now_rfc3339(),
        );
        let db = Arc::clone(&self.db);
        let (r, station, stamp) = (
            receipt.clone(),
            checked.station_id.clone(),
            checked.tax_stamp.as_ref().map(|s| s.number.to_string()),
        );
        let committed = tokio::task::spawn_blocking(move || {
            db.commit_paper_intake(&r, &station, &form_json, stamp.as_deref())
        })
        .await
        .map_err(|e| IntakeError::Internal(e.to_string()))?;
        if let Err(error) = committed {
            return self.after_failed_commit(checked, error).await;
        }
        tracing::info!(record_id = %checked.record_id, station_id = %checked.station_id,
            sha256 = %checked.sha256, cerfa = %form.cerfa,
            "record stored, taken without a pre-request from the paper form");
        log_stamp_used(checked);
        Ok(receipt)
    }

    async fn keep_minutiae(&self, checked: &CheckedRecord) -> Result<(), IntakeError> {
        let (Some(store), Some(minutiae)) = (&self.templates, &checked.minutiae) else {
            return Ok(());
        };
        let store = Arc::clone(store);
        let (number, record_id, station_id, bytes) = (
            checked.pre_request.clone(),
            checked.record_id.clone(),
            checked.station_id.clone(),
            minutiae.0.clone(),
        );
        tokio::task::spawn_blocking(move || store.put(&number, &record_id, &station_id, &bytes))
            .await
            .map_err(|e| IntakeError::Internal(e.to_string()))??;
        tracing::info!(record_id = %checked.record_id, pre_request = %checked.pre_request,
            bytes = minutiae.0.len(), "reference templates kept for handover");
        Ok(())
    }

    async fn schedule_deletion(&self, checked: &CheckedRecord) -> Result<(), IntakeError> {
        let (Some(schedule), Some(wire::fingerprint_storage::FingerprintStorage::Refused)) =
            (&self.prints, checked.fingerprint_storage)
        else {
            return Ok(());
        };
        let schedule = Arc::clone(schedule);
        let (record_id, number) = (checked.record_id.clone(), checked.pre_request.clone());
        tokio::task::spawn_blocking(move || {
            schedule.note_refusal(&record_id, &number, time::OffsetDateTime::now_utc())
        })
        .await
        .map_err(|e| IntakeError::Internal(e.to_string()))??;
        tracing::info!(record_id = %checked.record_id, pre_request = %checked.pre_request,
            "storage refused: prints scheduled for deletion");
        Ok(())
    }

    fn check_pre_request(&self, checked: &CheckedRecord) -> Result<(), IntakeError> {
        let number = &checked.pre_request;
        let entry = self
            .catalogue
            .lookup(number)
            .ok_or_else(|| IntakeError::UnknownPreRequest(number.clone()))?;
        // The station that signed the record, not the connection it came over, files it: its
        // town hall must hold the appointment (a pre-request that cannot be used anyway is refused
        // below for that reason, as the station was told when it looked it up).
        let town_hall = self
            .db
            .station_town_hall(&checked.station_id)?
            .unwrap_or_default();
        if !wire::town_hall::visible_from(&entry, &town_hall) {
            tracing::warn!(record_id = %checked.record_id, station_id = %checked.station_id,
                pre_request = %number, town_hall, "record for another town hall's pre-request");
            return Err(IntakeError::OtherTownHall {
                number: number.clone(),
                town_hall,
            });
        }
        if self.db.consumed_by(number)?.is_some() || entry.status == Status::Consumed {
            return Err(IntakeError::PreRequestConsumed(number.clone()));
        }
        if entry.status != Status::Validated {
            return Err(IntakeError::PreRequestNotValidated {
                number: number.clone(),
                status: entry.status,
            });
        }
        if entry.document_type.as_str() != checked.document_type {
            return Err(IntakeError::DocumentTypeMismatch {
                number: number.clone(),
                record: checked.document_type.clone(),
                prerequest: entry.document_type.as_str().to_owned(),
            });
        }
        self.check_tax_stamp(
            checked,
            tax_stamp::FeeBasis {
                document_type: entry.document_type,
                reason: entry.reason,
                birth_date: &entry.applicant.birth_date,
                older_station_exempt: true,
            },
        )
    }
}

/// The central's trace of the fee once the record is committed: which record used the stamp, and
/// whether the counter could check it (the number itself stays in the database, not in the log).
fn log_stamp_used(checked: &CheckedRecord) {
    if let Some(stamp) = &checked.tax_stamp {
        tracing::info!(record_id = %checked.record_id, station_id = %checked.station_id,
            amount_cents = stamp.amount_cents, checked_at_counter = stamp.checked_at_counter,
            "tax stamp used");
    }
}

/// Now, RFC 3339 UTC to the second (`2026-11-27T07:00:00Z`).
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}
