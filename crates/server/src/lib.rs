//! The OpenTrail server as a library: config ([`config`]), the data directory's engine
//! ([`engine`]), access keys ([`principals`]), the HTTP front ([`http`]: CloudTrail's wire
//! API with SigV4, `/ingest`, `/healthz`, `/metrics`), self-audit ([`audit`]) and graceful
//! shutdown. `opentrail serve` calls [`Server::open`] then [`Server::run`].
//!
//! [`Server::run`] takes a bound listener and a shutdown future, so tests bind
//! `127.0.0.1:0` and stop the server when they like:
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use opentrail_server::{Server, config::Config};
//! use opentrail_types::{RandomIds, SystemClock};
//!
//! let config = Config::load(None, std::env::vars())?;
//! let server = Server::open(config, Arc::new(SystemClock), Arc::new(RandomIds))?;
//! println!("admin key: {}", server.admin_key().access_key_id);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! server.run(listener, async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

pub mod audit;
pub mod buckets;
pub mod config;
mod console;
mod data_api;
mod endpoints;
pub mod engine;
pub mod error;
pub mod http;
pub mod ingest;
pub mod insights;
pub mod lake;
pub mod metrics;
pub mod principals;
pub mod rules;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use opentrail_delivery::{Delivery, DeliveryConfig, Parts};
use opentrail_sigv4::Verifier;
use opentrail_types::{SharedClock, SharedIds};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

pub use crate::config::Config;
pub use crate::engine::Engine;
pub use crate::error::{Error, Result};
use crate::http::State;
pub use crate::principals::AdminKey;

/// Starts trail delivery on the current runtime.
fn start_delivery(state: &State) -> Result<Delivery> {
    let engine = &state.engine;
    let trails = &engine.config.trails;
    let config = DeliveryConfig {
        delivery_interval: Duration::from_secs(trails.delivery_interval_secs),
        digest_period: Duration::from_secs(trails.digest_period_secs),
        max_batch_bytes: usize::try_from(trails.max_batch_bytes).unwrap_or(usize::MAX),
    };
    let parts = Parts {
        journal: engine.journal.clone(),
        trails: Arc::clone(&engine.trails),
        buckets: Arc::clone(engine.buckets.resolver()),
        keys: Arc::clone(&engine.keys),
        clock: state.clock.clone(),
        ids: state.ids.clone(),
        runtime: tokio::runtime::Handle::current(),
        root: engine.root().join("delivery"),
    };
    Delivery::start(parts, config).map_err(|source| Error::Delivery { source })
}

/// SigV4 signing name of CloudTrail's API.
pub const SIGNING_SERVICE: &str = "cloudtrail";
/// The SigV4 signing name of the CloudTrail Data API (`PutAuditEvents`).
pub const DATA_SIGNING_SERVICE: &str = "cloudtrail-data";
/// The SigV4 signing name of the EventBridge API.
pub const EVENTS_SIGNING_SERVICE: &str = "events";

/// An opened server: data directory locked, journal and history open, keys loaded.
#[derive(Debug)]
pub struct Server {
    state: Arc<State>,
    admin: AdminKey,
}

impl Server {
    /// Opens the data directory of `config` (creating it, and the admin key, on first
    /// start) and loads the access keys.
    ///
    /// # Errors
    ///
    /// The data directory is locked by another process or unusable; key files are damaged
    /// or contradict the config.
    pub fn open(config: Config, clock: SharedClock, ids: SharedIds) -> Result<Server> {
        let engine = Engine::open(config, clock.clone())?;
        let (keys, admin) = principals::load_keys(engine.root(), &engine.config, ids.as_ref())?;
        // Requests may be signed for any Region: the Region decides which trails are home and
        // which are shadows, and which Region's public keys ListPublicKeys returns.
        let verifier =
            Verifier::new(engine.config.region.clone(), SIGNING_SERVICE).with_any_region();
        let data_verifier =
            Verifier::new(engine.config.region.clone(), DATA_SIGNING_SERVICE).with_any_region();
        let events_verifier =
            Verifier::new(engine.config.region.clone(), EVENTS_SIGNING_SERVICE).with_any_region();
        let engine_console_hours = engine.config.console.session_hours;
        let state = Arc::new(State {
            engine,
            keys,
            verifier,
            data_verifier,
            events_verifier,
            console: console::Console::new(ids.as_ref(), engine_console_hours),
            admin_account: admin.principal.account_id.clone(),
            clock,
            ids,
            draining: AtomicBool::new(false),
        });
        // Installed now so the first scrape already has the process's counters.
        let _ = metrics::handle();
        Ok(Server { state, admin })
    }

    /// The admin key (made on first start).
    pub fn admin_key(&self) -> &AdminKey {
        &self.admin
    }

    /// The config the server runs with.
    pub fn config(&self) -> &Config {
        &self.state.engine.config
    }

    /// Serves `listener` until `shutdown` completes, then stops accepting, lets in-flight
    /// requests finish (up to `server.shutdown_grace_secs`), writes what history holds in
    /// memory and closes the journal. Every acknowledged event was durable before its
    /// acknowledgement; shutdown only adds the index flush.
    ///
    /// # Errors
    ///
    /// None today beyond a failing listener, which is logged and retried; the signature
    /// leaves room for start-up failures of background jobs.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> Result<()> {
        let Server { state, .. } = self;
        let delivery = start_delivery(&state)?;
        // Lake's writers, purges and resumed imports; stopped when the engine closes.
        state.engine.lake_system.start()?;
        // The Insights analyzer; stopped (and its state saved) when the engine closes.
        state.engine.insights.start()?;
        // The rule router; stopped (and its positions saved) when the engine closes.
        state.engine.rules.start()?;
        // The recording endpoints: their listeners are bound before the API's serves, so a
        // taken address stops the start.
        let endpoint_specs = state.engine.config.endpoint_specs()?;
        let endpoints = endpoints::Endpoints::start(&state, endpoint_specs).await?;
        let graceful = GracefulShutdown::new();
        let connections = Arc::new(Semaphore::new(state.engine.config.server.max_connections));
        let header_timeout = Duration::from_secs(state.engine.config.server.request_timeout_secs);
        tokio::pin!(shutdown);
        loop {
            let permit = tokio::select! {
                () = &mut shutdown => break,
                permit = connections.clone().acquire_owned() => match permit {
                    Ok(permit) => permit,
                    Err(_) => break,
                },
            };
            let (stream, peer) = tokio::select! {
                () = &mut shutdown => break,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: back off, do not spin.
                        tracing::warn!(error = %error, "cannot accept a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
            };
            let _ = stream.set_nodelay(true);
            let connection_state = state.clone();
            let service =
                service_fn(move |request| http::route(connection_state.clone(), peer, request));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                let _permit = permit;
                if let Err(error) = connection.await {
                    tracing::debug!(error = %error, "connection ended with an error");
                }
            });
        }
        drop(listener);
        state.draining.store(true, Ordering::Relaxed);
        let grace = Duration::from_secs(state.engine.config.server.shutdown_grace_secs);
        tracing::info!("shutting down: finishing in-flight requests");
        if tokio::time::timeout(grace, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!(
                grace_secs = grace.as_secs(),
                "in-flight requests did not finish in time; closing anyway"
            );
        }
        // The endpoints finish their calls (whose records need the journal) before it closes.
        endpoints.stop().await;
        // Delivery stops after its current step; open batches are read again on the next
        // start, so nothing is lost. It stops before the journal closes.
        if tokio::task::spawn_blocking(move || delivery.stop())
            .await
            .is_err()
        {
            tracing::error!("stopping trail delivery failed");
        }
        // Requests cut off by the grace period may still hold the state for a moment.
        let mut state = state;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        let state = loop {
            match Arc::try_unwrap(state) {
                Ok(state) => break Some(state),
                Err(shared) if tokio::time::Instant::now() < deadline => {
                    state = shared;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(_) => break None,
            }
        };
        match state {
            Some(state) => {
                let closed = tokio::task::spawn_blocking(move || state.engine.close()).await;
                if let Err(error) = closed {
                    tracing::error!(error = %error, "closing the engine failed");
                }
            }
            None => tracing::warn!(
                "requests still hold the engine; history's memory is not flushed (the journal has every event; it is re-indexed on the next start)"
            ),
        }
        tracing::info!("shut down");
        Ok(())
    }
}
