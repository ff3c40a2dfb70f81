//! A radix tree of byte strings, to find every stored string that begins a value (or,
//! built from the end, ends it) in one walk over the value, however many strings of however
//! many lengths are stored.

use std::collections::BTreeMap;

/// Which end of a value the stored strings are anchored at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// Stored strings are prefixes.
    Start,
    /// Stored strings are suffixes.
    End,
}

/// Byte strings with a value each, found by the prefixes (or suffixes) of a value.
#[derive(Debug, Clone)]
pub(crate) struct AffixTree<V> {
    anchor: Anchor,
    nodes: Vec<Node<V>>,
}

/// A node while the tree is built: its value, and its edges by key byte (label in walking
/// order, child).
type BuildNode<V> = (Option<V>, BTreeMap<u8, (Vec<u8>, usize)>);

#[derive(Debug, Clone)]
struct Node<V> {
    value: Option<V>,
    /// Sorted by `key`.
    edges: Vec<Edge>,
}

/// An edge: a run of bytes, in the value's own order. `key` is the byte next to the part
/// already walked (the first byte of the run for prefixes, the last for suffixes).
#[derive(Debug, Clone)]
struct Edge {
    key: u8,
    label: Box<[u8]>,
    child: u32,
}

impl<V> AffixTree<V> {
    /// Builds the tree of `entries` (each string once).
    pub(crate) fn new(anchor: Anchor, entries: impl IntoIterator<Item = (Box<[u8]>, V)>) -> Self {
        // Build on strings in walking order (reversed for suffixes), with edges in a map.
        let mut nodes: Vec<BuildNode<V>> = vec![(None, BTreeMap::new())];
        for (text, value) in entries {
            let walked: Vec<u8> = match anchor {
                Anchor::Start => text.into_vec(),
                Anchor::End => text.iter().rev().copied().collect(),
            };
            let mut node = 0;
            let mut rest = walked.as_slice();
            loop {
                let Some(&first) = rest.first() else {
                    nodes[node].0 = Some(value);
                    break;
                };
                let Some((label, child)) = nodes[node].1.get(&first).cloned() else {
                    let leaf = nodes.len();
                    nodes.push((Some(value), BTreeMap::new()));
                    nodes[node].1.insert(first, (rest.to_vec(), leaf));
                    break;
                };
                let common = label.iter().zip(rest).take_while(|(a, b)| a == b).count();
                if common < label.len() {
                    // Split the edge where the strings part.
                    let middle = nodes.len();
                    let mut below = BTreeMap::new();
                    below.insert(label[common], (label[common..].to_vec(), child));
                    nodes.push((None, below));
                    nodes[node]
                        .1
                        .insert(first, (label[..common].to_vec(), middle));
                    node = middle;
                } else {
                    node = child;
                }
                rest = &rest[common..];
            }
        }
        let nodes = nodes
            .into_iter()
            .map(|(value, edges)| Node {
                value,
                edges: edges
                    .into_iter()
                    .map(|(key, (mut label, child))| {
                        if anchor == Anchor::End {
                            label.reverse();
                        }
                        Edge {
                            key,
                            label: label.into_boxed_slice(),
                            child: child as u32,
                        }
                    })
                    .collect(),
            })
            .collect();
        AffixTree { anchor, nodes }
    }

    /// Calls `found` with the value of every stored string that begins (or ends) `value`,
    /// shortest first.
    pub(crate) fn for_each_match(&self, value: &[u8], mut found: impl FnMut(&V)) {
        let mut node = 0usize;
        let mut walked = 0usize;
        loop {
            let Some(current) = self.nodes.get(node) else {
                return;
            };
            if let Some(entry) = &current.value {
                found(entry);
            }
            let next_byte = match self.anchor {
                Anchor::Start => value.get(walked),
                Anchor::End => value
                    .len()
                    .checked_sub(walked + 1)
                    .and_then(|at| value.get(at)),
            };
            let Some(&next_byte) = next_byte else {
                return;
            };
            let Ok(position) = current
                .edges
                .binary_search_by_key(&next_byte, |edge| edge.key)
            else {
                return;
            };
            let edge = &current.edges[position];
            let length = edge.label.len();
            let run = match self.anchor {
                Anchor::Start => value.get(walked..walked + length),
                Anchor::End => value
                    .len()
                    .checked_sub(walked + length)
                    .map(|start| &value[start..value.len() - walked]),
            };
            if run != Some(&edge.label[..]) {
                return;
            }
            walked += length;
            node = edge.child as usize;
        }
    }

    /// Whether the tree holds no string.
    pub(crate) fn is_empty(&self) -> bool {
        self.nodes.len() == 1 && self.nodes[0].value.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(tree: &AffixTree<u32>, value: &str) -> Vec<u32> {
        let mut out = Vec::new();
        tree.for_each_match(value.as_bytes(), |&entry| out.push(entry));
        out
    }

    fn tree(anchor: Anchor, strings: &[&str]) -> AffixTree<u32> {
        AffixTree::new(
            anchor,
            strings
                .iter()
                .enumerate()
                .map(|(number, text)| (text.as_bytes().into(), number as u32)),
        )
    }

    #[test]
    fn prefixes_are_found_shortest_first() {
        let prefixes = tree(Anchor::Start, &["Get", "GetObject", "", "Put", "GetO", "G"]);
        assert_eq!(found(&prefixes, "GetObjectAcl"), [2, 5, 0, 4, 1]);
        assert_eq!(found(&prefixes, "Ge"), [2, 5]);
        assert_eq!(found(&prefixes, "PutObject"), [2, 3]);
        assert_eq!(found(&prefixes, ""), [2]);
        assert!(!prefixes.is_empty());
        assert!(tree(Anchor::Start, &[]).is_empty());
    }

    #[test]
    fn suffixes_are_found_from_the_end() {
        let suffixes = tree(Anchor::End, &[".png", "g", "image.png", ".jpg", "é"]);
        assert_eq!(found(&suffixes, "my-image.png"), [1, 0, 2]);
        assert_eq!(found(&suffixes, "a.jpg"), [1, 3]);
        assert_eq!(found(&suffixes, "png"), [1]);
        assert_eq!(found(&suffixes, "café"), [4]);
        assert_eq!(found(&suffixes, ""), Vec::<u32>::new());
    }
}
