//! Hashes, the string to sign, fingerprints and signature verification
//! (`spec/trails-and-integrity.md` §2.5, §2.6).

use aws_lc_rs::signature::{
    RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY, RsaPublicKeyComponents,
};
use base64::Engine as _;
use md5::{Digest as _, Md5};
use sha2::Sha256;

use crate::error::{Error, ErrorKind, Result};

/// The value of `digestSignatureAlgorithm` and of the `signature-algorithm` metadata.
pub const SIGNATURE_ALGORITHM: &str = "SHA256withRSA";

/// The value of `hashAlgorithm` and `previousDigestHashAlgorithm`.
pub const HASH_ALGORITHM: &str = "SHA-256";

/// Returns the SHA-256 of `bytes` as 64 lowercase hex characters.
///
/// The validator compares log-file hashes as strings against Python's lowercase
/// `hexdigest()`, so the case matters.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Returns the fingerprint of a public key: lowercase hex MD5 of its PKCS#1 `RSAPublicKey`
/// DER bytes (32 characters), the `digestPublicKeyFingerprint` and ListPublicKeys
/// `Fingerprint`.
pub fn fingerprint(pkcs1_der: &[u8]) -> String {
    hex::encode(Md5::digest(pkcs1_der))
}

/// Builds the string a digest's signature covers (§2.5):
/// `digestEndTime \n digestS3Bucket/digestS3Object \n H \n previousDigestSignature`.
///
/// The values are used verbatim, as written in the JSON; `digest_sha256_hex` is the SHA-256
/// of the digest's inflated bytes; a `None` previous signature becomes the four characters
/// `null` (the CLI: "must be 'null' to match the Java implementation"). No trailing newline.
///
/// ```
/// let text = opentrail_digest::string_to_sign(
///     "a", "b", "c",
///     &opentrail_digest::sha256_hex(b"abc"),
///     None,
/// );
/// assert_eq!(text, "a\nb/c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nnull");
/// ```
pub fn string_to_sign(
    digest_end_time: &str,
    bucket: &str,
    key: &str,
    digest_sha256_hex: &str,
    previous_signature: Option<&str>,
) -> String {
    let previous = previous_signature.unwrap_or("null");
    format!("{digest_end_time}\n{bucket}/{key}\n{digest_sha256_hex}\n{previous}")
}

/// Decodes a ListPublicKeys `Value` (standard base64 of the PKCS#1 DER) into the DER bytes.
///
/// Only the base64 layer is checked here; [`verify_signature`] checks the DER.
///
/// # Errors
///
/// [`ErrorKind::BadPublicKey`] when `value` is not valid standard base64.
pub fn public_key_from_base64(value: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .map_err(|error| {
            Error::new(
                ErrorKind::BadPublicKey,
                format!("public key `{}` is not valid base64", abbreviate(value)),
            )
            .with_source(error)
        })
}

/// Verifies an RSASSA-PKCS1-v1_5 SHA-256 signature (`SHA256withRSA`) of `message`.
///
/// `pkcs1_der` must be a DER PKCS#1 `RSAPublicKey` (`SEQUENCE { modulus, publicExponent }`);
/// an X.509 `SubjectPublicKeyInfo` is rejected, as the CLI's PKCS#1-only loader rejects it.
/// Keys of 1024 to 8192 bits are accepted (we only make 2048-bit keys; the CLI does not
/// limit the size, so refusing short keys would only change the verdict's wording).
///
/// # Errors
///
/// [`ErrorKind::BadPublicKey`] when the DER is not a PKCS#1 public key;
/// [`ErrorKind::BadSignature`] when the signature does not verify (wrong key, wrong message,
/// wrong length, or a key size outside 1024–8192 bits).
pub fn verify_signature(pkcs1_der: &[u8], message: &[u8], signature: &[u8]) -> Result<()> {
    let (modulus, exponent) = parse_pkcs1_public_key(pkcs1_der).ok_or_else(|| {
        Error::new(
            ErrorKind::BadPublicKey,
            format!(
                "public key with fingerprint `{}` is not a DER PKCS#1 RSAPublicKey",
                fingerprint(pkcs1_der)
            ),
        )
    })?;
    let components = RsaPublicKeyComponents {
        n: modulus,
        e: exponent,
    };
    components
        .verify(
            &RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            message,
            signature,
        )
        .map_err(|_| {
            Error::new(
                ErrorKind::BadSignature,
                format!(
                    "signature does not verify with the public key of fingerprint `{}`",
                    fingerprint(pkcs1_der)
                ),
            )
        })
}

/// Splits a DER `RSAPublicKey` into its modulus and exponent magnitudes (big-endian, no
/// leading zero), or `None` unless the bytes are exactly one well-formed structure: a
/// SEQUENCE of two positive, minimally encoded INTEGERs, with nothing after it.
pub(crate) fn parse_pkcs1_public_key(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (sequence, rest) = read_element(der, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let (modulus, rest) = read_positive_integer(sequence)?;
    let (exponent, rest) = read_positive_integer(rest)?;
    rest.is_empty().then_some((modulus, exponent))
}

/// Reads one DER element with tag `tag`: returns its contents and the bytes after it.
fn read_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&length_byte, rest) = rest.split_first()?;
    let (length, rest) = if length_byte < 0x80 {
        (usize::from(length_byte), rest)
    } else {
        // Long form: 1 to 4 length bytes, minimal (no leading zero, not below 128).
        let count = usize::from(length_byte & 0x7f);
        if count == 0 || count > 4 || rest.len() < count || rest[0] == 0 {
            return None;
        }
        let mut length = 0usize;
        for &byte in &rest[..count] {
            length = (length << 8) | usize::from(byte);
        }
        if length < 0x80 {
            return None;
        }
        (length, &rest[count..])
    };
    if rest.len() < length {
        return None;
    }
    Some(rest.split_at(length))
}

/// Reads a DER INTEGER that must be positive and minimally encoded; returns its magnitude.
fn read_positive_integer(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let (contents, rest) = read_element(input, 0x02)?;
    let (&first, tail) = contents.split_first()?;
    if first & 0x80 != 0 {
        return None; // negative
    }
    let magnitude = if first == 0 {
        // A leading zero is only allowed (and required) before a byte with the top bit set.
        match tail.first() {
            Some(next) if next & 0x80 != 0 => tail,
            _ => return None,
        }
    } else {
        contents
    };
    Some((magnitude, rest))
}

/// Shortens a long value for an error message.
fn abbreviate(value: &str) -> String {
    let mut shown: String = value.chars().take(24).collect();
    if shown.len() < value.len() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_and_abc() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn string_to_sign_keeps_a_previous_signature_verbatim() {
        assert_eq!(
            string_to_sign("t", "bucket", "a/b.json.gz", "00", Some("ABCdef")),
            "t\nbucket/a/b.json.gz\n00\nABCdef"
        );
    }

    #[test]
    fn der_parser_rejects_malformed_structures() {
        // SEQUENCE { INTEGER 0x00c5, INTEGER 3 }: valid, leading zero stripped.
        let good = [0x30, 0x07, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x01, 0x03];
        assert_eq!(
            parse_pkcs1_public_key(&good),
            Some((&[0xc5_u8][..], &[0x03_u8][..]))
        );
        let cases: [&[u8]; 7] = [
            &[],
            &[0x30, 0x07, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x01, 0x03, 0x00], // trailing byte
            &[0x30, 0x06, 0x02, 0x01, 0xc5, 0x02, 0x01, 0x03],             // negative modulus
            &[0x30, 0x07, 0x02, 0x02, 0x00, 0x45, 0x02, 0x01, 0x03],       // non-minimal
            &[0x30, 0x03, 0x02, 0x01, 0x03],                               // one integer
            &[0x30, 0x81, 0x06, 0x02, 0x01, 0x45, 0x02, 0x01, 0x03],       // long form < 128
            &[0x31, 0x06, 0x02, 0x01, 0x45, 0x02, 0x01, 0x03],             // SET, not SEQUENCE
        ];
        for case in cases {
            assert_eq!(parse_pkcs1_public_key(case), None, "{case:02x?}");
        }
    }

    #[test]
    fn bad_base64_is_a_bad_public_key() {
        let error = public_key_from_base64("not base64!").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BadPublicKey);
        assert!(error.to_string().contains("`not base64!`"), "{error}");
    }
}
