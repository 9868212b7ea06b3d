//! Words with a wildcard: "sh*t" is searched again with each vowel the `*`
//! may stand for, in a buffer of its own, and the matches are mapped back
//! to the view. Vowels that cannot change the outcome are skipped.

use aho_corasick::Anchored;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;

use super::{Allowed, Hit, Matcher, word_end};
use crate::profanity::normalize::{BOUNDARY, WILD};

/// What a wildcard in a word may stand for.
const VOWELS: [u8; 6] = [b'a', b'e', b'i', b'o', b'u', b'y'];

impl Matcher {
    /// Searches each word of the view (`bytes`, `runs`) that holds a
    /// wildcard again, once for each vowel worth trying, adding to `hits`
    /// and `allowed` in view coordinates.
    pub(super) fn search_starred(
        &self,
        bytes: &[u8],
        runs: &[u8],
        hits: &mut Vec<Hit>,
        allowed: &mut Allowed,
        starred: &mut Starred,
    ) {
        let mut at = 0;
        while let Some(found) = memchr::memchr(WILD, &bytes[at..]) {
            let star = at + found;
            let start = memchr::memrchr(BOUNDARY, &bytes[..star]).map_or(0, |i| i + 1);
            let end = word_end(bytes, star);
            let worth = self.vowels_worth_trying(&bytes[start..end], star - start);
            for (bit, vowel) in VOWELS.into_iter().enumerate() {
                if worth & (1 << bit) == 0 {
                    continue;
                }
                starred.fill(&bytes[start..end], &runs[start..end], start, vowel);
                let hit_mark = hits.len();
                let (word_mark, span_mark) = (allowed.words.len(), allowed.spans.len());
                // The buffer is one word.
                let starts = std::iter::once(0);
                self.search(&starred.bytes, &starred.runs, starts, hits, allowed);
                for hit in &mut hits[hit_mark..] {
                    (hit.start, hit.end) = starred.to_view(hit.start, hit.end);
                }
                for range in &mut allowed.words[word_mark..] {
                    *range = starred.to_view(range.0, range.1);
                }
                for range in &mut allowed.spans[span_mark..] {
                    *range = starred.to_view(range.0, range.1);
                }
            }
            at = end;
        }
    }

    /// Which of [`VOWELS`] (a bit each) can change what a word with a
    /// wildcard at `star` matches, so that the others need no search. A
    /// vowel matters if a spelling that can start at or before the wildcard
    /// (any at the word start, infix ones inside) is still alive after
    /// reading the vowel there and the letter after it. Matches that end
    /// before the wildcard or start after it read the same bytes as in the
    /// view, where they were found already. All vowels are tried for a word
    /// with two wildcards, or one where a spelling ends before the wildcard
    /// at the word start (its suffix holds the vowel).
    fn vowels_worth_trying(&self, word: &[u8], star: usize) -> u8 {
        const ALL: u8 = (1 << VOWELS.len()) - 1;
        if star == 0 || word[star + 1..].contains(&WILD) {
            return ALL;
        }
        let after = word.get(star + 1).copied();
        let mut worth = 0;
        // Infix spellings that start with the vowel.
        for (bit, &vowel) in VOWELS.iter().enumerate() {
            if reads_on(&self.infix_words, self.infix_start, vowel, after) {
                worth |= 1 << bit;
            }
        }
        for from in 0..star {
            if from > 0 && !self.infix_first[usize::from(word[from])] {
                continue;
            }
            // From the word start any spelling, inside it infix ones only.
            let (dfa, mut state) = if from == 0 {
                (&self.words, self.start)
            } else {
                (&self.infix_words, self.infix_start)
            };
            let mut alive = true;
            for &byte in &word[from..star] {
                state = dfa.next_state(Anchored::Yes, state, byte);
                if dfa.is_dead(state) {
                    alive = false;
                    break;
                }
                if from == 0 && dfa.is_match(state) {
                    return ALL;
                }
            }
            if !alive {
                continue;
            }
            for (bit, &vowel) in VOWELS.iter().enumerate() {
                // A vowel equal to the letter before the wildcard merges with it.
                let merges = word[star - 1] == vowel;
                if merges || reads_on(dfa, state, vowel, after) {
                    worth |= 1 << bit;
                }
            }
        }
        worth
    }
}

/// Whether a walk of `dfa` in `state` survives reading `vowel` and then
/// `after` (the letter after the wildcard), or matches on the vowel. When
/// `after` repeats the vowel the two merge in the view: assume it does.
fn reads_on(dfa: &DFA, state: StateID, vowel: u8, after: Option<u8>) -> bool {
    let state = dfa.next_state(Anchored::Yes, state, vowel);
    if dfa.is_dead(state) {
        return false;
    }
    match after {
        _ if dfa.is_match(state) => true,
        Some(next) if next != vowel => !dfa.is_dead(dfa.next_state(Anchored::Yes, state, next)),
        _ => true,
    }
}

/// A word of the view with its wildcards replaced by one vowel, collapsed
/// again ("d*ldo" as "diido" reads "dido" with a double i), and where each
/// of its bytes came from in the view.
#[derive(Debug, Default)]
pub(in crate::profanity) struct Starred {
    bytes: Vec<u8>,
    runs: Vec<u8>,
    map: Vec<usize>,
}

impl Starred {
    /// An empty buffer (no allocation).
    pub(in crate::profanity) const fn new() -> Self {
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
