//! The emulator in the test process, the `chimeflow` binary pointed at it,
//! and the processor binary. The helpers the emulator's own tests use too
//! (SDK clients, the app instance setup, building and running the real
//! processor) come from `chimeflow_emulator::test_util`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_chimesdkmessaging::Client;
use aws_sdk_chimesdkmessaging::types::{ChannelMembershipType, ChannelMode, ChannelPrivacy};
pub use chimeflow_emulator::test_util::FUNCTION_ARN;
use chimeflow_emulator::test_util::{AppInstance, Killed, messaging_client, processor_command};
use chimeflow_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::Value;

use super::{Run, root};

/// An emulator on 127.0.0.1 with an app instance, an admin and a user.
pub struct Emu {
    runtime: tokio::runtime::Runtime,
    emulator: Option<RunningEmulator>,
    pub app: String,
    pub admin: String,
    pub user: String,
}

impl Emu {
    /// An emulator with default settings.
    pub fn start() -> Self {
        Self::with(EmulatorConfig::default())
    }

    /// An emulator with `config`.
    pub fn with(config: EmulatorConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let emulator = runtime
            .block_on(Emulator::start(config))
            .expect("emulator starts");
        let instance = AppInstance::create(&emulator, "test").unwrap();
        let user = instance.user(&emulator, "user", "User").unwrap();
        let AppInstance { arn: app, admin } = instance;
        Self {
            runtime,
            emulator: Some(emulator),
            app,
            admin,
            user,
        }
    }

    pub fn emulator(&self) -> &RunningEmulator {
        self.emulator.as_ref().unwrap()
    }

    pub fn endpoint(&self) -> String {
        self.emulator().endpoint()
    }

    /// An SDK client for setup steps the CLI has no command for.
    pub fn client(&self) -> Client {
        messaging_client(self.emulator())
    }

    /// Runs a future on the emulator's runtime.
    pub fn block_on<T>(&self, future: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    /// A channel made by the admin, with the user as a member.
    pub fn channel(&self, name: &str) -> String {
        let client = self.client();
        self.block_on(async {
            let channel = client
                .create_channel()
                .app_instance_arn(&self.app)
                .name(name)
                .mode(ChannelMode::Restricted)
                .privacy(ChannelPrivacy::Private)
                .chime_bearer(&self.admin)
                .send()
                .await
                .expect("CreateChannel")
                .channel_arn()
                .unwrap()
                .to_owned();
            client
                .create_channel_membership()
                .channel_arn(&channel)
                .member_arn(&self.user)
                .r#type(ChannelMembershipType::Default)
                .chime_bearer(&self.admin)
                .send()
                .await
                .expect("CreateChannelMembership");
            channel
        })
    }

    /// `chimeflow ARGS --endpoint-url … --region …`, no bearer.
    pub fn cli(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let endpoint = self.endpoint();
        all.extend(["--endpoint-url", &endpoint, "--region", "us-east-1"]);
        chimeflow_env(&all, &[])
    }

    /// `chimeflow ARGS` as `bearer`.
    pub fn cli_as(&self, bearer: &str, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let endpoint = self.endpoint();
        all.extend(["--endpoint-url", &endpoint, "--region", "us-east-1"]);
        chimeflow_env(&all, &[("CHIMEFLOW_BEARER", bearer)])
    }

    /// The JSON a successful run printed.
    pub fn ok(&self, args: &[&str]) -> Value {
        ok(self.cli(args))
    }

    /// The JSON a successful run as `bearer` printed.
    pub fn ok_as(&self, bearer: &str, args: &[&str]) -> Value {
        ok(self.cli_as(bearer, args))
    }

    /// A flow with one processor and this fallback; its ARN.
    pub fn flow(&self, name: &str, fallback: &str) -> String {
        let spec = format!("{name}={FUNCTION_ARN},fallback={fallback}");
        let out = self.ok(&[
            "flows",
            "create",
            "--app-instance-arn",
            &self.app,
            "--name",
            name,
            "--processor",
            &spec,
        ]);
        out["ChannelFlowArn"].as_str().unwrap().to_owned()
    }

    /// A channel with a flow of this fallback associated; (channel, flow).
    pub fn channel_with_flow(&self, name: &str, fallback: &str) -> (String, String) {
        let channel = self.channel(name);
        let flow = self.flow(name, fallback);
        let run = self.cli_as(
            &self.admin,
            &["flows", "associate", "--channel", &channel, "--flow", &flow],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        (channel, flow)
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

/// Asserts a run succeeded and returns the JSON it printed.
pub fn ok(run: Run) -> Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// `chimeflow ARGS` with a clean AWS environment (no profile, no
/// credentials: the loopback placeholder ones are used) plus `env`.
pub fn chimeflow_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = clean(Command::new(env!("CARGO_BIN_EXE_chimeflow")))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("chimeflow runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A command with the AWS variables of the developer's shell removed.
pub fn clean(mut command: Command) -> Command {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("AWS_") || name.starts_with("CHIMEFLOW_") {
            command.env_remove(name.as_ref());
        }
    }
    command
        .env("AWS_CONFIG_FILE", "/nonexistent/chimeflow-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/chimeflow-test/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command
}

/// The real processor, as `chimeflow local` runs it, against `emu`.
pub fn spawn_processor(emu: &Emu) -> Child {
    processor_command(emu.emulator())
        .spawn()
        .expect("the processor starts")
}

/// `chimeflow local ARGS`, running: its first stdout line, parsed.
pub struct Local {
    pub child: Killed,
    pub ready: Value,
    stdout: BufReader<ChildStdout>,
    stderr: std::sync::mpsc::Receiver<String>,
    /// The stderr lines read so far.
    pub log: Vec<String>,
}

impl Local {
    /// Starts `chimeflow local --port 0 ARGS` and waits for its ready line.
    pub fn start(args: &[&str]) -> Self {
        Self::start_with_env(args, &[])
    }

    /// [`Local::start`] with `env` added to its (clean) environment.
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = clean(Command::new(env!("CARGO_BIN_EXE_chimeflow")))
            .args(["local", "--port", "0"])
            .args(args)
            .envs(env.iter().copied())
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chimeflow local starts");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let stderr = lines_of(child.stderr.take().unwrap());
        let child = Killed(child);
        // The ready line, read on a thread so that a chimeflow that never
        // prints it fails the test in bounded time instead of hanging it.
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = stdout;
            let mut line = String::new();
            let read = stdout.read_line(&mut line);
            let _ = send.send((read.map(|_| line), stdout));
        });
        let (line, stdout) = match receive.recv_timeout(Duration::from_secs(60)) {
            Ok((Ok(line), stdout)) => (line, stdout),
            Ok((Err(e), _)) => panic!("reading the ready line: {e}"),
            Err(_) => {
                let log: Vec<String> = stderr.try_iter().collect();
                panic!("no ready line within 60 s; stderr: {}", log.join("\n"))
            }
        };
        let mut local = Self {
            child,
            ready: Value::Null,
            stdout,
            stderr,
            log: Vec::new(),
        };
        local.ready = serde_json::from_str(&line).unwrap_or_else(|e| {
            local.drain(Duration::from_secs(2));
            panic!(
                "no ready line ({e}): {line:?}; stderr: {}",
                local.log.join("\n")
            )
        });
        local
    }

    /// A field of the ready line.
    pub fn get(&self, key: &str) -> String {
        self.ready[key]
            .as_str()
            .unwrap_or_else(|| panic!("no {key} in {}", self.ready))
            .to_owned()
    }

    /// `chimeflow ARGS` against this emulator, as `bearer`.
    pub fn cli_as(&self, bearer: &str, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let endpoint = self.get("Endpoint");
        let region = self.get("Region");
        all.extend(["--endpoint-url", &endpoint, "--region", &region]);
        chimeflow_env(&all, &[("CHIMEFLOW_BEARER", bearer)])
    }

    /// `chimeflow ARGS` against this emulator, as the user.
    pub fn cli_as_user(&self, args: &[&str]) -> Run {
        self.cli_as(&self.get("UserArn"), args)
    }

    /// Reads stderr until `done` holds for the lines read so far, at most
    /// `limit`.
    pub fn wait_log(&mut self, limit: Duration, done: impl Fn(&[String]) -> bool) {
        let deadline = Instant::now() + limit;
        while !done(&self.log) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => self.log.push(line),
                Err(_) => panic!(
                    "not logged within {limit:?}; stderr so far:\n{}",
                    self.log.join("\n")
                ),
            }
        }
    }

    /// Sends SIGTERM and waits (bounded) for the exit; the exit code and
    /// the rest of stdout. Everything on stderr is in `log` after.
    pub fn terminate(&mut self) -> (i32, String) {
        let pid = self.child.0.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let code = wait_bounded(&mut self.child.0, Duration::from_secs(20));
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        self.drain(Duration::from_secs(5));
        (code, rest)
    }

    /// Waits (bounded) for `chimeflow local` to exit on its own; its exit
    /// code. Everything on stderr is in `log` after.
    pub fn wait(&mut self) -> i32 {
        let code = wait_bounded(&mut self.child.0, Duration::from_secs(30));
        self.drain(Duration::from_secs(5));
        code
    }

    /// Reads stderr to its end (the process has exited), at most `limit`.
    fn drain(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while let Ok(line) = self
            .stderr
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.log.push(line);
        }
    }
}

/// `chimeflow local ARGS` that is expected to stop by itself: exit code and
/// stderr.
pub fn local_exits(args: &[&str]) -> (i32, String) {
    let mut child = Killed(
        clean(Command::new(env!("CARGO_BIN_EXE_chimeflow")))
            .args(["local", "--port", "0"])
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chimeflow local starts"),
    );
    let stderr = lines_of(child.0.stderr.take().unwrap());
    let code = wait_bounded(&mut child.0, Duration::from_secs(30));
    let text: Vec<String> = stderr.iter().collect();
    (code, text.join("\n"))
}

/// The lines of `reader`, read on a thread (so that a full pipe never
/// blocks the child).
pub fn lines_of(reader: impl Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// Waits for `child` to exit, at most `limit`; its exit code.
pub fn wait_bounded(child: &mut Child, limit: Duration) -> i32 {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        assert!(
            Instant::now() < deadline,
            "the child did not exit within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Polls `check` until it gives a value, at most `limit`.
pub fn eventually<T>(limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "not within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Acts as a Lambda function for one invocation and fails it (POST
/// /invocation/{id}/error), as a processor that errors would.
pub fn fail_one_invocation(runtime_api: &str) {
    let mut stream = std::net::TcpStream::connect(runtime_api).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: {runtime_api}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let request_id = response
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("lambda-runtime-aws-request-id")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no request id in {response}"));
    let body = r#"{"errorType":"Test.FunctionError","errorMessage":"failing on purpose"}"#;
    let mut stream = std::net::TcpStream::connect(runtime_api).unwrap();
    write!(
        stream,
        "POST /2018-06-01/runtime/invocation/{request_id}/error HTTP/1.1\r\nHost: {runtime_api}\r\n\
         Content-Type: application/json\r\nLambda-Runtime-Function-Error-Type: Test.FunctionError\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
}
