//! The import registry: the API operations on imports and their stored state.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use opentrail_types::{SharedClock, SharedIds};

use crate::error::{Error, ErrorKind, Result};
use crate::location::{ImportLocation, store_arn_account};
use crate::model::{
    FailureType, FailuresPage, Import, ImportFailure, ImportFailureStatus, ImportSource,
    ImportStatistics, ImportStatus, ImportsPage, ListImportsRequest, StartImportRequest,
};
use crate::persist::{self, Progress, StoredImport};

/// The file the registry keeps its state in, inside its folder.
pub const IMPORTS_FILE: &str = "imports.json";

/// `MaxResults` when a list request leaves it out.
pub const DEFAULT_MAX_RESULTS: usize = 1000;

const IMPORTS_TOKEN_PREFIX: &str = "imports/";
const FAILURES_TOKEN_PREFIX: &str = "failures/";

/// The imports of one server, persisted in `<dir>/imports.json`; every change is written
/// with temporary file, fsync and rename. The file (version 1; times in milliseconds since
/// the epoch):
///
/// ```text
/// {"Version":1,"Imports":[{
///   "ImportId":"…","Destinations":["arn:…:eventdatastore/…"],
///   "ImportSource":{"S3":{"S3LocationUri":"s3://…","S3BucketRegion":"…","S3BucketAccessRoleArn":"…"}},
///   "StartEventTime":1688989200000,"EndEventTime":null,            // ms since the epoch or null
///   "ImportStatus":"IN_PROGRESS","CreatedTimestamp":…,"UpdatedTimestamp":…,
///   "ImportStatistics":{"PrefixesFound":2,"PrefixesCompleted":1,"FilesCompleted":5,"EventsCompleted":180,"FailedEntries":1},
///   "Failures":[{"Location":"…","Status":"FAILED","ErrorType":"InvalidGzip","ErrorMessage":"…","LastUpdatedTime":…,"Key":"…"}],
///   "Progress":{"Cursor":"AWSLogs/…/x.json.gz"}                      // last source key handled, in bytewise order
/// }]}
/// ```
///
/// All methods take a short lock and may write the file, so async callers run them in
/// `spawn_blocking`. Share one `Imports` (in an `Arc`) between the API and the runners.
#[derive(Debug)]
pub struct Imports {
    path: PathBuf,
    pub(crate) clock: SharedClock,
    ids: SharedIds,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) entries: Vec<StoredImport>,
    /// Stop flags of the imports a runner is working on, set by `StopImport`.
    pub(crate) running: HashMap<String, Arc<AtomicBool>>,
}

impl Imports {
    /// Opens (or creates) the registry in `dir`.
    ///
    /// Imports that were `INITIALIZING` or `IN_PROGRESS` when the process stopped stay so:
    /// [`Imports::runnable_imports`] lists them for the caller to run again, and the runner
    /// resumes after the last file recorded as handled.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Storage`] when the folder or file cannot be read or is not a valid
    /// version-1 imports file.
    pub fn open(dir: &Path, clock: SharedClock, ids: SharedIds) -> Result<Imports> {
        std::fs::create_dir_all(dir).map_err(|error| Error::storage("create", dir, error))?;
        let path = dir.join(IMPORTS_FILE);
        let entries = persist::load(&path)?;
        Ok(Imports {
            path,
            clock,
            ids,
            state: Mutex::new(State {
                entries,
                running: HashMap::new(),
            }),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves entries that are still well-formed values;
        // the registry carries on with them rather than failing every later call.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn save(&self, state: &State) -> Result<()> {
        persist::save(&self.path, &state.entries)
    }

    /// `StartImport`: starts a new import, or retries a `FAILED` or `STOPPED` one when only
    /// `import_id` is given. The import is `INITIALIZING`; the caller then runs it
    /// ([`Imports::run`] or [`crate::spawn_runner`]).
    ///
    /// A retry keeps the import's ID, source and time range, marks its `FAILED` failure
    /// entries `RETRY`, and the next run reads those files again and then the files after
    /// the last one handled; files already imported are not read again.
    ///
    /// The destination store's existence, category and status are the caller's to check.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` (missing or extra members, not exactly one destination, empty
    /// source members, `StartEventTime` after `EndEventTime`, retry of a `COMPLETED` import),
    /// `EventDataStoreArnInvalid`, `InvalidImportSource` (a bad URI, a missing local
    /// directory), `AccountHasOngoingImport`, `ImportNotFound` (retry), `Storage`.
    pub fn start_import(&self, request: StartImportRequest) -> Result<Import> {
        if let Some(import_id) = &request.import_id {
            let has_new_members = request.destinations.is_some()
                || request.import_source.is_some()
                || request.start_event_time.is_some()
                || request.end_event_time.is_some();
            if has_new_members {
                return Err(Error::invalid_parameter(
                    "`ImportId` retries an import and cannot be combined with `Destinations`, `ImportSource`, `StartEventTime` or `EndEventTime`",
                ));
            }
            return self.retry_import(import_id);
        }
        let destinations = request.destinations.ok_or_else(|| {
            Error::invalid_parameter("`Destinations` is required for a new import")
        })?;
        let [destination] = destinations.as_slice() else {
            return Err(Error::invalid_parameter(format!(
                "`Destinations` must hold exactly 1 event data store ARN, not {}",
                destinations.len()
            )));
        };
        let account = store_arn_account(destination)?.to_owned();
        let import_source = request.import_source.ok_or_else(|| {
            Error::invalid_parameter("`ImportSource` is required for a new import")
        })?;
        validate_import_source(&import_source)?;
        if let (Some(start), Some(end)) = (request.start_event_time, request.end_event_time)
            && start > end
        {
            return Err(Error::invalid_parameter(format!(
                "`StartEventTime` `{}` is after `EndEventTime` `{}`",
                start.format_event_time(),
                end.format_event_time()
            )));
        }
        let mut state = self.lock();
        check_no_ongoing_import(&state, &account, None)?;
        let now = self.clock.now();
        let import = Import {
            import_id: self.ids.uuid(),
            destinations: destinations.clone(),
            import_source,
            start_event_time: request.start_event_time,
            end_event_time: request.end_event_time,
            import_status: ImportStatus::Initializing,
            created_timestamp: now,
            updated_timestamp: now,
            import_statistics: ImportStatistics::default(),
        };
        state.entries.push(StoredImport {
            import: import.clone(),
            failures: Vec::new(),
            progress: Progress::default(),
        });
        if let Err(error) = self.save(&state) {
            state.entries.pop();
            return Err(error);
        }
        Ok(import)
    }

    fn retry_import(&self, import_id: &str) -> Result<Import> {
        validate_import_id(import_id)?;
        let mut state = self.lock();
        let index = find(&state, import_id)?;
        let entry = &state.entries[index];
        let status = entry.import.import_status;
        let account = store_arn_account(entry.import.destination())?.to_owned();
        if status.is_running() {
            return Err(Error::new(
                ErrorKind::AccountHasOngoingImport,
                format!("import `{import_id}` is already {}", status.as_str()),
            ));
        }
        if !matches!(status, ImportStatus::Failed | ImportStatus::Stopped) {
            return Err(Error::invalid_parameter(format!(
                "import `{import_id}` is {}; only a FAILED or STOPPED import can be retried",
                status.as_str()
            )));
        }
        check_no_ongoing_import(&state, &account, Some(import_id))?;
        let saved = state.entries[index].clone();
        let now = self.clock.now();
        let entry = &mut state.entries[index];
        for failure in &mut entry.failures {
            if failure.status == ImportFailureStatus::Failed {
                failure.status = ImportFailureStatus::Retry;
                failure.last_updated_time = now;
            }
        }
        entry.import.import_status = ImportStatus::Initializing;
        entry.import.updated_timestamp = now;
        entry.recount_failed_entries();
        let import = entry.import.clone();
        if let Err(error) = self.save(&state) {
            state.entries[index] = saved;
            return Err(error);
        }
        Ok(import)
    }

    /// `GetImport`.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` for a malformed ID, `ImportNotFound`.
    pub fn get_import(&self, import_id: &str) -> Result<Import> {
        validate_import_id(import_id)?;
        let state = self.lock();
        let index = find(&state, import_id)?;
        Ok(state.entries[index].import.clone())
    }

    /// `StopImport`: a running (`INITIALIZING` or `IN_PROGRESS`) import becomes `STOPPED`
    /// at once; its runner ends after the file it is reading. Returns the import with its
    /// statistics.
    ///
    /// # Errors
    ///
    /// `ImportNotFound`; `InvalidParameter` when the import is not running (the model
    /// offers no more specific exception); `Storage`.
    pub fn stop_import(&self, import_id: &str) -> Result<Import> {
        validate_import_id(import_id)?;
        let mut state = self.lock();
        let index = find(&state, import_id)?;
        let status = state.entries[index].import.import_status;
        if !status.is_running() {
            return Err(Error::invalid_parameter(format!(
                "import `{import_id}` is {} and cannot be stopped",
                status.as_str()
            )));
        }
        let saved = state.entries[index].import.clone();
        let entry = &mut state.entries[index].import;
        entry.import_status = ImportStatus::Stopped;
        entry.updated_timestamp = self.clock.now();
        let import = entry.clone();
        if let Err(error) = self.save(&state) {
            state.entries[index].import = saved;
            return Err(error);
        }
        if let Some(flag) = state.running.get(import_id) {
            flag.store(true, Ordering::Relaxed);
        }
        Ok(import)
    }

    /// `ListImports`: oldest first, filtered by destination and status.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` for `MaxResults` outside 1–1000, `EventDataStoreArnInvalid` for a
    /// bad `Destination`, `InvalidNextToken`.
    pub fn list_imports(&self, request: &ListImportsRequest) -> Result<ImportsPage> {
        let max_results = check_max_results(request.max_results)?;
        if let Some(destination) = &request.destination {
            store_arn_account(destination)?;
        }
        let state = self.lock();
        let start = match request.next_token.as_deref() {
            None => 0,
            Some(token) => {
                let import_id = token
                    .strip_prefix(IMPORTS_TOKEN_PREFIX)
                    .ok_or_else(|| invalid_token(token))?;
                find(&state, import_id).map_err(|_| invalid_token(token))? + 1
            }
        };
        let mut imports = Vec::new();
        let mut next_token = None;
        for entry in &state.entries[start..] {
            let import = &entry.import;
            let wanted = request
                .destination
                .as_deref()
                .is_none_or(|destination| import.destination() == destination)
                && request.account.as_deref().is_none_or(|account| {
                    store_arn_account(import.destination()).is_ok_and(|owner| owner == account)
                })
                && request
                    .import_status
                    .is_none_or(|status| import.import_status == status);
            if !wanted {
                continue;
            }
            if imports.len() == max_results {
                let last: &crate::ImportsListItem = &imports[max_results - 1];
                next_token = Some(format!("{IMPORTS_TOKEN_PREFIX}{}", last.import_id));
                break;
            }
            imports.push(import.list_item());
        }
        Ok(ImportsPage {
            imports,
            next_token,
        })
    }

    /// `ListImportFailures`: the failure entries of one import, in the order first recorded.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` (malformed ID, `MaxResults` outside 1–1000), `ImportNotFound`,
    /// `InvalidNextToken`.
    pub fn list_import_failures(
        &self,
        import_id: &str,
        max_results: Option<i64>,
        next_token: Option<&str>,
    ) -> Result<FailuresPage> {
        validate_import_id(import_id)?;
        let max_results = check_max_results(max_results)?;
        let state = self.lock();
        let failures = &state.entries[find(&state, import_id)?].failures;
        let start = match next_token {
            None => 0,
            Some(token) => token
                .strip_prefix(FAILURES_TOKEN_PREFIX)
                .and_then(|offset| offset.parse::<usize>().ok())
                .filter(|offset| *offset > 0 && *offset < failures.len())
                .ok_or_else(|| invalid_token(token))?,
        };
        let end = failures.len().min(start + max_results);
        Ok(FailuresPage {
            failures: failures[start..end].to_vec(),
            next_token: (end < failures.len()).then(|| format!("{FAILURES_TOKEN_PREFIX}{end}")),
        })
    }

    /// The imports that are `INITIALIZING` or `IN_PROGRESS` and have no runner: after
    /// [`Imports::open`], the ones to run again (they resume where they were).
    pub fn runnable_imports(&self) -> Vec<Import> {
        let state = self.lock();
        state
            .entries
            .iter()
            .filter(|entry| {
                entry.import.import_status.is_running()
                    && !state.running.contains_key(&entry.import.import_id)
            })
            .map(|entry| entry.import.clone())
            .collect()
    }

    /// Marks a running import that has no runner `FAILED`, with a failure entry at its
    /// `S3LocationUri` saying `message`: for a caller that cannot run it again (its bucket
    /// no longer resolves, say). It can still be retried with `StartImport{ImportId}`.
    ///
    /// # Errors
    ///
    /// `ImportNotFound`; `InvalidParameter` when it is not running or a runner has it;
    /// `Storage`.
    pub fn mark_failed(&self, import_id: &str, message: &str) -> Result<Import> {
        let mut state = self.lock();
        let index = find(&state, import_id)?;
        if !state.entries[index].import.import_status.is_running()
            || state.running.contains_key(import_id)
        {
            return Err(Error::invalid_parameter(format!(
                "import `{import_id}` is not a running import without a runner"
            )));
        }
        let saved = state.entries[index].clone();
        let now = self.clock.now();
        let entry = &mut state.entries[index];
        entry.failures.push(ImportFailure {
            location: entry.import.import_source.s3.s3_location_uri.clone(),
            status: ImportFailureStatus::Failed,
            error_type: FailureType::ListFailed.as_str().to_owned(),
            error_message: message.to_owned(),
            last_updated_time: now,
            key: None,
        });
        entry.recount_failed_entries();
        entry.import.import_status = ImportStatus::Failed;
        entry.import.updated_timestamp = now;
        let import = entry.import.clone();
        if let Err(error) = self.save(&state) {
            state.entries[index] = saved;
            return Err(error);
        }
        Ok(import)
    }
}

pub(crate) fn find(state: &State, import_id: &str) -> Result<usize> {
    state
        .entries
        .iter()
        .position(|entry| entry.import.import_id == import_id)
        .ok_or_else(|| Error::not_found(import_id))
}

fn check_no_ongoing_import(state: &State, account: &str, except: Option<&str>) -> Result<()> {
    for entry in &state.entries {
        let import = &entry.import;
        if !import.import_status.is_running() || Some(import.import_id.as_str()) == except {
            continue;
        }
        if store_arn_account(import.destination()).is_ok_and(|other| other == account) {
            return Err(Error::new(
                ErrorKind::AccountHasOngoingImport,
                format!(
                    "account `{account}` already has import `{}` {}",
                    import.import_id,
                    import.import_status.as_str()
                ),
            ));
        }
    }
    Ok(())
}

fn validate_import_source(source: &ImportSource) -> Result<()> {
    let s3 = &source.s3;
    for (name, value) in [
        ("S3LocationUri", &s3.s3_location_uri),
        ("S3BucketRegion", &s3.s3_bucket_region),
        ("S3BucketAccessRoleArn", &s3.s3_bucket_access_role_arn),
    ] {
        if value.is_empty() {
            return Err(Error::invalid_parameter(format!(
                "`ImportSource.S3.{name}` must not be empty"
            )));
        }
    }
    if let ImportLocation::Directory(dir) = ImportLocation::parse(&s3.s3_location_uri)? {
        let is_dir = std::fs::metadata(&dir).is_ok_and(|metadata| metadata.is_dir());
        if !is_dir {
            return Err(Error::new(
                ErrorKind::InvalidImportSource,
                format!("`{}` is not a readable directory", dir.display()),
            ));
        }
    }
    Ok(())
}

fn validate_import_id(import_id: &str) -> Result<()> {
    let well_formed = import_id.len() == 36
        && import_id
            .bytes()
            .all(|byte| matches!(byte, b'a'..=b'f' | b'0'..=b'9' | b'-'));
    if well_formed {
        Ok(())
    } else {
        Err(Error::invalid_parameter(format!(
            "`{import_id}` is not an import ID (36 characters of `a-f`, `0-9` and `-`)"
        )))
    }
}

fn check_max_results(max_results: Option<i64>) -> Result<usize> {
    match max_results {
        None => Ok(DEFAULT_MAX_RESULTS),
        Some(value @ 1..=1000) => Ok(usize::try_from(value).unwrap_or(DEFAULT_MAX_RESULTS)),
        Some(value) => Err(Error::invalid_parameter(format!(
            "`MaxResults` `{value}` is outside 1–1000"
        ))),
    }
}

fn invalid_token(token: &str) -> Error {
    Error::new(
        ErrorKind::InvalidNextToken,
        format!("`{token}` is not a valid next token"),
    )
}
