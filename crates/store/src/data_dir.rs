//! The data directory: its layout and the lock that gives one process ownership.
//!
//! ```text
//! <data dir>/
//!   LOCK        held (flock) by the owning process, which writes its PID into it
//!   journal/    segments, ids.tbl, consumers/
//!   history/    MANIFEST, seg-*.idx
//! ```

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An open, locked data directory. The lock is released when this is dropped.
#[derive(Debug)]
pub struct DataDir {
    root: PathBuf,
    _lock: File,
}

impl DataDir {
    /// Creates `root` if needed and takes its lock.
    ///
    /// # Errors
    ///
    /// [`Error::Locked`] when another process holds the directory; I/O errors.
    pub fn open(root: &Path) -> Result<DataDir> {
        std::fs::create_dir_all(root).map_err(|error| Error::io(root, error))?;
        let path = root.join("LOCK");
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|error| Error::io(&path, error))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = lock.read_to_string(&mut holder);
                return Err(Error::Locked {
                    path: root.to_owned(),
                    holder: holder.trim().to_owned(),
                });
            }
            Err(std::fs::TryLockError::Error(error)) => return Err(Error::io(&path, error)),
        }
        lock.set_len(0).map_err(|error| Error::io(&path, error))?;
        lock.rewind().map_err(|error| Error::io(&path, error))?;
        lock.write_all(std::process::id().to_string().as_bytes())
            .map_err(|error| Error::io(&path, error))?;
        Ok(DataDir {
            root: root.to_owned(),
            _lock: lock,
        })
    }

    /// Takes the lock of an existing data directory (for commands that only read it, so a
    /// mistyped path is an error rather than a new, empty directory).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when `root` does not exist; as [`DataDir::open`] otherwise.
    pub fn open_existing(root: &Path) -> Result<DataDir> {
        match std::fs::metadata(root) {
            Ok(metadata) if metadata.is_dir() => DataDir::open(root),
            Ok(_) => Err(Error::NotFound {
                path: root.to_owned(),
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(Error::NotFound {
                path: root.to_owned(),
            }),
            Err(error) => Err(Error::io(root, error)),
        }
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the journal lives.
    pub fn journal_dir(&self) -> PathBuf {
        self.root.join("journal")
    }

    /// Where the history index lives.
    pub fn history_dir(&self) -> PathBuf {
        self.root.join("history")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_holder_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDir::open(dir.path()).unwrap();
        let error = DataDir::open(dir.path()).unwrap_err();
        assert!(
            error.to_string().contains(&std::process::id().to_string()),
            "{error}"
        );
        assert!(matches!(error, Error::Locked { .. }));
        drop(first);
        assert!(DataDir::open(dir.path()).is_ok());
    }

    #[test]
    fn reading_commands_do_not_create_a_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("typo");
        assert!(matches!(
            DataDir::open_existing(&missing),
            Err(Error::NotFound { .. })
        ));
        assert!(!missing.try_exists().unwrap());
        assert!(DataDir::open_existing(dir.path()).is_ok());
    }
}
