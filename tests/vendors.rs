//! Chat-vendor plans (issue #7): the right documented calls in the right
//! order, the context attached, the message prefilled where the vendor
//! documents it, and every argument within the vendor's documented limits
//! (or our conservative caps), whatever the payload holds.
//!
//! The numbers below are written out again on purpose, from the vendors'
//! documentation, rather than read from `Vendor::limits()`.

use pathlight::transport::vendors::{
    plan, plan_with, truncate, Call, Completion, Loaded, Options, Plan, Vendor, VendorError,
};
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------- payloads

/// A realistic handoff payload (v1 plus the contact block).
fn realistic() -> Value {
    json!({
        "version": 1,
        "id": "h-7f3a",
        "createdAt": "2024-05-01T10:00:00.000Z",
        "visitor": {
            "id": "v-123", "locale": "fr-FR", "device": "mobile",
            "attributes": { "Plan Name!": "Pro", "cartValue": 129.5, "vip": true }
        },
        "trigger": { "id": "checkout-help", "message": "Trouble paying?" },
        "journey": [
            { "kind": "pageView", "at": "2024-05-01T09:57:00.000Z", "path": "/" },
            { "kind": "click", "at": "2024-05-01T09:58:00.000Z", "path": "/" },
            { "kind": "pageView", "at": "2024-05-01T09:59:00.000Z", "path": "/checkout" }
        ],
        "foldedSteps": 0,
        "answers": [
            { "id": "card", "title": "Card declined", "triggerId": "checkout-help", "opened": true, "helpful": false }
        ],
        "message": "My card fails at the last step",
        "summary": "Viewed 2 pages in 3 min: / → /checkout. Asks: \"My card fails at the last step\"",
        "contact": {
            "channel": "email", "name": "Ada Lovelace", "email": "ada@example.com",
            "phone": "+44 20 7946 0958", "preferredTime": "mornings"
        }
    })
}

/// 200 long attributes with awkward keys, a 5,000-character summary, a
/// 20,000-character message, long names: everything over every limit.
fn oversized() -> Value {
    let mut attributes = Map::new();
    for i in 0..200 {
        let key = format!("Attribute Nº{i} — {}", "with a long name ".repeat(20));
        let value = format!("{i}: {}", "valeur très longue 😀 ".repeat(60));
        attributes.insert(key, value.into());
    }
    let mut p = realistic();
    p["visitor"]["attributes"] = Value::Object(attributes);
    p["summary"] = ("Viewed 40 pages 😀 ".repeat(300)[..5_000]).into();
    p["message"] = "Please help, ".repeat(1_600).into();
    p["contact"]["name"] = "Ada ".repeat(150).into();
    p["contact"]["phone"] = "+44 ".repeat(50).into();
    p["trigger"]["id"] = "trigger-".repeat(40).into();
    p
}

// ---------------------------------------------------------------- helpers

fn u16len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn descriptions(p: &Plan) -> Vec<String> {
    p.calls.iter().map(Call::describe).collect()
}

/// The calls whose first argument (or first command word) is `method`.
fn calls_to<'a>(p: &'a Plan, method: &str) -> Vec<&'a Call> {
    p.calls
        .iter()
        .filter(|c| {
            c.args.first().and_then(Value::as_str) == Some(method)
                || c.args
                    .first()
                    .and_then(|a| a.get(1))
                    .and_then(Value::as_str)
                    == Some(method)
        })
        .collect()
}

fn object(v: &Value) -> &Map<String, Value> {
    v.as_object().expect("an attribute object")
}

/// Every key and value of `attrs` within the limits; keys matching `key_ok`.
fn assert_within(
    attrs: &Map<String, Value>,
    count: usize,
    key_len: usize,
    value_len: usize,
    key_ok: impl Fn(&str) -> bool,
) {
    assert!(attrs.len() <= count, "{} attributes > {count}", attrs.len());
    for (k, v) in attrs {
        assert!(!k.is_empty() && u16len(k) <= key_len, "key {k:?}");
        assert!(key_ok(k), "key {k:?} not in the vendor's charset");
        match v {
            Value::String(s) => assert!(
                !s.is_empty() && u16len(s) <= value_len,
                "{k}: {} units",
                u16len(s)
            ),
            Value::Number(_) | Value::Bool(_) => {}
            other => panic!("{k}: {other} is not a scalar"),
        }
    }
}

fn snake(k: &str) -> bool {
    k.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn kebab(k: &str) -> bool {
    k.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn snake_or_dash(k: &str) -> bool {
    k.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn any_key(_: &str) -> bool {
    true
}

/// No null anywhere, and no empty string, in any argument.
fn assert_no_blanks(p: &Plan) {
    fn walk(v: &Value, at: &str) {
        match v {
            Value::Null => panic!("null at {at}"),
            Value::String(s) => assert!(!s.is_empty(), "empty string at {at}"),
            Value::Array(items) => items.iter().for_each(|i| walk(i, at)),
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, &format!("{at}.{k}"))),
            _ => {}
        }
    }
    for c in &p.calls {
        c.args.iter().for_each(|a| walk(a, c.target));
    }
}

// ---------------------------------------------------------------- names

#[test]
fn every_config_name_parses_and_round_trips() {
    let names = [
        "intercom",
        "zendesk",
        "helpscout",
        "crisp",
        "chatwoot",
        "livechat",
        "tawk",
        "hubspot",
        "freshchat",
    ];
    for (name, vendor) in names.iter().zip(Vendor::ALL) {
        assert_eq!(Vendor::parse(name), Ok(vendor));
        assert_eq!(vendor.as_str(), *name);
        assert_eq!(vendor.to_string(), *name);
    }
    assert_eq!(Vendor::parse("  HelpScout "), Ok(Vendor::HelpScout));
}

#[test]
fn an_unknown_vendor_is_a_clear_error() {
    let err = Vendor::parse("drift").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown chat vendor \"drift\": expected one of intercom, zendesk, helpscout, crisp, \
         chatwoot, livechat, tawk, hubspot, freshchat"
    );
    assert!(Vendor::parse("").is_err());
    let long = Vendor::parse(&"x".repeat(10_000)).unwrap_err();
    assert_eq!(long.name.len(), 60);
}

// ---------------------------------------------------------------- per vendor

#[test]
fn intercom_updates_tracks_and_prefills() {
    let p = plan(Vendor::Intercom, &realistic());
    assert_eq!(p.ready.function, "Intercom");
    assert_eq!(p.ready.loaded, Some(Loaded::Flag("Intercom.booted")));
    assert_eq!(
        descriptions(&p),
        [
            "Intercom('update', …)",
            "Intercom('trackEvent', 'requested-human-help', …)",
            "Intercom('showNewMessage', …)"
        ]
    );
    let user = object(&p.calls[0].args[1]);
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["name"], "Ada Lovelace");
    assert_eq!(user["pathlight_handoff_id"], "h-7f3a");
    assert_eq!(user["pathlight_pages_viewed"], 2);
    assert!(user["pathlight_summary"]
        .as_str()
        .unwrap()
        .starts_with("Viewed 2 pages"));
    // Visitor attributes go to the event, never to update: each new key
    // would create one of the workspace's 250 custom data attributes.
    assert!(!user.contains_key("visitor_plan_name"));
    let meta = object(&p.calls[1].args[2]);
    assert_eq!(meta["visitor_plan_name"], "Pro");
    assert_eq!(meta["pathlight_trigger"], "checkout-help");
    assert_eq!(p.calls[2].args[1], "My card fails at the last step");
}

#[test]
fn intercom_stays_within_its_limits() {
    let p = plan(Vendor::Intercom, &oversized());
    let user = object(&p.calls[0].args[1]);
    let custom: Map<String, Value> = user
        .iter()
        .filter(|(k, _)| !["email", "name", "phone"].contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_within(&custom, 5, 64, 255, snake);
    assert!(u16len(user["name"].as_str().unwrap()) <= 255);
    let meta = object(&p.calls[1].args[2]);
    assert_within(meta, 20, 64, 255, snake);
    assert!(meta["pathlight_summary"].as_str().unwrap().ends_with('…'));
    assert_eq!(meta["pathlight_handoff_id"], "h-7f3a");
    assert!(u16len(p.calls[2].args[1].as_str().unwrap()) <= 5_000);
}

#[test]
fn zendesk_tags_and_opens_without_field_ids() {
    let p = plan(Vendor::Zendesk, &realistic());
    assert_eq!(p.ready.function, "zE");
    assert_eq!(
        descriptions(&p),
        [
            "zE('messenger:set', 'conversationTags', …)",
            "zE('messenger', 'open')"
        ]
    );
    assert_eq!(
        p.calls[0].args[2],
        json!([
            "pathlight",
            "pathlight_trigger_checkout-help",
            "pathlight_channel_email"
        ])
    );
}

#[test]
fn zendesk_sets_conversation_fields_by_configured_id() {
    let options = Options {
        zendesk_summary_field: Some("360012345678".into()),
        zendesk_handoff_field: Some("not-a-number".into()),
    };
    let p = plan_with(Vendor::Zendesk, &oversized(), &options);
    assert_eq!(
        p.calls[0].describe(),
        "zE('messenger:set', 'conversationFields', …)"
    );
    let fields = p.calls[0].args[2].as_array().unwrap();
    assert_eq!(fields.len(), 1, "the invalid id is ignored");
    assert_eq!(fields[0]["id"], "360012345678");
    assert!(u16len(fields[0]["value"].as_str().unwrap()) <= 1_000);
    let tags = p.calls[1].args[2].as_array().unwrap();
    assert!(tags.len() <= 10);
    for t in tags {
        let t = t.as_str().unwrap();
        assert!(u16len(t) <= 80 && snake_or_dash(t), "{t}");
    }
}

#[test]
fn help_scout_sets_session_data_prefills_and_opens_the_form() {
    let p = plan(Vendor::HelpScout, &realistic());
    assert_eq!(
        p.ready.loaded,
        Some(Loaded::Call {
            function: "Beacon",
            args: &["info"]
        })
    );
    assert_eq!(
        descriptions(&p),
        [
            "Beacon('session-data', …)",
            "Beacon('prefill', …)",
            "Beacon('open')",
            "Beacon('navigate', '/ask/message/')"
        ]
    );
    let data = object(&p.calls[0].args[1]);
    assert_eq!(data["Handoff id"], "h-7f3a");
    assert_eq!(data["Pages viewed"], "2");
    assert_eq!(data["Plan Name!"], "Pro", "labels are free text");
    let prefill = object(&p.calls[1].args[1]);
    assert_eq!(prefill["email"], "ada@example.com");
    assert_eq!(prefill["name"], "Ada Lovelace");
    assert_eq!(prefill["subject"], "My card fails at the last step");
    assert_eq!(prefill["text"], "My card fails at the last step");
}

#[test]
fn help_scout_stays_within_its_limits() {
    let p = plan(Vendor::HelpScout, &oversized());
    let data = object(&p.calls[0].args[1]);
    assert_within(data, 20, 100, 10_000, any_key);
    assert!(
        data.values().all(Value::is_string),
        "session data are strings"
    );
    assert!(data.contains_key("Summary") && data.contains_key("Handoff id"));
    let prefill = object(&p.calls[1].args[1]);
    assert!(u16len(prefill["name"].as_str().unwrap()) <= 80);
    assert!(u16len(prefill["subject"].as_str().unwrap()) <= 100);
    assert!(u16len(prefill["text"].as_str().unwrap()) <= 5_000);
}

#[test]
fn crisp_identifies_sets_data_prefills_and_opens() {
    let p = plan(Vendor::Crisp, &realistic());
    assert_eq!(p.ready.function, "$crisp.is");
    assert_eq!(
        descriptions(&p),
        [
            "$crisp.push(['set', 'user:email', …])",
            "$crisp.push(['set', 'user:nickname', …])",
            "$crisp.push(['set', 'user:phone', …])",
            "$crisp.push(['set', 'session:data', …])",
            "$crisp.push(['set', 'message:text', …])",
            "$crisp.push(['do', 'chat:open'])"
        ]
    );
    assert_eq!(
        p.calls[0].args[0],
        json!(["set", "user:email", ["ada@example.com"]])
    );
    let pairs = p.calls[3].args[0][2][0].as_array().unwrap();
    assert!(pairs.contains(&json!(["pathlight_handoff_id", "h-7f3a"])));
    assert!(pairs.contains(&json!(["visitor_plan_name", "Pro"])));
    assert_eq!(
        p.calls[4].args[0],
        json!(["set", "message:text", ["My card fails at the last step"]])
    );
}

#[test]
fn crisp_stays_within_its_limits() {
    let p = plan(Vendor::Crisp, &oversized());
    let data = &calls_to(&p, "session:data")[0].args[0][2][0];
    let mut attrs = Map::new();
    for pair in data.as_array().unwrap() {
        attrs.insert(pair[0].as_str().unwrap().to_string(), pair[1].clone());
    }
    assert_eq!(
        attrs.len(),
        data.as_array().unwrap().len(),
        "no duplicate keys"
    );
    assert_within(&attrs, 20, 64, 255, snake_or_dash);
    assert!(attrs.contains_key("pathlight_summary"));
    let nickname = &calls_to(&p, "user:nickname")[0].args[0][2][0];
    assert!(u16len(nickname.as_str().unwrap()) <= 100);
    let text = &calls_to(&p, "message:text")[0].args[0][2][0];
    assert!(u16len(text.as_str().unwrap()) <= 5_000);
}

#[test]
fn chatwoot_uses_custom_attributes_not_set_user() {
    let p = plan(Vendor::Chatwoot, &realistic());
    assert_eq!(p.ready.loaded, Some(Loaded::Flag("$chatwoot.hasLoaded")));
    assert_eq!(
        descriptions(&p),
        [
            "$chatwoot.setConversationCustomAttributes(…)",
            "$chatwoot.setCustomAttributes(…)",
            "$chatwoot.toggle('open')"
        ]
    );
    let conversation = object(&p.calls[0].args[0]);
    assert_eq!(conversation["pathlight_handoff_id"], "h-7f3a");
    assert!(conversation.contains_key("pathlight_summary"));
    let contact = object(&p.calls[1].args[0]);
    assert_eq!(contact["pathlight_contact_email"], "ada@example.com");
    assert_eq!(contact["visitor_plan_name"], "Pro");
    assert!(p.calls.iter().all(|c| c.target != "$chatwoot.setUser"));
}

#[test]
fn chatwoot_stays_within_its_caps() {
    let p = plan(Vendor::Chatwoot, &oversized());
    for call in &p.calls[..2] {
        assert_within(object(&call.args[0]), 20, 64, 255, snake);
    }
}

#[test]
fn livechat_names_updates_variables_and_drafts_the_message() {
    let p = plan(Vendor::LiveChat, &realistic());
    assert_eq!(
        p.ready.loaded,
        Some(Loaded::Call {
            function: "LiveChatWidget.get",
            args: &["state"]
        })
    );
    assert_eq!(
        descriptions(&p),
        [
            "LiveChatWidget.call('set_customer_name', …)",
            "LiveChatWidget.call('set_customer_email', …)",
            "LiveChatWidget.call('update_session_variables', …)",
            "LiveChatWidget.call('maximize', …)"
        ]
    );
    let vars = object(&p.calls[2].args[1]);
    assert_eq!(
        vars["pathlight_pages_viewed"], "2",
        "session variables are strings"
    );
    assert_eq!(vars["Plan Name!"], "Pro");
    assert_eq!(
        p.calls[3].args[1],
        json!({ "messageDraft": "My card fails at the last step" })
    );
}

#[test]
fn livechat_stays_within_its_caps() {
    let p = plan(Vendor::LiveChat, &oversized());
    let vars = object(&calls_to(&p, "update_session_variables")[0].args[1]);
    assert_within(vars, 20, 64, 255, any_key);
    assert!(vars.values().all(Value::is_string));
    let name = calls_to(&p, "set_customer_name")[0].args[1]
        .as_str()
        .unwrap();
    assert!(u16len(name) <= 100);
}

#[test]
fn tawk_sets_attributes_adds_an_event_and_maximizes() {
    let p = plan(Vendor::Tawk, &realistic());
    assert_eq!(p.ready.loaded, Some(Loaded::Flag("Tawk_API.onLoaded")));
    assert_eq!(
        descriptions(&p),
        [
            "Tawk_API.setAttributes(…)",
            "Tawk_API.addEvent('pathlight-handoff', …)",
            "Tawk_API.maximize()"
        ]
    );
    assert_eq!(p.calls[0].completion, Completion::Callback);
    assert_eq!(p.calls[1].completion, Completion::Callback);
    assert_eq!(p.calls[2].completion, Completion::Return);
    let attrs = object(&p.calls[0].args[0]);
    assert_eq!(attrs["pathlight-handoff-id"], "h-7f3a");
    assert_eq!(attrs["visitor-plan-name"], "Pro");
    // name and email need a secure-mode hash: never sent as such.
    assert!(!attrs.contains_key("name") && !attrs.contains_key("email"));
    assert_eq!(attrs["pathlight-contact-email"], "ada@example.com");
}

#[test]
fn tawk_stays_within_its_limits() {
    let p = plan(Vendor::Tawk, &oversized());
    let attrs = object(&p.calls[0].args[0]);
    assert_within(attrs, 50, 64, 255, kebab);
    assert!(attrs.values().all(Value::is_string));
    assert_eq!(attrs.len(), 50, "extra attributes are dropped, not sent");
    assert!(attrs.contains_key("pathlight-summary") && attrs.contains_key("pathlight-handoff-id"));
    assert!(kebab(p.calls[1].args[0].as_str().unwrap()));
    assert_within(object(&p.calls[1].args[1]), 50, 64, 255, kebab);
}

#[test]
fn hubspot_identifies_only_with_an_email_then_opens() {
    let p = plan(Vendor::HubSpot, &realistic());
    assert_eq!(p.ready.function, "HubSpotConversations.widget.open");
    assert_eq!(
        descriptions(&p),
        [
            "_hsq.push(['identify', …])",
            "_hsq.push(['trackPageView'])",
            "HubSpotConversations.widget.open()"
        ]
    );
    let props = object(&p.calls[0].args[0][1]);
    assert_eq!(props["email"], "ada@example.com");
    assert_eq!(props["pathlight_handoff_id"], "h-7f3a");

    let mut anonymous = realistic();
    anonymous["contact"] = json!({ "channel": "chat" });
    let p = plan(Vendor::HubSpot, &anonymous);
    assert_eq!(descriptions(&p), ["HubSpotConversations.widget.open()"]);

    let p = plan(Vendor::HubSpot, &oversized());
    let mut props = object(&p.calls[0].args[0][1]).clone();
    props.remove("email");
    assert_within(&props, 10, 100, 1_000, snake);
}

#[test]
fn freshchat_sets_the_user_tracks_and_opens_with_reply_text() {
    let p = plan(Vendor::Freshchat, &realistic());
    assert_eq!(
        p.ready.loaded,
        Some(Loaded::Call {
            function: "fcWidget.isLoaded",
            args: &[]
        })
    );
    assert_eq!(
        descriptions(&p),
        [
            "fcWidget.user.setFirstName(…)",
            "fcWidget.user.setEmail(…)",
            "fcWidget.user.setProperties(…)",
            "fcWidget.track('pathlight_handoff', …)",
            "fcWidget.open(…)"
        ]
    );
    assert_eq!(
        p.calls[4].args[0],
        json!({ "replyText": "My card fails at the last step" })
    );
    let p = plan(Vendor::Freshchat, &oversized());
    assert_within(object(&p.calls[2].args[0]), 20, 32, 255, snake);
    assert!(u16len(p.calls[0].args[0].as_str().unwrap()) <= 100);
}

// ---------------------------------------------------------------- all vendors

#[test]
fn every_plan_attaches_the_summary_or_says_why_not() {
    // Zendesk needs a configured field id; HubSpot needs an email.
    for v in Vendor::ALL {
        let text = serde_json::to_string(
            &plan(v, &realistic())
                .calls
                .iter()
                .map(|c| &c.args)
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let attached = text.contains("Viewed 2 pages in 3 min");
        assert_eq!(attached, v != Vendor::Zendesk, "{v}");
        assert!(
            text.contains("h-7f3a") || v == Vendor::Zendesk,
            "{v}: handoff id"
        );
    }
}

#[test]
fn the_message_is_prefilled_where_documented() {
    let prefilling = [
        Vendor::Intercom,
        Vendor::HelpScout,
        Vendor::Crisp,
        Vendor::LiveChat,
        Vendor::Freshchat,
    ];
    for v in Vendor::ALL {
        let p = plan(v, &realistic());
        let text =
            serde_json::to_string(&p.calls.iter().map(|c| &c.args).collect::<Vec<_>>()).unwrap();
        assert_eq!(
            text.contains("\"My card fails at the last step\""),
            prefilling.contains(&v),
            "{v}"
        );
    }
}

#[test]
fn every_plan_ends_by_opening_the_conversation() {
    let openers = [
        "Intercom('showNewMessage', …)",
        "zE('messenger', 'open')",
        "Beacon('navigate', '/ask/message/')",
        "$crisp.push(['do', 'chat:open'])",
        "$chatwoot.toggle('open')",
        "LiveChatWidget.call('maximize', …)",
        "Tawk_API.maximize()",
        "HubSpotConversations.widget.open()",
        "fcWidget.open(…)",
    ];
    for (v, opener) in Vendor::ALL.into_iter().zip(openers) {
        let p = plan(v, &realistic());
        assert_eq!(p.vendor, v);
        assert_eq!(p.calls.last().unwrap().describe(), opener, "{v}");
    }
}

#[test]
fn missing_fields_are_skipped_not_sent_empty() {
    for v in Vendor::ALL {
        let p = plan(v, &json!({}));
        assert_no_blanks(&p);
        assert!(!p.calls.is_empty(), "{v} still opens");
        let p = plan(
            v,
            &json!({ "id": "h-1", "contact": { "email": "not an email", "name": "  " } }),
        );
        assert_no_blanks(&p);
        let text =
            serde_json::to_string(&p.calls.iter().map(|c| &c.args).collect::<Vec<_>>()).unwrap();
        assert!(
            !text.contains("not an email"),
            "{v}: a malformed email is dropped"
        );
    }
    // Without a message, openers take no text.
    assert_eq!(
        plan(Vendor::Intercom, &json!({}))
            .calls
            .last()
            .unwrap()
            .args,
        vec![json!("showNewMessage")]
    );
    assert_eq!(
        plan(Vendor::LiveChat, &json!({}))
            .calls
            .last()
            .unwrap()
            .args,
        vec![json!("maximize")]
    );
    assert!(plan(Vendor::Freshchat, &json!({}))
        .calls
        .last()
        .unwrap()
        .args
        .is_empty());
    assert_eq!(
        descriptions(&plan(Vendor::Chatwoot, &json!({}))),
        ["$chatwoot.toggle('open')"]
    );
}

#[test]
fn ill_typed_payloads_never_panic() {
    let odd = [
        json!(null),
        json!("a string"),
        json!([1, 2, 3]),
        json!({ "id": 42, "summary": ["x"], "visitor": "v", "journey": "x", "answers": {} }),
        json!({ "visitor": { "attributes": { "": "empty key", "!!!": "no usable key", "x": null } } }),
    ];
    for v in Vendor::ALL {
        for payload in &odd {
            let p = plan(v, payload);
            assert_no_blanks(&p);
        }
    }
}

#[test]
fn keys_are_sanitised_for_each_vendor() {
    let payload = json!({ "visitor": { "attributes": { "Plan Name!": "Pro", "a.b$c": 1 } } });
    let intercom = plan(Vendor::Intercom, &payload);
    let meta = object(&calls_to(&intercom, "trackEvent")[0].args[2]);
    assert!(meta.contains_key("visitor_plan_name") && meta.contains_key("visitor_a_b_c"));
    let tawk = plan(Vendor::Tawk, &payload);
    let attrs = object(&tawk.calls[0].args[0]);
    assert!(attrs.contains_key("visitor-plan-name") && attrs.contains_key("visitor-a-b-c"));
    let crisp = plan(Vendor::Crisp, &payload);
    let pairs = &calls_to(&crisp, "session:data")[0].args[0][2][0];
    assert!(pairs
        .as_array()
        .unwrap()
        .contains(&json!(["visitor_plan_name", "Pro"])));
}

#[test]
fn host_attributes_never_take_a_vendors_identity_keys() {
    // identify({ email, name, hash }) fills the contact, which goes to each
    // vendor's documented identity call; as attributes they are namespaced,
    // so they never land on a key a vendor reserves (tawk.to refuses `name`
    // and `email` without a secure-mode hash).
    let payload = json!({ "visitor": { "attributes": { "email": "x@example.com", "name": "X", "hash": "h" } } });
    let tawk = plan(Vendor::Tawk, &payload);
    let attrs = object(&tawk.calls[0].args[0]);
    assert_eq!(tawk.calls[0].target, "Tawk_API.setAttributes");
    assert!(attrs.contains_key("visitor-email") && attrs.contains_key("visitor-hash"));
    for reserved in ["email", "name", "hash"] {
        assert!(
            !attrs.contains_key(reserved),
            "tawk.to got a bare '{reserved}'"
        );
    }
    let chatwoot = plan(Vendor::Chatwoot, &payload);
    let set = chatwoot
        .calls
        .iter()
        .find(|c| c.target == "$chatwoot.setCustomAttributes")
        .expect("custom attributes are set");
    let custom = object(&set.args[0]);
    assert!(custom.contains_key("visitor_email") && !custom.contains_key("email"));
}

#[test]
fn plans_are_deterministic() {
    for v in Vendor::ALL {
        assert_eq!(plan(v, &oversized()), plan(v, &oversized()));
    }
}

#[test]
fn truncation_keeps_characters_whole() {
    let samples = [
        "😀😀😀😀",
        "e\u{301}e\u{301}e\u{301}",
        "שלום עולם",
        "a b c d e f",
    ];
    for s in samples {
        for max in 0..12 {
            let t = truncate(s, max);
            assert!(u16len(&t) <= max, "{s:?} at {max}: {t:?}");
            let kept = t.trim_end_matches('…');
            assert!(s.starts_with(kept), "{s:?} at {max}: {t:?}");
        }
    }
}

// ---------------------------------------------------------------- errors

#[test]
fn vendor_errors_read_well() {
    let absent = VendorError::Absent {
        vendor: Vendor::Intercom,
        vendor_global: "Intercom",
    };
    assert_eq!(
        absent.message(),
        "Intercom is not on this page: window.Intercom is missing (blocked, or its script was not added)"
    );
    let slow = VendorError::TimedOut {
        vendor: Vendor::Tawk,
        waiting_for: "window.Tawk_API.onLoaded to be true".into(),
        waited_ms: 5_000,
    };
    assert_eq!(
        slow.message(),
        "tawk.to did not get ready in 5000 ms: still waiting for window.Tawk_API.onLoaded to be true \
         (its script is slow, blocked, or the widget was never started)"
    );
    let threw = VendorError::Threw {
        vendor: Vendor::Crisp,
        call: "$crisp.push(['set', 'session:data', …])".into(),
        message: "TypeError: bad".into(),
    };
    assert_eq!(threw.vendor(), Vendor::Crisp);
    assert_eq!(
        threw.message(),
        "Crisp rejected $crisp.push(['set', 'session:data', …]): TypeError: bad"
    );
}

#[test]
fn call_descriptions_never_show_visitor_data() {
    let mut payload = realistic();
    payload["contact"]["name"] = "Ada".into(); // one word, like a method name
    payload["message"] = "help".into();
    for v in Vendor::ALL {
        for c in &plan(v, &payload).calls {
            let d = c.describe();
            for secret in ["ada@example.com", "Ada", "'help'", "7946", "h-7f3a"] {
                assert!(!d.contains(secret), "{d}");
            }
        }
    }
}
