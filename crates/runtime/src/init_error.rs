//! Reporting a failed start through the Runtime API's init error endpoint.
//!
//! `POST /2018-06-01/runtime/init/error` with the error type in the
//! `Lambda-Runtime-Function-Error-Type` header, so that the Lambda console
//! and logs say why the function cannot start (a bad configuration).

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Posts the init error; best effort (the process exits non-zero anyway).
pub(crate) async fn report(error_type: &str, message: &str) {
    let Ok(api) = std::env::var("AWS_LAMBDA_RUNTIME_API") else {
        return;
    };
    let (host, base) = match api.split_once('/') {
        Some((host, base)) => (host.to_owned(), format!("/{}", base.trim_end_matches('/'))),
        None => (api.clone(), String::new()),
    };
    let body = serde_json::json!({"errorMessage": message, "errorType": error_type}).to_string();
    let request = format!(
        "POST {base}/2018-06-01/runtime/init/error HTTP/1.1\r\nHost: {host}\r\n\
         Lambda-Runtime-Function-Error-Type: {error_type}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let Ok(mut stream) = tokio::net::TcpStream::connect(&host).await else {
        return;
    };
    if stream.write_all(request.as_bytes()).await.is_ok() {
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
    }
}
