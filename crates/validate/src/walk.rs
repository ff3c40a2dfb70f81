//! Walking the digest chains (spec §3.5), standard first, then backfill: the CLI's
//! `DigestTraverser`, step for step, sending what it finds to the report in order.
//!
//! The walk is sequential (each digest names the previous one) but digests are prefetched
//! along the listing, and a valid digest's log files become futures the report awaits in
//! order while they run in parallel.

use std::collections::HashMap;
use std::sync::Arc;

use futures::FutureExt as _;
use futures::future::BoxFuture;
use opentrail_digest::naming::cli_key_time_text;
use opentrail_types::Timestamp;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::digest::{
    CheckContext, Failure, FetchedDigest, KeyMap, ValidDigest, check_digest, fetch_digest,
};
use crate::error::{Error, ErrorKind};
use crate::listing::{DigestLayout, Listing, list_digest_keys};
use crate::logs::{LogStep, check_log_file, plan_log_steps};
use crate::objects::ObjectStore;
use crate::pytime::{self, PyDateTime};
use crate::pyvalue::py_str;
use crate::report::Event;
use crate::sources::KeySource;
use crate::strict::StrictState;

/// One report item: a future resolving to the event (ready at once for digest lines).
pub(crate) type Item = BoxFuture<'static, Event>;

/// Everything the walk reads.
#[derive(Debug)]
pub(crate) struct WalkContext {
    pub start: Timestamp,
    pub end: Timestamp,
    pub starting_bucket: String,
    pub layout: DigestLayout,
    pub home_region: String,
    pub objects: ObjectStore,
    pub keys: KeySource,
    pub strict: bool,
    /// Digests fetched ahead of the walk.
    pub prefetch: usize,
}

/// The report went away (it stopped on an abort) or the walk sent an abort: stop walking.
#[derive(Debug)]
pub(crate) struct Stopped;

/// Identifies one listing: the CLI caches listings by (bucket, prefix, start, end), and the
/// prefix and start never change within a run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ListingId {
    bucket: String,
    end: Timestamp,
}

type Fetch = JoinHandle<Result<FetchedDigest, Failure>>;

pub(crate) struct Walker {
    context: Arc<WalkContext>,
    sender: mpsc::Sender<Item>,
    listings: HashMap<ListingId, Listing>,
    prefetched: HashMap<(String, String), Fetch>,
    strict: StrictState,
}

impl Walker {
    pub(crate) fn new(context: Arc<WalkContext>, sender: mpsc::Sender<Item>) -> Walker {
        let strict = StrictState::new(context.strict);
        Walker {
            context,
            sender,
            listings: HashMap::new(),
            prefetched: HashMap::new(),
            strict,
        }
    }

    /// Walks both chains, then (strict mode) looks for unreferenced log files.
    pub(crate) async fn run(mut self) {
        let walked = async {
            self.walk_chain(false).await?;
            self.walk_chain(true).await?;
            if self.context.strict {
                let lines = self.strict.unreferenced_log_lines(&self.context).await;
                match lines {
                    Ok(lines) => {
                        for line in lines {
                            self.send(Event::Strict(line)).await?;
                        }
                    }
                    Err(error) => self.abort(error).await?,
                }
            }
            Ok::<(), Stopped>(())
        };
        let _ = walked.await;
        for (_, fetch) in self.prefetched.drain() {
            fetch.abort();
        }
    }

    async fn send(&self, event: Event) -> Result<(), Stopped> {
        self.send_item(futures::future::ready(event).boxed()).await
    }

    async fn send_item(&self, item: Item) -> Result<(), Stopped> {
        self.sender.send(item).await.map_err(|_| Stopped)
    }

    /// Sends the abort and stops.
    async fn abort(&self, error: Error) -> Result<(), Stopped> {
        self.send(Event::Abort(error)).await?;
        Err(Stopped)
    }

    /// `traverse_digests` + `_traverse_digest_chain` for one chain.
    async fn walk_chain(&mut self, backfill: bool) -> Result<(), Stopped> {
        let context = Arc::clone(&self.context);
        let start = context.start;
        let mut bucket = context.starting_bucket.clone();
        let mut listing = ListingId {
            bucket: bucket.clone(),
            end: context.end,
        };
        self.ensure_listed(&listing).await?;
        let mut public_keys = KeyMap::new();
        if !backfill {
            let until = pytime::add_hours(context.end, 2);
            let keys = match context.keys.list(start, until).await {
                Ok(keys) => keys,
                Err(error) => return self.abort(error).await,
            };
            if keys.is_empty() {
                let text = crate::digest::no_public_keys_text(start, until);
                return self.abort(Error::new(ErrorKind::NoPublicKeys, text)).await;
            }
            for key in keys {
                public_keys.insert(key.fingerprint.clone(), key);
            }
        }
        let check = CheckContext {
            home_region: &context.home_region,
            keys: &context.keys,
            backfill_chain: backfill,
        };
        let (mut next, first_date) = self.next_listed(&listing, backfill, None).await?;
        let mut last_start = first_date.unwrap_or(Timestamp::MIN);
        self.strict.start_chain(backfill);
        while let Some(key) = next.take().filter(|key| !key.is_empty()) {
            if start > last_start {
                break;
            }
            let outcome = self
                .load(&bucket, &key, &listing, backfill, &mut public_keys, &check)
                .await?;
            match outcome {
                Ok(valid) => {
                    last_start = valid.start;
                    self.emit_valid(backfill, &bucket, &key, &valid).await?;
                    let previous_bucket = non_null(valid.members.get("previousDigestS3Bucket"));
                    let previous_key = non_null(valid.members.get("previousDigestS3Object"));
                    let (Some(previous_bucket), Some(previous_key)) =
                        (previous_bucket, previous_key)
                    else {
                        let (found, found_date) =
                            self.next_listed(&listing, backfill, Some(&key)).await?;
                        if let (Some(_), Some(next_end)) = (&found, found_date) {
                            self.send(Event::Gap {
                                backfill,
                                next_end,
                                last_start,
                            })
                            .await?;
                        }
                        next = found;
                        continue;
                    };
                    let previous_bucket = py_str(previous_bucket);
                    next = Some(py_str(previous_key));
                    if previous_bucket != bucket {
                        bucket = previous_bucket;
                        listing = ListingId {
                            bucket: bucket.clone(),
                            end: valid.end,
                        };
                        self.ensure_listed(&listing).await?;
                    }
                }
                Err(Failure::Missing) => {
                    let (found, _) = self.next_listed(&listing, backfill, Some(&key)).await?;
                    self.strict.failed(&key);
                    self.send(Event::DigestMissing {
                        backfill,
                        bucket: bucket.clone(),
                        key,
                    })
                    .await?;
                    next = found;
                }
                Err(Failure::Invalid(message)) => {
                    let (found, _) = self.next_listed(&listing, backfill, Some(&key)).await?;
                    self.strict.failed(&key);
                    self.send(Event::DigestInvalid { backfill, message })
                        .await?;
                    next = found;
                }
                Err(Failure::Abort(error)) => return self.abort(error).await,
            }
        }
        Ok(())
    }

    /// Fetches (or takes the prefetched) digest and checks it; strict mode compares it
    /// with the link that led here.
    async fn load(
        &mut self,
        bucket: &str,
        key: &str,
        listing: &ListingId,
        backfill: bool,
        public_keys: &mut KeyMap,
        check: &CheckContext<'_>,
    ) -> Result<Result<ValidDigest, Failure>, Stopped> {
        let handle = match self.context.objects.bucket(bucket).await {
            Ok(handle) => handle,
            Err(error) => return Ok(Err(Failure::Abort(error))),
        };
        let fetch = match self.prefetched.remove(&(bucket.to_owned(), key.to_owned())) {
            Some(fetch) => fetch,
            None => tokio::spawn(fetch_digest(handle.clone(), key.to_owned())),
        };
        self.prefetch_older(&handle, listing, backfill, key);
        let fetched = match fetch.await {
            Ok(fetched) => fetched,
            Err(error) => {
                let error = Error::new(ErrorKind::Crash, format!("digest fetch stopped: {error}"));
                return Ok(Err(Failure::Abort(error)));
            }
        };
        let fetched = match fetched {
            Ok(fetched) => fetched,
            Err(failure) => return Ok(Err(failure)),
        };
        for line in self.strict.check_link_target(bucket, key, &fetched) {
            self.send(Event::Strict(line)).await?;
        }
        let outcome = check_digest(fetched, bucket, key, public_keys, check).await;
        if let Ok(valid) = &outcome {
            let lines = self.strict.validated(&self.context, bucket, key, valid);
            for line in lines {
                self.send(Event::Strict(line)).await?;
            }
        }
        Ok(outcome)
    }

    /// Starts fetching the listed digests just older than `key` (where a chain usually
    /// leads), keeping at most `prefetch` fetches in flight.
    fn prefetch_older(
        &mut self,
        handle: &opentrail_blob::Bucket,
        listing: &ListingId,
        backfill: bool,
        key: &str,
    ) {
        let window = self.context.prefetch;
        if window == 0 || listing.bucket != handle.name() {
            return;
        }
        if self.prefetched.len() > window * 4 {
            // The chain went elsewhere: drop the stale guesses.
            for (_, fetch) in self.prefetched.drain() {
                fetch.abort();
            }
        }
        let Some(listed) = self.listings.get(listing) else {
            return;
        };
        let keys = if backfill {
            &listed.backfill
        } else {
            &listed.standard
        };
        let below = keys.partition_point(|listed_key| listed_key.as_str() < key);
        for older in keys[below.saturating_sub(window)..below].iter().rev() {
            let id = (listing.bucket.clone(), older.clone());
            if let std::collections::hash_map::Entry::Vacant(slot) = self.prefetched.entry(id) {
                slot.insert(tokio::spawn(fetch_digest(handle.clone(), older.clone())));
            }
        }
    }

    /// Sends a valid digest and its log files, or the crash its `logFiles` causes.
    async fn emit_valid(
        &mut self,
        backfill: bool,
        bucket: &str,
        key: &str,
        valid: &ValidDigest,
    ) -> Result<(), Stopped> {
        self.send(Event::DigestValid {
            backfill,
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            start_text: valid.start_text.clone(),
            end_text: valid.end_text.clone(),
        })
        .await?;
        for step in plan_log_steps(valid.members.get("logFiles")) {
            match step {
                LogStep::Check(entry) => {
                    self.strict.referenced(&entry);
                    let objects = self.context.objects.clone();
                    let item = check_log_file(objects, entry).map(Event::Log).boxed();
                    self.send_item(item).await?;
                }
                LogStep::Crash(text) => return self.abort(Error::crash(text)).await,
            }
        }
        Ok(())
    }

    /// Lists `listing` unless it was listed already (the CLI's listing cache).
    async fn ensure_listed(&mut self, listing: &ListingId) -> Result<(), Stopped> {
        if self.listings.contains_key(listing) {
            return Ok(());
        }
        let context = Arc::clone(&self.context);
        let result = match context.objects.bucket(&listing.bucket).await {
            Ok(bucket) => {
                list_digest_keys(&bucket, &context.layout, context.start, listing.end).await
            }
            Err(error) => Err(error),
        };
        match result {
            Ok(found) => {
                self.listings.insert(listing.clone(), found);
                Ok(())
            }
            Err(error) => self.abort(error).await,
        }
    }

    /// `_get_last_digest`: pops listed keys until one is older than `before` (or just the
    /// newest without `before`), returning it with its key time, normalized.
    async fn next_listed(
        &mut self,
        listing: &ListingId,
        backfill: bool,
        before: Option<&str>,
    ) -> Result<(Option<String>, Option<Timestamp>), Stopped> {
        let popped = self.pop_listed(listing, backfill, before);
        match popped {
            Ok(found) => Ok(found),
            Err(text) => self.abort(Error::crash(text)).await.map(|()| (None, None)),
        }
    }

    fn pop_listed(
        &mut self,
        listing: &ListingId,
        backfill: bool,
        before: Option<&str>,
    ) -> Result<(Option<String>, Option<Timestamp>), String> {
        let Some(listed) = self.listings.get_mut(listing) else {
            return Ok((None, None));
        };
        let keys = if backfill {
            &mut listed.backfill
        } else {
            &mut listed.standard
        };
        if keys.is_empty() {
            return Ok((None, None));
        }
        let Some(before) = before else {
            let Some(key) = keys.pop() else {
                return Ok((None, None));
            };
            let date = pytime::parse_date(&cli_key_time_text(&key))?.normalized();
            return Ok((Some(key), Some(date)));
        };
        let before_date = pytime::parse_date(&cli_key_time_text(before))?;
        while let Some(key) = keys.pop() {
            let date = pytime::parse_date(&cli_key_time_text(&key))?.normalized();
            let older = PyDateTime::utc(date)
                .compare(before_date)
                .map_err(str::to_owned)?
                .is_lt();
            if older {
                return Ok((Some(key), Some(date)));
            }
        }
        Ok((None, None))
    }
}

/// `digest.get(name)` that is neither missing nor JSON `null`.
fn non_null(value: Option<&Value>) -> Option<&Value> {
    value.filter(|value| !value.is_null())
}
