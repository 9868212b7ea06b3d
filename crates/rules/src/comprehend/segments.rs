//! Splitting text into DetectToxicContent's segments.

/// The most segments one request carries.
pub const MAX_SEGMENTS: usize = 10;
/// The largest segment, in UTF-8 bytes: AWS documents "a maximum size of
/// 1 KB" without saying 1,000 or 1,024; the stricter reading.
pub const MAX_SEGMENT_BYTES: usize = 1000;

/// Splits `text` into consecutive segments of at most `MAX_SEGMENT_BYTES`
/// bytes, each ending at a sentence end (`.`, `!`, `?`, a line break)
/// when one falls in the second half of the segment, else at a space,
/// else at a character boundary: never inside a UTF-8 character. The
/// segments concatenate to the text (or its first `MAX_SEGMENTS`
/// segments' worth, and then `true`: the rest was cut).
pub fn split(text: &str) -> (Vec<&str>, bool) {
    let mut segments = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if segments.len() == MAX_SEGMENTS {
            return (segments, true);
        }
        if rest.len() <= MAX_SEGMENT_BYTES {
            segments.push(rest);
            break;
        }
        let mut limit = MAX_SEGMENT_BYTES;
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &rest[..limit];
        let mut half = limit / 2;
        while !window.is_char_boundary(half) {
            half -= 1;
        }
        let cut = window[half..]
            .rfind(['.', '!', '?', '\n'])
            .map(|at| half + at + 1)
            .or_else(|| window[half..].rfind(' ').map(|at| half + at + 1))
            .unwrap_or(limit);
        segments.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    (segments, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_text_is_one_segment() {
        assert_eq!(split("hello there"), (vec!["hello there"], false));
        assert_eq!(split(""), (Vec::<&str>::new(), false));
    }

    #[test]
    fn cuts_after_a_sentence() {
        let text = format!("{}. {}", "a".repeat(700), "b".repeat(700));
        let (segments, cut) = split(&text);
        assert!(!cut);
        assert_eq!(segments.len(), 2);
        assert!(segments[0].ends_with('.'));
    }

    #[test]
    fn more_than_ten_kilobytes_is_cut() {
        let text = "word ".repeat(3000);
        let (segments, cut) = split(&text);
        assert!(cut);
        assert_eq!(segments.len(), MAX_SEGMENTS);
    }

    #[test]
    fn the_middle_of_a_character_is_never_a_cut() {
        // The search for a sentence end starts half way into the window:
        // here that is inside a four-byte character.
        let text = format!("{}\u{1FA80}{}", "a".repeat(497), "b".repeat(900));
        let (segments, cut) = split(&text);
        assert!(!cut);
        assert_eq!(segments.concat(), text);
    }

    proptest! {
        #[test]
        fn segments_are_small_whole_and_on_boundaries(text in "\\PC{0,3000}") {
            let (segments, cut) = split(&text);
            prop_assert!(segments.len() <= MAX_SEGMENTS);
            for segment in &segments {
                prop_assert!(!segment.is_empty() && segment.len() <= MAX_SEGMENT_BYTES);
            }
            let joined = segments.concat();
            if cut {
                prop_assert!(text.starts_with(&joined));
            } else {
                prop_assert_eq!(joined, text);
            }
        }
    }
}
