//! `chimeflow local --store`: the state of stateful rules, for the
//! processor it runs: its own memory, or a DynamoDB-compatible server (one
//! given, or moto's started here).

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use chimeflow_facts::DynamoStore;
use serde_json::{Value, json};

use super::args::{LocalArgs, StoreChoice};
use crate::failure::Failure;

/// How long a started moto server gets to listen (a cold Python start).
const MOTO_START: Duration = Duration::from_secs(60);

/// The store the processor uses, and the server started for it, if any
/// (stopped when this is dropped).
pub struct LocalStore {
    env: Vec<(&'static str, String)>,
    ready: Value,
    _server: Option<tokio::process::Child>,
}

impl LocalStore {
    /// Sets the store up as `args` say: for dynamodb, starts moto's server
    /// unless an endpoint is given, and creates the table when missing.
    pub async fn start(args: &LocalArgs, region: &str) -> Result<Self, Failure> {
        let mut env = Vec::new();
        if std::env::var_os("CHIMEFLOW_HASH_KEY").is_none() {
            // The duplicate rule's key: any value serves one local run.
            env.push(("CHIMEFLOW_HASH_KEY", "chimeflow-local-hash-key".to_owned()));
        }
        match args.store {
            StoreChoice::Memory => {
                env.push(("CHIMEFLOW_STORE", "memory".to_owned()));
                Ok(Self {
                    env,
                    ready: json!({"Type": "memory"}),
                    _server: None,
                })
            }
            StoreChoice::Dynamodb => {
                let (endpoint, server) = match &args.dynamodb_endpoint {
                    Some(endpoint) => (endpoint.clone(), None),
                    None => {
                        let (endpoint, child) = start_moto().await?;
                        (endpoint, Some(child))
                    }
                };
                DynamoStore::local(&endpoint, region, &args.dynamodb_table)
                    .create_table()
                    .await
                    .map_err(|e| {
                        Failure::Runtime(format!(
                            "cannot create the table {} at {endpoint}: {e}",
                            args.dynamodb_table
                        ))
                    })?;
                env.push(("CHIMEFLOW_STORE", "dynamodb".to_owned()));
                env.push(("CHIMEFLOW_STORE_TABLE", args.dynamodb_table.clone()));
                env.push(("AWS_ENDPOINT_URL_DYNAMODB", endpoint.clone()));
                Ok(Self {
                    env,
                    ready: json!({"Type": "dynamodb", "Endpoint": endpoint, "Table": args.dynamodb_table}),
                    _server: server,
                })
            }
        }
    }

    /// Adds what the processor needs to reach Comprehend as `--comprehend`
    /// says: a stand-in's URL, or `aws` (your credentials and region,
    /// resolved here the usual AWS way and handed over as the processor's
    /// Comprehend-only variables).
    pub async fn with_comprehend(mut self, comprehend: Option<&str>) -> Result<Self, Failure> {
        match comprehend {
            None => {}
            Some("aws") => {
                use aws_config::BehaviorVersion;
                use aws_credential_types::provider::ProvideCredentials;
                let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
                let provider = config.credentials_provider().ok_or_else(|| {
                    Failure::Usage("--comprehend aws: no AWS credentials found".into())
                })?;
                let credentials = provider.provide_credentials().await.map_err(|e| {
                    Failure::Usage(format!("--comprehend aws: no AWS credentials: {e}"))
                })?;
                let region = config.region().map(ToString::to_string).ok_or_else(|| {
                    Failure::Usage(
                        "--comprehend aws: no region (set AWS_REGION or a profile's region)".into(),
                    )
                })?;
                self.env.push((
                    "CHIMEFLOW_COMPREHEND_ACCESS_KEY_ID",
                    credentials.access_key_id().to_owned(),
                ));
                self.env.push((
                    "CHIMEFLOW_COMPREHEND_SECRET_ACCESS_KEY",
                    credentials.secret_access_key().to_owned(),
                ));
                if let Some(token) = credentials.session_token() {
                    self.env
                        .push(("CHIMEFLOW_COMPREHEND_SESSION_TOKEN", token.to_owned()));
                }
                self.env.push(("CHIMEFLOW_COMPREHEND_REGION", region));
            }
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                self.env
                    .push(("AWS_ENDPOINT_URL_COMPREHEND", url.to_owned()));
            }
            Some(other) => {
                return Err(Failure::Usage(format!(
                    "--comprehend {other}: expected `aws` or an http(s) URL"
                )));
            }
        }
        Ok(self)
    }

    /// The processor's environment for this store.
    pub fn env(&self) -> &[(&'static str, String)] {
        &self.env
    }

    /// What the ready line says of it.
    pub fn ready(&self) -> &Value {
        &self.ready
    }
}

/// Starts moto's server on a free port of 127.0.0.1 and waits until it
/// accepts connections.
async fn start_moto() -> Result<(String, tokio::process::Child), Failure> {
    let program = std::env::var_os("CHIMEFLOW_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("moto_server"));
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| Failure::Runtime(format!("no free port for moto's server: {e}")))?
        .port();
    let mut child = tokio::process::Command::new(&program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            Failure::Usage(format!(
                "--store dynamodb: cannot start {} ({e}); install moto's server (pip install 'moto[server]'), set CHIMEFLOW_MOTO_SERVER, or pass --dynamodb-endpoint",
                program.display()
            ))
        })?;
    let address = format!("127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        if tokio::net::TcpStream::connect(&address).await.is_ok() {
            return Ok((format!("http://{address}"), child));
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(Failure::Runtime(format!(
                "moto's server exited at start ({status})"
            )));
        }
        if started.elapsed() > MOTO_START {
            return Err(Failure::Runtime(format!(
                "moto's server did not listen on {address} within {} s",
                MOTO_START.as_secs()
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
