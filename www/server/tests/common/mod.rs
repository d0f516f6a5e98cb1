//! A server on a temporary site and database, driven in-process.
#![allow(dead_code)] // Each test file uses its own part of this.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use pathlight_server::{app, AppState, Config};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tower::ServiceExt;

/// The site's secret neighbour, which must never be served.
pub const OUTSIDE: &str = "[package]\nname = \"outside-the-root\"\n";

/// A temporary directory with `site/` (the root), `pkg/`, a `Cargo.toml`
/// outside both, and the database at `site/data/pathlight.db`.
pub struct Server {
    pub dir: PathBuf,
    pub app: Router,
}

impl Server {
    pub fn new(name: &str) -> Server {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pathlight-server-test-{}-{name}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let files: &[(&str, &[u8])] = &[
            ("Cargo.toml", OUTSIDE.as_bytes()),
            ("site/index.html", b"<h1>home</h1>"),
            ("site/checkout.html", b"<h1>checkout</h1>"),
            ("site/products/index.html", b"<h1>products</h1>"),
            ("site/products/arc.html", b"<h1>arc</h1>"),
            ("site/account/index.html", b"<h1>account app</h1>"),
            ("site/account/app.js", b"console.log('account')"),
            ("site/.secret", b"dotfile"),
            ("pkg/core/pathlight_bg.wasm", b"\0asm\x01\0\0\0"),
            ("pkg/auto.js", b"export {}"),
        ];
        for (path, bytes) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("write");
        }
        let app = open(&dir);
        Server { dir, app }
    }

    /// A new state on the same files and database (a restart).
    pub fn reopen(&mut self) {
        self.app = open(&self.dir);
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post(
        &self,
        uri: &str,
        content_type: &str,
        headers: &[(&str, &str)],
        body: impl Into<Body>,
    ) -> Reply {
        let mut request = Request::post(uri).header("content-type", content_type);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(body.into()).expect("request")).await
    }

    pub async fn post_json(&self, uri: &str, body: &Value) -> Reply {
        self.post(uri, "application/json", &[], body.to_string())
            .await
    }

    /// POSTs a handoff with its id as the `Idempotency-Key`.
    pub async fn handoff(&self, id: &str) -> Reply {
        self.post(
            "/api/handoffs",
            "application/json",
            &[("idempotency-key", id)],
            payload(id).to_string(),
        )
        .await
    }

    /// Opens an event stream: the response's status and body.
    pub async fn stream(&self, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, Events) {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("infallible");
        (response.status(), Events::new(response.into_body()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn open(dir: &std::path::Path) -> Router {
    let state = AppState::open(&Config {
        db: dir.join("site/data/pathlight.db"),
        root: dir.join("site"),
        pkg: dir.join("pkg"),
    })
    .expect("the server opens");
    app(state)
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `error` message of a JSON error.
    pub fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .expect("an error message")
            .to_owned()
    }
}

/// A valid handoff payload v1.
pub fn payload(id: &str) -> Value {
    json!({
        "version": 1,
        "id": id,
        "createdAt": "2026-11-23T10:15:00.000Z",
        "visitor": { "id": "v1", "attributes": {}, "locale": "en", "device": "desktop" },
        "trigger": { "id": "payment-errors", "message": "Trouble paying?" },
        "journey": [{ "kind": "pageView", "at": "2026-11-23T10:14:00.000Z", "path": "/checkout" }],
        "foldedSteps": 0,
        "folded": {},
        "answers": [],
        "searches": [],
        "formErrors": [],
        "message": "My card is declined",
        "contact": { "channel": "chat", "name": "Ada", "email": "ada@example.com" },
        "consent": "granted",
        "summary": "Card declined twice at checkout.",
        "summaryLocale": "en"
    })
}

/// One server-sent event.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Sse {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

impl Sse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).expect("JSON data")
    }
}

/// An event stream being read: events come out in order, none lost
/// between calls.
pub struct Events {
    body: Body,
    buffer: String,
}

impl Events {
    pub fn new(body: Body) -> Events {
        Events {
            body,
            buffer: String::new(),
        }
    }

    /// The next `count` events (comments skipped); panics after 5 seconds.
    pub async fn next(&mut self, count: usize) -> Vec<Sse> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        let mut events = Vec::new();
        loop {
            while events.len() < count {
                let Some(end) = self.buffer.find("\n\n") else {
                    break;
                };
                let block: String = self.buffer.drain(..end + 2).collect();
                events.extend(parse_event(&block));
            }
            if events.len() == count {
                return events;
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "timed out waiting for {count} events; got {events:?}, then {:?}",
                        self.buffer
                    )
                })
                .expect("the stream is still open")
                .expect("a frame");
            if let Ok(data) = frame.into_data() {
                self.buffer.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }

    /// The next event.
    pub async fn one(&mut self) -> Sse {
        self.next(1).await.remove(0)
    }

    /// Whether the stream sends nothing more within `wait`.
    pub async fn quiet(&mut self, wait: Duration) -> bool {
        self.buffer.is_empty() && tokio::time::timeout(wait, self.body.frame()).await.is_err()
    }
}

/// One `\n\n`-terminated block: an event, or `None` for a comment.
fn parse_event(block: &str) -> Option<Sse> {
    let mut event = Sse::default();
    let mut any = false;
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("event:") {
            event.event = v.trim().to_owned();
            any = true;
        } else if let Some(v) = line.strip_prefix("id:") {
            event.id = Some(v.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("data:") {
            event.data.push_str(v.trim_start());
            any = true;
        }
    }
    any.then_some(event)
}

/// An ISO-8601 UTC date-time for epoch milliseconds.
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}
