//! Finds the archive files under a list of paths, in a deterministic order.
//!
//! Each path given is taken in the order given: a file is an archive file whatever its name
//! (the user named it), a directory is walked depth-first with each directory's entries
//! sorted by name, so files come out in [`Path`] order (for the S3 layout of
//! `spec/trails-and-integrity.md` §1.1, that is account, region and delivery time order).
//! Inside a directory, files whose names end in `.json`, `.json.gz`, `.gz`, `.jsonl` or
//! `.ndjson` (any letter case) are archive files; everything else is skipped and reported
//! as such, as are the `<object>.meta.json` sidecars of a local-directory store (§1.9).
//!
//! Each archive file is classified by its path with [`classify_key`]: a `CloudTrail` or
//! `CloudTrail-Insight` log file in the standard layout, a digest, or another file (still
//! importable).
//!
//! Symbolic links to files are read; symbolic links to directories are skipped, never
//! followed, so a link loop cannot hang the walk (a link given as one of the paths is
//! followed, since it was asked for). An unreadable directory or entry is an error item for
//! that path, and the walk goes on. Memory is bounded by the entries of the directories on
//! the current path, not by the size of the tree.
//!
//! ```
//! use opentrail_archive::discover::{discover, Walk, Found};
//! use opentrail_archive::layout::KeyClass;
//!
//! let root = tempfile::tempdir()?;
//! let folder = root.path().join("AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/10");
//! std::fs::create_dir_all(&folder)?;
//! std::fs::write(folder.join("111122223333_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json.gz"), b"")?;
//! std::fs::write(root.path().join("notes.txt"), b"")?;
//!
//! let found = discover([root.path()]);
//! assert_eq!((found.files.len(), found.skipped, found.errors.len()), (1, 1, 0));
//! assert!(matches!(found.files[0].class, KeyClass::LogFile(_)));
//!
//! // The same, one item at a time.
//! let items: Vec<_> = Walk::new([root.path()]).collect::<Result<_, _>>()?;
//! assert!(matches!(items[1], Found::Skipped(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::{self, FileType};
use std::path::{MAIN_SEPARATOR, Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::layout::{KeyClass, classify_key};

/// How deep [`Walk`] descends below a given directory. Without followed links a tree cannot
/// loop, but a bind mount can; this bounds the walk anyway.
pub const MAX_DEPTH: usize = 256;

/// File-name endings of archive files, lowercase.
pub const ARCHIVE_SUFFIXES: [&str; 5] = [".json", ".json.gz", ".gz", ".jsonl", ".ndjson"];

/// File-name ending of the metadata sidecars of a local-directory store (§1.9), lowercase.
const SIDECAR_SUFFIX: &str = ".meta.json";

/// A file to read records from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveFile {
    /// Where it is.
    pub path: PathBuf,
    /// What its path says it is.
    pub class: KeyClass,
}

impl ArchiveFile {
    /// Classifies the file at `path` by its path.
    pub fn new(path: PathBuf) -> ArchiveFile {
        let class = classify_key(&key_text(&path));
        ArchiveFile { path, class }
    }
}

/// Why a path was not taken as an archive file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// The name does not end in one of [`ARCHIVE_SUFFIXES`].
    NotAnArchiveName,
    /// A `<object>.meta.json` sidecar of a local-directory store.
    Sidecar,
    /// A symbolic link to a directory: not followed.
    DirectorySymlink,
    /// Not a regular file or directory (a socket, FIFO or device).
    NotAFile,
}

/// A path that was not taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path.
    pub path: PathBuf,
    /// Why.
    pub reason: SkipReason,
}

/// One item of a [`Walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// An archive file.
    File(ArchiveFile),
    /// A path that is not one.
    Skipped(Skipped),
}

/// Returns whether a file name found in a directory names an archive file.
pub fn is_archive_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !lower.ends_with(SIDECAR_SUFFIX)
        && ARCHIVE_SUFFIXES
            .iter()
            .any(|suffix| lower.len() > suffix.len() && lower.ends_with(suffix))
}

/// A lazy, depth-first walk over the given paths; see the [module docs](self).
///
/// Yields `Ok(Found)` for each archive file and skipped path, and `Err` for each path that
/// cannot be read (with [`Error::path`] set); it never stops early on an error.
#[derive(Debug)]
pub struct Walk {
    roots: std::vec::IntoIter<PathBuf>,
    /// The sorted, not yet visited entries of each directory on the current path.
    stack: Vec<std::vec::IntoIter<Pending>>,
}

#[derive(Debug)]
enum Pending {
    Entry { path: PathBuf, file_type: FileType },
    Failed(Error),
}

impl Walk {
    /// Starts a walk over `paths` (files or directories), taken in the order given.
    pub fn new<I, P>(paths: I) -> Walk
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let roots: Vec<PathBuf> = paths
            .into_iter()
            .map(|path| path.as_ref().to_path_buf())
            .collect();
        Walk {
            roots: roots.into_iter(),
            stack: Vec::new(),
        }
    }

    fn visit_root(&mut self, path: PathBuf) -> Option<Result<Found>> {
        // Follows a link: the user named this path.
        match fs::metadata(&path) {
            Err(error) => Some(Err(Error::io("cannot read path", &path, error))),
            Ok(metadata) if metadata.is_dir() => self.enter(path),
            Ok(metadata) if metadata.is_file() => Some(Ok(Found::File(ArchiveFile::new(path)))),
            Ok(_) => Some(Ok(skipped(path, SkipReason::NotAFile))),
        }
    }

    fn visit_entry(&mut self, path: PathBuf, file_type: FileType) -> Option<Result<Found>> {
        if file_type.is_dir() {
            return self.enter(path);
        }
        if file_type.is_file() {
            return Some(Ok(found_by_name(path)));
        }
        if !file_type.is_symlink() {
            return Some(Ok(skipped(path, SkipReason::NotAFile)));
        }
        Some(match fs::metadata(&path) {
            Err(error) => Err(Error::io("cannot follow symbolic link", &path, error)),
            Ok(target) if target.is_dir() => Ok(skipped(path, SkipReason::DirectorySymlink)),
            Ok(target) if target.is_file() => Ok(found_by_name(path)),
            Ok(_) => Ok(skipped(path, SkipReason::NotAFile)),
        })
    }

    /// Pushes the sorted entries of the directory at `path`, or returns why it cannot.
    fn enter(&mut self, path: PathBuf) -> Option<Result<Found>> {
        if self.stack.len() >= MAX_DEPTH {
            let message = format!("directory nesting deeper than {MAX_DEPTH} levels");
            return Some(Err(Error::new(ErrorKind::TooLarge, message).with_path(path)));
        }
        let listing = match fs::read_dir(&path) {
            Ok(listing) => listing,
            Err(error) => return Some(Err(Error::io("cannot read directory", &path, error))),
        };
        let mut entries = Vec::new();
        let mut failures = Vec::new();
        for entry in listing {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    failures.push(Error::io("cannot read directory entry", &path, error));
                    continue;
                }
            };
            let entry_path = entry.path();
            match entry.file_type() {
                Ok(file_type) => entries.push((entry_path, file_type)),
                Err(error) => failures.push(Error::io("cannot read file type", &entry_path, error)),
            }
        }
        // Same parent: ordering the paths orders the names.
        entries.sort_by(|(left, _), (right, _)| left.cmp(right));
        let entries: Vec<Pending> = entries
            .into_iter()
            .map(|(path, file_type)| Pending::Entry { path, file_type })
            .chain(failures.into_iter().map(Pending::Failed))
            .collect();
        self.stack.push(entries.into_iter());
        None
    }
}

impl Iterator for Walk {
    type Item = Result<Found>;

    fn next(&mut self) -> Option<Result<Found>> {
        loop {
            if let Some(entries) = self.stack.last_mut() {
                let item = match entries.next() {
                    None => {
                        self.stack.pop();
                        continue;
                    }
                    Some(Pending::Failed(error)) => Some(Err(error)),
                    Some(Pending::Entry { path, file_type }) => self.visit_entry(path, file_type),
                };
                if item.is_some() {
                    return item;
                }
                continue;
            }
            let root = self.roots.next()?;
            if let Some(item) = self.visit_root(root) {
                return Some(item);
            }
        }
    }
}

/// All the archive files under some paths, with the count of skipped paths and the errors.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Archive files, in walk order.
    pub files: Vec<ArchiveFile>,
    /// How many paths were skipped (not archive files).
    pub skipped: u64,
    /// Paths that could not be read, in walk order.
    pub errors: Vec<Error>,
}

/// Walks `paths` to the end and collects the result. For very large trees, iterate a
/// [`Walk`] instead, which holds only the directories on the current path.
pub fn discover<I, P>(paths: I) -> Discovery
where
    I: IntoIterator<Item = P>,
    P: AsRef<Path>,
{
    let mut discovery = Discovery::default();
    for item in Walk::new(paths) {
        match item {
            Ok(Found::File(file)) => discovery.files.push(file),
            Ok(Found::Skipped(_)) => discovery.skipped += 1,
            Err(error) => discovery.errors.push(error),
        }
    }
    discovery
}

fn found_by_name(path: PathBuf) -> Found {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(SIDECAR_SUFFIX) {
        skipped(path, SkipReason::Sidecar)
    } else if is_archive_file_name(&name) {
        Found::File(ArchiveFile::new(path))
    } else {
        skipped(path, SkipReason::NotAnArchiveName)
    }
}

fn skipped(path: PathBuf, reason: SkipReason) -> Found {
    Found::Skipped(Skipped { path, reason })
}

/// The path as an object key: `/` separators (a non-UTF-8 part is replaced, which can only
/// make the layout not match, so the file is classified as [`KeyClass::Other`]).
fn key_text(path: &Path) -> String {
    let text = path.to_string_lossy();
    if MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_names_are_matched_by_suffix_in_any_case() {
        for name in [
            "a.json",
            "a.json.gz",
            "a.gz",
            "a.jsonl",
            "a.ndjson",
            "A.JSON.GZ",
        ] {
            assert!(is_archive_file_name(name), "{name}");
        }
        for name in [
            "a.txt",
            "json",
            ".gz",
            "a.json.gz.meta.json",
            "a.json.bak",
            "a.zip",
        ] {
            assert!(!is_archive_file_name(name), "{name}");
        }
    }

    #[test]
    fn files_found_in_directories_are_classified_by_path() {
        let log = "/x/AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/10/111122223333_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json.gz";
        let Found::File(file) = found_by_name(PathBuf::from(log)) else {
            panic!("not a file")
        };
        assert!(matches!(file.class, KeyClass::LogFile(_)));
        assert_eq!(
            found_by_name(PathBuf::from(format!("{log}.meta.json"))),
            skipped(
                PathBuf::from(format!("{log}.meta.json")),
                SkipReason::Sidecar
            )
        );
        assert_eq!(
            found_by_name(PathBuf::from("/x/README")),
            skipped(PathBuf::from("/x/README"), SkipReason::NotAnArchiveName)
        );
    }

    #[test]
    fn walk_is_sorted_depth_first_and_takes_named_files_whatever_their_name() {
        let root = tempfile::tempdir().unwrap();
        for relative in [
            "b/2.json",
            "b/1.json",
            "a.json",
            "b.json",
            "c/d/e.ndjson",
            "notes.txt",
        ] {
            let path = root.path().join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, b"{}").unwrap();
        }
        let explicit = root.path().join("notes.txt");
        let items: Vec<Found> = Walk::new([root.path().to_path_buf(), explicit.clone()])
            .collect::<Result<_>>()
            .unwrap();
        let names: Vec<String> = items
            .iter()
            .map(|item| match item {
                Found::File(file) => file
                    .path
                    .strip_prefix(root.path())
                    .unwrap()
                    .display()
                    .to_string(),
                Found::Skipped(skipped) => format!(
                    "skipped {}",
                    skipped.path.strip_prefix(root.path()).unwrap().display()
                ),
            })
            .collect();
        assert_eq!(
            names,
            [
                "a.json",
                "b/1.json",
                "b/2.json",
                "b.json",
                "c/d/e.ndjson",
                "skipped notes.txt",
                "notes.txt"
            ]
        );
    }

    #[test]
    fn missing_paths_are_errors_and_the_walk_goes_on() {
        let root = tempfile::tempdir().unwrap();
        fs::write(root.path().join("a.json"), b"{}").unwrap();
        let missing = root.path().join("missing");
        let found = discover([missing.as_path(), root.path()]);
        assert_eq!(found.files.len(), 1);
        assert_eq!(found.errors.len(), 1);
        assert_eq!(found.errors[0].kind(), ErrorKind::Io);
        assert_eq!(found.errors[0].path(), Some(missing.as_path()));
    }
}
