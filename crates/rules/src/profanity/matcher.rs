//! The automaton over the normalised view, and the checks each raw match
//! must pass: repeated-letter counts, word boundaries, inflections, and the
//! allow list.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::lists::Entry;
use super::normalize::{BOUNDARY, View, WILD, is_word};

/// Inflections a blocked word may take ("bitches", "fucking", "wankers").
const SUFFIXES: &[&[u8]] = &[
    b"s", b"es", b"ed", b"d", b"er", b"ers", b"r", b"rs", b"ing", b"ings", b"in", b"ins", b"y",
    b"ies", b"ied", b"ier", b"iers", b"iest", b"ish", b"z", b"ez",
];
/// Inflections after a stem that dropped its last letter ("whor-ing", "puss-ies").
const STEM_SUFFIXES: &[&[u8]] = &[
    b"es", b"ed", b"er", b"ers", b"est", b"ing", b"ings", b"in", b"ins", b"y", b"ish",
];

/// What a pattern of the automaton stands for.
#[derive(Clone, Debug)]
struct Pattern {
    /// Index into the entries, or `None` for an allow-list word.
    entry: Option<usize>,
    /// The minimum run length of each byte ("ass" needs two `s`).
    runs: Box<[u8]>,
    /// A stem that must take a suffix ("pussi" + "es").
    stem: bool,
}

/// A block match that passed every check: a word of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Hit {
    /// First view byte of the word.
    pub(super) start: usize,
    /// One past its last view byte.
    pub(super) end: usize,
    /// The entry matched.
    pub(super) entry: usize,
}

/// The compiled lists.
#[derive(Debug)]
pub(super) struct Matcher {
    automaton: AhoCorasick,
    /// For each pattern of the automaton, what it stands for (one spelling
    /// can stand for several entries, with different run lengths).
    groups: Vec<Vec<Pattern>>,
    pub(super) entries: Vec<Entry>,
}

/// The normalised form of a word or phrase: bytes and run lengths.
fn normalise(text: &str) -> (Vec<u8>, Vec<u8>) {
    let mut view = View::new();
    view.build(text);
    view.trim();
    (view.bytes, view.runs)
}

impl Matcher {
    /// Compiles the block entries and allow words. Fails, naming the word,
    /// when one normalises to nothing or a block word to more than one word.
    pub(super) fn new(entries: Vec<Entry>, allow: &[String]) -> Result<Self, String> {
        let mut index_of: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut bytes: Vec<Vec<u8>> = Vec::new();
        let mut groups: Vec<Vec<Pattern>> = Vec::new();
        let mut add = |text: &str, pattern: Pattern| -> Result<(), String> {
            let (normal, runs) = normalise(text);
            if normal.is_empty() || (pattern.entry.is_some() && normal.contains(&BOUNDARY)) {
                return Err(text.to_owned());
            }
            let group = *index_of.entry(normal.clone()).or_insert_with(|| {
                bytes.push(normal);
                groups.push(Vec::new());
                groups.len() - 1
            });
            let pattern = Pattern {
                runs: runs.into_boxed_slice(),
                ..pattern
            };
            let group = &mut groups[group];
            if !group.iter().any(|p| {
                p.entry == pattern.entry && p.stem == pattern.stem && p.runs == pattern.runs
            }) {
                group.push(pattern);
            }
            Ok(())
        };
        for (index, entry) in entries.iter().enumerate() {
            let word = entry.word.as_str();
            let mut spellings = vec![(word.to_owned(), false)];
            let chars = word.chars().count();
            if !entry.exact && chars >= 4 {
                if let Some(stem) = word.strip_suffix('y') {
                    spellings.push((format!("{stem}i"), true));
                }
                if let Some(stem) = word.strip_suffix('e') {
                    spellings.push((stem.to_owned(), true));
                }
            }
            for (spelling, stem) in spellings {
                let pattern = Pattern {
                    entry: Some(index),
                    runs: Box::default(),
                    stem,
                };
                add(&spelling, pattern)?;
            }
        }
        for word in allow {
            add(
                word,
                Pattern {
                    entry: None,
                    runs: Box::default(),
                    stem: false,
                },
            )?;
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&bytes)
            .map_err(|e| e.to_string())?;
        Ok(Self {
            automaton,
            groups,
            entries,
        })
    }

    /// Finds the blocked words of `view` into `hits` (sorted by start, not
    /// merged). `allowed` and `starred` are scratch space.
    ///
    /// The search is leftmost-longest: at each position the longest
    /// spelling wins, which is the most specific word ("asshat" over "ass",
    /// the allowed "cocky" over "cock"). A word with a wildcard (a `*`
    /// inside it) is searched again once for each vowel the `*` may stand for.
    pub(super) fn find(
        &self,
        view: &View,
        hits: &mut Vec<Hit>,
        allowed: &mut Vec<(usize, usize)>,
        starred: &mut Starred,
    ) {
        hits.clear();
        allowed.clear();
        let (bytes, runs) = (view.bytes.as_slice(), view.runs.as_slice());
        self.search(bytes, runs, hits, allowed);
        // Words with a wildcard, once for each vowel it may stand for.
        let mut at = 0;
        while let Some(found) = bytes[at..].iter().position(|&b| b == WILD) {
            let star = at + found;
            let start = bytes[..star]
                .iter()
                .rposition(|&b| !is_word(b))
                .map_or(0, |i| i + 1);
            let end = bytes[star..]
                .iter()
                .position(|&b| !is_word(b))
                .map_or(bytes.len(), |i| star + i);
            for vowel in [b'a', b'e', b'i', b'o', b'u', b'y'] {
                starred.fill(&bytes[start..end], &runs[start..end], start, vowel);
                let (hit_mark, allow_mark) = (hits.len(), allowed.len());
                self.search(&starred.bytes, &starred.runs, hits, allowed);
                for hit in &mut hits[hit_mark..] {
                    (hit.start, hit.end) = starred.to_view(hit.start, hit.end);
                }
                for range in &mut allowed[allow_mark..] {
                    *range = starred.to_view(range.0, range.1);
                }
            }
            at = end;
        }
        if !allowed.is_empty() {
            hits.retain(|hit| {
                !allowed
                    .iter()
                    .any(|&(from, to)| from <= hit.start && hit.end <= to)
            });
        }
        hits.sort_unstable_by_key(|hit| (hit.start, hit.end, hit.entry));
        hits.dedup();
    }

    /// One leftmost-longest pass over `bytes` (with their `runs`).
    fn search(
        &self,
        bytes: &[u8],
        runs: &[u8],
        hits: &mut Vec<Hit>,
        allowed: &mut Vec<(usize, usize)>,
    ) {
        for found in self.automaton.find_iter(bytes) {
            let (start, end) = (found.start(), found.end());
            let word_start = bytes[..start]
                .iter()
                .rposition(|&b| !is_word(b))
                .map_or(0, |i| i + 1);
            let word_end = bytes[end..]
                .iter()
                .position(|&b| !is_word(b))
                .map_or(bytes.len(), |i| end + i);
            let rest = &bytes[end..word_end];
            for pattern in &self.groups[found.pattern().as_usize()] {
                if !runs[start..end]
                    .iter()
                    .zip(pattern.runs.iter())
                    .all(|(have, need)| have >= need)
                {
                    continue;
                }
                let Some(index) = pattern.entry else {
                    if word_start == start && takes(rest, SUFFIXES) {
                        allowed.push((start, word_end));
                    }
                    continue;
                };
                let entry = &self.entries[index];
                // A stem ("whor" of "whore") always starts the word and takes a suffix.
                let fits = if entry.infix && !pattern.stem {
                    true
                } else if word_start != start {
                    false
                } else if pattern.stem {
                    !rest.is_empty() && takes(rest, STEM_SUFFIXES)
                } else if entry.exact {
                    rest.is_empty()
                } else {
                    takes(rest, SUFFIXES)
                };
                if fits {
                    hits.push(Hit {
                        start: word_start,
                        end: word_end,
                        entry: index,
                    });
                }
            }
        }
    }
}

/// A word of the view with its wildcards replaced by one vowel, collapsed
/// again ("d*ldo" as "diido" reads "dido" with a double i), and where each
/// of its bytes came from in the view.
#[derive(Debug, Default)]
pub(super) struct Starred {
    bytes: Vec<u8>,
    runs: Vec<u8>,
    map: Vec<usize>,
}

impl Starred {
    /// An empty buffer (no allocation).
    pub(super) const fn new() -> Self {
        Self {
            bytes: Vec::new(),
            runs: Vec::new(),
            map: Vec::new(),
        }
    }

    fn fill(&mut self, word: &[u8], runs: &[u8], offset: usize, vowel: u8) {
        self.bytes.clear();
        self.runs.clear();
        self.map.clear();
        for (index, (&byte, &run)) in word.iter().zip(runs).enumerate() {
            let byte = if byte == WILD { vowel } else { byte };
            if let (Some(&last), Some(last_run)) = (self.bytes.last(), self.runs.last_mut())
                && last == byte
            {
                *last_run = last_run.saturating_add(run);
                continue;
            }
            self.bytes.push(byte);
            self.runs.push(run);
            self.map.push(offset + index);
        }
        self.map.push(offset + word.len());
    }

    /// The view span of `start..end` of the buffer.
    fn to_view(&self, start: usize, end: usize) -> (usize, usize) {
        (self.map[start], self.map[end])
    }
}

/// Whether `rest` is empty or one of `suffixes`.
fn takes(rest: &[u8], suffixes: &[&[u8]]) -> bool {
    rest.is_empty() || suffixes.contains(&rest)
}
