//! `chimeflow process`: the contract of DESIGN.md, bad input included.

mod common;

use common::{chimeflow, event_line, root};

fn error_of(line: &serde_json::Value) -> &str {
    line["Error"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error line: {line}"))
}

#[test]
fn sample_events_give_one_line_each_in_order() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("events"))
        .unwrap()
        .map(|e| format!("events/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".json"))
        .collect();
    files.sort();
    let args: Vec<&str> = std::iter::once("process")
        .chain(files.iter().map(String::as_str))
        .collect();
    let run = chimeflow(&args, b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(lines.len(), files.len());
    for (file, line) in files.iter().zip(&lines) {
        let event: serde_json::Value =
            serde_json::from_slice(&std::fs::read(root().join(file)).unwrap()).unwrap();
        assert_eq!(
            line["MessageId"], event["ChannelMessage"]["MessageId"],
            "{file}"
        );
        assert_eq!(
            line["Callback"]["CallbackId"], event["CallbackId"],
            "{file}"
        );
        assert_eq!(
            line["Callback"]["ChannelArn"], event["ChannelMessage"]["ChannelArn"],
            "{file}"
        );
        let outcome = line["Outcome"].as_str().unwrap();
        assert!(
            ["PASS", "UPDATE", "DENY"].contains(&outcome),
            "{file}: {outcome}"
        );
        assert_eq!(
            line["Callback"]["DeleteResource"],
            outcome == "DENY",
            "{file}"
        );
        assert!(line["Findings"].is_array(), "{file}");
    }
    let plain = &lines[files
        .iter()
        .position(|f| f.ends_with("plain.json"))
        .unwrap()];
    assert_eq!(plain["Outcome"], "PASS");
    let minimal = &lines[files
        .iter()
        .position(|f| f.ends_with("minimal.json"))
        .unwrap()];
    assert_eq!(minimal["Outcome"], "PASS");
    // Fields of an undocumented shape are set aside, not fatal.
    let odd = &lines[files
        .iter()
        .position(|f| f.ends_with("odd-shapes.json"))
        .unwrap()];
    assert_eq!(odd["Outcome"], "UPDATE", "{odd}");
    assert!(
        odd["Callback"]["ChannelMessage"]
            .get("SubChannelId")
            .is_none()
    );
}

#[test]
fn an_event_without_a_channel_arn_says_there_is_no_callback() {
    let input = r#"{"CallbackId": "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", "ChannelMessage": {"MessageId": "m1", "Content": "mail me at a@example.com"}}"#;
    let run = chimeflow(&["process"], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = &run.lines()[0];
    assert_eq!(line["Outcome"], "UPDATE", "the rules still ran: {line}");
    assert!(
        line.get("Callback").is_none(),
        "no request is printed: {line}"
    );
    assert!(
        line["NoCallback"].as_str().unwrap().contains("ChannelArn"),
        "{line}"
    );
}

#[test]
fn large_clean_text_in_any_script_passes_unchanged() {
    let texts = [
        "今日はとても良い天気ですね。散歩に行きましょう。".repeat(84), // 2,016 characters, about 6 KB
        "😀🎉👍🏽🚀".repeat(250),                                        // about 4.5 KB of emoji
        "Bonjour 世界, привет мир, مرحبا 🌍. ".repeat(120),            // mixed scripts, about 6 KB
        "漢字".repeat(1360),                                           // 8,160 bytes
    ];
    let input = texts.join("\n");
    let run = chimeflow(&["process", "--text"], input.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    assert_eq!(lines.len(), texts.len());
    for (line, text) in lines.iter().zip(&texts) {
        assert!(text.len() > 4096, "{} bytes", text.len());
        assert_eq!(line["Outcome"], "PASS", "{} bytes: {line:?}", text.len());
        assert_eq!(line["Callback"]["ChannelMessage"]["Content"], text.as_str());
    }
}

#[test]
fn pii_inside_a_large_cjk_message_is_redacted_not_denied() {
    let filler = "会議の資料は共有フォルダにあります。".repeat(100); // about 5.4 KB
    let text = format!("{filler} 連絡先: dana.reyes@example.com {filler}");
    let run = chimeflow(&["process", "--text"], text.as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = &run.lines()[0];
    assert_eq!(line["Outcome"], "UPDATE", "{line}");
    let sent = line["Callback"]["ChannelMessage"]["Content"]
        .as_str()
        .unwrap();
    assert!(!sent.contains("dana.reyes@example.com"));
    assert!(sent.starts_with(&filler) && sent.ends_with(&filler));
    assert!(sent.len() <= text.len());
}

#[test]
fn stdin_is_the_default_input_and_dash_names_it() {
    let input = format!("{}\n{}\n", event_line("a", "one"), event_line("b", "two"));
    for args in [&["process"][..], &["process", "-"][..]] {
        let run = chimeflow(args, input.as_bytes());
        assert_eq!(run.code, 0, "{}", run.stderr);
        let ids: Vec<_> = run
            .lines()
            .iter()
            .map(|l| l["MessageId"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["a", "b"]);
    }
}

#[test]
fn a_bad_line_among_good_ones_is_reported_in_place() {
    let input = format!(
        "{}\n{{not json\n{}\n\n{}\n",
        event_line("a", "one"),
        event_line("b", "two"),
        event_line("c", "three")
    );
    let run = chimeflow(&["process"], input.as_bytes());
    assert_eq!(run.code, 1);
    let lines = run.lines();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["MessageId"], "a");
    assert_eq!(lines[1]["Input"], "<stdin>:2");
    assert!(!error_of(&lines[1]).is_empty());
    assert_eq!(lines[2]["MessageId"], "b");
    assert_eq!(lines[3]["MessageId"], "c");
}

#[test]
fn bad_events_each_give_an_error_line() {
    let long_id = serde_json::json!({"CallbackId": "short", "ChannelMessage": {"MessageId": "m"}})
        .to_string();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("invalid JSON", b"{\"CallbackId\": ".to_vec(), "EOF"),
        ("not an object", b"[1, 2, 3]".to_vec(), "JSON object"),
        ("a string", b"\"hello\"".to_vec(), "JSON object"),
        (
            "missing CallbackId",
            br#"{"ChannelMessage": {"MessageId": "m"}}"#.to_vec(),
            "missing field `CallbackId`",
        ),
        (
            "missing MessageId",
            br#"{"CallbackId": "0123456789abcdef0123456789abcdef", "ChannelMessage": {"Content": "x"}}"#.to_vec(),
            "missing field `MessageId`",
        ),
        ("CallbackId too short", long_id.into_bytes(), "CallbackId"),
        (
            "lone surrogate",
            br#"{"CallbackId": "0123456789abcdef0123456789abcdef", "ChannelMessage": {"MessageId": "m", "Content": "\ud800"}}"#
                .to_vec(),
            "escape",
        ),
        (
            "deep nesting",
            {
                let mut deep = br#"{"CallbackId": "0123456789abcdef0123456789abcdef", "ChannelMessage": {"MessageId": "m"}, "X": "#.to_vec();
                deep.extend(std::iter::repeat_n(b'[', 100_000));
                deep.extend(std::iter::repeat_n(b']', 100_000));
                deep.push(b'}');
                deep
            },
            "recursion limit",
        ),
        ("empty input", b"".to_vec(), "empty input"),
        ("only white space", b" \n\t\n".to_vec(), "empty input"),
    ];
    for (name, input, words) in cases {
        let run = chimeflow(&["process"], &input);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        let lines = run.lines();
        assert_eq!(lines.len(), 1, "{name}");
        let error = error_of(&lines[0]);
        assert!(error.contains(words), "{name}: {error}");
        assert!(
            lines[0]["Input"].as_str().unwrap().starts_with("<stdin>"),
            "{name}"
        );
    }
}

#[test]
fn errors_never_quote_the_content() {
    // An essential field of the wrong shape: an error line that names the
    // field, never the value.
    let input = br#"{"CallbackId": "0123456789abcdef0123456789abcdef", "ChannelMessage": {"MessageId": {"secret": "hunter2"}}}"#;
    let run = chimeflow(&["process"], input);
    assert_eq!(run.code, 1);
    assert!(
        !run.stdout.contains("hunter2") && !run.stdout.contains("secret"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("hunter2"));
    // Content of the wrong shape is set aside: the note names the field,
    // never the value.
    let input = br#"{"CallbackId": "0123456789abcdef0123456789abcdef", "ChannelMessage": {"MessageId": "m", "ChannelArn": "arn:aws:chime:us-east-1:1:app-instance/a/channel/c", "Content": {"secret": "hunter2"}}}"#;
    let run = chimeflow(&["process"], input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("ChannelMessage.Content: set aside"));
    assert!(
        !run.stdout.contains("hunter2") && !run.stdout.contains("secret"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_megabyte_of_content_is_answered_within_the_model() {
    let content = "a".repeat(1 << 20);
    // Default rules: the length rule denies it first.
    let run = chimeflow(&["process"], event_line("big", &content).as_bytes());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = &run.lines()[0];
    assert_eq!(line["Outcome"], "DENY");
    assert!(run.stdout.len() < 4096, "the content is not echoed");

    // No rules at all: what was received is echoed, whatever its size (the
    // callback model sets no maximum on Content).
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let run = chimeflow(
        &["process", "--config", empty.to_str().unwrap()],
        event_line("big", &content).as_bytes(),
    );
    let line = &run.lines()[0];
    assert_eq!(line["Outcome"], "PASS");
    assert_eq!(
        line["Callback"]["ChannelMessage"]["Content"]
            .as_str()
            .map(str::len),
        Some(1 << 20)
    );
}

#[test]
fn text_mode_wraps_each_line() {
    let run = chimeflow(
        &["process", "--text"],
        "hello\n\u{200B}\nworld\r\n".as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    let outcomes: Vec<_> = lines
        .iter()
        .map(|l| l["Outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["PASS", "DENY", "PASS"]);
    assert_eq!(lines[2]["Callback"]["ChannelMessage"]["Content"], "world");
    let ids: std::collections::HashSet<_> =
        lines.iter().map(|l| l["MessageId"].to_string()).collect();
    assert_eq!(ids.len(), 3, "every line is its own message");
}

#[test]
fn pretty_output_is_a_stream_of_json_documents() {
    let input = format!("{}\n{}\n", event_line("a", "one"), event_line("b", "two"));
    let run = chimeflow(&["process", "--pretty"], input.as_bytes());
    assert_eq!(run.code, 0);
    assert!(run.stdout.lines().count() > 2);
    let values: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&run.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(values.len(), 2);
}

#[test]
fn several_inputs_keep_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.json");
    std::fs::write(
        &first,
        format!("{}\n{}\n", event_line("a", "1"), event_line("b", "2")),
    )
    .unwrap();
    std::fs::write(&second, event_line("c", "3")).unwrap();
    let run = chimeflow(
        &[
            "process",
            first.to_str().unwrap(),
            "-",
            second.to_str().unwrap(),
        ],
        event_line("stdin", "s").as_bytes(),
    );
    let ids: Vec<_> = run
        .lines()
        .iter()
        .map(|l| l["MessageId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["a", "b", "stdin", "c"]);
}

#[test]
fn an_unreadable_input_exits_2_before_any_output() {
    let run = chimeflow(
        &["process", "events/plain.json", "/nonexistent/events.json"],
        b"",
    );
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("cannot read /nonexistent/events.json"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "one clear message: {}",
        run.stderr
    );
}

#[test]
fn a_bad_configuration_exits_2_naming_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(
        &config,
        "[[rules]]\ntype = \"length\"\nmax_chars = 10\nmax_charz = 5\n",
    )
    .unwrap();
    let path = config.to_str().unwrap();
    for args in [
        vec!["process", "--config", path, "events/plain.json"],
        vec!["check", "--config", path],
    ] {
        let run = chimeflow(&args, b"");
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stdout.is_empty());
        assert!(run.stderr.contains(&format!("{path}:4:")), "{}", run.stderr);
        assert!(run.stderr.contains("rules[0].max_charz"), "{}", run.stderr);
    }
}

#[test]
fn the_config_env_variable_is_honoured_and_the_flag_wins() {
    let dir = tempfile::tempdir().unwrap();
    let deny_all = dir.path().join("deny.toml");
    std::fs::write(&deny_all, "[[rules]]\ntype = \"length\"\nmax_chars = 1\n").unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_chimeflow"))
        .args(["process", "events/plain.json"])
        .current_dir(root())
        .env("CHIMEFLOW_CONFIG", &deny_all)
        .output()
        .unwrap();
    let line: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(line["Outcome"], "DENY");
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_chimeflow"))
        .args([
            "process",
            "--config",
            empty.to_str().unwrap(),
            "events/plain.json",
        ])
        .current_dir(root())
        .env("CHIMEFLOW_CONFIG", &deny_all)
        .output()
        .unwrap();
    let line: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(line["Outcome"], "PASS");
}

#[test]
fn check_and_rules_commands() {
    let run = chimeflow(&["check"], b"");
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("ok") && run.stdout.contains("length"),
        "{}",
        run.stdout
    );

    let run = chimeflow(&["rules"], b"");
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("deny-empty") && run.stdout.contains("length"));

    let run = chimeflow(&["rules", "length"], b"");
    assert_eq!(run.code, 0);
    for heading in [
        "What it does",
        "Options",
        "Example",
        "Limitations",
        "max_chars",
    ] {
        assert!(run.stdout.contains(heading), "{heading}");
    }

    let run = chimeflow(&["rules", "nope"], b"");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("known types"), "{}", run.stderr);
}

#[test]
fn help_teaches_every_subcommand() {
    let cases: [(&[&str], &[&str]); 4] = [
        (&["--help"], &["process", "check", "rules"]),
        (
            &["process", "--help"],
            &[
                "--config",
                "--text",
                "--pretty",
                "Exit status",
                "Examples",
                "JSON Lines",
            ],
        ),
        (&["check", "--help"], &["--config", "line"]),
        (&["rules", "--help"], &["ID", "Examples"]),
    ];
    for (args, words) in cases {
        let run = chimeflow(args, b"");
        assert_eq!(run.code, 0, "{args:?}");
        for word in words {
            assert!(run.stdout.contains(word), "{args:?} lacks {word}");
        }
    }
}
