//! `chimeflow messages …` against the emulator: plain channels, and flows
//! whose processor is never there (FallbackAction).

mod common;

use std::time::Duration;

use chimeflow_emulator::EmulatorConfig;
use common::emulator::Emu;
use serde_json::{Value, json};

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Emulator settings where an invocation nobody picks up gets its fallback
/// quickly.
fn quick_fallback() -> EmulatorConfig {
    EmulatorConfig {
        processor_timeout: Duration::from_millis(300),
        ..EmulatorConfig::default()
    }
}

#[test]
fn send_get_status_list_on_a_channel_without_a_flow() {
    let emu = Emu::start();
    let channel = emu.channel("plain");
    let sent = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "send",
            "--channel",
            &channel,
            "--content",
            "hello",
            "--metadata",
            "m1",
            "--attribute",
            "lang=en,tags=a,b",
            "--content-type",
            "text/plain",
        ],
    );
    assert_eq!(sent["ChannelArn"], channel);
    assert_eq!(sent["Status"]["Value"], "SENT");
    let id = sent["MessageId"].as_str().unwrap().to_owned();

    let got = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "get",
            "--channel",
            &channel,
            "--message-id",
            &id,
        ],
    );
    let message = &got["ChannelMessage"];
    assert_eq!(message["MessageId"], id);
    assert_eq!(message["Content"], "hello");
    assert_eq!(message["Metadata"], "m1");
    assert_eq!(message["Type"], "STANDARD");
    assert_eq!(message["Persistence"], "PERSISTENT");
    assert_eq!(message["ContentType"], "text/plain");
    assert_eq!(message["Sender"]["Arn"], emu.user);
    assert_eq!(
        message["MessageAttributes"],
        json!({"lang": {"StringValues": ["en"]}, "tags": {"StringValues": ["a", "b"]}})
    );

    let status = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "status",
            "--channel",
            &channel,
            "--message-id",
            &id,
        ],
    );
    assert_eq!(status["Status"]["Value"], "SENT");

    let updated = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "update",
            "--channel",
            &channel,
            "--message-id",
            &id,
            "--content",
            "hello again",
        ],
    );
    assert_eq!(updated["MessageId"], id);
    let got = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "get",
            "--channel",
            &channel,
            "--message-id",
            &id,
        ],
    );
    assert_eq!(got["ChannelMessage"]["Content"], "hello again");
    assert!(
        got["ChannelMessage"]["LastEditedTimestamp"].is_string(),
        "{got}"
    );

    emu.ok_as(
        &emu.user,
        &[
            "messages",
            "send",
            "--channel",
            &channel,
            "--content",
            "second",
        ],
    );
    let listed = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "list",
            "--channel",
            &channel,
            "--sort-order",
            "ASCENDING",
        ],
    );
    let contents: Vec<&str> = listed["ChannelMessages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Content"].as_str().unwrap())
        .collect();
    assert_eq!(contents, ["hello again", "second"]);
    assert_eq!(listed["ChannelArn"], channel);

    let run = emu.cli_as(
        &emu.user,
        &[
            "messages",
            "list",
            "--channel",
            &channel,
            "--output",
            "table",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("MessageId"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 4, "{}", run.stdout); // header, 2 rows, ChannelArn

    // A CONTROL message goes around the flow, straight to SENT.
    let control = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "send",
            "--channel",
            &channel,
            "--content",
            "typing",
            "--type",
            "CONTROL",
            "--persistence",
            "NON_PERSISTENT",
        ],
    );
    assert_eq!(control["Status"]["Value"], "SENT");
}

#[test]
fn watch_on_a_channel_without_a_flow_is_sent_at_once() {
    let emu = Emu::start();
    let channel = emu.channel("plain");
    let run = emu.cli_as(
        &emu.user,
        &[
            "messages",
            "watch",
            "--channel",
            &channel,
            "--content",
            "hi",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = lines(&run.stdout);
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0]["Status"]["Value"], "SENT");
    assert_eq!(lines[1]["ChannelMessage"]["Content"], "hi");
}

#[test]
fn fallback_abort_without_a_processor_fails_the_message() {
    let emu = Emu::with(quick_fallback());
    let (channel, _) = emu.channel_with_flow("strict", "ABORT");
    let run = emu.cli_as(
        &emu.user,
        &[
            "messages",
            "watch",
            "--channel",
            &channel,
            "--content",
            "nobody will see this",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = lines(&run.stdout);
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0]["Status"]["Value"], "PENDING");
    assert_eq!(lines[1]["Status"]["Value"], "FAILED");
    assert!(!run.stderr.contains("nobody will see this"));
}

#[test]
fn fallback_continue_without_a_processor_sends_the_message_as_is() {
    let emu = Emu::with(quick_fallback());
    let (channel, _) = emu.channel_with_flow("lenient", "CONTINUE");
    let run = emu.cli_as(
        &emu.user,
        &[
            "messages",
            "watch",
            "--channel",
            &channel,
            "--content",
            "email me at jane@example.com",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = lines(&run.stdout);
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(lines[0]["Status"]["Value"], "PENDING");
    assert_eq!(lines[1]["Status"]["Value"], "SENT");
    // No processor ran: nothing was redacted.
    assert_eq!(
        lines[2]["ChannelMessage"]["Content"],
        "email me at jane@example.com"
    );
}

#[test]
fn watch_gives_up_at_its_timeout() {
    // The fallback would come after 10 s; the watch stops at 300 ms.
    let emu = Emu::with(EmulatorConfig {
        processor_timeout: Duration::from_secs(10),
        ..EmulatorConfig::default()
    });
    let (channel, _) = emu.channel_with_flow("slow", "ABORT");
    let run = emu.cli_as(
        &emu.user,
        &[
            "messages",
            "watch",
            "--channel",
            &channel,
            "--content",
            "secret words",
            "--timeout",
            "300ms",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("chimeflow: timed out after"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("still PENDING"), "{}", run.stderr);
    assert!(!run.stderr.contains("secret"), "{}", run.stderr);
    let lines = lines(&run.stdout);
    assert_eq!(lines.len(), 1);
    let id = lines[0]["MessageId"].as_str().unwrap();
    let status = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "status",
            "--channel",
            &channel,
            "--message-id",
            id,
        ],
    );
    assert_eq!(status["Status"]["Value"], "PENDING");
}

#[test]
fn refusals_name_the_exception_and_never_the_content() {
    let emu = Emu::start();
    let channel = emu.channel("c");
    let run = emu.cli_as(
        &emu.user,
        &[
            "messages",
            "get",
            "--channel",
            &channel,
            "--message-id",
            "nope",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("chimeflow: NotFoundException: "),
        "{}",
        run.stderr
    );
    // Too long for a STANDARD message: refused, and the content is not echoed.
    let long = "confidential ".repeat(400);
    let run = emu.cli_as(
        &emu.user,
        &[
            "messages",
            "send",
            "--channel",
            &channel,
            "--content",
            &long,
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("chimeflow: BadRequestException: "),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("confidential"), "{}", run.stderr);
    // A user who is not a member may not send.
    let other = emu
        .emulator()
        .create_app_instance_user(&emu.app, "other", "Other")
        .unwrap();
    let run = emu.cli_as(
        &other,
        &["messages", "send", "--channel", &channel, "--content", "hi"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("chimeflow: "), "{}", run.stderr);
    // No bearer.
    let run = emu.cli(&["messages", "list", "--channel", &channel]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--bearer"), "{}", run.stderr);
}

#[test]
fn watch_on_a_terminal_shows_a_spinner_and_the_change_not_status_lines() {
    // `script` (util-linux) runs the command on a pseudo-terminal, as a
    // person's shell would.
    let emu = Emu::with(quick_fallback());
    let (channel, _) = emu.channel_with_flow("watched", "CONTINUE");
    let endpoint = emu.endpoint();
    let command = [
        env!("CARGO_BIN_EXE_chimeflow"),
        "messages",
        "watch",
        "--channel",
        &channel,
        "--content",
        "hello there",
        "--endpoint-url",
        &endpoint,
        "--region",
        "us-east-1",
    ]
    .iter()
    .map(|arg| format!("'{arg}'"))
    .collect::<Vec<_>>()
    .join(" ");
    let output = common::emulator::clean(std::process::Command::new("script"))
        .args(["-qec", &command, "/dev/null"])
        .env("CHIMEFLOW_BEARER", &emu.user)
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{screen}");
    assert!(
        screen.contains("PENDING → SENT after"),
        "the change is a line: {screen}"
    );
    assert!(
        !screen.contains("{\"Status\":{\"Value\":\"SENT\""),
        "no status JSON lines on a terminal: {screen}"
    );
    // The message as stored still ends the output, as JSON.
    assert!(screen.contains("\"Content\":\"hello there\""), "{screen}");
}
