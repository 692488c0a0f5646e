//! HPKE (RFC 9180) base mode, sender side, on ring: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//! AES-256-GCM. Definitions quoted in `docs/reference/hpke-on-ring.md`.

use ring::{aead, agreement, hkdf, hmac, rand::SystemRandom};
use zeroize::Zeroizing;

use super::SealError;

/// KEM id of DHKEM(X25519, HKDF-SHA256) (docs/reference/hpke-on-ring.md).
pub const KEM_X25519_HKDF_SHA256: u16 = 0x0020;
/// KDF id of HKDF-SHA256.
pub const KDF_HKDF_SHA256: u16 = 0x0001;
/// AEAD id of AES-128-GCM (only used to check the RFC 9180 A.1 vectors).
pub const AEAD_AES_128_GCM: u16 = 0x0001;
/// AEAD id of AES-256-GCM, the record suite's AEAD.
pub const AEAD_AES_256_GCM: u16 = 0x0002;
/// Nh = Nsecret = 32 for HKDF-SHA256.
pub const NH: usize = 32;
/// Nn = 12.
pub const NN: usize = 12;
/// Nenc = Npk = 32 for X25519.
pub const NENC: usize = 32;
/// mode_base.
const MODE_BASE: u8 = 0x00;

/// `"KEM" ‖ I2OSP(kem_id, 2)`.
pub fn kem_suite_id(kem: u16) -> [u8; 5] {
    let k = kem.to_be_bytes();
    [b'K', b'E', b'M', k[0], k[1]]
}

/// `"HPKE" ‖ I2OSP(kem, 2) ‖ I2OSP(kdf, 2) ‖ I2OSP(aead, 2)`.
pub fn hpke_suite_id(kem: u16, kdf: u16, aead_id: u16) -> [u8; 10] {
    let (k, d, a) = (kem.to_be_bytes(), kdf.to_be_bytes(), aead_id.to_be_bytes());
    [b'H', b'P', b'K', b'E', k[0], k[1], d[0], d[1], a[0], a[1]]
}

/// LabeledExtract(salt, label, ikm) = HMAC-SHA256(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm).
/// ring's `hkdf::Prk` is opaque, so Extract is HMAC directly (docs/reference/hpke-on-ring.md,
/// "Mapping onto ring").
pub fn labeled_extract(
    suite_id: &[u8],
    salt: &[u8],
    label: &[u8],
    ikm: &[u8],
) -> Zeroizing<[u8; NH]> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, salt);
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(b"HPKE-v1");
    ctx.update(suite_id);
    ctx.update(label);
    ctx.update(ikm);
    let tag = ctx.sign();
    let mut out = Zeroizing::new([0u8; NH]);
    out.copy_from_slice(tag.as_ref());
    out
}

/// An output length for ring's HKDF-Expand.
struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

/// LabeledExpand(prk, label, info, L) = HKDF-Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label
/// ‖ info, L), writing L = `out.len()` bytes.
pub fn labeled_expand(
    suite_id: &[u8],
    prk: &[u8; NH],
    label: &[u8],
    info: &[u8],
    out: &mut [u8],
) -> Result<(), SealError> {
    let len = u16::try_from(out.len()).map_err(|_| SealError::Crypto("expand length"))?;
    let len_bytes = len.to_be_bytes();
    let prk = hkdf::Prk::new_less_safe(hkdf::HKDF_SHA256, prk);
    let pieces: [&[u8]; 5] = [&len_bytes, b"HPKE-v1", suite_id, label, info];
    prk.expand(&pieces, Len(out.len()))
        .and_then(|okm| okm.fill(out))
        .map_err(|_| SealError::Crypto("HKDF-Expand"))
}

/// DHKEM ExtractAndExpand: the KEM shared secret from the DH output and `enc ‖ pkR`.
pub fn extract_and_expand(dh: &[u8], kem_context: &[u8]) -> Result<Zeroizing<[u8; NH]>, SealError> {
    let suite = kem_suite_id(KEM_X25519_HKDF_SHA256);
    let eae_prk = labeled_extract(&suite, b"", b"eae_prk", dh);
    let mut shared = Zeroizing::new([0u8; NH]);
    labeled_expand(
        &suite,
        &eae_prk,
        b"shared_secret",
        kem_context,
        &mut shared[..],
    )?;
    Ok(shared)
}

/// The base-mode key schedule's outputs (psk and psk_id empty).
pub struct KeySchedule {
    /// `mode ‖ psk_id_hash ‖ info_hash`.
    pub context: Vec<u8>,
    /// The schedule secret.
    pub secret: Zeroizing<[u8; NH]>,
    /// The AEAD key (Nk bytes).
    pub key: Zeroizing<Vec<u8>>,
    /// The base nonce.
    pub base_nonce: [u8; NN],
}

/// KeySchedule(mode_base, shared_secret, info, "", "") for the suite `suite_id`, with an AEAD key
/// of `nk` bytes.
pub fn key_schedule(
    suite_id: &[u8],
    shared_secret: &[u8],
    info: &[u8],
    nk: usize,
) -> Result<KeySchedule, SealError> {
    let psk_id_hash = labeled_extract(suite_id, b"", b"psk_id_hash", b"");
    let info_hash = labeled_extract(suite_id, b"", b"info_hash", info);
    let mut context = Vec::with_capacity(1 + 2 * NH);
    context.push(MODE_BASE);
    context.extend_from_slice(&psk_id_hash[..]);
    context.extend_from_slice(&info_hash[..]);
    let secret = labeled_extract(suite_id, shared_secret, b"secret", b"");
    let mut key = Zeroizing::new(vec![0u8; nk]);
    labeled_expand(suite_id, &secret, b"key", &context, &mut key)?;
    let mut base_nonce = [0u8; NN];
    labeled_expand(suite_id, &secret, b"base_nonce", &context, &mut base_nonce)?;
    Ok(KeySchedule {
        context,
        secret,
        key,
        base_nonce,
    })
}

/// Single-shot base-mode seal to the recipient `pk_r`, AES-256-GCM, encrypting `in_out` in place.
/// Returns `enc` (the ephemeral public key) and the 16-byte tag to append after the ciphertext.
pub fn seal_in_place(
    pk_r: &[u8; NENC],
    info: &[u8],
    aad: &[u8],
    in_out: &mut [u8],
) -> Result<([u8; NENC], [u8; 16]), SealError> {
    let rng = SystemRandom::new();
    let sk_e = agreement::EphemeralPrivateKey::generate(&agreement::X25519, &rng)
        .map_err(|_| SealError::Crypto("ephemeral key generation"))?;
    let pk_e = sk_e
        .compute_public_key()
        .map_err(|_| SealError::Crypto("ephemeral public key"))?;
    let mut enc = [0u8; NENC];
    enc.copy_from_slice(pk_e.as_ref());
    let mut kem_context = [0u8; 2 * NENC];
    kem_context[..NENC].copy_from_slice(&enc);
    kem_context[NENC..].copy_from_slice(pk_r);
    let shared = agreement::agree_ephemeral(
        sk_e,
        &agreement::UnparsedPublicKey::new(&agreement::X25519, pk_r),
        |dh| {
            // RFC 9180 §7.1.4: an all-zero X25519 output must be rejected.
            if dh.iter().all(|b| *b == 0) {
                return Err(SealError::Crypto("all-zero shared secret"));
            }
            extract_and_expand(dh, &kem_context)
        },
    )
    .map_err(|_| SealError::Crypto("X25519 agreement with the central key"))??;
    let suite = hpke_suite_id(KEM_X25519_HKDF_SHA256, KDF_HKDF_SHA256, AEAD_AES_256_GCM);
    let schedule = key_schedule(&suite, &shared[..], info, 32)?;
    let key = aead::UnboundKey::new(&aead::AES_256_GCM, &schedule.key)
        .map(aead::LessSafeKey::new)
        .map_err(|_| SealError::Crypto("AEAD key"))?;
    // Single shot: sequence number 0, so the nonce is the base nonce.
    let nonce = aead::Nonce::assume_unique_for_key(schedule.base_nonce);
    let tag = key
        .seal_in_place_separate_tag(nonce, aead::Aad::from(aad), in_out)
        .map_err(|_| SealError::Crypto("AES-256-GCM seal"))?;
    let mut tag_bytes = [0u8; 16];
    tag_bytes.copy_from_slice(tag.as_ref());
    Ok((enc, tag_bytes))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! RFC 9180 Appendix A.1.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode):
    //! the labelled functions and the key schedule as functions of their inputs.
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    const INFO: &str = "4f6465206f6e2061204772656369616e2055726e";
    const SK_EM: &str = "52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736";
    const PK_EM: &str = "37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431";
    const PK_RM: &str = "3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d";
    const SHARED_SECRET: &str = "fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc";
    const CONTEXT: &str = "00725611c9d98c07c03f60095cd32d400d8347d45ed67097bbad50fc56da742d07cb6cffde367bb0565ba28bb02c90744a20f5ef37f30523526106f637abb05449";
    const SECRET: &str = "12fff91991e93b48de37e7daddb52981084bd8aa64289c3788471d9a9712f397";
    const KEY: &str = "4531685d41d65f03dc48f6b8302c05b0";
    const BASE_NONCE: &str = "56d890e5accaaf011cff4b7d";
    const PT: &str = "4265617574792069732074727574682c20747275746820626561757479";
    const AAD0: &str = "436f756e742d30";
    const CT0: &str = "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a";

    #[test]
    fn extract_and_expand_matches_a1() {
        // dh computed with an independent X25519 (x25519-dalek), since ring takes no fixed key.
        let sk: [u8; 32] = h(SK_EM).try_into().unwrap();
        let pk_r: [u8; 32] = h(PK_RM).try_into().unwrap();
        let dh = x25519_dalek::x25519(sk, pk_r);
        let mut kem_context = h(PK_EM);
        kem_context.extend_from_slice(&pk_r);
        let shared = extract_and_expand(&dh, &kem_context).unwrap();
        assert_eq!(hex::encode(&shared[..]), SHARED_SECRET);
    }

    #[test]
    fn key_schedule_matches_a1() {
        let suite = hpke_suite_id(KEM_X25519_HKDF_SHA256, KDF_HKDF_SHA256, AEAD_AES_128_GCM);
        let ks = key_schedule(&suite, &h(SHARED_SECRET), &h(INFO), 16).unwrap();
        assert_eq!(hex::encode(&ks.context), CONTEXT);
        assert_eq!(hex::encode(&ks.secret[..]), SECRET);
        assert_eq!(hex::encode(&ks.key[..]), KEY);
        assert_eq!(hex::encode(ks.base_nonce), BASE_NONCE);
        // And the first sequence-numbered ciphertext, with ring's AES-128-GCM.
        let key =
            aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_128_GCM, &ks.key).unwrap());
        let mut buf = h(PT);
        key.seal_in_place_append_tag(
            aead::Nonce::assume_unique_for_key(ks.base_nonce),
            aead::Aad::from(h(AAD0)),
            &mut buf,
        )
        .unwrap();
        assert_eq!(hex::encode(buf), CT0);
    }

    #[test]
    fn sealed_in_place_opens_with_the_hpke_crate() {
        use hpke::{Deserializable, Serializable, kem::Kem as _};
        let (sk_r, pk_r) = hpke::kem::X25519HkdfSha256::derive_keypair(&rand::random::<[u8; 32]>());
        let pk: [u8; 32] = pk_r.to_bytes().as_slice().try_into().unwrap();
        let mut data = b"Beauty is truth, truth beauty".to_vec();
        let (enc, tag) = seal_in_place(&pk, b"info", b"aad", &mut data).unwrap();
        data.extend_from_slice(&tag);
        let encapped =
            <hpke::kem::X25519HkdfSha256 as hpke::kem::Kem>::EncappedKey::from_bytes(&enc).unwrap();
        let opened = hpke::single_shot_open::<
            hpke::aead::AesGcm256,
            hpke::kdf::HkdfSha256,
            hpke::kem::X25519HkdfSha256,
        >(
            &hpke::OpModeR::Base,
            &sk_r,
            &encapped,
            b"info",
            &data,
            b"aad",
        )
        .unwrap();
        assert_eq!(opened, b"Beauty is truth, truth beauty");
    }
}
