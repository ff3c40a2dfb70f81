//! Opening a data directory's journal and history for a command.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use opentrail_journal::{Journal, JournalConfig};
use opentrail_store::{DataDir, History, HistoryConfig};
use opentrail_types::{SharedClock, SystemClock};

use crate::cli::StoreArgs;
use crate::config::Config;

/// An open data directory with its journal and history.
pub struct Opened {
    pub config: Config,
    pub journal: Journal,
    pub history: History,
    // Dropped last: the lock outlives journal and history.
    _data_dir: DataDir,
}

impl Opened {
    /// Opens (creating it if needed) the data directory for writing commands.
    pub fn open(store: &StoreArgs) -> anyhow::Result<Opened> {
        Opened::open_with(store, DataDir::open)
    }

    /// Opens an existing data directory, for commands that only read it.
    pub fn open_existing(store: &StoreArgs) -> anyhow::Result<Opened> {
        Opened::open_with(store, DataDir::open_existing)
    }

    fn open_with(
        store: &StoreArgs,
        open_data_dir: fn(&std::path::Path) -> opentrail_store::Result<DataDir>,
    ) -> anyhow::Result<Opened> {
        let mut config = Config::load(store.config.as_deref())?;
        if let Some(data_dir) = &store.data_dir {
            config.data_dir.clone_from(data_dir);
        }
        let data_dir = open_data_dir(&config.data_dir)?;
        let clock: SharedClock = Arc::new(SystemClock);
        let journal_config = JournalConfig {
            segment_bytes: config.journal.segment_bytes,
            ..JournalConfig::default()
        };
        let journal = Journal::open(&data_dir.journal_dir(), journal_config, clock.clone())
            .with_context(|| {
                format!("cannot open the journal in `{}`", data_dir.root().display())
            })?;
        let history_config = HistoryConfig {
            retention: config.retention(),
            categories: config.history_categories()?,
            ..HistoryConfig::default()
        };
        let history = History::open(
            &data_dir.history_dir(),
            journal.clone(),
            history_config,
            clock,
        )
        .with_context(|| {
            format!(
                "cannot open event history in `{}`",
                data_dir.root().display()
            )
        })?;
        Ok(Opened {
            config,
            journal,
            history,
            _data_dir: data_dir,
        })
    }

    /// Waits until every durable event is searchable, saying so on stderr when it takes a
    /// while (a first open after an upgrade or a damaged index rebuilds from the journal).
    pub fn wait_searchable(&self) -> anyhow::Result<()> {
        let started = Instant::now();
        let mut announced = false;
        while !self.history.wait_caught_up(Duration::from_secs(1)) {
            if !announced {
                tracing::warn!("event history is catching up with the journal…");
                announced = true;
            }
            if started.elapsed() > Duration::from_secs(24 * 3600) {
                anyhow::bail!("event history did not catch up with the journal");
            }
        }
        Ok(())
    }

    /// Writes what the history holds in memory and releases everything.
    pub fn close(self) {
        self.history.close();
        self.journal.close();
    }
}
