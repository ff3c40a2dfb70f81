//! The shared matcher: one walk of the event, one index lookup per recorded value, and a
//! tally of satisfied slots per candidate sub-pattern.
//!
//! For each event: the walk records the leaf values at paths some rule names; each value is
//! looked up in its path's index. A satisfied anchor slot makes its sub-pattern a
//! candidate; the other satisfied slots are set aside and, once all anchors are known,
//! counted for candidates only. Slot bits live in per-sub-pattern state stamped with the
//! event's number, so nothing is cleared between events. A candidate matches when every
//! slot that needs a value has its bit and every `exists: false` slot without one has no
//! value at its path. Values inside arrays set a second bit set instead and are
//! remembered, so that the candidate can be checked for array consistency
//! ([`crate::consistency`]) when it relies on them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::hash::Hash;

use crate::compile::{Compiled, SubInfo};
use crate::consistency::{ArrayHit, SearchBuffers, SlotBits, array_consistent_match};
use crate::error::EventError;
use crate::operators::{Derived, LeafValue, finite_number};
use crate::pattern::Pattern;
use crate::walk::{LeafKind, NONE, WalkScratch, walk_event};

/// Per-event state of one sub-pattern.
#[derive(Debug, Clone, Copy, Default)]
struct SubState {
    /// The event number this state belongs to; a stale state is reset when its anchor
    /// fires. A sub-pattern whose state is current is a candidate.
    stamp: u32,
    /// The sub-pattern's most recent array hit in [`Scratch::hits`], or [`NONE`].
    hits_head: u32,
    /// Slots 0–63 satisfied by a value outside every array (further slots: in
    /// [`Scratch::extra_unconditional`]).
    unconditional: u64,
    /// Slots 0–63 satisfied by a value inside an array.
    in_arrays: u64,
}

/// Non-anchor slots of a satisfied condition, counted once the anchors are known.
#[derive(Debug, Clone, Copy)]
struct Deferred {
    start: u32,
    end: u32,
    leaf: u32,
}

/// Reusable working memory for matching, so that matching an event allocates nothing once
/// the buffers have grown to the size the rules and events need.
///
/// [`Matcher::matching`] and [`Pattern::matches`] use one per thread; pass your own to
/// [`Matcher::matching_with`] to control where it lives. One scratch may serve any number
/// of matchers, one event at a time.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    stamp: u32,
    walk: WalkScratch,
    subs: Vec<SubState>,
    /// Slot words past the first of sub-patterns with more than 64 slots.
    extra_unconditional: Vec<u64>,
    extra_in_arrays: Vec<u64>,
    touched: Vec<u32>,
    deferred: Vec<Deferred>,
    hits: Vec<ArrayHit>,
    pattern_stamp: Vec<u32>,
    /// The numbers of the patterns the last event matched, ascending.
    matched: Vec<u32>,
    fold_buffer: String,
    search: SearchBuffers,
}

impl Scratch {
    /// Creates empty working memory.
    pub fn new() -> Scratch {
        Scratch::default()
    }

    /// Readies the buffers for one event matched against `compiled`.
    fn begin(&mut self, compiled: &Compiled) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            // After 2^32 events the stamps wrap: forget them all once.
            self.subs.fill(SubState::default());
            self.pattern_stamp.fill(0);
            self.walk.clear_stamps();
            self.stamp = 1;
        }
        if self.subs.len() < compiled.subs.len() {
            self.subs.resize(compiled.subs.len(), SubState::default());
        }
        let extra = compiled.required_extra.len();
        if self.extra_unconditional.len() < extra {
            self.extra_unconditional.resize(extra, 0);
            self.extra_in_arrays.resize(extra, 0);
        }
        if self.pattern_stamp.len() < compiled.pattern_count {
            self.pattern_stamp.resize(compiled.pattern_count, 0);
        }
        self.walk.reset(compiled.trie.path_count());
        self.touched.clear();
        self.deferred.clear();
        self.hits.clear();
        self.matched.clear();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `run` with this thread's scratch, or with a fresh one if it is in use.
pub(crate) fn with_thread_scratch<R>(mut run: impl FnMut(&mut Scratch) -> R) -> R {
    let attempt = SCRATCH.try_with(|cell| {
        cell.try_borrow_mut()
            .ok()
            .map(|mut scratch| run(&mut scratch))
    });
    match attempt {
        Ok(Some(result)) => result,
        _ => run(&mut Scratch::default()),
    }
}

/// The per-event buffers one satisfied slot is recorded in.
struct Tally<'s> {
    extra_unconditional: &'s mut [u64],
    extra_in_arrays: &'s mut [u64],
    hits: &'s mut Vec<ArrayHit>,
}

impl Tally<'_> {
    /// Records that `slot` of a candidate sub-pattern is satisfied by leaf `leaf`.
    #[inline]
    fn record(
        &mut self,
        state: &mut SubState,
        info: &SubInfo,
        slot: u16,
        leaf: u32,
        in_array: bool,
    ) {
        if in_array {
            if slot < 64 {
                state.in_arrays |= 1 << slot;
            } else {
                self.extra_in_arrays[info.extra_start as usize + usize::from(slot / 64) - 1] |=
                    1 << (slot % 64);
            }
            self.hits.push(ArrayHit {
                slot,
                leaf,
                next: state.hits_head,
            });
            state.hits_head = self.hits.len() as u32 - 1;
        } else if slot < 64 {
            state.unconditional |= 1 << slot;
        } else {
            self.extra_unconditional[info.extra_start as usize + usize::from(slot / 64) - 1] |=
                1 << (slot % 64);
        }
    }

    /// Makes `sub` a candidate of the current event, resetting its stale state.
    #[inline]
    fn touch(
        &mut self,
        state: &mut SubState,
        info: &SubInfo,
        sub: u32,
        stamp: u32,
        touched: &mut Vec<u32>,
    ) {
        if state.stamp != stamp {
            *state = SubState {
                stamp,
                hits_head: NONE,
                unconditional: 0,
                in_arrays: 0,
            };
            if info.extra_count != 0 {
                self.extra_unconditional[info.extra_words()].fill(0);
                self.extra_in_arrays[info.extra_words()].fill(0);
            }
            touched.push(sub);
        }
    }
}

impl Compiled {
    /// Matches one event; the numbers of the matching patterns end up, ascending, in
    /// `scratch.matched`.
    pub(crate) fn run(&self, event: &[u8], scratch: &mut Scratch) -> Result<(), EventError> {
        scratch.begin(self);
        let stamp = scratch.stamp;
        let text = walk_event(event, &self.trie, stamp, &mut scratch.walk)?;
        let Scratch {
            walk,
            subs: states,
            extra_unconditional,
            extra_in_arrays,
            touched,
            deferred,
            hits,
            fold_buffer,
            ..
        } = scratch;
        let mut tally = Tally {
            extra_unconditional,
            extra_in_arrays,
            hits,
        };
        for &sub in self.always.iter() {
            let info = &self.subs[sub as usize];
            tally.touch(&mut states[sub as usize], info, sub, stamp, touched);
        }
        // Anchors first: they decide which sub-patterns are candidates.
        for (leaf_number, leaf) in walk.leaves.iter().enumerate() {
            let value = match leaf.kind {
                LeafKind::String => LeafValue::String(walk.text(text, leaf)),
                LeafKind::Number => {
                    let number_text = walk.text(text, leaf);
                    LeafValue::Number {
                        text: number_text,
                        value: finite_number(number_text),
                    }
                }
                LeafKind::True => LeafValue::Bool(true),
                LeafKind::False => LeafValue::Bool(false),
                LeafKind::Null => LeafValue::Null,
            };
            let in_array = leaf.members_len != 0;
            let leaf_number = leaf_number as u32;
            let mut derived = Derived::new(fold_buffer);
            self.indexes[leaf.path as usize].for_each_hit(value, &mut derived, &mut |range| {
                for slot in &self.slots[range.start as usize..range.split as usize] {
                    let state = &mut states[slot.sub as usize];
                    let info = &self.subs[slot.sub as usize];
                    tally.touch(state, info, slot.sub, stamp, touched);
                    tally.record(state, info, slot.slot, leaf_number, in_array);
                }
                if range.split != range.end {
                    deferred.push(Deferred {
                        start: range.split,
                        end: range.end,
                        leaf: leaf_number,
                    });
                }
            });
        }
        // Then the other slots, of candidates only.
        for entry in deferred.iter() {
            let in_array = walk.leaves[entry.leaf as usize].members_len != 0;
            for slot in &self.slots[entry.start as usize..entry.end as usize] {
                let state = &mut states[slot.sub as usize];
                if state.stamp == stamp {
                    let info = &self.subs[slot.sub as usize];
                    tally.record(state, info, slot.slot, entry.leaf, in_array);
                }
            }
        }
        self.decide(scratch, stamp);
        Ok(())
    }

    /// Decides every candidate sub-pattern and collects the matching patterns.
    fn decide(&self, scratch: &mut Scratch, stamp: u32) {
        let Scratch {
            walk,
            subs: states,
            extra_unconditional,
            extra_in_arrays,
            touched,
            hits,
            pattern_stamp,
            matched,
            search,
            ..
        } = scratch;
        for &sub in touched.iter() {
            let info = &self.subs[sub as usize];
            let pattern = info.pattern as usize;
            if pattern_stamp[pattern] == stamp {
                continue;
            }
            let state = &states[sub as usize];
            let have = state.unconditional | state.in_arrays;
            if info.required & !have != 0 {
                continue;
            }
            let mut needs_search = state.in_arrays & !state.unconditional != 0;
            let mut satisfied = true;
            for word in info.extra_words() {
                let have = extra_unconditional[word] | extra_in_arrays[word];
                if self.required_extra[word] & !have != 0 {
                    satisfied = false;
                    break;
                }
                needs_search |= extra_in_arrays[word] & !extra_unconditional[word] != 0;
            }
            if !satisfied {
                continue;
            }
            let unconditional = SlotBits {
                first: state.unconditional,
                extra: &extra_unconditional[info.extra_words()],
            };
            let matches = if needs_search {
                array_consistent_match(
                    info,
                    &unconditional,
                    state.hits_head,
                    hits,
                    walk,
                    stamp,
                    search,
                )
            } else {
                info.absent
                    .iter()
                    .all(|&(slot, path)| unconditional.has(slot) || !walk.has_leaf_at(path, stamp))
            };
            if matches {
                pattern_stamp[pattern] = stamp;
                matched.push(info.pattern);
            }
        }
        matched.sort_unstable();
    }
}

/// Collects patterns under keys, then compiles them into a [`Matcher`].
///
/// Each key holds one pattern: adding a key again replaces its pattern.
#[derive(Debug, Clone)]
pub struct MatcherBuilder<K> {
    patterns: BTreeMap<K, Pattern>,
}

impl<K: Copy + Eq + Hash + Ord + Debug> MatcherBuilder<K> {
    /// Creates a builder with no patterns.
    pub fn new() -> Self {
        MatcherBuilder {
            patterns: BTreeMap::new(),
        }
    }

    /// Adds `pattern` under `key`, replacing the pattern the key held before, if any.
    pub fn add(&mut self, key: K, pattern: &Pattern) {
        self.patterns.insert(key, pattern.clone());
    }

    /// Compiles the patterns into one matcher.
    pub fn build(self) -> Matcher<K> {
        let keys: Vec<K> = self.patterns.keys().copied().collect();
        let patterns: Vec<&Pattern> = self.patterns.values().collect();
        Matcher {
            compiled: Compiled::new(&patterns),
            keys: keys.into_boxed_slice(),
        }
    }
}

impl<K: Copy + Eq + Hash + Ord + Debug> Default for MatcherBuilder<K> {
    fn default() -> Self {
        MatcherBuilder::new()
    }
}

/// Many patterns compiled together: one call finds every pattern an event matches, with a
/// single pass over the event, whatever the number of patterns.
///
/// Immutable once built, and `Send + Sync`: share it between threads behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Matcher<K> {
    /// The patterns' keys, ascending; a pattern's number is its key's position.
    keys: Box<[K]>,
    compiled: Compiled,
}

impl<K: Copy + Eq + Hash + Ord + Debug> Matcher<K> {
    /// Appends to `out` (which it clears first) the key of every added pattern the event
    /// matches, each once, in ascending key order. `event` is the event's JSON text.
    ///
    /// # Errors
    ///
    /// The event is not UTF-8, not a JSON object, or nested deeper than
    /// [`crate::MAX_EVENT_DEPTH`]; `out` is then left empty.
    pub fn matching(&self, event: &[u8], out: &mut Vec<K>) -> Result<(), EventError> {
        with_thread_scratch(|scratch| self.matching_with(event, out, scratch))
    }

    /// As [`Matcher::matching`], with caller-provided working memory.
    ///
    /// # Errors
    ///
    /// As [`Matcher::matching`].
    pub fn matching_with(
        &self,
        event: &[u8],
        out: &mut Vec<K>,
        scratch: &mut Scratch,
    ) -> Result<(), EventError> {
        out.clear();
        self.compiled.run(event, scratch)?;
        out.extend(
            scratch
                .matched
                .iter()
                .filter_map(|&number| self.keys.get(number as usize).copied()),
        );
        Ok(())
    }

    /// Returns the number of patterns (keys) in the matcher.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Returns whether the matcher holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Runs `compiled` (one pattern) on `event`, with this thread's scratch.
pub(crate) fn matches_one(compiled: &Compiled, event: &[u8]) -> Result<bool, EventError> {
    with_thread_scratch(|scratch| {
        compiled.run(event, scratch)?;
        Ok(!scratch.matched.is_empty())
    })
}
