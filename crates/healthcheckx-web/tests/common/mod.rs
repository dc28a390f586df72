//! What the integration tests share: the checks they run and a client.
#![allow(dead_code)]

pub mod http;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use healthcheckx::{checks, Check, CheckFuture, Health, HealthBuilder, Outcome, Registration};

/// The shared Redis of the test servers.
pub fn redis_url() -> String {
    std::env::var("HCX_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into())
}

/// A port on which nothing listens.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// `redis` (tags `ready`, `startup`) against the real Redis, and `queue` (tag `startup`) against
/// a closed port: `/health` and `/startup` unhealthy, `/ready` healthy.
pub fn registry(builder: HealthBuilder) -> Health {
    let redis = checks::RedisCheck::new(&redis_url()).expect("redis URL");
    let queue = checks::from_url(&format!("tcp://127.0.0.1:{}", closed_port())).expect("tcp URL");
    builder
        .register(
            Registration::new(redis)
                .name("redis")
                .tags(["ready", "startup"]),
        )
        .register(
            Registration::from_arc(queue)
                .name("queue")
                .tag("startup")
                .timeout(Duration::from_secs(1)),
        )
        .build()
        .expect("registry")
}

/// A check that counts its runs and always passes.
#[derive(Clone, Default)]
pub struct Counting(pub Arc<AtomicUsize>);

impl Counting {
    pub fn runs(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Check for Counting {
    fn kind(&self) -> &'static str {
        "counting"
    }

    fn check(&self, _timeout: Duration) -> CheckFuture<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Outcome::Healthy) })
    }
}

pub fn client() -> reqwest::Client {
    healthcheckx::tls::install_crypto_provider();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).expect("a JSON body")
}

/// A redis-server of the test's own on a free port, stopped and started at will (never the
/// shared one).
pub struct PrivateRedis {
    pub port: u16,
    dir: std::path::PathBuf,
    child: Option<std::process::Child>,
}

impl PrivateRedis {
    pub fn start() -> Self {
        let port = closed_port();
        let dir = std::env::temp_dir().join(format!("hcx-web-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory for redis-server");
        let mut redis = Self {
            port,
            dir,
            child: None,
        };
        redis.resume();
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Starts the server again (on the same port) and waits until it accepts.
    pub fn resume(&mut self) {
        let child = std::process::Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--dir"])
            .arg(&self.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("redis-server (installed by scripts/services.sh)");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server; returns once the port refuses.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
