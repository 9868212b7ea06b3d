//! The automaton over the normalised view, and the checks each raw match
//! must pass: repeated-letter counts, word boundaries, inflections, and the
//! allow list.

use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, Anchored, MatchKind, StartKind};

use super::lists::{Entry, Inflection};
use super::normalize::{BOUNDARY, View};

mod starred;

pub(super) use starred::Starred;

/// English inflections a blocked word may take ("bitches", "fucking", "wankers").
const SUFFIXES: &[&[u8]] = &[
    b"s", b"es", b"ed", b"d", b"er", b"ers", b"r", b"rs", b"ing", b"ings", b"in", b"ins", b"y",
    b"ies", b"ied", b"ier", b"iers", b"iest", b"ish", b"z", b"ez",
];
/// English inflections after a stem that dropped its last letter ("whor-ing", "puss-ies").
const STEM_SUFFIXES: &[&[u8]] = &[
    b"es", b"ed", b"er", b"ers", b"est", b"ing", b"ings", b"in", b"ins", b"y", b"ish",
];

/// The endings of one language, in view bytes.
#[derive(Clone, Debug)]
struct Endings {
    /// Endings any word may take.
    suffixes: Vec<Box<[u8]>>,
    /// Endings a stem takes.
    stem_suffixes: Vec<Box<[u8]>>,
    /// How a word becomes a stem.
    stems: Stems,
}

/// How a word of four or more letters becomes a stem that must take one of
/// the stem endings.
#[derive(Clone, Debug)]
enum Stems {
    /// English: a final `y` becomes `i` ("puss-ies"), a final `e` drops ("whor-ing").
    English,
    /// A final letter among these drops ("put-ita").
    Drop(Vec<char>),
}

impl Endings {
    fn english() -> Self {
        let boxed = |list: &[&[u8]]| list.iter().map(|&s| Box::from(s)).collect();
        Self {
            suffixes: boxed(SUFFIXES),
            stem_suffixes: boxed(STEM_SUFFIXES),
            stems: Stems::English,
        }
    }

    /// A list's declared endings, normalised as the text will be (so "ón"
    /// reads "on" and "le" reads "ie").
    fn from_list(inflection: &Inflection) -> Self {
        let normal = |list: &[String]| -> Vec<Box<[u8]>> {
            let mut out: Vec<Box<[u8]>> = list
                .iter()
                .map(|s| normalise(s).0.into_boxed_slice())
                .filter(|s| !s.is_empty())
                .collect();
            out.sort();
            out.dedup();
            out
        };
        Self {
            suffixes: normal(&inflection.suffixes),
            stem_suffixes: normal(&inflection.stem_suffixes),
            stems: Stems::Drop(inflection.stem_drop.clone()),
        }
    }

    /// The stem spellings of `word` (empty for a word that takes none).
    fn stems(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        match &self.stems {
            Stems::English => {
                if let Some(stem) = word.strip_suffix('y') {
                    out.push(format!("{stem}i"));
                }
                if let Some(stem) = word.strip_suffix('e') {
                    out.push(stem.to_owned());
                }
            }
            Stems::Drop(letters) => {
                if let Some(last) = word.chars().last().filter(|c| letters.contains(c)) {
                    out.push(word[..word.len() - last.len_utf8()].to_owned());
                }
            }
        }
        out
    }
}

/// What a pattern of the automaton stands for.
#[derive(Clone, Debug)]
struct Pattern {
    /// Index into the entries, or `None` for an allow-list word.
    entry: Option<usize>,
    /// The minimum run length of each byte ("ass" needs two `s`).
    runs: Box<[u8]>,
    /// A stem that must take a suffix ("pussi" + "es").
    stem: bool,
    /// Index of the language whose endings apply.
    language: usize,
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
    /// Matched as part of a longer word (`infix`, `head` or `tail`), not
    /// as the whole word with an inflection.
    pub(super) inside: bool,
}

/// Where allow-list words matched, in view bytes. Reused between messages.
#[derive(Debug, Default)]
pub(super) struct Allowed {
    /// Each allow match with the rest of its last word when that rest is
    /// an inflection ("cockier"): every hit inside is dropped.
    words: Vec<(usize, usize)>,
    /// The bytes each allow match spans, whatever follows: a block match
    /// inside them is dropped ("cum" inside "summa cum laude").
    spans: Vec<(usize, usize)>,
}

impl Allowed {
    /// Empty (no allocation).
    pub(super) const fn new() -> Self {
        Self {
            words: Vec::new(),
            spans: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.words.clear();
        self.spans.clear();
    }

    /// Whether a block match over `matched` is inside an allow match
    /// recorded since `mark` (in the same buffer).
    fn protects(&self, mark: usize, matched: (usize, usize)) -> bool {
        covers(&self.spans[mark..], matched)
    }
}

/// Whether one of `ranges` holds all of `inner`.
fn covers(ranges: &[(usize, usize)], inner: (usize, usize)) -> bool {
    ranges
        .iter()
        .any(|&(from, to)| from <= inner.0 && inner.1 <= to)
}

/// The compiled lists.
#[derive(Debug)]
pub(super) struct Matcher {
    /// Every spelling, walked anchored from each word start.
    words: DFA,
    /// The anchored start state of `words`.
    start: StateID,
    /// The spellings of `infix` entries alone, searched anywhere.
    infix: Option<AhoCorasick>,
    /// For each pattern of `infix`, its group.
    infix_groups: Vec<usize>,
    /// The same spellings as `infix`, walked anchored in short buffers.
    infix_words: DFA,
    /// The anchored start state of `infix_words`.
    infix_start: StateID,
    /// For each byte, whether an infix spelling starts with it.
    infix_first: [bool; 256],
    /// For each pattern of `words`, what it stands for (one spelling
    /// can stand for several entries, with different run lengths).
    groups: Vec<Vec<Pattern>>,
    pub(super) entries: Vec<Entry>,
    /// The endings of each language, by index.
    endings: Vec<Endings>,
}

/// The normalised form of a word or phrase: bytes and run lengths.
fn normalise(text: &str) -> (Vec<u8>, Vec<u8>) {
    let mut view = View::new();
    view.build(text);
    view.trim();
    (view.bytes, view.runs)
}

impl Matcher {
    /// Compiles the block entries and allow words (each with the index of
    /// its language), given each language's inflections (`None`: English's).
    /// Fails, naming the word, when one normalises to nothing or a block
    /// word to more than one word.
    pub(super) fn new(
        entries: Vec<Entry>,
        allow: &[(String, usize)],
        inflections: &[Option<Inflection>],
    ) -> Result<Self, String> {
        let endings: Vec<Endings> = inflections
            .iter()
            .map(|inflection| {
                inflection
                    .as_ref()
                    .map_or_else(Endings::english, Endings::from_list)
            })
            .collect();
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
                p.entry == pattern.entry
                    && p.stem == pattern.stem
                    && p.runs == pattern.runs
                    && p.language == pattern.language
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
                let stems = endings[entry.language].stems(word);
                spellings.extend(stems.into_iter().map(|stem| (stem, true)));
            }
            for (spelling, stem) in spellings {
                let pattern = Pattern {
                    entry: Some(index),
                    runs: Box::default(),
                    stem,
                    language: entry.language,
                };
                add(&spelling, pattern)?;
            }
        }
        for (word, language) in allow {
            add(
                word,
                Pattern {
                    entry: None,
                    runs: Box::default(),
                    stem: false,
                    language: *language,
                },
            )?;
        }
        let words = anchored_dfa(&bytes)?;
        let start = words
            .start_state(Anchored::Yes)
            .map_err(|e| e.to_string())?;
        let infix_groups: Vec<usize> = (0..groups.len())
            .filter(|&group| groups[group].iter().any(|p| searched_inside(&entries, p)))
            .collect();
        let mut infix_first = [false; 256];
        for &group in &infix_groups {
            if let Some(&first) = bytes[group].first() {
                infix_first[usize::from(first)] = true;
            }
        }
        let infix_words = anchored_dfa(infix_groups.iter().map(|&group| &bytes[group]))?;
        let infix_start = infix_words
            .start_state(Anchored::Yes)
            .map_err(|e| e.to_string())?;
        let infix = if infix_groups.is_empty() {
            None
        } else {
            let patterns = infix_groups.iter().map(|&group| &bytes[group]);
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(patterns)
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(Self {
            words,
            start,
            infix,
            infix_groups,
            infix_words,
            infix_start,
            infix_first,
            groups,
            entries,
            endings,
        })
    }

    /// Finds the blocked words of `view` into `hits` (sorted by start, not
    /// merged). `allowed` and `starred` are scratch space.
    ///
    /// Each word of the view is walked from its start through one anchored
    /// automaton, and the longest spelling found there wins: the most
    /// specific word ("asshat" over "ass", the allowed "cocky" over
    /// "cock"). Most words leave the automaton after a letter or two, so
    /// the view is not read twice. Entries marked `infix` are searched
    /// again anywhere inside words ("motherfucker"). A word with a wildcard
    /// (a `*` inside it) is searched again once for each vowel the `*` may
    /// stand for.
    pub(super) fn find(
        &self,
        view: &View,
        hits: &mut Vec<Hit>,
        allowed: &mut Allowed,
        starred: &mut Starred,
    ) {
        hits.clear();
        allowed.clear();
        let (bytes, runs) = (view.bytes.as_slice(), view.runs.as_slice());
        self.search(bytes, runs, view.word_starts(), hits, allowed);
        self.search_starred(bytes, runs, hits, allowed, starred);
        if !allowed.words.is_empty() {
            hits.retain(|hit| !covers(&allowed.words, (hit.start, hit.end)));
        }
        hits.sort_unstable_by_key(|hit| (hit.start, hit.end, hit.entry));
        hits.dedup();
    }

    /// One pass over `bytes` (with their `runs`): an anchored walk from
    /// each of `word_starts`, then the infix entries anywhere inside words.
    fn search(
        &self,
        bytes: &[u8],
        runs: &[u8],
        word_starts: impl Iterator<Item = usize>,
        hits: &mut Vec<Hit>,
        allowed: &mut Allowed,
    ) {
        let pass = Pass {
            bytes,
            runs,
            hit_mark: hits.len(),
            span_mark: allowed.spans.len(),
        };
        for at in word_starts {
            if let Some((end, group)) = longest_at(&self.words, self.start, bytes, at) {
                self.check_word_start(&pass, (at, end), group, hits, allowed);
            }
        }
        let Some(infix) = &self.infix else {
            return;
        };
        if bytes.len() > SHORT {
            for found in infix.find_iter(bytes) {
                let group = self.infix_groups[found.pattern().as_usize()];
                self.check_infix(&pass, (found.start(), found.end()), group, hits, allowed);
            }
            return;
        }
        // A short buffer (a starred word): walking from each position costs
        // less than setting up a search. The longest infix spelling at the
        // leftmost position wins, as in the search.
        let mut at = 0;
        while at < bytes.len() {
            let next = word_end(bytes, at);
            while at < next {
                if !self.infix_first[usize::from(bytes[at])] {
                    at += 1;
                    continue;
                }
                match longest_at(&self.infix_words, self.infix_start, bytes, at) {
                    Some((end, pattern)) => {
                        let group = self.infix_groups[pattern];
                        self.check_infix(&pass, (at, end), group, hits, allowed);
                        at = end;
                    }
                    None => at += 1,
                }
            }
            at = next + 1;
        }
    }

    /// Checks the spelling of `group` found at `matched`, which starts a
    /// word, against each pattern it stands for.
    fn check_word_start(
        &self,
        pass: &Pass<'_>,
        matched: (usize, usize),
        group: usize,
        hits: &mut Vec<Hit>,
        allowed: &mut Allowed,
    ) {
        let (start, end) = matched;
        let word_end = word_end(pass.bytes, end);
        let rest = &pass.bytes[end..word_end];
        for pattern in &self.groups[group] {
            if !runs_fit(&pass.runs[start..end], pattern) {
                continue;
            }
            let endings = &self.endings[pattern.language];
            let Some(index) = pattern.entry else {
                allowed.spans.push(matched);
                if takes(rest, &endings.suffixes) {
                    allowed.words.push((start, word_end));
                }
                continue;
            };
            let entry = &self.entries[index];
            // A stem ("whor" of "whore") takes a suffix.
            let whole = if pattern.stem {
                !rest.is_empty() && takes(rest, &endings.stem_suffixes)
            } else if entry.exact {
                rest.is_empty()
            } else {
                takes(rest, &endings.suffixes)
            };
            let inside = !whole && !pattern.stem && (entry.infix || entry.head);
            if (whole || inside) && !allowed.protects(pass.span_mark, matched) {
                hits.push(Hit {
                    start,
                    end: word_end,
                    entry: index,
                    inside,
                });
            }
        }
    }

    /// Checks an infix spelling of `group` found anywhere at `matched`: the
    /// word holding it matches, unless it already matched from its start
    /// or an allow word spans the match.
    fn check_infix(
        &self,
        pass: &Pass<'_>,
        matched: (usize, usize),
        group: usize,
        hits: &mut Vec<Hit>,
        allowed: &Allowed,
    ) {
        let start = pass.bytes[..matched.0]
            .iter()
            .rposition(|&b| b == BOUNDARY)
            .map_or(0, |i| i + 1);
        if hits[pass.hit_mark..].iter().any(|hit| hit.start == start)
            || allowed.protects(pass.span_mark, matched)
        {
            return;
        }
        let end = word_end(pass.bytes, matched.1);
        for pattern in &self.groups[group] {
            if !searched_inside(&self.entries, pattern)
                || !runs_fit(&pass.runs[matched.0..matched.1], pattern)
            {
                continue;
            }
            let Some(index) = pattern.entry else {
                continue;
            };
            // A tail ends its word, save for an inflection.
            let entry = &self.entries[index];
            if !entry.infix
                && !takes(
                    &pass.bytes[matched.1..end],
                    &self.endings[pattern.language].suffixes,
                )
            {
                continue;
            }
            hits.push(Hit {
                start,
                end,
                entry: index,
                inside: true,
            });
        }
    }
}

/// The buffer one search pass reads, and where its results begin.
struct Pass<'a> {
    bytes: &'a [u8],
    runs: &'a [u8],
    /// Hits before this index came from other buffers.
    hit_mark: usize,
    /// Allow spans before this index came from other buffers.
    span_mark: usize,
}

/// Buffers up to this length are searched for infix spellings by walking
/// from each position instead of with the infix automaton.
pub(super) const SHORT: usize = 24;

/// A leftmost-longest DFA of `patterns` for anchored walks.
fn anchored_dfa<I, P>(patterns: I) -> Result<DFA, String>
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    DFA::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .prefilter(false)
        .build(patterns)
        .map_err(|e| e.to_string())
}

/// The longest pattern of `dfa` (walked from its anchored `start`) that
/// starts at `at`: its end and pattern index.
#[inline]
fn longest_at(dfa: &DFA, start: StateID, bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut state = start;
    let mut found = None;
    for (offset, &byte) in bytes[at..].iter().enumerate() {
        state = dfa.next_state(Anchored::Yes, state, byte);
        if dfa.is_special(state) {
            if dfa.is_dead(state) {
                break;
            }
            if dfa.is_match(state) {
                // A match state also carries the shorter patterns that end
                // here (its own comes first); only one that starts at `at`
                // counts.
                let pattern = dfa.match_pattern(state, 0);
                if dfa.pattern_len(pattern) == offset + 1 {
                    found = Some((at + offset + 1, pattern.as_usize()));
                }
            }
        }
    }
    found
}

/// Whether `pattern` is the full spelling of an entry that may match
/// inside a word, anywhere (`infix`) or at its end (`tail`); stems only
/// match at word starts.
fn searched_inside(entries: &[Entry], pattern: &Pattern) -> bool {
    !pattern.stem
        && pattern
            .entry
            .is_some_and(|index| entries[index].infix || entries[index].tail)
}

/// Whether each byte of a match repeats at least as often as `pattern`
/// needs ("ass" needs two `s`).
fn runs_fit(have: &[u8], pattern: &Pattern) -> bool {
    have.iter()
        .zip(pattern.runs.iter())
        .all(|(have, need)| have >= need)
}

/// The end of the word that holds (or ends before) byte `at`. Words are
/// short: a plain loop beats a vectorised search here.
#[inline]
fn word_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == BOUNDARY)
        .map_or(bytes.len(), |i| at + i)
}

/// Whether `rest` is empty or one of `suffixes`.
fn takes(rest: &[u8], suffixes: &[Box<[u8]>]) -> bool {
    rest.is_empty() || suffixes.iter().any(|suffix| **suffix == *rest)
}

#[cfg(test)]
mod tests {
    use super::super::lists::{Category, Severity};
    use super::*;

    /// An entry of language 0 with the flags named in `flags`.
    fn entry(word: &str, flags: &str) -> Entry {
        let mut entry = Entry::plain(word.into(), Category::General, Severity::Moderate);
        entry.head = flags.contains("head");
        entry.tail = flags.contains("tail");
        entry.infix = flags.contains("infix");
        entry.exact = flags.contains("exact");
        entry
    }

    /// The words of `text` the matcher flags.
    fn flagged(matcher: &Matcher, text: &str) -> Vec<String> {
        let mut view = View::new();
        view.build(text);
        let (mut hits, mut allowed, mut starred) = (Vec::new(), Allowed::new(), Starred::new());
        matcher.find(&view, &mut hits, &mut allowed, &mut starred);
        hits.iter()
            .map(|hit| String::from_utf8_lossy(&view.bytes[hit.start..hit.end]).into_owned())
            .collect()
    }

    fn spanish() -> Option<Inflection> {
        Some(Inflection {
            suffixes: vec!["s".into(), "es".into()],
            stem_drop: vec!['a', 'o'],
            stem_suffixes: vec!["ita".into(), "itas".into(), "ón".into()],
        })
    }

    #[test]
    fn a_list_declares_its_own_endings() {
        let matcher = Matcher::new(vec![entry("puta", "")], &[], &[spanish()]).unwrap();
        for hit in ["puta", "putas", "putita", "putitas", "putón", "PUTÓN"] {
            assert_eq!(flagged(&matcher, hit).len(), 1, "{hit}");
        }
        // English endings do not apply to a list that declares its own,
        // and a stem needs one of the stem endings.
        for clean in ["putamen", "puting", "puted", "put", "putx", "disputa"] {
            assert!(flagged(&matcher, clean).is_empty(), "{clean}");
        }
    }

    #[test]
    fn heads_start_compounds_and_tails_end_them() {
        let german = Some(Inflection {
            suffixes: vec!["e".into(), "en".into(), "s".into()],
            ..Inflection::default()
        });
        let entries = vec![
            entry("scheiß", "head"),
            entry("arschloch", "tail"),
            entry("schwanz", ""),
        ];
        let matcher = Matcher::new(entries, &[], &[german]).unwrap();
        for hit in [
            "Scheißtag",
            "scheissegal",
            "Riesenarschloch",
            "Riesenarschlöcher",
            "riesenarschlochs",
            "arschloch",
        ] {
            let expected = usize::from(!hit.ends_with("cher"));
            assert_eq!(flagged(&matcher, hit).len(), expected, "{hit}");
        }
        // A head does not end a compound, a tail does not start one, and a
        // word with neither flag matches only as itself.
        for clean in [
            "Mistscheiß",
            "arschlochfreund",
            "Schwanzflosse",
            "Pferdeschwanz",
        ] {
            assert!(flagged(&matcher, clean).is_empty(), "{clean}");
        }
    }

    #[test]
    fn each_language_keeps_its_own_endings() {
        let mut spanish_entry = entry("puta", "");
        spanish_entry.language = 1;
        let matcher = Matcher::new(
            vec![entry("wank", ""), spanish_entry],
            &[("wanky".into(), 0)],
            &[None, spanish()],
        )
        .unwrap();
        assert_eq!(flagged(&matcher, "wanking putitas"), ["wanking", "putitas"]);
        assert!(flagged(&matcher, "putaing wankita wanky").is_empty());
    }
}
