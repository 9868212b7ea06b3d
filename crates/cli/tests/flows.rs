//! `chimeflow flows …` against the emulator, through the real SDK.

mod common;

use common::emulator::{Emu, FUNCTION_ARN, chimeflow_env};
use serde_json::json;

#[test]
fn a_flow_from_create_to_delete() {
    let emu = Emu::start();
    let spec = format!("moderation={FUNCTION_ARN}");
    let created = emu.ok(&[
        "flows",
        "create",
        "--app-instance-arn",
        &emu.app,
        "--name",
        "moderation",
        "--processor",
        &spec,
        "--tags",
        "team=chat,env=dev",
    ]);
    let flow = created["ChannelFlowArn"].as_str().unwrap().to_owned();
    assert!(flow.contains("channel-flow/"), "{flow}");

    let described = emu.ok(&["flows", "describe", "--flow", &flow]);
    let described = &described["ChannelFlow"];
    assert_eq!(described["ChannelFlowArn"], flow);
    assert_eq!(described["Name"], "moderation");
    assert_eq!(
        described["Processors"],
        json!([{"Name": "moderation",
                "Configuration": {"Lambda": {"ResourceArn": FUNCTION_ARN, "InvocationType": "ASYNC"}},
                "ExecutionOrder": 1, "FallbackAction": "ABORT"}])
    );
    assert!(described["CreatedTimestamp"].is_string(), "{described}");

    let listed = emu.ok(&["flows", "list", "--app-instance-arn", &emu.app]);
    assert_eq!(listed["ChannelFlows"].as_array().unwrap().len(), 1);
    assert_eq!(listed["ChannelFlows"][0]["ChannelFlowArn"], flow);

    let continue_spec = format!("lenient={FUNCTION_ARN},fallback=CONTINUE");
    let updated = emu.ok(&[
        "flows",
        "update",
        "--flow",
        &flow,
        "--name",
        "lenient",
        "--processor",
        &continue_spec,
    ]);
    assert_eq!(updated["ChannelFlowArn"], flow);
    let described = emu.ok(&["flows", "describe", "--flow", &flow]);
    assert_eq!(described["ChannelFlow"]["Name"], "lenient");
    assert_eq!(
        described["ChannelFlow"]["Processors"][0]["FallbackAction"],
        "CONTINUE"
    );

    // Tags: as created, then added to and taken from.
    let tags = emu.ok(&["flows", "tags", "--resource-arn", &flow]);
    let mut pairs: Vec<(String, String)> = tags["Tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["Key"].as_str().unwrap().to_owned(),
                t["Value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [("env".into(), "dev".into()), ("team".into(), "chat".into())]
    );
    let run = emu.cli(&[
        "flows",
        "tag",
        "--resource-arn",
        &flow,
        "--tags",
        "owner=ops",
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let run = emu.cli(&[
        "flows",
        "untag",
        "--resource-arn",
        &flow,
        "--tag-keys",
        "team,env",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tags = emu.ok(&["flows", "tags", "--resource-arn", &flow]);
    assert_eq!(tags, json!({"Tags": [{"Key": "owner", "Value": "ops"}]}));

    // Associate, list the channels, refuse to delete, disassociate, delete.
    let channel = emu.channel("general");
    let run = emu.cli_as(
        &emu.admin,
        &["flows", "associate", "--channel", &channel, "--flow", &flow],
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let channels = emu.ok(&["flows", "channels", "--flow", &flow]);
    assert_eq!(channels["Channels"].as_array().unwrap().len(), 1);
    assert_eq!(channels["Channels"][0]["ChannelArn"], channel);
    assert_eq!(channels["Channels"][0]["Name"], "general");

    let run = emu.cli(&["flows", "delete", "--flow", &flow]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("chimeflow: ConflictException: "),
        "{}",
        run.stderr
    );

    let run = emu.cli_as(
        &emu.admin,
        &[
            "flows",
            "disassociate",
            "--channel",
            &channel,
            "--flow",
            &flow,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let channels = emu.ok(&["flows", "channels", "--flow", &flow]);
    assert_eq!(channels, json!({"Channels": []}));

    let run = emu.cli(&["flows", "delete", "--flow", &flow]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let run = emu.cli(&["flows", "describe", "--flow", &flow]);
    assert_eq!(run.code, 1);
    // DescribeChannelFlow models no NotFoundException: BadRequest.
    assert!(
        run.stderr.starts_with("chimeflow: BadRequestException: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let emu = Emu::start();
    let flow = emu.flow("f", "ABORT");
    let endpoint = emu.endpoint();
    let run = chimeflow_env(
        &[
            "flows",
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
            "describe",
            "--flow",
            &flow,
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The endpoint from the SDK's own environment variable.
    let run = chimeflow_env(
        &["flows", "describe", "--flow", &flow],
        &[
            ("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", &endpoint),
            ("AWS_REGION", "us-east-1"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn list_pages_and_tables() {
    let emu = Emu::start();
    for name in ["a", "b", "c"] {
        emu.flow(name, "ABORT");
    }
    let page = emu.ok(&[
        "flows",
        "list",
        "--app-instance-arn",
        &emu.app,
        "--max-results",
        "2",
    ]);
    assert_eq!(page["ChannelFlows"].as_array().unwrap().len(), 2);
    let token = page["NextToken"].as_str().expect("a NextToken").to_owned();
    let rest = emu.ok(&[
        "flows",
        "list",
        "--app-instance-arn",
        &emu.app,
        "--max-results",
        "2",
        "--next-token",
        &token,
    ]);
    assert_eq!(rest["ChannelFlows"].as_array().unwrap().len(), 1);
    assert!(rest.get("NextToken").is_none(), "{rest}");
    let all = emu.ok(&["flows", "list", "--app-instance-arn", &emu.app]);
    let mut names: Vec<&str> = all["ChannelFlows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["a", "b", "c"]);

    let run = emu.cli(&[
        "flows",
        "list",
        "--app-instance-arn",
        &emu.app,
        "--output",
        "table",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(lines[0].starts_with("ChannelFlowArn"), "{}", run.stdout);
    assert!(
        lines[0].contains("Processors[0].FallbackAction"),
        "{}",
        run.stdout
    );
    assert!(
        lines[1..].iter().all(|l| l.contains("ABORT")),
        "{}",
        run.stdout
    );
}

#[test]
fn processors_from_a_json_file() {
    let emu = Emu::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("processors.json");
    std::fs::write(
        &path,
        json!({"Processors": [{"Name": "p",
            "Configuration": {"Lambda": {"ResourceArn": FUNCTION_ARN, "InvocationType": "ASYNC"}},
            "ExecutionOrder": 1, "FallbackAction": "CONTINUE"}]})
        .to_string(),
    )
    .unwrap();
    let created = emu.ok(&[
        "flows",
        "create",
        "--app-instance-arn",
        &emu.app,
        "--name",
        "from-file",
        "--processors-file",
        path.to_str().unwrap(),
    ]);
    let flow = created["ChannelFlowArn"].as_str().unwrap();
    let described = emu.ok(&["flows", "describe", "--flow", flow]);
    assert_eq!(
        described["ChannelFlow"]["Processors"][0]["FallbackAction"],
        "CONTINUE"
    );
}

#[test]
fn refusals_name_the_exception_and_exit_1() {
    let emu = Emu::start();
    let missing = emu.app.clone() + "/channel-flow/00000000-0000-0000-0000-000000000000";
    let run = emu.cli(&["flows", "describe", "--flow", &missing]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("chimeflow: BadRequestException: the channel flow does not exist"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);

    // The emulator validates requests against the service model.
    let run = emu.cli(&["flows", "describe", "--flow", "not-an-arn"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("chimeflow: BadRequestException: "),
        "{}",
        run.stderr
    );

    // Only an admin or moderator may associate.
    let channel = emu.channel("c");
    let flow = emu.flow("f", "ABORT");
    let run = emu.cli_as(
        &emu.user,
        &["flows", "associate", "--channel", &channel, "--flow", &flow],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("chimeflow: ForbiddenException: "),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2_before_any_call() {
    let emu = Emu::start();
    // No bearer for a call that needs one.
    let run = emu.cli(&[
        "flows",
        "associate",
        "--channel",
        "arn:c",
        "--flow",
        "arn:f",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--bearer"), "{}", run.stderr);
    assert!(run.stderr.contains("CHIMEFLOW_BEARER"), "{}", run.stderr);
    // A bad processor spec.
    let run = emu.cli(&[
        "flows",
        "create",
        "--app-instance-arn",
        &emu.app,
        "--name",
        "x",
        "--processor",
        "p=arn:x,fallback=sometimes",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ABORT or CONTINUE"), "{}", run.stderr);
    // No processors at all.
    let run = emu.cli(&[
        "flows",
        "create",
        "--app-instance-arn",
        &emu.app,
        "--name",
        "x",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // An endpoint that is not a URL.
    let run = chimeflow_env(
        &[
            "flows",
            "describe",
            "--flow",
            "arn:f",
            "--endpoint-url",
            "127.0.0.1:1",
            "--region",
            "us-east-1",
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--endpoint-url"), "{}", run.stderr);
    // No region anywhere.
    let endpoint = emu.endpoint();
    let run = chimeflow_env(
        &[
            "flows",
            "describe",
            "--flow",
            "arn:f",
            "--endpoint-url",
            &endpoint,
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--region"), "{}", run.stderr);
}

#[test]
fn an_unreachable_endpoint_exits_1_with_the_cause() {
    // Bind and drop a listener: a port with nobody behind it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let run = chimeflow_env(
        &[
            "flows",
            "describe",
            "--flow",
            "arn:aws:chime:us-east-1:111122223333:app-instance/a/channel-flow/f",
            "--endpoint-url",
            &endpoint,
            "--region",
            "us-east-1",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("chimeflow: cannot send the request: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Connection refused"), "{}", run.stderr);
}

#[test]
fn endpoint_region_and_credentials_from_a_profile() {
    let emu = Emu::start();
    let flow = emu.flow("f", "ABORT");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile emulator]\nregion = us-east-1\nendpoint_url = {0}\n\
             aws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = example\n\
             [profile bare]\nregion = us-east-1\nendpoint_url = {0}\n",
            emu.endpoint()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let run = chimeflow_env(
        &[
            "flows",
            "describe",
            "--flow",
            &flow,
            "--profile",
            "emulator",
        ],
        &[("AWS_CONFIG_FILE", config)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = chimeflow_env(
        &["flows", "describe", "--flow", &flow],
        &[("AWS_CONFIG_FILE", config), ("AWS_PROFILE", "emulator")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A loopback endpoint and no credentials anywhere: placeholders.
    let run = chimeflow_env(
        &["flows", "describe", "--flow", &flow, "--profile", "bare"],
        &[("AWS_CONFIG_FILE", config)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
