//! The `chimeflow-emulator` binary: its JSON line, an unmodified boto3
//! against it (Python in the repository's .venv), a clean SIGTERM
//! shutdown that writes the snapshot, and a restart from that snapshot.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

struct Running {
    child: Child,
    line: serde_json::Value,
}

impl Running {
    fn start(snapshot: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chimeflow-emulator"))
            .arg("--snapshot")
            .arg(snapshot)
            .args(["--processor-timeout-ms", "200"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the emulator starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .expect("one line");
        let line = serde_json::from_str(&first).expect("a JSON line");
        Self { child, line }
    }

    fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        self.child.wait().expect("it exits")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> PathBuf {
    std::env::var_os("CHIMEFLOW_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"))
}

#[test]
fn boto3_drives_the_binary_and_the_snapshot_survives_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let snapshot = folder.path().join("state.json");
    let running = Running::start(&snapshot);
    let endpoint = running.line["Endpoint"].as_str().unwrap().to_owned();
    assert!(
        endpoint.starts_with("http://127.0.0.1:"),
        "{}",
        running.line
    );
    assert!(
        running.line["RuntimeApi"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    assert_eq!(running.line["Region"], "us-east-1");

    let python = python();
    assert!(
        python.exists(),
        "no Python with boto3 at {} (run scripts/test, or set CHIMEFLOW_PYTHON)",
        python.display()
    );
    let output = Command::new(python)
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/boto3_smoke.py"))
        .arg(&endpoint)
        .arg("us-east-1")
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.trim_end().ends_with("ok"),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let status = running.terminate();
    assert!(status.success(), "{status:?}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    let channels = saved["Channels"].as_object().unwrap();
    assert_eq!(channels.len(), 1);
    let channel = channels.values().next().unwrap();
    assert_eq!(channel["Messages"][0]["Status"], "SENT");

    // A restart loads the snapshot: the same channel is there.
    let again = Running::start(&snapshot);
    let status = again.terminate();
    assert!(status.success());
    let reloaded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    assert_eq!(reloaded["Channels"], saved["Channels"]);
}
