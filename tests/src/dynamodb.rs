//! A real DynamoDB-compatible server for tests: moto's (from PyPI's
//! `moto[server]`, which scripts/test installs in .venv), run by
//! tests/tools/dynamodb_server.py so that it applies one request at a time,
//! as DynamoDB applies the writes to one item (moto's own `moto_server`
//! can lose one of two concurrent UpdateItems of one item).

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
        let python = Self::python();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/dynamodb_server.py");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&python)
            .arg(&script)
            .args(["127.0.0.1", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        let server = Self {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        server.wait_until_ready();
        server
    }

    /// `$CHIMEFLOW_PYTHON`, else the repository's `.venv/bin/python`,
    /// which must have moto's server.
    pub fn python() -> PathBuf {
        let python = std::env::var_os("CHIMEFLOW_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python")
            });
        let has_moto = Command::new(&python)
            .args(["-c", "import moto.moto_server.werkzeug_app, werkzeug"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        assert!(
            has_moto,
            "no Python with moto[server] at {} (run scripts/test, which installs it in .venv, or set CHIMEFLOW_PYTHON)",
            python.display()
        );
        python
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
