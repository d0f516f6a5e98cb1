//! Freshchat Web Messenger.
//!
//! Source: "Freshchat Web Messenger SDK" (developers.freshchat.com/web-sdk:
//! `window.fcWidget.user.setFirstName(name)`,
//! `window.fcWidget.user.setEmail(email)`,
//! `window.fcWidget.user.setProperties(props)`,
//! `window.fcWidget.track(event, props)`, `window.fcWidget.open({ replyText
//! })`, `window.fcWidget.isLoaded()`). Setters return Promises, which are
//! awaited. Property limits are not documented.

use super::context::{fit, only, Context, Limits};
use super::{truncate, Call, KeyStyle, Loaded, Ready};
use serde_json::{json, Value};

/// Not documented: 20 properties, 32-character keys and 255-character
/// values are our conservative caps.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 20,
    max_key: 32,
    max_value: 255,
    keys: KeyStyle::Snake,
    strings_only: false,
};

const EVENT: &str = "pathlight_handoff";

/// Not documented: conservative caps.
const MAX_NAME: usize = 100;
const MAX_MESSAGE: usize = 5_000;

// Plan: first name, email, setProperties, track, open({ replyText }).
pub(super) fn plan(ctx: &Context) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "fcWidget.open",
        loaded: Some(Loaded::Call {
            function: "fcWidget.isLoaded",
            args: &[],
        }),
    };
    let mut calls = Vec::new();
    if let Some(name) = &ctx.name {
        calls.push(Call::new(
            "fcWidget.user.setFirstName",
            &[],
            vec![truncate(name, MAX_NAME).into()],
        ));
    }
    if let Some(email) = &ctx.email {
        calls.push(Call::new(
            "fcWidget.user.setEmail",
            &[],
            vec![email.clone().into()],
        ));
    }
    let props = fit(&ctx.fields(false), &LIMITS);
    if !props.is_empty() {
        calls.push(Call::new(
            "fcWidget.user.setProperties",
            &[],
            vec![Value::Object(props)],
        ));
    }
    let event = fit(
        &only(
            ctx.fields(false),
            &["pathlight_handoff_id", "pathlight_trigger"],
        ),
        &LIMITS,
    );
    let data = if event.is_empty() {
        vec![]
    } else {
        vec![Value::Object(event)]
    };
    calls.push(Call::new("fcWidget.track", &[EVENT], data));
    let open = match ctx.message_within(MAX_MESSAGE) {
        Some(text) => vec![json!({ "replyText": text })],
        None => vec![],
    };
    calls.push(Call::new("fcWidget.open", &[], open));
    (ready, calls)
}
