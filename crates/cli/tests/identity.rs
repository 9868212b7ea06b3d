//! `chimeflow app-instances …`, `users …` and `admins …` against the
//! emulator, through the real Chime SDK Identity SDK: from an empty account
//! to an admin that can associate a flow, paging, tables, refusals and usage
//! errors.

mod common;

use common::emulator::{Emu, chimeflow_env};
use serde_json::{Value, json};

/// Asserts a run was refused by the service with `exception` (exit 1, one
/// line on stderr, nothing on stdout).
fn refused(run: &common::Run, exception: &str) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!("chimeflow: {exception}: ")),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

/// The values of `field` in the list `key` of a response.
fn column<'v>(response: &'v Value, key: &str, field: &str) -> Vec<&'v str> {
    response[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key}: {response}"))
        .iter()
        .map(|item| item[field].as_str().unwrap())
        .collect()
}

#[test]
fn from_an_empty_app_instance_to_an_admin_that_associates_a_flow() {
    let emu = Emu::start();
    let created = emu.ok(&[
        "app-instances",
        "create",
        "--name",
        "chat",
        "--metadata",
        "team chat",
        "--tags",
        "env=dev",
    ]);
    let app = created["AppInstanceArn"].as_str().unwrap().to_owned();
    assert!(app.contains(":app-instance/"), "{app}");

    let described = emu.ok(&["app-instances", "describe", "--app-instance-arn", &app]);
    let a = &described["AppInstance"];
    assert_eq!(a["AppInstanceArn"], app);
    assert_eq!(a["Name"], "chat");
    assert_eq!(a["Metadata"], "team chat");
    assert!(a["CreatedTimestamp"].is_string(), "{a}");
    // The tags went with the create call (the flows command reads them).
    let tags = emu.ok(&["flows", "tags", "--resource-arn", &app]);
    assert_eq!(tags, json!({"Tags": [{"Key": "env", "Value": "dev"}]}));

    let user = emu.ok(&[
        "users",
        "create",
        "--app-instance-arn",
        &app,
        "--user-id",
        "alice",
        "--name",
        "Alice",
        "--metadata",
        "m",
    ])["AppInstanceUserArn"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(user, format!("{app}/user/alice"));
    let admin = emu.ok(&[
        "users",
        "create",
        "--app-instance-arn",
        &app,
        "--app-instance-user-id",
        "admin",
        "--name",
        "Admin",
    ])["AppInstanceUserArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let described = emu.ok(&["users", "describe", "--user", &user]);
    let u = &described["AppInstanceUser"];
    assert_eq!(u["AppInstanceUserArn"], user);
    assert_eq!(u["Name"], "Alice");
    assert_eq!(u["Metadata"], "m");
    assert!(u["CreatedTimestamp"].is_string(), "{u}");
    let users = emu.ok(&["users", "list", "--app-instance-arn", &app]);
    assert_eq!(users["AppInstanceArn"], app);
    assert_eq!(
        column(&users, "AppInstanceUsers", "AppInstanceUserArn"),
        [user.as_str(), admin.as_str()]
    );

    // The admin is what AssociateChannelFlow needs for a channel it does
    // not moderate: refused before, accepted after `admins create`.
    let channel = emu.ok_as(
        &user,
        &[
            "channels",
            "create",
            "--app-instance-arn",
            &app,
            "--name",
            "general",
        ],
    )["ChannelArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let flow = emu.ok(&[
        "flows",
        "create",
        "--app-instance-arn",
        &app,
        "--name",
        "moderation",
        "--processor",
        &format!("p={}", common::emulator::FUNCTION_ARN),
    ])["ChannelFlowArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let associate = ["flows", "associate", "--channel", &channel, "--flow", &flow];
    refused(&emu.cli_as(&admin, &associate), "ForbiddenException");
    let made = emu.ok(&[
        "admins",
        "create",
        "--app-instance-arn",
        &app,
        "--user",
        &admin,
    ]);
    assert_eq!(
        made,
        json!({"AppInstanceAdmin": {"Arn": admin, "Name": "Admin"}, "AppInstanceArn": app})
    );
    let run = emu.cli_as(&admin, &associate);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let admins = emu.ok(&["admins", "list", "--app-instance-arn", &app]);
    assert_eq!(
        admins,
        json!({"AppInstanceArn": app, "AppInstanceAdmins": [{"Admin": {"Arn": admin, "Name": "Admin"}}]})
    );

    // Taking the role away: the admin can no longer disassociate.
    let run = emu.cli(&[
        "admins",
        "delete",
        "--app-instance-arn",
        &app,
        "--admin",
        &admin,
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let admins = emu.ok(&["admins", "list", "--app-instance-arn", &app]);
    assert_eq!(admins["AppInstanceAdmins"], json!([]));
    refused(
        &emu.cli_as(
            &admin,
            &[
                "flows",
                "disassociate",
                "--channel",
                &channel,
                "--flow",
                &flow,
            ],
        ),
        "ForbiddenException",
    );

    // Deleting a user, then the whole app instance.
    let run = emu.cli(&["users", "delete", "--user", &admin]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    refused(
        &emu.cli(&["users", "describe", "--user", &admin]),
        "BadRequestException",
    );
    let run = emu.cli(&["app-instances", "delete", "--app-instance-arn", &app]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    refused(
        &emu.cli(&["app-instances", "describe", "--app-instance-arn", &app]),
        "BadRequestException",
    );
    refused(
        &emu.cli(&["flows", "describe", "--flow", &flow]),
        "BadRequestException",
    );
    let listed = emu.ok(&["app-instances", "list"]);
    assert_eq!(
        column(&listed, "AppInstances", "AppInstanceArn"),
        [emu.app.as_str()]
    );
}

#[test]
fn lists_follow_every_page_or_give_one() {
    let emu = Emu::start();
    for name in ["b", "c"] {
        emu.ok(&["app-instances", "create", "--name", name]);
    }
    let all = emu.ok(&["app-instances", "list", "--max-results", "1"]);
    assert_eq!(all["AppInstances"].as_array().unwrap().len(), 1);
    let token = all["NextToken"].as_str().expect("a NextToken").to_owned();
    let rest = emu.ok(&[
        "app-instances",
        "list",
        "--max-results",
        "2",
        "--next-token",
        &token,
    ]);
    assert_eq!(column(&rest, "AppInstances", "Name"), ["b", "c"]);
    assert!(rest.get("NextToken").is_none(), "{rest}");
    // Without --max-results, every page: more users than one page holds.
    for i in 0..53 {
        emu.emulator()
            .create_app_instance_user(&emu.app, &format!("u{i:02}"), &format!("U{i}"))
            .unwrap();
    }
    let users = emu.ok(&["users", "list", "--app-instance-arn", &emu.app]);
    assert_eq!(users["AppInstanceUsers"].as_array().unwrap().len(), 55);
    assert!(users.get("NextToken").is_none(), "{users}");
    let page = emu.ok(&[
        "users",
        "list",
        "--app-instance-arn",
        &emu.app,
        "--max-results",
        "50",
    ]);
    assert_eq!(page["AppInstanceUsers"].as_array().unwrap().len(), 50);
    assert!(page["NextToken"].is_string(), "{page}");

    let run = emu.cli(&[
        "admins",
        "list",
        "--app-instance-arn",
        &emu.app,
        "--output",
        "table",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // One row per admin, the ARN column as wide as the ARN; then the other field.
    let width = emu.admin.len() + 2;
    assert_eq!(lines[0], format!("{:width$}Admin.Name", "Admin.Arn"));
    assert_eq!(lines[1], format!("{:width$}Admin", emu.admin));
    assert_eq!(lines[2], format!("AppInstanceArn: {}", emu.app));
    assert_eq!(lines.len(), 3, "{}", run.stdout);
}

#[test]
fn refusals_and_usage_errors() {
    let emu = Emu::start();
    let missing = format!("{}/user/nobody", emu.app);
    refused(
        &emu.cli(&["users", "describe", "--user", &missing]),
        "BadRequestException",
    );
    refused(
        &emu.cli(&[
            "admins",
            "create",
            "--app-instance-arn",
            &emu.app,
            "--user",
            &missing,
        ]),
        "BadRequestException",
    );
    // A duplicate user id.
    refused(
        &emu.cli(&[
            "users",
            "create",
            "--app-instance-arn",
            &emu.app,
            "--user-id",
            "user",
            "--name",
            "Again",
        ]),
        "ConflictException",
    );
    // The model's constraints, checked by the service: the id's pattern.
    let run = emu.cli(&[
        "users",
        "create",
        "--app-instance-arn",
        &emu.app,
        "--user-id=-bad-",
        "--name",
        "x",
    ]);
    refused(&run, "BadRequestException");
    assert!(run.stderr.contains("AppInstanceUserId"), "{}", run.stderr);

    for args in [
        &["app-instances", "create"][..],
        &["app-instances", "describe"],
        &["app-instances", "list", "--max-results", "0"],
        &[
            "app-instances",
            "create",
            "--name",
            "x",
            "--tags",
            "novalue",
        ],
        &[
            "users",
            "create",
            "--app-instance-arn",
            &emu.app,
            "--name",
            "x",
        ],
        &["users", "list"],
        &["admins", "create", "--app-instance-arn", &emu.app],
        &[
            "admins",
            "list",
            "--app-instance-arn",
            &emu.app,
            "--max-results",
            "51",
        ],
        // Identity calls take no bearer.
        &[
            "admins",
            "list",
            "--app-instance-arn",
            &emu.app,
            "--bearer",
            &emu.admin,
        ],
        &["admins"],
    ] {
        let run = emu.cli(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // A bad endpoint and no region are usage errors too.
    let run = chimeflow_env(
        &[
            "app-instances",
            "list",
            "--endpoint-url",
            "127.0.0.1:1",
            "--region",
            "us-east-1",
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--endpoint-url"), "{}", run.stderr);
    let run = chimeflow_env(
        &["app-instances", "list", "--endpoint-url", &emu.endpoint()],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no AWS region"), "{}", run.stderr);
    // Nothing was created.
    let users = emu.ok(&["users", "list", "--app-instance-arn", &emu.app]);
    assert_eq!(users["AppInstanceUsers"].as_array().unwrap().len(), 2);
    assert_eq!(
        emu.ok(&["app-instances", "list"])["AppInstances"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_endpoint_comes_from_the_identity_variable_not_the_messaging_one() {
    let emu = Emu::start();
    let endpoint = emu.endpoint();
    let run = chimeflow_env(
        &["app-instances", "list"],
        &[
            ("AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY", &endpoint),
            // Nothing listens there: identity calls must not use it.
            ("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", "http://127.0.0.1:9"),
            ("AWS_REGION", "us-east-1"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed: Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(
        column(&listed, "AppInstances", "AppInstanceArn"),
        [emu.app.as_str()]
    );
    // AWS_ENDPOINT_URL serves both services.
    let run = chimeflow_env(
        &["users", "list", "--app-instance-arn", &emu.app],
        &[("AWS_ENDPOINT_URL", &endpoint), ("AWS_REGION", "us-east-1")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn help_teaches_with_examples() {
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["app-instances", "--help"],
            &[
                "create",
                "describe",
                "list",
                "delete",
                "Examples",
                "AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY",
                "--output",
            ],
        ),
        (
            &["app-instances", "delete", "--help"],
            &["DeleteAppInstance", "users, channels", "cannot be undone"],
        ),
        (
            &["users", "create", "--help"],
            &[
                "CreateAppInstanceUser",
                "--user-id",
                "--name",
                "display name",
                "Examples",
            ],
        ),
        (
            &["admins", "--help"],
            &[
                "create",
                "list",
                "delete",
                "flows associate",
                "AppInstance's ARN",
                "Examples",
            ],
        ),
        (
            &["admins", "create", "--help"],
            &[
                "CreateAppInstanceAdmin",
                "--app-instance-arn",
                "--user",
                "Examples",
            ],
        ),
        (
            &["--help"],
            &["app-instances", "users", "admins", "docs/deploying.md"],
        ),
    ];
    for (args, words) in cases {
        let run = common::chimeflow(args, b"");
        assert_eq!(run.code, 0, "{args:?}");
        for word in words {
            assert!(
                run.stdout.contains(word),
                "{args:?} lacks {word:?}:\n{}",
                run.stdout
            );
        }
    }
}
