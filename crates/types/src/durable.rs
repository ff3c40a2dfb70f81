//! Replacing a small state file so that a crash leaves either the old file or the new one,
//! never a torn mix, and an acknowledged replacement survives a power cut.

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};

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

#[cfg(test)]
mod tests {
    use super::*;

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
