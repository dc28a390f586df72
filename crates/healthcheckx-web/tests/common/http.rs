//! What the axum router and the actix-web scope must both answer, over HTTP, for the probes of
//! [`super::registry`] with `/ready` on the tag `ready`.

use reqwest::header::{HeaderMap, ACCEPT, CACHE_CONTROL, CONTENT_TYPE, VARY};
use reqwest::{Method, StatusCode};

use super::{client, json};

/// A request's status, headers and body.
pub async fn call(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut request = client().request(method, url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let answer = request.send().await.expect("an answer");
    let (status, headers) = (answer.status(), answer.headers().clone());
    (status, headers, answer.text().await.expect("a body"))
}

pub async fn get(url: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    call(Method::GET, url, headers).await
}

/// Bodies, statuses, tags per probe, liveness, HEAD, `Cache-Control` and `Vary`.
pub async fn probes_contract(base: &str) {
    let (status, headers, body) = get(&format!("{base}/health"), &[]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    assert_eq!(headers[VARY], "Accept");
    assert_eq!(headers[CONTENT_TYPE], "application/json");
    let body = json(&body);
    assert_eq!(body["status"], "unhealthy");
    let checks = body["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 2);
    assert_eq!(checks[0]["name"], "redis");
    assert_eq!(checks[0]["status"], "healthy");
    assert!(checks[0]["duration_ms"].is_number());
    assert_eq!(checks[1]["name"], "queue");
    assert_eq!(checks[1]["status"], "unhealthy");
    assert!(checks[1]["message"].as_str().is_some_and(|m| !m.is_empty()));

    // Tags per probe: /ready runs Redis alone, /startup both.
    let (status, headers, body) = get(&format!("{base}/ready"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    let body = json(&body);
    assert_eq!(body["status"], "healthy");
    assert_eq!(body["checks"].as_array().map(Vec::len), Some(1));
    let (status, _, _) = get(&format!("{base}/startup"), &[]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    // Liveness touches nothing.
    let (status, headers, body) = get(&format!("{base}/healthz"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CACHE_CONTROL], "no-store");
    assert_eq!(json(&body), json(r#"{"status": "ok"}"#));

    for (path, expected) in [
        ("/health", StatusCode::SERVICE_UNAVAILABLE),
        ("/ready", StatusCode::OK),
        ("/healthz", StatusCode::OK),
    ] {
        let (status, headers, body) = call(Method::HEAD, &format!("{base}{path}"), &[]).await;
        assert_eq!(status, expected, "{path}");
        assert_eq!(headers[CACHE_CONTROL], "no-store", "{path}");
        assert_eq!(body, "", "{path}");
    }
}

/// `Accept`, `?format=` over it, 406 for an unknown one, `/metrics`.
pub async fn formats_contract(base: &str) {
    let (status, headers, body) = get(&format!("{base}/health"), &[("accept", "text/plain")]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[CONTENT_TYPE], "text/plain; charset=utf-8");
    assert!(body.starts_with("[+]redis ok\n[-]queue failed: "), "{body}");
    assert!(body.ends_with("healthz check failed\n"), "{body}");

    // `?format=` wins over Accept; `+` in a query string is a space.
    let url = format!("{base}/ready?format=health+json");
    let (_, headers, body) = get(&url, &[("accept", "text/html")]).await;
    assert_eq!(headers[CONTENT_TYPE], "application/health+json");
    assert_eq!(json(&body)["status"], "pass");

    let (status, _, body) = get(&format!("{base}/health?format=xml"), &[]).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert!(body.contains("unknown format \"xml\""), "{body}");

    let (status, _, body) = get(&format!("{base}/metrics"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("healthcheckx_check_up{check=\"queue\",tags=\"startup\"} 0\n"),
        "{body}"
    );
    let openmetrics = [(
        ACCEPT.as_str(),
        "application/openmetrics-text; version=1.0.0",
    )];
    let (_, _, body) = get(&format!("{base}/metrics"), &openmetrics).await;
    assert!(body.ends_with("# EOF\n"), "{body}");
}

/// Under [`token_policy`]: names and statuses only without the token, everything with it.
pub async fn details_contract(base: &str) {
    let (_, _, body) = get(&format!("{base}/health"), &[]).await;
    let body = json(&body);
    assert_eq!(
        body["checks"][1],
        json(r#"{"name": "queue", "status": "unhealthy"}"#)
    );
    let (_, _, body) = get(&format!("{base}/health?format=text"), &[]).await;
    assert!(
        body.contains("[-]queue failed: reason withheld\n"),
        "{body}"
    );

    let token = [("x-health-token", "s3cret")];
    let (_, _, body) = get(&format!("{base}/health"), &token).await;
    assert!(json(&body)["checks"][1]["message"].is_string(), "{body}");
}

/// Details for a loopback caller sending the token.
pub fn token_policy() -> healthcheckx_web::ShowDetails {
    healthcheckx_web::ShowDetails::when(|caller| {
        caller.header("x-health-token") == Some("s3cret")
            && caller.peer().is_some_and(|peer| peer.ip().is_loopback())
    })
}
