//! Saved Lake queries: kept on the server, per principal, in one state file of the data
//! directory (`console/saved-queries.json`), so they follow a principal from browser to
//! browser (CloudTrail's console keeps them in the browser only).
//!
//! # File format (version 1)
//!
//! ```json
//! {
//!   "version": 1,
//!   "principals": {
//!     "arn:aws:iam::111111111111:user/alice": [
//!       { "id": "…", "name": "Top events", "sql": "SELECT …", "savedAt": "2026-03-05T02:14:00Z" }
//!     ]
//!   }
//! }
//! ```
//!
//! - `principals`: the principal's ARN → its saved queries, oldest first.
//! - `id`: the query's id (a UUID), used in the delete form's path.
//! - `name`: 1 to [`MAX_NAME_CHARS`] characters, unique per principal (saving under a name
//!   already used replaces that query's SQL).
//! - `sql`: 1 to [`MAX_SQL_CHARS`] characters (`StartQuery`'s limit).
//! - `savedAt`: when it was last saved (UTC).
//!
//! A principal keeps at most [`MAX_PER_PRINCIPAL`] queries. Every change rewrites the file
//! durably ([`durable::replace_json`]) under one lock, so concurrent saves never lose each
//! other's work.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use opentrail_types::durable::{self, StateFileError};
use serde::{Deserialize, Serialize};

/// The state file's version.
const VERSION: u32 = 1;
/// Most saved queries per principal.
pub(crate) const MAX_PER_PRINCIPAL: usize = 100;
/// Longest name, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 128;
/// Longest SQL, in characters (`StartQuery`'s `QueryStatement` limit).
pub(crate) const MAX_SQL_CHARS: usize = 10_000;

/// Serialises every read-modify-write of saved-query files in this process (one server
/// per data directory; a lock per file would buy nothing at this rate of change).
static FILE_LOCK: Mutex<()> = Mutex::new(());

/// One saved query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SavedQuery {
    pub id: String,
    pub name: String,
    pub sql: String,
    pub saved_at: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct SavedFile {
    version: u32,
    #[serde(default)]
    principals: BTreeMap<String, Vec<SavedQuery>>,
}

/// Why a saved-query change was refused or failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SavedError {
    /// The request breaks a limit; the message says which, for the user.
    #[error("{0}")]
    Invalid(String),
    /// The file could not be read or written.
    #[error(transparent)]
    Storage(#[from] StateFileError),
}

/// The saved queries of one data directory.
#[derive(Debug, Clone)]
pub(crate) struct SavedQueries {
    path: PathBuf,
}

impl SavedQueries {
    /// The saved queries kept under the data directory `root`.
    pub fn under(root: &Path) -> SavedQueries {
        SavedQueries {
            path: root.join("console").join("saved-queries.json"),
        }
    }

    fn read(&self) -> Result<SavedFile, StateFileError> {
        Ok(
            durable::read_versioned(&self.path, &[VERSION])?.unwrap_or(SavedFile {
                version: VERSION,
                principals: BTreeMap::new(),
            }),
        )
    }

    fn write(&self, file: &SavedFile) -> Result<(), StateFileError> {
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder).map_err(|source| StateFileError::Io {
                step: "create",
                path: folder.to_path_buf(),
                source,
            })?;
        }
        durable::replace_json(&self.path, file)
    }

    /// The principal's saved queries, sorted by name.
    ///
    /// # Errors
    ///
    /// The file cannot be read or is damaged.
    pub fn list(&self, principal: &str) -> Result<Vec<SavedQuery>, SavedError> {
        let _guard = FILE_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut queries = self
            .read()?
            .principals
            .remove(principal)
            .unwrap_or_default();
        queries.sort_by_key(|query| query.name.to_lowercase());
        Ok(queries)
    }

    /// Saves `sql` under `name` for the principal: replaces the query of that name, or adds
    /// one with `new_id`. Returns the saved query.
    ///
    /// # Errors
    ///
    /// `Invalid` for an empty or too long name or SQL, or when the principal already keeps
    /// [`MAX_PER_PRINCIPAL`] queries; `Storage` when the file cannot be read or written.
    pub fn save(
        &self,
        principal: &str,
        name: &str,
        sql: &str,
        new_id: String,
        saved_at: String,
    ) -> Result<SavedQuery, SavedError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(SavedError::Invalid(String::from(
                "Give the query a name to save it.",
            )));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(SavedError::Invalid(format!(
                "A saved query's name has at most {MAX_NAME_CHARS} characters."
            )));
        }
        if sql.trim().is_empty() {
            return Err(SavedError::Invalid(String::from(
                "There is no SQL to save.",
            )));
        }
        if sql.chars().count() > MAX_SQL_CHARS {
            return Err(SavedError::Invalid(format!(
                "A query has at most {MAX_SQL_CHARS} characters."
            )));
        }
        let _guard = FILE_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut file = self.read()?;
        let queries = file.principals.entry(principal.to_owned()).or_default();
        let saved = if let Some(existing) = queries.iter_mut().find(|query| query.name == name) {
            existing.sql = sql.to_owned();
            existing.saved_at = saved_at;
            existing.clone()
        } else {
            if queries.len() >= MAX_PER_PRINCIPAL {
                return Err(SavedError::Invalid(format!(
                    "You already keep {MAX_PER_PRINCIPAL} saved queries, the most there may be; delete one first."
                )));
            }
            let query = SavedQuery {
                id: new_id,
                name: name.to_owned(),
                sql: sql.to_owned(),
                saved_at,
            };
            queries.push(query.clone());
            query
        };
        self.write(&file)?;
        Ok(saved)
    }

    /// Deletes the principal's query `id`; `false` when it has none of that id.
    ///
    /// # Errors
    ///
    /// The file cannot be read or written.
    pub fn delete(&self, principal: &str, id: &str) -> Result<bool, SavedError> {
        let _guard = FILE_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut file = self.read()?;
        let Some(queries) = file.principals.get_mut(principal) else {
            return Ok(false);
        };
        let before = queries.len();
        queries.retain(|query| query.id != id);
        if queries.len() == before {
            return Ok(false);
        }
        if queries.is_empty() {
            file.principals.remove(principal);
        }
        self.write(&file)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "arn:aws:iam::111111111111:user/alice";
    const BOB: &str = "arn:aws:iam::111111111111:user/bob";

    fn save(store: &SavedQueries, who: &str, name: &str, sql: &str, id: &str) -> SavedQuery {
        store
            .save(
                who,
                name,
                sql,
                id.to_owned(),
                String::from("2026-03-05T02:14:00Z"),
            )
            .unwrap()
    }

    #[test]
    fn saved_queries_are_kept_per_principal_and_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let store = SavedQueries::under(dir.path());
        assert!(store.list(ALICE).unwrap().is_empty());
        save(&store, ALICE, "zeta", "SELECT 2", "id-2");
        save(&store, ALICE, "Alpha", "SELECT 1", "id-1");
        save(&store, BOB, "mine", "SELECT 3", "id-3");

        let reopened = SavedQueries::under(dir.path());
        let names: Vec<String> = reopened
            .list(ALICE)
            .unwrap()
            .into_iter()
            .map(|query| query.name)
            .collect();
        assert_eq!(names, ["Alpha", "zeta"]);
        assert_eq!(reopened.list(BOB).unwrap().len(), 1);

        // The same name replaces the SQL and keeps the id.
        let replaced = save(&reopened, ALICE, " zeta ", "SELECT 22", "id-new");
        assert_eq!(replaced.id, "id-2");
        assert_eq!(reopened.list(ALICE).unwrap()[1].sql, "SELECT 22");

        // Deleting is per principal.
        assert!(!reopened.delete(BOB, "id-1").unwrap());
        assert!(reopened.delete(ALICE, "id-1").unwrap());
        assert!(!reopened.delete(ALICE, "id-1").unwrap());
        assert_eq!(reopened.list(ALICE).unwrap().len(), 1);

        let text = std::fs::read_to_string(dir.path().join("console/saved-queries.json")).unwrap();
        assert!(text.contains("\"version\": 1"), "{text}");
        assert!(text.contains("\"savedAt\""), "{text}");
    }

    #[test]
    fn saved_queries_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let store = SavedQueries::under(dir.path());
        let refused =
            |result: Result<SavedQuery, SavedError>| matches!(result, Err(SavedError::Invalid(_)));
        let at = || String::from("2026-03-05T02:14:00Z");
        assert!(refused(store.save(
            ALICE,
            "  ",
            "SELECT 1",
            "a".into(),
            at()
        )));
        assert!(refused(store.save(ALICE, "q", " \n", "a".into(), at())));
        let long_name = "n".repeat(MAX_NAME_CHARS + 1);
        assert!(refused(store.save(
            ALICE,
            &long_name,
            "SELECT 1",
            "a".into(),
            at()
        )));
        let long_sql = "x".repeat(MAX_SQL_CHARS + 1);
        assert!(refused(store.save(ALICE, "q", &long_sql, "a".into(), at())));
        // Exactly at the limits is fine.
        let name = "é".repeat(MAX_NAME_CHARS);
        save(&store, ALICE, &name, &"x".repeat(MAX_SQL_CHARS), "first");
        for index in 1..MAX_PER_PRINCIPAL {
            save(
                &store,
                ALICE,
                &format!("q{index}"),
                "SELECT 1",
                &format!("id{index}"),
            );
        }
        assert!(refused(store.save(
            ALICE,
            "one more",
            "SELECT 1",
            "x".into(),
            at()
        )));
        // Replacing an existing one is still allowed at the limit.
        save(&store, ALICE, "q1", "SELECT 2", "ignored");
        assert_eq!(store.list(ALICE).unwrap().len(), MAX_PER_PRINCIPAL);
    }

    #[test]
    fn a_damaged_file_is_an_error_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("console")).unwrap();
        std::fs::write(dir.path().join("console/saved-queries.json"), "{not json").unwrap();
        let store = SavedQueries::under(dir.path());
        assert!(matches!(store.list(ALICE), Err(SavedError::Storage(_))));
        assert!(matches!(
            store.save(ALICE, "q", "SELECT 1", "a".into(), String::new()),
            Err(SavedError::Storage(_))
        ));
    }
}
