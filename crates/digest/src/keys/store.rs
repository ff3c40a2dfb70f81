//! The on-disk key store of one region: `keys.json` and `<fingerprint>.key` files.
//!
//! `keys.json` (version 1), written whole, pretty-printed, through temp file + fsync +
//! rename:
//!
//! ```json
//! {
//!   "version": 1,
//!   "region": "us-east-1",
//!   "keys": [
//!     {
//!       "fingerprint": "4060c6c337d95510867a03f5912da536",
//!       "publicKey": "MIIBCgKCAQEA…",
//!       "validityStart": "2026-03-02T08:17:05Z",
//!       "validityEnd": "2026-04-16T08:17:05Z",
//!       "retired": false
//!     }
//!   ]
//! }
//! ```
//!
//! `publicKey` is standard base64 of the PKCS#1 DER, `fingerprint` its MD5; the times are
//! whole seconds, UTC; `retired` is set once a successor exists (a retired key never signs
//! again). Entries are never removed. The private key of each entry is
//! `<fingerprint>.key`, unencrypted PKCS#8 DER, mode 0600, in the same 0700 folder.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use opentrail_types::Timestamp;
use serde::{Deserialize, Serialize};

use crate::crypto::{fingerprint, public_key_from_base64};
use crate::error::{Error, ErrorKind, Result};

/// The version tag this code writes and reads.
pub(crate) const STORE_VERSION: u32 = 1;

/// The name of a region's key list.
pub(crate) const KEYS_FILE: &str = "keys.json";

/// `keys.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoreFile {
    pub(crate) version: u32,
    pub(crate) region: String,
    pub(crate) keys: Vec<StoredKey>,
}

/// One key of `keys.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct StoredKey {
    pub(crate) fingerprint: String,
    pub(crate) public_key: String,
    pub(crate) validity_start: String,
    pub(crate) validity_end: String,
    pub(crate) retired: bool,
}

/// A checked entry of `keys.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyEntry {
    pub(crate) fingerprint: String,
    pub(crate) der: Vec<u8>,
    pub(crate) validity_start: Timestamp,
    pub(crate) validity_end: Timestamp,
    pub(crate) retired: bool,
}

impl KeyEntry {
    fn to_stored(&self) -> StoredKey {
        StoredKey {
            fingerprint: self.fingerprint.clone(),
            public_key: base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                &self.der,
            ),
            validity_start: self.validity_start.format_event_time(),
            validity_end: self.validity_end.format_event_time(),
            retired: self.retired,
        }
    }
}

/// Reads and checks `<folder>/keys.json`; an absent file is an empty list.
pub(crate) fn read_entries(folder: &Path, region: &str) -> Result<Vec<KeyEntry>> {
    let path = folder.join(KEYS_FILE);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(Error::io("cannot read the key list", &path, error)),
    };
    parse_entries(&bytes, region).map_err(|error| error.with_path(&path))
}

/// Parses and checks the bytes of a `keys.json`.
pub(crate) fn parse_entries(bytes: &[u8], region: &str) -> Result<Vec<KeyEntry>> {
    let corrupt = |message: String| Error::new(ErrorKind::KeyStore, message);
    let file: StoreFile = serde_json::from_slice(bytes)
        .map_err(|error| corrupt(format!("key list is not valid: {error}")).with_source(error))?;
    if file.version != STORE_VERSION {
        return Err(corrupt(format!(
            "key list version `{}` is not supported (expected `{STORE_VERSION}`)",
            file.version
        )));
    }
    if file.region != region {
        return Err(corrupt(format!(
            "key list is for region `{}`, not `{region}`",
            file.region
        )));
    }
    let mut entries = Vec::with_capacity(file.keys.len());
    for stored in file.keys {
        let der = public_key_from_base64(&stored.public_key).map_err(|error| {
            corrupt(format!(
                "key `{}` has an unreadable public key",
                stored.fingerprint
            ))
            .with_source(error)
        })?;
        if fingerprint(&der) != stored.fingerprint {
            return Err(corrupt(format!(
                "key `{}` does not match its public key (fingerprint `{}`)",
                stored.fingerprint,
                fingerprint(&der)
            )));
        }
        let time = |text: &str| {
            Timestamp::parse_event_time(text).map_err(|error| {
                corrupt(format!(
                    "key `{}` has a bad validity time",
                    stored.fingerprint
                ))
                .with_source(error)
            })
        };
        entries.push(KeyEntry {
            validity_start: time(&stored.validity_start)?,
            validity_end: time(&stored.validity_end)?,
            fingerprint: stored.fingerprint,
            der,
            retired: stored.retired,
        });
    }
    Ok(entries)
}

/// Serializes the entries as `keys.json`.
pub(crate) fn render_entries(entries: &[KeyEntry], region: &str) -> Result<Vec<u8>> {
    let file = StoreFile {
        version: STORE_VERSION,
        region: region.to_owned(),
        keys: entries.iter().map(KeyEntry::to_stored).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).map_err(|error| {
        Error::new(ErrorKind::KeyStore, "key list cannot be serialized").with_source(error)
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The path of a key's private half.
pub(crate) fn private_key_path(folder: &Path, fingerprint: &str) -> PathBuf {
    folder.join(format!("{fingerprint}.key"))
}

/// Creates `path` (and missing parents) and makes it owner-only (0700).
pub(crate) fn ensure_private_folder(path: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(path)
        .map_err(|error| Error::io("cannot create the key folder", path, error))?;
    // An existing folder keeps its mode through `create`: tighten it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(path, fs::Permissions::from_mode(0o700)).map_err(|error| {
            Error::io("cannot restrict the key folder to its owner", path, error)
        })?;
    }
    Ok(())
}

/// Distinguishes temporary files of concurrent writers in one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` so that readers see the old or the new content, never a part:
/// a new owner-only (0600) temporary file in the same folder, fsync, rename, fsync of the
/// folder.
pub(crate) fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = folder.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = write_new_file(&temp, bytes)
        .and_then(|()| {
            fs::rename(&temp, path)
                .map_err(|error| Error::io("cannot rename into place", path, error))
        })
        .and_then(|()| sync_folder(folder));
    if result.is_err() {
        // Best effort: the temp file is useless after a failure; the original error matters.
        let _ = fs::remove_file(&temp);
    }
    result
}

fn write_new_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|error| Error::io("cannot create a key file", path, error))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|error| Error::io("cannot write a key file", path, error))
}

fn sync_folder(folder: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(folder)
            .and_then(|handle| handle.sync_all())
            .map_err(|error| Error::io("cannot sync the key folder", folder, error))?;
    }
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}
