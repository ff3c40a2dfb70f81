//! Running a checked lookup over a snapshot of segments.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use opentrail_event::EventCategory;

use crate::history::doc::{ACCOUNT_KIND, attribute_kind, category_term, id_hash, term};
use crate::history::segment::{
    Postings, READ_ONLY_FALSE, READ_ONLY_TRUE, SegmentReader, flags_category, flags_read_only,
};
use crate::lookup::{AttributeKey, LookupQuery};

/// A lookup compiled against the index's terms.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Terms every doc must have (attributes, the category when only one is allowed, the
    /// caller's account when restricted).
    pub terms: Vec<Vec<u8>>,
    /// `EventId` values the doc's ID must hash to (several when AND-ed: then all equal).
    pub id_hashes: Vec<u64>,
    /// Required `readOnly` flag value, if any.
    pub read_only: Option<u8>,
    /// Bit `1 << code` set for each category allowed.
    pub category_mask: u8,
    /// Inclusive event-time bounds (ms).
    pub start_ms: i64,
    pub end_ms: i64,
    /// Docs that arrived before this are past retention (ms).
    pub cutoff_arrival_ms: i64,
    /// Only docs with a sequence number ≤ this are seen.
    pub snapshot_seq: u64,
    /// Resume strictly after this (event time ms, seq).
    pub cursor: Option<(i64, u64)>,
    /// False when the request cannot match anything (two different `ReadOnly` values).
    pub satisfiable: bool,
}

impl Plan {
    pub fn new(
        query: &LookupQuery,
        categories: &[EventCategory],
        cutoff_arrival_ms: i64,
        snapshot_seq: u64,
    ) -> Plan {
        let mut plan = Plan {
            terms: Vec::new(),
            id_hashes: Vec::new(),
            read_only: None,
            category_mask: 0,
            start_ms: query.start_time.map_or(i64::MIN, |time| time.as_millis()),
            end_ms: query.end_time.map_or(i64::MAX, |time| time.as_millis()),
            cutoff_arrival_ms,
            snapshot_seq,
            cursor: None,
            satisfiable: true,
        };
        let allowed: Vec<EventCategory> = if query.insight {
            vec![EventCategory::Insight]
        } else {
            categories
                .iter()
                .copied()
                .filter(|category| *category != EventCategory::Insight)
                .collect()
        };
        for category in &allowed {
            plan.category_mask |= 1 << category.code();
        }
        if let [only] = allowed.as_slice() {
            plan.terms.push(category_term(*only));
        }
        // Every driver (all docs, shortest list, event ID hashes) checks every term, so
        // this one keeps other accounts' events out of every kind of lookup.
        if let Some(account) = &query.account {
            plan.terms.push(term(ACCOUNT_KIND, account));
        }
        for attribute in &query.attributes {
            match attribute.key {
                AttributeKey::EventId => plan.id_hashes.push(id_hash(&attribute.value)),
                AttributeKey::ReadOnly => {
                    let wanted = match attribute.value.as_str() {
                        "true" => Some(READ_ONLY_TRUE),
                        "false" => Some(READ_ONLY_FALSE),
                        _ => None,
                    };
                    match (wanted, plan.read_only) {
                        (Some(wanted), None) => plan.read_only = Some(wanted),
                        (Some(wanted), Some(previous)) if wanted == previous => {}
                        _ => plan.satisfiable = false,
                    }
                }
                key => plan.terms.push(term(attribute_kind(key), &attribute.value)),
            }
        }
        plan.id_hashes.sort_unstable();
        plan.id_hashes.dedup();
        if plan.id_hashes.len() > 1 || allowed.is_empty() {
            plan.satisfiable = false;
        }
        plan
    }
}

/// A doc that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub time_ms: i64,
    pub seq: u64,
    pub location: u64,
}

impl Ord for Hit {
    /// Newest first: the greatest hit is the one to return first.
    fn cmp(&self, other: &Hit) -> Ordering {
        (self.time_ms, self.seq).cmp(&(other.time_ms, other.seq))
    }
}

impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Hit) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Where candidate ordinals come from.
enum Driver<'a> {
    /// Every ordinal in range.
    All { next: usize },
    /// The shortest posting list.
    List {
        postings: Postings<'a>,
        index: usize,
    },
    /// Ordinals whose event ID hash matches.
    Ids { ordinals: Vec<u32>, index: usize },
}

/// Matching docs of one segment, in newest-first order.
struct SegmentSearch<'a> {
    segment: &'a SegmentReader,
    plan: &'a Plan,
    driver: Driver<'a>,
    others: Vec<Postings<'a>>,
    end: usize,
}

impl<'a> SegmentSearch<'a> {
    fn new(segment: &'a SegmentReader, plan: &'a Plan) -> Option<SegmentSearch<'a>> {
        if segment.len() == 0
            || segment.max_time < plan.start_ms
            || segment.min_time > plan.end_ms
            || segment.max_arrival < plan.cutoff_arrival_ms
            || segment.first_seq > plan.snapshot_seq
        {
            return None;
        }
        let mut lists = Vec::with_capacity(plan.terms.len());
        for key in &plan.terms {
            lists.push(segment.postings(key)?);
        }
        let mut start = segment.first_at_or_before(plan.end_ms);
        if let Some((time, seq)) = plan.cursor {
            start = start.max(segment.first_after(time, seq));
        }
        let end = segment.first_before(plan.start_ms);
        if start >= end {
            return None;
        }
        let start_ordinal = u32::try_from(start).ok()?;
        let driver = if let Some(&hash) = plan.id_hashes.first() {
            let ordinals: Vec<u32> = segment
                .ordinals_with_id_hash(hash)
                .into_iter()
                .filter(|ordinal| *ordinal >= start_ordinal)
                .collect();
            Driver::Ids { ordinals, index: 0 }
        } else if lists.is_empty() {
            Driver::All { next: start }
        } else {
            let shortest = (0..lists.len()).min_by_key(|index| lists[*index].len())?;
            let postings = lists.swap_remove(shortest);
            let index = postings.lower_bound(start_ordinal);
            Driver::List { postings, index }
        };
        Some(SegmentSearch {
            segment,
            plan,
            driver,
            others: lists,
            end,
        })
    }

    fn next_candidate(&mut self) -> Option<usize> {
        let ordinal = match &mut self.driver {
            Driver::All { next } => {
                let ordinal = *next;
                *next += 1;
                ordinal
            }
            Driver::List { postings, index } => {
                if *index >= postings.len() {
                    return None;
                }
                let ordinal = postings.get(*index) as usize;
                *index += 1;
                ordinal
            }
            Driver::Ids { ordinals, index } => {
                let ordinal = *ordinals.get(*index)? as usize;
                *index += 1;
                ordinal
            }
        };
        (ordinal < self.end).then_some(ordinal)
    }

    fn next_hit(&mut self) -> Option<Hit> {
        while let Some(ordinal) = self.next_candidate() {
            let flags = self.segment.flags(ordinal);
            if self.plan.category_mask & (1 << flags_category(flags)) == 0 {
                continue;
            }
            if self
                .plan
                .read_only
                .is_some_and(|wanted| flags_read_only(flags) != wanted)
            {
                continue;
            }
            let seq = self.segment.seq(ordinal);
            if seq > self.plan.snapshot_seq
                || self.segment.arrival(ordinal) < self.plan.cutoff_arrival_ms
            {
                continue;
            }
            let ordinal_u32 = u32::try_from(ordinal).unwrap_or(u32::MAX);
            if !self
                .others
                .iter()
                .all(|postings| postings.contains(ordinal_u32))
            {
                continue;
            }
            return Some(Hit {
                time_ms: self.segment.time(ordinal),
                seq,
                location: self.segment.location(ordinal),
            });
        }
        None
    }
}

/// The first `limit` hits over all `segments`, newest first.
pub(crate) fn search(segments: &[&SegmentReader], plan: &Plan, limit: usize) -> Vec<Hit> {
    if !plan.satisfiable || limit == 0 {
        return Vec::new();
    }
    let mut searches: Vec<SegmentSearch<'_>> = segments
        .iter()
        .filter_map(|segment| SegmentSearch::new(segment, plan))
        .collect();
    let mut heap = BinaryHeap::with_capacity(searches.len());
    for (index, search) in searches.iter_mut().enumerate() {
        if let Some(hit) = search.next_hit() {
            heap.push((hit, std::cmp::Reverse(index)));
        }
    }
    let mut hits = Vec::with_capacity(limit);
    while let Some((hit, std::cmp::Reverse(index))) = heap.pop() {
        hits.push(hit);
        if hits.len() == limit {
            break;
        }
        if let Some(next) = searches[index].next_hit() {
            heap.push((next, std::cmp::Reverse(index)));
        }
    }
    hits
}
