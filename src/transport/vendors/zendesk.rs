//! Zendesk messaging Web Widget.
//!
//! Source: "Core messaging Web Widget API" (developer.zendesk.com:
//! `zE('messenger:set', 'conversationFields', [{ id, value }])`,
//! `zE('messenger:set', 'conversationTags', [tags])`,
//! `zE('messenger', 'open')`) and "Using messaging metadata" (fields are
//! custom ticket fields addressed by numeric id, values string, number or
//! boolean; tags apply when the visitor next sends a message).
//! Conversation fields need account-specific ids: without them in
//! [`Options`](super::Options) the summary cannot be attached and only tags
//! are set. The widget documents no prefill of the visitor's message.

use super::context::{key_in_style, Context, Limits};
use super::{truncate, Call, KeyStyle, Options, Ready};
use serde_json::{json, Value};

/// Tags: Zendesk tags are lower-case words of letters, digits, `_` and `-`.
/// Count, tag length and field value length are not documented for the
/// widget: 10 tags, 80 characters and 1,000 characters are our
/// conservative caps.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 10,
    max_key: 80,
    max_value: 1_000,
    keys: KeyStyle::SnakeOrDash,
    strings_only: false,
};

/// A Zendesk field id: digits only.
fn field_id(id: &Option<String>) -> Option<&str> {
    let id = id.as_deref()?.trim();
    (!id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

// Plan: conversationFields (only with configured ids), conversationTags,
// messenger open.
pub(super) fn plan(ctx: &Context, options: &Options) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "zE",
        loaded: None,
    };
    let mut fields = Vec::new();
    let wanted = [
        (field_id(&options.zendesk_summary_field), &ctx.summary),
        (field_id(&options.zendesk_handoff_field), &ctx.handoff_id),
    ];
    for (id, value) in wanted {
        if let (Some(id), Some(value)) = (id, value) {
            let value = truncate(value, LIMITS.max_value);
            fields.push(json!({ "id": id, "value": value }));
        }
    }
    let mut tags = vec!["pathlight".to_string()];
    if let Some(trigger) = &ctx.trigger_id {
        tags.push(format!("pathlight_trigger_{trigger}"));
    }
    if let Some(channel) = &ctx.channel {
        tags.push(format!("pathlight_channel_{channel}"));
    }
    let mut seen = Vec::new();
    for tag in tags {
        let tag = key_in_style(&tag, LIMITS.keys, LIMITS.max_key);
        if !tag.is_empty() && !seen.contains(&tag) && seen.len() < LIMITS.max_attributes {
            seen.push(tag);
        }
    }
    let mut calls = Vec::new();
    if !fields.is_empty() {
        calls.push(Call::new(
            "zE",
            &["messenger:set", "conversationFields"],
            vec![Value::Array(fields)],
        ));
    }
    let tags: Vec<Value> = seen.into_iter().map(Value::from).collect();
    calls.push(Call::new(
        "zE",
        &["messenger:set", "conversationTags"],
        vec![Value::Array(tags)],
    ));
    calls.push(Call::new("zE", &["messenger", "open"], vec![]));
    (ready, calls)
}
