//! The browser adapter, compiled only for `wasm32`: it turns DOM events into
//! engine events and carries out the engine's actions.
//!
//! - [`api`]: the exported JS API, thin.
//! - [`convert`]: every value crossing the JS/Rust boundary.
//! - [`runtime`]: the running instance (engine, widget, timer, listeners).
//! - [`capture`]: DOM events turned into engine events.
//! - [`env`]: device class, languages, time-zone offsets.
//! - [`widget`]: the Shadow DOM user interface.
//! - [`handoff_form`]: the handoff form and status inside the widget.
//! - [`storage`]: the persisted snapshot.
//! - [`timer`]: setTimeout a page cannot break (one dispatcher), one
//!   wake-up at a known moment (engine, outbox), bounded waits.
//! - [`listener`]: DOM listeners removed on drop.
//! - [`delivery`]: carries each handoff (handlers, webhook outbox, chat tool).
//! - [`webhook`]: handoff delivery over fetch and `sendBeacon`.
//! - [`chat`]: the built-in chat's event stream and messages.
//! - [`chat_view`]: the chat thread and message box inside the widget.
//! - [`analytics`]: analytics events to Segment and batched to a URL.
//! - [`vendor`]: handoff through the company's chat tool.
//! - [`render`]: answer bodies (safe markdown) as DOM built from text.

pub mod analytics;
pub mod api;
pub mod capture;
pub mod chat;
pub mod chat_view;
pub mod convert;
pub mod delivery;
pub mod env;
pub mod handoff_form;
pub mod listener;
pub mod render;
pub mod runtime;
pub mod storage;
pub mod timer;
pub mod vendor;
pub mod webhook;
pub mod widget;

pub use api::{simulate, validate_answers, validate_config, Pathlight};
