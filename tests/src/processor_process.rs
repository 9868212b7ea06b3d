//! A processor binary run as Lambda runs it, against local servers.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::{ChimeStub, RuntimeApi};

/// A processor binary, running, with its output collected.
pub struct ProcessorProcess {
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
}

impl ProcessorProcess {
    /// Starts `binary` with the environment of a Lambda function (region,
    /// placeholder credentials, no instance metadata), its Runtime API at
    /// `api` and Chime at `chime`, plus `env`; nothing else of this
    /// process's environment.
    pub fn spawn(binary: &Path, api: &RuntimeApi, chime: &ChimeStub, env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(binary);
        command
            .env_clear()
            .env("AWS_LAMBDA_RUNTIME_API", api.address())
            .env("AWS_LAMBDA_FUNCTION_NAME", "chimeflow-processor")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
            .env(
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL_CHIME_SDK_MESSAGING", chime.endpoint())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the processor starts");
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
        Self { child, output }
    }

    /// Waits for it to exit (after an init error, say).
    pub fn wait(&mut self) -> std::process::ExitStatus {
        self.child.wait().expect("the processor can be waited for")
    }

    /// Waits until its output holds `needle` (a log line written just
    /// before the invocation's response may still be on its way through
    /// the pipe), at most `limit`; returns the output either way.
    pub fn output_with(&self, needle: &str, limit: std::time::Duration) -> String {
        let started = std::time::Instant::now();
        loop {
            let output = self.output();
            if output.contains(needle) || started.elapsed() > limit {
                return output;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Everything it wrote so far, standard output and error.
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// The JSON lines it wrote.
    pub fn lines(&self) -> Vec<Value> {
        self.output()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

impl Drop for ProcessorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
