//! What `flows`, `channels` and `messages` share: their global options
//! (endpoint, region, profile, bearer, output) and the notes of their long
//! help.

use clap::Args;

use crate::aws::Target;
use crate::failure::Failure;
use crate::output::OutputFormat;

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

impl AwsArgs {
    /// The endpoint, region and profile the client is built for.
    pub fn target(&self) -> Target<'_> {
        Target {
            endpoint_url: self.endpoint_url.as_deref(),
            region: self.region.as_deref(),
            profile: self.profile.as_deref(),
        }
    }

    /// The bearer (`x-amz-chime-bearer`) that messaging and association
    /// calls need, or a usage error naming both ways to give it.
    pub fn bearer(&self) -> Result<&str, Failure> {
        self.bearer.as_deref().filter(|b| !b.is_empty()).ok_or_else(|| {
            Failure::Usage(
                "this call needs the AppInstanceUser ARN making it: pass --bearer ARN or set CHIMEFLOW_BEARER"
                    .into(),
            )
        })
    }
}

/// The long help of a messaging command: its `examples`, then what
/// `flows`, `channels` and `messages` share.
pub fn long_help(examples: &str) -> String {
    format!(
        "{examples}

Endpoint, region and credentials: --endpoint-url, --region, --profile, else the usual AWS
environment variables and profile files (AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING, AWS_REGION,
AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/config with endpoint_url, credential_process, SSO after
`aws sso login`, …). Against a local endpoint (localhost, 127.0.0.1, [::1]) with no credentials
configured, placeholder credentials are used: the emulator does not check signatures.
The options may come before or after the subcommand.

Output: the response as JSON (PascalCase, as the AWS CLI prints it), or a table with --output
table. A call the service refuses prints `chimeflow: <ExceptionCode>: <message>` on standard
error and exits 1; a usage error exits 2."
    )
}
