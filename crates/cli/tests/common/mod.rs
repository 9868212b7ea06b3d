//! Running the real `chimeflow` binary in tests.
#![allow(dead_code)]

pub mod emulator;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Each stdout line as JSON.
    pub fn lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `chimeflow ARGS` in the repository root with `stdin` as input.
pub fn chimeflow(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chimeflow"))
        .args(args)
        .current_dir(root())
        .env_remove("CHIMEFLOW_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chimeflow runs");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The command may stop reading early (e.g. a bad config); ignore EPIPE.
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A valid event with this content, as one JSON line.
pub fn event_line(message_id: &str, content: &str) -> String {
    serde_json::json!({
        "CallbackId": "0123456789abcdef0123456789abcdef",
        "ChannelMessage": {
            "MessageId": message_id,
            "ChannelArn": "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel/c",
            "Content": content
        }
    })
    .to_string()
}
