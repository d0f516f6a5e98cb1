//! HubSpot chat widget.
//!
//! Sources: "Conversations SDK" (developers.hubspot.com:
//! `window.HubSpotConversations.widget.open()`, the object appears once the
//! tracking code has initialised the API) and "Tracking code API"
//! (`_hsq.push(['identify', { email, …properties }])`, sent with the next
//! `_hsq.push(['trackPageView'])`; other keys are contact properties by
//! internal name, which the portal must have created — `pathlight_summary`,
//! `pathlight_handoff_id`, `pathlight_trigger` — or HubSpot ignores them).
//! Without an email there is no documented browser call that attaches
//! context; the widget documents no message prefill. Visitor identification
//! by token needs a server and is out of scope.

use super::context::{fit, only, Context, Limits};
use super::{Call, KeyStyle, Ready};
use serde_json::Value;

/// Contact property values are not limited for the browser call; 10
/// properties, 100-character internal names and 1,000-character values
/// are our conservative caps.
pub(super) const LIMITS: Limits = Limits {
    max_attributes: 10,
    max_key: 100,
    max_value: 1_000,
    keys: KeyStyle::Snake,
    strings_only: true,
};

// Plan: identify + trackPageView (only with an email), widget.open().
pub(super) fn plan(ctx: &Context) -> (Ready, Vec<Call>) {
    let ready = Ready {
        function: "HubSpotConversations.widget.open",
        loaded: None,
    };
    let mut calls = Vec::new();
    if let Some(email) = &ctx.email {
        let mut props = fit(
            &only(
                ctx.fields(false),
                &[
                    "pathlight_handoff_id",
                    "pathlight_summary",
                    "pathlight_trigger",
                ],
            ),
            &LIMITS,
        );
        props.insert("email".into(), email.clone().into());
        calls.push(Call::push(
            "_hsq.push",
            &["identify"],
            vec![Value::Object(props)],
        ));
        calls.push(Call::push("_hsq.push", &["trackPageView"], vec![]));
    }
    calls.push(Call::new("HubSpotConversations.widget.open", &[], vec![]));
    (ready, calls)
}
