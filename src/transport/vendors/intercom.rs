//! Intercom Messenger.
//!
//! Sources: "Javascript API: Methods" (developers.intercom.com:
//! `Intercom('update', data)`, `Intercom('trackEvent', name, metadata)`,
//! `Intercom('showNewMessage', text)`), "Send custom user attributes to
//! Intercom" (custom string attributes up to 255 characters; keys without
//! `.` or `$`; 250 custom data attributes per workspace, so only our five
//! fixed `pathlight_*` keys go into `update`) and "Set up event tracking in
//! Intercom" (up to 20 metadata items per event, strings up to 255
//! characters; 120 active event names, so one fixed event name).
//! `update` is throttled by Intercom; a handoff makes one call.

use super::context::{fit, only, Context, Limits};
use super::{Call, KeyStyle, Loaded, Ready};
use serde_json::{Map, Value};

/// Event metadata and custom attributes. Key length is not documented:
/// 64 is our conservative cap.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 20,
    max_key: 64,
    max_value: 255,
    keys: KeyStyle::Snake,
    strings_only: false,
};

/// The one event name we track (past-tense verb-noun, as Intercom advises).
const EVENT: &str = "requested-human-help";

/// Not documented for `showNewMessage`: a conservative cap.
const MAX_MESSAGE: usize = 5_000;

/// Standard `name` and `phone` attributes are strings: same 255 cap.
const MAX_STANDARD: usize = 255;

// Plan: update (identity + five fixed attributes), trackEvent (the context
// as metadata, visitor attributes included), showNewMessage(message).
pub(super) fn plan(ctx: &Context) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "Intercom",
        // The snippet defines a queueing stub; the Messenger sets `booted`.
        loaded: Some(Loaded::Flag("Intercom.booted")),
    };
    let fields = ctx.fields(false);
    let fixed = only(
        ctx.fields(false),
        &[
            "pathlight_handoff_id",
            "pathlight_summary",
            "pathlight_trigger",
            "pathlight_pages_viewed",
            "pathlight_channel",
        ],
    );
    let mut user = Map::new();
    if let Some(email) = &ctx.email {
        user.insert("email".into(), email.clone().into());
    }
    if let Some(name) = &ctx.name {
        let name = super::truncate(name, MAX_STANDARD);
        user.insert("name".into(), name.into());
    }
    if let Some(phone) = &ctx.phone {
        let phone = super::truncate(phone, MAX_STANDARD);
        user.insert("phone".into(), phone.into());
    }
    user.extend(fit(&fixed, &LIMITS));
    let mut calls = Vec::new();
    if !user.is_empty() {
        calls.push(Call::new(
            "Intercom",
            &["update"],
            vec![Value::Object(user)],
        ));
    }
    calls.push(Call::new(
        "Intercom",
        &["trackEvent", EVENT],
        vec![Value::Object(fit(&fields, &LIMITS))],
    ));
    let text = ctx.message_within(MAX_MESSAGE).map(Value::from);
    calls.push(Call::new(
        "Intercom",
        &["showNewMessage"],
        text.into_iter().collect(),
    ));
    (ready, calls)
}
