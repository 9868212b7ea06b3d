//! Printing responses: JSON (one line, or indented on a terminal), or a table.

use std::io::{IsTerminal, Write};

use serde_json::Value;

use crate::failure::Failure;

/// How the AWS commands (`flows`, `channels`, `messages`, `app-instances`,
/// `users`, `admins`) print responses: their `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// The response as JSON, PascalCase as the AWS CLI prints it (one line;
    /// indented when standard output is a terminal).
    Json,
    /// A table: one row per item of a list, else one row per field.
    Table,
}

/// Prints one response in `format`.
pub fn print(value: &Value, format: OutputFormat) -> Result<(), Failure> {
    let text = match format {
        OutputFormat::Json if std::io::stdout().is_terminal() => {
            serde_json::to_string_pretty(value).expect("JSON values serialize")
        }
        OutputFormat::Json => value.to_string(),
        OutputFormat::Table => table(value),
    };
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Output(e)),
    }
}

/// Prints one JSON line whatever the format (for streams such as `watch`),
/// or a table in table format.
pub fn print_line(value: &Value, format: OutputFormat) -> Result<(), Failure> {
    match format {
        OutputFormat::Json => {
            let mut out = std::io::stdout().lock();
            match writeln!(out, "{value}").and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure::Output(e)),
            }
        }
        OutputFormat::Table => print(value, format),
    }
}

/// A response as text: a response whose main field is a list of objects
/// becomes one row per item (nested fields as dotted columns), other
/// fields follow as `Key: value`; any other response becomes `KEY  VALUE`
/// rows.
pub fn table(value: &Value) -> String {
    let Value::Object(map) = value else {
        return scalar(value);
    };
    let listed = map
        .iter()
        .find(|(_, v)| matches!(v, Value::Array(items) if items.iter().all(Value::is_object)));
    let mut out = String::new();
    match listed {
        Some((key, Value::Array(items))) => {
            let rows: Vec<Vec<(String, String)>> = items
                .iter()
                .map(|item| {
                    let mut cells = Vec::new();
                    flatten("", item, &mut cells);
                    cells
                })
                .collect();
            let mut columns: Vec<String> = Vec::new();
            for row in &rows {
                for (column, _) in row {
                    if !columns.contains(column) {
                        columns.push(column.clone());
                    }
                }
            }
            if rows.is_empty() {
                out.push_str(&format!("(no {})\n", visible(key)));
            } else {
                let grid: Vec<Vec<String>> = rows
                    .iter()
                    .map(|row| {
                        columns
                            .iter()
                            .map(|c| {
                                row.iter()
                                    .find(|(k, _)| k == c)
                                    .map(|(_, v)| v.clone())
                                    .unwrap_or_default()
                            })
                            .collect()
                    })
                    .collect();
                out.push_str(&grid_text(&columns, &grid));
            }
            for (other, v) in map.iter().filter(|(k, _)| *k != key) {
                let mut cells = Vec::new();
                flatten(other, v, &mut cells);
                for (k, v) in cells {
                    out.push_str(&format!("{k}: {v}\n"));
                }
            }
        }
        _ => {
            let mut cells = Vec::new();
            flatten("", value, &mut cells);
            let headers = vec!["KEY".to_owned(), "VALUE".to_owned()];
            let grid: Vec<Vec<String>> = cells.into_iter().map(|(k, v)| vec![k, v]).collect();
            out.push_str(&grid_text(&headers, &grid));
        }
    }
    out.trim_end().to_owned()
}

fn flatten(prefix: &str, value: &Value, cells: &mut Vec<(String, String)>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&join(k), v, cells);
            }
        }
        Value::Array(items) if items.is_empty() => {}
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), item, cells);
            }
        }
        Value::Array(items) => cells.push((
            visible(prefix),
            items.iter().map(scalar).collect::<Vec<_>>().join(","),
        )),
        other => cells.push((visible(prefix), scalar(other))),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => visible(s),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `text` safe for a terminal: line breaks and tabs become spaces, and
/// every other control character (ESC among them) and the bidi overrides
/// and isolates (U+202A-202E, U+2066-2069), which could rewrite or reorder
/// what the terminal shows, become a visible `\u{…}` escape.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control()
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c) =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

fn grid_text(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        text.trim_end().to_owned() + "\n"
    };
    let mut out = line(headers);
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_response_is_one_row_per_item() {
        let text = table(&json!({
            "ChannelFlows": [
                {"ChannelFlowArn": "arn:a", "Name": "one",
                 "Processors": [{"Name": "p", "ExecutionOrder": 1}]},
                {"ChannelFlowArn": "arn:bb", "Name": "two", "Processors": []}
            ],
            "NextToken": "t"
        }));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "ChannelFlowArn  Name  Processors[0].Name  Processors[0].ExecutionOrder"
        );
        assert_eq!(lines[1], "arn:a           one   p                   1");
        assert_eq!(lines[2], "arn:bb          two");
        assert_eq!(lines[3], "NextToken: t");
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_escaped() {
        let text = table(&json!({
            "ChannelMessage": {
                "Content": "red \u{1b}[31mALERT\u{7}\u{202e}txt.exe\u{2066}x\u{9b}\nnext",
                "Key\u{1b}]0;title\u{7}": "v"
            }
        }));
        assert!(
            !text.chars().any(|c| (c.is_control() && c != '\n')
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "{text:?}"
        );
        assert!(
            text.contains("red \\u{1b}[31mALERT\\u{7}\\u{202e}txt.exe\\u{2066}x\\u{9b} next"),
            "{text}"
        );
        assert!(
            text.contains("ChannelMessage.Key\\u{1b}]0;title\\u{7}"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 3, "{text}");
    }

    #[test]
    fn an_empty_list_says_so() {
        assert_eq!(table(&json!({"Channels": []})), "(no Channels)");
    }

    #[test]
    fn other_responses_are_key_value_rows() {
        let text = table(&json!({"ChannelFlow": {"Name": "n", "Tags": ["a", "b"]}}));
        assert_eq!(
            text,
            "KEY               VALUE\nChannelFlow.Name  n\nChannelFlow.Tags  a,b"
        );
    }
}
