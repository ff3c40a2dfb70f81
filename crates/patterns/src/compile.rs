//! Compiling many patterns into one shared matching structure.
//!
//! Every pattern is expanded into its `$or` alternatives ("sub-patterns"); each path a
//! sub-pattern names is one of its slots. All paths of all patterns go into one trie (so
//! the event walk only descends where some rule looks) and every condition is indexed
//! under its path, pointing back at its slot.
//!
//! Each sub-pattern also gets an anchor: the slot that needs a value and whose conditions
//! look rarest (by operator, then by how many slots share the same condition, since a value
//! many rules test for is likely common in events). The matcher counts other slots only
//! for sub-patterns whose anchor was satisfied, so a condition shared by hundreds of rules
//! (`"detail-type": ["AWS API Call via CloudTrail"]`) costs a scan, not hundreds of
//! updates, on every event.

use rustc_hash::FxHashMap;

use crate::index::{PathIndex, PathIndexBuilder, SlotRef};
use crate::operators::Condition;
use crate::parse::Alternative;
use crate::pattern::Pattern;
use crate::walk::PathTrie;

/// One sub-pattern: an alternative of one pattern.
#[derive(Debug, Clone)]
pub(crate) struct SubInfo {
    /// The pattern it belongs to (its rank in key order).
    pub(crate) pattern: u32,
    /// Slots (paths) it names.
    pub(crate) slot_count: u16,
    /// The slots that must be satisfied by a value: slots 0–63 here, the rest in
    /// [`Compiled::required_extra`] from `extra_start`.
    pub(crate) required: u64,
    pub(crate) extra_start: u32,
    pub(crate) extra_count: u32,
    /// Slots that `exists: false` lets be satisfied by absence, with their paths.
    pub(crate) absent: Box<[(u16, u32)]>,
}

impl SubInfo {
    pub(crate) fn extra_words(&self) -> std::ops::Range<usize> {
        let start = self.extra_start as usize;
        start..start + self.extra_count as usize
    }

    pub(crate) fn admits_absence(&self, slot: u16) -> Option<u32> {
        self.absent
            .iter()
            .find(|(absent_slot, _)| *absent_slot == slot)
            .map(|(_, path)| *path)
    }
}

/// The compiled form of a set of patterns, independent of the caller's key type.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) trie: PathTrie,
    /// By path id.
    pub(crate) indexes: Box<[PathIndex]>,
    /// Every slot list of every index, back to back ([`crate::index::SlotRange`]).
    pub(crate) slots: Box<[SlotRef]>,
    pub(crate) subs: Box<[SubInfo]>,
    /// Required-slot words of sub-patterns with more than 64 slots.
    pub(crate) required_extra: Box<[u64]>,
    /// Sub-patterns whose every slot may be satisfied by absence: they can match an event
    /// in which no condition fires, so they are checked on every event.
    pub(crate) always: Box<[u32]>,
    pub(crate) pattern_count: usize,
}

/// How unlikely a condition is to hold for a random value: lower is rarer.
fn rarity_rank(condition: &Condition) -> u8 {
    match condition {
        Condition::Exact(_)
        | Condition::Number { .. }
        | Condition::Ip(_)
        | Condition::EqualsIgnoreCase(_) => 0,
        Condition::Prefix(text)
        | Condition::Suffix(text)
        | Condition::PrefixIgnoreCase(text)
        | Condition::SuffixIgnoreCase(text) => {
            if text.len() >= 3 {
                1
            } else {
                3
            }
        }
        Condition::Wildcard(_) | Condition::Numeric(_) | Condition::Cidr(_) => 2,
        Condition::Bool(_) | Condition::Null => 3,
        Condition::Exists(_) | Condition::AnythingBut(_) => 4,
    }
}

/// A key naming one condition at one path, to count how many slots share it.
fn condition_key(path: &str, condition: &Condition) -> String {
    format!("{path}\u{0}{condition:?}")
}

/// The slot of `alternative` to anchor on: a slot needing a value, rarest first.
fn choose_anchor(alternative: &Alternative, sharing: &FxHashMap<String, usize>) -> Option<usize> {
    let mut best: Option<((u8, usize), usize)> = None;
    for (slot, (path, conditions)) in alternative.fields.iter().enumerate() {
        if conditions.contains(&Condition::Exists(false)) {
            continue;
        }
        let rank = conditions.iter().map(rarity_rank).max().unwrap_or(4);
        let shared: usize = conditions
            .iter()
            .map(|condition| {
                sharing
                    .get(&condition_key(path, condition))
                    .copied()
                    .unwrap_or(0)
            })
            .sum();
        let cost = (rank, shared);
        if best.is_none_or(|(best_cost, _)| cost < best_cost) {
            best = Some((cost, slot));
        }
    }
    best.map(|(_, slot)| slot)
}

impl Compiled {
    /// Compiles `patterns`; the position of a pattern in the slice is its number.
    pub(crate) fn new(patterns: &[&Pattern]) -> Compiled {
        let mut sharing: FxHashMap<String, usize> = FxHashMap::default();
        for pattern in patterns {
            for alternative in pattern.alternative_list() {
                for (path, conditions) in &alternative.fields {
                    for condition in conditions.iter() {
                        *sharing.entry(condition_key(path, condition)).or_default() += 1;
                    }
                }
            }
        }
        let mut trie = PathTrie::new();
        let mut builders: Vec<PathIndexBuilder> = Vec::new();
        let mut subs = Vec::new();
        let mut required_extra: Vec<u64> = Vec::new();
        let mut always = Vec::new();
        for (pattern_number, pattern) in patterns.iter().enumerate() {
            for alternative in pattern.alternative_list() {
                let sub = subs.len() as u32;
                let slot_count = alternative.fields.len();
                let anchor = choose_anchor(alternative, &sharing);
                let extra_start = required_extra.len();
                let extra_count = slot_count.saturating_sub(1) / 64;
                required_extra.resize(extra_start + extra_count, 0);
                let mut required = 0u64;
                let mut absent = Vec::new();
                for (slot, (path, conditions)) in alternative.fields.iter().enumerate() {
                    let path_id = trie.intern(path);
                    if builders.len() <= path_id as usize {
                        builders.resize_with(path_id as usize + 1, PathIndexBuilder::default);
                    }
                    let slot_ref = SlotRef {
                        sub,
                        slot: slot as u16,
                    };
                    for condition in conditions.iter() {
                        builders[path_id as usize].add(condition, slot_ref, anchor == Some(slot));
                    }
                    if conditions.contains(&Condition::Exists(false)) {
                        absent.push((slot as u16, path_id));
                    } else if slot < 64 {
                        required |= 1 << slot;
                    } else {
                        required_extra[extra_start + slot / 64 - 1] |= 1 << (slot % 64);
                    }
                }
                if anchor.is_none() {
                    always.push(sub);
                }
                subs.push(SubInfo {
                    pattern: pattern_number as u32,
                    slot_count: slot_count as u16,
                    required,
                    extra_start: extra_start as u32,
                    extra_count: extra_count as u32,
                    absent: absent.into_boxed_slice(),
                });
            }
        }
        builders.resize_with(trie.path_count(), PathIndexBuilder::default);
        let mut slots = Vec::new();
        let indexes = builders
            .into_iter()
            .map(|builder| builder.build(&mut slots))
            .collect();
        Compiled {
            trie,
            indexes,
            slots: slots.into_boxed_slice(),
            subs: subs.into_boxed_slice(),
            required_extra: required_extra.into_boxed_slice(),
            always: always.into_boxed_slice(),
            pattern_count: patterns.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_prefer_rare_unshared_conditions_that_need_a_value() {
        let common = Pattern::parse(r#"{"t": ["common"], "n": ["rare"]}"#).unwrap();
        let other = Pattern::parse(r#"{"t": ["common"], "n": ["other"]}"#).unwrap();
        let mut sharing = FxHashMap::default();
        for pattern in [&common, &other] {
            for alternative in pattern.alternative_list() {
                for (path, conditions) in &alternative.fields {
                    for condition in conditions.iter() {
                        *sharing.entry(condition_key(path, condition)).or_default() += 1;
                    }
                }
            }
        }
        // Slots are in path order: "n" (slot 0) is unshared, "t" (slot 1) shared.
        assert_eq!(
            choose_anchor(&common.alternative_list()[0], &sharing),
            Some(0)
        );
        let absent =
            Pattern::parse(r#"{"a": [{"exists": false}], "b": [{"anything-but": "x"}]}"#).unwrap();
        assert_eq!(
            choose_anchor(&absent.alternative_list()[0], &sharing),
            Some(1)
        );
        let only_absent = Pattern::parse(r#"{"a": [{"exists": false}]}"#).unwrap();
        assert_eq!(
            choose_anchor(&only_absent.alternative_list()[0], &sharing),
            None
        );
    }
}
