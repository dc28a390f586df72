//! `healthcheckx probe URL`: one GET under a deadline; exit 0 iff the answer is 2xx. Redirects
//! are not followed (as `curl -f`): a 301 to a login page is not a healthy answer.

use healthcheckx::{format_seconds, CheckError};

use crate::error::{self, CliError};
use crate::{runtime, ProbeArgs, Streams};

pub fn run(args: &ProbeArgs, streams: &mut Streams<'_>) -> Result<i32, CliError> {
    let url = reqwest::Url::parse(args.url.trim())
        .map_err(|e| CliError::config(format!("URL argument: invalid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(CliError::config(format!(
            "URL argument: unsupported URL scheme \"{}\" (expected http:// or https://)",
            url.scheme()
        )));
    }
    let host = url.host_str().unwrap_or_default().to_string();
    let client = reqwest::Client::builder()
        .user_agent(concat!("healthcheckx-probe/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(args.insecure)
        .timeout(args.timeout)
        .build()
        .map_err(|_| CliError::new(error::UNHEALTHY, "cannot set up the HTTP client"))?;
    let runtime = runtime()?;
    let answer = runtime.block_on(async {
        tokio::time::timeout(args.timeout, async {
            let response = client.get(url).send().await?;
            let status = response.status();
            // The body is read (briefly) so the server sees a complete exchange.
            let _ =
                tokio::time::timeout(std::time::Duration::from_millis(100), response.bytes()).await;
            Ok::<_, reqwest::Error>(status)
        })
        .await
    });
    let failure = match answer {
        Ok(Ok(status)) if status.is_success() => return Ok(error::OK),
        Ok(Ok(status)) => format!("HTTP {}", status.as_u16()),
        Ok(Err(e)) if e.is_timeout() => CheckError::Timeout(args.timeout).to_string(),
        Ok(Err(e)) => describe(&e, &host),
        Err(_) => format!("timed out after {}", format_seconds(args.timeout)),
    };
    if !args.quiet {
        let _ = writeln!(streams.err, "healthcheckx: probe failed: {failure}");
    }
    Ok(error::UNHEALTHY)
}

fn describe(err: &reqwest::Error, host: &str) -> String {
    if let Some(found) = CheckError::find_io(err, host) {
        return found.to_string();
    }
    let text = format!("{err:?}");
    if text.contains("certificate") || text.contains("Tls") || text.contains("tls") {
        return "TLS error: certificate or handshake failure".into();
    }
    if err.is_connect() {
        return "connection failed".into();
    }
    "request failed".into()
}
