//! A real DynamoDB-compatible server for tests: moto's server (`moto_server`,
//! from PyPI's `moto[server]`, which scripts/test installs in .venv).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `moto_server` on 127.0.0.1 on a free port, stopped when dropped. It
/// speaks DynamoDB's wire protocol (and every other service moto has); the
/// SDK reaches it through `AWS_ENDPOINT_URL_DYNAMODB`.
pub struct MotoServer {
    child: Child,
    address: SocketAddr,
}

impl MotoServer {
    /// Starts one, and returns once it accepts connections. Panics, saying
    /// how to get it, when `moto_server` cannot be found: the tests that
    /// need DynamoDB must not pass without it.
    pub fn start() -> Self {
        let program = Self::program();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let server = Self {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        server.wait_until_ready();
        server
    }

    /// `$CHIMEFLOW_MOTO_SERVER`, else the repository's `.venv/bin/moto_server`.
    pub fn program() -> PathBuf {
        let program = std::env::var_os("CHIMEFLOW_MOTO_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/moto_server")
            });
        assert!(
            program.exists(),
            "no moto_server at {} (run scripts/test, which installs moto[server] in .venv, or set CHIMEFLOW_MOTO_SERVER)",
            program.display()
        );
        program
    }

    /// Waits for the port to accept connections: the server's readiness,
    /// polled, with a generous bound for a cold Python start.
    fn wait_until_ready(&self) {
        let started = Instant::now();
        while TcpStream::connect_timeout(&self.address, Duration::from_millis(200)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "moto_server did not listen on {} within 60 s",
                self.address
            );
            std::thread::yield_now();
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
