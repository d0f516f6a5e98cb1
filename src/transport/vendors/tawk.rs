//! tawk.to widget.
//!
//! Source: "JavaScript API" (developer.tawk.to/jsapi:
//! `Tawk_API.setAttributes(attributes, callback)` — keys alphanumeric and
//! `-` (stored lower-case), at most 50 custom attributes, values non-empty
//! and at most 255 characters, `name`/`email` only with a secure-mode
//! `hash`, so the contact goes into custom attributes;
//! `Tawk_API.addEvent(name, metadata, callback)` — name alphanumeric and
//! `-`; `Tawk_API.maximize()`; `Tawk_API.onLoaded` — true once the widget is
//! ready). Errors come back through the callback (e.g.
//! `ATTRIBUTE_LIMIT_EXCEEDED`). No documented prefill of the message.

use super::context::{fit, only, Context, Limits};
use super::{Call, KeyStyle, Loaded, Ready};
use serde_json::Value;

/// Documented, except the key length: 64 is our conservative cap.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 50,
    max_key: 64,
    max_value: 255,
    keys: KeyStyle::Kebab,
    strings_only: true,
};

const EVENT: &str = "pathlight-handoff";

// Plan: setAttributes (context, contact, visitor), addEvent (handoff id and
// trigger), maximize.
pub(super) fn plan(ctx: &Context) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "Tawk_API.setAttributes",
        loaded: Some(Loaded::Flag("Tawk_API.onLoaded")),
    };
    let attributes = fit(&ctx.fields(true), &LIMITS);
    let event = fit(
        &only(
            ctx.fields(false),
            &["pathlight_handoff_id", "pathlight_trigger"],
        ),
        &LIMITS,
    );
    let mut calls = Vec::new();
    if !attributes.is_empty() {
        calls.push(
            Call::new(
                "Tawk_API.setAttributes",
                &[],
                vec![Value::Object(attributes)],
            )
            .with_callback(),
        );
    }
    // The metadata is optional; an empty object is not sent.
    let data = if event.is_empty() {
        vec![]
    } else {
        vec![Value::Object(event)]
    };
    calls.push(Call::new("Tawk_API.addEvent", &[EVENT], data).with_callback());
    calls.push(Call::new("Tawk_API.maximize", &[], vec![]));
    (ready, calls)
}
