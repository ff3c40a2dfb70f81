//! Saved consumer positions: `consumers/<name>.json`, `{"version":1,"position":{...}}`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::segment::sync_dir;
use crate::{Error, Position, Result};

#[derive(Serialize, Deserialize)]
struct Saved {
    version: u32,
    position: Position,
}

fn folder(dir: &Path) -> PathBuf {
    dir.join("consumers")
}

fn check_name(name: &str) -> Result<()> {
    let valid = !name.is_empty()
        && name.len() <= 128
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if valid {
        Ok(())
    } else {
        Err(Error::InvalidEntry {
            reason: format!("consumer name `{name}` must be 1-128 of [A-Za-z0-9_-]"),
        })
    }
}

pub(crate) fn load(dir: &Path, name: &str) -> Result<Option<Position>> {
    check_name(name)?;
    let path = folder(dir).join(format!("{name}.json"));
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::io(&path, error)),
    };
    let saved: Saved = serde_json::from_slice(&bytes).map_err(|error| Error::Corrupt {
        path: path.clone(),
        offset: 0,
        reason: format!("unreadable consumer position: {error}"),
    })?;
    if saved.version != 1 {
        return Err(Error::Corrupt {
            path,
            offset: 0,
            reason: format!("unsupported version {}", saved.version),
        });
    }
    Ok(Some(saved.position))
}

pub(crate) fn load_all(dir: &Path) -> Result<Vec<(String, Position)>> {
    let folder = folder(dir);
    let entries = match fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(Error::io(&folder, error)),
    };
    let mut all = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| Error::io(&folder, error))?;
        let file_name = entry.file_name();
        let Some(name) = file_name
            .to_str()
            .and_then(|name| name.strip_suffix(".json"))
        else {
            continue;
        };
        if let Some(position) = load(dir, name)? {
            all.push((name.to_owned(), position));
        }
    }
    all.sort_by(|left, right| left.0.cmp(&right.0));
    Ok(all)
}

/// Writes the position to a temporary file, syncs it, and renames it over the old one, so
/// a crash leaves either the old or the new position, never a torn one.
pub(crate) fn save(dir: &Path, name: &str, position: Position) -> Result<()> {
    check_name(name)?;
    let folder = folder(dir);
    fs::create_dir_all(&folder).map_err(|error| Error::io(&folder, error))?;
    let path = folder.join(format!("{name}.json"));
    let temporary = folder.join(format!("{name}.json.tmp"));
    let bytes = serde_json::to_vec(&Saved {
        version: 1,
        position,
    })
    .unwrap_or_default();
    let mut file = fs::File::create(&temporary).map_err(|error| Error::io(&temporary, error))?;
    file.write_all(&bytes)
        .map_err(|error| Error::io(&temporary, error))?;
    file.sync_all()
        .map_err(|error| Error::io(&temporary, error))?;
    fs::rename(&temporary, &path).map_err(|error| Error::io(&path, error))?;
    sync_dir(&folder)
}

/// Removes consumer `name`'s saved position, so it no longer holds back retention.
/// Removing a position that does not exist is not an error.
pub(crate) fn remove(dir: &Path, name: &str) -> Result<()> {
    check_name(name)?;
    let folder = folder(dir);
    let path = folder.join(format!("{name}.json"));
    match fs::remove_file(&path) {
        Ok(()) => sync_dir(&folder),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(Error::io(&path, error)),
    }
}
