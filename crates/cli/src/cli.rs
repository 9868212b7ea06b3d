//! The command line: the top-level `chimeflow` command and its subcommands.
//! Each subcommand's arguments live in its own module, with the code that
//! runs it.

use clap::{Parser, Subcommand};

use crate::admins::AdminsArgs;
use crate::app_instances::AppInstancesArgs;
use crate::channels::ChannelsArgs;
use crate::check::CheckArgs;
use crate::flows::FlowsArgs;
use crate::gen_docs::GenDocsArgs;
use crate::local::LocalArgs;
use crate::messages::MessagesArgs;
use crate::new::NewArgs;
use crate::process::ProcessArgs;
use crate::replay::ReplayArgs;
use crate::rules_cmd::RulesArgs;
use crate::users::UsersArgs;

/// chimeflow: moderation rules for Amazon Chime SDK Messaging channel flows.
///
/// Every message sent to a channel with a channel flow goes to a processor
/// Lambda first, which answers through ChannelFlowCallback with new content,
/// a deny, or no change. This command runs the same rules the processor runs,
/// on events or plain text, with no AWS account; calls the channel-flow and
/// messaging APIs (`flows`, `channels`, `messages`) and the identity APIs
/// that set up an AppInstance (`app-instances`, `users`, `admins`), against
/// AWS or the local emulator; and runs the whole loop on this machine
/// (`local`). Deploying to AWS from an empty account: docs/deploying.md.
#[derive(Debug, Parser)]
#[command(
    name = "chimeflow",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Process(ProcessArgs),
    Replay(ReplayArgs),
    Check(CheckArgs),
    Rules(RulesArgs),
    New(NewArgs),
    Flows(FlowsArgs),
    Channels(ChannelsArgs),
    Messages(MessagesArgs),
    AppInstances(AppInstancesArgs),
    Users(UsersArgs),
    Admins(AdminsArgs),
    Local(LocalArgs),
    #[command(hide = true)]
    GenDocs(GenDocsArgs),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
