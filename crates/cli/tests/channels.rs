//! `chimeflow channels …` against the emulator, through the real SDK.

mod common;

use common::emulator::Emu;
use serde_json::{Value, json};

/// The member ARNs of a `channels members` response, sorted.
fn member_arns(response: &Value) -> Vec<&str> {
    let mut arns: Vec<&str> = response["ChannelMemberships"]
        .as_array()
        .unwrap_or_else(|| panic!("no ChannelMemberships: {response}"))
        .iter()
        .map(|m| m["Member"]["Arn"].as_str().unwrap())
        .collect();
    arns.sort_unstable();
    arns
}

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

#[test]
fn a_channel_from_create_to_delete() {
    let emu = Emu::start();
    let created = emu.ok_as(
        &emu.admin,
        &[
            "channels",
            "create",
            "--app-instance-arn",
            &emu.app,
            "--name",
            "support",
            "--mode",
            "RESTRICTED",
            "--privacy",
            "PRIVATE",
            "--metadata",
            "m1",
            "--member",
            &emu.user,
            "--tags",
            "team=chat",
        ],
    );
    let channel = created["ChannelArn"].as_str().unwrap().to_owned();
    assert!(
        channel.starts_with(&format!("{}/channel/", emu.app)),
        "{channel}"
    );

    // Members may describe a private channel; no flow yet.
    let described = emu.ok_as(&emu.user, &["channels", "describe", "--channel", &channel]);
    let c = &described["Channel"];
    assert_eq!(c["ChannelArn"], channel);
    assert_eq!(c["Name"], "support");
    assert_eq!(c["Mode"], "RESTRICTED");
    assert_eq!(c["Privacy"], "PRIVATE");
    assert_eq!(c["Metadata"], "m1");
    assert_eq!(c["CreatedBy"], json!({"Arn": emu.admin, "Name": "Admin"}));
    assert!(c["CreatedTimestamp"].is_string(), "{c}");
    assert!(c.get("ChannelFlowArn").is_none(), "{c}");

    // With a flow associated, describe shows it.
    let flow = emu.flow("moderation", "ABORT");
    let run = emu.cli_as(
        &emu.admin,
        &["flows", "associate", "--channel", &channel, "--flow", &flow],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let described = emu.ok_as(&emu.user, &["channels", "describe", "--channel", &channel]);
    assert_eq!(described["Channel"]["ChannelFlowArn"], flow);

    // Members: the creator and --member.
    let members = emu.ok_as(&emu.user, &["channels", "members", "--channel", &channel]);
    assert_eq!(members["ChannelArn"], channel);
    assert_eq!(member_arns(&members), [emu.admin.as_str(), &emu.user]);

    // add-member, DEFAULT and HIDDEN.
    let carol = emu
        .emulator()
        .create_app_instance_user(&emu.app, "carol", "Carol")
        .unwrap();
    let bot = emu
        .emulator()
        .create_app_instance_user(&emu.app, "bot", "Bot")
        .unwrap();
    let added = emu.ok_as(
        &emu.admin,
        &[
            "channels",
            "add-member",
            "--channel",
            &channel,
            "--member",
            &carol,
        ],
    );
    assert_eq!(
        added,
        json!({"ChannelArn": channel, "Member": {"Arn": carol, "Name": "Carol"}})
    );
    let hidden = emu.ok_as(
        &emu.admin,
        &[
            "channels",
            "members",
            "--channel",
            &channel,
            "--type",
            "HIDDEN",
        ],
    );
    assert_eq!(
        hidden,
        json!({"ChannelArn": channel, "ChannelMemberships": []})
    );
    emu.ok_as(
        &emu.admin,
        &[
            "channels",
            "add-member",
            "--channel",
            &channel,
            "--member",
            &bot,
            "--type",
            "HIDDEN",
        ],
    );
    let hidden = emu.ok_as(
        &emu.admin,
        &[
            "channels",
            "members",
            "--channel",
            &channel,
            "--type",
            "HIDDEN",
        ],
    );
    assert_eq!(member_arns(&hidden), [bot.as_str()]);
    let members = emu.ok_as(&emu.user, &["channels", "members", "--channel", &channel]);
    assert_eq!(
        member_arns(&members),
        [emu.admin.as_str(), &carol, &emu.user]
    );

    // remove-member prints nothing; a member may leave.
    let run = emu.cli_as(
        &emu.admin,
        &[
            "channels",
            "remove-member",
            "--channel",
            &channel,
            "--member",
            &carol,
        ],
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let run = emu.cli_as(
        &emu.user,
        &[
            "channels",
            "remove-member",
            "--channel",
            &channel,
            "--member",
            &emu.user,
        ],
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let members = emu.ok_as(&emu.admin, &["channels", "members", "--channel", &channel]);
    assert_eq!(member_arns(&members), [emu.admin.as_str()]);

    // Private channels are listed for admins; tags as created.
    let listed = emu.ok_as(
        &emu.admin,
        &[
            "channels",
            "list",
            "--app-instance-arn",
            &emu.app,
            "--privacy",
            "PRIVATE",
        ],
    );
    assert_eq!(
        listed,
        json!({"Channels": [{"Name": "support", "ChannelArn": channel, "Mode": "RESTRICTED",
                             "Privacy": "PRIVATE", "Metadata": "m1"}]})
    );
    let tags = emu.ok(&["flows", "tags", "--resource-arn", &channel]);
    assert_eq!(tags, json!({"Tags": [{"Key": "team", "Value": "chat"}]}));

    // Delete: nothing printed; then the channel is gone (BadRequest: DescribeChannel models no NotFound).
    let run = emu.cli_as(&emu.admin, &["channels", "delete", "--channel", &channel]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    refused(
        &emu.cli_as(&emu.admin, &["channels", "describe", "--channel", &channel]),
        "BadRequestException",
    );
    // The flow stays, now without channels.
    let channels = emu.ok(&["flows", "channels", "--flow", &flow]);
    assert_eq!(channels, json!({"Channels": []}));
}

#[test]
fn create_with_moderators_and_an_id() {
    let emu = Emu::start();
    let moderator = emu
        .emulator()
        .create_app_instance_user(&emu.app, "mod", "Mod")
        .unwrap();
    let created = emu.ok_as(
        &emu.user,
        &[
            "channels",
            "create",
            "--app-instance-arn",
            &emu.app,
            "--name",
            "team",
            "--channel-id",
            "team-1",
            "--moderator",
            &moderator,
        ],
    );
    let channel = format!("{}/channel/team-1", emu.app);
    assert_eq!(created, json!({"ChannelArn": channel}));
    // Defaults are the service's: UNRESTRICTED, PUBLIC.
    let described = emu.ok_as(&emu.user, &["channels", "describe", "--channel", &channel]);
    assert_eq!(described["Channel"]["Mode"], "UNRESTRICTED");
    assert_eq!(described["Channel"]["Privacy"], "PUBLIC");
    // The moderator may delete it (a plain member may not: see refusals).
    let run = emu.cli_as(&moderator, &["channels", "delete", "--channel", &channel]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn list_pages_and_tables() {
    let emu = Emu::start();
    for name in ["a", "b", "c"] {
        emu.ok_as(
            &emu.user,
            &[
                "channels",
                "create",
                "--app-instance-arn",
                &emu.app,
                "--name",
                name,
            ],
        );
    }
    let list = |extra: &[&str]| {
        let mut args = vec!["channels", "list", "--app-instance-arn", emu.app.as_str()];
        args.extend(extra);
        emu.ok_as(&emu.user, &args)
    };
    let page = list(&["--max-results", "2"]);
    assert_eq!(page["Channels"].as_array().unwrap().len(), 2);
    let token = page["NextToken"].as_str().expect("a NextToken").to_owned();
    let rest = list(&["--max-results", "2", "--next-token", &token]);
    assert_eq!(rest["Channels"].as_array().unwrap().len(), 1);
    assert!(rest.get("NextToken").is_none(), "{rest}");
    let all = list(&[]);
    assert!(all.get("NextToken").is_none(), "{all}");
    let mut names: Vec<&str> = all["Channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["a", "b", "c"]);
    // No private channels here.
    let private = emu.ok_as(
        &emu.admin,
        &[
            "channels",
            "list",
            "--app-instance-arn",
            &emu.app,
            "--privacy",
            "PRIVATE",
        ],
    );
    assert_eq!(private, json!({"Channels": []}));

    // Tables: one row per channel, one per member, KEY/VALUE for describe.
    let run = emu.cli_as(
        &emu.user,
        &[
            "channels",
            "list",
            "--app-instance-arn",
            &emu.app,
            "--output",
            "table",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(lines[0].starts_with("Name "), "{}", run.stdout);
    assert!(lines[0].contains("ChannelArn"), "{}", run.stdout);
    assert!(lines[0].contains("Privacy"), "{}", run.stdout);
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("UNRESTRICTED") && l.contains("PUBLIC")),
        "{}",
        run.stdout
    );

    let channel = all["Channels"][0]["ChannelArn"].as_str().unwrap();
    let run = emu.cli_as(
        &emu.user,
        &[
            "channels",
            "members",
            "--channel",
            channel,
            "--output",
            "table",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0].starts_with("Member.Arn "), "{}", run.stdout);
    assert!(lines[0].ends_with(" Member.Name"), "{}", run.stdout);
    assert!(
        lines[1..]
            .iter()
            .any(|l| l.starts_with(emu.user.as_str()) && l.ends_with(" User")),
        "{}",
        run.stdout
    );
    assert_eq!(lines[2], format!("ChannelArn: {channel}"));

    let run = emu.cli_as(
        &emu.user,
        &[
            "channels",
            "describe",
            "--channel",
            channel,
            "--output",
            "table",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("KEY "), "{}", run.stdout);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("Channel.CreatedBy.Arn ") && l.ends_with(emu.user.as_str())),
        "{}",
        run.stdout
    );
}

#[test]
fn refusals_name_the_exception_and_exit_1() {
    let emu = Emu::start();
    // A channel that does not exist.
    let missing = format!("{}/channel/ffffffffffffffffffffffffffffffff", emu.app);
    for command in ["describe", "members", "delete"] {
        refused(
            &emu.cli_as(&emu.admin, &["channels", command, "--channel", &missing]),
            "BadRequestException",
        );
    }
    refused(
        &emu.cli_as(
            &emu.admin,
            &[
                "channels",
                "add-member",
                "--channel",
                &missing,
                "--member",
                &emu.user,
            ],
        ),
        "NotFoundException",
    );

    // A private, restricted channel: the admin's, the user a member.
    let channel = emu.channel("private");
    let outsider = emu
        .emulator()
        .create_app_instance_user(&emu.app, "outsider", "Outsider")
        .unwrap();
    for command in ["describe", "members"] {
        refused(
            &emu.cli_as(&outsider, &["channels", command, "--channel", &channel]),
            "ForbiddenException",
        );
    }
    // A bearer that is no AppInstanceUser at all.
    let nobody = format!("{}/user/nobody", emu.app);
    refused(
        &emu.cli_as(&nobody, &["channels", "describe", "--channel", &channel]),
        "ForbiddenException",
    );
    refused(
        &emu.cli_as(
            &nobody,
            &["channels", "list", "--app-instance-arn", &emu.app],
        ),
        "ForbiddenException",
    );
    refused(
        &emu.cli_as(
            &nobody,
            &[
                "channels",
                "create",
                "--app-instance-arn",
                &emu.app,
                "--name",
                "x",
            ],
        ),
        "ForbiddenException",
    );
    // Private channels are listed for admins only.
    refused(
        &emu.cli_as(
            &emu.user,
            &[
                "channels",
                "list",
                "--app-instance-arn",
                &emu.app,
                "--privacy",
                "PRIVATE",
            ],
        ),
        "ForbiddenException",
    );
    // In a restricted channel, members neither add nor remove others, nor delete it.
    refused(
        &emu.cli_as(
            &emu.user,
            &[
                "channels",
                "add-member",
                "--channel",
                &channel,
                "--member",
                &outsider,
            ],
        ),
        "ForbiddenException",
    );
    refused(
        &emu.cli_as(
            &emu.user,
            &[
                "channels",
                "remove-member",
                "--channel",
                &channel,
                "--member",
                &emu.admin,
            ],
        ),
        "ForbiddenException",
    );
    refused(
        &emu.cli_as(&emu.user, &["channels", "delete", "--channel", &channel]),
        "ForbiddenException",
    );
    // Removing someone who is not a member.
    refused(
        &emu.cli_as(
            &emu.admin,
            &[
                "channels",
                "remove-member",
                "--channel",
                &channel,
                "--member",
                &outsider,
            ],
        ),
        "BadRequestException",
    );
    // The emulator validates requests against the service model.
    refused(
        &emu.cli_as(
            &emu.admin,
            &["channels", "describe", "--channel", "not-an-arn"],
        ),
        "BadRequestException",
    );
    // Still there, untouched.
    let members = emu.ok_as(&emu.admin, &["channels", "members", "--channel", &channel]);
    assert_eq!(member_arns(&members), [emu.admin.as_str(), &emu.user]);
}

/// The banned ARNs of a `channels bans` response, sorted.
fn banned_arns(response: &Value) -> Vec<&str> {
    let mut arns: Vec<&str> = response["ChannelBans"]
        .as_array()
        .unwrap_or_else(|| panic!("no ChannelBans: {response}"))
        .iter()
        .map(|b| b["Member"]["Arn"].as_str().unwrap())
        .collect();
    arns.sort_unstable();
    arns
}

#[test]
fn ban_keeps_a_member_out_until_unban() {
    let emu = Emu::start();
    // The admin's channel, the user a member.
    let channel = emu.channel("c");
    let ch = channel.as_str();
    let user = emu.user.as_str();
    let ban = ["channels", "ban", "--channel", ch, "--member", user];
    let unban = ["channels", "unban", "--channel", ch, "--member", user];
    let describe = [
        "channels",
        "describe-ban",
        "--channel",
        ch,
        "--member",
        user,
    ];
    let add = ["channels", "add-member", "--channel", ch, "--member", user];
    let send = ["messages", "send", "--channel", ch, "--content", "hello"];

    // A member who is no moderator cannot ban.
    refused(
        &emu.cli_as(
            user,
            &["channels", "ban", "--channel", ch, "--member", &emu.admin],
        ),
        "ForbiddenException",
    );

    let banned = emu.ok_as(&emu.admin, &ban);
    assert_eq!(
        banned,
        json!({"ChannelArn": channel, "Member": {"Arn": user, "Name": "User"}})
    );
    let members = emu.ok_as(&emu.admin, &["channels", "members", "--channel", ch]);
    assert_eq!(member_arns(&members), [emu.admin.as_str()], "kicked");
    refused(&emu.cli_as(user, &send), "ForbiddenException");
    refused(&emu.cli_as(&emu.admin, &add), "ForbiddenException");
    refused(&emu.cli_as(&emu.admin, &ban), "ConflictException");

    let described = emu.ok_as(&emu.admin, &describe);
    let b = &described["ChannelBan"];
    assert_eq!(b["ChannelArn"], channel);
    assert_eq!(b["Member"], json!({"Arn": user, "Name": "User"}));
    assert_eq!(b["CreatedBy"], json!({"Arn": emu.admin, "Name": "Admin"}));
    assert!(b["CreatedTimestamp"].is_string(), "{b}");
    let bans = emu.ok_as(&emu.admin, &["channels", "bans", "--channel", ch]);
    assert_eq!(bans["ChannelArn"], channel);
    assert_eq!(banned_arns(&bans), [user]);
    assert!(bans.get("NextToken").is_none(), "{bans}");

    // Unban prints nothing; the user is not a member until added again.
    let run = emu.cli_as(&emu.admin, &unban);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    refused(&emu.cli_as(&emu.admin, &describe), "NotFoundException");
    refused(&emu.cli_as(&emu.admin, &unban), "BadRequestException");
    refused(&emu.cli_as(user, &send), "ForbiddenException");
    emu.ok_as(&emu.admin, &add);
    emu.ok_as(user, &send);
    let bans = emu.ok_as(&emu.admin, &["channels", "bans", "--channel", ch]);
    assert_eq!(bans, json!({"ChannelArn": channel, "ChannelBans": []}));
}

#[test]
fn bans_pages_and_tables() {
    let emu = Emu::start();
    let channel = emu.channel("c");
    let ch = channel.as_str();
    let mut users = Vec::new();
    for n in 0..3 {
        let user = emu
            .emulator()
            .create_app_instance_user(&emu.app, &format!("u{n}"), &format!("U{n}"))
            .unwrap();
        emu.ok_as(
            &emu.admin,
            &["channels", "ban", "--channel", ch, "--member", &user],
        );
        users.push(user);
    }
    users.sort();
    let bans = |extra: &[&str]| {
        let mut args = vec!["channels", "bans", "--channel", ch];
        args.extend(extra);
        emu.ok_as(&emu.admin, &args)
    };
    let page = bans(&["--max-results", "2"]);
    assert_eq!(page["ChannelBans"].as_array().unwrap().len(), 2);
    let token = page["NextToken"].as_str().expect("a NextToken").to_owned();
    let rest = bans(&["--max-results", "2", "--next-token", &token]);
    assert_eq!(rest["ChannelBans"].as_array().unwrap().len(), 1);
    assert!(rest.get("NextToken").is_none(), "{rest}");
    let all = bans(&[]);
    assert_eq!(banned_arns(&all), users);

    // Tables: one row per ban; KEY/VALUE for describe-ban.
    let run = emu.cli_as(
        &emu.admin,
        &["channels", "bans", "--channel", ch, "--output", "table"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert!(lines[0].starts_with("Member.Arn "), "{}", run.stdout);
    assert_eq!(lines[4], format!("ChannelArn: {channel}"));
    let run = emu.cli_as(
        &emu.admin,
        &[
            "channels",
            "describe-ban",
            "--channel",
            ch,
            "--member",
            &users[0],
            "--output",
            "table",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("KEY "), "{}", run.stdout);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("ChannelBan.CreatedBy.Arn ") && l.ends_with(emu.admin.as_str())),
        "{}",
        run.stdout
    );
    // No bearer, no --member: usage errors before any call.
    let run = emu.cli(&["channels", "bans", "--channel", ch]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("CHIMEFLOW_BEARER"), "{}", run.stderr);
    let run = emu.cli_as(&emu.admin, &["channels", "ban", "--channel", ch]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn usage_errors_exit_2_before_any_call() {
    let emu = Emu::start();
    let channel = emu.channel("c");
    let (channel, app) = (channel.as_str(), emu.app.as_str());
    // No bearer: every channels call needs one.
    for args in [
        &["channels", "describe", "--channel", channel][..],
        &["channels", "list", "--app-instance-arn", app],
        &["channels", "members", "--channel", channel],
    ] {
        let run = emu.cli(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("--bearer"), "{}", run.stderr);
        assert!(run.stderr.contains("CHIMEFLOW_BEARER"), "{}", run.stderr);
    }
    for args in [
        // Not a mode, privacy or membership type.
        &[
            "channels",
            "create",
            "--app-instance-arn",
            app,
            "--name",
            "x",
            "--mode",
            "OPEN",
        ][..],
        &[
            "channels",
            "list",
            "--app-instance-arn",
            app,
            "--privacy",
            "SECRET",
        ],
        &[
            "channels",
            "add-member",
            "--channel",
            channel,
            "--member",
            emu.user.as_str(),
            "--type",
            "VISIBLE",
        ],
        // Missing required options.
        &["channels", "add-member", "--channel", channel],
        &["channels", "create", "--app-instance-arn", app],
        &["channels", "describe"],
        // Bad tags, a page size out of range, no subcommand.
        &[
            "channels",
            "create",
            "--app-instance-arn",
            app,
            "--name",
            "x",
            "--tags",
            "novalue",
        ],
        &[
            "channels",
            "members",
            "--channel",
            channel,
            "--max-results",
            "0",
        ],
        &["channels"],
    ] {
        let run = emu.cli_as(&emu.admin, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // Nothing was created or added.
    let members = emu.ok_as(&emu.admin, &["channels", "members", "--channel", channel]);
    assert_eq!(
        member_arns(&members),
        [emu.admin.as_str(), emu.user.as_str()]
    );
}

#[test]
fn help_teaches_with_examples() {
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["channels", "--help"],
            &[
                "create",
                "describe",
                "list",
                "delete",
                "members",
                "add-member",
                "remove-member",
                "ban",
                "unban",
                "bans",
                "describe-ban",
                "Examples",
                "CHIMEFLOW_BEARER",
                "--output",
            ],
        ),
        (
            &["channels", "create", "--help"],
            &[
                "CreateChannel",
                "--member",
                "--moderator",
                "RESTRICTED",
                "PRIVATE",
                "Examples",
            ],
        ),
        (
            &["channels", "add-member", "--help"],
            &["CreateChannelMembership", "HIDDEN", "Examples"],
        ),
        (
            &["channels", "ban", "--help"],
            &["CreateChannelBan", "moderator", "unban", "Examples"],
        ),
        (
            &["channels", "bans", "--help"],
            &["ListChannelBans", "--max-results", "Examples"],
        ),
        (&["--help"], &["channels"]),
    ];
    for (args, words) in cases {
        let run = common::chimeflow(args, b"");
        assert_eq!(run.code, 0, "{args:?}");
        for word in words {
            assert!(run.stdout.contains(word), "{args:?} lacks {word}");
        }
    }
}
