//! The arguments of `chimeflow flows …`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::aws_options::{AwsArgs, long_help};
use crate::paging::PageArgs;
use crate::tags::{TagList, parse_tags};

/// Channel flows: create, inspect, change, delete, associate with channels, tag.
///
/// A channel flow names the processor Lambda that sees every message of the
/// channels associated with it, before their members do. These commands call
/// the Chime SDK Messaging channel-flow APIs, on AWS or on the local emulator
/// (`chimeflow local`).
#[derive(Debug, Args)]
#[command(after_long_help = long_help("Examples:
  chimeflow flows create --app-instance-arn $APP --name moderation \\
      --processor moderation=arn:aws:lambda:us-east-1:111122223333:function:chimeflow-processor
  chimeflow flows associate --bearer $ADMIN --channel $CHANNEL --flow $FLOW
  chimeflow flows list --app-instance-arn $APP --output table
  chimeflow flows channels --flow $FLOW
  chimeflow flows --endpoint-url http://127.0.0.1:7700 --region us-east-1 describe --flow $FLOW"))]
pub struct FlowsArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(subcommand)]
    pub command: FlowsCommand,
}

#[derive(Debug, Subcommand)]
pub enum FlowsCommand {
    Create(FlowCreateArgs),
    /// Show a channel flow: its name and processors (DescribeChannelFlow).
    Describe(FlowArg),
    Update(FlowUpdateArgs),
    List(FlowListArgs),
    /// Delete a channel flow (DeleteChannelFlow); it must have no channels left.
    ///
    /// `chimeflow flows channels` lists them, `chimeflow flows disassociate`
    /// takes the flow off each.
    Delete(FlowArg),
    /// Associate a flow with a channel (AssociateChannelFlow).
    ///
    /// From then on, every STANDARD message sent to the channel goes to the
    /// flow's processor first. The bearer must be an AppInstanceAdmin or a
    /// moderator of the channel. A channel has at most one flow.
    Associate(AssociateArgs),
    /// Take a flow off a channel (DisassociateChannelFlow).
    ///
    /// Messages sent from then on are delivered as sent. The bearer must be
    /// an AppInstanceAdmin or a moderator of the channel.
    Disassociate(AssociateArgs),
    Channels(FlowChannelsArgs),
    Tag(TagArgs),
    Untag(UntagArgs),
    Tags(ResourceArg),
}

/// The processors of a flow: `--processor` specs or a JSON file.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ProcessorsArgs {
    /// A processor: NAME=LAMBDA_ARN[,fallback=ABORT|CONTINUE][,order=N]
    /// (repeatable, 1-3; fallback defaults to ABORT, order to the position).
    #[arg(long = "processor", value_name = "SPEC", value_parser = parse_processor)]
    pub processors: Vec<ProcessorSpec>,

    /// The processors as JSON, as the API takes them: a list of
    /// {"Name", "Configuration": {"Lambda": {"ResourceArn", "InvocationType"}},
    /// "ExecutionOrder", "FallbackAction"}, or {"Processors": [...]}.
    /// `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub processors_file: Option<PathBuf>,
}

/// Create a channel flow (CreateChannelFlow); prints its ChannelFlowArn.
///
/// The flow is not used until it is associated with a channel
/// (`chimeflow flows associate`).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow flows create --app-instance-arn $APP --name moderation \\\n      \
    --processor moderation=arn:aws:lambda:us-east-1:111122223333:function:chimeflow-processor\n  \
    chimeflow flows create --app-instance-arn $APP --name lenient \\\n      \
    --processor lenient=$LAMBDA_ARN,fallback=CONTINUE --tags team=chat,env=dev\n  \
    chimeflow flows create --app-instance-arn $APP --name from-file --processors-file processors.json")]
pub struct FlowCreateArgs {
    /// The AppInstance the flow belongs to.
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,

    /// The flow's name (1-256 characters).
    #[arg(long)]
    pub name: String,

    #[command(flatten)]
    pub processors: ProcessorsArgs,

    /// Tags: KEY=VALUE[,KEY=VALUE…] (repeatable).
    #[arg(long, value_name = "KEY=VALUE,…", value_parser = parse_tags)]
    pub tags: Vec<TagList>,

    /// The idempotency token [default: a random one].
    #[arg(long, value_name = "TOKEN")]
    pub client_request_token: Option<String>,
}

/// A channel flow.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  chimeflow flows describe --flow $FLOW\n  chimeflow flows delete --flow $FLOW"
)]
pub struct FlowArg {
    /// The channel flow's ARN.
    #[arg(long, value_name = "ARN")]
    pub flow: String,
}

/// Replace a channel flow's name and processors (UpdateChannelFlow).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow flows update --flow $FLOW --name moderation \\\n      \
    --processor moderation=$LAMBDA_ARN,fallback=CONTINUE")]
pub struct FlowUpdateArgs {
    /// The channel flow's ARN.
    #[arg(long, value_name = "ARN")]
    pub flow: String,

    /// The flow's new name (the API needs it even when unchanged).
    #[arg(long)]
    pub name: String,

    #[command(flatten)]
    pub processors: ProcessorsArgs,
}

/// List the channel flows of an AppInstance (ListChannelFlows).
///
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page (its NextToken is printed; pass it to --next-token).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow flows list --app-instance-arn $APP\n  \
    chimeflow flows list --app-instance-arn $APP --max-results 10 --output table")]
pub struct FlowListArgs {
    /// The AppInstance's ARN.
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,

    #[command(flatten)]
    pub page: PageArgs,
}

/// A channel and a flow.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow flows associate --bearer $ADMIN --channel $CHANNEL --flow $FLOW\n  \
    CHIMEFLOW_BEARER=$ADMIN chimeflow flows disassociate --channel $CHANNEL --flow $FLOW")]
pub struct AssociateArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The channel flow's ARN.
    #[arg(long, value_name = "ARN")]
    pub flow: String,
}

/// List the channels a flow is associated with (ListChannelsAssociatedWithChannelFlow).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow flows channels --flow $FLOW --output table")]
pub struct FlowChannelsArgs {
    /// The channel flow's ARN.
    #[arg(long, value_name = "ARN")]
    pub flow: String,

    #[command(flatten)]
    pub page: PageArgs,
}

/// Tag a resource: a flow, channel or AppInstance (TagResource).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  chimeflow flows tag --resource-arn $FLOW --tags team=chat,env=dev"
)]
pub struct TagArgs {
    /// The resource's ARN.
    #[arg(long, value_name = "ARN")]
    pub resource_arn: String,

    /// Tags: KEY=VALUE[,KEY=VALUE…] (repeatable; at least one).
    #[arg(long, value_name = "KEY=VALUE,…", value_parser = parse_tags, required = true)]
    pub tags: Vec<TagList>,
}

/// Remove tags from a resource (UntagResource).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  chimeflow flows untag --resource-arn $FLOW --tag-keys team,env"
)]
pub struct UntagArgs {
    /// The resource's ARN.
    #[arg(long, value_name = "ARN")]
    pub resource_arn: String,

    /// The keys to remove: KEY[,KEY…] (repeatable; at least one).
    #[arg(long, value_name = "KEY,…", value_delimiter = ',', required = true)]
    pub tag_keys: Vec<String>,
}

/// List a resource's tags (ListTagsForResource).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow flows tags --resource-arn $FLOW --output table")]
pub struct ResourceArg {
    /// The resource's ARN.
    #[arg(long, value_name = "ARN")]
    pub resource_arn: String,
}

/// A processor given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessorSpec {
    pub name: String,
    pub lambda_arn: String,
    /// ABORT or CONTINUE.
    pub fallback: String,
    pub order: Option<i32>,
}

/// Parses NAME=LAMBDA_ARN[,fallback=ABORT|CONTINUE][,order=N].
pub fn parse_processor(text: &str) -> Result<ProcessorSpec, String> {
    let mut parts = text.split(',');
    let head = parts.next().unwrap_or_default();
    let Some((name, arn)) = head.split_once('=') else {
        return Err("expected NAME=LAMBDA_ARN[,fallback=ABORT|CONTINUE][,order=N]".into());
    };
    let (name, arn) = (name.trim(), arn.trim());
    if name.is_empty() || arn.is_empty() {
        return Err("the processor needs a NAME and a LAMBDA_ARN: NAME=LAMBDA_ARN".into());
    }
    let mut spec = ProcessorSpec {
        name: name.to_owned(),
        lambda_arn: arn.to_owned(),
        fallback: "ABORT".into(),
        order: None,
    };
    for part in parts {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        match key.trim().to_ascii_lowercase().as_str() {
            "fallback" => {
                let value = value.trim().to_ascii_uppercase();
                if value != "ABORT" && value != "CONTINUE" {
                    return Err(format!("fallback must be ABORT or CONTINUE, not {value:?}"));
                }
                spec.fallback = value;
            }
            "order" => {
                spec.order = Some(
                    value
                        .trim()
                        .parse()
                        .ok()
                        .filter(|n| (1..=3).contains(n))
                        .ok_or_else(|| format!("order must be 1, 2 or 3, not {value:?}"))?,
                );
            }
            other => {
                return Err(format!(
                    "unknown processor option {other:?}: use fallback=ABORT|CONTINUE or order=N"
                ));
            }
        }
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processor_specs() {
        let spec = parse_processor("p=arn:aws:lambda:us-east-1:1:function:f").unwrap();
        assert_eq!(spec.name, "p");
        assert_eq!(spec.lambda_arn, "arn:aws:lambda:us-east-1:1:function:f");
        assert_eq!(spec.fallback, "ABORT");
        assert_eq!(spec.order, None);
        let spec = parse_processor("p=arn:x,fallback=continue,order=2").unwrap();
        assert_eq!((spec.fallback.as_str(), spec.order), ("CONTINUE", Some(2)));
        for bad in [
            "arn:x",
            "=arn:x",
            "p=",
            "p=arn:x,fallback=maybe",
            "p=arn:x,order=4",
            "p=arn:x,order=x",
            "p=arn:x,colour=red",
        ] {
            assert!(parse_processor(bad).is_err(), "{bad}");
        }
    }
}
