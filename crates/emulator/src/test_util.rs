//! Helpers for tests that run against an in-process emulator, shared by
//! this crate's tests and the CLI's (feature `test-util`, enabled only as a
//! dev-dependency feature; never part of a shipped binary): SDK clients
//! with placeholder credentials, an app instance with an admin, and the
//! real processor binary, built on demand and run against the emulator.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use crate::emulator::RunningEmulator;
use crate::error::EmulatorError;

/// The workspace package that builds the processor binary. The one place
/// that names it: a rename of the package is a change of this line.
pub const PROCESSOR_PACKAGE: &str = "chimeflow-processor";

/// The processor binary's name (`cargo build --bin processor`, the file
/// SAM deploys as `bootstrap`).
pub const PROCESSOR_BINARY: &str = "processor";

/// A Lambda function ARN in the emulated account that passes the model's
/// pattern: the processor of test flows.
pub const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:111122223333:function:chimeflow-processor";

/// The placeholder access key of test clients and processors (AWS's
/// documented example key: the emulator accepts any signature).
pub const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";

/// The placeholder secret key that goes with [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// A chime-sdk-messaging SDK client for `emulator`, with placeholder
/// static credentials.
pub fn messaging_client(emulator: &RunningEmulator) -> aws_sdk_chimesdkmessaging::Client {
    use aws_sdk_chimesdkmessaging::config;
    let config = aws_sdk_chimesdkmessaging::Config::builder()
        .behavior_version(config::BehaviorVersion::latest())
        .region(config::Region::new(emulator.region().to_owned()))
        .endpoint_url(emulator.endpoint())
        .credentials_provider(config::Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            "tests",
        ))
        .build();
    aws_sdk_chimesdkmessaging::Client::from_conf(config)
}

/// A chime-sdk-identity SDK client for `emulator` (same endpoint, same
/// placeholder credentials).
pub fn identity_client(emulator: &RunningEmulator) -> aws_sdk_chimesdkidentity::Client {
    use aws_sdk_chimesdkidentity::config;
    let config = aws_sdk_chimesdkidentity::Config::builder()
        .behavior_version(config::BehaviorVersion::latest())
        .region(config::Region::new(emulator.region().to_owned()))
        .endpoint_url(emulator.endpoint())
        .credentials_provider(config::Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            "tests",
        ))
        .build();
    aws_sdk_chimesdkidentity::Client::from_conf(config)
}

/// An app instance with one AppInstanceAdmin (user id `admin`): the
/// setup every channel test starts from.
#[derive(Clone, Debug)]
pub struct AppInstance {
    /// The app instance's ARN.
    pub arn: String,
    /// The ARN of its AppInstanceAdmin.
    pub admin: String,
}

impl AppInstance {
    /// Creates the app instance `name` and its admin in `emulator`.
    pub fn create(emulator: &RunningEmulator, name: &str) -> Result<Self, EmulatorError> {
        let arn = emulator.create_app_instance(name);
        let admin = emulator.create_app_instance_user(&arn, "admin", "Admin")?;
        emulator.create_app_instance_admin(&arn, &admin)?;
        Ok(Self { arn, admin })
    }

    /// Creates the AppInstanceUser `user_id` (display name `name`); its ARN.
    pub fn user(
        &self,
        emulator: &RunningEmulator,
        user_id: &str,
        name: &str,
    ) -> Result<String, EmulatorError> {
        emulator.create_app_instance_user(&self.arn, user_id, name)
    }
}

/// The real processor binary ([`PROCESSOR_PACKAGE`]), built once per test
/// binary with the cargo that runs the tests, into the same target folder
/// and with the same profile as the test binary (`cargo test --release`
/// runs a release processor, never a stale dev one).
pub fn processor_binary() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        // The test binary is target/<profile dir>/deps/<name>.
        let test_binary = std::env::current_exe().expect("the test binary's path");
        let dir = test_binary
            .parent()
            .and_then(Path::parent)
            .expect("the test binary is in target/<profile>/deps")
            .to_owned();
        let profile = match dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev",
            Some("release") => "release",
            Some(other) => other,
        };
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "-p", PROCESSOR_PACKAGE])
            .args(["--bin", PROCESSOR_BINARY, "--profile", profile])
            .arg("--manifest-path")
            .arg(&manifest)
            .status()
            .expect("cargo runs");
        assert!(
            status.success(),
            "cargo build -p {PROCESSOR_PACKAGE} failed"
        );
        let binary = dir.join(format!(
            "{PROCESSOR_BINARY}{}",
            std::env::consts::EXE_SUFFIX
        ));
        assert!(binary.is_file(), "no processor at {}", binary.display());
        binary
    })
}

/// The processor binary set up as Lambda runs it, pointed at `emulator`:
/// its Runtime API, its Chime endpoint, placeholder credentials and
/// nothing else from the test's environment (no profile, no real keys).
/// Output is discarded; set `stdout`/`stderr` on the command to keep it.
pub fn processor_command(emulator: &RunningEmulator) -> Command {
    let mut command = Command::new(processor_binary());
    command
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", emulator.runtime_api())
        .env("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", emulator.endpoint())
        .env("AWS_LAMBDA_FUNCTION_NAME", "chimeflow-processor")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_REGION", emulator.region())
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// A child process killed (and reaped) when dropped, so that a failed
/// assertion never leaks it.
#[derive(Debug)]
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
