//! The stored form of the registry: `<dir>/imports.json`.
//!
//! The format is documented on [`crate::Imports`].
//!
//! The whole file is rewritten on every change: temporary file, fsync, rename, fsync of the
//! folder, so a crash leaves either the old or the new file.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Import, ImportFailure};

/// The current (and only) version of `imports.json`.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// Where a run got to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Progress {
    /// Every selected source key up to and including this one (bytewise order) has been
    /// imported or recorded as a failure; `None` before the first file.
    pub(crate) cursor: Option<String>,
}

/// One import with everything the registry keeps about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct StoredImport {
    #[serde(flatten)]
    pub(crate) import: Import,
    #[serde(default)]
    pub(crate) failures: Vec<ImportFailure>,
    #[serde(default)]
    pub(crate) progress: Progress,
}

impl StoredImport {
    /// Recounts `FailedEntries` from the failure entries.
    pub(crate) fn recount_failed_entries(&mut self) {
        self.import.import_statistics.failed_entries = self
            .failures
            .iter()
            .filter(|failure| failure.status != crate::ImportFailureStatus::Succeeded)
            .count() as u64;
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ImportsFile {
    version: u32,
    imports: Vec<StoredImport>,
}

/// Reads `path`; a missing file is an empty registry.
pub(crate) fn load(path: &Path) -> Result<Vec<StoredImport>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(Error::storage("read", path, error)),
    };
    let file: ImportsFile =
        serde_json::from_slice(&bytes).map_err(|error| Error::storage_format(path, error))?;
    if file.version != FORMAT_VERSION {
        return Err(Error::new(
            ErrorKind::Storage,
            format!(
                "`{}` has version `{}`; this build reads version {FORMAT_VERSION}",
                path.display(),
                file.version
            ),
        ));
    }
    Ok(file.imports)
}

/// Writes `imports` to `path` durably.
pub(crate) fn save(path: &Path, imports: &[StoredImport]) -> Result<()> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct ImportsFileRef<'a> {
        version: u32,
        imports: &'a [StoredImport],
    }
    let bytes = serde_json::to_vec(&ImportsFileRef {
        version: FORMAT_VERSION,
        imports,
    })
    .map_err(|error| {
        Error::new(
            ErrorKind::Internal,
            format!("bug: imports cannot be encoded: {error}"),
        )
    })?;
    opentrail_types::durable::replace_file(path, &bytes)
        .map_err(|error| Error::storage(error.step, &error.path, error.source))
}
