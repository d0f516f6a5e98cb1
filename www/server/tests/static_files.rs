//! Static files: clean URLs, the /account/ app, traversal, content types.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Server, OUTSIDE};

#[tokio::test]
async fn clean_urls_and_directory_indexes() {
    let server = Server::new("static-clean");
    for (path, body) in [
        ("/", "<h1>home</h1>"),
        ("/index.html", "<h1>home</h1>"),
        ("/checkout", "<h1>checkout</h1>"),
        ("/checkout.html", "<h1>checkout</h1>"),
        ("/products", "<h1>products</h1>"),
        ("/products/", "<h1>products</h1>"),
        ("/products/arc", "<h1>arc</h1>"),
        ("/products/arc?ref=nav", "<h1>arc</h1>"),
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.text(), body, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    let missing = server.get("/nothing").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error(), "not found");
    assert_eq!(
        server.get("/products/arc.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn account_paths_fall_back_to_the_single_page_app() {
    let server = Server::new("static-spa");
    for path in [
        "/account",
        "/account/",
        "/account/orders",
        "/account/orders/42/",
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.text(), "<h1>account app</h1>", "{path}");
    }
    let script = server.get("/account/app.js").await;
    assert_eq!(script.text(), "console.log('account')");
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    // A missing file with an extension is a 404, not the app.
    assert_eq!(
        server.get("/account/missing.js").await.status,
        StatusCode::NOT_FOUND
    );
    // Only under /account/.
    assert_eq!(
        server.get("/accounts/orders").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn nothing_outside_the_roots_nor_hidden_is_served() {
    let server = Server::new("static-traversal");
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/Cargo.toml",
        "/products/../../Cargo.toml",
        "/products/%2e%2e/%2e%2e/Cargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/..%5cCargo.toml",
        "/pkg/../Cargo.toml",
        "/pkg/%2e%2e/Cargo.toml",
        "/.secret",
        "/%2esecret",
        "/data/pathlight.db",
        "/data/pathlight.db-wal",
        "/%ff",
        "/bad%zzescape",
    ] {
        let reply = server.get(path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !reply.text().contains("outside-the-root"),
            "{path} leaked {OUTSIDE:?}"
        );
        assert!(
            !reply.text().contains("SQLite"),
            "{path} leaked the database"
        );
    }
}

#[tokio::test]
async fn the_package_is_served_with_its_content_types() {
    let server = Server::new("static-pkg");
    let wasm = server.get("/pkg/core/pathlight_bg.wasm").await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(&wasm.body[..], b"\0asm\x01\0\0\0");
    let script = server.get("/pkg/auto.js").await;
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );

    let head = server
        .send(
            Request::head("/pkg/core/pathlight_bg.wasm")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header("content-length"), Some("8"));
    assert!(head.body.is_empty());

    let etag = wasm.header("etag").expect("an etag").to_owned();
    let cached = server
        .send(
            Request::get("/pkg/core/pathlight_bg.wasm")
                .header("if-none-match", &etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert!(cached.body.is_empty());

    let post = server.post("/checkout", "text/plain", &[], "x").await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.error(), "static files answer only GET and HEAD");
}
