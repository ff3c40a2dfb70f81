//! The local-directory store (spec §1.9): one directory per bucket, the object key is the
//! path below it, and user metadata sits in a `<object path>.meta.json` sidecar.
//!
//! Writes go to a `.tmp-*` file in the object's folder, which is fsynced and then renamed
//! (or hard-linked, for create-only puts, so an existing object is never replaced) into
//! place; the folder is fsynced after. The sidecar is put in place *before* the object, so a
//! reader that sees an object also sees its metadata. A striped lock makes the
//! sidecar-and-object commit, and a reader's open of both files, atomic within the process.
//! Several processes writing one bucket directory keep the no-partial-object and
//! never-replace guarantees, but a create-only race between processes may leave the loser's
//! sidecar next to the winner's object.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;

use crate::bucket::{ListPage, Object, ObjectInfo, PutOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::local_list;
use crate::names::{self, SIDECAR_SUFFIX, TEMP_PREFIX};

/// Number of lock stripes; keys hash onto them.
const LOCK_STRIPES: usize = 64;

/// The largest sidecar we read: metadata is a few hundred bytes, so anything near this is
/// not ours.
const MAX_SIDECAR_BYTES: u64 = 64 * 1024;

/// Makes temporary file names unique within the process (the process ID makes them unique
/// between processes).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A bucket stored as a local directory.
#[derive(Debug)]
pub(crate) struct LocalStore {
    name: String,
    root: PathBuf,
    locks: Arc<KeyLocks>,
}

/// Striped mutexes serialising commits and reads of one key. They are only taken on the
/// blocking pool, never across an `.await`.
struct KeyLocks([Mutex<()>; LOCK_STRIPES]);

impl std::fmt::Debug for KeyLocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyLocks")
    }
}

impl KeyLocks {
    fn lock(&self, key: &str) -> MutexGuard<'_, ()> {
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let stripe = (hasher.finish() % LOCK_STRIPES as u64) as usize;
        // The mutex guards no data, so a panic while holding it leaves nothing inconsistent.
        self.0[stripe]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a blocking operation needs, cloned out of the store so the closure is `'static`.
#[derive(Clone)]
struct Ctx {
    name: String,
    root: PathBuf,
    locks: Arc<KeyLocks>,
}

impl LocalStore {
    /// The bucket directory.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn new(name: &str, root: PathBuf) -> LocalStore {
        LocalStore {
            name: name.to_owned(),
            root,
            locks: Arc::new(KeyLocks(std::array::from_fn(|_| Mutex::new(())))),
        }
    }

    fn ctx(&self) -> Ctx {
        Ctx {
            name: self.name.clone(),
            root: self.root.clone(),
            locks: Arc::clone(&self.locks),
        }
    }

    pub(crate) async fn exists(&self) -> Result<bool> {
        let ctx = self.ctx();
        run_blocking(move || match fs::metadata(&ctx.root) {
            Ok(meta) => Ok(meta.is_dir()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(Error::from_io(
                format!(
                    "cannot read folder `{}` of bucket `{}`",
                    ctx.root.display(),
                    ctx.name
                ),
                error,
            )),
        })
        .await
    }

    pub(crate) async fn put(&self, key: &str, body: Bytes, options: &PutOptions) -> Result<()> {
        names::validate_local_key(key)?;
        let (ctx, key, options) = (self.ctx(), key.to_owned(), options.clone());
        run_blocking(move || ctx.put(&key, &body, &options)).await
    }

    pub(crate) async fn get(&self, key: &str, max_object_bytes: u64) -> Result<Object> {
        names::validate_local_key(key)?;
        let (ctx, key) = (self.ctx(), key.to_owned());
        run_blocking(move || ctx.get(&key, max_object_bytes)).await
    }

    pub(crate) async fn head(&self, key: &str) -> Result<Option<ObjectInfo>> {
        names::validate_local_key(key)?;
        let (ctx, key) = (self.ctx(), key.to_owned());
        run_blocking(move || ctx.head(&key)).await
    }

    pub(crate) async fn delete(&self, key: &str) -> Result<()> {
        names::validate_local_key(key)?;
        let (ctx, key) = (self.ctx(), key.to_owned());
        run_blocking(move || ctx.delete(&key)).await
    }

    pub(crate) async fn list_page(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        max_keys: usize,
    ) -> Result<ListPage> {
        let ctx = self.ctx();
        let prefix = prefix.to_owned();
        let start_after = start_after.map(str::to_owned);
        run_blocking(move || {
            ctx.require_root()?;
            local_list::list(&ctx.root, &prefix, start_after.as_deref(), max_keys)
                .map_err(|error| ctx.io_error("cannot list", &prefix, error))
        })
        .await
    }
}

impl Ctx {
    fn object_path(&self, key: &str) -> PathBuf {
        // The key was validated: `/`-separated segments, none empty, `.` or `..`.
        self.root.join(key)
    }

    fn io_error(&self, action: &str, key: &str, error: io::Error) -> Error {
        Error::from_io(
            format!("{action} `{key}` in local bucket `{}`", self.name),
            error,
        )
    }

    /// Fails with `NoSuchBucket` unless the bucket folder exists.
    fn require_root(&self) -> Result<()> {
        match fs::metadata(&self.root) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(self.no_such_bucket()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Err(self.no_such_bucket()),
            Err(error) => Err(Error::from_io(
                format!("cannot read folder of local bucket `{}`", self.name),
                error,
            )),
        }
    }

    fn no_such_bucket(&self) -> Error {
        Error::new(
            ErrorKind::NoSuchBucket,
            format!(
                "local bucket `{}` does not exist: `{}` is not a folder",
                self.name,
                self.root.display()
            ),
        )
    }

    fn put(&self, key: &str, body: &[u8], options: &PutOptions) -> Result<()> {
        self.require_root()?;
        let path = self.object_path(key);
        let Some(folder) = path.parent() else {
            return Err(Error::new(
                ErrorKind::InvalidKey,
                format!("invalid object key `{key}`"),
            ));
        };
        self.create_folders(key, folder)?;

        let object_temp = TempFile::write(folder, body)
            .map_err(|error| self.io_error("cannot write", key, error))?;
        let sidecar_temp = if options.metadata.is_empty() {
            None
        } else {
            let json = serde_json::to_vec(&options.metadata).map_err(|error| {
                Error::new(
                    ErrorKind::Other,
                    format!("cannot encode metadata of `{key}`"),
                )
                .with_source(error)
            })?;
            Some(
                TempFile::write(folder, &json)
                    .map_err(|error| self.io_error("cannot write metadata of", key, error))?,
            )
        };

        let _guard = self.locks.lock(key);
        if options.create_only {
            match fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_dir() => return Err(self.key_is_folder(key)),
                Ok(_) => return Err(self.already_exists(key)),
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(self.io_error("cannot check", key, error)),
            }
        }
        let sidecar = sidecar_path(&path);
        match &sidecar_temp {
            Some(temp) => fs::rename(&temp.path, &sidecar)
                .map_err(|error| self.io_error("cannot store metadata of", key, error))?,
            None => remove_if_present(&sidecar)
                .map_err(|error| self.io_error("cannot remove old metadata of", key, error))?,
        }
        let committed = if options.create_only {
            fs::hard_link(&object_temp.path, &path)
        } else {
            fs::rename(&object_temp.path, &path)
        };
        match committed {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                // Only another process can get here (the check above ran under the lock);
                // our sidecar may now sit next to its object.
                tracing::warn!(bucket = %self.name, key, "create-only put lost a race with another process");
                return Err(self.already_exists(key));
            }
            Err(error) if error.kind() == io::ErrorKind::IsADirectory => {
                return Err(self.key_is_folder(key));
            }
            Err(error) => return Err(self.io_error("cannot store", key, error)),
        }
        sync_folder(folder).map_err(|error| self.io_error("cannot sync folder of", key, error))
    }

    fn get(&self, key: &str, max_object_bytes: u64) -> Result<Object> {
        let path = self.object_path(key);
        // Open both files under the lock: an open file keeps its content even if a writer
        // renames a new version into place, so object and metadata belong together.
        let (file, metadata) = {
            let _guard = self.locks.lock(key);
            let file = match File::open(&path) {
                Ok(file) => file,
                Err(error) if is_missing(&error) => return Err(self.missing(key)),
                Err(error) => return Err(self.io_error("cannot open", key, error)),
            };
            (file, self.read_sidecar(key, &path)?)
        };
        let meta = file
            .metadata()
            .map_err(|error| self.io_error("cannot read", key, error))?;
        if meta.is_dir() {
            return Err(self.not_found(key));
        }
        if meta.len() > max_object_bytes {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "object `{key}` in bucket `{}` is {} bytes, more than the {max_object_bytes}-byte cap",
                    self.name,
                    meta.len()
                ),
            ));
        }
        let mut body = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(max_object_bytes.saturating_add(1))
            .read_to_end(&mut body)
            .map_err(|error| self.io_error("cannot read", key, error))?;
        Ok(Object {
            body: Bytes::from(body),
            metadata,
            last_modified: meta.modified().ok(),
        })
    }

    fn read_sidecar(&self, key: &str, object_path: &Path) -> Result<BTreeMap<String, String>> {
        let file = match File::open(sidecar_path(object_path)) {
            Ok(file) => file,
            Err(error) if is_missing(&error) => return Ok(BTreeMap::new()),
            Err(error) => return Err(self.io_error("cannot open metadata of", key, error)),
        };
        let mut json = Vec::new();
        file.take(MAX_SIDECAR_BYTES)
            .read_to_end(&mut json)
            .map_err(|error| self.io_error("cannot read metadata of", key, error))?;
        serde_json::from_slice(&json).map_err(|error| {
            Error::new(
                ErrorKind::Other,
                format!("metadata sidecar of `{key}` in local bucket `{}` is not a JSON object of strings", self.name),
            )
            .with_source(error)
        })
    }

    fn head(&self, key: &str) -> Result<Option<ObjectInfo>> {
        match fs::metadata(self.object_path(key)) {
            Ok(meta) if meta.is_file() => Ok(Some(ObjectInfo {
                key: key.to_owned(),
                size: meta.len(),
                last_modified: meta.modified().ok(),
            })),
            Ok(_) => Ok(None),
            Err(error) if is_missing(&error) => Ok(None),
            Err(error) => Err(self.io_error("cannot read", key, error)),
        }
    }

    fn delete(&self, key: &str) -> Result<()> {
        self.require_root()?;
        let path = self.object_path(key);
        let _guard = self.locks.lock(key);
        match fs::remove_file(&path) {
            Ok(()) => {}
            // Nothing stored at this key (a folder is not an object): S3 succeeds too.
            Err(error) if is_missing(&error) || error.kind() == io::ErrorKind::IsADirectory => {
                return Ok(());
            }
            Err(error) => return Err(self.io_error("cannot delete", key, error)),
        }
        remove_if_present(&sidecar_path(&path))
            .map_err(|error| self.io_error("cannot delete metadata of", key, error))?;
        match path.parent() {
            Some(folder) => sync_folder(folder)
                .map_err(|error| self.io_error("cannot sync folder of", key, error)),
            None => Ok(()),
        }
    }

    /// Creates the object's folder and the folders above it. New folders are made durable
    /// at once (each parent fsynced), so a crash cannot lose a committed object's path.
    fn create_folders(&self, key: &str, folder: &Path) -> Result<()> {
        match fs::metadata(folder) {
            Ok(meta) if meta.is_dir() => return Ok(()),
            Ok(_) => return Err(self.folder_error(key, io::ErrorKind::NotADirectory.into())),
            Err(error) if is_missing(&error) => {}
            Err(error) => return Err(self.io_error("cannot check the folder of", key, error)),
        }
        fs::create_dir_all(folder).map_err(|error| self.folder_error(key, error))?;
        for ancestor in folder.ancestors().skip(1) {
            sync_folder(ancestor)
                .map_err(|error| self.io_error("cannot sync the folders of", key, error))?;
            if ancestor == self.root {
                break;
            }
        }
        Ok(())
    }

    fn folder_error(&self, key: &str, error: io::Error) -> Error {
        match error.kind() {
            io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory => Error::new(
                ErrorKind::InvalidKey,
                format!(
                    "cannot store `{key}` in local bucket `{}`: a parent of the key is an object",
                    self.name
                ),
            )
            .with_source(error),
            _ => self.io_error("cannot create the folder of", key, error),
        }
    }

    fn key_is_folder(&self, key: &str) -> Error {
        Error::new(
            ErrorKind::InvalidKey,
            format!(
                "cannot store `{key}` in local bucket `{}`: other keys start with `{key}/`",
                self.name
            ),
        )
    }

    fn already_exists(&self, key: &str) -> Error {
        Error::new(
            ErrorKind::AlreadyExists,
            format!("object `{key}` already exists in bucket `{}`", self.name),
        )
    }

    /// Returns `NoSuchBucket` when the bucket folder is gone, else `NotFound`, as S3 does.
    fn missing(&self, key: &str) -> Error {
        match self.require_root() {
            Ok(()) => self.not_found(key),
            Err(error) => error,
        }
    }

    fn not_found(&self, key: &str) -> Error {
        Error::new(
            ErrorKind::NotFound,
            format!("no object `{key}` in bucket `{}`", self.name),
        )
    }
}

/// Returns the sidecar path of an object path: `<object path>.meta.json`.
fn sidecar_path(object_path: &Path) -> PathBuf {
    let mut path = object_path.as_os_str().to_owned();
    path.push(SIDECAR_SUFFIX);
    PathBuf::from(path)
}

/// Returns whether an I/O error means "nothing at this path" (including a path through a
/// file, which `open` reports as "not a directory").
fn is_missing(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Makes renames and links in `folder` durable.
fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

/// A fsynced temporary file, removed when dropped (a no-op once it has been renamed away).
struct TempFile {
    path: PathBuf,
}

impl TempFile {
    fn write(folder: &Path, content: &[u8]) -> io::Result<TempFile> {
        let sequence = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let name = format!("{TEMP_PREFIX}{}-{sequence}", std::process::id());
        let temp = TempFile {
            path: folder.join(name),
        };
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp.path)?;
        file.write_all(content)?;
        file.sync_all()?;
        Ok(temp)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Removing a temp file that was renamed into place fails with NotFound: fine.
        let _ = fs::remove_file(&self.path);
    }
}

/// Runs blocking file-system work on tokio's blocking pool.
async fn run_blocking<T, F>(work: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        Error::new(
            ErrorKind::Other,
            format!("local store task failed: {error}"),
        )
        .with_source(error)
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_sits_next_to_the_object() {
        assert_eq!(
            sidecar_path(Path::new("/b/AWSLogs/x.json.gz")),
            PathBuf::from("/b/AWSLogs/x.json.gz.meta.json")
        );
    }

    #[test]
    fn temp_files_are_unique_and_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let first = TempFile::write(dir.path(), b"a").unwrap();
        let second = TempFile::write(dir.path(), b"b").unwrap();
        assert_ne!(first.path, second.path);
        let name = first.path.file_name().unwrap().to_str().unwrap().to_owned();
        assert!(name.starts_with(TEMP_PREFIX), "{name}");
        drop(first);
        drop(second);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
