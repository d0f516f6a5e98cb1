//! Crisp chatbox.
//!
//! Sources: "$crisp Methods" (docs.crisp.chat: `["set", "user:email",
//! [email]]`, `["set", "user:nickname", [name]]`, `["set", "user:phone",
//! [phone]]`, `["set", "session:data", [[[key, value], …]]]`, `["set",
//! "message:text", [text]]`, `["do", "chat:open"]`, `$crisp.is(…)`) and
//! "How to automatically push custom data" (keys lower-case, no special
//! characters except `_` and `-`; values strings, numbers or booleans).
//! `$crisp` starts as a plain array queue: `$crisp.is` exists once the
//! chatbox script has loaded.

use super::context::{fit, Context, Limits};
use super::{truncate, Call, KeyStyle, Ready};
use serde_json::{json, Value};

/// Count, key length and value length of session data are not documented:
/// 20, 64 and 255 are our conservative caps.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 20,
    max_key: 64,
    max_value: 255,
    keys: KeyStyle::SnakeOrDash,
    strings_only: false,
};

/// Not documented: conservative caps for the nickname, phone and message.
const MAX_NAME: usize = 100;
const MAX_PHONE: usize = 40;
const MAX_MESSAGE: usize = 5_000;

fn set(method: &'static str, value: Value) -> Call {
    Call::push("$crisp.push", &["set", method], vec![value])
}

// Plan: user email/nickname/phone, session:data, message:text, chat:open.
pub(super) fn plan(ctx: &Context) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "$crisp.is",
        loaded: None,
    };
    let mut calls = Vec::new();
    if let Some(email) = &ctx.email {
        calls.push(set("user:email", json!([email])));
    }
    if let Some(name) = &ctx.name {
        calls.push(set("user:nickname", json!([truncate(name, MAX_NAME)])));
    }
    if let Some(phone) = &ctx.phone {
        calls.push(set("user:phone", json!([truncate(phone, MAX_PHONE)])));
    }
    let pairs: Vec<Value> = fit(&ctx.fields(false), &LIMITS)
        .into_iter()
        .map(|(k, v)| json!([k, v]))
        .collect();
    if !pairs.is_empty() {
        calls.push(set("session:data", json!([pairs])));
    }
    if let Some(text) = ctx.message_within(MAX_MESSAGE) {
        calls.push(set("message:text", json!([text])));
    }
    calls.push(Call::push("$crisp.push", &["do", "chat:open"], vec![]));
    (ready, calls)
}
