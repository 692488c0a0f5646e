//! The national CA (ECDSA P-256, rcgen on ring): created once in `DATA/keys/`, it signs the central's
//! server certificate and, at enrolment, each station's client certificate from the station's CSR.
//! A station trusts only this CA, and the central only client certificates it issued.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    PKCS_ECDSA_P256_SHA256, SanType, SerialNumber,
};
use ring::rand::{SecureRandom, SystemRandom};
use rustls::pki_types::pem::PemObject;
use time::OffsetDateTime;

use super::private_file;

/// The national CA's certificate (PEM), in `DATA/keys/`.
pub const CA_CERT_FILE: &str = "tls-ca.pem";
/// The national CA's private key (PKCS#8 PEM, ECDSA P-256), in `DATA/keys/`.
pub const CA_KEY_FILE: &str = "tls-ca.key.pem";
/// The central's server certificate (PEM), in `DATA/keys/`.
pub const SERVER_CERT_FILE: &str = "tls-server.pem";
/// The central's server private key (PKCS#8 PEM, ECDSA P-256), in `DATA/keys/`.
pub const SERVER_KEY_FILE: &str = "tls-server.key.pem";

/// How long the national CA is valid: longer than any station's life at the counter.
const CA_VALIDITY: time::Duration = time::Duration::days(20 * 365);
/// How long a server certificate is valid (it is issued again at every start).
const SERVER_VALIDITY: time::Duration = time::Duration::days(365);
/// Clocks of stations and central may differ a little: certificates start a bit in the past.
const CLOCK_SLACK: time::Duration = time::Duration::minutes(10);

/// Why the CA could not be loaded or could not issue a certificate.
#[derive(Debug, thiserror::Error)]
pub enum AuthorityError {
    /// A file could not be read or written.
    #[error("TLS file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file holds no usable key or certificate.
    #[error("TLS file {path} is not valid: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The station's certificate signing request was refused.
    #[error("certificate signing request refused: {0}")]
    BadRequest(String),
    /// Signing failed.
    #[error("cannot issue a certificate: {0}")]
    Signing(String),
}

/// A certificate issued to a station.
#[derive(Debug, Clone)]
pub struct IssuedCertificate {
    /// PEM text, as the station stores it.
    pub pem: String,
    /// Hex SHA-256 of the DER bytes: how the central recognises it on every request.
    pub fingerprint: String,
    /// Hex serial number.
    pub serial: String,
    /// End of validity, RFC 3339 UTC.
    pub not_after: String,
}

/// The national CA, loaded in memory.
pub struct NationalCa {
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
    cert_der: Vec<u8>,
}

impl std::fmt::Debug for NationalCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NationalCa").finish_non_exhaustive()
    }
}

fn keys_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("keys")
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AuthorityError + '_ {
    move |source| AuthorityError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn invalid(path: &Path, reason: impl std::fmt::Display) -> AuthorityError {
    AuthorityError::Invalid {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// A random positive serial number (RFC 5280 allows up to 20 bytes; 16 random bytes never collide).
fn random_serial() -> Result<(SerialNumber, String), AuthorityError> {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| AuthorityError::Signing("the system random source failed".into()))?;
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01;
    Ok((SerialNumber::from_slice(&bytes), hex::encode(bytes)))
}

/// Hex SHA-256 of a certificate's DER bytes.
pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, der))
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl NationalCa {
    /// Loads the CA from `DATA/keys/`, creating it (key and self-signed certificate, mode 0600) on
    /// first use.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, AuthorityError> {
        let dir = keys_dir(data_dir);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let key_path = dir.join(CA_KEY_FILE);
        let cert_path = dir.join(CA_CERT_FILE);
        if !key_path.exists() {
            let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)
                .map_err(|e| AuthorityError::Signing(e.to_string()))?;
            let mut params = CertificateParams::default();
            let mut name = DistinguishedName::new();
            name.push(DnType::CommonName, "dr-central national CA");
            params.distinguished_name = name;
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            let now = OffsetDateTime::now_utc();
            params.not_before = now - CLOCK_SLACK;
            params.not_after = now + CA_VALIDITY;
            params.serial_number = Some(random_serial()?.0);
            let cert = params
                .self_signed(&key)
                .map_err(|e| AuthorityError::Signing(e.to_string()))?;
            private_file::write(&cert_path, cert.pem().as_bytes()).map_err(io(&cert_path))?;
            private_file::write(&key_path, key.serialize_pem().as_bytes())
                .map_err(io(&key_path))?;
            tracing::info!(path = %cert_path.display(), "national CA created");
        }
        Self::load(data_dir)
    }

    /// Loads an existing CA.
    pub fn load(data_dir: &Path) -> Result<Self, AuthorityError> {
        let dir = keys_dir(data_dir);
        let key_path = dir.join(CA_KEY_FILE);
        let cert_path = dir.join(CA_CERT_FILE);
        let key_pem = std::fs::read_to_string(&key_path).map_err(io(&key_path))?;
        let cert_pem = std::fs::read_to_string(&cert_path).map_err(io(&cert_path))?;
        let key = KeyPair::from_pem(&key_pem).map_err(|e| invalid(&key_path, e))?;
        let cert_der = rustls::pki_types::CertificateDer::from_pem_slice(cert_pem.as_bytes())
            .map_err(|e| invalid(&cert_path, e))?
            .to_vec();
        let issuer =
            Issuer::from_ca_cert_pem(&cert_pem, key).map_err(|e| invalid(&cert_path, e))?;
        Ok(Self {
            issuer,
            cert_pem,
            cert_der,
        })
    }

    /// The CA certificate, PEM (what a station is provisioned with).
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The CA certificate, DER.
    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// Issues the central's server certificate for `names` (DNS names or IP addresses), writes it
    /// and its key to `DATA/keys/` (mode 0600) and returns both as PEM.
    pub fn issue_server(
        &self,
        data_dir: &Path,
        names: &[String],
    ) -> Result<(String, String), AuthorityError> {
        let (cert_pem, key_pem) = self.server_certificate(names)?;
        let dir = keys_dir(data_dir);
        let cert_path = dir.join(SERVER_CERT_FILE);
        let key_path = dir.join(SERVER_KEY_FILE);
        private_file::write(&cert_path, cert_pem.as_bytes()).map_err(io(&cert_path))?;
        private_file::write(&key_path, key_pem.as_bytes()).map_err(io(&key_path))?;
        Ok((cert_pem, key_pem))
    }

    /// A server certificate for `names` and its key (PEM), not stored: for a server the stations
    /// should trust as the central, such as a load balancer in front of it (or a test's stand-in).
    pub fn server_certificate(&self, names: &[String]) -> Result<(String, String), AuthorityError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)
            .map_err(|e| AuthorityError::Signing(e.to_string()))?;
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "dr-central");
        params.distinguished_name = dn;
        for name in names {
            let san =
                match name.parse::<IpAddr>() {
                    Ok(ip) => SanType::IpAddress(ip),
                    Err(_) => SanType::DnsName(name.clone().try_into().map_err(|e| {
                        AuthorityError::Signing(format!("server name {name}: {e}"))
                    })?),
                };
            params.subject_alt_names.push(san);
        }
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - CLOCK_SLACK;
        params.not_after = now + SERVER_VALIDITY;
        params.serial_number = Some(random_serial()?.0);
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(|e| AuthorityError::Signing(e.to_string()))?;
        Ok((cert.pem(), key.serialize_pem()))
    }

    /// Issues a station's client certificate from its CSR: the station id is the subject's common
    /// name and a `urn:dr-station:<id>` SAN, whatever the CSR asked; only client authentication.
    pub fn issue_station(
        &self,
        csr_pem: &str,
        station_id: &str,
        town_hall: &str,
        validity: time::Duration,
    ) -> Result<IssuedCertificate, AuthorityError> {
        let csr = CertificateSigningRequestParams::from_pem(csr_pem)
            .map_err(|e| AuthorityError::BadRequest(e.to_string()))?;
        if csr.public_key.algorithm() != &PKCS_ECDSA_P256_SHA256 {
            return Err(AuthorityError::BadRequest(
                "the key must be ECDSA P-256".into(),
            ));
        }
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, station_id);
        dn.push(DnType::OrganizationalUnitName, town_hall);
        params.distinguished_name = dn;
        params.subject_alt_names = vec![SanType::URI(
            format!("urn:dr-station:{station_id}")
                .try_into()
                .map_err(|e| AuthorityError::BadRequest(format!("station id: {e}")))?,
        )];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - CLOCK_SLACK;
        params.not_after = now + validity;
        let (serial, serial_hex) = random_serial()?;
        params.serial_number = Some(serial);
        let csr = CertificateSigningRequestParams {
            params,
            public_key: csr.public_key,
        };
        let cert = csr
            .signed_by(&self.issuer)
            .map_err(|e| AuthorityError::Signing(e.to_string()))?;
        Ok(IssuedCertificate {
            pem: cert.pem(),
            fingerprint: fingerprint(cert.der()),
            serial: serial_hex,
            not_after: rfc3339(now + validity),
        })
    }
}
