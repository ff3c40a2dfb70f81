//! One validation run: the CLI's setup (§3.2), the walk, and the report, wired together.

use std::sync::Arc;

use futures::StreamExt as _;
use opentrail_types::SharedClock;

use crate::error::{Error, ErrorKind, Result, write_abort};
use crate::listing::DigestLayout;
use crate::objects::ObjectStore;
use crate::options::{TrailArn, ValidateOptions};
use crate::report::{Output, Printer, Report};
use crate::sources::{KeySource, TrailSource};
use crate::walk::{Item, WalkContext, Walker};

/// Report items the walk may queue ahead of the report (on top of the ones in flight).
const QUEUED_ITEMS: usize = 256;

/// Where a run reads from.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The trail's bucket, prefix and organization (unused with `s3_bucket`).
    pub trails: TrailSource,
    /// The public keys.
    pub keys: KeySource,
    /// The buckets.
    pub objects: ObjectStore,
    /// Now, for a run without an end time (and for signing requests).
    pub clock: SharedClock,
}

/// Validates a trail's digests and log files as `aws cloudtrail validate-logs` does, and
/// writes the CLI's report to `output`.
///
/// Needs a Tokio runtime (log files are hashed on its blocking threads).
///
/// # Errors
///
/// An [`Error`] when the run aborts as the CLI would (bad arguments, unknown trail, no
/// public keys, a store or service error other than a missing object, a digest malformed
/// enough to crash the CLI); what was reported before the abort is already written.
/// Write it with [`write_abort`].
pub async fn validate_logs(
    options: &ValidateOptions,
    sources: &Sources,
    output: &mut Output<'_>,
) -> Result<Report> {
    let start = options.start;
    let end = options.end.unwrap_or_else(|| sources.clock.now());
    if start > end {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "Invalid time range specified: start-time must occur before end-time",
        ));
    }
    let arn = TrailArn::parse(&options.trail_arn)?;
    let account_id = options
        .account_id
        .clone()
        .filter(|account| !account.is_empty());
    let (bucket, prefix, org_id) = match &options.s3_bucket {
        Some(bucket) => (bucket.clone(), options.s3_prefix.clone(), None),
        None => {
            let trails = sources.trails.describe_trails().await?;
            let Some(trail) = trails
                .into_iter()
                .find(|trail| trail.trail_arn.as_deref() == Some(options.trail_arn.as_str()))
            else {
                return Err(Error::new(
                    ErrorKind::TrailNotFound,
                    format!("A trail could not be found for {}", options.trail_arn),
                ));
            };
            let Some(bucket) = trail.s3_bucket_name else {
                return Err(Error::crash("'S3BucketName'"));
            };
            let org_id = if trail.is_organization_trail == Some(true) {
                if account_id.is_none() {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        "Missing required parameter for organization trail: '--account-id'",
                    ));
                }
                Some(sources.trails.organization_id().await?)
            } else {
                None
            };
            (bucket, trail.s3_key_prefix, org_id)
        }
    };
    let source_region = options
        .source_region
        .clone()
        .filter(|region| !region.is_empty())
        .unwrap_or_else(|| arn.home_region.clone());
    let layout = DigestLayout::new(
        prefix,
        org_id,
        account_id.unwrap_or(arn.account_id),
        source_region,
        arn.trail_name,
        arn.home_region.clone(),
        options.strict,
    );
    let concurrency = match options.concurrency {
        0 => std::thread::available_parallelism().map_or(2, usize::from) * 2,
        given => given,
    };
    let context = Arc::new(WalkContext {
        start,
        end,
        starting_bucket: bucket,
        layout,
        home_region: arn.home_region,
        objects: sources.objects.clone(),
        keys: sources.keys.clone(),
        strict: options.strict,
        prefetch: concurrency,
    });

    let mut printer = Printer::new(output, options.verbose, options.strict, start, end);
    printer.header(&options.trail_arn)?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Item>(QUEUED_ITEMS);
    let walker = Walker::new(context, sender);
    let report = async {
        let items = futures::stream::poll_fn(|cx| receiver.poll_recv(cx)).buffered(concurrency);
        futures::pin_mut!(items);
        while let Some(event) = items.next().await {
            printer.handle(event)?;
        }
        Ok::<(), Error>(())
    };
    let ((), reported) = futures::join!(walker.run(), report);
    reported?;
    printer.summary()
}

/// Runs [`validate_logs`] and returns the process exit status: 0, 1, or 255 after writing
/// the abort to `output.stderr` as the CLI does.
pub async fn run_validate_logs(
    options: &ValidateOptions,
    sources: &Sources,
    output: &mut Output<'_>,
) -> u8 {
    match validate_logs(options, sources, output).await {
        Ok(report) => report.exit_code(),
        Err(error) => {
            // If stderr itself is broken there is nowhere left to report to.
            let _ = write_abort(&error, output.stderr);
            error.exit_code()
        }
    }
}
