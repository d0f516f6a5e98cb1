//! The strict-CSP pages under /strict/: the exact policy, a fresh nonce in
//! every response (in the header and in the page), never cached, and the
//! `?wasm=off` switch.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::Server;

const PAGE: &str = "<!doctype html><link rel=stylesheet href=/site.css nonce=\"{{nonce}}\">\
<script src=/pkg/auto.js nonce=\"{{nonce}}\"></script><p>Help</p>";

fn strict_site(name: &str) -> Server {
    let server = Server::new(name);
    let dir = server.dir.join("site/strict");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("help.html"), PAGE).expect("write");
    std::fs::write(dir.join("notes.txt"), "{{nonce}} stays as written").expect("write");
    server
}

/// The nonce a policy allows, checked to be the one for styles too.
fn nonce_of(policy: &str) -> String {
    let script = policy
        .split("script-src 'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a script nonce");
    let style = policy
        .split("style-src 'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a style nonce");
    assert_eq!(script, style, "{policy}");
    script.to_owned()
}

#[tokio::test]
async fn a_strict_page_has_the_policy_and_its_nonce_in_every_tag() {
    let server = strict_site("csp-policy");
    let reply = server.get("/strict/help").await;
    assert_eq!(reply.status, StatusCode::OK);
    let policy = reply
        .header("content-security-policy")
        .expect("a CSP")
        .to_owned();
    let nonce = nonce_of(&policy);
    // 128 random bits as unpadded base64url.
    assert_eq!(nonce.len(), 22, "{nonce}");
    assert!(
        nonce
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{nonce}"
    );
    assert_eq!(
        policy,
        format!(
            "default-src 'none'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
             style-src 'nonce-{nonce}'; connect-src 'self'; require-trusted-types-for 'script'"
        )
    );
    assert_eq!(
        reply.text(),
        PAGE.replace("{{nonce}}", &nonce),
        "every placeholder carries the nonce"
    );
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("etag"), None);
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    // The clean URL and the file name are the same page.
    let again = server.get("/strict/help.html").await;
    assert!(again.header("content-security-policy").is_some());
}

#[tokio::test]
async fn every_response_gets_a_fresh_nonce_and_none_is_cached() {
    let server = strict_site("csp-fresh");
    let mut seen = std::collections::HashSet::new();
    for _ in 0..50 {
        let reply = server.get("/strict/help").await;
        let nonce = nonce_of(reply.header("content-security-policy").expect("a CSP"));
        assert!(reply.text().contains(&format!("nonce=\"{nonce}\"")));
        assert!(seen.insert(nonce), "a nonce came twice");
    }
    // A validator from an earlier response does not make a 304 with an old nonce.
    let conditional = server
        .send(
            Request::get("/strict/help")
                .header("if-none-match", "*")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(conditional.status, StatusCode::OK);
    assert!(!conditional.body.is_empty());
    let head = server
        .send(
            Request::head("/strict/help")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    let nonce = nonce_of(head.header("content-security-policy").expect("a CSP"));
    assert!(seen.insert(nonce));
}

#[tokio::test]
async fn wasm_off_drops_only_wasm_unsafe_eval() {
    let server = strict_site("csp-wasm-off");
    let reply = server.get("/strict/help?wasm=off").await;
    assert_eq!(reply.status, StatusCode::OK);
    let policy = reply.header("content-security-policy").expect("a CSP");
    let nonce = nonce_of(policy);
    assert_eq!(
        policy,
        format!(
            "default-src 'none'; script-src 'nonce-{nonce}' 'strict-dynamic'; \
             style-src 'nonce-{nonce}'; connect-src 'self'; require-trusted-types-for 'script'"
        )
    );
    assert_eq!(reply.text(), PAGE.replace("{{nonce}}", &nonce));
    // Other parameters are the page's business; `on` is the default.
    let on = server.get("/strict/help?q=lamp&wasm=on").await;
    assert!(on
        .header("content-security-policy")
        .expect("a CSP")
        .contains("'wasm-unsafe-eval'"));
    let bad = server.get("/strict/help?wasm=no").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.error(),
        "the query parameter wasm must be `off` (no 'wasm-unsafe-eval') or `on`"
    );
}

#[tokio::test]
async fn only_pages_under_strict_are_templates() {
    let server = strict_site("csp-only-strict");
    let notes = server.get("/strict/notes.txt").await;
    assert_eq!(notes.text(), "{{nonce}} stays as written");
    assert_eq!(notes.header("content-security-policy"), None);
    let plain = server.get("/checkout").await;
    assert_eq!(plain.header("content-security-policy"), None);
    for path in [
        "/strict/../Cargo.toml",
        "/strict/%2e%2e/Cargo.toml",
        "/strict/missing",
    ] {
        assert_eq!(
            server.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
