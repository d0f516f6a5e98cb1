//! Conversations and their messages in SQLite: the queries behind the
//! handoff webhook, the visitor chat and the agent inbox. Every function
//! runs on a blocking thread with the connection locked.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::{json, Value};

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    /// The person in the inbox.
    Agent,
    /// The visitor in the widget.
    Visitor,
}

impl Sender {
    fn as_str(self) -> &'static str {
        match self {
            Sender::Agent => "agent",
            Sender::Visitor => "visitor",
        }
    }
}

/// One chat message as the APIs send it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Message {
    /// Global, increasing: the SSE `id:`.
    pub id: i64,
    /// `"agent"` or `"visitor"`.
    pub from: &'static str,
    /// The agent's name (agent messages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What they wrote (trimmed).
    pub text: String,
    /// Epoch milliseconds.
    pub at: i64,
}

/// Whether a conversation is still open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Waiting for or in a chat.
    Open,
    /// Closed by the agent.
    Closed,
}

/// What storing a handoff did.
pub enum Handoff {
    /// A new conversation: the reply to send (and store) and its list item.
    New {
        /// The JSON reply body.
        reply: String,
        /// The inbox list item.
        item: Value,
    },
    /// The key was known: the first reply, unchanged.
    Replayed {
        /// The JSON reply body sent the first time.
        reply: String,
    },
}

/// What adding a message did.
pub enum Added {
    /// No conversation with that id.
    NotFound,
    /// The `clientId` was already used: the first message.
    Duplicate(Message),
    /// Stored: the message and the conversation's new list item.
    New {
        /// The stored message.
        message: Message,
        /// The inbox list item.
        item: Value,
    },
}

const MESSAGE_COLUMNS: &str = "seq, sender, name, text, at";
const CONVERSATION_COLUMNS: &str = "id, created_at, updated_at, status, payload";

fn message_from_row(row: &Row<'_>) -> rusqlite::Result<Message> {
    let sender: String = row.get(1)?;
    Ok(Message {
        id: row.get(0)?,
        from: if sender == "agent" {
            "agent"
        } else {
            "visitor"
        },
        name: row.get(2)?,
        text: row.get(3)?,
        at: row.get(4)?,
    })
}

struct Conversation {
    id: String,
    created_at: i64,
    updated_at: i64,
    status: String,
    payload: Value,
}

fn conversation_from_row(row: &Row<'_>) -> rusqlite::Result<Conversation> {
    let payload: String = row.get(4)?;
    Ok(Conversation {
        id: row.get(0)?,
        created_at: row.get(1)?,
        updated_at: row.get(2)?,
        status: row.get(3)?,
        payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
    })
}

/// The conversation's status; `None` when there is no such conversation.
pub fn status(conn: &Connection, id: &str) -> rusqlite::Result<Option<Status>> {
    let status: Option<String> = conn
        .query_row(
            "SELECT status FROM conversations WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(status.map(|s| {
        if s == "closed" {
            Status::Closed
        } else {
            Status::Open
        }
    }))
}

/// Open conversations no agent has answered yet.
fn queue_length(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) FROM conversations c WHERE c.status = 'open' AND NOT EXISTS
           (SELECT 1 FROM messages m WHERE m.conversation = c.id AND m.sender = 'agent')",
        [],
        |r| r.get(0),
    )
}

/// Stores a handoff under `id` (its idempotency key), or returns the reply
/// the key got the first time.
pub fn insert_handoff(
    conn: &mut Connection,
    id: &str,
    payload: &str,
    now: i64,
) -> rusqlite::Result<Handoff> {
    let tx = conn.transaction()?;
    let known: Option<String> = tx
        .query_row("SELECT reply FROM conversations WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(reply) = known {
        return Ok(Handoff::Replayed { reply });
    }
    tx.execute(
        "INSERT INTO conversations (id, created_at, updated_at, status, payload, reply)
         VALUES (?1, ?2, ?2, 'open', ?3, '')",
        params![id, now, payload],
    )?;
    let position = queue_length(&tx)?;
    let reply = json!({
        "status": "queued",
        "position": position,
        "waitSeconds": position * 120,
        "conversation": id,
    })
    .to_string();
    tx.execute(
        "UPDATE conversations SET reply = ?2 WHERE id = ?1",
        params![id, reply],
    )?;
    let item = list_item(&tx, id)?.unwrap_or(Value::Null);
    tx.commit()?;
    Ok(Handoff::New { reply, item })
}

/// The conversation's messages after message `after` (0: all), oldest first.
pub fn messages_after(conn: &Connection, id: &str, after: i64) -> rusqlite::Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation = ?1 AND seq > ?2 ORDER BY seq"
    ))?;
    let rows = stmt.query_map(params![id, after], message_from_row)?;
    rows.collect()
}

fn last_message(conn: &Connection, id: &str) -> rusqlite::Result<Option<Message>> {
    conn.query_row(
        &format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation = ?1 ORDER BY seq DESC LIMIT 1"),
        [id],
        message_from_row,
    )
    .optional()
}

/// The inbox list item of a conversation row.
fn item(conn: &Connection, c: &Conversation) -> rusqlite::Result<Value> {
    let last = last_message(conn, &c.id)?;
    // The handoff itself is the visitor's first word.
    let waiting = last.as_ref().is_none_or(|m| m.from == "visitor");
    let field = |v: Option<&Value>| v.filter(|v| v.is_string()).cloned().unwrap_or(Value::Null);
    let contact = c.payload.get("contact");
    let trigger = c
        .payload
        .get("trigger")
        .filter(|t| t.is_object())
        .cloned()
        .unwrap_or(Value::Null);
    Ok(json!({
        "id": c.id,
        "createdAt": c.created_at,
        "updatedAt": c.updated_at,
        "summary": field(c.payload.get("summary")),
        "message": field(c.payload.get("message")),
        "channel": field(contact.and_then(|c| c.get("channel"))),
        "name": field(contact.and_then(|c| c.get("name"))),
        "email": field(contact.and_then(|c| c.get("email"))),
        "phone": field(contact.and_then(|c| c.get("phone"))),
        "preferredTime": field(contact.and_then(|c| c.get("preferredTime"))),
        "trigger": trigger,
        "status": if c.status == "closed" { "closed" } else { "open" },
        "lastMessage": last,
        "waiting": waiting,
    }))
}

fn find(conn: &Connection, id: &str) -> rusqlite::Result<Option<Conversation>> {
    conn.query_row(
        &format!("SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?1"),
        [id],
        conversation_from_row,
    )
    .optional()
}

/// One conversation's inbox list item.
pub fn list_item(conn: &Connection, id: &str) -> rusqlite::Result<Option<Value>> {
    find(conn, id)?.map(|c| item(conn, &c)).transpose()
}

/// Every conversation's list item, newest activity first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations ORDER BY updated_at DESC, created_at DESC, id"
    ))?;
    let rows = stmt
        .query_map([], conversation_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.iter().map(|c| item(conn, c)).collect()
}

/// The list item plus the whole payload and every message.
pub fn detail(conn: &Connection, id: &str) -> rusqlite::Result<Option<Value>> {
    let Some(c) = find(conn, id)? else {
        return Ok(None);
    };
    let mut value = item(conn, &c)?;
    let messages = messages_after(conn, id, 0)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("payload".into(), c.payload);
        object.insert("messages".into(), json!(messages));
    }
    Ok(Some(value))
}

/// Adds a message to a conversation (reopening it when closed). A
/// `client_id` already used in this conversation adds nothing and returns
/// the first message.
pub fn add_message(
    conn: &mut Connection,
    conversation: &str,
    sender: Sender,
    name: Option<&str>,
    text: &str,
    client_id: Option<&str>,
    now: i64,
) -> rusqlite::Result<Added> {
    let tx = conn.transaction()?;
    if status(&tx, conversation)?.is_none() {
        return Ok(Added::NotFound);
    }
    if let Some(client_id) = client_id {
        let first = tx
            .query_row(
                &format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation = ?1 AND client_id = ?2"),
                params![conversation, client_id],
                message_from_row,
            )
            .optional()?;
        if let Some(first) = first {
            return Ok(Added::Duplicate(first));
        }
    }
    tx.execute(
        "INSERT INTO messages (conversation, sender, name, text, at, client_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![conversation, sender.as_str(), name, text, now, client_id],
    )?;
    let message = Message {
        id: tx.last_insert_rowid(),
        from: sender.as_str(),
        name: name.map(str::to_owned),
        text: text.to_owned(),
        at: now,
    };
    tx.execute(
        "UPDATE conversations SET updated_at = ?2, status = 'open' WHERE id = ?1",
        params![conversation, now],
    )?;
    let item = list_item(&tx, conversation)?.unwrap_or(Value::Null);
    tx.commit()?;
    Ok(Added::New { message, item })
}

/// Closes a conversation: `None` when there is none; else its list item
/// and whether it was open until now.
pub fn close(conn: &mut Connection, id: &str, now: i64) -> rusqlite::Result<Option<(Value, bool)>> {
    let tx = conn.transaction()?;
    let changed = match status(&tx, id)? {
        None => return Ok(None),
        Some(Status::Closed) => false,
        Some(Status::Open) => {
            tx.execute(
                "UPDATE conversations SET status = 'closed', updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            true
        }
    };
    let item = list_item(&tx, id)?.unwrap_or(Value::Null);
    tx.commit()?;
    Ok(Some((item, changed)))
}
