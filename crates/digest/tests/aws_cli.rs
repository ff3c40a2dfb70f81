//! Our signed digests through the AWS CLI's own verification code: `awscli`'s
//! `DigestTraverser._load_and_validate_digest` (gunzip, metadata, required keys, location,
//! fingerprint, then `Sha256RSADigestValidator`, python-rsa: the CLI v1 path), plus a
//! PKCS#1 v1.5 / SHA-256 check with `cryptography` (what the CLI v2 path verifies).
//!
//! Needs `python3` with `awscli` and `cryptography` (`pip install awscli cryptography`); the
//! test fails, never skips, when they are missing.

use std::process::Command;

use base64::Engine as _;
use opentrail_digest::{SignedDigest, Signer};
use serde_json::json;

use crate::common::test_signer;
use crate::golden::golden_chain;

const SCRIPT: &str = r#"
import base64, io, json, sys
try:
    from awscli.customizations.cloudtrail import validation
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.exceptions import InvalidSignature
except ImportError as error:
    print("MISSING-MODULE: %s (pip install awscli cryptography)" % error)
    sys.exit(3)

cases = json.load(open(sys.argv[1]))

class FakeS3:
    def __init__(self, case):
        self.case = case
    def get_object(self, Bucket, Key):
        assert Bucket == self.case["bucket"] and Key == self.case["key"]
        return {"Body": io.BytesIO(base64.b64decode(self.case["gzipped"])),
                "Metadata": self.case["metadata"]}

class FakeClients:
    def __init__(self, case):
        self.case = case
    def get_client(self, bucket):
        return FakeS3(self.case)

for case in cases:
    provider = validation.DigestProvider(
        s3_client_provider=FakeClients(case),
        account_id="111122223333",
        trail_name="main-trail",
        trail_home_region="us-east-1",
        trail_source_region="us-east-1",
    )
    traverser = validation.DigestTraverser(
        digest_provider=provider,
        starting_bucket=case["bucket"],
        starting_prefix=None,
        public_key_provider=None,
    )
    public_keys = {case["fingerprint"]: {"Fingerprint": case["fingerprint"], "Value": case["publicKey"]}}
    try:
        traverser._load_and_validate_digest(public_keys, case["bucket"], case["key"], case["backfill"])
        v1 = "valid"
    except validation.DigestError as error:
        v1 = str(error).split("\t")[-1]
    try:
        key = serialization.load_der_public_key(base64.b64decode(case["publicKey"]))
        inflated = __import__("zlib").decompress(base64.b64decode(case["gzipped"]), 31)
        data = json.loads(inflated)
        to_sign = validation.Sha256RSADigestValidator()._create_string_to_sign(data, inflated)
        key.verify(bytes.fromhex(case["metadata"]["signature"]), to_sign, padding.PKCS1v15(), hashes.SHA256())
        v2 = "valid"
    except InvalidSignature:
        v2 = "INVALID: signature verification failed"
    except ValueError:
        v2 = "INVALID: Unable to load PKCS #1 key"
    print("%s | %s | %s" % (case["name"], v1, v2))
"#;

fn case(name: &str, signed: &SignedDigest, signer: &Signer, public_key: &str) -> serde_json::Value {
    json!({
        "name": name,
        "bucket": "audit-archive",
        "key": signed.key,
        "gzipped": base64::engine::general_purpose::STANDARD.encode(&signed.gzipped),
        "metadata": signed.metadata,
        "fingerprint": signer.fingerprint(),
        "publicKey": public_key,
        "backfill": signed.key.ends_with("_backfill.json.gz"),
    })
}

#[test]
fn the_aws_cli_accepts_our_signed_digests() {
    let signer = test_signer();
    let public_key = signer.public_key_base64();
    let mut cases = Vec::new();
    let mut expected = Vec::new();
    for (name, signed) in golden_chain() {
        // The CLI's filter is for trail `main-trail` in us-east-1 without prefix; the
        // location check compares the JSON with the key actually read, prefix included.
        cases.push(case(&name, &signed, &signer, &public_key));
        expected.push(format!("{name} | valid | valid"));

        let mut tampered = signed.clone();
        let last = tampered.signature_hex.pop().unwrap();
        tampered
            .signature_hex
            .push(if last == '0' { '1' } else { '0' });
        tampered
            .metadata
            .insert(String::from("signature"), tampered.signature_hex.clone());
        cases.push(case(
            &format!("{name}-tampered"),
            &tampered,
            &signer,
            &public_key,
        ));
        expected.push(format!(
            "{name}-tampered | INVALID: signature verification failed | INVALID: signature verification failed"
        ));
    }
    // An X.509 SubjectPublicKeyInfo instead of PKCS#1: the CLI v1 loader refuses it.
    let (name, signed) = golden_chain().remove(0);
    let spki = spki_base64();
    cases.push(case(&format!("{name}-x509"), &signed, &signer, &spki));
    expected.push(format!(
        "{name}-x509 | INVALID: Unable to load PKCS #1 key with fingerprint {} | valid",
        signer.fingerprint()
    ));

    let temp = tempfile::tempdir().unwrap();
    let cases_path = temp.path().join("cases.json");
    std::fs::write(&cases_path, serde_json::to_vec(&cases).unwrap()).unwrap();
    let output = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(&cases_path)
        .output()
        .unwrap_or_else(|error| panic!("cannot run python3 ({error}); install Python 3 and `pip install awscli cryptography`"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python check failed (pip install awscli cryptography):\n{stdout}\n{stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected, "stderr: {stderr}");
}

fn spki_base64() -> String {
    use aws_lc_rs::encoding::AsDer as _;
    let der = std::fs::read(crate::common::crate_path(
        "testdata/test-only-signing-key.pk8.der",
    ))
    .unwrap();
    let key_pair = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(&der).unwrap();
    let spki = aws_lc_rs::signature::KeyPair::public_key(&key_pair)
        .as_der()
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(spki.as_ref())
}
