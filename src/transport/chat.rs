//! The built-in chat, decided without a browser: the addresses of a
//! conversation, what a server-sent message means (untrusted: checked and
//! clipped), and the thread the widget shows, which never shows a message
//! twice and knows which ones the visitor has not seen.
//!
//! The protocol is in `docs/server.md`; `web/chat.rs` carries it out.
//!
//! ```
//! use pathlight::transport::chat::{events_url, parse_message, From, Thread};
//!
//! assert_eq!(events_url("/api/chat", "h1"), "/api/chat/h1/events");
//! let m = parse_message(r#"{"id": 3, "from": "agent", "name": "Dana", "text": "Hi!", "at": 5}"#).unwrap();
//! assert_eq!((m.from, m.name.as_deref()), (From::Agent, Some("Dana")));
//!
//! let mut t = Thread::new(0);
//! assert!(t.add(m.clone()));
//! assert!(!t.add(m)); // a replay after reconnecting
//! assert_eq!(t.unseen_from_agent(), 1);
//! ```

use crate::time::Millis;
use serde_json::Value;

/// Longest message, in characters (the server refuses more).
pub const MAX_TEXT: usize = 2000;
/// Longest agent name shown, in characters.
pub const MAX_NAME: usize = 80;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// The team.
    Agent,
    /// The visitor.
    Visitor,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The server's id: increasing within a conversation.
    pub id: u64,
    /// Who wrote it.
    pub from: From,
    /// The agent's name, when the server gives one.
    pub name: Option<String>,
    /// What they wrote (plain text, shown as text).
    pub text: String,
    /// When, in ms since the epoch.
    pub at: Millis,
}

/// `{base}/{id}/events`: the conversation's event stream.
pub fn events_url(base: &str, id: &str) -> String {
    [base, "/", id, "/events"].concat()
}

/// `{base}/{id}/messages`: where the visitor's messages are POSTed.
///
/// ```
/// assert_eq!(pathlight::transport::chat::messages_url("/api/chat", "h1"), "/api/chat/h1/messages");
/// ```
pub fn messages_url(base: &str, id: &str) -> String {
    [base, "/", id, "/messages"].concat()
}

/// A `message` event's data, or why it is not one. Text and name are
/// clipped; control characters other than newlines are dropped.
///
/// ```
/// use pathlight::transport::chat::parse_message;
/// assert!(parse_message("{}").is_err());
/// assert!(parse_message(r#"{"id": 1, "from": "bot", "text": "x", "at": 1}"#).is_err());
/// let m = parse_message(r#"{"id": 1, "from": "visitor", "text": "a\u0007b", "at": 1}"#).unwrap();
/// assert_eq!(m.text, "ab");
/// ```
pub fn parse_message(data: &str) -> Result<Message, &'static str> {
    let v: Value = serde_json::from_str(data).map_err(|_| "chat message: the data is not JSON")?;
    let id = v
        .get("id")
        .and_then(Value::as_u64)
        .ok_or("chat message: 'id' must be a whole number")?;
    let from = match v.get("from").and_then(Value::as_str) {
        Some("agent") => From::Agent,
        Some("visitor") => From::Visitor,
        _ => return Err("chat message: 'from' must be 'agent' or 'visitor'"),
    };
    let text = v
        .get("text")
        .and_then(Value::as_str)
        .map(|t| clean(t, MAX_TEXT))
        .filter(|t| !t.trim().is_empty())
        .ok_or("chat message: 'text' must be a non-empty string")?;
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .map(|n| clean(n, MAX_NAME))
        .filter(|n| !n.trim().is_empty());
    let at = v.get("at").and_then(Value::as_u64).unwrap_or(0);
    Ok(Message {
        id,
        from,
        name,
        text,
        at,
    })
}

fn clean(s: &str, max: usize) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(max)
        .collect()
}

/// The messages of one conversation, in id order, each once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Thread {
    messages: Vec<Message>,
    /// The highest id the visitor has seen (persisted across pages).
    seen: u64,
}

impl Thread {
    /// An empty thread where messages up to `seen` were already seen.
    pub fn new(seen: u64) -> Thread {
        Thread {
            messages: Vec::new(),
            seen,
        }
    }

    /// Add `m`; false when it is already there (replays after a reconnect).
    pub fn add(&mut self, m: Message) -> bool {
        match self.messages.binary_search_by_key(&m.id, |x| x.id) {
            Ok(_) => false,
            Err(i) => {
                self.messages.insert(i, m);
                true
            }
        }
    }

    /// The messages, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The agent's messages the visitor has not seen yet.
    pub fn unseen_from_agent(&self) -> usize {
        self.messages
            .iter()
            .filter(|m| m.from == From::Agent && m.id > self.seen)
            .count()
    }

    /// The visitor has seen everything shown.
    pub fn mark_seen(&mut self) {
        if let Some(last) = self.messages.last() {
            self.seen = self.seen.max(last.id);
        }
    }

    /// The highest id seen.
    pub fn seen(&self) -> u64 {
        self.seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: u64, from: From) -> Message {
        Message {
            id,
            from,
            name: None,
            text: "x".into(),
            at: id,
        }
    }

    #[test]
    fn keeps_id_order_whatever_the_arrival_order() {
        let mut t = Thread::new(0);
        for id in [5, 2, 9, 2, 5, 1] {
            t.add(msg(id, From::Agent));
        }
        let ids: Vec<u64> = t.messages().iter().map(|m| m.id).collect();
        assert_eq!(ids, [1, 2, 5, 9]);
    }

    #[test]
    fn unseen_counts_only_new_agent_messages() {
        let mut t = Thread::new(4);
        t.add(msg(3, From::Agent));
        t.add(msg(5, From::Visitor));
        t.add(msg(6, From::Agent));
        t.add(msg(7, From::Agent));
        assert_eq!(t.unseen_from_agent(), 2);
        t.mark_seen();
        assert_eq!((t.unseen_from_agent(), t.seen()), (0, 7));
    }

    #[test]
    fn hostile_data_is_refused_or_clipped() {
        let long = "é".repeat(5000);
        let data =
            serde_json::json!({"id": 1, "from": "agent", "name": long, "text": long, "at": 1});
        let m = parse_message(&data.to_string()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.text.chars().count(), MAX_TEXT);
        assert_eq!(m.name.map(|n| n.chars().count()), Some(MAX_NAME));
        for bad in [
            "",
            "null",
            "[]",
            r#"{"id": -1, "from": "agent", "text": "x"}"#,
            r#"{"id": 1, "from": "agent", "text": "   "}"#,
            r#"{"id": 1, "from": "agent", "text": 5}"#,
        ] {
            assert!(parse_message(bad).is_err(), "{bad}");
        }
    }
}
