//! Where each byte of edited content came from.
//!
//! Rules run one after another, each on the output of the one before, but a
//! [`Finding`](crate::Finding) must point into the content as received. An
//! [`EditMap`] records, for the current text, which runs are copies of the
//! original and which were written by a rule (and which original bytes they
//! replaced). It maps spans back to the original and, when redaction tokens
//! grow the content past the service limit, rebuilds a compact version in
//! which every written run is no longer than what it replaced.

use std::ops::Range;

/// One contiguous run of the current text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Segment {
    /// Bytes of the current text.
    current: Range<usize>,
    /// Bytes of the original text this run stands for.
    original: Range<usize>,
    /// Written by a rule (true) or copied from the original (false).
    written: bool,
}

impl Segment {
    /// The part of this run covering `from..to` (current coordinates, inside
    /// `self.current`), moved by `shift` bytes.
    fn slice(&self, from: usize, to: usize, shift: isize) -> Segment {
        let original = if self.written {
            // A written run has no byte-for-byte correspondence: its first
            // piece keeps the whole original range, later pieces none.
            if from == self.current.start {
                self.original.clone()
            } else {
                self.original.end..self.original.end
            }
        } else {
            let offset = self.original.start;
            let base = self.current.start;
            (offset + from - base)..(offset + to - base)
        };
        Segment {
            current: move_by(from, shift)..move_by(to, shift),
            original,
            written: self.written,
        }
    }
}

fn move_by(position: usize, shift: isize) -> usize {
    position
        .checked_add_signed(shift)
        .expect("edit shift stays in range")
}

/// The provenance of the current content. `None` segments means "unedited".
#[derive(Clone, Debug, Default)]
pub(crate) struct EditMap {
    segments: Option<Vec<Segment>>,
}

impl EditMap {
    /// Whether any edit has been recorded.
    pub(crate) fn is_edited(&self) -> bool {
        self.segments.is_some()
    }

    /// The segments of the current text (`None`: unedited), for a
    /// [`Recorder`].
    pub(crate) fn segments(&self) -> Option<&[Segment]> {
        self.segments.as_deref()
    }

    /// Installs what a [`Recorder`] built.
    pub(crate) fn set_segments(&mut self, segments: Vec<Segment>) {
        self.segments = Some(segments);
    }

    /// Records that `edits` (sorted, non-overlapping byte ranges of the
    /// current text of length `current_len`, each with the length of its
    /// replacement) were applied.
    pub(crate) fn record(&mut self, current_len: usize, edits: &[(Range<usize>, usize)]) {
        let mut recorder = Recorder::new(self.segments.as_deref(), current_len, edits.len());
        for (range, new_len) in edits {
            recorder.edit(range.clone(), *new_len);
        }
        self.segments = Some(recorder.finish());
    }

    /// The span of the original text that `span` of the current text
    /// (of length `current_len`) stands for.
    pub(crate) fn to_original(&self, span: Range<usize>, current_len: usize) -> Range<usize> {
        let Some(segments) = &self.segments else {
            return span;
        };
        let start = map_start(segments, span.start, current_len);
        if span.is_empty() {
            return start..start;
        }
        let end = map_end(segments, span.end).max(start);
        start..end
    }

    /// The current text rebuilt so that every run a rule wrote is no longer
    /// than the original text it replaced, in UTF-8 bytes and in UTF-16
    /// code units: longer runs become one `*` per replaced character. The
    /// result is never longer than the original in either unit.
    pub(crate) fn compact(&self, current: &str, original: &str) -> String {
        let Some(segments) = &self.segments else {
            return current.to_owned();
        };
        let mut out = String::with_capacity(original.len());
        for segment in segments {
            let written = &current[segment.current.clone()];
            let replaced = &original[segment.original.clone()];
            let longer = written.len() > replaced.len()
                || crate::limits::utf16_len(written) > crate::limits::utf16_len(replaced);
            if segment.written && longer {
                out.extend(std::iter::repeat_n('*', replaced.chars().count()));
            } else {
                out.push_str(written);
            }
        }
        out
    }
}

/// Builds the segments of the next text from those of the current one, one
/// edit at a time (so that callers need not collect their edits first).
pub(crate) struct Recorder<'a> {
    /// The current segments; `None` means unedited.
    segments: Option<&'a [Segment]>,
    /// The one segment of an unedited text (kept here: no allocation).
    identity: [Segment; 1],
    current_len: usize,
    next: Vec<Segment>,
    shift: isize,
    cursor: usize,
}

impl<'a> Recorder<'a> {
    /// Starts recording edits of a text of `current_len` bytes whose
    /// provenance is `segments` (`None`: unedited); `expected` edits size
    /// the buffer.
    pub(crate) fn new(
        segments: Option<&'a [Segment]>,
        current_len: usize,
        expected: usize,
    ) -> Self {
        let identity = [Segment {
            current: 0..current_len,
            original: 0..current_len,
            written: false,
        }];
        let count = segments.map_or(1, <[Segment]>::len);
        Self {
            segments,
            identity,
            current_len,
            next: Vec::with_capacity(count + 2 * expected + 1),
            shift: 0,
            cursor: 0,
        }
    }

    fn current(&self) -> &[Segment] {
        match self.segments {
            Some(segments) => segments,
            None if self.current_len == 0 => &[],
            None => &self.identity,
        }
    }

    /// Records that `range` (after the previous edit's) was replaced by
    /// `new_len` bytes.
    pub(crate) fn edit(&mut self, range: Range<usize>, new_len: usize) {
        let (shift, cursor, current_len) = (self.shift, self.cursor, self.current_len);
        let mut next = std::mem::take(&mut self.next);
        let segments = self.current();
        copy_between(segments, cursor, range.start, shift, &mut next);
        let start = map_start(segments, range.start, current_len);
        let original = if range.is_empty() {
            start..start
        } else {
            start..map_end(segments, range.end).max(start)
        };
        if new_len > 0 {
            let at = move_by(range.start, shift);
            next.push(Segment {
                current: at..at + new_len,
                original,
                written: true,
            });
        }
        self.next = next;
        self.shift += new_len as isize - range.len() as isize;
        self.cursor = range.end;
    }

    /// The segments of the edited text.
    pub(crate) fn finish(mut self) -> Vec<Segment> {
        let mut next = std::mem::take(&mut self.next);
        copy_between(
            self.current(),
            self.cursor,
            self.current_len,
            self.shift,
            &mut next,
        );
        next
    }
}

/// Copies the runs covering `from..to` of the current text into `next`.
fn copy_between(
    segments: &[Segment],
    from: usize,
    to: usize,
    shift: isize,
    next: &mut Vec<Segment>,
) {
    if from >= to {
        return;
    }
    let first = segments.partition_point(|s| s.current.end <= from);
    for segment in &segments[first..] {
        if segment.current.start >= to {
            break;
        }
        let lo = segment.current.start.max(from);
        let hi = segment.current.end.min(to);
        next.push(segment.slice(lo, hi, shift));
    }
}

/// Original position of a span starting at `position`.
fn map_start(segments: &[Segment], position: usize, current_len: usize) -> usize {
    if position >= current_len {
        return segments.last().map_or(position, |s| s.original.end);
    }
    let index = segments.partition_point(|s| s.current.end <= position);
    let segment = &segments[index];
    if segment.written {
        segment.original.start
    } else {
        segment.original.start + (position - segment.current.start)
    }
}

/// Original position of a span ending at `position`.
fn map_end(segments: &[Segment], position: usize) -> usize {
    if position == 0 {
        return segments.first().map_or(0, |s| s.original.start);
    }
    let index = segments.partition_point(|s| s.current.end < position);
    let Some(segment) = segments.get(index) else {
        return segments.last().map_or(position, |s| s.original.end);
    };
    if segment.written {
        segment.original.end
    } else {
        segment.original.start + (position - segment.current.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies edits to text and records them, as Message does.
    fn apply(map: &mut EditMap, text: &str, edits: &[(Range<usize>, &str)]) -> String {
        let mut out = String::new();
        let mut cursor = 0;
        for (range, replacement) in edits {
            out.push_str(&text[cursor..range.start]);
            out.push_str(replacement);
            cursor = range.end;
        }
        out.push_str(&text[cursor..]);
        let lengths: Vec<_> = edits.iter().map(|(r, s)| (r.clone(), s.len())).collect();
        map.record(text.len(), &lengths);
        out
    }

    #[test]
    fn unedited_maps_identity() {
        let map = EditMap::default();
        assert_eq!(map.to_original(3..7, 10), 3..7);
        assert!(!map.is_edited());
    }

    #[test]
    fn spans_after_a_growing_edit_map_back() {
        let original = "mail a@b.co now, bad word";
        let mut map = EditMap::default();
        let current = apply(&mut map, original, &[(5..11, "[EMAIL]")]);
        assert_eq!(current, "mail [EMAIL] now, bad word");
        let bad = current.find("bad").unwrap();
        assert_eq!(map.to_original(bad..bad + 3, current.len()), 17..20);
        assert_eq!(&original[17..20], "bad");
        // A span inside the token maps to the whole replaced value.
        assert_eq!(map.to_original(6..9, current.len()), 5..11);
    }

    #[test]
    fn two_stages_compose() {
        let original = "aa XX bb YY cc";
        let mut map = EditMap::default();
        let first = apply(&mut map, original, &[(3..5, "[LONG-TOKEN]")]);
        let yy = first.find("YY").unwrap();
        let second = apply(&mut map, &first, &[(yy..yy + 2, "")]);
        assert_eq!(second, "aa [LONG-TOKEN] bb  cc");
        let cc = second.find("cc").unwrap();
        assert_eq!(map.to_original(cc..cc + 2, second.len()), 12..14);
        assert_eq!(map.compact(&second, original), "aa ** bb  cc");
    }

    #[test]
    fn compact_is_never_longer_than_the_original() {
        let original = "x@y.z and é@f.g";
        let mut map = EditMap::default();
        let current = apply(
            &mut map,
            original,
            &[(0..5, "[EMAIL]"), (10..original.len(), "[EMAIL]")],
        );
        let compact = map.compact(&current, original);
        assert!(compact.len() <= original.len());
        assert_eq!(compact, "***** and *****");
    }

    #[test]
    fn insertion_at_the_end_maps_to_the_end() {
        let original = "hello";
        let mut map = EditMap::default();
        let current = apply(&mut map, original, &[(5..5, " [edited]")]);
        assert_eq!(map.to_original(6..12, current.len()), 5..5);
        assert_eq!(map.compact(&current, original), "hello");
    }
}
