//! CORS for the routes pages on other origins call (the handoff webhook,
//! the visitor chat, analytics ingestion), and `nosniff` on everything.
//! The agent inbox and the analytics summary are same-origin pages' APIs,
//! so they get no CORS headers: another site cannot read conversations.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether `path` is called cross-origin by the SDK.
fn cross_origin(path: &str) -> bool {
    path == "/api/handoffs" || path == "/api/analytics" || path.starts_with("/api/chat/")
}

fn add_cors(headers: &mut HeaderMap) {
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "access-control-allow-origin", "*");
    set(
        headers,
        "access-control-allow-headers",
        "content-type, idempotency-key, last-event-id",
    );
    set(
        headers,
        "access-control-allow-methods",
        "GET, POST, OPTIONS",
    );
    set(headers, "access-control-expose-headers", "retry-after");
    set(headers, "access-control-max-age", "86400");
}

/// The middleware: answers CORS preflights (204) and adds the headers.
pub async fn headers(request: Request, next: Next) -> Response {
    let cors = cross_origin(request.uri().path());
    let mut response = if cors && request.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    if cors {
        add_cors(response.headers_mut());
    }
    response
        .headers_mut()
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    response
}
