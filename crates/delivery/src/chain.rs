//! Digest chains: one per (trail, account, source region) while validation is on.
//!
//! Windows are anchored at the moment validation (or logging with validation) started:
//! `[since, since + period)`, then back to back, so `digestStartTime` of one digest is
//! `digestEndTime` of the one before. A window whose end has passed gets its digest even
//! when no file was delivered in it. Files whose window's digest was already written
//! (an upload that kept failing, a restart) go into the backfill chain.

use opentrail_digest::{DigestFile, DigestKey, LogFileEntry, PreviousDigest, sign_digest};
use opentrail_trails::Trail;
use opentrail_types::Timestamp;

use crate::Context;
use crate::DeliveryConfig;
use crate::error::Result;
use crate::state::{Chain, Delivered, Folder, Link, Pending, PendingObject};

/// After this many missed windows in a row (the server was down), one digest covers the
/// rest of the gap, so a long outage does not produce thousands of empty digests at once.
const MAX_CATCH_UP_WINDOWS: u32 = 24 * 7;

fn whole_seconds(time: Timestamp) -> Timestamp {
    Timestamp::from_secs(time.as_millis().div_euclid(1_000))
}

fn period_millis(config: &DeliveryConfig) -> i64 {
    (config.digest_period.as_millis() as i64).max(1_000)
}

/// A new chain for (account, region) of a trail whose validation started at `since`; its
/// first window is the one containing `now`.
pub(crate) fn new_chain(
    account: &str,
    region: &str,
    since: Timestamp,
    now: Timestamp,
    config: &DeliveryConfig,
) -> Chain {
    let since = whole_seconds(since);
    let period = period_millis(config);
    let elapsed = (now.as_millis() - since.as_millis()).max(0);
    let window_start = Timestamp::from_millis(since.as_millis() + elapsed / period * period);
    Chain {
        account: account.to_owned(),
        region: region.to_owned(),
        since,
        window_start,
        last: None,
        files: Vec::new(),
        backfill_last: None,
        backfill_end: None,
        late: Vec::new(),
    }
}

/// Where new digests are spooled.
pub(crate) struct Outbox<'a> {
    pub(crate) pending: &'a mut Vec<Pending>,
    pub(crate) next_spool: &'a mut u64,
    pub(crate) folder: &'a Folder,
}

/// Writes the digests of every window of `chain` that ended by `now` (and a backfill
/// digest for late files). Returns whether it wrote any.
pub(crate) fn write_due(
    ctx: &Context,
    trail: &Trail,
    chain: &mut Chain,
    now: Timestamp,
    outbox: &mut Outbox<'_>,
) -> Result<bool> {
    let period = period_millis(&ctx.config);
    let mut wrote = false;
    let mut windows = 0;
    while now.as_millis() >= chain.window_start.as_millis() + period {
        windows += 1;
        let mut end = Timestamp::from_millis(chain.window_start.as_millis() + period);
        if windows == MAX_CATCH_UP_WINDOWS {
            let behind = (now.as_millis() - chain.window_start.as_millis()) / period;
            end = Timestamp::from_millis(chain.window_start.as_millis() + behind * period);
        }
        let (files, rest): (Vec<Delivered>, Vec<Delivered>) = std::mem::take(&mut chain.files)
            .into_iter()
            .partition(|file| file.delivered_at < end);
        chain.files = rest;
        let start = chain.window_start;
        let previous = chain.last.take();
        chain.last = Some(write_digest(
            ctx, trail, chain, start, end, &files, previous, None, outbox,
        )?);
        chain.window_start = end;
        wrote = true;
    }
    if wrote && !chain.late.is_empty() {
        write_backfill(ctx, trail, chain, now, outbox)?;
    }
    Ok(wrote)
}

/// The last digest of a chain that ends (logging stopped, validation off, trail deleted):
/// it covers the files delivered up to now.
pub(crate) fn write_final(
    ctx: &Context,
    trail: &Trail,
    chain: &mut Chain,
    now: Timestamp,
    outbox: &mut Outbox<'_>,
) -> Result<()> {
    let start = chain.window_start;
    let end = whole_seconds(now).max(Timestamp::from_secs(start.as_secs() + 1));
    let files = std::mem::take(&mut chain.files);
    let previous = chain.last.take();
    chain.last = Some(write_digest(
        ctx, trail, chain, start, end, &files, previous, None, outbox,
    )?);
    chain.window_start = end;
    if !chain.late.is_empty() {
        write_backfill(ctx, trail, chain, now, outbox)?;
    }
    Ok(())
}

fn write_backfill(
    ctx: &Context,
    trail: &Trail,
    chain: &mut Chain,
    now: Timestamp,
    outbox: &mut Outbox<'_>,
) -> Result<()> {
    let files = std::mem::take(&mut chain.late);
    let start = chain.backfill_end.unwrap_or_else(|| {
        files
            .iter()
            .map(|file| whole_seconds(file.file.named_at))
            .min()
            .unwrap_or(chain.since)
    });
    // Backfill keys carry the generation time; one per second at most per chain.
    let end = whole_seconds(now).max(Timestamp::from_secs(start.as_secs() + 1));
    let previous = chain.backfill_last.take();
    chain.backfill_last = Some(write_digest(
        ctx,
        trail,
        chain,
        start,
        end,
        &files,
        previous,
        Some(end),
        outbox,
    )?);
    chain.backfill_end = Some(end);
    Ok(())
}

#[expect(
    clippy::too_many_arguments,
    reason = "one digest's every part, named at the call"
)]
fn write_digest(
    ctx: &Context,
    trail: &Trail,
    chain: &Chain,
    start: Timestamp,
    end: Timestamp,
    files: &[Delivered],
    previous: Option<Link>,
    backfill: Option<Timestamp>,
    outbox: &mut Outbox<'_>,
) -> Result<Link> {
    let key = DigestKey {
        prefix: trail
            .s3_key_prefix
            .clone()
            .filter(|prefix| !prefix.is_empty()),
        org_id: None,
        account_id: chain.account.clone(),
        source_region: chain.region.clone(),
        trail_name: trail.name.clone(),
        home_region: trail.home_region.clone(),
        end,
        backfill: backfill.is_some(),
    }
    .object_key();
    let signer = ctx.keys.signer(&chain.region)?;
    let log_files: Vec<LogFileEntry> = files
        .iter()
        .map(|delivered| LogFileEntry {
            s3_bucket: delivered.bucket.clone(),
            s3_object: delivered.key.clone(),
            hash_value: delivered.file.sha256.clone(),
            newest_event_time: delivered.file.newest,
            oldest_event_time: delivered.file.oldest,
        })
        .collect();
    let file = DigestFile {
        aws_account_id: chain.account.clone(),
        digest_start_time: start,
        digest_end_time: end,
        digest_s3_bucket: trail.s3_bucket_name.clone(),
        digest_s3_object: key.clone(),
        digest_public_key_fingerprint: signer.fingerprint().to_owned(),
        newest_event_time: files.iter().map(|delivered| delivered.file.newest).max(),
        oldest_event_time: files.iter().map(|delivered| delivered.file.oldest).min(),
        previous: previous.map(|link| PreviousDigest {
            s3_bucket: link.bucket,
            s3_object: link.key,
            hash_value: link.sha256,
            signature: link.signature,
        }),
        log_files,
    };
    let signed = sign_digest(&file, &signer, backfill)?;
    let spool = format!("{}.gz", *outbox.next_spool);
    *outbox.next_spool += 1;
    outbox.folder.spool(&spool, &signed.gzipped)?;
    outbox.pending.push(Pending {
        spool,
        bucket: trail.s3_bucket_name.clone(),
        key: key.clone(),
        object: PendingObject::Digest {
            metadata: signed.metadata.into_iter().collect(),
            backfill: backfill.is_some(),
        },
    });
    Ok(Link {
        bucket: trail.s3_bucket_name.clone(),
        key,
        sha256: signed.sha256,
        signature: signed.signature_hex,
    })
}
