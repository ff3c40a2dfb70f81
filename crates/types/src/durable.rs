//! Small JSON state files: replacing one so that a crash leaves either the old file or the
//! new one, never a torn mix, and an acknowledged replacement survives a power cut; reading
//! one back with its `version` checked.
//!
//! A state file is a pretty-printed JSON object with a `version` member, ending in a
//! newline. A missing file is an empty state ([`read_versioned`] answers `None`); a damaged
//! one, or one of a version the caller does not read, is an error, never an empty state.

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A step of [`replace_file`] failed on `path` (the temporary file, the target or its
/// folder).
#[derive(Debug, thiserror::Error)]
#[error("cannot {step} `{}`: {source}", path.display())]
pub struct ReplaceError {
    /// What was being done: `create`, `write`, `replace` or `sync the folder of`.
    pub step: &'static str,
    /// The file or folder it was done to.
    pub path: PathBuf,
    /// Why it failed.
    #[source]
    pub source: std::io::Error,
}

/// Replaces `path` with `bytes`: writes `<file name>.tmp` beside it, fsyncs it, renames it
/// over `path`, then fsyncs the folder so the rename itself is durable.
///
/// # Errors
///
/// The step that failed, with the path it failed on.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), ReplaceError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let temporary = path.with_file_name(name);
    let fail = |step: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| ReplaceError { step, path, source }
    };
    let mut file = File::create(&temporary).map_err(fail("create", &temporary))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(fail("write", &temporary))?;
    drop(file);
    fs::rename(&temporary, path).map_err(fail("replace", path))?;
    File::open(folder)
        .and_then(|folder| folder.sync_all())
        .map_err(fail("sync the folder of", path))
}

/// Why [`read_versioned`] or [`replace_json`] failed. Callers map it into their own error
/// type: `Io` is a storage failure (retryable), `Corrupt` a damaged file, `Encode` a bug.
#[derive(Debug, thiserror::Error)]
pub enum StateFileError {
    /// Reading or replacing the file failed.
    #[error("cannot {step} `{}`: {source}", path.display())]
    Io {
        /// What was being done: `read`, or a step of [`replace_file`].
        step: &'static str,
        /// The file (or, for a step of [`replace_file`], the file or folder it failed on).
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not JSON, not the expected shape, or of a version the caller does not
    /// read.
    #[error("`{}` is damaged: {reason}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The value could not be encoded as JSON (a bug in its `Serialize`, or a map with
    /// non-string keys).
    #[error("cannot encode `{}`: {source}", path.display())]
    Encode {
        /// The file it was meant for.
        path: PathBuf,
        /// The encoder's error.
        #[source]
        source: serde_json::Error,
    },
}

impl From<ReplaceError> for StateFileError {
    fn from(error: ReplaceError) -> StateFileError {
        StateFileError::Io {
            step: error.step,
            path: error.path,
            source: error.source,
        }
    }
}

/// Reads the JSON state file `path` when its `version` member is one of `versions`;
/// `None` when the file does not exist. The members a file of an older version lacks take
/// the serde defaults of `T`.
///
/// # Errors
///
/// `Io` when the file exists but cannot be read; `Corrupt` when it is not JSON, has no
/// numeric `version`, has a version not in `versions`, or is not the shape of `T`.
pub fn read_versioned<T: DeserializeOwned>(
    path: &Path,
    versions: &[u32],
) -> Result<Option<T>, StateFileError> {
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        version: u32,
    }

    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StateFileError::Io {
                step: "read",
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let corrupt = |reason: String| StateFileError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    // The version first, so a file of an unknown version is named as such rather than as
    // a shape mismatch.
    let version: VersionOnly =
        serde_json::from_slice(&bytes).map_err(|error| corrupt(error.to_string()))?;
    if !versions.contains(&version.version) {
        let readable = match versions {
            [only] => format!("version {only}"),
            _ => format!("versions {versions:?}"),
        };
        return Err(corrupt(format!(
            "unknown version `{}`; this OpenTrail reads {readable}",
            version.version
        )));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|error| corrupt(error.to_string()))
}

/// Replaces `path` with `value` as pretty-printed JSON and a final newline, durably
/// (see [`replace_file`]).
///
/// # Errors
///
/// `Encode` when `value` cannot be encoded; `Io` with the step of [`replace_file`] that
/// failed.
pub fn replace_json<T: Serialize>(path: &Path, value: &T) -> Result<(), StateFileError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|source| StateFileError::Encode {
        path: path.to_path_buf(),
        source,
    })?;
    bytes.push(b'\n');
    replace_file(path, &bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("opentrail-durable-{name}-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct State {
        version: u32,
        #[serde(default)]
        names: Vec<String>,
    }

    #[test]
    fn a_written_state_reads_back_and_a_missing_one_is_none() {
        let dir = scratch_dir("roundtrip");
        let path = dir.join("state.json");
        assert!(read_versioned::<State>(&path, &[1]).unwrap().is_none());
        let state = State {
            version: 1,
            names: vec![String::from("a")],
        };
        replace_json(&path, &state).unwrap();
        assert!(fs::read_to_string(&path).unwrap().ends_with("}\n"));
        assert_eq!(read_versioned::<State>(&path, &[1]).unwrap(), Some(state));
        fs::write(&path, br#"{"version":1}"#).unwrap();
        assert_eq!(
            read_versioned::<State>(&path, &[1, 2]).unwrap(),
            Some(State {
                version: 1,
                names: Vec::new()
            })
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn damaged_and_unknown_versions_are_corrupt() {
        let dir = scratch_dir("corrupt");
        let path = dir.join("state.json");
        fs::write(&path, br#"{"version":3}"#).unwrap();
        let error = read_versioned::<State>(&path, &[1]).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("unknown version `3`; this OpenTrail reads version 1"),
            "{error}"
        );
        let error = read_versioned::<State>(&path, &[1, 2]).unwrap_err();
        assert!(
            error.to_string().ends_with("reads versions [1, 2]"),
            "{error}"
        );
        for damaged in [&b"{"[..], br#"{"names":[]}"#, br#"{"version":1,"names":3}"#] {
            fs::write(&path, damaged).unwrap();
            let error = read_versioned::<State>(&path, &[1]).unwrap_err();
            assert!(matches!(error, StateFileError::Corrupt { .. }), "{error}");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("opentrail-durable-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        replace_file(&path, b"{\"version\":1}").unwrap();
        replace_file(&path, b"{}").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        assert!(!dir.join("state.json.tmp").try_exists().unwrap());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_folder_names_the_temporary_file() {
        let path = std::env::temp_dir()
            .join(format!("opentrail-durable-missing-{}", std::process::id()))
            .join("state.json");
        let error = replace_file(&path, b"{}").unwrap_err();
        assert_eq!(error.step, "create");
        assert!(error.path.ends_with("state.json.tmp"), "{error}");
    }
}
