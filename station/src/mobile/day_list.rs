//! The day's appointments on the kit's disk, encrypted: they are personal data (names, dates of
//! birth, addresses of people in care homes and hospitals) carried out of the town hall on a
//! laptop that can be lost. The file is AES-256-GCM under a key derived for each writing from the
//! station's secret (HMAC-SHA256 in the token in production, the key that also tags pre-request
//! numbers and account rows) and a fresh salt: a copy of the disk without the token reads nothing.
//! The list is rewritten without each pre-request once its record is sealed, and deleted once its
//! day is past or on demand.

use std::path::{Path, PathBuf};

use ring::{
    aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey},
    rand::{SecureRandom, SystemRandom},
};
use wire::appointments::DayAppointments;
use zeroize::Zeroizing;

use crate::outbox::SharedNumberKey;
use crate::uplink::{PreRequest, PreRequestNumber};

/// The first bytes of the file, also bound to the ciphertext: a file of another kind or version
/// is refused rather than misread.
const MAGIC: &[u8] = b"station mobile day list v1\n";
/// The key derivation's domain, apart from the other uses of the same secret.
const DOMAIN: &[u8] = b"station mobile day list key v1\n";
/// Length of the salt that makes each writing's key new.
const SALT_LEN: usize = 32;

/// Why the day's list could not be kept or read.
#[derive(Debug, thiserror::Error)]
pub enum DayListError {
    /// The file could not be written, read or deleted.
    #[error("day list {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The station's secret did not derive the key.
    #[error("day list key: {0}")]
    Key(String),
    /// The file is not a list this station wrote (another key, a changed byte, another format).
    #[error("day list {0}: not readable with this station's key (changed, or written elsewhere)")]
    Unreadable(PathBuf),
}

/// The list kept on disk, and the key it is encrypted with.
#[derive(Debug, Clone)]
pub struct DayList {
    path: PathBuf,
    key: SharedNumberKey,
}

impl DayList {
    /// The list's file under the data directory.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join("mobile-day.sealed")
    }

    /// The list at its usual place, encrypted with `key` (the station's secret).
    pub fn open(data_dir: &Path, key: SharedNumberKey) -> Self {
        Self {
            path: Self::default_path(data_dir),
            key,
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self) -> impl FnOnce(std::io::Error) -> DayListError + '_ {
        move |source| DayListError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn cipher(&self, salt: &[u8]) -> Result<LessSafeKey, DayListError> {
        let mut message = DOMAIN.to_vec();
        message.extend_from_slice(salt);
        let secret = Zeroizing::new(self.key.mac(&message).map_err(DayListError::Key)?);
        let key = UnboundKey::new(&AES_256_GCM, secret.as_ref())
            .map_err(|_| DayListError::Key("AES-256-GCM key refused".into()))?;
        Ok(LessSafeKey::new(key))
    }

    /// Writes `day` (replacing any list kept), encrypted, in a 0600 file.
    pub fn save(&self, day: &DayAppointments) -> Result<(), DayListError> {
        let rng = SystemRandom::new();
        let mut salt = [0u8; SALT_LEN];
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill(&mut salt)
            .and_then(|()| rng.fill(&mut nonce))
            .map_err(|_| DayListError::Key("no randomness".into()))?;
        let mut data =
            Zeroizing::new(serde_json::to_vec(day).map_err(|e| DayListError::Key(e.to_string()))?);
        self.cipher(&salt)?
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(MAGIC),
                &mut *data,
            )
            .map_err(|_| DayListError::Key("encryption failed".into()))?;
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&salt);
        file.extend_from_slice(&nonce);
        file.extend_from_slice(&data);
        crate::files::write_private(&self.path, &file).map_err(self.io())
    }

    /// The list kept, `None` when there is none.
    pub fn load(&self) -> Result<Option<DayAppointments>, DayListError> {
        let file = match std::fs::read(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io()(e)),
        };
        let unreadable = || DayListError::Unreadable(self.path.clone());
        let rest = file.strip_prefix(MAGIC).ok_or_else(unreadable)?;
        if rest.len() < SALT_LEN + NONCE_LEN {
            return Err(unreadable());
        }
        let (salt, rest) = rest.split_at(SALT_LEN);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| unreadable())?;
        let mut sealed = Zeroizing::new(sealed.to_vec());
        let clear = self
            .cipher(salt)?
            .open_in_place(nonce, Aad::from(MAGIC), &mut sealed)
            .map_err(|_| unreadable())?;
        serde_json::from_slice(clear)
            .map(Some)
            .map_err(|_| unreadable())
    }

    /// The pre-request `number` if the list holds it.
    pub fn find(&self, number: &PreRequestNumber) -> Result<Option<PreRequest>, DayListError> {
        Ok(self.load()?.and_then(|day| {
            day.pre_requests
                .into_iter()
                .find(|p| p.number == number.as_str())
        }))
    }

    /// Takes `number` out of the list once its record is sealed (the kit no longer needs that
    /// person's data); true when it was there.
    pub fn used(&self, number: &str) -> Result<bool, DayListError> {
        let Some(mut day) = self.load()? else {
            return Ok(false);
        };
        let before = day.pre_requests.len();
        day.pre_requests.retain(|p| p.number != number);
        if day.pre_requests.len() == before {
            return Ok(false);
        }
        self.save(&day)?;
        Ok(true)
    }

    /// Deletes the list kept, if any; true when there was one.
    pub fn forget(&self) -> Result<bool, DayListError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.io()(e)),
        }
    }

    /// Deletes the list when its day is before `today` (`YYYY-MM-DD`, the local date): the day's
    /// visits are over. A list that cannot be read any more is deleted too. True when deleted.
    pub fn forget_if_past(&self, today: &str) -> Result<bool, DayListError> {
        match self.load() {
            Ok(Some(day)) if day.date.as_str() >= today => Ok(false),
            Ok(None) => Ok(false),
            Ok(Some(_)) | Err(DayListError::Unreadable(_)) => self.forget(),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[derive(Debug)]
    struct TestKey(u8);

    impl crate::outbox::NumberKey for TestKey {
        fn mac(&self, message: &[u8]) -> Result<[u8; 32], String> {
            let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[self.0; 32]);
            let tag = ring::hmac::sign(&key, message);
            let mut out = [0u8; 32];
            out.copy_from_slice(tag.as_ref());
            Ok(out)
        }
    }

    fn day(date: &str) -> DayAppointments {
        let pre: PreRequest = serde_json::from_str(
            r#"{"number":"TOURNEE001","status":"validated","document_type":"cni","reason":"first",
            "applicant":{"surname":"Vasseur","given_names":"Madeleine","birth_date":"1931-02-11",
            "birth_place":"Lyon (69)","sex":"F","address":"EHPAD Les Tilleuls","parents":[]},
            "appointments":[]}"#,
        )
        .unwrap();
        DayAppointments {
            town_hall: "69382-02".into(),
            date: date.into(),
            pre_requests: vec![pre],
        }
    }

    #[test]
    fn the_list_reads_back_only_with_its_key_and_never_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let list = DayList::open(dir.path(), Arc::new(TestKey(1)));
        assert!(list.load().unwrap().is_none());
        list.save(&day("2026-12-14")).unwrap();
        let bytes = std::fs::read(list.path()).unwrap();
        for clear in ["Vasseur", "TOURNEE001", "1931-02-11", "EHPAD"] {
            assert!(
                !bytes.windows(clear.len()).any(|w| w == clear.as_bytes()),
                "{clear} in clear"
            );
        }
        assert_eq!(list.load().unwrap(), Some(day("2026-12-14")));
        let number = PreRequestNumber::parse("TOURNEE001").unwrap();
        assert!(list.find(&number).unwrap().is_some());
        let other = DayList::open(dir.path(), Arc::new(TestKey(2)));
        assert!(matches!(other.load(), Err(DayListError::Unreadable(_))));
        let mut changed = bytes.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        std::fs::write(list.path(), &changed).unwrap();
        assert!(matches!(list.load(), Err(DayListError::Unreadable(_))));
    }

    #[test]
    fn a_used_pre_request_and_a_past_day_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let list = DayList::open(dir.path(), Arc::new(TestKey(1)));
        list.save(&day("2026-12-14")).unwrap();
        assert!(list.used("TOURNEE001").unwrap());
        assert!(!list.used("TOURNEE001").unwrap());
        assert!(list.load().unwrap().unwrap().pre_requests.is_empty());
        assert!(!list.forget_if_past("2026-12-14").unwrap());
        assert!(list.forget_if_past("2026-12-15").unwrap());
        assert!(!list.path().exists());
    }
}
