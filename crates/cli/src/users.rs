//! `chimeflow users …`: create, describe, list and delete AppInstanceUsers,
//! the identities that send messages and that calls name as their bearer.
//! The clap arguments live here, with the calls.

use std::process::ExitCode;

use aws_sdk_chimesdkidentity::Client;
use clap::{Args, Subcommand};
use serde_json::Value;

use crate::aws::{self, failure};
use crate::failure::Failure;
use crate::identity_options::{IdentityAwsArgs, long_help};
use crate::identity_shapes;
use crate::output;
use crate::paging::PageArgs;
use crate::shapes::Obj;

/// AppInstanceUsers: create, describe, list, delete.
///
/// Every channel and message call is made as an AppInstanceUser: its ARN is
/// the --bearer of `chimeflow channels`, `messages` and `flows associate`.
/// A user's ARN is the AppInstance's ARN followed by `/user/` and its id.
#[derive(Debug, Args)]
#[command(after_long_help = long_help("Examples:
  chimeflow users create --app-instance-arn $APP --user-id alice --name Alice
  chimeflow users list --app-instance-arn $APP --output table
  chimeflow users describe --user $APP/user/alice
  chimeflow users delete --user $APP/user/alice"))]
pub struct UsersArgs {
    #[command(flatten)]
    pub aws: IdentityAwsArgs,

    #[command(subcommand)]
    pub command: UsersCommand,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    Create(CreateArgs),
    /// Show an AppInstanceUser (DescribeAppInstanceUser): name, metadata, timestamps.
    Describe(UserArg),
    List(ListArgs),
    /// Delete an AppInstanceUser (DeleteAppInstanceUser).
    ///
    /// It can no longer make calls; the messages it sent stay.
    Delete(UserArg),
}

/// Create an AppInstanceUser (CreateAppInstanceUser); prints its AppInstanceUserArn.
///
/// Takes the AppInstance, an id (the end of the user's ARN, unique in the
/// AppInstance) and a display name. Any user may create channels; to let
/// one associate channel flows with any channel of the AppInstance, make it
/// an admin: `chimeflow admins create`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow users create --app-instance-arn $APP --user-id alice --name Alice\n  \
    chimeflow users create --app-instance-arn $APP --user-id moderation-bot --name Bot \\\n      \
    --metadata 'runs the admin tasks'")]
pub struct CreateArgs {
    /// The AppInstance the user belongs to.
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,

    /// The user's id, the end of its ARN: 1-64 letters, digits and
    /// `:-_.@`, starting and ending with a letter or digit.
    #[arg(long, value_name = "ID", visible_alias = "app-instance-user-id")]
    pub user_id: String,

    /// The user's display name (1-100 characters).
    #[arg(long)]
    pub name: String,

    /// The user's metadata (at most 1024 characters).
    #[arg(long, value_name = "TEXT")]
    pub metadata: Option<String>,

    /// The idempotency token [default: a random one].
    #[arg(long, value_name = "TOKEN")]
    pub client_request_token: Option<String>,
}

/// An AppInstanceUser.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow users describe --user $APP/user/alice\n  \
    chimeflow users delete --user $APP/user/alice")]
pub struct UserArg {
    /// The user's ARN (…:app-instance/ID/user/USER_ID).
    #[arg(long, value_name = "ARN")]
    pub user: String,
}

/// List the users of an AppInstance (ListAppInstanceUsers).
///
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page (its NextToken is printed; pass it to --next-token).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow users list --app-instance-arn $APP --output table\n  \
    chimeflow users list --app-instance-arn $APP --max-results 10")]
pub struct ListArgs {
    /// The AppInstance's ARN.
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,

    #[command(flatten)]
    pub page: PageArgs,
}

pub fn run(args: &UsersArgs) -> Result<ExitCode, Failure> {
    aws::block_on(async {
        let client = aws::identity_client(&args.aws.target()).await?;
        if let Some(response) = call(&client, &args.command).await? {
            output::print(&response, args.aws.output)?;
        }
        Ok(ExitCode::SUCCESS)
    })?
}

/// Makes the call; the response to print, if the API answers with one.
async fn call(client: &Client, command: &UsersCommand) -> Result<Option<Value>, Failure> {
    Ok(match command {
        UsersCommand::Create(a) => {
            let out = client
                .create_app_instance_user()
                .app_instance_arn(&a.app_instance_arn)
                .app_instance_user_id(&a.user_id)
                .name(&a.name)
                .set_metadata(a.metadata.clone())
                .set_client_request_token(a.client_request_token.clone())
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .str("AppInstanceUserArn", out.app_instance_user_arn())
                    .build(),
            )
        }
        UsersCommand::Describe(a) => {
            let out = client
                .describe_app_instance_user()
                .app_instance_user_arn(&a.user)
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .val(
                        "AppInstanceUser",
                        out.app_instance_user().map(identity_shapes::user),
                    )
                    .build(),
            )
        }
        UsersCommand::List(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_app_instance_users()
                            .app_instance_arn(&a.app_instance_arn)
                            .set_max_results(max_results)
                            .set_next_token(next_token)
                            .send()
                    },
                    |out| out.next_token(),
                )
                .await?;
            Some(
                Obj::new()
                    .str("AppInstanceArn", pages.first(|out| out.app_instance_arn()))
                    .val(
                        "AppInstanceUsers",
                        Some(pages.items(
                            |out| out.app_instance_users(),
                            identity_shapes::user_summary,
                        )),
                    )
                    .str("NextToken", pages.next_token.as_deref())
                    .build(),
            )
        }
        UsersCommand::Delete(a) => {
            client
                .delete_app_instance_user()
                .app_instance_user_arn(&a.user)
                .send()
                .await
                .map_err(failure)?;
            None
        }
    })
}
