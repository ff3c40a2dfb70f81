//! One RSA-2048 signing key.

use std::fmt;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256, RsaKeyPair};
use base64::Engine as _;

use crate::crypto::fingerprint;
use crate::error::{Error, ErrorKind, Result};

/// An RSA private key that signs digests (`SHA256withRSA`: RSASSA-PKCS1-v1_5 with SHA-256),
/// with its public half as PKCS#1 `RSAPublicKey` DER and that DER's fingerprint.
///
/// `Debug` shows the fingerprint only, never key material.
pub struct Signer {
    key_pair: RsaKeyPair,
    public_key_der: Vec<u8>,
    fingerprint: String,
}

impl Signer {
    /// Generates a fresh 2048-bit key (takes ~100 ms or more).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Crypto`] when the library fails to generate a key.
    pub fn generate() -> Result<Signer> {
        let key_pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|error| {
            Error::new(ErrorKind::Crypto, "rsa key generation failed").with_source(error)
        })?;
        Ok(Signer::from_key_pair(key_pair))
    }

    /// Loads a private key from unencrypted PKCS#8 DER (as [`Signer::to_pkcs8_der`] writes).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::BadPrivateKey`] when the bytes are not a PKCS#8 RSA private key of
    /// 2048 to 8192 bits.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Signer> {
        let key_pair = RsaKeyPair::from_pkcs8(der).map_err(|error| {
            Error::new(
                ErrorKind::BadPrivateKey,
                format!("not a pkcs#8 rsa private key: {error}"),
            )
            .with_source(error)
        })?;
        Ok(Signer::from_key_pair(key_pair))
    }

    fn from_key_pair(key_pair: RsaKeyPair) -> Signer {
        // `AsRef<[u8]>` of an aws-lc-rs RSA public key is the DER `RSAPublicKey` (RFC 8017,
        // PKCS#1), the encoding ListPublicKeys serves and the CLI loads.
        let public_key_der = key_pair.public_key().as_ref().to_vec();
        let fingerprint = fingerprint(&public_key_der);
        Signer {
            key_pair,
            public_key_der,
            fingerprint,
        }
    }

    /// Exports the private key as unencrypted PKCS#8 DER, for the key store.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Crypto`] when the library fails to encode the key.
    pub fn to_pkcs8_der(&self) -> Result<Vec<u8>> {
        let der = self.key_pair.as_der().map_err(|error| {
            Error::new(
                ErrorKind::Crypto,
                "pkcs#8 encoding of the private key failed",
            )
            .with_source(error)
        })?;
        Ok(der.as_ref().to_vec())
    }

    /// The fingerprint: lowercase hex MD5 of [`Signer::public_key_der`].
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The public key as DER PKCS#1 `RSAPublicKey` (`30 82 01 0a …` for 2048 bits).
    pub fn public_key_der(&self) -> &[u8] {
        &self.public_key_der
    }

    /// The public key as ListPublicKeys `Value`: standard base64 of the DER.
    pub fn public_key_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.public_key_der)
    }

    /// Signs `message` with RSASSA-PKCS1-v1_5 and SHA-256; deterministic (the same key and
    /// message give the same signature). ~1 ms of CPU.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Crypto`] when the library fails to sign.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        let mut signature = vec![0_u8; self.key_pair.public_modulus_len()];
        // aws-lc-rs ignores the random source for PKCS#1 v1.5; ring's signature wants one.
        self.key_pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|error| {
                Error::new(ErrorKind::Crypto, "rsa signing failed").with_source(error)
            })?;
        Ok(signature)
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Signer")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}
