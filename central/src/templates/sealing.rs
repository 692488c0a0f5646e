//! The templates are kept encrypted (AES-256-GCM) with a key of their own in `DATA/keys/`, beside
//! the central's other keys: a copy of `templates.sqlite` alone (a backup, a file left on a
//! replaced disk) gives no minutiae. Each row is bound to its pre-request number and record id, so
//! that a row moved under another number does not open.

use std::path::{Path, PathBuf};

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

/// The key's file in `DATA/keys/`: 32 raw bytes, mode 0600.
pub const TEMPLATES_KEY_FILE: &str = "templates.key";

/// What starts every sealed row (and tells it from a row written before encryption).
const MAGIC: &[u8; 4] = b"TPL1";

/// Why the key could not be had, or a row not opened.
#[derive(Debug, thiserror::Error)]
pub enum SealingError {
    /// The key file could not be read or written.
    #[error("template key {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The key file does not hold a key.
    #[error("template key {0} is not 32 bytes")]
    BadKey(PathBuf),
    /// The system random source failed.
    #[error("the system random source failed")]
    Random,
    /// A row does not open with this key (another key, or altered).
    #[error("the templates of {0} do not open with this central's template key")]
    CannotOpen(String),
}

/// The template key, in memory.
pub struct TemplateKey {
    key: LessSafeKey,
    rng: SystemRandom,
}

impl std::fmt::Debug for TemplateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TemplateKey(..)")
    }
}

fn aad(number: &str, record_id: &str) -> Vec<u8> {
    format!("dr-central templates v1\n{number}\n{record_id}\n").into_bytes()
}

impl TemplateKey {
    /// Loads `DATA/keys/templates.key`, creating it if missing. Creation is atomic (a link of a
    /// fully written file), so two processes starting at once end up with the same key.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, SealingError> {
        let dir = data_dir.join("keys");
        let path = dir.join(TEMPLATES_KEY_FILE);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| SealingError::Io { path, source }
        };
        let rng = SystemRandom::new();
        if !path.exists() {
            crate::storage::private::create_dir(&dir).map_err(io(&dir))?;
            let mut raw = Zeroizing::new([0u8; 32]);
            rng.fill(raw.as_mut()).map_err(|_| SealingError::Random)?;
            let partial = dir.join(format!(
                "{TEMPLATES_KEY_FILE}.{}.partial",
                std::process::id()
            ));
            {
                use std::io::Write;
                let mut file =
                    crate::storage::private::create_new(&partial).map_err(io(&partial))?;
                file.write_all(raw.as_ref()).map_err(io(&partial))?;
                file.sync_all().map_err(io(&partial))?;
            }
            let linked = std::fs::hard_link(&partial, &path);
            let _ = std::fs::remove_file(&partial);
            match linked {
                Ok(()) => tracing::info!(path = %path.display(), "created the template key"),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io(&path)(e)),
            }
        }
        let raw = Zeroizing::new(std::fs::read(&path).map_err(io(&path))?);
        let unbound =
            UnboundKey::new(&AES_256_GCM, &raw).map_err(|_| SealingError::BadKey(path.clone()))?;
        Ok(Self {
            key: LessSafeKey::new(unbound),
            rng,
        })
    }

    /// Whether `stored` is a sealed row (rather than one written before encryption).
    pub fn is_sealed(stored: &[u8]) -> bool {
        stored.starts_with(MAGIC)
    }

    /// Seals `minutiae` kept for `number` from `record_id`.
    pub fn seal(
        &self,
        number: &str,
        record_id: &str,
        minutiae: &[u8],
    ) -> Result<Vec<u8>, SealingError> {
        let mut nonce = [0u8; NONCE_LEN];
        self.rng
            .fill(&mut nonce)
            .map_err(|_| SealingError::Random)?;
        let mut sealed = minutiae.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad(number, record_id)),
                &mut sealed,
            )
            .map_err(|_| SealingError::Random)?;
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a row sealed by [`TemplateKey::seal`] for the same number and record id.
    pub fn open(
        &self,
        number: &str,
        record_id: &str,
        stored: &[u8],
    ) -> Result<Vec<u8>, SealingError> {
        let refused = || SealingError::CannotOpen(number.to_owned());
        let rest = stored.strip_prefix(MAGIC.as_slice()).ok_or_else(refused)?;
        if rest.len() < NONCE_LEN {
            return Err(refused());
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| refused())?;
        let mut in_out = sealed.to_vec();
        let opened = self
            .key
            .open_in_place(nonce, Aad::from(aad(number, record_id)), &mut in_out)
            .map_err(|_| refused())?;
        Ok(opened.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_rows_open_only_where_they_were_sealed() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let key = TemplateKey::load_or_create(dir.path())?;
        let sealed = key.seal("DEMO000001", "r1", b"minutiae")?;
        assert!(TemplateKey::is_sealed(&sealed));
        assert!(!sealed.windows(8).any(|w| w == b"minutiae"));
        assert_eq!(key.open("DEMO000001", "r1", &sealed)?, b"minutiae");
        assert!(key.open("DEMO000002", "r1", &sealed).is_err());
        // The same key comes back from the file.
        let again = TemplateKey::load_or_create(dir.path())?;
        assert_eq!(again.open("DEMO000001", "r1", &sealed)?, b"minutiae");
        Ok(())
    }
}
