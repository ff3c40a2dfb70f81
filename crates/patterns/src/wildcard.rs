//! `wildcard` operands: parsing with the reference's messages, matching, and the
//! complexity limit EventBridge applies to rules that use them.

use std::collections::VecDeque;

use memchr::memmem::Finder;
use rustc_hash::{FxHashMap, FxHashSet};

/// Beyond this many simultaneously live wildcard-matching states (weighted by the patterns
/// they can still complete), EventBridge refuses a rule as too complex. EventBridge does not
/// publish its threshold; 10 accepts `/Users/*/dir/dir/dir/dir/dir/doc.txt` and refuses
/// `*:*:*:*:*:event-bus/*`, as AWS does (localstack's AWS-validated cases), and refuses four
/// `*/datasync/*.x` alternatives on one field while accepting two, as reported by users.
const MAX_COMPLEXITY: usize = 10;

/// Exploring more distinct state sets than this also counts as too complex, which bounds the
/// time the check itself takes.
const MAX_STATE_SETS: usize = 10_000;

/// The message EventBridge gives for a rule over the limit.
pub(crate) const TOO_COMPLEX: &str = "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character";

/// A parsed `wildcard` operand: `*` matches any run of characters, including none;
/// `\*` is a literal `*` and `\\` a literal `\`.
#[derive(Debug, Clone)]
pub(crate) struct Wildcard {
    /// The literal runs between the stars (one more than there are stars).
    parts: Box<[Box<str>]>,
    /// Substring searchers for the runs between the first and the last, built once.
    middle: Box<[Finder<'static>]>,
}

// Two wildcards are the same when their runs are (the searchers follow from them).
impl PartialEq for Wildcard {
    fn eq(&self, other: &Wildcard) -> bool {
        self.parts == other.parts
    }
}

impl Eq for Wildcard {}

impl std::hash::Hash for Wildcard {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
    }
}

/// One unit of a wildcard for the complexity check: a byte, or a star.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Byte(u8),
    Star,
}

impl Wildcard {
    /// Parses an operand, with the reference's messages. Positions count UTF-8 bytes in the
    /// operand as the reference sees it, wrapped in double quotes, so the first character
    /// is at position 1.
    pub(crate) fn parse(text: &str) -> Result<Wildcard, String> {
        let bytes = text.as_bytes();
        let mut parts = Vec::new();
        let mut current = Vec::new();
        let mut index = 0;
        while let Some(&byte) = bytes.get(index) {
            match byte {
                b'*' => {
                    if bytes.get(index + 1) == Some(&b'*') {
                        return Err(format!(
                            "Consecutive wildcard characters at pos {}",
                            index + 1
                        ));
                    }
                    parts.push(std::mem::take(&mut current));
                }
                b'\\' => match bytes.get(index + 1) {
                    Some(&next @ (b'*' | b'\\')) => {
                        current.push(next);
                        index += 1;
                    }
                    _ => return Err(format!("Invalid escape character at pos {}", index + 1)),
                },
                _ => current.push(byte),
            }
            index += 1;
        }
        parts.push(current);
        let mut checked = Vec::with_capacity(parts.len());
        for part in parts {
            // Splitting valid UTF-8 at ASCII bytes leaves valid UTF-8.
            match String::from_utf8(part) {
                Ok(part) => checked.push(part.into_boxed_str()),
                Err(_) => return Err(format!("Invalid wildcard pattern: {text}")),
            }
        }
        let middle = match checked.len() {
            0..=2 => Box::default(),
            count => checked[1..count - 1]
                .iter()
                .map(|part| Finder::new(part.as_bytes()).into_owned())
                .collect(),
        };
        Ok(Wildcard {
            parts: checked.into_boxed_slice(),
            middle,
        })
    }

    /// Whether `value` matches. Stars are matched greedily from the left, which is exact
    /// for patterns whose only metacharacter is `*`.
    pub(crate) fn matches(&self, value: &str) -> bool {
        let (first, rest) = match self.parts.split_first() {
            Some(split) => split,
            None => return value.is_empty(),
        };
        let Some(last) = rest.last() else {
            return value == first.as_ref();
        };
        // Empty runs (a leading or trailing star) need no comparison at all: `*word*` is
        // the common shape, and this runs for every value such wildcards are filed under.
        if value.len() < first.len() + last.len()
            || (!first.is_empty() && !value.starts_with(first.as_ref()))
            || (!last.is_empty() && !value.ends_with(last.as_ref()))
        {
            return false;
        }
        let mut remaining = &value.as_bytes()[first.len()..value.len() - last.len()];
        for finder in &self.middle {
            match finder.find(remaining) {
                Some(found) => remaining = &remaining[found + finder.needle().len()..],
                None => return false,
            }
        }
        true
    }

    /// The literal text a matching value starts with (up to the first star).
    pub(crate) fn literal_head(&self) -> &str {
        self.parts.first().map_or("", |part| part.as_ref())
    }

    /// The literal text a matching value ends with (after the last star).
    pub(crate) fn literal_tail(&self) -> &str {
        self.parts.last().map_or("", |part| part.as_ref())
    }

    /// The operand as the reference's byte machine sees it: quoted, escapes resolved.
    fn units(&self) -> Vec<Unit> {
        let mut units = vec![Unit::Byte(b'"')];
        for (index, part) in self.parts.iter().enumerate() {
            if index > 0 {
                units.push(Unit::Star);
            }
            units.extend(part.bytes().map(Unit::Byte));
        }
        units.push(Unit::Byte(b'"'));
        units
    }
}

/// One state of the wildcard automaton built for the complexity check.
#[derive(Debug, Default)]
struct State {
    on_byte: Vec<(u8, usize)>,
    /// The star state entered without consuming input.
    star: Option<usize>,
    /// Star states loop on every byte.
    loops: bool,
    /// How many patterns can still complete through this state.
    weight: usize,
}

/// Whether the wildcards on one field of a rule stay within EventBridge's complexity limit.
///
/// The model follows event-ruler's `MachineComplexityEvaluator`: the patterns share one
/// automaton up to their first star (as they share byte-machine states), each continues on
/// its own states after it, and the complexity is the largest total weight of states live
/// at once over every possible input.
pub(crate) fn within_complexity_limit(wildcards: &[&Wildcard]) -> bool {
    let mut states = vec![State::default()];
    let mut shared: FxHashMap<(usize, u8), usize> = FxHashMap::default();
    let mut alphabet: FxHashSet<u8> = FxHashSet::default();
    for wildcard in wildcards {
        let mut current = 0;
        let mut before_first_star = true;
        for unit in wildcard.units() {
            let next = match unit {
                Unit::Byte(byte) => {
                    alphabet.insert(byte);
                    let existing = if before_first_star {
                        shared.get(&(current, byte)).copied()
                    } else {
                        None
                    };
                    existing.unwrap_or_else(|| {
                        let created = states.len();
                        states.push(State::default());
                        states[current].on_byte.push((byte, created));
                        if before_first_star {
                            shared.insert((current, byte), created);
                        }
                        created
                    })
                }
                Unit::Star => {
                    let existing = if before_first_star {
                        states[current].star
                    } else {
                        None
                    };
                    before_first_star = false;
                    existing.unwrap_or_else(|| {
                        let created = states.len();
                        states.push(State {
                            loops: true,
                            ..State::default()
                        });
                        states[current].star = Some(created);
                        created
                    })
                }
            };
            states[next].weight += 1;
            current = next;
        }
    }
    let close = |set: &mut Vec<usize>| {
        let stars: Vec<usize> = set.iter().filter_map(|&state| states[state].star).collect();
        set.extend(stars);
        set.sort_unstable();
        set.dedup();
    };
    let mut start = vec![0];
    close(&mut start);
    let mut seen: FxHashSet<Vec<usize>> = FxHashSet::default();
    let mut queue = VecDeque::from([start]);
    // One byte no pattern names stands for every such byte.
    let inputs: Vec<Option<u8>> = alphabet.iter().copied().map(Some).chain([None]).collect();
    while let Some(set) = queue.pop_front() {
        for input in &inputs {
            let mut next = Vec::new();
            for &state in &set {
                if states[state].loops {
                    next.push(state);
                }
                if let Some(byte) = input {
                    for &(on, target) in &states[state].on_byte {
                        if on == *byte {
                            next.push(target);
                        }
                    }
                }
            }
            if next.is_empty() {
                continue;
            }
            close(&mut next);
            let complexity: usize = next.iter().map(|&state| states[state].weight).sum();
            if complexity > MAX_COMPLEXITY {
                return false;
            }
            if seen.insert(next.clone()) {
                if seen.len() > MAX_STATE_SETS {
                    return false;
                }
                queue.push_back(next);
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wildcard(text: &str) -> Wildcard {
        Wildcard::parse(text).unwrap()
    }

    #[test]
    fn parse_reports_positions_in_the_quoted_operand() {
        assert_eq!(
            Wildcard::parse("arn:aws:events:us-east-1:**:event-bus/*").unwrap_err(),
            "Consecutive wildcard characters at pos 26"
        );
        assert_eq!(
            Wildcard::parse(r"a\b").unwrap_err(),
            "Invalid escape character at pos 2"
        );
        assert_eq!(
            Wildcard::parse("abc\\").unwrap_err(),
            "Invalid escape character at pos 4"
        );
    }

    #[test]
    fn stars_match_any_run_and_escapes_match_literally() {
        assert!(wildcard("dir/*.png").matches("dir/a/b.png"));
        assert!(wildcard("dir/*.png").matches("dir/.png"));
        assert!(!wildcard("dir/*.png").matches("dir.png"));
        assert!(wildcard("*").matches(""));
        assert!(wildcard("a*b*c").matches("abc"));
        assert!(wildcard("a*b*c").matches("aXbYbZc"));
        assert!(!wildcard("a*b*c").matches("acb"));
        assert!(!wildcard("aa*aa").matches("aaa"));
        assert!(wildcard("").matches(""));
        assert!(!wildcard("").matches("x"));
        assert!(wildcard(r"\*x*").matches("*xyz"));
        assert!(!wildcard(r"\*x*").matches("axyz"));
        assert!(wildcard(r"a\\b").matches(r"a\b"));
        assert!(wildcard("é*ü").matches("éaü"));
    }

    #[test]
    fn complexity_matches_what_aws_accepts_and_refuses() {
        assert!(!within_complexity_limit(&[&wildcard(
            "*:*:*:*:*:event-bus/*"
        )]));
        assert!(within_complexity_limit(&[&wildcard(
            "/Users/*/dir/dir/dir/dir/dir/doc.txt"
        )]));
        let two = [wildcard("*/datasync/*.bif"), wildcard("*/datasync/*.tif")];
        assert!(within_complexity_limit(&two.iter().collect::<Vec<_>>()));
        let four = [
            wildcard("*/datasync/*.bif"),
            wildcard("*/datasync/*.tif"),
            wildcard("*/datasync/*.svs"),
            wildcard("*/datasync/*.tiff"),
        ];
        assert!(!within_complexity_limit(&four.iter().collect::<Vec<_>>()));
        assert!(within_complexity_limit(&[&wildcard(
            "arn:aws:iam::*:role/*"
        )]));
        assert!(within_complexity_limit(&[&wildcard("*")]));
    }
}
