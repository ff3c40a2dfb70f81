//! [`spawn_runner`]: a run on a thread of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use crate::error::{Error, ErrorKind, Result};
use crate::registry::Imports;
use crate::runner::{RunOptions, RunOutcome};
use crate::sink::ImportSink;
use crate::source::SourceReader;

/// A runner thread started by [`spawn_runner`].
#[derive(Debug)]
pub struct RunnerHandle {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Result<RunOutcome>>,
}

impl RunnerHandle {
    /// Sets the runner's stop flag (shutdown; the import resumes on the next run) and waits
    /// for the thread.
    ///
    /// # Errors
    ///
    /// As [`RunnerHandle::join`].
    pub fn shutdown(self) -> Result<RunOutcome> {
        self.stop.store(true, Ordering::Relaxed);
        self.join()
    }

    /// Waits for the run to end.
    ///
    /// # Errors
    ///
    /// The run's error; `Internal` when the thread panicked.
    pub fn join(self) -> Result<RunOutcome> {
        self.thread.join().unwrap_or_else(|_| {
            Err(Error::new(
                ErrorKind::Internal,
                "bug: the import runner panicked",
            ))
        })
    }

    /// Whether the run has ended.
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }
}

/// Runs the import on a new thread named `import-<id>` (see [`Imports::run_with`]).
///
/// # Errors
///
/// `Internal` when the thread cannot be started.
pub fn spawn_runner(
    imports: Arc<Imports>,
    import_id: String,
    source: Box<dyn SourceReader>,
    sink: Arc<dyn ImportSink>,
    options: RunOptions,
) -> Result<RunnerHandle> {
    let stop = Arc::new(AtomicBool::new(false));
    let thread_stop = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name(format!("import-{import_id}"))
        .spawn(move || {
            imports.run_with(
                &import_id,
                source.as_ref(),
                sink.as_ref(),
                &thread_stop,
                &options,
            )
        })
        .map_err(|error| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot start an import runner thread: {error}"),
            )
        })?;
    Ok(RunnerHandle { stop, thread })
}
