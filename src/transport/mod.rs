//! How a handoff payload travels, decided without a browser: the webhook
//! outbox (retries, backoff, `Retry-After`, beacons) and the chat-vendor
//! plans (which documented calls attach the context and open the chat), and
//! the status the visitor sees.
//! `web/webhook.rs` and `web/vendor.rs` carry these plans out.

pub mod chat;
pub mod outbox;
pub mod status;
pub mod vendors;
