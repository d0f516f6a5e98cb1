//! Chatwoot website widget.
//!
//! Source: "Sending Information into Chatwoot" (chatwoot.com/docs, website
//! SDK: `window.$chatwoot.setCustomAttributes(attrs)`,
//! `window.$chatwoot.setConversationCustomAttributes(attrs)`,
//! `window.$chatwoot.toggle('open')`, the `chatwoot:ready` event, after
//! which the SDK sets `$chatwoot.hasLoaded`). `setUser` needs an
//! `identifier_hash` when identity validation is on, so the contact details
//! go into custom attributes instead. Both setters throw on an empty object.

use super::context::{fit, only, Context, Limits};
use super::{Call, KeyStyle, Loaded, Ready};
use serde_json::Value;

/// Not documented: 20 attributes, 64-character keys and 255-character
/// values are our conservative caps.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 20,
    max_key: 64,
    max_value: 255,
    keys: KeyStyle::Snake,
    strings_only: false,
};

/// What belongs to this conversation rather than to the contact.
const CONVERSATION: &[&str] = &[
    "pathlight_handoff_id",
    "pathlight_summary",
    "pathlight_trigger",
    "pathlight_pages_viewed",
    "pathlight_preferred_time",
    "pathlight_channel",
    "pathlight_answers",
];

// Plan: setConversationCustomAttributes (the handoff), setCustomAttributes
// (the contact and visitor), toggle('open').
pub(super) fn plan(ctx: &Context) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "$chatwoot.toggle",
        loaded: Some(Loaded::Flag("$chatwoot.hasLoaded")),
    };
    let conversation = fit(&only(ctx.fields(false), CONVERSATION), &LIMITS);
    let contact: Vec<_> = ctx
        .fields(true)
        .into_iter()
        .filter(|f| !CONVERSATION.contains(&f.key.as_str()))
        .collect();
    let contact = fit(&contact, &LIMITS);
    let mut calls = Vec::new();
    if !conversation.is_empty() {
        calls.push(Call::new(
            "$chatwoot.setConversationCustomAttributes",
            &[],
            vec![Value::Object(conversation)],
        ));
    }
    if !contact.is_empty() {
        calls.push(Call::new(
            "$chatwoot.setCustomAttributes",
            &[],
            vec![Value::Object(contact)],
        ));
    }
    calls.push(Call::new("$chatwoot.toggle", &["open"], vec![]));
    (ready, calls)
}
