//! Array consistency: when the values satisfying a sub-pattern sit inside arrays, they must
//! be choosable from matching elements (aws/event-ruler's `rulesForJSONEvent`).
//!
//! Formally, a sub-pattern matches when every slot can be given either a value that
//! satisfies one of its conditions or, if the slot has `exists: false`, "absent", such
//! that the chosen values never sit in different elements of the same array, and no value
//! at an absent slot's path sits in elements compatible with the chosen ones.
//! (The reference checks an absent path only against the fields it visited before it in
//! key order; this definition does not depend on key order. The two agree whenever the
//! absent path's values are not inside the arrays that hold the chosen values.)
//!
//! The search only runs for sub-patterns with some satisfied slot whose values are all in
//! arrays; a value outside every array constrains nothing and is taken directly.

use crate::compile::SubInfo;
use crate::walk::WalkScratch;

/// Work allowed per sub-pattern and event (search steps plus array elements compared).
/// Beyond this the sub-pattern is taken not to match: the bound keeps a hostile event (huge
/// arrays of look-alike objects) from stalling the matcher, at about a millisecond, and is
/// far above what events with rule-sized arrays need.
pub(crate) const MAX_SEARCH_WORK: usize = 1_000_000;

/// A satisfied slot whose values sit in arrays, found while matching one event.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArrayHit {
    pub(crate) slot: u16,
    pub(crate) leaf: u32,
    /// The previous array hit of the same sub-pattern, or [`crate::walk::NONE`].
    pub(crate) next: u32,
}

/// One slot the search must fill.
#[derive(Debug, Clone, Copy)]
struct Choice {
    /// Whether the slot may be left absent (`exists: false`, and no value at its path
    /// outside every array, which would be compatible with anything).
    may_be_absent: bool,
    /// Its candidate leaves in [`SearchBuffers::candidates`].
    start: u32,
    end: u32,
    /// The values at its path in [`SearchBuffers::absent_leaves`], when it may be absent.
    absent_start: u32,
    absent_end: u32,
}

/// Buffers of the search, reused across events.
#[derive(Debug, Default, Clone)]
pub(crate) struct SearchBuffers {
    pairs: Vec<(u16, u32)>,
    choices: Vec<Choice>,
    candidates: Vec<u32>,
    /// Per absent-capable slot: (outermost array, index in it, leaf) of every value at its
    /// path, sorted, so the values in the selected element are found by binary search.
    absent_leaves: Vec<(u32, u32, u32)>,
    absent: Vec<bool>,
    /// Per array id: the chosen element index + 1, or 0.
    selection: Vec<u32>,
    undo: Vec<u32>,
}

/// A sub-pattern's slot bits: slots 0–63 in `first`, the rest in `extra`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SlotBits<'a> {
    pub(crate) first: u64,
    pub(crate) extra: &'a [u64],
}

impl SlotBits<'_> {
    #[inline]
    pub(crate) fn has(&self, slot: u16) -> bool {
        let word = if slot < 64 {
            self.first
        } else {
            self.extra
                .get(usize::from(slot / 64) - 1)
                .copied()
                .unwrap_or(0)
        };
        (word >> (slot % 64)) & 1 == 1
    }
}

/// Decides a sub-pattern some of whose slots are satisfied only by values inside arrays.
///
/// `unconditional` holds the slots satisfied by values outside every array; `head` starts
/// the list of the sub-pattern's array hits in `hits`.
pub(crate) fn array_consistent_match(
    info: &SubInfo,
    unconditional: &SlotBits<'_>,
    head: u32,
    hits: &[ArrayHit],
    walk: &WalkScratch,
    stamp: u32,
    buffers: &mut SearchBuffers,
) -> bool {
    let SearchBuffers {
        pairs,
        choices,
        candidates,
        absent_leaves,
        absent,
        selection,
        undo,
    } = buffers;
    pairs.clear();
    let mut hit = head;
    while let Some(entry) = hits.get(hit as usize) {
        if !unconditional.has(entry.slot) {
            pairs.push((entry.slot, entry.leaf));
        }
        hit = entry.next;
    }
    pairs.sort_unstable();
    pairs.dedup();
    choices.clear();
    candidates.clear();
    absent_leaves.clear();
    let mut pair = 0;
    for slot in 0..info.slot_count {
        if unconditional.has(slot) {
            continue;
        }
        let start = candidates.len() as u32;
        while let Some(&(pair_slot, leaf)) = pairs.get(pair) {
            if pair_slot != slot {
                break;
            }
            candidates.push(leaf);
            pair += 1;
        }
        let end = candidates.len() as u32;
        let absent_start = absent_leaves.len();
        let mut may_be_absent = false;
        if let Some(path) = info.admits_absence(slot) {
            may_be_absent = true;
            let mut leaf = walk.first_leaf_at(path, stamp);
            while let Some(entry) = walk.leaves.get(leaf as usize) {
                match walk.members_of(entry).first() {
                    Some(&(array, index)) => absent_leaves.push((array, index, leaf)),
                    None => may_be_absent = false,
                }
                leaf = entry.next_same_path;
            }
            if !may_be_absent {
                absent_leaves.truncate(absent_start);
            }
            absent_leaves[absent_start..].sort_unstable();
        }
        if start == end && !may_be_absent {
            return false;
        }
        choices.push(Choice {
            may_be_absent,
            start,
            end,
            absent_start: absent_start as u32,
            absent_end: absent_leaves.len() as u32,
        });
    }
    // Fewest candidates first: forced choices prune the rest early.
    choices.sort_by_key(|choice| choice.end - choice.start);
    absent.clear();
    absent.resize(choices.len(), false);
    if selection.len() < walk.array_count as usize {
        selection.resize(walk.array_count as usize, 0);
    }
    undo.clear();
    let mut search = Search {
        choices,
        candidates,
        absent_leaves,
        absent,
        selection,
        undo,
        walk,
        budget: MAX_SEARCH_WORK,
    };
    let found = search.fill(0);
    search.rollback(0);
    found
}

struct Search<'a> {
    choices: &'a [Choice],
    candidates: &'a [u32],
    absent_leaves: &'a [(u32, u32, u32)],
    absent: &'a mut Vec<bool>,
    selection: &'a mut Vec<u32>,
    undo: &'a mut Vec<u32>,
    walk: &'a WalkScratch,
    budget: usize,
}

impl Search<'_> {
    /// Fills choices `depth..`; true when a consistent assignment exists.
    fn fill(&mut self, depth: usize) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let Some(&choice) = self.choices.get(depth) else {
            return self.absences_hold();
        };
        for position in choice.start..choice.end {
            let leaf = self.candidates[position as usize];
            let mark = self.undo.len();
            if self.select(leaf) && self.fill(depth + 1) {
                return true;
            }
            self.rollback(mark);
        }
        if choice.may_be_absent {
            self.absent[depth] = true;
            if self.fill(depth + 1) {
                return true;
            }
            self.absent[depth] = false;
        }
        false
    }

    /// Adds `leaf`'s array elements to the selection; false on a conflict (the caller
    /// rolls back).
    fn select(&mut self, leaf: u32) -> bool {
        let walk = self.walk;
        let members = walk.members_of(&walk.leaves[leaf as usize]);
        self.budget = self.budget.saturating_sub(members.len());
        for &(array, index) in members {
            let chosen = &mut self.selection[array as usize];
            if *chosen == 0 {
                *chosen = index + 1;
                self.undo.push(array);
            } else if *chosen != index + 1 {
                return false;
            }
        }
        true
    }

    fn compatible(&mut self, leaf: u32) -> bool {
        let walk = self.walk;
        let members = walk.members_of(&walk.leaves[leaf as usize]);
        self.budget = self.budget.saturating_sub(members.len() + 1);
        members.iter().all(|&(array, index)| {
            let chosen = self.selection[array as usize];
            chosen == 0 || chosen == index + 1
        })
    }

    fn rollback(&mut self, mark: usize) {
        for array in self.undo.drain(mark..) {
            self.selection[array as usize] = 0;
        }
    }

    /// Whether every slot left absent has no value compatible with the selection.
    ///
    /// A value sits in some element of its outermost array. If the selection names no
    /// element of that array, no chosen value is inside it (nor inside any array nested
    /// in it), so the value is compatible. Otherwise only the values in the selected
    /// element can be, and those are found by binary search.
    fn absences_hold(&mut self) -> bool {
        let choices = self.choices;
        let all = self.absent_leaves;
        for (depth, choice) in choices.iter().enumerate() {
            if !self.absent[depth] {
                continue;
            }
            let mut rest = &all[choice.absent_start as usize..choice.absent_end as usize];
            while let Some(&(array, _, _)) = rest.first() {
                let run_length = rest.partition_point(|&(other, _, _)| other == array);
                let (run, after) = rest.split_at(run_length);
                rest = after;
                self.budget = self.budget.saturating_sub(1 + run.len().ilog2() as usize);
                let chosen = self.selection[array as usize];
                if chosen == 0 || self.budget == 0 {
                    return false;
                }
                let index = chosen - 1;
                let from = run.partition_point(|&(_, other, _)| other < index);
                let to = run.partition_point(|&(_, other, _)| other <= index);
                for &(_, _, leaf) in &run[from..to] {
                    if self.compatible(leaf) {
                        return false;
                    }
                }
            }
        }
        true
    }
}
