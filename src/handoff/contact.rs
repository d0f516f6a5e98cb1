//! How the visitor wants to be contacted: the channel they chose and the
//! details they gave. Every field is untrusted text from the handoff form;
//! [`Contact::cleaned`] trims it, drops control characters, caps it and
//! scrubs the free-text preferred time.

use super::text::{clean, clip};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A contact channel the visitor can choose.
///
/// ```
/// use pathlight::handoff::Channel;
/// assert_eq!(serde_json::to_value(Channel::Callback).unwrap(), "callback");
/// assert_eq!(Channel::default(), Channel::Chat);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A live chat (the default).
    #[default]
    Chat,
    /// An email reply.
    Email,
    /// A text message.
    Sms,
    /// A phone call back.
    Callback,
}

impl Channel {
    /// Every channel.
    ///
    /// ```
    /// assert_eq!(pathlight::handoff::Channel::ALL.len(), 4);
    /// ```
    pub const ALL: [Channel; 4] = [
        Channel::Chat,
        Channel::Email,
        Channel::Sms,
        Channel::Callback,
    ];

    /// The name used in the config and the payload.
    ///
    /// ```
    /// assert_eq!(pathlight::handoff::Channel::Sms.as_str(), "sms");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Callback => "callback",
        }
    }

    /// The channel named `name` (exactly as [`Channel::as_str`] spells it).
    ///
    /// ```
    /// use pathlight::handoff::Channel;
    /// assert_eq!(Channel::parse("callback"), Some(Channel::Callback));
    /// assert_eq!(Channel::parse("fax"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// Longest contact name kept, in bytes.
const MAX_NAME: usize = 200;
/// Longest email address kept, in bytes.
const MAX_EMAIL: usize = 254;
/// Longest phone number kept, in bytes.
const MAX_PHONE: usize = 64;
/// Longest preferred time kept, in bytes.
const MAX_PREFERRED_TIME: usize = 200;

/// How the visitor wants to be contacted.
///
/// ```
/// use pathlight::handoff::{Channel, Contact};
/// let c = Contact { phone: Some("+1 555 0100".into()), ..Contact::new(Channel::Sms) };
/// assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"channel":"sms","phone":"+1 555 0100"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// The channel the visitor chose; always honoured.
    pub channel: Channel,
    /// Their name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Their email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Their phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// When they would like to be called or written to, in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_time: Option<String>,
}

impl Contact {
    /// A contact by `channel` with no details yet.
    ///
    /// ```
    /// use pathlight::handoff::{Channel, Contact};
    /// let c = Contact::new(Channel::Email);
    /// assert_eq!(c.channel, Channel::Email);
    /// assert_eq!(c.email, None);
    /// ```
    pub fn new(channel: Channel) -> Contact {
        Contact {
            channel,
            ..Contact::default()
        }
    }

    /// The same contact with every field trimmed, control characters
    /// replaced by spaces, capped (name and preferred time 200 bytes, email
    /// 254, phone 64) and empty fields `None`.
    /// The preferred time is free text and is scrubbed of personal data;
    /// name, email and phone are not (the visitor gave them to be contacted).
    ///
    /// ```
    /// use pathlight::handoff::{Channel, Contact};
    /// let c = Contact {
    ///     name: Some("  Dana\u{0}Levi ".into()),
    ///     phone: Some("   ".into()),
    ///     ..Contact::new(Channel::Callback)
    /// }
    /// .cleaned();
    /// assert_eq!(c.name.as_deref(), Some("Dana Levi"));
    /// assert_eq!(c.phone, None);
    /// ```
    pub fn cleaned(self) -> Contact {
        Contact {
            channel: self.channel,
            name: tidy(self.name, MAX_NAME),
            email: tidy(self.email, MAX_EMAIL),
            phone: tidy(self.phone, MAX_PHONE),
            // Free text: scrubbed like everything else the visitor typed.
            preferred_time: self
                .preferred_time
                .map(|t| clean(t.trim(), MAX_PREFERRED_TIME))
                .filter(|t| !t.is_empty()),
        }
    }

    /// Fill the details the visitor did not give from `identify` attributes
    /// (`name`, `email`, `phone`, when they are non-empty strings). What the
    /// visitor typed wins; the channel is never changed.
    ///
    /// ```
    /// use pathlight::handoff::{Channel, Contact};
    /// let attrs = serde_json::json!({"email": "dana@shop.example", "name": "Dana", "phone": 5});
    /// let c = Contact { name: Some("D. Levi".into()), ..Contact::new(Channel::Email) }
    ///     .filled_from(attrs.as_object().unwrap());
    /// assert_eq!(c.email.as_deref(), Some("dana@shop.example"));
    /// assert_eq!(c.name.as_deref(), Some("D. Levi"));
    /// assert_eq!(c.phone, None);
    /// ```
    pub fn filled_from(mut self, attributes: &Map<String, Value>) -> Contact {
        let from = |key: &str, max: usize| {
            let v = attributes.get(key)?.as_str()?;
            tidy(Some(v.to_string()), max)
        };
        if self.name.is_none() {
            self.name = from("name", MAX_NAME);
        }
        if self.email.is_none() {
            self.email = from("email", MAX_EMAIL);
        }
        if self.phone.is_none() {
            self.phone = from("phone", MAX_PHONE);
        }
        self
    }
}

/// Trimmed, control characters as spaces, capped; `None` when empty.
fn tidy(value: Option<String>, max: usize) -> Option<String> {
    let v = value?;
    let plain: String = v
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let t = plain.trim();
    (!t.is_empty()).then(|| clip(t, max))
}
