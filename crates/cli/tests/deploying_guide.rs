//! docs/deploying.md cannot rot: its ```sh blocks that follow a
//! `<!-- guide-test -->` line run, as written, in one `bash -euo pipefail`
//! against `chimeflow local` (the emulator and the real processor), with
//! the values a deployment would output (APP, FLOW) taken from its ready
//! line, and the chimeflow binary under test first on PATH. Every other
//! ```sh block (the AWS-only steps) must at least parse (`bash -n`).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use chimeflow_emulator::test_util::processor_binary;
use common::emulator::{Local, chimeflow_env, clean};
use common::{Run, root};

/// The marker line before a block the test runs.
const MARKER: &str = "<!-- guide-test -->";

/// A ```sh block of the guide.
struct Block {
    /// The line of its opening fence (1-based).
    line: usize,
    /// Its text.
    text: String,
    /// Whether the marker precedes it.
    tested: bool,
}

fn guide() -> String {
    std::fs::read_to_string(root().join("docs/deploying.md")).expect("docs/deploying.md")
}

/// Every ```sh block of `markdown`, and whether the line before its fence
/// (blank lines skipped) is the marker. A marker before anything else is an
/// error: it would silently test nothing.
fn blocks(markdown: &str) -> Vec<Block> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut blocks = Vec::new();
    let mut marked_at: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line == MARKER {
            assert!(marked_at.is_none(), "two markers, line {}", i + 1);
            marked_at = Some(i + 1);
        } else if line.starts_with("```") {
            let fence_line = i + 1;
            let is_sh = line == "```sh";
            let mut text = String::new();
            i += 1;
            while i < lines.len() && lines[i].trim_end() != "```" {
                text.push_str(lines[i]);
                text.push('\n');
                i += 1;
            }
            assert!(i < lines.len(), "unclosed block at line {fence_line}");
            let tested = marked_at.take().is_some();
            assert!(
                is_sh || !tested,
                "the marker before line {fence_line} is not before a ```sh block"
            );
            if is_sh {
                blocks.push(Block {
                    line: fence_line,
                    text,
                    tested,
                });
            }
        } else if !line.trim().is_empty()
            && let Some(at) = marked_at
        {
            panic!("the marker at line {at} is not directly before a ```sh block");
        }
        i += 1;
    }
    assert!(marked_at.is_none(), "a marker at the end tests nothing");
    blocks
}

/// The tested blocks as one script, each announced on stderr with its line.
fn script(blocks: &[Block]) -> String {
    let mut script = String::new();
    for block in blocks.iter().filter(|b| b.tested) {
        script.push_str(&format!(
            "echo '== docs/deploying.md, the block at line {}' >&2\n",
            block.line
        ));
        script.push_str(&block.text);
    }
    script
}

/// Runs `script` in `bash -euo pipefail` in `dir`, with `chimeflow` on
/// PATH and the variables a deployment would give, pointed at `local`.
fn run_guide(local: &Local, script: &str, dir: &Path) -> Run {
    let chimeflow = Path::new(env!("CARGO_BIN_EXE_chimeflow"));
    let path = format!(
        "{}:{}",
        chimeflow.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = clean(Command::new("bash"))
        .args(["-c", &format!("set -euo pipefail\n{script}")])
        .env("PATH", path)
        .env("AWS_ENDPOINT_URL", local.get("Endpoint"))
        .env("AWS_REGION", local.get("Region"))
        .env("APP", local.get("AppInstanceArn"))
        .env("FLOW", local.get("ChannelFlowArn"))
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("bash runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn require_tool(name: &str) {
    let found = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "the guide test needs `{name}` on PATH (Debian: apt-get install {name})"
    );
}

#[test]
fn every_sh_block_parses() {
    require_tool("bash");
    let blocks = blocks(&guide());
    assert!(blocks.len() >= 8, "only {} sh blocks", blocks.len());
    for block in &blocks {
        let output = Command::new("bash")
            .args(["-n", "-c", &block.text])
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "the block at line {} does not parse: {}",
            block.line,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_guide_runs_against_chimeflow_local() {
    require_tool("bash");
    require_tool("jq");
    let blocks = blocks(&guide());
    let script = script(&blocks);
    // The steps that matter are among the tested ones: a marker dropped
    // by an edit must not leave the guide untested.
    for step in [
        "chimeflow users create",
        "chimeflow admins create",
        "chimeflow channels create",
        "chimeflow flows associate",
        "chimeflow messages watch",
        "chimeflow flows disassociate",
        "chimeflow app-instances delete",
    ] {
        assert!(script.contains(step), "no tested block runs `{step}`");
    }
    // The AWS-only steps are in the guide but not run.
    let untested: String = blocks
        .iter()
        .filter(|b| !b.tested)
        .map(|b| b.text.as_str())
        .collect();
    for step in [
        "sam build",
        "sam deploy --guided",
        "aws cloudformation describe-stacks",
        "--cli-binary-format raw-in-base64-out",
    ] {
        assert!(untested.contains(step), "the guide lacks `{step}`");
    }

    processor_binary();
    let mut local = Local::start(&[]);
    let dir = tempfile::tempdir().unwrap();

    // A broken command fails the run: the same script with a renamed flag
    // stops at its first chimeflow call, a usage error (exit 2).
    let broken = script.replace("--app-instance-arn", "--app-instance");
    let run = run_guide(&local, &broken, dir.path());
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains("unexpected argument '--app-instance'"),
        "{}",
        run.stderr
    );

    let run = run_guide(&local, &script, dir.path());
    assert_eq!(
        run.code, 0,
        "the guide failed\nstdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    // The watched message came back redacted, and its content never
    // appears as sent.
    assert!(
        run.stdout.contains(r#""Content":"call me at [PHONE]""#),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("555-867-5309"), "{}", run.stdout);
    assert!(run.stdout.contains(r#""Value":"SENT""#), "{}", run.stdout);
    // Clean-up ran to the end: the AppInstance is gone.
    let endpoint = local.get("Endpoint");
    let run = chimeflow_env(
        &[
            "app-instances",
            "describe",
            "--app-instance-arn",
            &local.get("AppInstanceArn"),
            "--endpoint-url",
            &endpoint,
            "--region",
            &local.get("Region"),
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("BadRequestException"), "{}", run.stderr);
    let (code, _) = local.terminate();
    assert_eq!(code, 0, "{}", local.log.join("\n"));
}

#[test]
fn markers_are_found_only_before_sh_blocks() {
    let found = blocks(
        "text\n\n<!-- guide-test -->\n```sh\necho one\n```\n\n```sh\necho two\n```\n\n```json\n{}\n```\n",
    );
    assert_eq!(found.len(), 2);
    assert!(found[0].tested && !found[1].tested);
    assert_eq!(found[0].line, 4);
    assert_eq!(found[0].text, "echo one\n");
    for bad in [
        "<!-- guide-test -->\n```json\n{}\n```\n",
        "<!-- guide-test -->\ntext\n```sh\necho\n```\n",
        "```sh\necho\n```\n<!-- guide-test -->\n",
    ] {
        assert!(
            std::panic::catch_unwind(|| blocks(bad)).is_err(),
            "{bad:?} was accepted"
        );
    }
}
