//! Error messages that do not repeat the value they complain about.

/// serde's `invalid type: string "…", expected …` (and `invalid value:`,
/// and `character` for a char) quotes the value found. Configuration errors
/// name the file, line and key and say what was expected instead: a value
/// put where a list belongs may be a confidential word or pattern. (Found by
/// the `config` fuzz target: `patterns = "…"` echoed the pattern.)
pub(crate) fn without_quoted_value(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        for (kind, quote) in [("string", " \""), ("character", " `")] {
            if rest.starts_with(kind) && rest[kind.len()..].starts_with(quote) {
                let expected = message.rfind(", expected ").map_or("", |at| &message[at..]);
                return format!("{prefix}{kind}{expected}");
            }
        }
    }
    message.to_owned()
}
