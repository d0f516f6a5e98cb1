//! The `handoff` section of the config: which contact channels the visitor
//! may choose, the agent's language, the payload's size bound, and how the
//! payload travels (webhook, chat adapter) with a fallback when it cannot.

use crate::handoff::Channel;
use crate::time::Millis;
use crate::validate::{closest, Path, Reader};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The smallest `maxBytes` allowed.
///
/// ```
/// assert_eq!(pathlight::config::handoff::MIN_PAYLOAD_BYTES, 4096);
/// ```
pub const MIN_PAYLOAD_BYTES: usize = 4096;
/// The largest `maxBytes` allowed (a payload must fit in one `sendBeacon`).
///
/// ```
/// assert_eq!(pathlight::config::handoff::MAX_PAYLOAD_BYTES, 60_000);
/// ```
pub const MAX_PAYLOAD_BYTES: usize = 60_000;
/// The default `maxBytes`.
///
/// ```
/// assert_eq!(pathlight::config::handoff::DEFAULT_PAYLOAD_BYTES, 32_768);
/// ```
pub const DEFAULT_PAYLOAD_BYTES: usize = 32_768;

/// The keys of the `handoff` section.
///
/// ```
/// assert!(pathlight::config::handoff::HANDOFF_KEYS.contains(&"agentLocale"));
/// ```
pub const HANDOFF_KEYS: &[&str] = &[
    "channels",
    "agentLocale",
    "maxBytes",
    "webhook",
    "adapter",
    "adapterTimeoutSeconds",
    "fallback",
    "chat",
];
/// The keys of `handoff.webhook`.
///
/// ```
/// assert!(pathlight::config::handoff::WEBHOOK_KEYS.contains(&"maxAttempts"));
/// ```
pub const WEBHOOK_KEYS: &[&str] = &["url", "timeoutSeconds", "maxAttempts", "maxAgeHours"];
/// The keys of `handoff.chat`.
///
/// ```
/// assert_eq!(pathlight::config::handoff::CHAT_KEYS, ["url"]);
/// ```
pub const CHAT_KEYS: &[&str] = &["url"];
/// The keys of `handoff.fallback`.
///
/// ```
/// assert_eq!(pathlight::config::handoff::FALLBACK_KEYS, ["email", "phone", "url"]);
/// ```
pub const FALLBACK_KEYS: &[&str] = &["email", "phone", "url"];

/// The language the agent summary is written in.
///
/// ```
/// use pathlight::config::AgentLocale;
/// assert_eq!(AgentLocale::default(), AgentLocale::En);
/// assert_eq!(serde_json::to_value(AgentLocale::He).unwrap(), "he");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentLocale {
    /// English (the default).
    #[default]
    En,
    /// Tagalog.
    Tl,
    /// Belarusian.
    Be,
    /// Turkish.
    Tr,
    /// Hebrew.
    He,
    /// Malay.
    Ms,
}

impl AgentLocale {
    /// Every summary language.
    ///
    /// ```
    /// assert_eq!(pathlight::config::AgentLocale::ALL.len(), 6);
    /// ```
    pub const ALL: [AgentLocale; 6] = [
        AgentLocale::En,
        AgentLocale::Tl,
        AgentLocale::Be,
        AgentLocale::Tr,
        AgentLocale::He,
        AgentLocale::Ms,
    ];

    /// The language tag (`"he"`).
    ///
    /// ```
    /// assert_eq!(pathlight::config::AgentLocale::Tr.as_str(), "tr");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            AgentLocale::En => "en",
            AgentLocale::Tl => "tl",
            AgentLocale::Be => "be",
            AgentLocale::Tr => "tr",
            AgentLocale::He => "he",
            AgentLocale::Ms => "ms",
        }
    }

    /// The language tagged `tag`, exactly as [`AgentLocale::as_str`] spells it.
    ///
    /// ```
    /// use pathlight::config::AgentLocale;
    /// assert_eq!(AgentLocale::parse("he"), Some(AgentLocale::He));
    /// assert_eq!(AgentLocale::parse("fr"), None);
    /// ```
    pub fn parse(tag: &str) -> Option<AgentLocale> {
        AgentLocale::ALL.into_iter().find(|l| l.as_str() == tag)
    }
}

/// A chat tool the handoff can open with the context attached: the
/// transport's own [`Vendor`](crate::transport::vendors::Vendor), so the
/// names the config accepts are exactly the adapters that exist.
///
/// ```
/// let c = pathlight::Config::from_json(r#"{"version": 1, "triggers": [], "handoff": {"adapter": "crisp"}}"#).unwrap();
/// assert_eq!(c.handoff.adapter, Some(pathlight::config::Adapter::Crisp));
/// ```
pub use crate::transport::vendors::Vendor as Adapter;

/// `handoff.webhook`: where the payload is POSTed, and how hard to try.
///
/// ```
/// let c = pathlight::Config::from_json(r#"{"version": 1, "triggers": [],
///   "handoff": {"webhook": {"url": "/support/handoff", "maxAttempts": 3}}}"#).unwrap();
/// let w = c.handoff.webhook.unwrap();
/// assert_eq!((w.url.as_str(), w.max_attempts, w.timeout), ("/support/handoff", 3, 10_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// `https://…`, `http://localhost…` or a same-site `/path`.
    pub url: String,
    /// How long one attempt may take (`timeoutSeconds`, default 10 s).
    pub timeout: Millis,
    /// Attempts before giving up (`maxAttempts`, default 8).
    pub max_attempts: u32,
    /// A payload older than this is dropped, not retried (`maxAgeHours`,
    /// default 24 h).
    pub max_age: Millis,
}

impl WebhookConfig {
    /// A webhook to `url` with the default timeout, attempts and age.
    ///
    /// ```
    /// let w = pathlight::config::WebhookConfig::new("/support/handoff");
    /// assert_eq!((w.timeout, w.max_attempts, w.max_age), (10_000, 8, 86_400_000));
    /// ```
    pub fn new(url: &str) -> WebhookConfig {
        WebhookConfig {
            url: url.to_string(),
            timeout: 10_000,
            max_attempts: 8,
            max_age: 24 * 3_600_000,
        }
    }
}

/// `handoff.fallback`: what the visitor is offered when the handoff fails.
///
/// ```
/// let c = pathlight::Config::from_json(r#"{"version": 1, "triggers": [],
///   "handoff": {"fallback": {"email": "help@shop.example"}}}"#).unwrap();
/// assert_eq!(c.handoff.fallback.unwrap().email.as_deref(), Some("help@shop.example"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Fallback {
    /// An email address to write to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A phone number to call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A contact page (a safe link, see [`crate::links::is_safe_link`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The `handoff` section.
///
/// ```
/// let c = pathlight::Config::from_json(r#"{"version": 1, "triggers": [],
///   "handoff": {"channels": ["chat", "sms"], "agentLocale": "he", "maxBytes": 8192}}"#).unwrap();
/// assert_eq!(c.handoff.channels, [pathlight::handoff::Channel::Chat, pathlight::handoff::Channel::Sms]);
/// assert_eq!(c.handoff.agent_locale.as_str(), "he");
/// assert_eq!(c.handoff.max_bytes, 8192);
/// assert_eq!(pathlight::Config::default().handoff.max_bytes, 32_768);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffConfig {
    /// The contact channels the visitor may choose, in config order.
    pub channels: Vec<Channel>,
    /// The language of the agent summary.
    pub agent_locale: AgentLocale,
    /// The largest serialised payload, in bytes.
    pub max_bytes: usize,
    /// Where the payload is POSTed, if anywhere.
    pub webhook: Option<WebhookConfig>,
    /// The chat tool to open, if any.
    pub adapter: Option<Adapter>,
    /// How long the chat tool may take to load and open.
    pub adapter_timeout: Millis,
    /// What to offer when the handoff fails.
    pub fallback: Option<Fallback>,
    /// The built-in chat's address (`handoff.chat.url`), if the team runs
    /// one: after the webhook delivers, the visitor and the agent talk
    /// through `{url}/{handoffId}/events` and `{url}/{handoffId}/messages`
    /// (see `docs/server.md`).
    pub chat: Option<String>,
}

impl Default for HandoffConfig {
    fn default() -> Self {
        HandoffConfig {
            channels: vec![Channel::Chat, Channel::Email],
            agent_locale: AgentLocale::En,
            max_bytes: DEFAULT_PAYLOAD_BYTES,
            webhook: None,
            adapter: None,
            adapter_timeout: 5_000,
            fallback: None,
            chat: None,
        }
    }
}

impl HandoffConfig {
    /// Is `channel` one of the enabled channels?
    ///
    /// ```
    /// use pathlight::handoff::Channel;
    /// let h = pathlight::config::HandoffConfig::default();
    /// assert!(h.allows(Channel::Email));
    /// assert!(!h.allows(Channel::Sms));
    /// ```
    pub fn allows(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }
}

/// Read the `handoff` section at `at`, recording every problem in `r`.
pub(crate) fn parse(r: &mut Reader, at: &Path, value: &Value) -> HandoffConfig {
    let mut h = HandoffConfig::default();
    let Some(map) = r.object(at, value) else {
        return h;
    };
    r.unknown_keys(at, map, HANDOFF_KEYS);
    if let Some(v) = map.get("channels") {
        if let Some(channels) = channels(r, &Path::Key(at, "channels"), v) {
            h.channels = channels;
        }
    }
    if let Some(v) = map.get("agentLocale") {
        let p = Path::Key(at, "agentLocale");
        let names: Vec<&str> = AgentLocale::ALL.iter().map(|l| l.as_str()).collect();
        if let Some(s) = one_of(r, &p, v, &names) {
            h.agent_locale = AgentLocale::parse(s).unwrap_or_default();
        }
    }
    if let Some(n) = r.opt_uint(
        &Path::Key(at, "maxBytes"),
        map.get("maxBytes"),
        MIN_PAYLOAD_BYTES as u64,
        MAX_PAYLOAD_BYTES as u64,
    ) {
        h.max_bytes = n as usize;
    }
    if let Some(v) = map.get("webhook") {
        h.webhook = webhook(r, &Path::Key(at, "webhook"), v);
    }
    if let Some(v) = map.get("adapter") {
        let p = Path::Key(at, "adapter");
        let names: Vec<&str> = Adapter::ALL.iter().map(|a| a.as_str()).collect();
        h.adapter = one_of(r, &p, v, &names).and_then(|n| Adapter::parse(n).ok());
    }
    if let Some(n) = r.opt_uint(
        &Path::Key(at, "adapterTimeoutSeconds"),
        map.get("adapterTimeoutSeconds"),
        1,
        30,
    ) {
        h.adapter_timeout = n * 1000;
    }
    if let Some(v) = map.get("fallback") {
        h.fallback = fallback(r, &Path::Key(at, "fallback"), v);
    }
    if let Some(v) = map.get("chat") {
        h.chat = chat(r, &Path::Key(at, "chat"), v);
    }
    if h.chat.is_some() && h.webhook.is_none() {
        r.problem_hint(
            &Path::Key(at, "chat"),
            "needs `handoff.webhook`: the chat continues the conversation the webhook opened",
            "add \"webhook\": {\"url\": \"/api/handoffs\"}".into(),
        );
    }
    h
}

/// `handoff.chat`: `{"url": "/api/chat"}`, an address like a webhook's.
fn chat(r: &mut Reader, at: &Path, v: &Value) -> Option<String> {
    let map = r.object(at, v)?;
    r.unknown_keys(at, map, CHAT_KEYS);
    let p = Path::Key(at, "url");
    let url = r.string(&p, map.get("url"), 2048)?;
    if !is_webhook_url(&url) {
        r.problem_hint(
            &p,
            "is not a chat address",
            "use https://…, http://localhost… while developing, or a /path on this site".into(),
        );
        return None;
    }
    Some(url.trim_end_matches('/').to_string())
}

/// A string that must be one of `allowed`, with a "did you mean" hint.
fn one_of<'v>(r: &mut Reader, at: &Path, v: &'v Value, allowed: &[&str]) -> Option<&'v str> {
    let Some(s) = v.as_str() else {
        r.expected(at, "a string", v);
        return None;
    };
    if allowed.contains(&s) {
        return Some(s);
    }
    let hint = match closest(s, allowed) {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("use one of: {}", allowed.join(", ")),
    };
    r.problem_hint(
        at,
        format!("unknown value `{}`", crate::handoff::text::clip(s, 64)),
        hint,
    );
    None
}

fn channels(r: &mut Reader, at: &Path, v: &Value) -> Option<Vec<Channel>> {
    let Value::Array(items) = v else {
        r.expected(at, "an array of channels", v);
        return None;
    };
    if items.is_empty() {
        r.problem_hint(
            at,
            "must enable at least one channel",
            "use [\"chat\"]".into(),
        );
        return None;
    }
    let names: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = Path::Index(at, i);
        match one_of(r, &p, item, &names).and_then(Channel::parse) {
            Some(c) if out.contains(&c) => {
                r.problem(&p, format!("duplicate channel `{}`", c.as_str()));
                ok = false;
            }
            Some(c) => out.push(c),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Is `url` a webhook address: `https://host…`, `http://localhost…` (or
/// `127.0.0.1`, `[::1]`) for development, or a same-site `/path`?
///
/// ```
/// use pathlight::config::is_webhook_url;
/// assert!(is_webhook_url("https://hooks.shop.example/pathlight"));
/// assert!(is_webhook_url("http://localhost:8080/handoff"));
/// assert!(is_webhook_url("/api/handoff"));
/// assert!(!is_webhook_url("http://shop.example/handoff"));
/// assert!(!is_webhook_url("//evil.example/x"));
/// assert!(!is_webhook_url("https:///no-host"));
/// ```
pub fn is_webhook_url(url: &str) -> bool {
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    if let Some(rest) = url.strip_prefix("https://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        return !host.is_empty() && !host.contains('\\');
    }
    if let Some(rest) = url.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let name = match host.rsplit_once(':') {
            Some((h, port)) if !h.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host,
        };
        return matches!(name, "localhost" | "127.0.0.1" | "[::1]");
    }
    url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\")
}

fn webhook(r: &mut Reader, at: &Path, v: &Value) -> Option<WebhookConfig> {
    let map = r.object(at, v)?;
    r.unknown_keys(at, map, WEBHOOK_KEYS);
    let p = Path::Key(at, "url");
    let url = r.string(&p, map.get("url"), 2048)?;
    if !is_webhook_url(&url) {
        r.problem_hint(
            &p,
            "is not a webhook address",
            "use https://…, http://localhost… while developing, or a /path on this site".into(),
        );
        return None;
    }
    let mut w = WebhookConfig::new(&url);
    let n = |r: &mut Reader, key: &str, min: u64, max: u64| {
        r.opt_uint(&Path::Key(at, key), map.get(key), min, max)
    };
    if let Some(s) = n(r, "timeoutSeconds", 1, 60) {
        w.timeout = s * 1000;
    }
    if let Some(a) = n(r, "maxAttempts", 1, 50) {
        w.max_attempts = a as u32;
    }
    if let Some(h) = n(r, "maxAgeHours", 1, 168) {
        w.max_age = h * 3_600_000;
    }
    Some(w)
}

fn fallback(r: &mut Reader, at: &Path, v: &Value) -> Option<Fallback> {
    let map: &Map<String, Value> = r.object(at, v)?;
    r.unknown_keys(at, map, FALLBACK_KEYS);
    if !FALLBACK_KEYS.iter().any(|k| map.contains_key(*k)) {
        r.problem_hint(
            at,
            "needs at least one of `email`, `phone` or `url`",
            "add \"email\": \"help@shop.example\"".into(),
        );
        return None;
    }
    let mut f = Fallback::default();
    let p = Path::Key(at, "email");
    if let Some(e) = r.opt_string(&p, map.get("email"), 254) {
        if is_email(&e) {
            f.email = Some(e);
        } else {
            r.problem(&p, "is not an email address");
        }
    }
    let p = Path::Key(at, "phone");
    if let Some(s) = r.opt_string(&p, map.get("phone"), 32) {
        if is_phone(&s) {
            f.phone = Some(s);
        } else {
            r.problem_hint(
                &p,
                "is not a phone number",
                "use digits with optional +, spaces, dashes, dots and parentheses".into(),
            );
        }
    }
    let p = Path::Key(at, "url");
    if let Some(u) = r.opt_string(&p, map.get("url"), 2048) {
        if crate::links::is_safe_link(&u) {
            f.url = Some(u);
        } else {
            r.problem_hint(
                &p,
                "is not a safe link",
                "use https://…, mailto:, tel: or a /path on this site".into(),
            );
        }
    }
    Some(f)
}

/// One `@` between a non-empty local part and a dotted domain, no spaces.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Digits with an optional leading `+`, spaces, dashes, dots and
/// parentheses; at least 3 digits.
fn is_phone(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    body.chars().filter(char::is_ascii_digit).count() >= 3
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
}
