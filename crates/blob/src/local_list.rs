//! Listing a local bucket directory in S3 key order without reading any file content.
//!
//! Keys sort bytewise. Within one folder, an entry's *sort key* is its key for a file and
//! its key plus `/` for a folder; every key below a folder starts with the folder's sort
//! key, and no sort key is a prefix of a sibling's, so visiting siblings in sort-key order,
//! depth first, yields all keys in order. The same property lets the walk skip a whole
//! folder whose keys all sort at or before `start_after`, or cannot match `prefix`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::bucket::{ListPage, ObjectInfo};
use crate::names::{self, SIDECAR_SUFFIX, TEMP_PREFIX};

/// One folder entry, with what the walk needs to order and filter it.
struct Entry {
    sort_key: String,
    path: PathBuf,
    is_folder: bool,
}

/// The state of one listing.
struct Walk<'a> {
    prefix: &'a str,
    start_after: Option<&'a str>,
    max_keys: usize,
    found: Vec<(String, PathBuf)>,
    is_truncated: bool,
}

/// Lists up to `max_keys` objects below `root` whose keys start with `prefix` and sort
/// after `start_after`.
pub(crate) fn list(
    root: &Path,
    prefix: &str,
    start_after: Option<&str>,
    max_keys: usize,
) -> io::Result<ListPage> {
    let mut walk = Walk {
        prefix,
        start_after,
        max_keys,
        found: Vec::new(),
        is_truncated: false,
    };
    walk.visit(root, "")?;

    let mut objects = Vec::with_capacity(walk.found.len());
    for (key, path) in walk.found {
        // Stat only the keys returned. A file deleted since the folder was read is skipped.
        match fs::metadata(&path) {
            Ok(meta) => objects.push(ObjectInfo {
                key,
                size: meta.len(),
                last_modified: meta.modified().ok(),
            }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
    }
    Ok(ListPage {
        objects,
        is_truncated: walk.is_truncated,
    })
}

impl Walk<'_> {
    /// Visits `folder`, whose keys start with `folder_key` (`""` or ending in `/`).
    /// Returns `false` once the page is full.
    fn visit(&mut self, folder: &Path, folder_key: &str) -> io::Result<bool> {
        for entry in read_folder(folder, folder_key)? {
            if entry.is_folder {
                let could_match_prefix = entry.sort_key.starts_with(self.prefix)
                    || self.prefix.starts_with(&entry.sort_key);
                if !could_match_prefix || self.all_keys_at_or_before_start(&entry.sort_key) {
                    continue;
                }
                if !self.visit(&entry.path, &entry.sort_key)? {
                    return Ok(false);
                }
                continue;
            }
            let key = entry.sort_key;
            if !key.starts_with(self.prefix)
                || self.start_after.is_some_and(|after| key.as_str() <= after)
            {
                continue;
            }
            // Files made outside OpenTrail may carry names no put could make.
            if names::validate_local_key(&key).is_err() {
                tracing::debug!(key, "skipping a file whose name is not a valid key");
                continue;
            }
            if self.found.len() == self.max_keys {
                self.is_truncated = true;
                return Ok(false);
            }
            self.found.push((key, entry.path));
        }
        Ok(true)
    }

    /// Returns whether every key starting with `folder_sort_key` sorts at or before
    /// `start_after`: true when the folder sorts before it and is not a prefix of it.
    fn all_keys_at_or_before_start(&self, folder_sort_key: &str) -> bool {
        self.start_after
            .is_some_and(|after| folder_sort_key < after && !after.starts_with(folder_sort_key))
    }
}

/// Reads one folder's entries, without sidecars, temporary files and names that are not
/// UTF-8, sorted by sort key.
fn read_folder(folder: &Path, folder_key: &str) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for dir_entry in fs::read_dir(folder)? {
        let dir_entry = dir_entry?;
        let file_name = dir_entry.file_name();
        let Some(name) = file_name.to_str() else {
            tracing::debug!(folder = %folder.display(), "skipping a file name that is not UTF-8");
            continue;
        };
        if name.starts_with(TEMP_PREFIX) {
            continue;
        }
        let path = dir_entry.path();
        // `file_type` comes from the folder entry itself on most file systems: no stat.
        let mut file_type = dir_entry.file_type()?;
        if file_type.is_symlink() {
            // Follow links to files; links to folders could loop, so they are not walked.
            match fs::metadata(&path) {
                Ok(meta) if meta.is_file() => file_type = meta.file_type(),
                Ok(_) => continue,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error),
            }
        }
        let entry = if file_type.is_dir() {
            Entry {
                sort_key: format!("{folder_key}{name}/"),
                path,
                is_folder: true,
            }
        } else if file_type.is_file() {
            if name.ends_with(SIDECAR_SUFFIX) {
                continue;
            }
            Entry {
                sort_key: format!("{folder_key}{name}"),
                path,
                is_folder: false,
            }
        } else {
            continue;
        };
        entries.push(entry);
    }
    entries.sort_unstable_by(|left, right| left.sort_key.cmp(&right.sort_key));
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(page: &ListPage) -> Vec<&str> {
        page.objects
            .iter()
            .map(|object| object.key.as_str())
            .collect()
    }

    fn touch(root: &Path, key: &str) {
        let path = root.join(key);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, key.as_bytes()).unwrap();
    }

    #[test]
    fn folders_sort_by_their_name_plus_slash() {
        let dir = tempfile::tempdir().unwrap();
        // `a.b` < `a/x` < `a0` < `ab` bytewise (`.` 0x2E < `/` 0x2F < `0` 0x30).
        for key in ["ab", "a/x", "a0", "a.b", "a/y/z", "a/-"] {
            touch(dir.path(), key);
        }
        let page = list(dir.path(), "", None, 100).unwrap();
        assert_eq!(keys(&page), ["a.b", "a/-", "a/x", "a/y/z", "a0", "ab"]);
        assert!(!page.is_truncated);
    }

    #[test]
    fn start_after_skips_whole_folders_and_is_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        for key in ["a/1", "a/2", "b/1", "b/2", "c"] {
            touch(dir.path(), key);
        }
        let page = list(dir.path(), "", Some("a/2"), 100).unwrap();
        assert_eq!(keys(&page), ["b/1", "b/2", "c"]);
        let page = list(dir.path(), "", Some("b"), 100).unwrap();
        assert_eq!(keys(&page), ["b/1", "b/2", "c"]);
        let page = list(dir.path(), "", Some("b/"), 2).unwrap();
        assert_eq!(keys(&page), ["b/1", "b/2"]);
        assert!(page.is_truncated);
        // A start key that is not itself stored works like S3's marker.
        let page = list(dir.path(), "", Some("a/15"), 100).unwrap();
        assert_eq!(keys(&page), ["a/2", "b/1", "b/2", "c"]);
    }

    #[test]
    fn prefix_is_a_string_prefix_not_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        for key in ["logs/111/a", "logs/1112/b", "logs/2/c", "logsx"] {
            touch(dir.path(), key);
        }
        assert_eq!(
            keys(&list(dir.path(), "logs/111", None, 100).unwrap()),
            ["logs/111/a", "logs/1112/b"]
        );
        assert_eq!(
            keys(&list(dir.path(), "logs/111/", None, 100).unwrap()),
            ["logs/111/a"]
        );
        assert_eq!(keys(&list(dir.path(), "logs", None, 100).unwrap()).len(), 4);
        assert!(
            list(dir.path(), "nothing", None, 100)
                .unwrap()
                .objects
                .is_empty()
        );
    }

    #[test]
    fn truncation_is_exact_at_the_page_boundary() {
        let dir = tempfile::tempdir().unwrap();
        for key in ["1", "2", "3"] {
            touch(dir.path(), key);
        }
        assert!(list(dir.path(), "", None, 2).unwrap().is_truncated);
        assert!(!list(dir.path(), "", None, 3).unwrap().is_truncated);
        assert!(!list(dir.path(), "", Some("1"), 2).unwrap().is_truncated);
    }
}
