//! The Pathlight demo's reference server: the demo store and the package as
//! static files, the SDK's handoff webhook, the built-in chat (visitor and
//! agent sides, with server-sent events), and analytics with a summary,
//! kept in SQLite. The contract is `docs/server.md`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use pathlight_server::{app, AppState, Config};
//! let state = AppState::open(&Config {
//!     db: "www/data/pathlight.db".into(),
//!     root: "www".into(),
//!     pkg: "pkg".into(),
//! })?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app(state)).await?;
//! # Ok(())
//! # }
//! ```

mod analytics;
mod body;
mod chat;
mod conversations;
mod cors;
mod csp;
mod db;
mod error;
mod handoffs;
mod inbox;
mod shape;
mod sse;
mod state;
mod static_files;
mod summary;
pub mod time;

pub use error::ApiError;
pub use state::{AppState, Config, OpenError};

use axum::routing::{get, post};
use axum::Router;

/// The whole server as a router (static files, API, CORS).
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/api/handoffs", post(handoffs::create))
        .route("/api/chat/{id}/events", get(chat::events))
        .route("/api/chat/{id}/messages", post(chat::post_message))
        .route("/api/conversations", get(inbox::list))
        .route("/api/conversations/{id}", get(inbox::detail))
        .route(
            "/api/conversations/{id}/messages",
            post(inbox::post_message),
        )
        .route("/api/conversations/{id}/close", post(inbox::close))
        .route("/api/inbox/events", get(inbox::events))
        .route("/api/analytics", post(analytics::ingest))
        .route("/api/analytics/summary", get(analytics::summary))
        .fallback(static_files::serve)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn(cors::headers))
        .with_state(state)
}
