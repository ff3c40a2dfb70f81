//! The recording endpoints of `[[endpoints]]`, run in the server process: each a listener
//! of [`opentrail_endpoint`] whose records go to the server's journal with the same
//! durability as ingest (a call's answer completes only once its records are fsynced),
//! and whose callers are looked up in the server's key registry.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use opentrail_endpoint::{Endpoint, EndpointSpec, Host, KnownPrincipal};
use opentrail_event::Event;
use opentrail_journal::AppendEntry;
use opentrail_types::Timestamp;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::{Error, Result};
use crate::http::{State, journal_entry};
use crate::metrics;

/// The server's side of an endpoint.
struct ServerHost {
    state: Arc<State>,
    /// The registry's principals by access key id, made once: the registry does not change
    /// while the server runs.
    principals: HashMap<String, Arc<KnownPrincipal>>,
}

impl Host for ServerHost {
    fn principal(&self, access_key_id: &str) -> Option<Arc<KnownPrincipal>> {
        self.principals.get(access_key_id).cloned()
    }

    fn record(
        &self,
        events: Vec<Event>,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> {
        let count = events.len() as u64;
        let entries: Result<Vec<AppendEntry>, String> = events
            .iter()
            .map(|event| journal_entry(event, "an endpoint"))
            .collect();
        let state = Arc::clone(&self.state);
        Box::pin(async move {
            let entries = entries?;
            state
                .engine
                .journal
                .append_async(entries)
                .await
                .map_err(|error| error.to_string())?;
            ::metrics::counter!(metrics::ENDPOINT_EVENTS).increment(count);
            Ok(())
        })
    }

    fn now(&self) -> Timestamp {
        self.state.clock.now()
    }

    fn new_id(&self) -> String {
        self.state.ids.uuid()
    }
}

/// The running endpoints.
#[derive(Debug)]
pub(crate) struct Endpoints {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Endpoints {
    /// Binds every endpoint's address and starts serving.
    ///
    /// # Errors
    ///
    /// An address cannot be bound.
    pub(crate) async fn start(state: &Arc<State>, specs: Vec<EndpointSpec>) -> Result<Endpoints> {
        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::with_capacity(specs.len());
        if specs.is_empty() {
            return Ok(Endpoints { stop, tasks });
        }
        let principals: HashMap<String, Arc<KnownPrincipal>> = state
            .keys
            .iter()
            .map(|(key_id, key)| {
                let principal = &key.principal;
                (
                    key_id.clone(),
                    Arc::new(KnownPrincipal {
                        account_id: principal.account_id.clone(),
                        arn: principal.arn.clone(),
                        user_name: principal.user_name.clone(),
                        principal_id: principal.principal_id.clone(),
                    }),
                )
            })
            .collect();
        let host: Arc<dyn Host> = Arc::new(ServerHost {
            state: Arc::clone(state),
            principals,
        });
        let grace = Duration::from_secs(state.engine.config.server.shutdown_grace_secs);
        for spec in specs {
            let listener = TcpListener::bind(spec.listen)
                .await
                .map_err(|source| Error::Io {
                    what: format!("endpoint {}: cannot listen on {}", spec.id, spec.listen),
                    source,
                })?;
            tracing::info!(
                endpoint = %spec.id,
                listen = %spec.listen,
                upstream = %spec.upstream,
                "recording endpoint listening"
            );
            let endpoint = Endpoint::new(spec, Arc::clone(&host));
            let mut stopped = stopped.clone();
            tasks.push(tokio::spawn(endpoint.serve(
                listener,
                async move {
                    let _ = stopped.wait_for(|stop| *stop).await;
                },
                grace,
            )));
        }
        Ok(Endpoints { stop, tasks })
    }

    /// Stops accepting calls and waits for the ones in flight (each endpoint gives them
    /// the shutdown grace period).
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
