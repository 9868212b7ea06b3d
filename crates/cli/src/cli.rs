//! The command line: subcommands, flags and their help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    Check(CheckArgs),
    Rules(RulesArgs),
    New(NewArgs),
    Flows(FlowsArgs),
    Channels(ChannelsArgs),
    Messages(MessagesArgs),
    AppInstances(crate::app_instances::AppInstancesArgs),
    Users(crate::users::UsersArgs),
    Admins(crate::admins::AdminsArgs),
    Local(LocalArgs),
}

/// Run channel-flow events through the rules; print each outcome and callback.
///
/// Each INPUT is a file, or `-` for standard input (the default when no
/// INPUT is given). An input holds one JSON event (it may be pretty-printed)
/// or JSON Lines, one event per line. With --text, every line is the content
/// of a message, wrapped in a synthetic event.
///
/// For each event, in input order, one JSON line is written to standard
/// output:
///
///   {"MessageId": "…", "Outcome": "PASS|UPDATE|DENY", "Findings": [...],
///    "Callback": {"ChannelArn": "…", "CallbackId": "…", "DeleteResource": false,
///                 "ChannelMessage": {...}}}
///
/// DENY outcomes add "Reason" ({"Rule", "Reason"}); limit fallbacks and
/// fields set aside (a known field of an undocumented shape) add "Notes".
/// An event without a ChannelArn cannot be called back: its line has no
/// "Callback" but "NoCallback", saying why. Findings give rule, category and
/// byte span in the original content, never the matched text. An event that
/// cannot be used gives {"Error": "…", "Input": "FILE:LINE"} on its line and
/// processing goes on.
///
/// --format human prints a block per event instead, for a person: the text
/// with each finding highlighted (colour on a terminal unless NO_COLOR is
/// set, «…» otherwise), the findings, what would be sent and any notes.
///
/// Exit status: 0 when every event was processed, 1 when any event was an
/// error line, 2 when the configuration is bad or an input cannot be read.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow process events/with-pii.json\n  \
    chimeflow process events/*.json --pretty\n  \
    echo 'call me at 555-867-5309' | chimeflow process --text\n  \
    echo 'call me at 555-867-5309' | chimeflow process --text --format human\n  \
    chimeflow process --config my-rules.toml events.jsonl > outcomes.jsonl")]
pub struct ProcessArgs {
    /// Event files (JSON or JSON Lines); `-` or nothing reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Configuration file [default: $CHIMEFLOW_CONFIG, else the embedded rules/chimeflow.toml].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Treat every input line as message content, not as an event.
    #[arg(long)]
    pub text: bool,

    /// Indent each outcome over several lines (no longer JSON Lines).
    #[arg(long, conflicts_with = "format")]
    pub pretty: bool,

    /// `json`: one JSON line per event (the contract scripts rely on).
    /// `human`: a block per event with the findings highlighted in the text.
    #[arg(long, short = 'f', value_enum, default_value_t = ProcessFormat::Json, value_name = "FORMAT")]
    pub format: ProcessFormat,
}

/// How `chimeflow process` prints outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProcessFormat {
    /// One JSON line per event.
    Json,
    /// A block per event for a person, findings highlighted in the text.
    Human,
}

/// Validate a configuration and list the rules it builds.
///
/// Parses the configuration, builds every rule, and prints the rules in
/// order. A bad configuration prints one error naming the file, line and key
/// and exits 2, exactly as the processor would refuse to start with it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow check\n  chimeflow check --config my-rules.toml")]
pub struct CheckArgs {
    /// Configuration file [default: $CHIMEFLOW_CONFIG, else the embedded rules/chimeflow.toml].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// List the rule types, or explain one.
///
/// Without ID, prints every rule type with a one-line summary. With ID,
/// prints its whole documentation: what it does, every option with its
/// default, an example, and its limitations.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow rules\n  chimeflow rules length")]
pub struct RulesArgs {
    /// A rule type, e.g. `length`.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

/// Scaffold a processor project with a custom rule.
///
/// Creates PATH with a Cargo project on the chimeflow crates from crates.io
/// (`chimeflow-core = "0.1"`, ...; --chimeflow-path DIR depends on a
/// chimeflow checkout by path instead, to work on chimeflow itself): a processor
/// binary (src/main.rs) that registers a custom rule stub (src/rule.rs, with
/// table and conformance tests) next to the built-ins, rules/chimeflow.toml
/// (embedded at build time), template.yaml for `sam build && sam deploy`,
/// env.json and events/ for `sam local invoke`, and a README. It builds and
/// passes its own tests as created: `cd PATH && cargo test`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  chimeflow new my-processor\n  \
    chimeflow new ./services/moderation --name chat-moderation --chimeflow-path ~/src/chimeflow")]
pub struct NewArgs {
    /// The directory to create (must not exist, or be empty).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// The crate name [default: the directory's name].
    #[arg(long)]
    pub name: Option<String>,

    /// Depend on the chimeflow crates of this checkout by path [default: the published
    /// crates, by version].
    #[arg(long, value_name = "DIR")]
    pub chimeflow_path: Option<PathBuf>,
}

/// How `flows`, `channels` and `messages` print responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// The response as JSON, PascalCase as the AWS CLI prints it (one line;
    /// indented when standard output is a terminal).
    Json,
    /// A table: one row per item of a list, else one row per field.
    Table,
}

/// Where and as whom the Chime SDK Messaging calls go. Unset options come
/// from the environment and profile files the usual AWS way.
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// The Chime SDK Messaging endpoint, e.g. the local emulator's
    /// [default: $AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING, $AWS_ENDPOINT_URL, else AWS's].
    #[arg(long, global = true, help_heading = "AWS options", value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// The AWS region [default: $AWS_REGION, else the profile's].
    #[arg(
        long,
        global = true,
        help_heading = "AWS options",
        value_name = "REGION"
    )]
    pub region: Option<String>,

    /// The profile in ~/.aws/config and ~/.aws/credentials [default: $AWS_PROFILE, else `default`].
    #[arg(long, global = true, help_heading = "AWS options", value_name = "NAME")]
    pub profile: Option<String>,

    /// The AppInstanceUser ARN making the call (the x-amz-chime-bearer header),
    /// needed by `channels`, `messages` and `flows associate|disassociate`.
    #[arg(
        long,
        global = true,
        help_heading = "AWS options",
        env = "CHIMEFLOW_BEARER",
        value_name = "ARN"
    )]
    pub bearer: Option<String>,

    /// How to print responses.
    #[arg(long, global = true, help_heading = "AWS options", value_enum, default_value_t = OutputFormat::Json, value_name = "FORMAT")]
    pub output: OutputFormat,
}

/// What `flows`, `channels` and `messages` share in their long help.
macro_rules! aws_notes {
    () => {
        "Endpoint, region and credentials: --endpoint-url, --region, --profile, else the usual AWS
environment variables and profile files (AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING, AWS_REGION,
AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/config with endpoint_url, credential_process, SSO after
`aws sso login`, …). Against a local endpoint (localhost, 127.0.0.1, [::1]) with no credentials
configured, placeholder credentials are used: the emulator does not check signatures.
The options may come before or after the subcommand.

Output: the response as JSON (PascalCase, as the AWS CLI prints it), or a table with --output
table. A call the service refuses prints `chimeflow: <ExceptionCode>: <message>` on standard
error and exits 1; a usage error exits 2."
    };
}

/// Channel flows: create, inspect, change, delete, associate with channels, tag.
///
/// A channel flow names the processor Lambda that sees every message of the
/// channels associated with it, before their members do. These commands call
/// the Chime SDK Messaging channel-flow APIs, on AWS or on the local emulator
/// (`chimeflow local`).
#[derive(Debug, Args)]
#[command(after_long_help = concat!("Examples:
  chimeflow flows create --app-instance-arn $APP --name moderation \\
      --processor moderation=arn:aws:lambda:us-east-1:111122223333:function:chimeflow-processor
  chimeflow flows associate --bearer $ADMIN --channel $CHANNEL --flow $FLOW
  chimeflow flows list --app-instance-arn $APP --output table
  chimeflow flows channels --flow $FLOW
  chimeflow flows --endpoint-url http://127.0.0.1:7700 --region us-east-1 describe --flow $FLOW

", aws_notes!()))]
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

/// One page of a list, or all of them.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// Fetch one page of at most N items instead of all of them (1-50).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..=50))]
    pub max_results: Option<i32>,

    /// Continue from this token (printed as NextToken by a --max-results call).
    #[arg(long, value_name = "TOKEN")]
    pub next_token: Option<String>,
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

/// Tags from one `--tags` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagList(pub Vec<(String, String)>);

/// Parses KEY=VALUE[,KEY=VALUE…].
pub fn parse_tags(text: &str) -> Result<TagList, String> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| match part.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                Ok((key.trim().to_owned(), value.trim().to_owned()))
            }
            _ => Err(format!("expected KEY=VALUE, got {part:?}")),
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|tags| {
            if tags.is_empty() {
                Err("expected KEY=VALUE[,KEY=VALUE…]".into())
            } else {
                Ok(TagList(tags))
            }
        })
}

/// Channels: create, inspect, list, delete; add, list and remove members.
///
/// A channel flow sees the messages of the channels associated with it
/// (`chimeflow flows associate`); these commands make those channels and
/// their members. Every call is made as the AppInstanceUser given by
/// --bearer (or CHIMEFLOW_BEARER): the creator of a channel becomes its
/// member and moderator.
#[derive(Debug, Args)]
#[command(after_long_help = concat!("Examples:
  chimeflow channels create --bearer $ADMIN --app-instance-arn $APP --name general \\
      --mode RESTRICTED --privacy PRIVATE --member $USER
  chimeflow channels add-member --bearer $ADMIN --channel $CHANNEL --member $USER
  chimeflow channels members --bearer $ADMIN --channel $CHANNEL --output table
  chimeflow channels describe --bearer $USER --channel $CHANNEL
  chimeflow channels list --bearer $ADMIN --app-instance-arn $APP --privacy PRIVATE
  chimeflow channels delete --bearer $ADMIN --channel $CHANNEL

", aws_notes!()))]
pub struct ChannelsArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(subcommand)]
    pub command: ChannelsCommand,
}

#[derive(Debug, Subcommand)]
pub enum ChannelsCommand {
    Create(ChannelCreateArgs),
    /// Show a channel (DescribeChannel): name, mode, privacy, creator, and its
    /// ChannelFlowArn when a flow is associated.
    ///
    /// A PRIVATE channel is shown to its members, moderators and
    /// AppInstanceAdmins only.
    Describe(ChannelArg),
    List(ChannelListArgs),
    /// Delete a channel with its memberships and messages (DeleteChannel).
    ///
    /// The bearer must be an AppInstanceAdmin or a moderator of the channel.
    /// Its channel flow, if any, stays.
    Delete(ChannelArg),
    Members(MembersArgs),
    AddMember(AddMemberArgs),
    RemoveMember(RemoveMemberArgs),
}

/// A channel mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    /// Members may add and remove other members.
    Unrestricted,
    /// Only moderators and AppInstanceAdmins add and remove members.
    Restricted,
}

/// A channel privacy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Privacy {
    /// Anyone of the AppInstance may find and describe the channel.
    Public,
    /// Only its members see it; only AppInstanceAdmins list it.
    Private,
}

/// A channel membership type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MembershipType {
    /// An ordinary member, listed with the others.
    Default,
    /// A member listed only when asked for (`members --type HIDDEN`), e.g. a bot.
    Hidden,
}

/// Create a channel (CreateChannel); prints its ChannelArn.
///
/// The bearer must be an AppInstanceUser of the AppInstance; it becomes a
/// member and moderator of the channel. To run its messages through a
/// processor, associate a flow: `chimeflow flows associate`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels create --bearer $ADMIN --app-instance-arn $APP --name general\n  \
    chimeflow channels create --bearer $ADMIN --app-instance-arn $APP --name support \\\n      \
    --mode RESTRICTED --privacy PRIVATE --member $USER --moderator $MOD --tags team=chat")]
pub struct ChannelCreateArgs {
    /// The AppInstance the channel belongs to.
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,

    /// The channel's name (1-256 characters).
    #[arg(long)]
    pub name: String,

    /// Who may add and remove members [default: UNRESTRICTED, the service's].
    #[arg(long, value_enum, value_name = "MODE")]
    pub mode: Option<Mode>,

    /// Who may see the channel [default: PUBLIC, the service's].
    #[arg(long, value_enum, value_name = "PRIVACY")]
    pub privacy: Option<Privacy>,

    /// The channel's metadata (at most 1024 characters).
    #[arg(long, value_name = "TEXT")]
    pub metadata: Option<String>,

    /// The channel's id, the end of its ARN [default: one the service picks].
    #[arg(long, value_name = "ID")]
    pub channel_id: Option<String>,

    /// A member: an AppInstanceUser ARN (repeatable).
    #[arg(long = "member", value_name = "ARN")]
    pub members: Vec<String>,

    /// A moderator: an AppInstanceUser ARN (repeatable).
    #[arg(long = "moderator", value_name = "ARN")]
    pub moderators: Vec<String>,

    /// Tags: KEY=VALUE[,KEY=VALUE…] (repeatable).
    #[arg(long, value_name = "KEY=VALUE,…", value_parser = parse_tags)]
    pub tags: Vec<TagList>,

    /// The idempotency token [default: a random one].
    #[arg(long, value_name = "TOKEN")]
    pub client_request_token: Option<String>,
}

/// A channel.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels describe --bearer $USER --channel $CHANNEL\n  \
    chimeflow channels delete --bearer $ADMIN --channel $CHANNEL")]
pub struct ChannelArg {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,
}

/// List the channels of an AppInstance (ListChannels): the PUBLIC ones, or
/// with --privacy PRIVATE (AppInstanceAdmins only) the private ones.
///
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page (its NextToken is printed; pass it to --next-token).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels list --bearer $USER --app-instance-arn $APP --output table\n  \
    chimeflow channels list --bearer $ADMIN --app-instance-arn $APP --privacy PRIVATE --max-results 10")]
pub struct ChannelListArgs {
    /// The AppInstance's ARN.
    #[arg(long, value_name = "ARN")]
    pub app_instance_arn: String,

    /// Which channels [default: PUBLIC].
    #[arg(long, value_enum, value_name = "PRIVACY")]
    pub privacy: Option<Privacy>,

    #[command(flatten)]
    pub page: PageArgs,
}

/// List a channel's members (ListChannelMemberships): the DEFAULT ones, or
/// with --type HIDDEN the hidden ones.
///
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels members --bearer $USER --channel $CHANNEL --output table\n  \
    chimeflow channels members --bearer $ADMIN --channel $CHANNEL --type HIDDEN")]
pub struct MembersArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// Which members [default: DEFAULT].
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub membership_type: Option<MembershipType>,

    #[command(flatten)]
    pub page: PageArgs,
}

/// Add a member to a channel (CreateChannelMembership); prints the
/// ChannelArn and the Member.
///
/// In an UNRESTRICTED channel any member may add members; in a RESTRICTED
/// one, only moderators and AppInstanceAdmins. The member must be an
/// AppInstanceUser of the channel's AppInstance.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels add-member --bearer $ADMIN --channel $CHANNEL --member $USER\n  \
    chimeflow channels add-member --bearer $ADMIN --channel $CHANNEL --member $BOT --type HIDDEN")]
pub struct AddMemberArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The AppInstanceUser to add.
    #[arg(long, value_name = "ARN")]
    pub member: String,

    /// The membership type.
    #[arg(long = "type", value_enum, default_value_t = MembershipType::Default, value_name = "TYPE")]
    pub membership_type: MembershipType,
}

/// Remove a member from a channel (DeleteChannelMembership).
///
/// Any member may leave (remove itself); in an UNRESTRICTED channel members
/// may remove others; moderators and AppInstanceAdmins may remove anyone.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels remove-member --bearer $ADMIN --channel $CHANNEL --member $USER\n  \
    CHIMEFLOW_BEARER=$USER chimeflow channels remove-member --channel $CHANNEL --member $USER")]
pub struct RemoveMemberArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The member to remove.
    #[arg(long, value_name = "ARN")]
    pub member: String,
}

/// Messages: send, edit, read, list; follow one through the channel flow.
///
/// Every call is made as the AppInstanceUser given by --bearer (or
/// CHIMEFLOW_BEARER), who must be a member of the channel.
#[derive(Debug, Args)]
#[command(after_long_help = concat!("Examples:
  chimeflow messages watch --bearer $USER --channel $CHANNEL --content \"mail jane@example.com\"
  chimeflow messages send --bearer $USER --channel $CHANNEL --content hello
  chimeflow messages status --bearer $USER --channel $CHANNEL --message-id $ID
  chimeflow messages get --bearer $USER --channel $CHANNEL --message-id $ID
  chimeflow messages update --bearer $USER --channel $CHANNEL --message-id $ID --content fixed
  chimeflow messages list --bearer $USER --channel $CHANNEL --output table

", aws_notes!()))]
pub struct MessagesArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(subcommand)]
    pub command: MessagesCommand,
}

#[derive(Debug, Subcommand)]
pub enum MessagesCommand {
    Send(SendArgs),
    /// Read one message as stored (GetChannelMessage).
    ///
    /// On a channel with a flow, this is the content the processor sent back.
    Get(MessageArg),
    /// A message's status (GetChannelMessageStatus): PENDING while the
    /// processor works on it, then SENT or FAILED.
    ///
    /// Only the sender may ask. The service keeps no status for a message
    /// the processor denied (it is not stored): that is answered
    /// BadRequestException. `messages watch` infers DENIED from it.
    Status(MessageArg),
    List(ListMessagesArgs),
    Update(UpdateArgs),
    Watch(WatchArgs),
}

/// Edit a message (UpdateChannelMessage); prints its MessageId and Status.
///
/// On a channel with a flow the edit goes through the processor too: the
/// status is PENDING until it calls back. Only the sender may edit.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages update --bearer $USER --channel $CHANNEL --message-id $ID --content 'new text'\n  \
    chimeflow messages watch --bearer $USER --channel $CHANNEL --edit $ID --content 'hi, mail me'")]
pub struct UpdateArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The message's id.
    #[arg(long, value_name = "ID")]
    pub message_id: String,

    /// The new content.
    #[arg(long, value_name = "TEXT")]
    pub content: String,

    /// The new metadata.
    #[arg(long, value_name = "TEXT")]
    pub metadata: Option<String>,

    /// The sub-channel, for elastic channels.
    #[arg(long, value_name = "ID")]
    pub sub_channel_id: Option<String>,

    /// The content type, e.g. application/json.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,
}

/// A message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MessageType {
    /// A chat message: channel flows process it.
    Standard,
    /// A control message: channel flows never see it.
    Control,
}

/// Whether a message is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Persistence {
    /// Stored; readable later with `messages get` and `messages list`.
    Persistent,
    /// Delivered to connected members only.
    NonPersistent,
}

/// What SendChannelMessage takes.
#[derive(Debug, Args)]
pub struct SendFields {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The message content.
    #[arg(long, value_name = "TEXT")]
    pub content: String,

    /// The message type.
    #[arg(long = "type", value_enum, default_value_t = MessageType::Standard, value_name = "TYPE")]
    pub message_type: MessageType,

    /// Whether the message is stored.
    #[arg(long, value_enum, default_value_t = Persistence::Persistent, value_name = "PERSISTENCE")]
    pub persistence: Persistence,

    /// The message metadata (at most 1024 characters).
    #[arg(long, value_name = "TEXT")]
    pub metadata: Option<String>,

    /// Message attributes: KEY=VALUE[,VALUE…][,KEY=VALUE…] (repeatable). An
    /// item without `=` is one more value of the key before it.
    #[arg(long = "attribute", value_name = "KEY=VALUE,…", value_parser = parse_attributes)]
    pub attributes: Vec<AttributeList>,

    /// The sub-channel, for elastic channels.
    #[arg(long, value_name = "ID")]
    pub sub_channel_id: Option<String>,

    /// The content type, e.g. application/json.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,

    /// The idempotency token [default: a random one].
    #[arg(long, value_name = "TOKEN")]
    pub client_request_token: Option<String>,
}

/// Send a message (SendChannelMessage); prints its MessageId and Status.
///
/// On a channel with a flow, the status is PENDING until the processor calls
/// back; `messages status` or `messages watch` follow it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages send --bearer $USER --channel $CHANNEL --content hello\n  \
    chimeflow messages send --bearer $USER --channel $CHANNEL --content hi \\\n      \
    --attribute lang=en,tags=a,b\n  \
    chimeflow messages send --bearer $USER --channel $CHANNEL --content '{\"op\":\"typing\"}' \\\n      \
    --type CONTROL --persistence NON_PERSISTENT")]
pub struct SendArgs {
    #[command(flatten)]
    pub fields: SendFields,
}

/// One message.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages get --bearer $USER --channel $CHANNEL --message-id $ID\n  \
    chimeflow messages status --bearer $USER --channel $CHANNEL --message-id $ID")]
pub struct MessageArg {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The message's id.
    #[arg(long, value_name = "ID")]
    pub message_id: String,

    /// The sub-channel, for elastic channels.
    #[arg(long, value_name = "ID")]
    pub sub_channel_id: Option<String>,
}

/// List a channel's messages (ListChannelMessages), newest first by default.
///
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages list --bearer $USER --channel $CHANNEL\n  \
    chimeflow messages list --bearer $USER --channel $CHANNEL --sort-order ASCENDING --max-results 5")]
pub struct ListMessagesArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The order of the messages.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort_order: Option<SortOrder>,

    /// The sub-channel, for elastic channels.
    #[arg(long, value_name = "ID")]
    pub sub_channel_id: Option<String>,

    #[command(flatten)]
    pub page: PageArgs,
}

/// A sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SortOrder {
    /// Oldest first.
    Ascending,
    /// Newest first.
    Descending,
}

/// Send a message (or edit one) and follow it through the channel flow until it is final.
///
/// Prints one JSON line per step: the SendChannelMessage response (or the
/// UpdateChannelMessage one, with --edit; status PENDING on a channel with a
/// flow), then each GetChannelMessageStatus
/// response whose status differs from the one before, until the status is
/// final (SENT, DENIED or FAILED); then, when SENT, the message as stored
/// (GetChannelMessage), with the content the processor sent back. Failed
/// messages are not shown to others, so nothing follows them.
///
/// DENIED is inferred: the service does not store denied messages, nor
/// their status. When a PENDING message's status call fails (BadRequest)
/// and GetChannelMessage answers NotFound, the last line is
/// {"Status":{"Value":"DENIED","Detail":"inferred: …"}}. A denied edit
/// leaves the last sent version, so an --edit the processor denies ends
/// SENT with the previous content.
///
/// On a terminal (standard output and error both), the status lines give
/// way to a spinner showing the status and the time waited, and one line
/// per change ("PENDING → SENT after 0.42 s"); the first and last JSON
/// lines stay. Piped or captured, the output is JSON lines only.
///
/// Exit status: 0 when the message reached a final status (whichever it is:
/// read the last line), 1 when --timeout passed first or a call failed.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow messages watch --bearer $USER --channel $CHANNEL --content \"mail jane@example.com\"\n  \
    chimeflow messages watch --bearer $USER --channel $CHANNEL --content '   ' --timeout 5s")]
pub struct WatchArgs {
    #[command(flatten)]
    pub fields: SendFields,

    /// Edit this message (UpdateChannelMessage) instead of sending a new one:
    /// --content (and --metadata, --content-type) replace its own.
    #[arg(long, value_name = "MESSAGE_ID", conflicts_with_all = ["attributes", "message_type", "persistence", "client_request_token"])]
    pub edit: Option<String>,

    /// How long to wait for a final status: 30, 30s, 500ms, 2m.
    #[arg(long, value_parser = crate::aws::parse_duration, default_value = "30s", value_name = "DURATION")]
    pub timeout: std::time::Duration,
}

/// Message attributes from one `--attribute` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeList(pub Vec<(String, Vec<String>)>);

/// Parses KEY=VALUE[,VALUE…][,KEY=VALUE…].
pub fn parse_attributes(text: &str) -> Result<AttributeList, String> {
    let mut attributes: Vec<(String, Vec<String>)> = Vec::new();
    for part in text.split(',') {
        match part.split_once('=') {
            Some((key, value)) => {
                let key = key.trim();
                if key.is_empty() {
                    return Err(format!("an attribute needs a key: {part:?}"));
                }
                attributes.push((key.to_owned(), vec![value.to_owned()]));
            }
            None => match attributes.last_mut() {
                Some((_, values)) => values.push(part.to_owned()),
                None => return Err("expected KEY=VALUE[,VALUE…][,KEY=VALUE…]".into()),
            },
        }
    }
    Ok(AttributeList(attributes))
}

/// Run the channel-flow loop on this machine: the emulator and the processor.
///
/// Starts the local Chime SDK Messaging emulator, creates an AppInstance, an
/// admin, a user, a channel (the user a member) and a channel flow whose
/// processor Lambda (FallbackAction ABORT) is the processor binary, runs
/// that binary as a child process against the emulator's Lambda Runtime API,
/// and associates the flow with the channel. Then every message sent to the
/// channel goes through your rules, as on AWS.
///
/// Standard output gets one JSON line once everything is ready:
///
///   {"Endpoint", "RuntimeApi", "Region", "AppInstanceArn", "AdminArn",
///    "UserArn", "ChannelArn", "ChannelFlowArn", "FunctionArn"}
///
/// and standard error a ready-to-paste `chimeflow messages watch` command.
///
/// The processor gets AWS_LAMBDA_RUNTIME_API, AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING,
/// AWS_REGION, placeholder credentials (none of your AWS profiles) and, with
/// --config, CHIMEFLOW_CONFIG. Its log lines go to standard error, with the
/// emulator's warnings (a FallbackAction applied, retries used up); RUST_LOG sets
/// both levels.
///
/// Runs until interrupted (Ctrl-C or SIGTERM), then stops the processor and
/// the emulator and exits 0. If the processor exits on its own (a bad
/// configuration, a crash), chimeflow says so with its exit status, stops
/// the emulator and exits 1: a loop without its processor would only leave
/// messages PENDING.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    cargo build -p chimeflow-processor --bin processor && chimeflow local\n  \
    chimeflow local --port 0 --config my-rules.toml\n  \
    chimeflow local --processor ./target/debug/my-processor --duplicate-delivery")]
pub struct LocalArgs {
    /// The emulator's API port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 7700, value_name = "PORT")]
    pub port: u16,

    /// The emulator's Lambda Runtime API port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0, value_name = "PORT")]
    pub runtime_api_port: u16,

    /// The processor program, with arguments separated by spaces [default:
    /// the `processor` binary next to this one, as cargo builds it].
    #[arg(long, value_name = "CMD")]
    pub processor: Option<String>,

    /// The processor's configuration (sets CHIMEFLOW_CONFIG for it)
    /// [default: its embedded configuration].
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Deliver every message to the processor twice, as Chime may.
    #[arg(long)]
    pub duplicate_delivery: bool,

    /// The region of the emulated service and its ARNs.
    #[arg(long, default_value = "us-east-1", value_name = "REGION")]
    pub region: String,

    /// The account id in the emulated ARNs.
    #[arg(long, default_value = "111122223333", value_name = "ID")]
    pub account_id: String,

    /// How long no processor may be there (none polling, none busy)
    /// before waiting invocations get the flow's FallbackAction; also each
    /// invocation's deadline (the function timeout).
    #[arg(long, value_parser = crate::aws::parse_duration, default_value = "30s", value_name = "DURATION")]
    pub processor_timeout: std::time::Duration,

    /// The delays of Lambda's async retries after a function error or a
    /// deadline passed, one retry each (`none`: no retry).
    #[arg(long, value_name = "DURATION,…", default_value = "60s,120s", value_parser = parse_delays)]
    pub retry_delays: Delays,

    /// Load the emulator's state from this file at start and keep it written
    /// there (each run still sets up its own AppInstance, channel and flow).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
}

/// Retry delays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delays(pub Vec<std::time::Duration>);

/// Parses `60s,120s`, or `none`.
pub fn parse_delays(text: &str) -> Result<Delays, String> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(Delays(Vec::new()));
    }
    text.split(',')
        .map(crate::aws::parse_duration)
        .collect::<Result<Vec<_>, _>>()
        .map(Delays)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays() {
        use std::time::Duration;
        assert_eq!(
            parse_delays("60s,2m").unwrap().0,
            [Duration::from_secs(60), Duration::from_secs(120)]
        );
        assert!(parse_delays("none").unwrap().0.is_empty());
        assert!(parse_delays("soon").is_err());
    }

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

    #[test]
    fn tags() {
        assert_eq!(
            parse_tags("a=1, b=2").unwrap().0,
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!(
            parse_tags("a=").unwrap().0,
            vec![("a".into(), String::new())]
        );
        assert!(parse_tags("a").is_err());
        assert!(parse_tags("=1").is_err());
        assert!(parse_tags("").is_err());
    }

    #[test]
    fn attributes() {
        assert_eq!(
            parse_attributes("lang=en,tags=a,b").unwrap().0,
            vec![
                ("lang".into(), vec!["en".into()]),
                ("tags".into(), vec!["a".into(), "b".into()])
            ]
        );
        assert_eq!(
            parse_attributes("k=v=w").unwrap().0,
            vec![("k".into(), vec!["v=w".into()])]
        );
        assert!(parse_attributes("novalue").is_err());
        assert!(parse_attributes("=x").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
