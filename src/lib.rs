//! # Pathlight
//!
//! An embeddable customer-journey SDK. A pure Rust engine records the
//! visitor's journey, decides when a trigger fires and which help answers to
//! show, and builds the handoff payload a human agent receives. On
//! `wasm32` a thin web layer ([`web`]) turns DOM events into engine events and
//! executes the engine's actions (render the widget, persist, hand off).
//!
//! The engine never reads a clock: every call takes `now` in milliseconds
//! since the Unix epoch, and [`Engine::next_wake`] says when it next needs a
//! [`Engine::tick`]. That makes all time-based behaviour testable natively.
//!
//! ```
//! use pathlight::{Action, Config, Engine, Event, Knowledge};
//!
//! let config = Config::from_json(r#"{
//!   "version": 1,
//!   "triggers": [{ "id": "checkout-help", "when": { "page": "/checkout", "dwellSeconds": 5 },
//!                  "message": "Trouble paying?", "answers": ["card-declined"] }]
//! }"#).unwrap();
//! let answers = Knowledge::from_json(r#"{ "version": 1, "answers": [
//!   { "id": "card-declined", "title": "Why was my card declined?", "body": "Check the billing address." }
//! ]}"#).unwrap();
//!
//! let mut engine = Engine::new(config, answers, "visitor-1".into());
//! let t0 = 1_700_000_000_000;
//! engine.handle(Event::page_view("https://shop.example/checkout", "Checkout"), t0);
//! assert_eq!(engine.next_wake(), Some(t0 + 5_000));
//! assert!(engine.tick(t0 + 4_999).is_empty());
//! let actions = engine.tick(t0 + 5_000);
//! assert!(matches!(&actions[0], Action::ShowNudge(n) if n.answers[0].id == "card-declined"));
//! ```

pub mod analytics;
pub mod config;
pub mod engine;
pub mod error;
pub mod handoff;
pub mod i18n;
pub mod journey;
pub mod knowledge;
pub mod links;
pub mod markdown;
pub mod rules;
pub mod simulate;
pub mod theme;
pub mod time;
pub mod transport;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use config::Config;
pub use engine::{Action, Engine, Explanation, Nudge, Snapshot};
pub use error::Error;
pub use handoff::HandoffPayload;
pub use journey::Event;
pub use knowledge::Knowledge;
pub use validate::{Problem, Problems};
