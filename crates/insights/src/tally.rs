//! Top contributors in bounded memory: a space-saving counter per attribute.
//!
//! A tally keeps at most [`CAPACITY`] values. When it is full, a new value replaces the
//! smallest one and inherits its count plus one (Metwally et al., "space-saving"), so a
//! value that truly makes up a large share is never lost and the counts of the top few
//! are exact or slightly over. The attributions an Insights event reports are the top 5.

use std::sync::Arc;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// Values one tally keeps.
pub const CAPACITY: usize = 12;

/// The attribution kinds, in the order records list them.
pub const ATTRIBUTES: [&str; 3] = ["userIdentityArn", "userAgent", "errorCode"];

/// Counts per value of one attribute, bounded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<(String, u64)>", into = "Vec<(String, u64)>")]
pub(crate) struct Tally {
    entries: Vec<(Arc<str>, u64)>,
}

// Saved as plain strings: serde's `rc` feature would change serde for the whole
// workspace. A restored tally holds its own copies until the next garbage collection.
impl From<Vec<(String, u64)>> for Tally {
    fn from(entries: Vec<(String, u64)>) -> Tally {
        Tally {
            entries: entries
                .into_iter()
                .map(|(value, count)| (Arc::from(value), count))
                .collect(),
        }
    }
}

impl From<Tally> for Vec<(String, u64)> {
    fn from(tally: Tally) -> Vec<(String, u64)> {
        tally
            .entries
            .into_iter()
            .map(|(value, count)| (value.to_string(), count))
            .collect()
    }
}

impl Tally {
    pub(crate) fn add(&mut self, value: &Arc<str>, count: u64) {
        if let Some(entry) = self
            .entries
            .iter_mut()
            .find(|(known, _)| Arc::ptr_eq(known, value) || **known == **value)
        {
            entry.1 += count;
            return;
        }
        if self.entries.len() < CAPACITY {
            self.entries.push((Arc::clone(value), count));
            return;
        }
        let smallest = self
            .entries
            .iter_mut()
            .min_by_key(|(_, known)| *known)
            .map(|entry| {
                let inherited = entry.1;
                *entry = (Arc::clone(value), inherited + count);
            });
        debug_assert!(smallest.is_some(), "a full tally has entries");
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
        for (value, count) in &other.entries {
            self.add(value, *count);
        }
    }

    /// The top `limit` values with their count divided by `minutes`, largest first (ties
    /// by value, so the order is deterministic).
    pub(crate) fn top(&self, limit: usize, minutes: f64) -> Vec<(String, f64)> {
        let mut entries: Vec<&(Arc<str>, u64)> = self.entries.iter().collect();
        entries.sort_by(|left, right| right.1.cmp(&left.1).then_with(|| left.0.cmp(&right.0)));
        let mut top = Vec::with_capacity(limit.min(entries.len()));
        for (value, count) in entries.into_iter().take(limit) {
            top.push((value.to_string(), *count as f64 / minutes.max(1.0)));
        }
        top
    }
}

/// The three attribution tallies of one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Contributors {
    pub(crate) tallies: [Tally; 3],
}

impl Contributors {
    pub(crate) fn add(&mut self, values: &[Option<Arc<str>>; 3]) {
        for (tally, value) in self.tallies.iter_mut().zip(values) {
            if let Some(value) = value {
                tally.add(value, 1);
            }
        }
    }

    pub(crate) fn merge(&mut self, other: &Contributors) {
        for (tally, theirs) in self.tallies.iter_mut().zip(&other.tallies) {
            tally.merge(theirs);
        }
    }
}

/// Shares the strings tallies hold: the same ARNs and user agents recur in every series
/// and day.
#[derive(Debug, Default)]
pub(crate) struct Strings {
    set: FxHashSet<Arc<str>>,
}

impl Strings {
    pub(crate) fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(known) = self.set.get(text) {
            return Arc::clone(known);
        }
        let value: Arc<str> = Arc::from(text);
        self.set.insert(Arc::clone(&value));
        value
    }

    /// Forgets the strings no tally holds any more.
    pub(crate) fn collect_garbage(&mut self) {
        self.set.retain(|value| Arc::strong_count(value) > 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_heavy_hitters_when_full() {
        let mut strings = Strings::default();
        let mut tally = Tally::default();
        let heavy = strings.get("heavy");
        for round in 0..100 {
            tally.add(&heavy, 1);
            let light = strings.get(&format!("light-{round}"));
            tally.add(&light, 1);
        }
        let top = tally.top(5, 100.0);
        assert_eq!(top[0], (String::from("heavy"), 1.0));
        assert!(top.len() == 5);
        assert_eq!(tally.entries.len(), CAPACITY);
        drop(tally);
        drop(heavy);
        strings.collect_garbage();
        assert!(strings.set.is_empty());
    }

    #[test]
    fn top_orders_by_count_then_value() {
        let mut strings = Strings::default();
        let mut tally = Tally::default();
        for (name, count) in [("b", 2), ("a", 2), ("c", 5)] {
            tally.add(&strings.get(name), count);
        }
        let top = tally.top(2, 2.0);
        assert_eq!(
            top,
            vec![(String::from("c"), 2.5), (String::from("a"), 1.0)]
        );
    }
}
