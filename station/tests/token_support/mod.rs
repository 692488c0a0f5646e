//! A throwaway PKCS#11 token for the tests: SoftHSM2 with its own configuration and token directory
//! in a temporary directory, and a software P-256 signer for tests that only need the algorithm.
//!
//! SoftHSM2 reads `SOFTHSM2_CONF` once, when the module is initialised. Setting it from inside a
//! threaded test process would race with every other thread reading the environment, so a test
//! that needs a token runs itself again in a child process with the variable set from the start
//! ([`in_softhsm`]); the child does the work, the parent reports its outcome.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::Command,
};

use ring::{
    rand::SystemRandom,
    signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair},
};
use station::seal::{SealError, SignatureAlgorithm, Signer, StationPublicKey, TokenSettings};

/// SoftHSM2's module as Debian installs it (`apt-get install softhsm2`; `.ci/run` does).
pub const SOFTHSM_MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
/// Set in the child: the sandbox directory.
const SANDBOX_VARIABLE: &str = "STATION_TEST_SOFTHSM_DIR";
/// The user PIN of every test token.
pub const PIN: &str = "731904";

/// A SoftHSM2 configuration of its own, in a directory that lives as long as the parent test.
pub struct Sandbox {
    pub dir: PathBuf,
}

impl Sandbox {
    /// Initialises a token labelled `label` in the sandbox (the SO PIN is thrown away).
    pub fn init_token(&self, label: &str) {
        let out = Command::new("softhsm2-util")
            .args(["--init-token", "--free", "--label", label])
            .args(["--so-pin", "0000000", "--pin", PIN])
            .output()
            .expect("softhsm2-util (install softhsm2)");
        assert!(
            out.status.success(),
            "softhsm2-util --init-token: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The `[identity]` settings of the key `key_label` in the token `token_label`, the PIN in a
    /// 0600 file of the sandbox.
    pub fn settings(&self, token_label: &str, key_label: &str) -> TokenSettings {
        let pin_file = self.dir.join(format!("{token_label}.pin"));
        std::fs::write(&pin_file, format!("{PIN}\n")).unwrap();
        std::fs::set_permissions(&pin_file, std::fs::Permissions::from_mode(0o600)).unwrap();
        TokenSettings {
            module: PathBuf::from(SOFTHSM_MODULE),
            token_label: token_label.to_owned(),
            key_label: key_label.to_owned(),
            pin_file: Some(pin_file),
        }
    }
}

/// Runs `body` with a SoftHSM2 sandbox: in a child process of this test binary that runs only
/// `test` (its full path, `module::name`), with `SOFTHSM2_CONF` set from its start.
pub fn in_softhsm(test: &str, body: impl FnOnce(&Sandbox)) {
    if let Some(dir) = std::env::var_os(SANDBOX_VARIABLE) {
        body(&Sandbox {
            dir: PathBuf::from(dir),
        });
        return;
    }
    assert!(
        Path::new(SOFTHSM_MODULE).exists(),
        "{SOFTHSM_MODULE} is missing: install softhsm2 (apt-get install softhsm2)"
    );
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    let conf = dir.path().join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n",
            tokens.display()
        ),
    )
    .unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            test,
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "--include-ignored",
        ])
        .env("SOFTHSM2_CONF", &conf)
        .env(SANDBOX_VARIABLE, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "{test} failed in its SoftHSM2 sandbox"
    );
    assert!(
        stdout.contains("1 passed"),
        "{test} did not run in its sandbox: is the name its full path?"
    );
}

/// A P-256 key in memory: the token's algorithm without a token, for format tests.
pub struct SoftP256 {
    key: EcdsaKeyPair,
    public: StationPublicKey,
}

impl std::fmt::Debug for SoftP256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SoftP256")
    }
}

impl SoftP256 {
    pub fn generate() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let public = StationPublicKey::new(
            SignatureAlgorithm::EcdsaP256Sha256,
            key.public_key().as_ref().to_vec(),
        )
        .unwrap();
        Self { key, public }
    }
}

impl Signer for SoftP256 {
    fn station_key(&self) -> &StationPublicKey {
        &self.public
    }

    fn sign_message(&self, message: &[u8]) -> Result<[u8; 64], SealError> {
        let signature = self
            .key
            .sign(&SystemRandom::new(), message)
            .map_err(|_| SealError::Crypto("P-256 signature"))?;
        Ok(<[u8; 64]>::try_from(signature.as_ref()).unwrap())
    }
}
