//! The `anything-but` conditions of one path, indexed by what they exclude.
//!
//! An `anything-but` holds for nearly every value, so trying each one on each value costs
//! as many comparisons as there are rules using it. Instead, every condition is filed
//! under the strings (or numbers) it excludes: a value looks up the few conditions that
//! exclude it and fires all the others.

use rustc_hash::FxHashMap;

use crate::affix::{AffixTree, Anchor};
use crate::index::SlotRange;
use crate::operators::{AnythingBut, Derived, LeafValue, number_key};

/// The conditions excluding each key.
type Excluders = FxHashMap<Box<str>, Vec<u32>>;

/// Collects the `anything-but` conditions of a path (all kinds but `wildcard`).
#[derive(Debug, Default)]
pub(crate) struct ExclusionsBuilder {
    /// Conditions excluding strings, and those excluding numbers; by number.
    string_conditions: Vec<SlotRange>,
    number_conditions: Vec<SlotRange>,
    exact: Excluders,
    prefixes: Excluders,
    suffixes: Excluders,
    folded: Excluders,
    numbers: FxHashMap<u64, Vec<u32>>,
}

impl ExclusionsBuilder {
    /// Files `anything_but` (whose slots are `slots`); returns false for the kind this
    /// index does not take (`wildcard`).
    pub(crate) fn add(&mut self, anything_but: &AnythingBut, slots: SlotRange) -> bool {
        let number = self.string_conditions.len() as u32;
        let (texts, filed): (&[Box<str>], &mut Excluders) = match anything_but {
            AnythingBut::Strings(texts) => (texts, &mut self.exact),
            AnythingBut::Prefixes(texts) => (texts, &mut self.prefixes),
            AnythingBut::Suffixes(texts) => (texts, &mut self.suffixes),
            AnythingBut::EqualsIgnoreCase(texts) => (texts, &mut self.folded),
            AnythingBut::Numbers(values) => {
                let number = self.number_conditions.len() as u32;
                self.number_conditions.push(slots);
                for value in values.iter() {
                    self.numbers
                        .entry(number_key(*value))
                        .or_default()
                        .push(number);
                }
                return true;
            }
            AnythingBut::Wildcards(_) => return false,
        };
        for text in texts {
            filed.entry(text.clone()).or_default().push(number);
        }
        self.string_conditions.push(slots);
        true
    }

    pub(crate) fn build(self) -> Exclusions {
        let boxed = |map: Excluders| -> FxHashMap<Box<str>, Box<[u32]>> {
            map.into_iter()
                .map(|(text, numbers)| (text, numbers.into_boxed_slice()))
                .collect()
        };
        let tree = |anchor, map: Excluders| {
            AffixTree::new(
                anchor,
                map.into_iter()
                    .map(|(text, numbers)| (text.into_boxed_bytes(), numbers.into_boxed_slice())),
            )
        };
        Exclusions {
            string_conditions: self.string_conditions.into_boxed_slice(),
            number_conditions: self.number_conditions.into_boxed_slice(),
            exact: boxed(self.exact),
            prefixes: tree(Anchor::Start, self.prefixes),
            suffixes: tree(Anchor::End, self.suffixes),
            needs_fold: !self.folded.is_empty(),
            folded: boxed(self.folded),
            numbers: self
                .numbers
                .into_iter()
                .map(|(key, numbers)| (key, numbers.into_boxed_slice()))
                .collect(),
        }
    }
}

/// The indexed `anything-but` conditions of one path.
#[derive(Debug, Clone)]
pub(crate) struct Exclusions {
    string_conditions: Box<[SlotRange]>,
    number_conditions: Box<[SlotRange]>,
    exact: FxHashMap<Box<str>, Box<[u32]>>,
    prefixes: AffixTree<Box<[u32]>>,
    suffixes: AffixTree<Box<[u32]>>,
    folded: FxHashMap<Box<str>, Box<[u32]>>,
    needs_fold: bool,
    numbers: FxHashMap<u64, Box<[u32]>>,
}

/// Fires every condition of `conditions` but those numbered in `excluded`.
fn fire_all_but(conditions: &[SlotRange], excluded: &mut [u32], hit: &mut impl FnMut(SlotRange)) {
    excluded.sort_unstable();
    let mut skip = excluded.iter().peekable();
    for (number, &slots) in conditions.iter().enumerate() {
        if skip.next_if(|&&next| next as usize == number).is_some() {
            while skip.next_if(|&&next| next as usize == number).is_some() {}
            continue;
        }
        hit(slots);
    }
}

impl Exclusions {
    /// Calls `hit` with the slots of every condition `value` satisfies.
    pub(crate) fn for_each_hit(
        &self,
        value: LeafValue<'_>,
        derived: &mut Derived<'_>,
        hit: &mut impl FnMut(SlotRange),
    ) {
        // Usually empty: a value is rarely among the excluded ones, and then this does not
        // allocate.
        let mut excluded: Vec<u32> = Vec::new();
        match value {
            LeafValue::String(text) => {
                if !self.string_conditions.is_empty() {
                    if let Some(numbers) = self.exact.get(text) {
                        excluded.extend_from_slice(numbers);
                    }
                    let bytes = text.as_bytes();
                    self.prefixes
                        .for_each_match(bytes, |numbers| excluded.extend_from_slice(numbers));
                    self.suffixes
                        .for_each_match(bytes, |numbers| excluded.extend_from_slice(numbers));
                    if self.needs_fold
                        && let Some(numbers) = self.folded.get(derived.folded(text))
                    {
                        excluded.extend_from_slice(numbers);
                    }
                    fire_all_but(&self.string_conditions, &mut excluded, hit);
                }
                self.number_conditions.iter().copied().for_each(&mut *hit);
            }
            LeafValue::Number { value, .. } => {
                self.string_conditions.iter().copied().for_each(&mut *hit);
                if let Some(numbers) = value.and_then(|value| self.numbers.get(&number_key(value)))
                {
                    excluded.extend_from_slice(numbers);
                }
                fire_all_but(&self.number_conditions, &mut excluded, hit);
            }
            LeafValue::Bool(_) | LeafValue::Null => {
                self.string_conditions.iter().copied().for_each(&mut *hit);
                self.number_conditions.iter().copied().for_each(&mut *hit);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.string_conditions.is_empty() && self.number_conditions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(number: u32) -> SlotRange {
        SlotRange {
            start: number,
            split: number,
            end: number + 1,
        }
    }

    fn fired(exclusions: &Exclusions, value: LeafValue<'_>) -> Vec<u32> {
        let mut buffer = String::new();
        let mut out = Vec::new();
        exclusions.for_each_hit(value, &mut Derived::new(&mut buffer), &mut |slots| {
            out.push(slots.start);
        });
        out.sort_unstable();
        out
    }

    #[test]
    fn a_value_fires_every_condition_but_those_excluding_it() {
        let strings = |texts: &[&str]| texts.iter().map(|&text| text.into()).collect();
        let conditions = [
            AnythingBut::Strings(strings(&["Stop", "Start"])),
            AnythingBut::Prefixes(strings(&["St", "Sto"])),
            AnythingBut::Suffixes(strings(&["op"])),
            AnythingBut::EqualsIgnoreCase(strings(&["stop"])),
            AnythingBut::Strings(strings(&["Run"])),
            AnythingBut::Numbers(vec![1.0, 2.0].into_boxed_slice()),
        ];
        let mut builder = ExclusionsBuilder::default();
        for (number, condition) in conditions.iter().enumerate() {
            assert!(builder.add(condition, range(number as u32)));
        }
        let wildcard = AnythingBut::Wildcards(Box::new([]));
        assert!(!builder.add(&wildcard, range(9)));
        let exclusions = builder.build();
        assert_eq!(fired(&exclusions, LeafValue::String("Stop")), [4, 5]);
        assert_eq!(fired(&exclusions, LeafValue::String("Start")), [2, 3, 4, 5]);
        assert_eq!(
            fired(&exclusions, LeafValue::String("Run")),
            [0, 1, 2, 3, 5]
        );
        // Only the ignore-case exclusion folds: "op" does not end "STOP".
        assert_eq!(
            fired(&exclusions, LeafValue::String("STOP")),
            [0, 1, 2, 4, 5]
        );
        let number = |value: f64| LeafValue::Number {
            text: "n",
            value: Some(value),
        };
        assert_eq!(fired(&exclusions, number(2.0)), [0, 1, 2, 3, 4]);
        assert_eq!(fired(&exclusions, number(3.0)), [0, 1, 2, 3, 4, 5]);
        assert_eq!(fired(&exclusions, LeafValue::Null), [0, 1, 2, 3, 4, 5]);
    }
}
