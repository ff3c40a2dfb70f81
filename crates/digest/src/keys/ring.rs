//! The per-region key ring.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use opentrail_types::{SharedClock, Timestamp};

use super::signer::Signer;
use super::store::{
    KEYS_FILE, KeyEntry, ensure_private_folder, private_key_path, read_entries, render_entries,
    write_file_atomically,
};
use crate::error::{Error, ErrorKind, Result};

/// The default rotation period of signing keys: 30 days (§6).
pub const DEFAULT_ROTATION: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// A public key as ListPublicKeys returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    /// DER PKCS#1 `RSAPublicKey` (the `Value` is its base64).
    pub der: Vec<u8>,
    /// Lowercase hex MD5 of `der`.
    pub fingerprint: String,
    /// Start of the validity window.
    pub validity_start: Timestamp,
    /// End of the validity window.
    pub validity_end: Timestamp,
}

/// The signing keys of every region, kept under one folder.
///
/// # Layout
///
/// `<dir>/<region>/keys.json` lists every key the region ever had, and
/// `<dir>/<region>/<fingerprint>.key` holds each private key (unencrypted PKCS#8 DER, mode
/// 0600). Folders are 0700. Files are replaced through temp file + fsync + rename. One
/// process owns a folder at a time. `keys.json` (version 1):
///
/// ```json
/// {
///   "version": 1,
///   "region": "us-east-1",
///   "keys": [
///     {
///       "fingerprint": "4060c6c337d95510867a03f5912da536",
///       "publicKey": "MIIBCgKCAQEA…",
///       "validityStart": "2026-03-02T08:17:05Z",
///       "validityEnd": "2026-04-16T08:17:05Z",
///       "retired": false
///     }
///   ]
/// }
/// ```
///
/// `publicKey` is standard base64 of the PKCS#1 DER and `fingerprint` its MD5 (checked on
/// read); times are whole seconds, UTC; `retired` is set once a successor exists. Entries
/// are never removed. Other versions are refused ([`ErrorKind::KeyStore`]).
///
/// # Rotation and validity windows
///
/// With rotation period `R` (default [`DEFAULT_ROTATION`], 30 days):
///
/// - A key made at time `c` (from the injected clock, truncated to the second) is the
///   region's *current* key, and the only one that signs, while `now < c + R`. The first
///   [`KeyRing::signer`] call at or after `c + R` makes a new key and marks the old one
///   retired; a retired key never signs again.
/// - Each key's published validity window is `[c, c + R + R/2]` (45 days for `R` = 30
///   days), fixed at creation. Every signature a key makes therefore falls inside its window,
///   and consecutive windows overlap by half a period, as AWS's published windows overlap, so
///   a query around a rotation returns both keys.
/// - A digest must be signed with the key current when it is signed, soon after its
///   `digestEndTime` (the writer signs right away): the validator asks for keys over
///   `[start, end + 2 h]` (standard) or the backfill time ± 1 h (§2.8), which then always
///   include the signing key.
/// - Public halves are kept forever; nothing is ever deleted.
///
/// A current key whose private file is missing or unreadable is an error
/// ([`ErrorKind::MissingPrivateKey`]), never a silent new chain key: the operator restores
/// the file or calls [`KeyRing::rotate_now`].
///
/// Generating a key takes ~100 ms and happens under the ring's lock: call from blocking
/// threads.
#[derive(Debug)]
pub struct KeyRing {
    dir: PathBuf,
    clock: SharedClock,
    rotation_millis: i64,
    regions: Mutex<HashMap<String, RegionKeys>>,
}

/// What the ring holds in memory for one region.
#[derive(Debug, Default)]
struct RegionKeys {
    entries: Vec<KeyEntry>,
    /// The signer of the current entry, once loaded or made.
    current: Option<Arc<Signer>>,
}

impl RegionKeys {
    /// Index of the current key: the newest entry not retired.
    fn current_index(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.retired {
                continue;
            }
            if best.is_none_or(|chosen| entry.validity_start >= self.entries[chosen].validity_start)
            {
                best = Some(index);
            }
        }
        best
    }
}

impl KeyRing {
    /// Opens (creating it, mode 0700, when missing) the key folder `dir`. Regions are read
    /// lazily, on first use.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the folder cannot be created or restricted;
    /// [`ErrorKind::InvalidRotation`] when `rotation` is under one second.
    pub fn open(dir: &Path, clock: SharedClock, rotation: Duration) -> Result<KeyRing> {
        if rotation < Duration::from_secs(1) {
            return Err(Error::new(
                ErrorKind::InvalidRotation,
                format!("key rotation period `{rotation:?}` is under one second"),
            ));
        }
        ensure_private_folder(dir)?;
        Ok(KeyRing {
            dir: dir.to_owned(),
            clock,
            rotation_millis: i64::try_from(rotation.as_millis()).unwrap_or(i64::MAX),
            regions: Mutex::new(HashMap::new()),
        })
    }

    /// The folder the ring keeps its keys in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the current signing key of `region`: made on first use, replaced once older
    /// than the rotation period (see the type's docs for the exact rule).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidRegion`] for a region name that cannot be a folder;
    /// [`ErrorKind::MissingPrivateKey`] / [`ErrorKind::BadPrivateKey`] when the current key's
    /// private file is missing, unreadable or not the listed key; [`ErrorKind::KeyStore`]
    /// for a corrupt `keys.json`; [`ErrorKind::Io`] and [`ErrorKind::Crypto`] when making a
    /// new key fails (nothing is half-written: the list is only updated after the private
    /// file is durable).
    pub fn signer(&self, region: &str) -> Result<Arc<Signer>> {
        check_region(region)?;
        let mut regions = self.regions.lock().unwrap_or_else(PoisonError::into_inner);
        let keys = self.region_keys(&mut regions, region)?;
        let now = self.clock.now();
        let Some(index) = keys.current_index() else {
            return self.add_key(keys, region, now);
        };
        let entry = &keys.entries[index];
        if now.as_millis()
            >= entry
                .validity_start
                .as_millis()
                .saturating_add(self.rotation_millis)
        {
            return self.add_key(keys, region, now);
        }
        if let Some(signer) = &keys.current
            && signer.fingerprint() == entry.fingerprint
        {
            return Ok(Arc::clone(signer));
        }
        let signer = Arc::new(load_private_key(
            &self.region_dir(region),
            &entry.fingerprint,
        )?);
        keys.current = Some(Arc::clone(&signer));
        Ok(signer)
    }

    /// Retires the current key of `region` (if any) and makes a new one now, whatever its
    /// age: the operator's way out when a private key is lost or exposed. The retired key's
    /// public half stays listed.
    ///
    /// # Errors
    ///
    /// As [`KeyRing::signer`], except that the old private key is not needed.
    pub fn rotate_now(&self, region: &str) -> Result<Arc<Signer>> {
        check_region(region)?;
        let mut regions = self.regions.lock().unwrap_or_else(PoisonError::into_inner);
        let keys = self.region_keys(&mut regions, region)?;
        let now = self.clock.now();
        self.add_key(keys, region, now)
    }

    /// Returns every key of `region` whose validity window overlaps `[start, end]`
    /// (ListPublicKeys, §2.6), newest first. A region that never signed has none.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidTimeRange`] when `start > end` (the API reports it as
    /// `InvalidTimeRangeException` before calling); [`ErrorKind::InvalidRegion`],
    /// [`ErrorKind::KeyStore`], [`ErrorKind::Io`] as for [`KeyRing::signer`].
    pub fn public_keys(
        &self,
        region: &str,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Vec<PublicKeyInfo>> {
        check_region(region)?;
        if start > end {
            return Err(Error::new(
                ErrorKind::InvalidTimeRange,
                format!(
                    "start time `{}` is after end time `{}`",
                    start.format_event_time(),
                    end.format_event_time()
                ),
            ));
        }
        let mut regions = self.regions.lock().unwrap_or_else(PoisonError::into_inner);
        let keys = self.region_keys(&mut regions, region)?;
        let mut found: Vec<PublicKeyInfo> = keys
            .entries
            .iter()
            .filter(|entry| entry.validity_start <= end && entry.validity_end >= start)
            .map(|entry| PublicKeyInfo {
                der: entry.der.clone(),
                fingerprint: entry.fingerprint.clone(),
                validity_start: entry.validity_start,
                validity_end: entry.validity_end,
            })
            .collect();
        found.sort_by_key(|info| std::cmp::Reverse(info.validity_start));
        Ok(found)
    }

    fn region_dir(&self, region: &str) -> PathBuf {
        self.dir.join(region)
    }

    /// The in-memory keys of `region`, read from disk on first use.
    fn region_keys<'map>(
        &self,
        regions: &'map mut HashMap<String, RegionKeys>,
        region: &str,
    ) -> Result<&'map mut RegionKeys> {
        if !regions.contains_key(region) {
            let entries = read_entries(&self.region_dir(region), region)?;
            regions.insert(
                region.to_owned(),
                RegionKeys {
                    entries,
                    current: None,
                },
            );
        }
        regions.get_mut(region).ok_or_else(|| {
            Error::new(
                ErrorKind::KeyStore,
                "internal error: region keys vanished under the lock",
            )
        })
    }

    /// Makes a new current key at `now`, retiring the others, and stores it: the private
    /// file first, then the list, so a crash leaves at worst an unlisted private file.
    fn add_key(&self, keys: &mut RegionKeys, region: &str, now: Timestamp) -> Result<Arc<Signer>> {
        let folder = self.region_dir(region);
        ensure_private_folder(&folder)?;
        let signer = Signer::generate()?;
        let start = Timestamp::from_secs(now.as_secs());
        let end = start.saturating_add_millis(
            self.rotation_millis
                .saturating_add(self.rotation_millis / 2),
        );
        write_file_atomically(
            &private_key_path(&folder, signer.fingerprint()),
            &signer.to_pkcs8_der()?,
        )?;
        let mut entries = keys.entries.clone();
        for entry in &mut entries {
            entry.retired = true;
        }
        entries.push(KeyEntry {
            fingerprint: signer.fingerprint().to_owned(),
            der: signer.public_key_der().to_vec(),
            validity_start: start,
            validity_end: end,
            retired: false,
        });
        write_file_atomically(&folder.join(KEYS_FILE), &render_entries(&entries, region)?)?;
        keys.entries = entries;
        let signer = Arc::new(signer);
        keys.current = Some(Arc::clone(&signer));
        Ok(signer)
    }
}

/// Loads the private key `<folder>/<fingerprint>.key` and checks it is that key.
fn load_private_key(folder: &Path, fingerprint: &str) -> Result<Signer> {
    let path = private_key_path(folder, fingerprint);
    let der = fs::read(&path).map_err(|error| {
        let kind = if error.kind() == io::ErrorKind::NotFound {
            "is missing"
        } else {
            "cannot be read"
        };
        Error::new(
            ErrorKind::MissingPrivateKey,
            format!("private key of the current signing key `{fingerprint}` {kind}; restore it or rotate the key"),
        )
        .with_source(error)
        .with_path(&path)
    })?;
    let signer = Signer::from_pkcs8_der(&der).map_err(|error| error.with_path(&path))?;
    if signer.fingerprint() != fingerprint {
        return Err(Error::new(
            ErrorKind::BadPrivateKey,
            format!(
                "private key file holds key `{}`, not `{fingerprint}`",
                signer.fingerprint()
            ),
        )
        .with_path(&path));
    }
    Ok(signer)
}

/// Region names become folder names: only `[a-z0-9-]`, 1 to 64 characters.
fn check_region(region: &str) -> Result<()> {
    let valid = !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if valid {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidRegion,
            format!("region `{region}` is not a region code"),
        ))
    }
}
