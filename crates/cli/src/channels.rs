//! `chimeflow channels …`: create, inspect, list and delete channels; add,
//! list and remove their members; ban them, list, show and lift bans. The
//! clap arguments are in [`args`].

use std::process::ExitCode;

use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::types::{ChannelMembershipType, ChannelMode, ChannelPrivacy};
use serde_json::Value;

use crate::aws::{self, failure};
use crate::failure::Failure;
use crate::output;
use crate::shapes::{self, Obj};
use crate::tags::messaging_tags;

mod args;

pub use args::ChannelsArgs;
use args::{ChannelsCommand, MembershipType, Mode, Privacy};

pub fn run(args: &ChannelsArgs) -> Result<ExitCode, Failure> {
    aws::block_on(async {
        let client = aws::client(&args.aws.target()).await?;
        let bearer = args.aws.bearer()?;
        if let Some(response) = call(&client, bearer, &args.command).await? {
            output::print(&response, args.aws.output)?;
        }
        Ok(ExitCode::SUCCESS)
    })?
}

fn mode(mode: Mode) -> ChannelMode {
    match mode {
        Mode::Unrestricted => ChannelMode::Unrestricted,
        Mode::Restricted => ChannelMode::Restricted,
    }
}

fn privacy(privacy: Privacy) -> ChannelPrivacy {
    match privacy {
        Privacy::Public => ChannelPrivacy::Public,
        Privacy::Private => ChannelPrivacy::Private,
    }
}

fn membership_type(kind: MembershipType) -> ChannelMembershipType {
    match kind {
        MembershipType::Default => ChannelMembershipType::Default,
        MembershipType::Hidden => ChannelMembershipType::Hidden,
    }
}

/// `Some(list)` unless it is empty: the API refuses empty member lists.
fn non_empty(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}

/// Makes the call; the response to print, if the API answers with one.
async fn call(
    client: &Client,
    bearer: &str,
    command: &ChannelsCommand,
) -> Result<Option<Value>, Failure> {
    Ok(match command {
        ChannelsCommand::Create(a) => {
            let out = client
                .create_channel()
                .app_instance_arn(&a.app_instance_arn)
                .name(&a.name)
                .set_mode(a.mode.map(mode))
                .set_privacy(a.privacy.map(privacy))
                .set_metadata(a.metadata.clone())
                .set_channel_id(a.channel_id.clone())
                .set_member_arns(non_empty(&a.members))
                .set_moderator_arns(non_empty(&a.moderators))
                .set_tags(messaging_tags(&a.tags)?)
                .set_client_request_token(a.client_request_token.clone())
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            Some(Obj::new().str("ChannelArn", out.channel_arn()).build())
        }
        ChannelsCommand::Describe(a) => {
            let out = client
                .describe_channel()
                .channel_arn(&a.channel)
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .val("Channel", out.channel().map(shapes::channel))
                    .build(),
            )
        }
        ChannelsCommand::List(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_channels()
                            .app_instance_arn(&a.app_instance_arn)
                            .set_privacy(a.privacy.map(privacy))
                            .set_max_results(max_results)
                            .set_next_token(next_token)
                            .chime_bearer(bearer)
                            .send()
                    },
                    |out| out.next_token(),
                )
                .await?;
            Some(
                Obj::new()
                    .val(
                        "Channels",
                        Some(pages.items(|out| out.channels(), shapes::channel_summary)),
                    )
                    .str("NextToken", pages.next_token.as_deref())
                    .build(),
            )
        }
        ChannelsCommand::Delete(a) => {
            client
                .delete_channel()
                .channel_arn(&a.channel)
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            None
        }
        ChannelsCommand::Members(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_channel_memberships()
                            .channel_arn(&a.channel)
                            .set_type(a.membership_type.map(membership_type))
                            .set_max_results(max_results)
                            .set_next_token(next_token)
                            .chime_bearer(bearer)
                            .send()
                    },
                    |out| out.next_token(),
                )
                .await?;
            Some(
                Obj::new()
                    .str("ChannelArn", pages.first(|out| out.channel_arn()))
                    .val(
                        "ChannelMemberships",
                        Some(pages.items(
                            |out| out.channel_memberships(),
                            shapes::channel_membership_summary,
                        )),
                    )
                    .str("NextToken", pages.next_token.as_deref())
                    .build(),
            )
        }
        ChannelsCommand::AddMember(a) => {
            let out = client
                .create_channel_membership()
                .channel_arn(&a.channel)
                .member_arn(&a.member)
                .r#type(membership_type(a.membership_type))
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .str("ChannelArn", out.channel_arn())
                    .val("Member", out.member().map(shapes::identity))
                    .str("SubChannelId", out.sub_channel_id())
                    .build(),
            )
        }
        ChannelsCommand::RemoveMember(a) => {
            client
                .delete_channel_membership()
                .channel_arn(&a.channel)
                .member_arn(&a.member)
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            None
        }
        ChannelsCommand::Ban(a) => {
            let out = client
                .create_channel_ban()
                .channel_arn(&a.channel)
                .member_arn(&a.member)
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .str("ChannelArn", out.channel_arn())
                    .val("Member", out.member().map(shapes::identity))
                    .build(),
            )
        }
        ChannelsCommand::Unban(a) => {
            client
                .delete_channel_ban()
                .channel_arn(&a.channel)
                .member_arn(&a.member)
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            None
        }
        ChannelsCommand::Bans(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_channel_bans()
                            .channel_arn(&a.channel)
                            .set_max_results(max_results)
                            .set_next_token(next_token)
                            .chime_bearer(bearer)
                            .send()
                    },
                    |out| out.next_token(),
                )
                .await?;
            Some(
                Obj::new()
                    .str("ChannelArn", pages.first(|out| out.channel_arn()))
                    .val(
                        "ChannelBans",
                        Some(pages.items(|out| out.channel_bans(), shapes::channel_ban_summary)),
                    )
                    .str("NextToken", pages.next_token.as_deref())
                    .build(),
            )
        }
        ChannelsCommand::DescribeBan(a) => {
            let out = client
                .describe_channel_ban()
                .channel_arn(&a.channel)
                .member_arn(&a.member)
                .chime_bearer(bearer)
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .val("ChannelBan", out.channel_ban().map(shapes::channel_ban))
                    .build(),
            )
        }
    })
}
