//! How a handoff payload travels, decided without a browser: the webhook
//! outbox (retries, backoff, `Retry-After`, beacons) and the chat-vendor
//! plans (which documented calls attach the context and open the chat).
//! `web/webhook.rs` and `web/vendor.rs` carry these plans out.

pub mod outbox;
pub mod vendors;
