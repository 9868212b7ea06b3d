//! `chimeflow admins …`: make AppInstanceUsers AppInstanceAdmins, list
//! them, and take the role away. The clap arguments live here, with the
//! calls.

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

/// AppInstanceAdmins: create, list, delete.
///
/// An AppInstanceAdmin is an AppInstanceUser with rights over every channel
/// of its AppInstance: as the --bearer of `chimeflow flows associate` it
/// may associate a channel flow with any channel; it may also list private
/// channels and delete channels. Every command takes the AppInstance's ARN;
/// create and delete also the user's.
#[derive(Debug, Args)]
#[command(after_long_help = long_help("Examples:
  chimeflow admins create --app-instance-arn $APP --user $APP/user/admin
  chimeflow admins list --app-instance-arn $APP --output table
  chimeflow admins delete --app-instance-arn $APP --user $APP/user/admin"))]
pub struct AdminsArgs {
    #[command(flatten)]
    pub aws: IdentityAwsArgs,

    #[command(subcommand)]
    pub command: AdminsCommand,
}

#[derive(Debug, Subcommand)]
pub enum AdminsCommand {
    /// Make a user an AppInstanceAdmin (CreateAppInstanceAdmin); prints the
    /// AppInstanceAdmin and the AppInstanceArn.
    ///
    /// The user must be an AppInstanceUser of the same AppInstance
    /// (`chimeflow users create`).
    Create(AdminArgs),
    List(ListArgs),
    /// Take the AppInstanceAdmin role from a user (DeleteAppInstanceAdmin).
    ///
    /// The user stays, with the rights of an ordinary user.
    Delete(AdminArgs),
}

/// An AppInstance and one of its users.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow admins create --app-instance-arn $APP --user $APP/user/admin\n  \
    chimeflow admins delete --app-instance-arn $APP --user $APP/user/admin")]
pub struct AdminArgs {
    /// The AppInstance's ARN.
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,

    /// The AppInstanceUser's ARN (…:app-instance/ID/user/USER_ID).
    #[arg(long, value_name = "ARN", visible_alias = "admin")]
    pub user: String,
}

/// List the AppInstanceAdmins of an AppInstance (ListAppInstanceAdmins).
///
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page (its NextToken is printed; pass it to --next-token).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow admins list --app-instance-arn $APP --output table")]
pub struct ListArgs {
    /// The AppInstance's ARN.
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,

    #[command(flatten)]
    pub page: PageArgs,
}

pub fn run(args: &AdminsArgs) -> Result<ExitCode, Failure> {
    aws::block_on(async {
        let client = aws::identity_client(&args.aws.target()).await?;
        if let Some(response) = call(&client, &args.command).await? {
            output::print(&response, args.aws.output)?;
        }
        Ok(ExitCode::SUCCESS)
    })?
}

/// Makes the call; the response to print, if the API answers with one.
async fn call(client: &Client, command: &AdminsCommand) -> Result<Option<Value>, Failure> {
    Ok(match command {
        AdminsCommand::Create(a) => {
            let out = client
                .create_app_instance_admin()
                .app_instance_arn(&a.app_instance_arn)
                .app_instance_admin_arn(&a.user)
                .send()
                .await
                .map_err(failure)?;
            Some(
                Obj::new()
                    .val(
                        "AppInstanceAdmin",
                        out.app_instance_admin().map(identity_shapes::identity),
                    )
                    .str("AppInstanceArn", out.app_instance_arn())
                    .build(),
            )
        }
        AdminsCommand::List(a) => {
            let pages = a
                .page
                .collect(
                    |max_results, next_token| {
                        client
                            .list_app_instance_admins()
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
                        "AppInstanceAdmins",
                        Some(pages.items(
                            |out| out.app_instance_admins(),
                            identity_shapes::admin_summary,
                        )),
                    )
                    .str("NextToken", pages.next_token.as_deref())
                    .build(),
            )
        }
        AdminsCommand::Delete(a) => {
            client
                .delete_app_instance_admin()
                .app_instance_arn(&a.app_instance_arn)
                .app_instance_admin_arn(&a.user)
                .send()
                .await
                .map_err(failure)?;
            None
        }
    })
}
