//! Help Scout Beacon.
//!
//! Sources: "Beacon JavaScript API" (developer.helpscout.com/beacon-2/web:
//! `Beacon('session-data', data)`, `Beacon('prefill', { name, email,
//! subject, text })`, `Beacon('open')`, `Beacon('navigate', route)`,
//! `Beacon('info')`) and the Beacon SDK constants ("The maximum number of
//! session attributes" 20, label up to 100 characters, value up to 10,000
//! characters). Session data are labels a person reads, so keys are labels.

use super::context::{fit, Context, Limits};
use super::{truncate, Call, KeyStyle, Loaded, Ready};
use serde_json::{Map, Value};

/// Session data: documented.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 20,
    max_key: 100,
    max_value: 10_000,
    keys: KeyStyle::Label,
    strings_only: true,
};

/// The Beacon user name is documented at 80 characters (Beacon SDK
/// `BeaconUser`); subject and text lengths are not: 100 and 5,000 are our
/// conservative caps.
const MAX_NAME: usize = 80;
const MAX_SUBJECT: usize = 100;
const MAX_TEXT: usize = 5_000;

/// The subject line: the message's first line, shortened, or a default.
fn subject(ctx: &Context) -> String {
    let first = ctx
        .message
        .as_deref()
        .and_then(|m| m.lines().map(str::trim).find(|l| !l.is_empty()));
    truncate(first.unwrap_or("Help request"), MAX_SUBJECT)
}

// Plan: session-data, prefill (name, email, subject, text), open, then
// navigate to the contact form.
pub(super) fn plan(ctx: &Context) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "Beacon",
        // The snippet's stub only queues; the loaded Beacon answers 'info'.
        loaded: Some(Loaded::Call {
            function: "Beacon",
            args: &["info"],
        }),
    };
    let mut prefill = Map::new();
    if let Some(name) = &ctx.name {
        prefill.insert("name".into(), truncate(name, MAX_NAME).into());
    }
    if let Some(email) = &ctx.email {
        prefill.insert("email".into(), email.clone().into());
    }
    prefill.insert("subject".into(), subject(ctx).into());
    if let Some(text) = ctx.message_within(MAX_TEXT) {
        prefill.insert("text".into(), text.into());
    }
    let data = fit(&ctx.fields(false), &LIMITS);
    let mut calls = Vec::new();
    if !data.is_empty() {
        calls.push(Call::new(
            "Beacon",
            &["session-data"],
            vec![Value::Object(data)],
        ));
    }
    calls.push(Call::new(
        "Beacon",
        &["prefill"],
        vec![Value::Object(prefill)],
    ));
    calls.push(Call::new("Beacon", &["open"], vec![]));
    calls.push(Call::new("Beacon", &["navigate", "/ask/message/"], vec![]));
    (ready, calls)
}
