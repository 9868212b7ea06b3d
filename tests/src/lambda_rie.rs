//! AWS's Lambda Runtime Interface Emulator (`aws-lambda-rie`), the program
//! `sam local invoke` runs a function under, run here without a container:
//! it starts the bootstrap with the Lambda environment, serves the Runtime
//! API to it, and takes invocations on
//! `POST /2015-03-31/functions/function/invocations`. Both of its addresses
//! are on 127.0.0.1. scripts/fetch-rie puts the binary where
//! [`LambdaRie::binary`] looks.

use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long the emulator gets to accept connections after it starts.
const STARTUP: Duration = Duration::from_secs(10);

/// How long it gets to stop (and stop its bootstrap) after SIGTERM.
const SHUTDOWN: Duration = Duration::from_secs(5);

/// The emulator's answer to one invocation.
#[derive(Clone, Debug)]
pub struct RieAnswer {
    /// The HTTP status: 200 when the function answered, with a response or
    /// an error document, or when it timed out; 502 when it exited or
    /// failed its init.
    pub status: u16,
    /// The body: the function's response, its error document
    /// (`{"errorType", "errorMessage"}`), or "Task timed out after N.00 seconds".
    pub body: Vec<u8>,
}

impl RieAnswer {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "the emulator answered {} with a body that is not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// A running emulator with its bootstrap, and everything both printed.
pub struct LambdaRie {
    child: Child,
    address: SocketAddr,
    output: Arc<Mutex<Vec<u8>>>,
}

impl LambdaRie {
    /// Where the emulator is: `$CHIMEFLOW_RIE`, else
    /// `.cache/aws-lambda-rie/aws-lambda-rie-<arch>` in the repository, as
    /// scripts/fetch-rie writes it. Panics, saying how to get it, when it is
    /// not there: a test that needs it never passes without it.
    pub fn binary() -> PathBuf {
        let path = std::env::var_os("CHIMEFLOW_RIE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let arch = match std::env::consts::ARCH {
                    "aarch64" => "arm64",
                    other => other,
                };
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("../.cache/aws-lambda-rie")
                    .join(format!("aws-lambda-rie-{arch}"))
            });
        assert!(
            path.is_file(),
            "AWS's Lambda Runtime Interface Emulator is not at {}: run scripts/fetch-rie \
             (scripts/test does), or set CHIMEFLOW_RIE to an aws-lambda-rie binary",
            path.display()
        );
        path
    }

    /// Starts the emulator on free ports of 127.0.0.1 with `bootstrap` as
    /// the function and `env` as the whole environment (the emulator passes
    /// it on to the function, with `AWS_LAMBDA_RUNTIME_API` added), and
    /// returns once it accepts connections. The bootstrap itself starts at
    /// the first invocation, as in Lambda's on-demand init.
    pub async fn start(bootstrap: &Path, env: &[(&str, &str)]) -> Self {
        // Free ports are found by binding and releasing them: another
        // program may take one in between, so a start that fails is retried.
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Self::try_start(bootstrap, env).await {
                Ok(rie) => return rie,
                Err(output) => failures.push(output),
            }
        }
        panic!(
            "the Lambda Runtime Interface Emulator did not start; it printed:\n{}",
            failures.join("\n---\n")
        );
    }

    async fn try_start(bootstrap: &Path, env: &[(&str, &str)]) -> Result<Self, String> {
        let address = free_address();
        let runtime_api = free_address();
        let mut command = Command::new(Self::binary());
        command
            .env_clear()
            .envs(env.iter().copied())
            .arg("--runtime-interface-emulator-address")
            .arg(address.to_string())
            .arg("--runtime-api-address")
            .arg(runtime_api.to_string())
            .arg(bootstrap)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the emulator starts");
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut chunk = [0u8; 4096];
                while let Ok(n) = stream.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    output.lock().unwrap().extend_from_slice(&chunk[..n]);
                }
            });
        }
        let mut rie = Self {
            child,
            address,
            output,
        };
        let started = Instant::now();
        loop {
            if TcpStream::connect(address).await.is_ok() {
                return Ok(rie);
            }
            let exited = !matches!(rie.child.try_wait(), Ok(None));
            if exited || started.elapsed() > STARTUP {
                let reason = if exited { "exited" } else { "timed out" };
                return Err(format!("({reason}) {}", rie.output()));
            }
            // Polling the port: the emulator prints nothing once it listens.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// POSTs `event` to the invoke endpoint, as `curl -d @event.json` does,
    /// and waits up to `timeout` for the answer.
    pub async fn invoke(&self, event: &[u8], timeout: Duration) -> RieAnswer {
        tokio::time::timeout(timeout, self.post(event))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no answer from the emulator in {timeout:?}; it printed:\n{}",
                    self.output()
                )
            })
    }

    async fn post(&self, event: &[u8]) -> RieAnswer {
        let mut stream = TcpStream::connect(self.address)
            .await
            .expect("the emulator accepts connections");
        // HTTP/1.0: the answer is not chunked, and its body ends at EOF.
        let head = format!(
            "POST /2015-03-31/functions/function/invocations HTTP/1.0\r\nHost: {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            self.address,
            event.len()
        );
        stream.write_all(head.as_bytes()).await.expect("request");
        stream.write_all(event).await.expect("request body");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).await.expect("answer");
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&bytes) {
            Ok(httparse::Status::Complete(head_len)) => RieAnswer {
                status: response.code.expect("a status"),
                body: bytes[head_len..].to_vec(),
            },
            _ => panic!(
                "the emulator's answer is not HTTP: {}",
                String::from_utf8_lossy(&bytes)
            ),
        }
    }

    /// Everything the emulator and the function printed so far, in order of
    /// arrival: the emulator's own lines, START/END/REPORT, the function's logs.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }
}

impl Drop for LambdaRie {
    /// SIGTERM, as `docker stop` sends at the end of `sam local invoke`: the
    /// emulator stops its bootstrap, then exits. SIGKILL if it has not
    /// after `SHUTDOWN`.
    fn drop(&mut self) {
        // Only a child not yet reaped is signalled: its pid is still its own.
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let stopped = Instant::now();
        while stopped.elapsed() < SHUTDOWN {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An address on 127.0.0.1 with a port nothing listens on now.
fn free_address() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
}
