//! Channel bans through the real Rust SDK: CreateChannelBan removes the
//! member, who can then neither send nor be added again until
//! DeleteChannelBan; only moderators and AppInstanceAdmins see or change
//! bans; ListChannelBans pages; bans survive a snapshot restart. The
//! botocore model check of every ban request and response is
//! `boto3_bans_match_the_model` (tools/boto3_bans.py).

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use aws_sdk_chimesdkmessaging::types::{
    ChannelMembershipType, ChannelMessagePersistenceType, ChannelMessageType,
};
use chimeflow_emulator::Emulator;
use chimeflow_emulator::test_util::{AppInstance, identity_client};
use common::{World, client, config};

async fn world() -> World {
    World::start(config(Duration::from_secs(30))).await
}

impl World {
    async fn ban(
        &self,
        member: &str,
        bearer: &str,
    ) -> Result<
        aws_sdk_chimesdkmessaging::operation::create_channel_ban::CreateChannelBanOutput,
        aws_sdk_chimesdkmessaging::operation::create_channel_ban::CreateChannelBanError,
    > {
        self.client
            .create_channel_ban()
            .channel_arn(&self.channel)
            .member_arn(member)
            .chime_bearer(bearer)
            .send()
            .await
            .map_err(|e| e.into_service_error())
    }

    async fn unban(
        &self,
        member: &str,
        bearer: &str,
    ) -> Result<(), aws_sdk_chimesdkmessaging::operation::delete_channel_ban::DeleteChannelBanError>
    {
        self.client
            .delete_channel_ban()
            .channel_arn(&self.channel)
            .member_arn(member)
            .chime_bearer(bearer)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| e.into_service_error())
    }

    async fn add(
        &self,
        member: &str,
        bearer: &str,
    ) -> Result<
        (),
        aws_sdk_chimesdkmessaging::operation::create_channel_membership::CreateChannelMembershipError,
    >{
        self.client
            .create_channel_membership()
            .channel_arn(&self.channel)
            .member_arn(member)
            .r#type(ChannelMembershipType::Default)
            .chime_bearer(bearer)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| e.into_service_error())
    }

    async fn send_as(
        &self,
        bearer: &str,
    ) -> Result<
        (),
        aws_sdk_chimesdkmessaging::operation::send_channel_message::SendChannelMessageError,
    > {
        self.client
            .send_channel_message()
            .channel_arn(&self.channel)
            .content("hello")
            .r#type(ChannelMessageType::Standard)
            .persistence(ChannelMessagePersistenceType::Persistent)
            .chime_bearer(bearer)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| e.into_service_error())
    }

    /// The member ARNs of the channel, as alice lists them.
    async fn members(&self) -> Vec<String> {
        self.client
            .list_channel_memberships()
            .channel_arn(&self.channel)
            .chime_bearer(&self.alice)
            .send()
            .await
            .unwrap()
            .channel_memberships()
            .iter()
            .filter_map(|m| m.member()?.arn().map(str::to_owned))
            .collect()
    }

    /// The banned ARNs, every page, as `bearer` lists them.
    async fn banned(&self, bearer: &str) -> Vec<String> {
        let mut banned = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .client
                .list_channel_bans()
                .channel_arn(&self.channel)
                .set_next_token(token)
                .chime_bearer(bearer)
                .send()
                .await
                .unwrap();
            banned.extend(
                page.channel_bans()
                    .iter()
                    .filter_map(|b| b.member()?.arn().map(str::to_owned)),
            );
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                return banned;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_removes_the_member_who_can_neither_send_nor_rejoin_until_unbanned() {
    let world = world().await;
    assert!(world.members().await.contains(&world.bob));
    world.send_as(&world.bob).await.expect("a member sends");

    let banned = world.ban(&world.bob, &world.alice).await.unwrap();
    assert_eq!(banned.channel_arn(), Some(world.channel.as_str()));
    let member = banned.member().unwrap();
    assert_eq!(member.arn(), Some(world.bob.as_str()));
    assert_eq!(member.name(), Some("Bob"));
    assert!(!world.members().await.contains(&world.bob), "kicked");

    let refused = world.send_as(&world.bob).await.unwrap_err();
    assert!(refused.is_forbidden_exception(), "{refused:?}");
    let refused = world.add(&world.bob, &world.alice).await.unwrap_err();
    assert!(refused.is_forbidden_exception(), "{refused:?}");
    let refused = world.add(&world.bob, &world.admin).await.unwrap_err();
    assert!(refused.is_forbidden_exception(), "admins cannot either");
    let again = world.ban(&world.bob, &world.alice).await.unwrap_err();
    assert!(again.is_conflict_exception(), "{again:?}");

    let described = world
        .client
        .describe_channel_ban()
        .channel_arn(&world.channel)
        .member_arn(&world.bob)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap();
    let ban = described.channel_ban().unwrap();
    assert_eq!(ban.channel_arn(), Some(world.channel.as_str()));
    assert_eq!(ban.member().unwrap().arn(), Some(world.bob.as_str()));
    assert_eq!(ban.created_by().unwrap().arn(), Some(world.alice.as_str()));
    assert_eq!(ban.created_by().unwrap().name(), Some("Alice"));
    assert!(ban.created_timestamp().unwrap().secs() > 1_700_000_000);
    assert_eq!(world.banned(&world.alice).await, [world.bob.as_str()]);

    // Unbanned, bob is still not a member, but may be added again.
    world.unban(&world.bob, &world.alice).await.unwrap();
    assert!(world.banned(&world.alice).await.is_empty());
    assert!(!world.members().await.contains(&world.bob));
    let not_found = world
        .client
        .describe_channel_ban()
        .channel_arn(&world.channel)
        .member_arn(&world.bob)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(not_found.is_not_found_exception(), "{not_found:?}");
    let refused = world.send_as(&world.bob).await.unwrap_err();
    assert!(refused.is_forbidden_exception(), "not a member yet");
    world.add(&world.bob, &world.alice).await.unwrap();
    world.send_as(&world.bob).await.expect("a member again");
    // DeleteChannelBan models no NotFound: a user not banned is a BadRequest.
    let not_banned = world.unban(&world.bob, &world.alice).await.unwrap_err();
    assert!(not_banned.is_bad_request_exception(), "{not_banned:?}");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_moderators_and_admins_see_or_change_bans() {
    let world = world().await;
    // bob is a member, not a moderator.
    let refused = world.ban(&world.carol, &world.bob).await.unwrap_err();
    assert!(refused.is_forbidden_exception(), "{refused:?}");
    // An AppInstanceAdmin who is no member bans a user who is no member.
    world.ban(&world.carol, &world.admin).await.unwrap();
    let refused = world.unban(&world.carol, &world.bob).await.unwrap_err();
    assert!(refused.is_forbidden_exception(), "{refused:?}");
    let refused = world
        .client
        .list_channel_bans()
        .channel_arn(&world.channel)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(refused.is_forbidden_exception(), "{refused:?}");
    let refused = world
        .client
        .describe_channel_ban()
        .channel_arn(&world.channel)
        .member_arn(&world.carol)
        .chime_bearer(&world.bob)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(refused.is_forbidden_exception(), "{refused:?}");
    let refused = world.add(&world.carol, &world.bob).await.unwrap_err();
    assert!(refused.is_forbidden_exception(), "{refused:?}");
    assert_eq!(world.banned(&world.admin).await, [world.carol.as_str()]);

    // CreateChannelBan models no NotFound: a user or channel that does not
    // exist is a BadRequest.
    let nobody = format!("{}/user/nobody", world.app);
    let missing = world.ban(&nobody, &world.alice).await.unwrap_err();
    assert!(missing.is_bad_request_exception(), "{missing:?}");
    let missing = world
        .client
        .create_channel_ban()
        .channel_arn(format!("{}/channel/ffff", world.app))
        .member_arn(&world.bob)
        .chime_bearer(&world.alice)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(missing.is_bad_request_exception(), "{missing:?}");

    // A banned moderator loses the role with the membership.
    world.ban(&world.alice, &world.admin).await.unwrap();
    let refused = world.ban(&world.bob, &world.alice).await.unwrap_err();
    assert!(refused.is_forbidden_exception(), "{refused:?}");
    // Deleting a user cleans up its bans.
    identity_client(&world.emulator)
        .delete_app_instance_user()
        .app_instance_user_arn(&world.carol)
        .send()
        .await
        .unwrap();
    assert_eq!(world.banned(&world.admin).await, [world.alice.as_str()]);
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_channel_bans_pages_and_bans_survive_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let snapshot = folder.path().join("state.json");
    let world = World::start(common::EmulatorConfig {
        snapshot: Some(snapshot.clone()),
        ..config(Duration::from_secs(30))
    })
    .await;
    let instance = AppInstance {
        arn: world.app.clone(),
        admin: world.admin.clone(),
    };
    let mut users = Vec::new();
    for n in 0..5 {
        let user = instance
            .user(&world.emulator, &format!("u{n}"), &format!("User {n}"))
            .unwrap();
        world.ban(&user, &world.alice).await.unwrap();
        users.push(user);
    }
    users.sort();
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = world
            .client
            .list_channel_bans()
            .channel_arn(&world.channel)
            .max_results(2)
            .set_next_token(token.clone())
            .chime_bearer(&world.alice)
            .send()
            .await
            .unwrap();
        assert_eq!(page.channel_arn(), Some(world.channel.as_str()));
        pages.push(
            page.channel_bans()
                .iter()
                .map(|b| b.member().unwrap().arn().unwrap().to_owned())
                .collect::<Vec<_>>(),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
        // A token is for its own listing: not another bearer's.
        let foreign = world
            .client
            .list_channel_bans()
            .channel_arn(&world.channel)
            .max_results(2)
            .set_next_token(token.clone())
            .chime_bearer(&world.admin)
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        assert!(foreign.is_bad_request_exception(), "{foreign:?}");
    }
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
    assert_eq!(pages.concat(), users);

    let channel = world.channel.clone();
    let alice = world.alice.clone();
    world.emulator.shutdown().await;
    let again = Emulator::start(common::EmulatorConfig {
        snapshot: Some(snapshot),
        ..config(Duration::from_secs(30))
    })
    .await
    .unwrap();
    let described = client(&again)
        .describe_channel_ban()
        .channel_arn(&channel)
        .member_arn(&users[0])
        .chime_bearer(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.channel_ban().unwrap().member().unwrap().arn(),
        Some(users[0].as_str())
    );
    again.shutdown().await;
}

fn python() -> PathBuf {
    std::env::var_os("CHIMEFLOW_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"))
}

/// boto3 (which checks every request against the model before sending)
/// drives the ban operations, and every response body is checked against
/// the operation's output shape: no member the model lacks, each of the
/// right type and within its constraints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_bans_match_the_model() {
    let world = world().await;
    let python = python();
    assert!(
        python.exists(),
        "no Python with boto3 at {} (run scripts/test, or set CHIMEFLOW_PYTHON)",
        python.display()
    );
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/boto3_bans.py");
    let endpoint = world.emulator.endpoint().to_owned();
    let args = [
        endpoint,
        world.emulator.region().to_owned(),
        world.channel.clone(),
        world.alice.clone(),
        world.bob.clone(),
        world.carol.clone(),
    ];
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script)
            .args(args)
            .output()
            .expect("python runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.trim_end().ends_with("ok"),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    world.emulator.shutdown().await;
}
