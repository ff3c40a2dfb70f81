//! Appending lines to local files: file targets and dead-letter files.
//!
//! A small cache keeps files open between events. Each file has its own lock, so lines
//! from concurrent deliveries (two rules writing one file) never interleave. A failed
//! write drops the file from the cache, so the retry opens it again (which also follows a
//! file that was rotated away). All I/O runs on tokio's blocking pool.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// How many files stay open at most.
const OPEN_FILES: usize = 64;

/// Whether an append must reach the disk before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Durability {
    /// Written to the operating system: survives a crash of the process.
    Buffered,
    /// `fsync`ed (and the folder too when the file is new): survives a power cut.
    Synced,
}

/// Open files, shared by every delivery.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileCache {
    open: Arc<Mutex<HashMap<PathBuf, Arc<Mutex<File>>>>>,
}

impl FileCache {
    /// Appends `line` (which carries its own newline) to `path`, creating the file and
    /// its folders when missing.
    pub(crate) async fn append(
        &self,
        path: PathBuf,
        line: Vec<u8>,
        durability: Durability,
    ) -> io::Result<()> {
        let cache = self.clone();
        tokio::task::spawn_blocking(move || cache.append_blocking(&path, &line, durability))
            .await
            .map_err(io::Error::other)?
    }

    fn append_blocking(&self, path: &Path, line: &[u8], durability: Durability) -> io::Result<()> {
        let file = self.handle(path, durability)?;
        let result = {
            let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
            file.write_all(line).and_then(|()| match durability {
                Durability::Buffered => Ok(()),
                Durability::Synced => file.sync_data(),
            })
        };
        if result.is_err() {
            self.open
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(path);
        }
        result
    }

    fn handle(&self, path: &Path, durability: Durability) -> io::Result<Arc<Mutex<File>>> {
        // A poisoned map only means a thread panicked while holding it; the map itself is
        // still a valid set of open files.
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(file) = open.get(path) {
            return Ok(Arc::clone(file));
        }
        let file = Arc::new(Mutex::new(open_for_append(path, durability)?));
        if open.len() >= OPEN_FILES
            && let Some(victim) = open.keys().next().cloned()
        {
            // Any one will do; a writer still holding it keeps its handle alive.
            open.remove(&victim);
        }
        open.insert(path.to_path_buf(), Arc::clone(&file));
        Ok(file)
    }
}

fn open_for_append(path: &Path, durability: Durability) -> io::Result<File> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(folder)?;
    let existed = match fs::symlink_metadata(path) {
        Ok(_) => true,
        Err(error) if error.kind() == io::ErrorKind::NotFound => false,
        Err(error) => return Err(error),
    };
    let file = OpenOptions::new().append(true).create(true).open(path)?;
    if !existed && durability == Durability::Synced {
        // The new directory entry must survive a power cut as well as the line.
        File::open(folder)?.sync_all()?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn appends_lines_creating_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/out.ndjson");
        let cache = FileCache::default();
        cache
            .append(path.clone(), b"1\n".to_vec(), Durability::Buffered)
            .await
            .unwrap();
        cache
            .append(path.clone(), b"2\n".to_vec(), Durability::Synced)
            .await
            .unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"1\n2\n");
    }

    #[tokio::test]
    async fn a_folder_in_the_way_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("file"), b"").unwrap();
        let cache = FileCache::default();
        let result = cache
            .append(
                dir.path().join("file/out.ndjson"),
                b"x\n".to_vec(),
                Durability::Buffered,
            )
            .await;
        assert!(result.is_err());
    }
}
