//! HTTP(S): a GET answered with the expected status.

use std::time::Duration;

use reqwest::{Client, Url};

use crate::check::{Check, CheckFuture};
use crate::conn::ConnectionSlot;
use crate::error::{CheckError, ConfigError};
use crate::status::Outcome;

/// Sends `GET url` (redirects followed) and expects `expect_status`.
pub struct HttpCheck {
    url: Url,
    host: String,
    expect_status: u16,
    slot: ConnectionSlot<Client>,
}

impl HttpCheck {
    /// A check of `url` expecting `expect_status` (usually 200).
    pub fn new(url: &str, expect_status: u16) -> Result<Self, ConfigError> {
        let problem = |p: String| ConfigError::new("http", p);
        let url = Url::parse(url.trim()).map_err(|e| problem(format!("invalid HTTP URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(problem(format!(
                "unsupported URL scheme \"{}\" (expected http:// or https://)",
                url.scheme()
            )));
        }
        let host = url.host_str().unwrap_or_default().to_string();
        crate::endpoint::validate("http", &host, url.port())?;
        if !(100..=599).contains(&expect_status) {
            return Err(problem(format!("invalid expected status {expect_status}")));
        }
        Ok(Self {
            url,
            host,
            expect_status,
            slot: ConnectionSlot::new(),
        })
    }

    fn client(&self) -> Result<Client, CheckError> {
        Client::builder()
            .user_agent(concat!("healthcheckx/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(1)
            .build()
            .map_err(|_| CheckError::Tls("cannot set up the HTTP client".into()))
    }

    fn describe(&self, err: &reqwest::Error) -> CheckError {
        if let Some(found) = CheckError::find_io(err, &self.host) {
            return found;
        }
        let text = format!("{:?}", err);
        if text.contains("certificate") || text.contains("Tls") || text.contains("tls") {
            return CheckError::Tls("certificate or handshake failure".into());
        }
        if err.is_connect() {
            return CheckError::Io("connection failed".into());
        }
        CheckError::Service("request failed".into())
    }
}

/// How much of a body is read, at most, and for how long: only the status matters. Reading a
/// small body to its end lets the connection be reused by the next run; a larger or slower one
/// (an endless stream, a wrong URL serving a file) is dropped unread, which closes its connection.
const BODY_CAP: usize = 64 * 1024;
const BODY_WAIT: Duration = Duration::from_millis(100);

async fn drain_small_body(mut response: reqwest::Response) {
    if response
        .content_length()
        .is_some_and(|n| n > BODY_CAP as u64)
    {
        return;
    }
    let _ = tokio::time::timeout(BODY_WAIT, async move {
        let mut read = 0;
        while let Ok(Some(chunk)) = response.chunk().await {
            read += chunk.len();
            if read > BODY_CAP {
                break;
            }
        }
    })
    .await;
}

impl Check for HttpCheck {
    fn kind(&self) -> &'static str {
        "http"
    }

    fn close(&self) {
        self.slot.clear();
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        Box::pin(async move {
            let client = match self.slot.take() {
                Some(client) => client,
                None => self.client()?,
            };
            // The client is a connection pool that discards broken connections itself, and is
            // costly to build (it loads the certificate store): it is kept even after a failure.
            let sent = client.get(self.url.clone()).send().await;
            let response = match sent {
                Ok(response) => response,
                Err(e) => {
                    self.slot.put(client);
                    return Err(self.describe(&e));
                }
            };
            let status = response.status().as_u16();
            drain_small_body(response).await;
            self.slot.put(client);
            if status != self.expect_status {
                return Err(CheckError::UnexpectedStatus {
                    expected: self.expect_status,
                    got: status,
                });
            }
            Ok(Outcome::Healthy)
        })
    }

    fn secrets(&self) -> Vec<String> {
        self.url
            .password()
            .map(str::to_string)
            .into_iter()
            .collect()
    }
}
