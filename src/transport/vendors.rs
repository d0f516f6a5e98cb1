//! Chat-vendor plans: which documented browser calls attach the handoff
//! context to the company's chat tool and open the conversation.
//!
//! A [`Plan`] is pure data: how to tell the vendor's script is loaded
//! ([`Ready`]) and the [`Call`]s to make, in order, with JSON arguments that
//! already respect the vendor's documented limits (attribute count, key
//! charset and length, value length). `web/vendor.rs` carries a plan out in
//! the browser; here it is built and tested natively.
//!
//! The plan reads the handoff payload (v1) as JSON, so it does not depend on
//! the Rust structs: `id`, `summary`, `message`, `visitor.id`,
//! `visitor.attributes`, `visitor.locale`, `visitor.device`, `trigger.id`,
//! `contact.channel`, `contact.name`, `contact.email`, `contact.phone`,
//! `contact.preferredTime`, `answers[]` and `journey[]`. Missing or
//! ill-typed fields are skipped.
//!
//! ```
//! use pathlight::transport::vendors::{plan, Vendor};
//! let payload = serde_json::json!({
//!     "id": "h-1", "summary": "Viewed 3 pages.", "message": "My card fails",
//!     "contact": { "email": "ada@example.com" },
//! });
//! let p = plan(Vendor::parse("crisp").unwrap(), &payload);
//! assert_eq!(p.ready.function, "$crisp.is");
//! assert_eq!(p.calls.last().unwrap().describe(), "$crisp.push(['do', 'chat:open'])");
//! ```

mod chatwoot;
mod context;
mod crisp;
mod freshchat;
mod helpscout;
mod hubspot;
mod intercom;
mod livechat;
mod tawk;
mod zendesk;

pub use context::{truncate, KeyStyle, Limits};

use crate::time::Millis;
use serde_json::Value;
use std::fmt;

/// A chat tool a customer already runs on their site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vendor {
    /// Intercom Messenger (`window.Intercom`).
    Intercom,
    /// Zendesk messaging Web Widget (`window.zE`).
    Zendesk,
    /// Help Scout Beacon (`window.Beacon`).
    HelpScout,
    /// Crisp chatbox (`window.$crisp`).
    Crisp,
    /// Chatwoot website widget (`window.$chatwoot`).
    Chatwoot,
    /// LiveChat Chat Widget (`window.LiveChatWidget`).
    LiveChat,
    /// tawk.to widget (`window.Tawk_API`).
    Tawk,
    /// HubSpot chat widget (`window.HubSpotConversations`).
    HubSpot,
    /// Freshchat Web Messenger (`window.fcWidget`).
    Freshchat,
}

impl Vendor {
    /// Every vendor, in config-name order.
    ///
    /// ```
    /// use pathlight::transport::vendors::Vendor;
    /// assert_eq!(Vendor::ALL.len(), 9);
    /// assert!(Vendor::ALL.iter().all(|v| Vendor::parse(v.as_str()) == Ok(*v)));
    /// ```
    pub const ALL: [Vendor; 9] = [
        Vendor::Intercom,
        Vendor::Zendesk,
        Vendor::HelpScout,
        Vendor::Crisp,
        Vendor::Chatwoot,
        Vendor::LiveChat,
        Vendor::Tawk,
        Vendor::HubSpot,
        Vendor::Freshchat,
    ];

    /// The vendor for a config name (`handoff.adapter`). Surrounding spaces
    /// and ASCII case are ignored.
    ///
    /// ```
    /// use pathlight::transport::vendors::Vendor;
    /// assert_eq!(Vendor::parse("helpscout"), Ok(Vendor::HelpScout));
    /// assert_eq!(Vendor::parse(" Tawk "), Ok(Vendor::Tawk));
    /// let err = Vendor::parse("drift").unwrap_err();
    /// assert!(err.to_string().contains("intercom, zendesk, helpscout"));
    /// ```
    pub fn parse(name: &str) -> Result<Vendor, UnknownVendor> {
        let wanted = name.trim();
        Vendor::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownVendor {
                name: wanted.chars().take(60).collect(),
            })
    }

    /// The config name.
    ///
    /// ```
    /// use pathlight::transport::vendors::Vendor;
    /// assert_eq!(Vendor::HelpScout.as_str(), "helpscout");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Intercom => "intercom",
            Vendor::Zendesk => "zendesk",
            Vendor::HelpScout => "helpscout",
            Vendor::Crisp => "crisp",
            Vendor::Chatwoot => "chatwoot",
            Vendor::LiveChat => "livechat",
            Vendor::Tawk => "tawk",
            Vendor::HubSpot => "hubspot",
            Vendor::Freshchat => "freshchat",
        }
    }

    /// The product name a web developer knows.
    ///
    /// ```
    /// use pathlight::transport::vendors::Vendor;
    /// assert_eq!(Vendor::Zendesk.name(), "Zendesk messaging");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Intercom => "Intercom",
            Vendor::Zendesk => "Zendesk messaging",
            Vendor::HelpScout => "Help Scout Beacon",
            Vendor::Crisp => "Crisp",
            Vendor::Chatwoot => "Chatwoot",
            Vendor::LiveChat => "LiveChat",
            Vendor::Tawk => "tawk.to",
            Vendor::HubSpot => "HubSpot chat",
            Vendor::Freshchat => "Freshchat",
        }
    }

    /// The global the vendor's snippet defines on `window`.
    ///
    /// ```
    /// use pathlight::transport::vendors::Vendor;
    /// assert_eq!(Vendor::Tawk.global(), "Tawk_API");
    /// ```
    pub fn global(self) -> &'static str {
        match self {
            Vendor::Intercom => "Intercom",
            Vendor::Zendesk => "zE",
            Vendor::HelpScout => "Beacon",
            Vendor::Crisp => "$crisp",
            Vendor::Chatwoot => "$chatwoot",
            Vendor::LiveChat => "LiveChatWidget",
            Vendor::Tawk => "Tawk_API",
            Vendor::HubSpot => "HubSpotConversations",
            Vendor::Freshchat => "fcWidget",
        }
    }

    /// The attribute limits this adapter keeps to (documented, or a
    /// conservative cap where the vendor documents none).
    ///
    /// ```
    /// use pathlight::transport::vendors::{KeyStyle, Vendor};
    /// let l = Vendor::Tawk.limits();
    /// assert_eq!((l.max_attributes, l.max_value, l.keys), (50, 255, KeyStyle::Kebab));
    /// ```
    pub fn limits(self) -> Limits {
        match self {
            Vendor::Intercom => intercom::LIMITS,
            Vendor::Zendesk => zendesk::LIMITS,
            Vendor::HelpScout => helpscout::LIMITS,
            Vendor::Crisp => crisp::LIMITS,
            Vendor::Chatwoot => chatwoot::LIMITS,
            Vendor::LiveChat => livechat::LIMITS,
            Vendor::Tawk => tawk::LIMITS,
            Vendor::HubSpot => hubspot::LIMITS,
            Vendor::Freshchat => freshchat::LIMITS,
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `handoff.adapter` name that is not a supported vendor.
///
/// ```
/// use pathlight::transport::vendors::Vendor;
/// let e = Vendor::parse("olark").unwrap_err();
/// assert_eq!(e.name, "olark");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVendor {
    /// The name given (trimmed, at most 60 characters).
    pub name: String,
}

impl fmt::Display for UnknownVendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Vendor::ALL.iter().map(|v| v.as_str()).collect();
        write!(
            f,
            "unknown chat vendor \"{}\": expected one of {}",
            self.name,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownVendor {}

/// What to carry out: wait until [`Ready`], then make each [`Call`] in order.
///
/// ```
/// use pathlight::transport::vendors::{plan, Vendor};
/// let p = plan(Vendor::Chatwoot, &serde_json::json!({ "id": "h-1" }));
/// assert_eq!(p.vendor, Vendor::Chatwoot);
/// let calls: Vec<String> = p.calls.iter().map(|c| c.describe()).collect();
/// assert_eq!(calls, ["$chatwoot.setConversationCustomAttributes(…)", "$chatwoot.toggle('open')"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Whose API this is.
    pub vendor: Vendor,
    /// How to know the vendor's script has loaded.
    pub ready: Ready,
    /// The documented calls, in order; the last one opens the conversation.
    pub calls: Vec<Call>,
}

/// The vendor is ready when [`function`](Ready::function) resolves to a
/// function and, if given, [`loaded`](Ready::loaded) says so. Paths are dot
/// paths from `window`.
///
/// ```
/// use pathlight::transport::vendors::{plan, Loaded, Vendor};
/// let p = plan(Vendor::Tawk, &serde_json::json!({}));
/// assert_eq!(p.ready.function, "Tawk_API.setAttributes");
/// assert_eq!(p.ready.loaded, Some(Loaded::Flag("Tawk_API.onLoaded")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ready {
    /// A dot path that must resolve to a function.
    pub function: &'static str,
    /// An extra sign that the script finished loading, when the vendor's
    /// snippet defines a queueing stub under the same name.
    pub loaded: Option<Loaded>,
}

/// A sign that a vendor's script finished loading.
///
/// ```
/// use pathlight::transport::vendors::{plan, Loaded, Vendor};
/// let p = plan(Vendor::HelpScout, &serde_json::json!({}));
/// assert_eq!(p.ready.loaded, Some(Loaded::Call { function: "Beacon", args: &["info"] }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// This dot path is truthy.
    Flag(&'static str),
    /// Calling this function with these string arguments returns something
    /// truthy without throwing.
    Call {
        /// Dot path of the function.
        function: &'static str,
        /// Its arguments.
        args: &'static [&'static str],
    },
}

/// One documented call: `target(...args)` with `this` = the target's parent.
///
/// ```
/// use pathlight::transport::vendors::{Call, Completion};
/// let c = Call::new("zE", &["messenger", "open"], vec![]);
/// assert_eq!(c.args, vec![serde_json::json!("messenger"), serde_json::json!("open")]);
/// assert_eq!(c.completion, Completion::Return);
/// assert_eq!(c.describe(), "zE('messenger', 'open')");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Dot path from `window`, e.g. `"Intercom"`, `"$crisp.push"`.
    pub target: &'static str,
    /// JSON arguments (objects become plain JS objects).
    pub args: Vec<Value>,
    /// How the call reports success or failure.
    pub completion: Completion,
    /// The call for messages, built only from the target and the method
    /// names, never from data.
    label: String,
}

/// How a call reports its outcome.
///
/// ```
/// use pathlight::transport::vendors::{Call, Completion};
/// let c = Call::new("Tawk_API.addEvent", &["pathlight-handoff"], vec![]).with_callback();
/// assert_eq!(c.completion, Completion::Callback);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// By returning (or throwing); a returned Promise is awaited.
    Return,
    /// By calling a `function(error)` appended to the arguments; a truthy
    /// `error` is a failure. A callback that never comes is not a failure.
    Callback,
}

fn quoted(verbs: &[&str]) -> Vec<String> {
    verbs.iter().map(|v| format!("'{v}'")).collect()
}

impl Call {
    /// `target(...verbs, ...data)`: the verbs are the method names (shown in
    /// messages), the data is what is attached (never shown).
    ///
    /// ```
    /// use pathlight::transport::vendors::Call;
    /// let c = Call::new("LiveChatWidget.call", &["set_customer_name"], vec!["Ada".into()]);
    /// assert_eq!(c.args.len(), 2);
    /// assert_eq!(c.describe(), "LiveChatWidget.call('set_customer_name', …)");
    /// ```
    pub fn new(target: &'static str, verbs: &[&'static str], data: Vec<Value>) -> Call {
        let mut shown = quoted(verbs);
        if !data.is_empty() {
            shown.push("…".into());
        }
        let label = format!("{target}({})", shown.join(", "));
        let mut args: Vec<Value> = verbs.iter().map(|v| Value::from(*v)).collect();
        args.extend(data);
        Call {
            target,
            args,
            completion: Completion::Return,
            label,
        }
    }

    /// `target([...verbs, ...data])`: one command array, as queue APIs such
    /// as `$crisp.push` and `_hsq.push` take it.
    ///
    /// ```
    /// use pathlight::transport::vendors::Call;
    /// let c = Call::push("$crisp.push", &["set", "user:email"], vec![serde_json::json!(["ada@example.com"])]);
    /// assert_eq!(c.args, vec![serde_json::json!(["set", "user:email", ["ada@example.com"]])]);
    /// assert_eq!(c.describe(), "$crisp.push(['set', 'user:email', …])");
    /// ```
    pub fn push(target: &'static str, verbs: &[&'static str], data: Vec<Value>) -> Call {
        let inner = Call::new(target, verbs, data);
        let shown = inner.label[target.len() + 1..inner.label.len() - 1].to_string();
        Call {
            target,
            args: vec![Value::Array(inner.args)],
            completion: Completion::Return,
            label: format!("{target}([{shown}])"),
        }
    }

    /// The same call, reporting through a `function(error)` last argument.
    ///
    /// ```
    /// use pathlight::transport::vendors::{Call, Completion};
    /// let c = Call::new("Tawk_API.setAttributes", &[], vec![serde_json::json!({ "a": "b" })]).with_callback();
    /// assert_eq!(c.completion, Completion::Callback);
    /// assert_eq!(c.describe(), "Tawk_API.setAttributes(…)");
    /// ```
    pub fn with_callback(mut self) -> Call {
        self.completion = Completion::Callback;
        self
    }

    /// A short JS-like description for error messages: the target and its
    /// method names. Data (names, emails, messages, attribute objects) is
    /// never shown, so it cannot leak into a console.
    ///
    /// ```
    /// use pathlight::transport::vendors::Call;
    /// let c = Call::new("Intercom", &["update"], vec![serde_json::json!({ "email": "ada@example.com" })]);
    /// assert_eq!(c.describe(), "Intercom('update', …)");
    /// ```
    pub fn describe(&self) -> String {
        self.label.clone()
    }
}

/// Account-specific settings some vendors need; everything works without.
///
/// ```
/// use pathlight::transport::vendors::{plan_with, Options, Vendor};
/// let options = Options { zendesk_summary_field: Some("360012345678".into()), ..Options::default() };
/// let p = plan_with(Vendor::Zendesk, &serde_json::json!({ "summary": "Hi" }), &options);
/// assert_eq!(p.calls[0].args[1], "conversationFields");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Zendesk ticket field id (digits) that receives the summary. Zendesk
    /// conversation fields are addressed by numeric ids only the account
    /// knows; without one, the plan uses conversation tags only.
    pub zendesk_summary_field: Option<String>,
    /// Zendesk ticket field id (digits) that receives the handoff id.
    pub zendesk_handoff_field: Option<String>,
}

/// The plan for `vendor` with default [`Options`].
///
/// ```
/// use pathlight::transport::vendors::{plan, Vendor};
/// let p = plan(Vendor::Intercom, &serde_json::json!({ "message": "Help" }));
/// assert_eq!(p.calls.last().unwrap().args, vec![serde_json::json!("showNewMessage"), serde_json::json!("Help")]);
/// ```
pub fn plan(vendor: Vendor, payload: &Value) -> Plan {
    plan_with(vendor, payload, &Options::default())
}

/// The plan for `vendor`, attaching `payload` (handoff payload v1 as JSON).
///
/// ```
/// use pathlight::transport::vendors::{plan_with, Options, Vendor};
/// let p = plan_with(Vendor::Zendesk, &serde_json::json!({}), &Options::default());
/// assert_eq!(p.calls.last().unwrap().describe(), "zE('messenger', 'open')");
/// ```
pub fn plan_with(vendor: Vendor, payload: &Value, options: &Options) -> Plan {
    let ctx = context::Context::read(payload);
    let (ready, calls) = match vendor {
        Vendor::Intercom => intercom::plan(&ctx),
        Vendor::Zendesk => zendesk::plan(&ctx, options),
        Vendor::HelpScout => helpscout::plan(&ctx),
        Vendor::Crisp => crisp::plan(&ctx),
        Vendor::Chatwoot => chatwoot::plan(&ctx),
        Vendor::LiveChat => livechat::plan(&ctx),
        Vendor::Tawk => tawk::plan(&ctx),
        Vendor::HubSpot => hubspot::plan(&ctx),
        Vendor::Freshchat => freshchat::plan(&ctx),
    };
    Plan {
        vendor,
        ready,
        calls,
    }
}

/// Why a plan could not be carried out. The UI shows an apology and the
/// alternative channel; [`message`](VendorError::message) is for the web
/// developer's console.
///
/// ```
/// use pathlight::transport::vendors::{Vendor, VendorError};
/// let e = VendorError::Absent { vendor: Vendor::Intercom, vendor_global: "Intercom" };
/// assert_eq!(e.message(), "Intercom is not on this page: window.Intercom is missing (blocked, or its script was not added)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VendorError {
    /// Nothing at the vendor's global after the timeout (an ad blocker, a
    /// consent tool, or the snippet is not on this page).
    Absent {
        /// Whose global is missing.
        vendor: Vendor,
        /// The missing global, e.g. `"Intercom"`.
        vendor_global: &'static str,
    },
    /// The vendor is on the page but did not become ready, or did not answer
    /// a call, in time.
    TimedOut {
        /// Which vendor.
        vendor: Vendor,
        /// What was awaited, e.g. `"window.Intercom.booted"`.
        waiting_for: String,
        /// How long we waited.
        waited_ms: Millis,
    },
    /// A call threw, rejected, or reported an error.
    Threw {
        /// Which vendor.
        vendor: Vendor,
        /// The call, as [`Call::describe`] shows it.
        call: String,
        /// The vendor's error message.
        message: String,
    },
}

impl VendorError {
    /// The vendor concerned.
    ///
    /// ```
    /// use pathlight::transport::vendors::{Vendor, VendorError};
    /// let e = VendorError::Absent { vendor: Vendor::Crisp, vendor_global: "$crisp" };
    /// assert_eq!(e.vendor(), Vendor::Crisp);
    /// ```
    pub fn vendor(&self) -> Vendor {
        match self {
            VendorError::Absent { vendor, .. }
            | VendorError::TimedOut { vendor, .. }
            | VendorError::Threw { vendor, .. } => *vendor,
        }
    }

    /// A sentence a web developer can act on.
    ///
    /// ```
    /// use pathlight::transport::vendors::{Vendor, VendorError};
    /// let e = VendorError::Threw { vendor: Vendor::Tawk, call: "Tawk_API.setAttributes(…)".into(), message: "SESSION_EXPIRED".into() };
    /// assert_eq!(e.message(), "tawk.to rejected Tawk_API.setAttributes(…): SESSION_EXPIRED");
    /// ```
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VendorError::Absent {
                vendor,
                vendor_global,
            } => write!(
                f,
                "{} is not on this page: window.{vendor_global} is missing (blocked, or its script was not added)",
                vendor.name()
            ),
            VendorError::TimedOut {
                vendor,
                waiting_for,
                waited_ms,
            } => write!(
                f,
                "{} did not get ready in {waited_ms} ms: still waiting for {waiting_for} (its script is slow, blocked, or the widget was never started)",
                vendor.name()
            ),
            VendorError::Threw {
                vendor,
                call,
                message,
            } => write!(f, "{} rejected {call}: {message}", vendor.name()),
        }
    }
}

impl std::error::Error for VendorError {}
