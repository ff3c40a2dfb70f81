//! Opening a data directory's journal and history: shared by `opentrail serve` and the
//! commands that work on a data directory directly (`import`, `lookup-events`).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use opentrail_blob::{BucketResolver, S3Settings};
use opentrail_digest::KeyRing;
use opentrail_journal::{Journal, JournalConfig};
use opentrail_lake::{Lake, LakeLimits};
use opentrail_selectors::NetworkSources;
use opentrail_store::{DataDir, History, HistoryConfig};
use opentrail_trails::{TrailLimits, Trails};
use opentrail_types::{RandomIds, SharedClock};

use crate::buckets::ResolvedBuckets;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::insights::InsightsSystem;
use crate::lake::LakeSystem;
use crate::rules::RulesSystem;

/// An open data directory with its journal and history. Holds the data directory's lock:
/// no other process can open it meanwhile.
#[derive(Debug)]
pub struct Engine {
    /// The config it was opened with.
    pub config: Config,
    /// The journal.
    pub journal: Journal,
    /// Event history.
    pub history: History,
    /// The trails (`<data dir>/trails/`).
    pub trails: Arc<Trails>,
    /// Event data stores and channels (`<data dir>/lake/`).
    pub lake: Arc<Lake>,
    /// Lake's files, queries and imports (`<data dir>/lake/`).
    pub lake_system: Arc<LakeSystem>,
    /// The Insights analyzer (`<data dir>/insights/`).
    pub insights: Arc<InsightsSystem>,
    /// Rules and their router (`<data dir>/rules/`).
    pub rules: Arc<RulesSystem>,
    /// Digest signing keys (`<data dir>/keys/`).
    pub keys: Arc<KeyRing>,
    /// Where trail buckets are, and the check trails make on them.
    pub buckets: ResolvedBuckets,
    // Dropped last: the lock outlives journal and history.
    data_dir: DataDir,
}

impl Engine {
    /// Opens (creating it if needed) the data directory of `config`.
    ///
    /// # Errors
    ///
    /// The directory is locked by another process, or cannot be read or written.
    pub fn open(config: Config, clock: SharedClock) -> Result<Engine> {
        Engine::open_with(config, clock, DataDir::open)
    }

    /// Opens an existing data directory, for commands that only read it.
    ///
    /// # Errors
    ///
    /// As [`Engine::open`], and when the directory does not exist.
    pub fn open_existing(config: Config, clock: SharedClock) -> Result<Engine> {
        Engine::open_with(config, clock, DataDir::open_existing)
    }

    fn open_with(
        config: Config,
        clock: SharedClock,
        open_data_dir: fn(&Path) -> opentrail_store::Result<DataDir>,
    ) -> Result<Engine> {
        let data_dir = open_data_dir(&config.data_dir).map_err(|source| Error::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        let journal_config = JournalConfig {
            segment_bytes: config.journal.segment_bytes,
            ..JournalConfig::default()
        };
        let journal = Journal::open(&data_dir.journal_dir(), journal_config, clock.clone())
            .map_err(|source| Error::Journal {
                path: data_dir.root().to_path_buf(),
                source,
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
            clock.clone(),
        )
        .map_err(|source| Error::History {
            path: data_dir.root().to_path_buf(),
            source,
        })?;
        let trails_dir = data_dir.root().join("trails");
        let network = NetworkSources::with_extra(config.trails.network_event_sources.clone());
        let trails = Trails::open(&trails_dir, clock.clone(), TrailLimits::default())
            .map_err(|source| Error::Trails {
                path: trails_dir.clone(),
                source,
            })?
            .with_network_sources(network.clone());
        let lake_dir = data_dir.root().join("lake");
        // Store and channel IDs are random UUIDs: nothing replays them.
        let lake = Lake::open(
            &lake_dir,
            clock.clone(),
            Arc::new(RandomIds),
            LakeLimits::default(),
        )
        .map_err(|source| Error::Lake {
            path: lake_dir.clone(),
            source,
        })?
        .with_network_sources(network);
        let keys_dir = data_dir.root().join("keys");
        let rotation = Duration::from_secs(config.trails.key_rotation_days.saturating_mul(86_400));
        let keys =
            KeyRing::open(&keys_dir, clock.clone(), rotation).map_err(|source| Error::Keyring {
                path: keys_dir.clone(),
                source,
            })?;
        let settings = S3Settings::from_env(config.aws_environment.clone())
            .map_err(|source| Error::Buckets { source })?;
        let resolver = BucketResolver::new(
            data_dir.root().join("buckets"),
            config.buckets.clone(),
            settings,
        );
        let resolver = Arc::new(resolver);
        let lake = Arc::new(lake);
        let lake_system = LakeSystem::open(
            data_dir.root(),
            &config,
            journal.clone(),
            Arc::clone(&lake),
            Arc::clone(&resolver),
            clock.clone(),
            Arc::new(RandomIds),
        )?;
        let trails = Arc::new(trails);
        let insights = InsightsSystem::open(
            data_dir.root(),
            config.insights.clone(),
            journal.clone(),
            Arc::clone(&trails),
            Arc::clone(&lake),
            clock.clone(),
        )?;
        let rules = RulesSystem::open(
            data_dir.root(),
            config.rules.clone(),
            journal.clone(),
            Arc::clone(&trails),
            clock,
        )?;
        let buckets = ResolvedBuckets::new(resolver);
        Ok(Engine {
            config,
            journal,
            history,
            trails,
            lake,
            lake_system: Arc::new(lake_system),
            insights: Arc::new(insights),
            rules: Arc::new(rules),
            keys: Arc::new(keys),
            buckets,
            data_dir,
        })
    }

    /// The data directory's root.
    pub fn root(&self) -> &Path {
        self.data_dir.root()
    }

    /// Waits until every durable event is searchable, saying so in the log when it takes a
    /// while (a first open after an upgrade or a damaged index rebuilds from the journal).
    ///
    /// # Errors
    ///
    /// When history has not caught up after a day.
    pub fn wait_searchable(&self) -> Result<()> {
        let started = Instant::now();
        let mut announced = false;
        while !self.history.wait_caught_up(Duration::from_secs(1)) {
            if !announced {
                tracing::warn!("event history is catching up with the journal…");
                announced = true;
            }
            if started.elapsed() > Duration::from_secs(24 * 3600) {
                return Err(Error::HistoryStalled);
            }
        }
        Ok(())
    }

    /// Writes what the history holds in memory and releases everything, the lock last.
    pub fn close(self) {
        self.rules.stop();
        self.insights.stop();
        self.lake_system.stop();
        self.history.close();
        self.journal.close();
        drop(self.data_dir);
    }
}
