//! `opentrail serve`: the server, until SIGINT or SIGTERM.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use opentrail_server::Server;
use opentrail_types::{RandomIds, SystemClock};

use crate::Outcome;
use crate::cli::ServeArgs;
use crate::engine::load_config;

pub fn run(args: ServeArgs) -> anyhow::Result<Outcome> {
    let mut config = load_config(&args.store)?;
    if let Some(listen) = args.listen {
        config.server.listen = listen;
    }
    let address = config.listen_address()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("opentrail-serve")
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let server = Server::open(config, Arc::new(SystemClock), Arc::new(RandomIds))?;
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on `{address}`"))?;
        let local = listener
            .local_addr()
            .context("cannot read the listening address")?;
        announce(&server, local)?;
        server.run(listener, shutdown_signal()).await?;
        anyhow::Ok(())
    })?;
    Ok(Outcome::Success)
}

/// Prints where the server listens and the two lines that point the aws CLI at it.
fn announce(server: &Server, local: std::net::SocketAddr) -> anyhow::Result<()> {
    let admin = server.admin_key();
    let credentials = std::path::absolute(&admin.credentials_file)
        .unwrap_or_else(|_| admin.credentials_file.clone());
    let region = &server.config().region;
    let made = if admin.created { "made" } else { "kept" };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "OpenTrail is serving CloudTrail's API on http://{local} (Region {region}); admin key {} of account {} {made} in {}\n\
         To use it with the aws CLI:\n\
         \n  export AWS_SHARED_CREDENTIALS_FILE={}\n  aws --endpoint-url http://{local} --region {region} cloudtrail lookup-events --max-items 5\n",
        admin.access_key_id,
        admin.principal.account_id,
        credentials.display(),
        credentials.display(),
    )?;
    out.flush()?;
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(
            tokio::signal::unix::SignalKind::terminate(),
        ) {
            Ok(terminate) => terminate,
            Err(error) => {
                tracing::warn!(error = %error, "cannot listen for SIGTERM; only Ctrl-C stops the server");
                let _ = interrupt.await;
                return;
            }
        };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
