//! Aggregates over event history for dashboards: facets (the most frequent values of a
//! field, with counts) and histograms (docs per time bucket, by category and `readOnly`).
//!
//! Neither reads a record. Docs in a segment are ordered newest first, so a time range is
//! an ordinal range, found by binary search on the time column; a term's count inside it is
//! two binary searches on its posting list. A facet streams the terms of the field's kind
//! from every segment the range touches (one union of their dictionaries, in key order, so
//! counts are summed without a hash map) and keeps the top values in a bounded heap. A
//! histogram finds each bucket's ordinal range the same way and tallies the flags column.
//!
//! Docs are left out as lookups leave them out: other accounts' when restricted to one
//! (an account whose posting list covers the whole range, the usual case, costs nothing),
//! and docs past retention; facets also leave out Insights docs. When only part of a
//! range counts, the docs that do (or the ones that do not, whichever are fewer) are listed
//! once per segment, and each term's postings are intersected with that list.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use fst::{IntoStreamer, Streamer};
use opentrail_event::EventCategory;
use opentrail_types::Timestamp;

use crate::history::doc::{
    ACCOUNT_KIND, ERROR_CODE_KIND, SOURCE_IP_KIND, attribute_kind, category_term, term,
};
use crate::history::segment::{Postings, SegmentReader, partition_point};
use crate::lookup::AttributeKey;

/// Most values a facet returns ([`FacetRequest::top`]).
pub const MAX_FACET_TOP: usize = 1000;

/// Most buckets a histogram returns.
pub const MAX_HISTOGRAM_BUCKETS: usize = 500;

/// A field facets count values of. Each is single-valued: a doc has at most one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FacetField {
    /// The event name, as the `EventName` lookup attribute (`insightDetails.eventName` for
    /// Insights records, which facets leave out).
    EventName,
    /// The event source, as the `EventSource` lookup attribute.
    EventSource,
    /// The `Username` of a `LookupEvents` result, derived from `userIdentity`.
    Username,
    /// `errorCode`.
    ErrorCode,
    /// `sourceIPAddress`: an IP address, or a service name for calls services make.
    SourceIp,
    /// `userIdentity.accessKeyId`, as the `AccessKeyId` lookup attribute.
    AccessKeyId,
}

impl FacetField {
    /// Every field.
    pub const ALL: [FacetField; 6] = [
        FacetField::EventName,
        FacetField::EventSource,
        FacetField::Username,
        FacetField::ErrorCode,
        FacetField::SourceIp,
        FacetField::AccessKeyId,
    ];

    /// The field's name: the lookup attribute's where there is one, else the record
    /// member's in the same PascalCase (`ErrorCode`, `SourceIPAddress`).
    pub fn as_str(self) -> &'static str {
        match self {
            FacetField::EventName => "EventName",
            FacetField::EventSource => "EventSource",
            FacetField::Username => "Username",
            FacetField::ErrorCode => "ErrorCode",
            FacetField::SourceIp => "SourceIPAddress",
            FacetField::AccessKeyId => "AccessKeyId",
        }
    }

    /// The field named `name` (as [`FacetField::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<FacetField> {
        FacetField::ALL
            .into_iter()
            .find(|field| field.as_str() == name)
    }

    /// The term kind holding the field's values.
    fn kind(self) -> u8 {
        match self {
            FacetField::EventName => attribute_kind(AttributeKey::EventName),
            FacetField::EventSource => attribute_kind(AttributeKey::EventSource),
            FacetField::Username => attribute_kind(AttributeKey::Username),
            FacetField::AccessKeyId => attribute_kind(AttributeKey::AccessKeyId),
            FacetField::ErrorCode => ERROR_CODE_KIND,
            FacetField::SourceIp => SOURCE_IP_KIND,
        }
    }
}

/// What [`History::facets`](crate::History::facets) counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetRequest {
    /// Only events whose `recipientAccountId` is this account, as a lookup restricted to
    /// it ([`LookupQuery::account`](crate::LookupQuery::account)); `None`: every event.
    pub account: Option<String>,
    /// First event time counted (inclusive, as `LookupEvents`' `StartTime`).
    pub start: Timestamp,
    /// Last event time counted (inclusive, as `LookupEvents`' `EndTime`).
    pub end: Timestamp,
    /// Fields to count values of, each at most once; may be empty (only the total).
    pub fields: Vec<FacetField>,
    /// Values returned per field, at most [`MAX_FACET_TOP`]; 0 returns only the figures.
    pub top: usize,
}

/// Facets of a time range: [`Facets::total`] docs, and per requested field its most
/// frequent values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facets {
    /// Docs counted: in the range, of the account when restricted, not past retention,
    /// Insights docs left out.
    pub total: u64,
    /// One per requested field, in the request's order.
    pub fields: Vec<FieldFacets>,
}

/// The values of one field among the counted docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFacets {
    /// The field.
    pub field: FacetField,
    /// The most frequent values, at most [`FacetRequest::top`]: by count, highest first,
    /// then by value (byte order) for equal counts.
    pub top: Vec<FacetCount>,
    /// Distinct values among the counted docs.
    pub distinct: u64,
    /// Counted docs that have the field (a non-empty value); the others lack it.
    pub with_field: u64,
}

/// One value of a field and how many counted docs have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    /// The value.
    pub value: String,
    /// Docs with it.
    pub count: u64,
}

/// What [`History::histogram`](crate::History::histogram) counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistogramRequest {
    /// Only events of this account (see [`FacetRequest::account`]); `None`: every event.
    pub account: Option<String>,
    /// First event time counted (inclusive): the first bucket starts here.
    pub start: Timestamp,
    /// Last event time counted (inclusive): the last bucket ends right after it.
    pub end: Timestamp,
    /// Width of a bucket, milliseconds; more than zero. The range may hold at most
    /// [`MAX_HISTOGRAM_BUCKETS`] buckets.
    pub bucket_ms: u64,
}

/// The docs of one time bucket of a histogram. Every doc is counted once in
/// [`HistogramBucket::categories`] and once in the three `read_only_*` figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistogramBucket {
    /// First event time of the bucket (inclusive).
    pub start: Timestamp,
    /// End of the bucket (exclusive): `start + bucket_ms`, or for the last bucket the
    /// request's end plus one millisecond.
    pub end: Timestamp,
    /// Docs in the bucket (every category, Insights included).
    pub total: u64,
    /// Docs per category, indexed by [`EventCategory::code`]; see
    /// [`HistogramBucket::category`].
    pub categories: [u64; 8],
    /// Docs whose `readOnly` is true.
    pub read_only_true: u64,
    /// Docs whose `readOnly` is false.
    pub read_only_false: u64,
    /// Docs without `readOnly` (Insights records, some service events).
    pub read_only_absent: u64,
}

impl HistogramBucket {
    /// Docs of `category` in the bucket.
    pub fn category(&self, category: EventCategory) -> u64 {
        self.categories[usize::from(category.code() & 0b111)]
    }
}

/// Why an aggregate request was refused, for callers that branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AggregateErrorKind {
    /// The start is after the end.
    InvalidTimeRange,
    /// `bucket_ms` is zero.
    InvalidBucketWidth,
    /// The range holds more than [`MAX_HISTOGRAM_BUCKETS`] buckets.
    TooManyBuckets,
    /// `top` is more than [`MAX_FACET_TOP`].
    InvalidTop,
    /// A field is asked for twice.
    DuplicateField,
}

/// A refused aggregate request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AggregateError {
    kind: AggregateErrorKind,
    message: String,
}

impl AggregateError {
    fn new(kind: AggregateErrorKind, message: String) -> AggregateError {
        AggregateError { kind, message }
    }

    /// What was wrong.
    pub fn kind(&self) -> AggregateErrorKind {
        self.kind
    }

    /// The message for the caller.
    pub fn message(&self) -> &str {
        &self.message
    }
}

fn check_time_range(start: Timestamp, end: Timestamp) -> Result<(), AggregateError> {
    if start > end {
        return Err(AggregateError::new(
            AggregateErrorKind::InvalidTimeRange,
            format!(
                "start time {} is after end time {}",
                start.format_event_time(),
                end.format_event_time()
            ),
        ));
    }
    Ok(())
}

/// Which docs of the index an aggregate counts.
struct Filter {
    start_ms: i64,
    end_ms: i64,
    /// Docs that arrived before this are past retention.
    cutoff_arrival_ms: i64,
    /// The account term docs must have.
    account: Option<Vec<u8>>,
    exclude_insights: bool,
}

/// Counts the facets `request` asks for over `segments` (a snapshot: no doc is in two).
///
/// # Errors
///
/// [`AggregateErrorKind::InvalidTimeRange`], [`AggregateErrorKind::InvalidTop`] and
/// [`AggregateErrorKind::DuplicateField`].
pub(crate) fn facets(
    segments: &[&SegmentReader],
    request: &FacetRequest,
    cutoff_arrival_ms: i64,
) -> Result<Facets, AggregateError> {
    check_time_range(request.start, request.end)?;
    if request.top > MAX_FACET_TOP {
        return Err(AggregateError::new(
            AggregateErrorKind::InvalidTop,
            format!(
                "top `{}` is out of range; it must be at most {MAX_FACET_TOP}",
                request.top
            ),
        ));
    }
    for (index, field) in request.fields.iter().enumerate() {
        if request.fields[..index].contains(field) {
            return Err(AggregateError::new(
                AggregateErrorKind::DuplicateField,
                format!("facet field `{}` is asked for twice", field.as_str()),
            ));
        }
    }
    let filter = Filter {
        start_ms: request.start.as_millis(),
        end_ms: request.end.as_millis(),
        cutoff_arrival_ms,
        account: request
            .account
            .as_deref()
            .map(|account| term(ACCOUNT_KIND, account)),
        exclude_insights: true,
    };
    let scopes: Vec<Scope<'_>> = segments
        .iter()
        .filter_map(|segment| Scope::new(segment, &filter))
        .collect();
    let total = scopes.iter().map(Scope::doc_count).sum();
    let fields = request
        .fields
        .iter()
        .map(|field| field_facets(&scopes, *field, request.top))
        .collect();
    Ok(Facets { total, fields })
}

/// Counts the values of `field` in `scopes`, keeping the `top` most frequent.
fn field_facets(scopes: &[Scope<'_>], field: FacetField, top: usize) -> FieldFacets {
    let kind = field.kind();
    let mut kept = TopValues::new(top);
    if let [scope] = scopes {
        // One segment (a range inside one time slice, the usual case for time-ordered
        // history): its own dictionary, without the cost of merging streams.
        let mut stream = scope.segment.kind_terms(kind).into_stream();
        while let Some((key, value)) = stream.next() {
            kept.offer(key, scope.count(scope.segment.postings_at(value)));
        }
    } else {
        let mut union = fst::map::OpBuilder::new();
        for scope in scopes {
            union.push(scope.segment.kind_terms(kind));
        }
        let mut stream = union.union();
        while let Some((key, values)) = stream.next() {
            let mut count = 0u64;
            for value in values {
                let scope = &scopes[value.index];
                count += scope.count(scope.segment.postings_at(value.value));
            }
            kept.offer(key, count);
        }
    }
    kept.finish(field)
}

/// The most frequent values of a field as its terms stream by, and the field's figures.
struct TopValues {
    top: usize,
    /// The worst kept value on top: lowest count, then greatest value.
    kept: BinaryHeap<(Reverse<u64>, Vec<u8>)>,
    distinct: u64,
    with_field: u64,
}

impl TopValues {
    fn new(top: usize) -> TopValues {
        TopValues {
            top,
            kept: BinaryHeap::with_capacity(top + 1),
            distinct: 0,
            with_field: 0,
        }
    }

    /// Takes a term (`[kind] ++ value`) counted `count` times.
    fn offer(&mut self, key: &[u8], count: u64) {
        if count == 0 {
            return;
        }
        self.distinct += 1;
        self.with_field += count;
        let value = key.get(1..).unwrap_or_default();
        if self.kept.len() < self.top {
            self.kept.push((Reverse(count), value.to_vec()));
        } else if let Some((Reverse(worst_count), worst_value)) = self.kept.peek()
            && (count > *worst_count || (count == *worst_count && value < worst_value.as_slice()))
        {
            self.kept.pop();
            self.kept.push((Reverse(count), value.to_vec()));
        }
    }

    fn finish(self, field: FacetField) -> FieldFacets {
        // Ascending (Reverse(count), value) is count descending, then value ascending.
        let top = self
            .kept
            .into_sorted_vec()
            .into_iter()
            .map(|(Reverse(count), value)| FacetCount {
                value: String::from_utf8_lossy(&value).into_owned(),
                count,
            })
            .collect();
        FieldFacets {
            field,
            top,
            distinct: self.distinct,
            with_field: self.with_field,
        }
    }
}

/// Counts the docs of each time bucket `request` asks for over `segments`.
///
/// # Errors
///
/// [`AggregateErrorKind::InvalidTimeRange`], [`AggregateErrorKind::InvalidBucketWidth`]
/// and [`AggregateErrorKind::TooManyBuckets`].
pub(crate) fn histogram(
    segments: &[&SegmentReader],
    request: &HistogramRequest,
    cutoff_arrival_ms: i64,
) -> Result<Vec<HistogramBucket>, AggregateError> {
    check_time_range(request.start, request.end)?;
    if request.bucket_ms == 0 {
        return Err(AggregateError::new(
            AggregateErrorKind::InvalidBucketWidth,
            String::from("bucket width must be at least 1 ms"),
        ));
    }
    let (start_ms, end_ms) = (request.start.as_millis(), request.end.as_millis());
    let span = i128::from(end_ms) - i128::from(start_ms);
    let width = i128::from(request.bucket_ms);
    let count = ((span + width - 1) / width).max(1);
    let too_many = || {
        AggregateError::new(
            AggregateErrorKind::TooManyBuckets,
            format!(
                "the range holds {count} buckets of {} ms; at most {MAX_HISTOGRAM_BUCKETS} are allowed",
                request.bucket_ms
            ),
        )
    };
    let count = usize::try_from(count)
        .ok()
        .filter(|count| *count <= MAX_HISTOGRAM_BUCKETS)
        .ok_or_else(too_many)?;
    // Bucket `index` holds event times `starts[index]..starts[index + 1]`, the last one up
    // to `end_ms` inclusive. Every start but the first is ≤ `end_ms`, so none overflows.
    let width = i64::try_from(request.bucket_ms).unwrap_or(i64::MAX);
    let starts: Vec<i64> = (0..count)
        .map(|index| {
            let offset = i64::try_from(index).unwrap_or(i64::MAX);
            start_ms.saturating_add(offset.saturating_mul(width))
        })
        .collect();
    let filter = Filter {
        start_ms,
        end_ms,
        cutoff_arrival_ms,
        account: request
            .account
            .as_deref()
            .map(|account| term(ACCOUNT_KIND, account)),
        exclude_insights: false,
    };
    let mut tallies = vec![[0u64; 32]; count];
    for segment in segments {
        let Some(scope) = Scope::new(segment, &filter) else {
            continue;
        };
        // Newest bucket first: its docs have the lowest ordinals. A bucket's docs run from
        // the first ordinal after the newer bucket's to the first one older than its start.
        let mut first = scope.start;
        for index in (0..count).rev() {
            let older = segment
                .first_before(starts[index])
                .clamp(scope.start as usize, scope.end as usize);
            let older = u32::try_from(older).unwrap_or(scope.end);
            scope.tally_flags(first, older, &mut tallies[index]);
            first = older;
        }
    }
    let mut buckets = Vec::with_capacity(count);
    for (index, tally) in tallies.iter().enumerate() {
        let end = match starts.get(index + 1) {
            Some(next) => *next,
            None => end_ms.saturating_add(1),
        };
        let mut bucket = HistogramBucket {
            start: Timestamp::from_millis(starts[index]),
            end: Timestamp::from_millis(end),
            total: 0,
            categories: [0; 8],
            read_only_true: 0,
            read_only_false: 0,
            read_only_absent: 0,
        };
        for (flags, docs) in tally.iter().enumerate() {
            bucket.total += docs;
            bucket.categories[flags & 0b111] += docs;
            match flags >> 3 {
                1 => bucket.read_only_false += docs,
                2 => bucket.read_only_true += docs,
                _ => bucket.read_only_absent += docs,
            }
        }
        buckets.push(bucket);
    }
    Ok(buckets)
}

/// The docs of one segment an aggregate counts: the ordinals `start..end` of the time
/// range, all of them or some.
struct Scope<'a> {
    segment: &'a SegmentReader,
    start: u32,
    end: u32,
    docs: Selection,
}

/// Which docs of a scope's ordinal range count.
enum Selection {
    All,
    /// All but these.
    Except(Subset),
    /// Only these.
    Only(Subset),
}

impl<'a> Scope<'a> {
    /// The scope of `segment` under `filter`; `None` when no doc of it counts.
    fn new(segment: &'a SegmentReader, filter: &Filter) -> Option<Scope<'a>> {
        if segment.len() == 0
            || segment.max_time < filter.start_ms
            || segment.min_time > filter.end_ms
            || segment.max_arrival < filter.cutoff_arrival_ms
        {
            return None;
        }
        let start = u32::try_from(segment.first_at_or_before(filter.end_ms)).ok()?;
        let end = u32::try_from(segment.first_before(filter.start_ms)).ok()?;
        if start >= end {
            return None;
        }
        let length = end - start;
        let mut excluded: Vec<u32> = Vec::new();
        if filter.exclude_insights
            && let Some(insights) = segment.postings(&category_term(EventCategory::Insight))
        {
            excluded = postings_vec(insights.within(start, end));
        }
        if segment.min_arrival < filter.cutoff_arrival_ms {
            let expired: Vec<u32> = (start..end)
                .filter(|ordinal| segment.arrival(*ordinal as usize) < filter.cutoff_arrival_ms)
                .collect();
            excluded = union(&excluded, &expired);
        }
        let docs = match &filter.account {
            None => Selection::excluding(excluded, start, end),
            Some(account) => {
                let account = segment.postings(account)?.within(start, end);
                let members = u32::try_from(account.len()).ok()?;
                if members == 0 {
                    return None;
                }
                if members == length {
                    Selection::excluding(excluded, start, end)
                } else if members <= length - members {
                    let only = difference(&postings_vec(account), &excluded);
                    Selection::Only(Subset::new(only, start, end))
                } else {
                    let others = complement(&postings_vec(account), start, end);
                    Selection::excluding(union(&excluded, &others), start, end)
                }
            }
        };
        Some(Scope {
            segment,
            start,
            end,
            docs,
        })
    }

    /// Docs that count.
    fn doc_count(&self) -> u64 {
        let length = u64::from(self.end - self.start);
        match &self.docs {
            Selection::All => length,
            Selection::Except(subset) => length - subset.len(),
            Selection::Only(subset) => subset.len(),
        }
    }

    /// Docs that count among `postings`.
    fn count(&self, postings: Postings<'_>) -> u64 {
        let inside = postings.within(self.start, self.end);
        let inside_count = inside.len() as u64;
        match &self.docs {
            Selection::All => inside_count,
            Selection::Except(subset) => inside_count - subset.common(inside, self.start),
            Selection::Only(subset) => subset.common(inside, self.start),
        }
    }

    /// Adds the flags of the docs that count among ordinals `from..to` (inside the scope)
    /// to `tally`, indexed by the flags' five low bits (category and `readOnly`).
    fn tally_flags(&self, from: u32, to: u32, tally: &mut [u64; 32]) {
        if from >= to {
            return;
        }
        let flags = |ordinal: u32| usize::from(self.segment.flags(ordinal as usize) & 0b1_1111);
        match &self.docs {
            Selection::All => {
                tally_column(self.segment.flags_column(from as usize, to as usize), tally)
            }
            Selection::Except(subset) => {
                tally_column(self.segment.flags_column(from as usize, to as usize), tally);
                for ordinal in subset.between(from, to) {
                    tally[flags(*ordinal)] -= 1;
                }
            }
            Selection::Only(subset) => {
                for ordinal in subset.between(from, to) {
                    tally[flags(*ordinal)] += 1;
                }
            }
        }
    }
}

impl Selection {
    /// Every doc of `start..end` but `excluded` (ascending, inside the range), listing
    /// whichever side is smaller.
    fn excluding(excluded: Vec<u32>, start: u32, end: u32) -> Selection {
        if excluded.is_empty() {
            Selection::All
        } else if excluded.len() as u64 * 2 > u64::from(end - start) {
            Selection::Only(Subset::new(complement(&excluded, start, end), start, end))
        } else {
            Selection::Except(Subset::new(excluded, start, end))
        }
    }
}

/// Ascending ordinals of a scope's range, with a bitmap of them over the range when there
/// are enough for it to pay.
struct Subset {
    ordinals: Vec<u32>,
    /// Bit `ordinal - start` set for each ordinal.
    bits: Option<Vec<u64>>,
}

/// Below this many ordinals, galloping is as fast as a bitmap.
const SUBSET_BITMAP_MIN: usize = 256;

impl Subset {
    fn new(ordinals: Vec<u32>, start: u32, end: u32) -> Subset {
        let bits = (ordinals.len() >= SUBSET_BITMAP_MIN).then(|| {
            let mut bits = vec![0u64; ((end - start) as usize).div_ceil(64)];
            for ordinal in &ordinals {
                let offset = (ordinal - start) as usize;
                bits[offset / 64] |= 1u64 << (offset % 64);
            }
            bits
        });
        Subset { ordinals, bits }
    }

    fn len(&self) -> u64 {
        self.ordinals.len() as u64
    }

    /// The ordinals inside `from..to`.
    fn between(&self, from: u32, to: u32) -> &[u32] {
        let first = self.ordinals.partition_point(|ordinal| *ordinal < from);
        let last = self.ordinals.partition_point(|ordinal| *ordinal < to);
        &self.ordinals[first..last]
    }

    /// How many of `postings` (inside the range starting at `start`) are in the subset.
    fn common(&self, postings: Postings<'_>, start: u32) -> u64 {
        let (postings_len, ordinals_len) = (postings.len(), self.ordinals.len());
        if postings_len == 0 || ordinals_len == 0 {
            return 0;
        }
        let mut common = 0u64;
        if postings_len <= ordinals_len {
            if let Some(bits) = &self.bits {
                for index in 0..postings_len {
                    let offset = (postings.get(index) - start) as usize;
                    common += (bits[offset / 64] >> (offset % 64)) & 1;
                }
                return common;
            }
            let mut cursor = 0;
            for index in 0..postings_len {
                let wanted = postings.get(index);
                cursor = gallop(ordinals_len, cursor, wanted, |at| self.ordinals[at]);
                if cursor == ordinals_len {
                    break;
                }
                if self.ordinals[cursor] == wanted {
                    common += 1;
                    cursor += 1;
                }
            }
        } else {
            let mut cursor = 0;
            for wanted in &self.ordinals {
                cursor = gallop(postings_len, cursor, *wanted, |at| postings.get(at));
                if cursor == postings_len {
                    break;
                }
                if postings.get(cursor) == *wanted {
                    common += 1;
                    cursor += 1;
                }
            }
        }
        common
    }
}

/// Index of the first element ≥ `wanted` of an ascending list of `len` elements, searching
/// from `from` on with steps that double, then by halves.
fn gallop(len: usize, from: usize, wanted: u32, get: impl Fn(usize) -> u32) -> usize {
    if from >= len || get(from) >= wanted {
        return from;
    }
    // `get(below) < wanted` throughout; the answer is in `below + 1..=above`.
    let mut below = from;
    let mut step = 1;
    let above = loop {
        let probe = below + step;
        if probe >= len {
            break len;
        }
        if get(probe) >= wanted {
            break probe;
        }
        below = probe;
        step *= 2;
    };
    let first = below + 1;
    first + partition_point(above - first, |offset| get(first + offset) < wanted)
}

/// Adds each byte of `column` (its five low bits) to `tally`.
fn tally_column(column: &[u8], tally: &mut [u64; 32]) {
    // Four tallies, so that runs of equal flags do not wait on one counter.
    let mut lanes = [[0u32; 32]; 4];
    let mut chunks = column.chunks_exact(4);
    for chunk in &mut chunks {
        for (lane, flags) in chunk.iter().enumerate() {
            lanes[lane][usize::from(flags & 0b1_1111)] += 1;
        }
    }
    for flags in chunks.remainder() {
        lanes[0][usize::from(flags & 0b1_1111)] += 1;
    }
    for lane in &lanes {
        for (slot, docs) in tally.iter_mut().zip(lane) {
            *slot += u64::from(*docs);
        }
    }
}

fn postings_vec(postings: Postings<'_>) -> Vec<u32> {
    (0..postings.len())
        .map(|index| postings.get(index))
        .collect()
}

/// The ordinals of `start..end` not in `listed` (ascending, inside the range).
fn complement(listed: &[u32], start: u32, end: u32) -> Vec<u32> {
    let mut others = Vec::with_capacity(((end - start) as usize).saturating_sub(listed.len()));
    let mut next = start;
    for ordinal in listed.iter().copied().chain(std::iter::once(end)) {
        others.extend(next..ordinal);
        next = ordinal + 1;
    }
    others
}

/// The sorted union of two ascending lists.
fn union(left: &[u32], right: &[u32]) -> Vec<u32> {
    if left.is_empty() {
        return right.to_vec();
    }
    if right.is_empty() {
        return left.to_vec();
    }
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut left_index, mut right_index) = (0, 0);
    while left_index < left.len() && right_index < right.len() {
        let (left_value, right_value) = (left[left_index], right[right_index]);
        merged.push(left_value.min(right_value));
        left_index += usize::from(left_value <= right_value);
        right_index += usize::from(right_value <= left_value);
    }
    merged.extend_from_slice(&left[left_index..]);
    merged.extend_from_slice(&right[right_index..]);
    merged
}

/// The elements of ascending `left` not in ascending `right`.
fn difference(left: &[u32], right: &[u32]) -> Vec<u32> {
    if right.is_empty() {
        return left.to_vec();
    }
    let mut kept = Vec::with_capacity(left.len());
    let mut cursor = 0;
    for value in left {
        cursor = gallop(right.len(), cursor, *value, |at| right[at]);
        if cursor == right.len() || right[cursor] != *value {
            kept.push(*value);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gallop_finds_the_first_element_not_below() {
        let list: Vec<u32> = (0..100).map(|value| value * 3).collect();
        for from in [0, 1, 17, 99, 100] {
            for wanted in 0..310 {
                let expected = from.max(list.partition_point(|value| *value < wanted));
                assert_eq!(
                    gallop(list.len(), from, wanted, |at| list[at]),
                    expected.min(list.len()).max(from),
                    "from {from}, wanted {wanted}"
                );
            }
        }
    }

    #[test]
    fn list_operations_keep_order() {
        assert_eq!(union(&[1, 4, 9], &[2, 4, 10]), [1, 2, 4, 9, 10]);
        assert_eq!(union(&[], &[3]), [3]);
        assert_eq!(difference(&[1, 2, 4, 9], &[2, 9, 11]), [1, 4]);
        assert_eq!(complement(&[5, 7], 4, 9), [4, 6, 8]);
        assert_eq!(complement(&[], 4, 6), [4, 5]);
        assert_eq!(complement(&[4, 5], 4, 6), Vec::<u32>::new());
    }

    #[test]
    fn tallies_count_every_byte() {
        let column: Vec<u8> = (0..1003u32)
            .map(|index| (index % 7) as u8 | 0b1000_0000)
            .collect();
        let mut tally = [0u64; 32];
        tally_column(&column, &mut tally);
        assert_eq!(tally.iter().sum::<u64>(), 1003);
        assert_eq!(tally[0], 144);
        assert_eq!(tally[6], 143);
    }

    /// A doc of the model: time, arrival, account, category code, (kind, value) terms.
    struct ModelDoc {
        time: i64,
        arrival: i64,
        account: Option<&'static str>,
        category: u8,
        read_only: u8,
        values: Vec<(u8, String)>,
    }

    fn model_docs(count: usize, share_of_a: u64, seed: u64) -> Vec<ModelDoc> {
        let mut state = seed;
        let mut next = move |below: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        (0..count)
            .map(|index| {
                let account = match next(100) {
                    roll if roll < share_of_a => Some("A"),
                    roll if roll < 98 => Some("B"),
                    _ => None,
                };
                let category = match next(50) {
                    0 => EventCategory::Insight.code(),
                    1..=5 => EventCategory::Data.code(),
                    _ => EventCategory::Management.code(),
                };
                let mut values = vec![(ERROR_CODE_KIND, format!("E{}", next(3)))];
                if next(4) > 0 {
                    values.push((SOURCE_IP_KIND, format!("10.0.{}.{}", next(3), next(200))));
                }
                values.push((
                    attribute_kind(AttributeKey::EventName),
                    format!("N{}", next(20)),
                ));
                ModelDoc {
                    time: i64::try_from(index / 3).unwrap(),
                    arrival: i64::try_from(next(1000)).unwrap(),
                    account,
                    category,
                    read_only: u8::try_from(next(3)).unwrap(),
                    values,
                }
            })
            .collect()
    }

    fn segment_of(docs: &[ModelDoc], first_seq: u64) -> SegmentReader {
        use crate::history::segment::{DocInput, Storage, build_segment, pack_flags};
        let inputs = docs
            .iter()
            .enumerate()
            .map(|(index, doc)| {
                let mut terms: Vec<Vec<u8>> = doc
                    .values
                    .iter()
                    .map(|(kind, value)| term(*kind, value))
                    .collect();
                terms.push(vec![crate::history::doc::CATEGORY_KIND, doc.category]);
                if let Some(account) = doc.account {
                    terms.push(term(ACCOUNT_KIND, account));
                }
                DocInput {
                    time_ms: doc.time,
                    seq: first_seq + index as u64,
                    location: 0,
                    arrival_ms: doc.arrival,
                    flags: pack_flags(doc.category, doc.read_only),
                    id_hash: index as u64,
                    terms,
                }
            })
            .collect();
        let mut bytes = Vec::new();
        build_segment(inputs, &mut bytes).unwrap();
        SegmentReader::open(Storage::Memory(bytes)).unwrap()
    }

    /// Facets and histograms over segments large enough for bitmaps, with accounts in
    /// every proportion, Insights docs and expired docs, against a scan of the model.
    #[test]
    fn aggregates_equal_a_scan_of_the_docs() {
        let parts = [
            model_docs(1500, 97, 1),
            model_docs(1200, 30, 2),
            model_docs(900, 60, 3),
            model_docs(400, 0, 4),
        ];
        let segments: Vec<SegmentReader> = parts
            .iter()
            .enumerate()
            .map(|(index, docs)| segment_of(docs, index as u64 * 10_000))
            .collect();
        let readers: Vec<&SegmentReader> = segments.iter().collect();
        let all: Vec<&ModelDoc> = parts.iter().flatten().collect();
        let fields = [
            FacetField::ErrorCode,
            FacetField::SourceIp,
            FacetField::EventName,
        ];
        for cutoff in [0, 10, 500] {
            for (start, end) in [(0, 1000), (17, 250), (100, 100), (130, 480), (2000, 3000)] {
                for account in [None, Some("A"), Some("B"), Some("C")] {
                    let counted = |doc: &&&ModelDoc, insights: bool| {
                        (start..=end).contains(&doc.time)
                            && doc.arrival >= cutoff
                            && (account.is_none() || doc.account == account)
                            && (insights || doc.category != EventCategory::Insight.code())
                    };
                    let request = FacetRequest {
                        account: account.map(str::to_owned),
                        start: Timestamp::from_millis(start),
                        end: Timestamp::from_millis(end),
                        fields: fields.to_vec(),
                        top: 7,
                    };
                    let facets = facets(&readers, &request, cutoff).unwrap();
                    let context = format!("cutoff {cutoff}, {start}..={end}, account {account:?}");
                    let docs: Vec<&&ModelDoc> =
                        all.iter().filter(|doc| counted(doc, false)).collect();
                    assert_eq!(facets.total, docs.len() as u64, "{context}");
                    for (field, got) in fields.iter().zip(&facets.fields) {
                        let mut counts: std::collections::BTreeMap<&str, u64> =
                            std::collections::BTreeMap::new();
                        for doc in &docs {
                            for (kind, value) in &doc.values {
                                if *kind == field.kind() {
                                    *counts.entry(value).or_default() += 1;
                                }
                            }
                        }
                        let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
                        ranked
                            .sort_by(|left, right| right.1.cmp(&left.1).then(left.0.cmp(right.0)));
                        assert_eq!(got.distinct, ranked.len() as u64, "{context}");
                        assert_eq!(
                            got.with_field,
                            ranked.iter().map(|(_, count)| count).sum::<u64>(),
                            "{context}"
                        );
                        let top: Vec<(&str, u64)> = got
                            .top
                            .iter()
                            .map(|value| (value.value.as_str(), value.count))
                            .collect();
                        ranked.truncate(7);
                        assert_eq!(top, ranked, "{field:?}, {context}");
                    }
                    let request = HistogramRequest {
                        account: account.map(str::to_owned),
                        start: Timestamp::from_millis(start),
                        end: Timestamp::from_millis(end),
                        bucket_ms: 37,
                    };
                    let buckets = histogram(&readers, &request, cutoff).unwrap();
                    let mut expected = vec![[0u64; 32]; buckets.len()];
                    for doc in all.iter().filter(|doc| counted(doc, true)) {
                        let index = usize::try_from((doc.time - start) / 37)
                            .unwrap()
                            .min(buckets.len() - 1);
                        expected[index][usize::from(doc.category | (doc.read_only << 3))] += 1;
                    }
                    for (bucket, tally) in buckets.iter().zip(&expected) {
                        assert_eq!(bucket.total, tally.iter().sum::<u64>(), "{context}");
                        for code in 0..4u8 {
                            let docs: u64 = (0..4)
                                .map(|read_only| tally[usize::from(code | (read_only << 3))])
                                .sum();
                            assert_eq!(bucket.categories[usize::from(code)], docs, "{context}");
                        }
                        let read_only = |value: u8| -> u64 {
                            (0..8)
                                .map(|code| tally[usize::from(code | (value << 3))])
                                .sum()
                        };
                        assert_eq!(bucket.read_only_absent, read_only(0), "{context}");
                        assert_eq!(bucket.read_only_false, read_only(1), "{context}");
                        assert_eq!(bucket.read_only_true, read_only(2), "{context}");
                    }
                }
            }
        }
    }

    #[test]
    fn subsets_count_common_ordinals_every_way() {
        let ordinals: Vec<u32> = (100..5000).filter(|ordinal| ordinal % 3 != 0).collect();
        let few: Vec<u32> = vec![101, 102, 300, 301, 4998, 4999];
        let postings_of = |list: &[u32]| -> Vec<u8> {
            list.iter()
                .flat_map(|ordinal| ordinal.to_le_bytes())
                .collect()
        };
        for subset in [
            Subset::new(ordinals.clone(), 100, 5000),
            Subset::new(few.clone(), 100, 5000),
        ] {
            assert_eq!(
                subset.bits.is_some(),
                subset.ordinals.len() >= SUBSET_BITMAP_MIN
            );
            for list in [&few, &ordinals, &(100..5000).collect::<Vec<u32>>()] {
                let bytes = postings_of(list);
                let postings = Postings::from_bytes(&bytes);
                let expected = list
                    .iter()
                    .filter(|ordinal| subset.ordinals.contains(ordinal))
                    .count() as u64;
                assert_eq!(subset.common(postings, 100), expected);
            }
        }
    }

    #[test]
    fn field_names_round_trip() {
        for field in FacetField::ALL {
            assert_eq!(FacetField::from_name(field.as_str()), Some(field));
        }
        assert_eq!(FacetField::from_name("sourceIPAddress"), None);
    }
}
