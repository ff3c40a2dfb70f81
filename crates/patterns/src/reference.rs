//! A direct evaluation of a pattern, written for clarity and kept apart from the matcher's
//! machinery (no path trie, no indexes, no bit sets, no pruning): the event is flattened
//! into (path, value, array elements) triples, every condition is tried on every value at
//! its path, and every combination of candidate values is searched for an array-consistent
//! one. Tests compare the matcher against it.

use crate::error::EventError;
use crate::json::{
    LexError, LexErrorKind, scan_literal, scan_number, scan_string, skip_whitespace, unescape,
};
use crate::operators::{Condition, Derived, LeafValue, finite_number};
use crate::parse::Alternative;
use crate::walk::{MAX_EVENT_DEPTH, event_object_start, event_syntax_error, expect_event_end};

/// Combinations tried per event before giving up (and answering "no match").
const MAX_STEPS: usize = 1_000_000;

#[derive(Debug)]
enum Value {
    String(String),
    Number(String),
    Bool(bool),
    Null,
}

#[derive(Debug)]
struct FlatLeaf {
    path: String,
    value: Value,
    /// (array number, element index) of every array element around the value.
    elements: Vec<(u32, u32)>,
}

impl FlatLeaf {
    fn view(&self) -> LeafValue<'_> {
        match &self.value {
            Value::String(text) => LeafValue::String(text),
            Value::Number(text) => LeafValue::Number {
                text,
                value: finite_number(text),
            },
            Value::Bool(value) => LeafValue::Bool(*value),
            Value::Null => LeafValue::Null,
        }
    }

    fn compatible_with(&self, other: &FlatLeaf) -> bool {
        self.elements.iter().all(|(array, index)| {
            other
                .elements
                .iter()
                .all(|(other_array, other_index)| array != other_array || index == other_index)
        })
    }
}

/// Flattens `event` (a JSON object) into its leaves.
fn flatten(event: &[u8]) -> Result<Vec<FlatLeaf>, EventError> {
    let (text, start) = event_object_start(event)?;
    let mut flattener = Flattener {
        text,
        leaves: Vec::new(),
        elements: Vec::new(),
        arrays: 0,
    };
    let end = flattener
        .value(start, None, 0)
        .map_err(event_syntax_error)?;
    expect_event_end(text.as_bytes(), end)?;
    Ok(flattener.leaves)
}

struct Flattener<'e> {
    text: &'e str,
    leaves: Vec<FlatLeaf>,
    elements: Vec<(u32, u32)>,
    arrays: u32,
}

impl Flattener<'_> {
    /// Flattens the value at `pos` found at `path` (`None` for the top level), inside
    /// `depth` containers; returns the index after it.
    fn value(&mut self, pos: usize, path: Option<&str>, depth: usize) -> Result<usize, LexError> {
        let bytes = self.text.as_bytes();
        let error = |kind| LexError::new(kind, pos);
        let value = match bytes.get(pos) {
            Some(b'{') | Some(b'[') if depth + 1 > MAX_EVENT_DEPTH => {
                return Err(error(LexErrorKind::TooDeep));
            }
            Some(b'{') => return self.object(pos, path, depth + 1),
            Some(b'[') => return self.array(pos, path, depth + 1),
            Some(b'"') => {
                let (end, escaped) = scan_string(bytes, pos + 1)?;
                let content = unescape(&self.text[pos + 1..end], escaped).into_owned();
                (Value::String(content), end + 1)
            }
            Some(b't') => (Value::Bool(true), scan_literal(bytes, pos, b"true")?),
            Some(b'f') => (Value::Bool(false), scan_literal(bytes, pos, b"false")?),
            Some(b'n') => (Value::Null, scan_literal(bytes, pos, b"null")?),
            Some(b'-' | b'0'..=b'9') => {
                let end = scan_number(bytes, pos)?;
                (Value::Number(self.text[pos..end].to_owned()), end)
            }
            Some(_) => return Err(error(LexErrorKind::ExpectedValue)),
            None => return Err(error(LexErrorKind::UnexpectedEnd)),
        };
        if let Some(path) = path {
            self.leaves.push(FlatLeaf {
                path: path.to_owned(),
                value: value.0,
                elements: self.elements.clone(),
            });
        }
        Ok(value.1)
    }

    fn object(&mut self, pos: usize, path: Option<&str>, depth: usize) -> Result<usize, LexError> {
        let bytes = self.text.as_bytes();
        let mut pos = skip_whitespace(bytes, pos + 1);
        if bytes.get(pos) == Some(&b'}') {
            return Ok(pos + 1);
        }
        loop {
            match bytes.get(pos) {
                Some(b'"') => {}
                None => return Err(LexError::new(LexErrorKind::UnexpectedEnd, pos)),
                Some(_) => return Err(LexError::new(LexErrorKind::ExpectedName, pos)),
            }
            let (end, escaped) = scan_string(bytes, pos + 1)?;
            let key = unescape(&self.text[pos + 1..end], escaped);
            let child = match path {
                Some(path) => format!("{path}.{key}"),
                None => key.into_owned(),
            };
            pos = skip_whitespace(bytes, end + 1);
            match bytes.get(pos) {
                Some(b':') => {}
                None => return Err(LexError::new(LexErrorKind::UnexpectedEnd, pos)),
                Some(_) => return Err(LexError::new(LexErrorKind::ExpectedColon, pos)),
            }
            pos = skip_whitespace(bytes, pos + 1);
            pos = skip_whitespace(bytes, self.value(pos, Some(&child), depth)?);
            match bytes.get(pos) {
                Some(b',') => pos = skip_whitespace(bytes, pos + 1),
                Some(b'}') => return Ok(pos + 1),
                None => return Err(LexError::new(LexErrorKind::UnexpectedEnd, pos)),
                Some(_) => return Err(LexError::new(LexErrorKind::ExpectedCommaOrObjectEnd, pos)),
            }
        }
    }

    fn array(&mut self, pos: usize, path: Option<&str>, depth: usize) -> Result<usize, LexError> {
        let bytes = self.text.as_bytes();
        let mut pos = skip_whitespace(bytes, pos + 1);
        if bytes.get(pos) == Some(&b']') {
            return Ok(pos + 1);
        }
        let array = self.arrays;
        self.arrays += 1;
        let mut index = 0;
        loop {
            self.elements.push((array, index));
            let end = self.value(pos, path, depth);
            self.elements.pop();
            pos = skip_whitespace(bytes, end?);
            match bytes.get(pos) {
                Some(b',') => {
                    pos = skip_whitespace(bytes, pos + 1);
                    index += 1;
                }
                Some(b']') => return Ok(pos + 1),
                None => return Err(LexError::new(LexErrorKind::UnexpectedEnd, pos)),
                Some(_) => return Err(LexError::new(LexErrorKind::ExpectedCommaOrArrayEnd, pos)),
            }
        }
    }
}

/// One field of an alternative, evaluated against the flattened event.
struct Field<'p> {
    path: &'p str,
    candidates: Vec<usize>,
    may_be_absent: bool,
}

/// Whether any alternative matches `event`.
pub(crate) fn matches(alternatives: &[Alternative], event: &[u8]) -> Result<bool, EventError> {
    let leaves = flatten(event)?;
    let mut buffer = String::new();
    for alternative in alternatives {
        let mut fields = Vec::new();
        for (path, conditions) in &alternative.fields {
            let candidates = leaves
                .iter()
                .enumerate()
                .filter(|(_, leaf)| leaf.path == path.as_ref())
                .filter(|(_, leaf)| {
                    conditions.iter().any(|condition| {
                        condition.matches(leaf.view(), &mut Derived::new(&mut buffer))
                    })
                })
                .map(|(position, _)| position)
                .collect();
            fields.push(Field {
                path,
                candidates,
                may_be_absent: conditions.contains(&Condition::Exists(false)),
            });
        }
        let mut steps = 0;
        if search(&fields, &leaves, &mut Vec::new(), &mut steps) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Tries every way to give the fields after `chosen` a candidate or absence.
fn search(
    fields: &[Field<'_>],
    leaves: &[FlatLeaf],
    chosen: &mut Vec<Option<usize>>,
    steps: &mut usize,
) -> bool {
    *steps += 1;
    if *steps > MAX_STEPS {
        return false;
    }
    let Some(field) = fields.get(chosen.len()) else {
        return absences_hold(fields, leaves, chosen);
    };
    for &candidate in &field.candidates {
        let fits = chosen
            .iter()
            .flatten()
            .all(|&other| leaves[other].compatible_with(&leaves[candidate]));
        if fits {
            chosen.push(Some(candidate));
            if search(fields, leaves, chosen, steps) {
                return true;
            }
            chosen.pop();
        }
    }
    if field.may_be_absent {
        chosen.push(None);
        if search(fields, leaves, chosen, steps) {
            return true;
        }
        chosen.pop();
    }
    false
}

/// Whether no value at an absent field's path is compatible with the chosen values.
fn absences_hold(fields: &[Field<'_>], leaves: &[FlatLeaf], chosen: &[Option<usize>]) -> bool {
    for (field, choice) in fields.iter().zip(chosen) {
        if choice.is_some() {
            continue;
        }
        let present = leaves.iter().any(|leaf| {
            leaf.path == field.path
                && chosen
                    .iter()
                    .flatten()
                    .all(|&other| leaves[other].compatible_with(leaf))
        });
        if present {
            return false;
        }
    }
    true
}
