//! What `app-instances`, `users` and `admins` share: their global options
//! (endpoint, region, profile, output; no bearer: Chime SDK Identity calls
//! are made with IAM credentials alone) and the notes of their long help.

use clap::Args;

use crate::aws::Target;
use crate::output::OutputFormat;

/// Where the Chime SDK Identity calls go. Unset options come from the
/// environment and profile files the usual AWS way.
#[derive(Debug, Clone, Args)]
pub struct IdentityAwsArgs {
    /// The Chime SDK Identity endpoint, e.g. the local emulator's
    /// [default: $AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY, $AWS_ENDPOINT_URL, else AWS's].
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

    /// How to print responses.
    #[arg(long, global = true, help_heading = "AWS options", value_enum, default_value_t = OutputFormat::Json, value_name = "FORMAT")]
    pub output: OutputFormat,
}

impl IdentityAwsArgs {
    /// The endpoint, region and profile the client is built for.
    pub fn target(&self) -> Target<'_> {
        Target {
            endpoint_url: self.endpoint_url.as_deref(),
            region: self.region.as_deref(),
            profile: self.profile.as_deref(),
        }
    }
}

/// The long help of an identity command: its `examples`, then what every
/// identity command shares.
pub fn long_help(examples: &str) -> String {
    format!(
        "{examples}

Endpoint, region and credentials: --endpoint-url, --region, --profile, else the usual AWS
environment variables and profile files (AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY, AWS_ENDPOINT_URL,
AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/config with endpoint_url, credential_process,
SSO after `aws sso login`, …). Against a local endpoint (localhost, 127.0.0.1, [::1]) with no
credentials configured, placeholder credentials are used: the emulator does not check signatures.
The options may come before or after the subcommand. These are Chime SDK Identity calls, made
with your IAM credentials alone: no --bearer.

Output: the response as JSON (PascalCase, as the AWS CLI prints it), or a table with --output
table. A call the service refuses prints `chimeflow: <ExceptionCode>: <message>` on standard
error and exits 1; a usage error exits 2."
    )
}
