//! LiveChat Chat Widget.
//!
//! Source: "Chat Widget JS API" (platform.text.com / developers.livechat.com:
//! `LiveChatWidget.call('set_customer_name', name)`,
//! `LiveChatWidget.call('set_customer_email', email)`,
//! `LiveChatWidget.call('update_session_variables', vars)` (added to, not
//! replacing, the host's own), `LiveChatWidget.call('maximize', {
//! messageDraft })`, and `LiveChatWidget.get('state')`, which throws "You
//! can't use getters before load" while only the snippet's stub is there).
//! Session variables are `Record<string, string>`; keys may contain spaces.

use super::context::{fit, Context, Limits};
use super::{truncate, Call, KeyStyle, Loaded, Ready};
use serde_json::{json, Value};

/// Count and lengths are not documented: 20 variables, 64-character keys
/// and 255-character values are our conservative caps.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 20,
    max_key: 64,
    max_value: 255,
    keys: KeyStyle::Label,
    strings_only: true,
};

/// Not documented: conservative caps.
const MAX_NAME: usize = 100;
const MAX_MESSAGE: usize = 5_000;

// Plan: customer name and email, update_session_variables, maximize with
// the message as a draft.
pub(super) fn plan(ctx: &Context) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "LiveChatWidget.call",
        loaded: Some(Loaded::Call {
            function: "LiveChatWidget.get",
            args: &["state"],
        }),
    };
    let call =
        |method: &'static str, data: Vec<Value>| Call::new("LiveChatWidget.call", &[method], data);
    let mut calls = Vec::new();
    if let Some(name) = &ctx.name {
        calls.push(call(
            "set_customer_name",
            vec![truncate(name, MAX_NAME).into()],
        ));
    }
    if let Some(email) = &ctx.email {
        calls.push(call("set_customer_email", vec![email.clone().into()]));
    }
    let mut fields = ctx.fields(false);
    for f in &mut fields {
        // Our own keys read better as snake_case than as labels here.
        if f.key.starts_with("pathlight_") {
            f.label = f.key.clone();
        }
    }
    let vars = fit(&fields, &LIMITS);
    if !vars.is_empty() {
        calls.push(call("update_session_variables", vec![Value::Object(vars)]));
    }
    let draft = ctx
        .message_within(MAX_MESSAGE)
        .map(|text| json!({ "messageDraft": text }));
    calls.push(call("maximize", draft.into_iter().collect()));
    (ready, calls)
}
