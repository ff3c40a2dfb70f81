//! One pass over an event's JSON text that records the leaf values at the paths some rule
//! names, with the array elements each one sits in, and skips everything else.
//!
//! Paths are kept in a trie of dot-separated segments. An event key is split at its dots
//! too, so `{"a.b": 1}` and `{"a": {"b": 1}}` both reach path `a.b`, as EventBridge
//! matches them. A subtree no rule looks into is skipped by the validating skipper without
//! being decoded. Each array met on the way gets an identifier, and a leaf records the
//! (array, index) pairs of the elements around it: that is what array-consistent matching
//! compares.

use rustc_hash::FxHashMap;

use crate::error::{EventError, EventErrorKind};
use crate::json::{
    LexError, LexErrorKind, scan_literal, scan_number, scan_string, skip_value, skip_whitespace,
    unescape_into,
};

/// How deeply objects and arrays may nest in an event before it is refused.
pub const MAX_EVENT_DEPTH: usize = 128;

/// "No leaf" in the per-path leaf lists.
pub(crate) const NONE: u32 = u32::MAX;

/// The paths rules name, as a trie of dot-separated segments.
#[derive(Debug, Clone)]
pub(crate) struct PathTrie {
    nodes: Vec<TrieNode>,
    path_count: u32,
}

#[derive(Debug, Clone, Default)]
struct TrieNode {
    children: FxHashMap<Box<str>, u32>,
    /// The path id, when a rule names the path ending here.
    leaf: Option<u32>,
}

impl PathTrie {
    pub(crate) const ROOT: u32 = 0;

    pub(crate) fn new() -> PathTrie {
        PathTrie {
            nodes: vec![TrieNode::default()],
            path_count: 0,
        }
    }

    /// Returns the id of `path`, adding it if new. Ids are dense, from 0.
    pub(crate) fn intern(&mut self, path: &str) -> u32 {
        let mut node = Self::ROOT as usize;
        for segment in path.split('.') {
            node = match self.nodes[node].children.get(segment) {
                Some(&child) => child as usize,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node]
                        .children
                        .insert(segment.into(), child as u32);
                    child
                }
            };
        }
        *self.nodes[node].leaf.get_or_insert_with(|| {
            self.path_count += 1;
            self.path_count - 1
        })
    }

    pub(crate) fn path_count(&self) -> usize {
        self.path_count as usize
    }

    /// The node reached from `node` by the event key `key` (split at its dots).
    #[inline]
    fn child(&self, node: u32, key: &str) -> Option<u32> {
        let children = &self.nodes[node as usize].children;
        if !key.as_bytes().contains(&b'.') {
            return children.get(key).copied();
        }
        let mut current = node;
        for segment in key.split('.') {
            current = *self.nodes[current as usize].children.get(segment)?;
        }
        Some(current)
    }

    #[inline]
    fn has_children(&self, node: u32) -> bool {
        !self.nodes[node as usize].children.is_empty()
    }

    #[inline]
    fn leaf(&self, node: u32) -> Option<u32> {
        self.nodes[node as usize].leaf
    }
}

/// The JSON type of a leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeafKind {
    String,
    Number,
    True,
    False,
    Null,
}

/// One recorded leaf value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Leaf {
    pub(crate) path: u32,
    pub(crate) kind: LeafKind,
    /// Whether the text range is in the scratch arena (an unescaped string) rather than in
    /// the event text.
    pub(crate) in_arena: bool,
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// The leaf's (array id, element index) pairs, outermost first, in
    /// [`WalkScratch::members`].
    pub(crate) members_start: u32,
    pub(crate) members_len: u32,
    /// The previous leaf recorded at the same path, or [`NONE`].
    pub(crate) next_same_path: u32,
}

/// Buffers the walk fills, reused from event to event.
#[derive(Debug, Default, Clone)]
pub(crate) struct WalkScratch {
    pub(crate) leaves: Vec<Leaf>,
    pub(crate) members: Vec<(u32, u32)>,
    /// Unescaped strings.
    pub(crate) arena: String,
    /// The (array id, index) pairs of the elements around the current position.
    frames: Vec<(u32, u32)>,
    /// Arrays met so far in this event; array ids are below this.
    pub(crate) array_count: u32,
    /// Per path: the stamp of the last event that recorded a leaf there, and that event's
    /// most recent leaf at the path.
    pub(crate) path_stamp: Vec<u32>,
    pub(crate) path_head: Vec<u32>,
    key_buffer: String,
}

impl WalkScratch {
    /// Readies the buffers for an event matched against rules naming `path_count` paths.
    pub(crate) fn reset(&mut self, path_count: usize) {
        self.leaves.clear();
        self.members.clear();
        self.arena.clear();
        self.frames.clear();
        self.array_count = 0;
        if self.path_stamp.len() < path_count {
            self.path_stamp.resize(path_count, 0);
            self.path_head.resize(path_count, NONE);
        }
    }

    /// Forgets every stamp (when the stamp counter wraps around).
    pub(crate) fn clear_stamps(&mut self) {
        self.path_stamp.fill(0);
    }

    /// Whether the current event (`stamp`) has a leaf at `path`.
    #[inline]
    pub(crate) fn has_leaf_at(&self, path: u32, stamp: u32) -> bool {
        self.path_stamp.get(path as usize) == Some(&stamp)
    }

    /// The most recent leaf of the current event at `path`, or [`NONE`].
    pub(crate) fn first_leaf_at(&self, path: u32, stamp: u32) -> u32 {
        if self.has_leaf_at(path, stamp) {
            self.path_head[path as usize]
        } else {
            NONE
        }
    }

    /// The (array id, index) pairs of `leaf`.
    #[inline]
    pub(crate) fn members_of(&self, leaf: &Leaf) -> &[(u32, u32)] {
        let start = leaf.members_start as usize;
        &self.members[start..start + leaf.members_len as usize]
    }

    /// The text of a string or number leaf.
    pub(crate) fn text<'e>(&'e self, event: &'e str, leaf: &Leaf) -> &'e str {
        let range = leaf.start as usize..leaf.end as usize;
        if leaf.in_arena {
            &self.arena[range]
        } else {
            &event[range]
        }
    }
}

/// Builds the error for a lexing failure in an event.
pub(crate) fn event_syntax_error(error: LexError) -> EventError {
    let what = match error.kind {
        LexErrorKind::TooDeep => {
            return EventError::new(
                EventErrorKind::TooDeep,
                format!("event is nested deeper than {MAX_EVENT_DEPTH} levels"),
            );
        }
        LexErrorKind::UnexpectedEnd => "unexpected end of input",
        LexErrorKind::ExpectedValue => "expected a value",
        LexErrorKind::ExpectedName => "expected a double-quoted member name",
        LexErrorKind::ExpectedColon => "expected `:`",
        LexErrorKind::ExpectedCommaOrObjectEnd => "expected `,` or `}`",
        LexErrorKind::ExpectedCommaOrArrayEnd => "expected `,` or `]`",
        LexErrorKind::ControlCharacter => "unescaped control character in a string",
        LexErrorKind::InvalidEscape => "invalid escape in a string",
        LexErrorKind::InvalidNumber => "invalid number",
        LexErrorKind::InvalidLiteral => "invalid literal",
        LexErrorKind::TrailingCharacters => "characters after the event object",
    };
    EventError::new(
        EventErrorKind::Syntax,
        format!("event is not valid JSON: {what} at byte {}", error.offset),
    )
}

/// Checks `event` (UTF-8 text of a bounded size, a JSON object at the top) and returns its
/// text and the index of the object's `{`. The matcher and the reference evaluation both
/// start here, so they refuse the same events with the same errors.
pub(crate) fn event_object_start(event: &[u8]) -> Result<(&str, usize), EventError> {
    let text = event_text(event)?;
    let bytes = text.as_bytes();
    let start = skip_whitespace(bytes, 0);
    if bytes.get(start) != Some(&b'{') {
        // Say "not an object" only for JSON that is something else.
        skip_value(bytes, start, 0, MAX_EVENT_DEPTH).map_err(event_syntax_error)?;
        return Err(EventError::new(
            EventErrorKind::NotAnObject,
            "event is not a JSON object".to_owned(),
        ));
    }
    Ok((text, start))
}

/// Checks that only whitespace follows the event object, which ends before `end`.
pub(crate) fn expect_event_end(bytes: &[u8], end: usize) -> Result<(), EventError> {
    let end = skip_whitespace(bytes, end);
    if end != bytes.len() {
        return Err(event_syntax_error(LexError::new(
            LexErrorKind::TrailingCharacters,
            end,
        )));
    }
    Ok(())
}

/// Checks that `event` is UTF-8 text of a bounded size.
fn event_text(event: &[u8]) -> Result<&str, EventError> {
    if u32::try_from(event.len()).is_err() {
        return Err(EventError::new(
            EventErrorKind::TooLarge,
            "event is larger than 4 GiB".to_owned(),
        ));
    }
    std::str::from_utf8(event).map_err(|error| {
        EventError::new(
            EventErrorKind::NotUtf8,
            format!(
                "event is not UTF-8: invalid byte at {}",
                error.valid_up_to()
            ),
        )
    })
}

/// Walks `event`, recording into `scratch` the leaves at paths of `trie`, each marked with
/// `stamp` (the current event's number). Returns the event as text.
pub(crate) fn walk_event<'e>(
    event: &'e [u8],
    trie: &PathTrie,
    stamp: u32,
    scratch: &mut WalkScratch,
) -> Result<&'e str, EventError> {
    let (text, start) = event_object_start(event)?;
    let bytes = text.as_bytes();
    let mut walker = Walker {
        text,
        bytes,
        pos: start,
        trie,
        stamp,
        scratch,
    };
    walker
        .value(PathTrie::ROOT, 0)
        .map_err(event_syntax_error)?;
    expect_event_end(bytes, walker.pos)?;
    Ok(text)
}

struct Walker<'e, 't, 's> {
    text: &'e str,
    bytes: &'e [u8],
    pos: usize,
    trie: &'t PathTrie,
    stamp: u32,
    scratch: &'s mut WalkScratch,
}

impl Walker<'_, '_, '_> {
    fn error(&self, kind: LexErrorKind) -> LexError {
        LexError::new(kind, self.pos)
    }

    /// Walks the value at `pos` (after whitespace), which sits at trie node `node` inside
    /// `depth` open containers.
    fn value(&mut self, node: u32, depth: usize) -> Result<(), LexError> {
        match self.bytes.get(self.pos) {
            Some(b'{') if self.trie.has_children(node) => self.object(node, depth + 1),
            Some(b'[') => self.array(node, depth + 1),
            Some(b'{') => {
                self.pos = skip_value(self.bytes, self.pos, depth, MAX_EVENT_DEPTH)?;
                Ok(())
            }
            Some(_) => match self.trie.leaf(node) {
                Some(path) => self.leaf(path),
                None => {
                    self.pos = skip_value(self.bytes, self.pos, depth, MAX_EVENT_DEPTH)?;
                    Ok(())
                }
            },
            None => Err(self.error(LexErrorKind::UnexpectedEnd)),
        }
    }

    fn object(&mut self, node: u32, depth: usize) -> Result<(), LexError> {
        if depth > MAX_EVENT_DEPTH {
            return Err(self.error(LexErrorKind::TooDeep));
        }
        self.pos = skip_whitespace(self.bytes, self.pos + 1);
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            match self.bytes.get(self.pos) {
                Some(b'"') => {}
                None => return Err(self.error(LexErrorKind::UnexpectedEnd)),
                Some(_) => return Err(self.error(LexErrorKind::ExpectedName)),
            }
            let (end, escaped) = scan_string(self.bytes, self.pos + 1)?;
            let raw = &self.text[self.pos + 1..end];
            let child = if escaped {
                let mut key = std::mem::take(&mut self.scratch.key_buffer);
                key.clear();
                unescape_into(raw, &mut key);
                let child = self.trie.child(node, &key);
                self.scratch.key_buffer = key;
                child
            } else {
                self.trie.child(node, raw)
            };
            self.pos = skip_whitespace(self.bytes, end + 1);
            match self.bytes.get(self.pos) {
                Some(b':') => {}
                None => return Err(self.error(LexErrorKind::UnexpectedEnd)),
                Some(_) => return Err(self.error(LexErrorKind::ExpectedColon)),
            }
            self.pos = skip_whitespace(self.bytes, self.pos + 1);
            match child {
                Some(child) => self.value(child, depth)?,
                None => self.pos = skip_value(self.bytes, self.pos, depth, MAX_EVENT_DEPTH)?,
            }
            self.pos = skip_whitespace(self.bytes, self.pos);
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos = skip_whitespace(self.bytes, self.pos + 1),
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                None => return Err(self.error(LexErrorKind::UnexpectedEnd)),
                Some(_) => return Err(self.error(LexErrorKind::ExpectedCommaOrObjectEnd)),
            }
        }
    }

    fn array(&mut self, node: u32, depth: usize) -> Result<(), LexError> {
        if depth > MAX_EVENT_DEPTH {
            return Err(self.error(LexErrorKind::TooDeep));
        }
        self.pos = skip_whitespace(self.bytes, self.pos + 1);
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(());
        }
        let id = self.scratch.array_count;
        self.scratch.array_count += 1;
        self.scratch.frames.push((id, 0));
        let mut index = 0u32;
        loop {
            if let Some(frame) = self.scratch.frames.last_mut() {
                frame.1 = index;
            }
            self.value(node, depth)?;
            self.pos = skip_whitespace(self.bytes, self.pos);
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    self.pos = skip_whitespace(self.bytes, self.pos + 1);
                    index += 1;
                }
                Some(b']') => {
                    self.pos += 1;
                    self.scratch.frames.pop();
                    return Ok(());
                }
                None => return Err(self.error(LexErrorKind::UnexpectedEnd)),
                Some(_) => return Err(self.error(LexErrorKind::ExpectedCommaOrArrayEnd)),
            }
        }
    }

    /// Records the primitive value at `pos` as a leaf of `path`.
    fn leaf(&mut self, path: u32) -> Result<(), LexError> {
        let start = self.pos;
        let (kind, in_arena, text_start, text_end) = match self.bytes.get(start) {
            Some(b'"') => {
                let (end, escaped) = scan_string(self.bytes, start + 1)?;
                self.pos = end + 1;
                if escaped {
                    let arena_start = self.scratch.arena.len();
                    unescape_into(&self.text[start + 1..end], &mut self.scratch.arena);
                    (
                        LeafKind::String,
                        true,
                        arena_start,
                        self.scratch.arena.len(),
                    )
                } else {
                    (LeafKind::String, false, start + 1, end)
                }
            }
            Some(b't') => {
                self.pos = scan_literal(self.bytes, start, b"true")?;
                (LeafKind::True, false, start, self.pos)
            }
            Some(b'f') => {
                self.pos = scan_literal(self.bytes, start, b"false")?;
                (LeafKind::False, false, start, self.pos)
            }
            Some(b'n') => {
                self.pos = scan_literal(self.bytes, start, b"null")?;
                (LeafKind::Null, false, start, self.pos)
            }
            Some(b'-' | b'0'..=b'9') => {
                self.pos = scan_number(self.bytes, start)?;
                (LeafKind::Number, false, start, self.pos)
            }
            Some(_) => return Err(self.error(LexErrorKind::ExpectedValue)),
            None => return Err(self.error(LexErrorKind::UnexpectedEnd)),
        };
        let scratch = &mut *self.scratch;
        let index = scratch.leaves.len() as u32;
        let members_start = scratch.members.len() as u32;
        scratch.members.extend_from_slice(&scratch.frames);
        let slot = path as usize;
        if scratch.path_stamp[slot] != self.stamp {
            scratch.path_stamp[slot] = self.stamp;
            scratch.path_head[slot] = NONE;
        }
        let next_same_path = scratch.path_head[slot];
        scratch.path_head[slot] = index;
        scratch.leaves.push(Leaf {
            path,
            kind,
            in_arena,
            start: text_start as u32,
            end: text_end as u32,
            members_start,
            members_len: scratch.frames.len() as u32,
            next_same_path,
        });
        Ok(())
    }
}
