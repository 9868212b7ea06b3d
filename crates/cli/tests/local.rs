//! The full loop: `chimeflow local` (the emulator and the real processor
//! binary), driven by `chimeflow messages` and `chimeflow flows`; and the
//! processor against an emulator in the test process for what `local`
//! cannot stage (a failing invocation, then Lambda's retry).

mod common;

use std::time::Duration;

use chimeflow_emulator::EmulatorConfig;
use chimeflow_emulator::test_util::{Killed, processor_binary};
use common::emulator::{Emu, Local, eventually, fail_one_invocation, local_exits, spawn_processor};
use common::{Run, root};
use serde_json::Value;

fn lines(run: &Run) -> Vec<Value> {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn watch(local: &Local, content: &str) -> Vec<Value> {
    let channel = local.get("ChannelArn");
    lines(&local.cli_as_user(&[
        "messages",
        "watch",
        "--channel",
        &channel,
        "--content",
        content,
    ]))
}

#[test]
fn local_redacts_denies_and_stops_cleanly() {
    processor_binary();
    let mut local = Local::start(&[]);
    for key in [
        "Endpoint",
        "RuntimeApi",
        "Region",
        "AppInstanceArn",
        "AdminArn",
        "UserArn",
        "ChannelArn",
        "ChannelFlowArn",
        "FunctionArn",
    ] {
        assert!(!local.get(key).is_empty(), "{key}");
    }
    assert_eq!(
        local.get("FunctionArn"),
        "arn:aws:lambda:us-east-1:111122223333:function:chimeflow-processor"
    );

    // The example printed on stderr runs as pasted, and shows the redaction.
    local.wait_log(Duration::from_secs(10), |log| {
        log.iter().any(|l| l.starts_with("Ctrl-C"))
    });
    let example: String = local
        .log
        .iter()
        .skip_while(|l| !l.starts_with("Try,"))
        .skip(1)
        .take_while(|l| !l.starts_with("Ctrl-C"))
        .map(|l| l.trim().trim_end_matches('\\'))
        .collect::<Vec<_>>()
        .join(" ");
    let output = common::emulator::clean(std::process::Command::new("sh"))
        .args(["-c", &example])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{example}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let steps: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(steps[0]["Status"]["Value"], "PENDING", "{stdout}");
    assert_eq!(steps[1]["Status"]["Value"], "SENT", "{stdout}");
    assert_eq!(steps[2]["ChannelMessage"]["Content"], "email me at [EMAIL]");

    // PII: PENDING, then SENT, and the stored message is redacted.
    let steps = watch(&local, "email me at jane@example.com");
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert_eq!(steps[0]["Status"]["Value"], "PENDING");
    assert_eq!(steps[1]["Status"]["Value"], "SENT");
    let message = &steps[2]["ChannelMessage"];
    assert_eq!(message["Content"], "email me at [EMAIL]");
    assert_eq!(message["Status"]["Value"], "SENT");

    // Profanity, disguised: PENDING, then SENT with the words masked and
    // the moderation summary in Metadata.
    let steps = watch(&local, "what the f.u.c.k, this is sh1t");
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert_eq!(steps[1]["Status"]["Value"], "SENT");
    let message = &steps[2]["ChannelMessage"];
    assert_eq!(message["Content"], "what the *******, this is ****");
    let metadata: Value = serde_json::from_str(message["Metadata"].as_str().unwrap()).unwrap();
    assert_eq!(
        metadata["moderation"]["findings"]["profanity"]["general"],
        2
    );

    // The default configuration denies blank messages.
    let steps = watch(&local, "   ");
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert_eq!(steps[0]["Status"]["Value"], "PENDING");
    // The service keeps no status for denied messages: watch infers it.
    assert_eq!(steps[1]["Status"]["Value"], "DENIED");
    assert!(
        steps[1]["Status"]["Detail"]
            .as_str()
            .unwrap()
            .starts_with("inferred: "),
        "{steps:?}"
    );
    let denied = steps[0]["MessageId"].as_str().unwrap();
    let channel = local.get("ChannelArn");
    let run = local.cli_as_user(&[
        "messages",
        "status",
        "--channel",
        &channel,
        "--message-id",
        denied,
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("chimeflow: BadRequestException"),
        "{}",
        run.stderr
    );
    // Denied messages are not stored.
    let run = local.cli_as_user(&[
        "messages",
        "get",
        "--channel",
        &channel,
        "--message-id",
        denied,
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("chimeflow: NotFoundException"),
        "{}",
        run.stderr
    );

    // An edit goes through the processor too.
    let hello = watch(&local, "hello");
    let hello_id = hello[0]["MessageId"].as_str().unwrap();
    let edited = lines(&local.cli_as_user(&[
        "messages",
        "watch",
        "--channel",
        &channel,
        "--edit",
        hello_id,
        "--content",
        "hello, mail jane@example.com",
    ]));
    assert_eq!(edited[0]["MessageId"], hello_id);
    assert_eq!(edited[0]["Status"]["Value"], "PENDING", "{edited:?}");
    assert_eq!(
        edited.last().unwrap()["ChannelMessage"]["Content"],
        "hello, mail [EMAIL]"
    );

    // What local set up, seen through the flow commands.
    let flow = local.get("ChannelFlowArn");
    let admin = local.get("AdminArn");
    let described = lines(&local.cli_as(&admin, &["flows", "describe", "--flow", &flow]));
    let processor = &described[0]["ChannelFlow"]["Processors"][0];
    assert_eq!(processor["FallbackAction"], "ABORT");
    assert_eq!(
        processor["Configuration"]["Lambda"]["ResourceArn"],
        local.get("FunctionArn")
    );
    let channels = lines(&local.cli_as(&admin, &["flows", "channels", "--flow", &flow]));
    assert_eq!(channels[0]["Channels"][0]["ChannelArn"], channel);

    let (code, rest) = local.terminate();
    assert_eq!(code, 0, "{}", local.log.join("\n"));
    assert_eq!(rest, "", "only the ready line on stdout");
    let log = local.log.join("\n");
    assert!(
        log.contains("chimeflow messages watch --endpoint-url"),
        "{log}"
    );
    assert!(log.contains("chimeflow local: stopped"), "{log}");
    // The processor logged its work (JSON lines), without the content.
    let processor_log: Vec<&String> = local.log.iter().filter(|l| l.starts_with('{')).collect();
    assert!(
        processor_log
            .iter()
            .any(|l| l.contains("\"outcome\":\"UPDATE\"")),
        "{log}"
    );
    assert!(
        processor_log
            .iter()
            .all(|l| !l.contains("jane@example.com")),
        "{log}"
    );
}

#[test]
fn local_with_duplicate_delivery_resolves_each_message_once() {
    processor_binary();
    let mut local = Local::start(&["--duplicate-delivery"]);
    let first = watch(&local, "call 555-867-5309 or mail jane@example.com");
    assert_eq!(
        first.last().unwrap()["ChannelMessage"]["Content"],
        "call [PHONE] or mail [EMAIL]"
    );
    let id = first[0]["MessageId"].as_str().unwrap().to_owned();
    // Both deliveries reach the processor; the second finds the message
    // resolved, and the processor goes on.
    local.wait_log(Duration::from_secs(20), |log| {
        log.iter()
            .filter(|l| l.contains("\"message\":\"processed\"") && l.contains(&id))
            .count()
            >= 2
    });
    let second = watch(&local, "hello");
    assert_eq!(second.last().unwrap()["ChannelMessage"]["Content"], "hello");
    let channel = local.get("ChannelArn");
    let listed = lines(&local.cli_as_user(&["messages", "list", "--channel", &channel]));
    assert_eq!(listed[0]["ChannelMessages"].as_array().unwrap().len(), 2);
    let (code, _) = local.terminate();
    assert_eq!(code, 0, "{}", local.log.join("\n"));
}

#[test]
fn local_passes_a_configuration_to_the_processor() {
    processor_binary();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("chimeflow.toml");
    std::fs::write(
        &config,
        "[[rules]]\ntype = \"keyword\"\nwords = [\"project falcon\"]\ncategory = \"confidential\"\naction = \"deny\"\n",
    )
    .unwrap();
    let mut local = Local::start(&["--config", config.to_str().unwrap()]);
    let steps = watch(&local, "about Project Falcon");
    assert_eq!(steps.last().unwrap()["Status"]["Value"], "DENIED");
    // Only that rule: PII passes untouched.
    let steps = watch(&local, "jane@example.com");
    assert_eq!(
        steps.last().unwrap()["ChannelMessage"]["Content"],
        "jane@example.com"
    );
    let (code, _) = local.terminate();
    assert_eq!(code, 0);
}

#[test]
fn local_stops_with_exit_1_when_the_processor_exits() {
    let (code, stderr) = local_exits(&["--processor", "false"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("the processor exited on its own"),
        "{stderr}"
    );
    assert!(stderr.contains("exit status: 1"), "{stderr}");

    // A bad configuration: the processor refuses to start.
    processor_binary();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[[rules]]\ntype = \"no-such-rule\"\n").unwrap();
    let (code, stderr) = local_exits(&["--config", config.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("the processor exited on its own"),
        "{stderr}"
    );
}

#[test]
fn local_usage_errors_exit_2() {
    let (code, stderr) = local_exits(&["--processor", "/nonexistent/processor"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot start the processor"), "{stderr}");

    let (code, stderr) = local_exits(&["--config", "/nonexistent/chimeflow.toml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no such file"), "{stderr}");

    // No processor beside the binary: say how to build one.
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("chimeflow");
    // A hard link, not a copy: a copy is open for writing for a moment, and
    // a process that another test forks meanwhile inherits that descriptor,
    // making exec fail with "Text file busy" (ETXTBSY).
    if std::fs::hard_link(env!("CARGO_BIN_EXE_chimeflow"), &alone).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_chimeflow"), &alone).unwrap();
    }
    let output = (0..100)
        .map(|_| {
            common::emulator::clean(std::process::Command::new(&alone))
                .args(["local", "--port", "0"])
                .current_dir(root())
                .output()
        })
        .find(|run| !matches!(run, Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy))
        .expect("the copy became executable")
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cargo build -p chimeflow-processor --bin processor"),
        "{stderr}"
    );
    assert!(stderr.contains("--processor"), "{stderr}");
}

#[test]
fn a_failed_invocation_is_retried_and_the_message_resolved() {
    let emu = Emu::with(EmulatorConfig {
        processor_timeout: Duration::from_secs(10),
        retry_delays: vec![Duration::from_millis(200)],
        ..EmulatorConfig::default()
    });
    let (channel, _) = emu.channel_with_flow("retry", "ABORT");
    let sent = emu.ok_as(
        &emu.user,
        &[
            "messages",
            "send",
            "--channel",
            &channel,
            "--content",
            "mail jane@example.com",
        ],
    );
    assert_eq!(sent["Status"]["Value"], "PENDING");
    let id = sent["MessageId"].as_str().unwrap().to_owned();

    // The first delivery fails, as a function error would.
    fail_one_invocation(&emu.emulator().runtime_api());
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
    assert_eq!(status["Status"]["Value"], "PENDING");

    // Lambda's retry reaches the real processor, which resolves it.
    let _processor = Killed(spawn_processor(&emu));
    eventually(Duration::from_secs(20), || {
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
        (status["Status"]["Value"] != "PENDING").then_some(())
    });
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
    assert_eq!(got["ChannelMessage"]["Status"]["Value"], "SENT");
    assert_eq!(got["ChannelMessage"]["Content"], "mail [EMAIL]");
}

#[test]
#[cfg(unix)]
fn ctrl_c_in_a_terminal_stops_local_cleanly() {
    use std::os::unix::process::CommandExt;
    processor_binary();
    // A terminal's Ctrl-C signals the whole foreground process group.
    let mut command =
        common::emulator::clean(std::process::Command::new(env!("CARGO_BIN_EXE_chimeflow")));
    command
        .args(["local", "--port", "0"])
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .process_group(0);
    let mut child = Killed(command.spawn().unwrap());
    let stderr = common::emulator::lines_of(child.0.stderr.take().unwrap());
    let mut stdout = std::io::BufReader::new(child.0.stdout.take().unwrap());
    let mut ready = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut ready).unwrap();
    assert!(ready.contains("ChannelArn"), "{ready}");
    // The processor is up once it has logged that it is ready.
    let mut log = Vec::new();
    eventually(Duration::from_secs(20), || {
        log.extend(stderr.try_iter());
        log.iter()
            .any(|l: &String| l.contains("processor ready"))
            .then_some(())
    });
    let processors = children_of(child.0.id());
    assert_eq!(processors.len(), 1, "one processor: {processors:?}");
    let group = format!("-{}", child.0.id());
    let status = std::process::Command::new("kill")
        .args(["-INT", "--", &group])
        .status()
        .unwrap();
    assert!(status.success());
    let code = common::emulator::wait_bounded(&mut child.0, Duration::from_secs(20));
    log.extend(stderr.iter());
    let log = log.join("\n");
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("chimeflow local: stopped"), "{log}");
    // The processor (in its own process group) is gone, not orphaned.
    for pid in processors {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "processor {pid} outlived chimeflow local"
        );
    }
}

#[test]
fn stopping_local_stops_what_the_processor_started() {
    // A processor program that starts the real processor as its own child
    // (as a wrapper script would): killing only the direct child would
    // orphan the real one.
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("wrapper.sh");
    std::fs::write(
        &script,
        // `sleep` stands for a helper that would never exit by itself.
        format!(
            "#!/bin/sh\nsleep 600 &\n'{}' &\nwait\n",
            processor_binary().display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut local = Local::start(&["--processor", script.to_str().unwrap()]);
    local.wait_log(Duration::from_secs(20), |log| {
        log.iter().any(|l| l.contains("processor ready"))
    });
    let wrappers = children_of(local.child.0.id());
    assert_eq!(wrappers.len(), 1, "{wrappers:?}");
    let processors = children_of(wrappers[0]);
    assert_eq!(
        processors.len(),
        2,
        "sleep and the processor: {processors:?}"
    );
    let (code, _) = local.terminate();
    assert_eq!(code, 0, "{}", local.log.join("\n"));
    for pid in wrappers.iter().chain(&processors) {
        // Gone, or a zombie about to be reaped by init: not running.
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().next().map(str::to_owned))
            });
        assert!(
            state.is_none() || state.as_deref() == Some("Z"),
            "{pid} still runs ({state:?})"
        );
    }
}

/// The pids whose parent is `parent`, from /proc (Linux).
fn children_of(parent: u32) -> Vec<u32> {
    let mut children = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid …; comm may hold spaces and parentheses.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(parent) {
            children.push(pid);
        }
    }
    children
}

#[test]
fn sigterm_right_after_the_ready_line_stops_cleanly() {
    processor_binary();
    let mut local = Local::start(&[]);
    let (code, rest) = local.terminate();
    assert_eq!(code, 0, "{}", local.log.join("\n"));
    assert_eq!(rest, "");
    assert!(
        local.log.iter().any(|l| l == "chimeflow local: stopped"),
        "{}",
        local.log.join("\n")
    );
}

#[test]
fn local_keeps_the_state_of_stateful_rules_in_memory_or_in_dynamodb() {
    processor_binary();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("stateful.toml");
    std::fs::write(
        &config,
        "[[rules]]\ntype = \"profanity\"\n\n\
         [[rules]]\ntype = \"strikes\"\ntimeout_at = 2\n\n\
         [[rules]]\ntype = \"mention-spam\"\nmax_mentions = 1\n\n\
         [[rules]]\ntype = \"duplicate\"\nmax_repeats = 0\n",
    )
    .unwrap();
    let moto = root().join(".venv/bin/moto_server");
    assert!(moto.exists(), "run scripts/test: it installs moto's server");
    let moto = moto.to_str().unwrap();
    for store in ["memory", "dynamodb"] {
        let mut local = Local::start_with_env(
            &["--config", config.to_str().unwrap(), "--store", store],
            &[("CHIMEFLOW_MOTO_SERVER", moto)],
        );
        assert_eq!(local.ready["Store"]["Type"], store);
        // PENDING, then SENT (and the message) or DENIED.
        let status = |steps: Vec<Value>| {
            steps
                .iter()
                .rev()
                .find_map(|step| step["Status"]["Value"].as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        assert_eq!(status(watch(&local, "hello there")), "SENT", "{store}");
        assert_eq!(status(watch(&local, "HELLO  there!!")), "DENIED", "{store}");
        assert_eq!(status(watch(&local, "@ann @bob look")), "DENIED", "{store}");
        let masked = watch(&local, "what a shit day");
        assert_eq!(status(masked.clone()), "SENT", "{store}");
        assert_eq!(status(watch(&local, "fuck it")), "DENIED", "{store}");
        assert_eq!(status(watch(&local, "sorry all")), "DENIED", "{store}");
        // The processor's log says which rule decided each.
        local.wait_log(Duration::from_secs(10), |log| {
            let reasons: Vec<&String> =
                log.iter().filter(|l| l.contains("\"processed\"")).collect();
            reasons.len() >= 6
        });
        let reasons: Vec<String> = local
            .log
            .iter()
            .filter(|l| l.contains("\"processed\""))
            .map(|l| {
                let line: Value = serde_json::from_str(l).unwrap();
                line["reason"].as_str().unwrap_or("-").to_owned()
            })
            .collect();
        assert_eq!(
            reasons,
            [
                "-",
                "duplicate/duplicate",
                "mention-spam/mention-spam",
                "-",
                "strikes/timeout",
                "strikes/timeout"
            ],
            "{store}"
        );
        let (code, _) = local.terminate();
        assert_eq!(code, 0);
    }
}

#[test]
fn local_asks_the_comprehend_it_is_given() {
    use chimeflow_e2e::{ComprehendReply, ComprehendStub, toxic_labels};
    processor_binary();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let comprehend = runtime.block_on(ComprehendStub::start(vec![(
        "DetectToxicContent",
        ComprehendReply::toxic_content(vec![toxic_labels(0.96, &[("INSULT", 0.97)])]),
    )]));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("comprehend.toml");
    std::fs::write(&config, "[[rules]]\ntype = \"toxicity\"\n").unwrap();
    let endpoint = comprehend.endpoint();
    let mut local = Local::start(&[
        "--config",
        config.to_str().unwrap(),
        "--comprehend",
        &endpoint,
    ]);
    let status = |steps: Vec<Value>| {
        steps
            .iter()
            .rev()
            .find_map(|step| step["Status"]["Value"].as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    assert_eq!(status(watch(&local, "you are an utter idiot")), "DENIED");
    // The stand-in's default answer is harmless.
    assert_eq!(status(watch(&local, "see you at lunch")), "SENT");
    assert_eq!(comprehend.requests_of("DetectToxicContent").len(), 2);
    let (code, _) = local.terminate();
    assert_eq!(code, 0);
    let (code, stderr) = local_exits(&["--comprehend", "ftp://nowhere"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("expected `aws` or an http(s) URL"),
        "{stderr}"
    );
}
