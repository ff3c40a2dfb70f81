//! Loading the config and opening a data directory for a command.

use std::sync::Arc;

use opentrail_server::{Config, Engine};
use opentrail_types::SystemClock;

use crate::cli::StoreArgs;

/// The config of `--config` (or the defaults), with `OPENTRAIL__…` environment overrides
/// and `--data-dir` applied.
pub fn load_config(store: &StoreArgs) -> anyhow::Result<Config> {
    let mut config = Config::load(store.config.as_deref(), std::env::vars())?;
    if let Some(data_dir) = &store.data_dir {
        config.data_dir.clone_from(data_dir);
    }
    Ok(config)
}

/// Opens the data directory (`existing`: it must exist already) for a command.
pub fn open_engine(store: &StoreArgs, existing: bool) -> anyhow::Result<Engine> {
    let config = load_config(store)?;
    let clock = Arc::new(SystemClock);
    let engine = if existing {
        Engine::open_existing(config, clock)?
    } else {
        Engine::open(config, clock)?
    };
    Ok(engine)
}
