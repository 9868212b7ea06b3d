//! `chimeflow app-instances …`: create, describe, list and delete Chime SDK
//! AppInstances (the container of users, channels and channel flows). The
//! clap arguments live here, with the calls.

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
use crate::tags::{TagList, identity_tags, parse_tags};

/// AppInstances: create, describe, list, delete.
///
/// An AppInstance holds the users, channels and channel flows of one
/// application. `sam deploy` creates one unless you give it yours
/// (parameter AppInstanceArn); then add users (`chimeflow users`) and
/// make one an admin (`chimeflow admins`) to create channels and
/// associate the flow with them.
#[derive(Debug, Args)]
#[command(after_long_help = long_help("Examples:
  chimeflow app-instances create --name chat
  chimeflow app-instances list --output table
  chimeflow app-instances describe --app-instance-arn $APP
  chimeflow app-instances delete --app-instance-arn $APP"))]
pub struct AppInstancesArgs {
    #[command(flatten)]
    pub aws: IdentityAwsArgs,

    #[command(subcommand)]
    pub command: AppInstancesCommand,
}

#[derive(Debug, Subcommand)]
pub enum AppInstancesCommand {
    Create(CreateArgs),
    /// Show an AppInstance (DescribeAppInstance): name, metadata, timestamps.
    Describe(AppInstanceArg),
    List(ListArgs),
    /// Delete an AppInstance (DeleteAppInstance) and everything in it.
    ///
    /// Its users, channels with their messages, and channel flows are
    /// deleted with it (asynchronously, on AWS). This cannot be undone.
    Delete(AppInstanceArg),
}

/// Create an AppInstance (CreateAppInstance); prints its AppInstanceArn.
///
/// Next: `chimeflow users create` for its users, `chimeflow admins create`
/// to make one of them an AppInstanceAdmin.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow app-instances create --name chat\n  \
    chimeflow app-instances create --name chat --metadata 'team chat' --tags env=dev")]
pub struct CreateArgs {
    /// The AppInstance's name (1-256 characters).
    #[arg(long)]
    pub name: String,

    /// The AppInstance's metadata (at most 1024 characters).
    #[arg(long, value_name = "TEXT")]
    pub metadata: Option<String>,

    /// Tags: KEY=VALUE[,KEY=VALUE…] (repeatable).
    #[arg(long, value_name = "KEY=VALUE,…", value_parser = parse_tags)]
    pub tags: Vec<TagList>,

    /// The idempotency token [default: a random one].
    #[arg(long, value_name = "TOKEN")]
    pub client_request_token: Option<String>,
}

/// An AppInstance.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow app-instances describe --app-instance-arn $APP\n  \
    chimeflow app-instances delete --app-instance-arn $APP")]
pub struct AppInstanceArg {
    /// The AppInstance's ARN (arn:aws:chime:REGION:ACCOUNT:app-instance/ID).
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,
}

/// List the account's AppInstances in the region (ListAppInstances).
///
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page (its NextToken is printed; pass it to --next-token).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow app-instances list --output table\n  \
    chimeflow app-instances list --max-results 10")]
pub struct ListArgs {
    #[command(flatten)]
    pub page: PageArgs,
}

pub fn run(args: &AppInstancesArgs) -> Result<ExitCode, Failure> {
    aws::block_on(async {
        let client = aws::identity_client(&args.aws.target()).await?;
        if let Some(response) = call(&client, &args.command).await? {
            output::print(&response, args.aws.output)?;
        }
        Ok(ExitCode::SUCCESS)
    })?
}

/// Makes the call; the response to print, if the API answers with one.
async fn call(client: &Client, command: &AppInstancesCommand) -> Result<Option<Value>, Failure> {
    Ok(match command {
        AppInstancesCommand::Create(a) => {
            let out = client
                .create_app_instance()
                .name(&a.name)
                .set_metadata(a.metadata.clone())
                .set_tags(identity_tags(&a.tags)?)
                .set_client_request_token(a.client_request_token.clone())
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .str("AppInstanceArn", out.app_instance_arn())
                    .build(),
            )
        }
        AppInstancesCommand::Describe(a) => {
            let out = client
                .describe_app_instance()
                .app_instance_arn(&a.app_instance_arn)
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .val(
                        "AppInstance",
                        out.app_instance().map(identity_shapes::app_instance),
                    )
                    .build(),
            )
        }
        AppInstancesCommand::List(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_app_instances()
                            .set_max_results(max_results)
                            .set_next_token(next_token)
                            .send()
                    },
                    |out| out.next_token(),
                )
                .await?;
            Some(
                Obj::new()
                    .val(
                        "AppInstances",
                        Some(pages.items(
                            |out| out.app_instances(),
                            identity_shapes::app_instance_summary,
                        )),
                    )
                    .str("NextToken", pages.next_token.as_deref())
                    .build(),
            )
        }
        AppInstancesCommand::Delete(a) => {
            client
                .delete_app_instance()
                .app_instance_arn(&a.app_instance_arn)
                .send()
                .await
                .map_err(failure)?;
            None
        }
    })
}
