//! The conditions of every rule on one path, indexed so that one event value finds the
//! conditions it satisfies without trying them all: hash maps for exact values, addresses
//! and case-folded values, radix trees for prefixes and suffixes, wildcards filed by their
//! literal end or start, `anything-but` filed by what it excludes
//! ([`crate::exclusions`]). Only `numeric`, `cidr` and `anything-but` with wildcards are
//! listed once per distinct condition and tried in turn.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::affix::{AffixTree, Anchor};
use crate::exclusions::{Exclusions, ExclusionsBuilder};
use crate::ip::IpAddress;
use crate::operators::{Condition, Derived, LeafValue, number_key};
use crate::wildcard::Wildcard;

/// Where a satisfied condition counts: slot `slot` of sub-pattern `sub`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SlotRef {
    pub(crate) sub: u32,
    pub(crate) slot: u16,
}

/// The slots of one condition, a range of the matcher's slot store
/// ([`crate::compile::Compiled::slots`]): anchor slots in `start..split`, the others in
/// `split..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SlotRange {
    pub(crate) start: u32,
    pub(crate) split: u32,
    pub(crate) end: u32,
}

/// The slots of one condition while the index is built, with whether each is its
/// sub-pattern's anchor.
type SlotList = Vec<(SlotRef, bool)>;

/// Appends `slots` to `store`, anchors first, and returns where they are.
fn freeze(mut slots: SlotList, store: &mut Vec<SlotRef>) -> SlotRange {
    // Anchors (`true`) first, then by slot; duplicates (one slot listing the same condition
    // twice) once.
    slots.sort_unstable_by_key(|&(slot, anchor)| (!anchor, slot));
    slots.dedup();
    let start = store.len();
    let anchors = slots.iter().filter(|(_, anchor)| *anchor).count();
    store.extend(slots.into_iter().map(|(slot, _)| slot));
    SlotRange {
        start: start as u32,
        split: (start + anchors) as u32,
        end: store.len() as u32,
    }
}

fn freeze_map<K: std::hash::Hash + Eq>(
    map: FxHashMap<K, SlotList>,
    store: &mut Vec<SlotRef>,
) -> FxHashMap<K, SlotRange> {
    map.into_iter()
        .map(|(key, slots)| (key, freeze(slots, store)))
        .collect()
}

fn affixes(
    anchor: Anchor,
    entries: FxHashMap<Box<str>, SlotList>,
    store: &mut Vec<SlotRef>,
) -> AffixTree<SlotRange> {
    AffixTree::new(
        anchor,
        entries
            .into_iter()
            .map(|(text, slots)| (text.into_boxed_bytes(), freeze(slots, store))),
    )
}

/// The `wildcard` conditions of a path. Each is filed under the literal text it must end
/// with (or, when it ends with a star, begin with), so that a value only runs the
/// wildcards whose literal end (or start) it has.
#[derive(Debug, Clone)]
struct Wildcards {
    entries: Box<[(Arc<Wildcard>, SlotRange)]>,
    by_tail: AffixTree<Box<[u32]>>,
    by_head: AffixTree<Box<[u32]>>,
    /// Wildcards that both start and end with a star.
    unfiled: Box<[u32]>,
}

impl Wildcards {
    fn new(wildcards: Vec<(Arc<Wildcard>, SlotList)>, store: &mut Vec<SlotRef>) -> Wildcards {
        let mut entries = Vec::with_capacity(wildcards.len());
        let mut tails: FxHashMap<Box<[u8]>, Vec<u32>> = FxHashMap::default();
        let mut heads: FxHashMap<Box<[u8]>, Vec<u32>> = FxHashMap::default();
        let mut unfiled = Vec::new();
        for (number, (wildcard, slots)) in wildcards.into_iter().enumerate() {
            let number = number as u32;
            let (head, tail) = (wildcard.literal_head(), wildcard.literal_tail());
            if !tail.is_empty() {
                tails
                    .entry(tail.as_bytes().into())
                    .or_default()
                    .push(number);
            } else if !head.is_empty() {
                heads
                    .entry(head.as_bytes().into())
                    .or_default()
                    .push(number);
            } else {
                unfiled.push(number);
            }
            entries.push((wildcard, freeze(slots, store)));
        }
        let tree = |anchor, map: FxHashMap<Box<[u8]>, Vec<u32>>| {
            AffixTree::new(
                anchor,
                map.into_iter()
                    .map(|(text, numbers)| (text, numbers.into_boxed_slice())),
            )
        };
        Wildcards {
            entries: entries.into_boxed_slice(),
            by_tail: tree(Anchor::End, tails),
            by_head: tree(Anchor::Start, heads),
            unfiled: unfiled.into_boxed_slice(),
        }
    }

    fn for_each_hit(&self, text: &str, hit: &mut impl FnMut(SlotRange)) {
        if self.entries.is_empty() {
            return;
        }
        let mut check = |numbers: &[u32]| {
            for &number in numbers {
                let (wildcard, slots) = &self.entries[number as usize];
                if wildcard.matches(text) {
                    each(*slots, hit);
                }
            }
        };
        self.by_tail
            .for_each_match(text.as_bytes(), |numbers| check(numbers));
        self.by_head
            .for_each_match(text.as_bytes(), |numbers| check(numbers));
        check(&self.unfiled);
    }
}

/// Collects the conditions of one path while the matcher is built.
#[derive(Debug, Default)]
pub(crate) struct PathIndexBuilder {
    strings: FxHashMap<Box<str>, SlotList>,
    numbers: FxHashMap<u64, SlotList>,
    number_texts: FxHashMap<Box<str>, SlotList>,
    trues: SlotList,
    falses: SlotList,
    nulls: SlotList,
    addresses: FxHashMap<IpAddress, SlotList>,
    prefixes: FxHashMap<Box<str>, SlotList>,
    suffixes: FxHashMap<Box<str>, SlotList>,
    folded_prefixes: FxHashMap<Box<str>, SlotList>,
    folded_suffixes: FxHashMap<Box<str>, SlotList>,
    folded: FxHashMap<Box<str>, SlotList>,
    wildcards: Vec<(Arc<Wildcard>, SlotList)>,
    wildcard_positions: FxHashMap<Arc<Wildcard>, usize>,
    /// `anything-but`, `numeric` and `cidr` conditions, each once.
    others: Vec<(Condition, SlotList)>,
    /// Position in `others` of each distinct condition, by its debug form (which spells
    /// floats exactly).
    other_positions: FxHashMap<String, usize>,
    exists: SlotList,
}

impl PathIndexBuilder {
    /// Adds `condition` for `slot` (its sub-pattern's anchor if `anchor`). `exists: false`
    /// is not indexed: the matcher checks absence itself.
    pub(crate) fn add(&mut self, condition: &Condition, slot: SlotRef, anchor: bool) {
        let slot = (slot, anchor);
        match condition {
            Condition::Exact(text) => self.strings.entry(text.clone()).or_default().push(slot),
            Condition::Number {
                value: Some(value), ..
            } => self
                .numbers
                .entry(number_key(*value))
                .or_default()
                .push(slot),
            Condition::Number { text, value: None } => {
                self.number_texts
                    .entry(text.clone())
                    .or_default()
                    .push(slot);
            }
            Condition::Bool(true) => self.trues.push(slot),
            Condition::Bool(false) => self.falses.push(slot),
            Condition::Null => self.nulls.push(slot),
            Condition::Ip(address) => self.addresses.entry(*address).or_default().push(slot),
            Condition::Prefix(text) => self.prefixes.entry(text.clone()).or_default().push(slot),
            Condition::Suffix(text) => self.suffixes.entry(text.clone()).or_default().push(slot),
            Condition::PrefixIgnoreCase(text) => {
                self.folded_prefixes
                    .entry(text.clone())
                    .or_default()
                    .push(slot);
            }
            Condition::SuffixIgnoreCase(text) => {
                self.folded_suffixes
                    .entry(text.clone())
                    .or_default()
                    .push(slot);
            }
            Condition::EqualsIgnoreCase(text) => {
                self.folded.entry(text.clone()).or_default().push(slot);
            }
            Condition::Exists(true) => self.exists.push(slot),
            Condition::Exists(false) => {}
            Condition::Wildcard(wildcard) => {
                let position = *self
                    .wildcard_positions
                    .entry(Arc::clone(wildcard))
                    .or_insert_with(|| {
                        self.wildcards.push((Arc::clone(wildcard), Vec::new()));
                        self.wildcards.len() - 1
                    });
                self.wildcards[position].1.push(slot);
            }
            Condition::AnythingBut(_) | Condition::Numeric(_) | Condition::Cidr(_) => {
                let key = format!("{condition:?}");
                let position = *self.other_positions.entry(key).or_insert_with(|| {
                    self.others.push((condition.clone(), Vec::new()));
                    self.others.len() - 1
                });
                self.others[position].1.push(slot);
            }
        }
    }

    /// Freezes the index, appending its slot lists to `store`.
    pub(crate) fn build(self, store: &mut Vec<SlotRef>) -> PathIndex {
        let needs_fold = !self.folded.is_empty()
            || !self.folded_prefixes.is_empty()
            || !self.folded_suffixes.is_empty();
        let mut exclusions = ExclusionsBuilder::default();
        let mut listed = Vec::new();
        for (condition, slots) in self.others {
            let slots = freeze(slots, store);
            let filed = match &condition {
                Condition::AnythingBut(anything_but) => exclusions.add(anything_but, slots),
                _ => false,
            };
            if !filed {
                listed.push((condition, slots));
            }
        }
        PathIndex {
            strings: freeze_map(self.strings, store),
            numbers: freeze_map(self.numbers, store),
            number_texts: freeze_map(self.number_texts, store),
            trues: freeze(self.trues, store),
            falses: freeze(self.falses, store),
            nulls: freeze(self.nulls, store),
            addresses: freeze_map(self.addresses, store),
            prefixes: affixes(Anchor::Start, self.prefixes, store),
            suffixes: affixes(Anchor::End, self.suffixes, store),
            folded_prefixes: affixes(Anchor::Start, self.folded_prefixes, store),
            folded_suffixes: affixes(Anchor::End, self.folded_suffixes, store),
            folded: freeze_map(self.folded, store),
            needs_fold,
            wildcards: Wildcards::new(self.wildcards, store),
            exclusions: exclusions.build(),
            listed: listed.into_boxed_slice(),
            exists: freeze(self.exists, store),
        }
    }
}

/// The indexed conditions of one path.
#[derive(Debug, Clone)]
pub(crate) struct PathIndex {
    strings: FxHashMap<Box<str>, SlotRange>,
    numbers: FxHashMap<u64, SlotRange>,
    number_texts: FxHashMap<Box<str>, SlotRange>,
    trues: SlotRange,
    falses: SlotRange,
    nulls: SlotRange,
    addresses: FxHashMap<IpAddress, SlotRange>,
    prefixes: AffixTree<SlotRange>,
    suffixes: AffixTree<SlotRange>,
    folded_prefixes: AffixTree<SlotRange>,
    folded_suffixes: AffixTree<SlotRange>,
    folded: FxHashMap<Box<str>, SlotRange>,
    needs_fold: bool,
    wildcards: Wildcards,
    exclusions: Exclusions,
    /// `numeric`, `cidr` and `anything-but` with wildcards.
    listed: Box<[(Condition, SlotRange)]>,
    exists: SlotRange,
}

#[inline]
fn each(slots: SlotRange, hit: &mut impl FnMut(SlotRange)) {
    if slots.start != slots.end {
        hit(slots);
    }
}

impl PathIndex {
    /// Calls `hit` with the slots of every condition `value` satisfies (a slot may come
    /// more than once). `derived` must belong to `value`.
    pub(crate) fn for_each_hit(
        &self,
        value: LeafValue<'_>,
        derived: &mut Derived<'_>,
        hit: &mut impl FnMut(SlotRange),
    ) {
        match value {
            LeafValue::String(text) => {
                let bytes = text.as_bytes();
                if let Some(&slots) = self.strings.get(text) {
                    each(slots, hit);
                }
                if !self.addresses.is_empty()
                    && let Some(address) = derived.ip(text)
                    && let Some(&slots) = self.addresses.get(&address)
                {
                    each(slots, hit);
                }
                if !self.prefixes.is_empty() {
                    self.prefixes
                        .for_each_match(bytes, |&slots| each(slots, hit));
                }
                if !self.suffixes.is_empty() {
                    self.suffixes
                        .for_each_match(bytes, |&slots| each(slots, hit));
                }
                if self.needs_fold {
                    let folded = derived.folded(text);
                    if let Some(&slots) = self.folded.get(folded) {
                        each(slots, hit);
                    }
                    let folded = folded.as_bytes();
                    self.folded_prefixes
                        .for_each_match(folded, |&slots| each(slots, hit));
                    self.folded_suffixes
                        .for_each_match(folded, |&slots| each(slots, hit));
                }
                self.wildcards.for_each_hit(text, hit);
            }
            LeafValue::Number { text, value } => {
                let slots = match value {
                    Some(value) => self.numbers.get(&number_key(value)),
                    None => self.number_texts.get(text),
                };
                if let Some(&slots) = slots {
                    each(slots, hit);
                }
            }
            LeafValue::Bool(true) => each(self.trues, hit),
            LeafValue::Bool(false) => each(self.falses, hit),
            LeafValue::Null => each(self.nulls, hit),
        }
        if !self.exclusions.is_empty() {
            self.exclusions.for_each_hit(value, derived, hit);
        }
        for &(ref condition, slots) in self.listed.iter() {
            if condition.matches(value, derived) {
                each(slots, hit);
            }
        }
        each(self.exists, hit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::finite_number;

    fn slot(sub: u32) -> SlotRef {
        SlotRef { sub, slot: 0 }
    }

    /// The subs whose conditions `value` satisfies, through the index.
    fn hits(index: &PathIndex, store: &[SlotRef], value: LeafValue<'_>) -> Vec<u32> {
        let mut buffer = String::new();
        let mut found = Vec::new();
        index.for_each_hit(value, &mut Derived::new(&mut buffer), &mut |range| {
            for entry in &store[range.start as usize..range.end as usize] {
                found.push(entry.sub);
            }
        });
        found.sort_unstable();
        found
    }

    #[test]
    fn index_finds_exactly_the_conditions_a_value_satisfies() {
        let conditions = [
            Condition::Exact("GetObject".into()),
            Condition::Prefix("Get".into()),
            Condition::Prefix("".into()),
            Condition::Suffix("Object".into()),
            Condition::EqualsIgnoreCase("getobject".into()),
            Condition::Wildcard(Arc::new(Wildcard::parse("G*Obj*ct").unwrap())),
            Condition::Wildcard(Arc::new(Wildcard::parse("Get*").unwrap())),
            Condition::Wildcard(Arc::new(Wildcard::parse("*tObj*").unwrap())),
            Condition::Wildcard(Arc::new(Wildcard::parse("Put*").unwrap())),
            Condition::Exists(true),
            Condition::Number {
                text: "5".into(),
                value: Some(5.0),
            },
        ];
        let mut builder = PathIndexBuilder::default();
        for (sub, condition) in conditions.iter().enumerate() {
            builder.add(condition, slot(sub as u32), sub % 2 == 0);
        }
        let mut store = Vec::new();
        let index = builder.build(&mut store);
        assert_eq!(
            hits(&index, &store, LeafValue::String("GetObject")),
            [0, 1, 2, 3, 4, 5, 6, 7, 9]
        );
        assert_eq!(hits(&index, &store, LeafValue::String("")), [2, 9]);
        let five = LeafValue::Number {
            text: "5.0",
            value: finite_number("5.0"),
        };
        assert_eq!(hits(&index, &store, five), [9, 10]);
    }

    #[test]
    fn slot_ranges_put_anchors_first() {
        let mut builder = PathIndexBuilder::default();
        let condition = Condition::Exact("x".into());
        builder.add(&condition, slot(3), false);
        builder.add(&condition, slot(1), true);
        builder.add(&condition, slot(2), false);
        builder.add(&condition, slot(2), false);
        let mut store = Vec::new();
        builder.build(&mut store);
        let subs: Vec<u32> = store.iter().map(|entry| entry.sub).collect();
        assert_eq!(subs, [1, 2, 3]);
    }
}
