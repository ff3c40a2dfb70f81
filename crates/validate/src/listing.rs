//! Finding a trail's digest keys (spec §3.3): one `ListObjects` walk per (bucket, prefix)
//! from the key the trail would have had one minute before the start, kept while the key
//! time is in range, split into the standard and backfill chains.

use opentrail_blob::Bucket;
use opentrail_blob::MAX_LIST_KEYS;
use opentrail_digest::naming::{DigestKey, cli_key_time_text};
use opentrail_types::Timestamp;

use crate::digest::is_backfill_key;
use crate::error::Result;
use crate::objects::{S3Operation, s3_error};
use crate::pytime;

/// The digest keys of one trail: its prefix, organization, account, regions and name.
#[derive(Debug, Clone)]
pub(crate) struct DigestLayout {
    template: DigestKey,
    strict: bool,
}

impl DigestLayout {
    /// `prefix` is used as the CLI uses it: joined with one `/` when not empty.
    pub(crate) fn new(
        prefix: Option<String>,
        org_id: Option<String>,
        account_id: String,
        source_region: String,
        trail_name: String,
        home_region: String,
        strict: bool,
    ) -> DigestLayout {
        DigestLayout {
            template: DigestKey {
                prefix: prefix.filter(|prefix| !prefix.is_empty()),
                org_id,
                account_id,
                source_region,
                trail_name,
                home_region,
                end: Timestamp::EPOCH,
                backfill: false,
            },
            strict,
        }
    }

    /// `Prefix` of the listing: `[<prefix>/]AWSLogs/[<org>/]<account>/CloudTrail-Digest/<source>`.
    pub(crate) fn listing_prefix(&self) -> String {
        self.template.listing_prefix()
    }

    /// `[<prefix>/]AWSLogs/[<org>/]<account>/CloudTrail/<source>/`: where the log files are.
    pub(crate) fn log_folder(&self) -> String {
        let digest_prefix = self.listing_prefix();
        let suffix = format!("CloudTrail-Digest/{}", self.template.source_region);
        let base = digest_prefix
            .strip_suffix(&suffix)
            .unwrap_or(&digest_prefix);
        format!("{base}CloudTrail/{}/", self.template.source_region)
    }

    /// The account whose files these are.
    pub(crate) fn account_id(&self) -> &str {
        &self.template.account_id
    }

    /// The source region.
    pub(crate) fn source_region(&self) -> &str {
        &self.template.source_region
    }

    /// Whether `key` is one of this trail's digests: the CLI's greedy regex, or in strict
    /// mode the key parsed structurally (limitation 11 fixed).
    pub(crate) fn keeps(&self, key: &str) -> bool {
        if !self.strict {
            return self.template.matches_cli_filter(key);
        }
        DigestKey::parse(key).is_some_and(|parsed| {
            parsed.prefix == self.template.prefix
                && parsed.org_id == self.template.org_id
                && parsed.account_id == self.template.account_id
                && parsed.source_region == self.template.source_region
                && parsed.trail_name == self.template.trail_name
                && parsed.home_region == self.template.home_region
        })
    }
}

/// The digest keys found in range, ascending.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Listing {
    pub standard: Vec<String>,
    pub backfill: Vec<String>,
}

/// Lists the trail's digests in `bucket` whose key time is in `[start, end + 1 h]`
/// (`load_all_digest_keys_in_range`): stops at the first kept key past the end.
pub(crate) async fn list_digest_keys(
    bucket: &Bucket,
    layout: &DigestLayout,
    start: Timestamp,
    end: Timestamp,
) -> Result<Listing> {
    let prefix = layout.listing_prefix();
    let marker = layout.template.listing_marker(start);
    let first = pytime::key_date(start);
    let last = pytime::key_date(pytime::add_hours(end, 1));
    let mut listing = Listing::default();
    let mut after = marker;
    loop {
        let page = bucket
            .list_page(&prefix, Some(&after), MAX_LIST_KEYS)
            .await
            .map_err(|error| s3_error(&error, S3Operation::ListObjects))?;
        for object in &page.objects {
            let key = &object.key;
            if !layout.keeps(key) {
                continue;
            }
            let time = cli_key_time_text(key);
            if time > last {
                return Ok(listing);
            }
            if time < first {
                continue;
            }
            if is_backfill_key(key) {
                listing.backfill.push(key.clone());
            } else {
                listing.standard.push(key.clone());
            }
        }
        match page.objects.last() {
            Some(object) if page.is_truncated => after = object.key.clone(),
            _ => return Ok(listing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(strict: bool) -> DigestLayout {
        DigestLayout::new(
            Some("prefix".into()),
            None,
            "123456789012".into(),
            "us-east-1".into(),
            "foo".into(),
            "us-east-1".into(),
            strict,
        )
    }

    #[test]
    fn marker_and_prefix_match_the_cli() {
        let start = Timestamp::parse_event_time("2014-08-10T00:00:00Z").unwrap();
        let layout = layout(false);
        assert_eq!(
            layout.template.listing_marker(start),
            "prefix/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2014/08/09/123456789012_CloudTrail-Digest_us-east-1_foo_us-east-1_20140809T235900Z.json.gz"
        );
        assert_eq!(
            layout.listing_prefix(),
            "prefix/AWSLogs/123456789012/CloudTrail-Digest/us-east-1"
        );
        assert_eq!(
            layout.log_folder(),
            "prefix/AWSLogs/123456789012/CloudTrail/us-east-1/"
        );
    }

    #[test]
    fn strict_mode_parses_names_structurally() {
        let own = "prefix/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2015/08/16/123456789012_CloudTrail-Digest_us-east-1_foo_us-east-1_20150816T230550Z.json.gz";
        let other = "prefix/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2015/08/16/123456789012_CloudTrail-Digest_us-east-1_foo_us-east-1_x_us-east-1_20150816T230550Z.json.gz";
        assert!(layout(false).keeps(own) && layout(true).keeps(own));
        assert!(
            layout(false).keeps(other),
            "the CLI's greedy filter keeps another trail's key"
        );
        assert!(!layout(true).keeps(other));
    }
}
