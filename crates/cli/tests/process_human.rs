//! `chimeflow process --format human`: a block per event for a person, with
//! the findings highlighted in the text; the JSON contract is unchanged.

mod common;

use std::process::{Command, Stdio};

use common::{chimeflow, root};

#[test]
fn each_event_is_a_block_with_its_findings_marked() {
    let run = chimeflow(
        &["process", "--text", "--format", "human"],
        "mail me at dana@example.com\nhello there\n".as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let blocks: Vec<&str> = run.stdout.split("\n\n").filter(|b| !b.is_empty()).collect();
    assert_eq!(blocks.len(), 2, "{}", run.stdout);
    assert!(
        blocks[0].starts_with("<stdin>:1 text-1-1  UPDATE"),
        "{}",
        blocks[0]
    );
    assert!(
        blocks[0].contains("text    mail me at «dana@example.com»"),
        "{}",
        blocks[0]
    );
    assert!(
        blocks[0].contains("found   pii EMAIL (bytes 11..27)"),
        "{}",
        blocks[0]
    );
    assert!(
        blocks[0].contains("sent    mail me at [EMAIL]"),
        "{}",
        blocks[0]
    );
    assert!(
        blocks[1].starts_with("<stdin>:2 text-1-2  PASS"),
        "{}",
        blocks[1]
    );
    assert!(!blocks[1].contains('«'), "{}", blocks[1]);
    // Not a terminal: no escape sequences.
    assert!(!run.stdout.contains('\x1b'));
}

#[test]
fn errors_notes_and_missing_callbacks_are_shown() {
    let input = concat!(
        "{\"CallbackId\": \"0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f\", \"ChannelMessage\": {\"MessageId\": \"m1\", \"Content\": \"hi\", \"SubChannelId\": 5}}\n",
        "{broken\n"
    );
    let run = chimeflow(&["process", "-f", "human"], input.as_bytes());
    assert_eq!(run.code, 1, "an error line still sets the exit status");
    assert!(
        run.stdout
            .contains("note    ChannelMessage.SubChannelId: set aside"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("no callback  ChannelMessage.ChannelArn is missing"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("<stdin>:2 ERROR"), "{}", run.stdout);
}

#[test]
fn terminal_escapes_in_the_text_are_neutralised() {
    let run = chimeflow(
        &["process", "--text", "--format", "human"],
        "evil \u{1b}[2J\u{202e}text".as_bytes(),
    );
    assert!(!run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{202e}'));
    assert!(
        run.stdout.contains("\\u{1b}[2J\\u{202e}text"),
        "{}",
        run.stdout
    );
}

#[test]
fn colour_is_forced_by_clicolor_force_and_refused_by_pretty() {
    let output = Command::new(env!("CARGO_BIN_EXE_chimeflow"))
        .args(["process", "--text", "--format", "human"])
        .current_dir(root())
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"mail dana@example.com")?;
            child.wait_with_output()
        })
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("\x1b[1;41;97mdana@example.com\x1b[0m"),
        "{stdout:?}"
    );
    let run = chimeflow(&["process", "--pretty", "--format", "human"], b"");
    assert_eq!(run.code, 2, "--pretty is for JSON: {}", run.stderr);
}

#[test]
fn the_default_is_still_one_json_line_per_event() {
    let run = chimeflow(&["process", "--text"], b"mail dana@example.com\n");
    assert_eq!(run.code, 0);
    let lines = run.lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["Outcome"], "UPDATE");
}
