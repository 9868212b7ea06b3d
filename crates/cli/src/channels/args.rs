//! The arguments of `chimeflow channels …`.

use clap::{Args, Subcommand};

use crate::aws_options::{AwsArgs, long_help};
use crate::paging::PageArgs;
use crate::tags::{TagList, parse_tags};

/// Channels: create, inspect, list, delete; add, list and remove members;
/// ban and unban them.
///
/// A channel flow sees the messages of the channels associated with it
/// (`chimeflow flows associate`); these commands make those channels and
/// their members. Every call is made as the AppInstanceUser given by
/// --bearer (or CHIMEFLOW_BEARER): the creator of a channel becomes its
/// member and moderator.
#[derive(Debug, Args)]
#[command(after_long_help = long_help("Examples:
  chimeflow channels create --bearer $ADMIN --app-instance-arn $APP --name general \\
      --mode RESTRICTED --privacy PRIVATE --member $USER
  chimeflow channels add-member --bearer $ADMIN --channel $CHANNEL --member $USER
  chimeflow channels members --bearer $ADMIN --channel $CHANNEL --output table
  chimeflow channels describe --bearer $USER --channel $CHANNEL
  chimeflow channels list --bearer $ADMIN --app-instance-arn $APP --privacy PRIVATE
  chimeflow channels ban --bearer $MOD --channel $CHANNEL --member $USER
  chimeflow channels bans --bearer $MOD --channel $CHANNEL --output table
  chimeflow channels unban --bearer $MOD --channel $CHANNEL --member $USER
  chimeflow channels delete --bearer $ADMIN --channel $CHANNEL"))]
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
    Ban(BanArgs),
    Unban(UnbanArgs),
    Bans(BansArgs),
    DescribeBan(DescribeBanArgs),
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

/// Ban a user from a channel (CreateChannelBan); prints the ChannelArn and
/// the banned Member.
///
/// A member is removed from the channel at once, so it can no longer send
/// to it, and no one can add it as a member again until `chimeflow
/// channels unban` lifts the ban. The bearer must be a moderator of the
/// channel or an AppInstanceAdmin. On the emulator, a user who is no member
/// can be banned ahead of time, a banned moderator loses the role, and
/// banning a user twice is a ConflictException.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels ban --bearer $MOD --channel $CHANNEL --member $USER\n  \
    chimeflow channels ban --bearer $ADMIN --channel $CHANNEL --member $USER --output table")]
pub struct BanArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The AppInstanceUser to ban.
    #[arg(long, value_name = "ARN")]
    pub member: String,
}

/// Lift a ban (DeleteChannelBan); prints nothing.
///
/// The user does not become a member again: add it with `chimeflow
/// channels add-member` if it should be. The bearer must be a moderator of
/// the channel or an AppInstanceAdmin; on the emulator, a user who is not
/// banned is a BadRequestException.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels unban --bearer $MOD --channel $CHANNEL --member $USER\n  \
    chimeflow channels add-member --bearer $MOD --channel $CHANNEL --member $USER")]
pub struct UnbanArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The banned AppInstanceUser.
    #[arg(long, value_name = "ARN")]
    pub member: String,
}

/// List the users banned from a channel (ListChannelBans).
///
/// The bearer must be a moderator of the channel or an AppInstanceAdmin.
/// Every page is fetched and printed as one response, unless --max-results
/// asks for one page (its NextToken is printed; pass it to --next-token).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels bans --bearer $MOD --channel $CHANNEL --output table\n  \
    chimeflow channels bans --bearer $ADMIN --channel $CHANNEL --max-results 10")]
pub struct BansArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    #[command(flatten)]
    pub page: PageArgs,
}

/// Show one ban (DescribeChannelBan): the Member, who banned it
/// (CreatedBy) and when (CreatedTimestamp).
///
/// The bearer must be a moderator of the channel or an AppInstanceAdmin. A
/// user who is not banned is a NotFoundException (exit 1): a script can
/// ask whether a user is banned with it.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    chimeflow channels describe-ban --bearer $MOD --channel $CHANNEL --member $USER\n  \
    chimeflow channels describe-ban --bearer $MOD --channel $CHANNEL --member $USER --output table")]
pub struct DescribeBanArgs {
    /// The channel's ARN.
    #[arg(long, value_name = "ARN")]
    pub channel: String,

    /// The banned AppInstanceUser.
    #[arg(long, value_name = "ARN")]
    pub member: String,
}
