//! Server-sent events: the hub that fans changes out to open streams, and
//! the visitor's and the inbox's streams.

use crate::conversations::{self, Message};
use crate::db::Db;
use axum::response::sse::{Event, KeepAlive};
use futures_util::Stream;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};

/// How many changes a slow stream may fall behind before it skips (the
/// visitor's stream then catches up from the database).
const CAPACITY: usize = 256;

/// A change the streams may need to send.
#[derive(Clone, Debug)]
pub enum Change {
    /// A new message in a conversation.
    Message {
        /// The conversation id.
        conversation: Arc<str>,
        /// The message.
        message: Message,
    },
    /// A conversation's new list item (created or changed).
    Conversation(Arc<Value>),
    /// The agent closed a conversation.
    Closed {
        /// The conversation id.
        conversation: Arc<str>,
    },
}

/// Fans changes out to every open stream, and ends them all on shutdown.
#[derive(Clone)]
pub struct Hub {
    changes: broadcast::Sender<Change>,
    stop: Arc<watch::Sender<bool>>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    /// A hub with no streams.
    pub fn new() -> Self {
        let (changes, _) = broadcast::channel(CAPACITY);
        let (stop, _) = watch::channel(false);
        Hub {
            changes,
            stop: Arc::new(stop),
        }
    }

    /// Sends a change to every stream (none listening is fine).
    pub fn publish(&self, change: Change) {
        let _ = self.changes.send(change);
    }

    /// Ends every stream, now and from now on (graceful shutdown).
    pub fn shutdown(&self) {
        self.stop.send_replace(true);
    }

    fn listen(&self) -> (broadcast::Receiver<Change>, watch::Receiver<bool>) {
        (self.changes.subscribe(), self.stop.subscribe())
    }
}

/// The keep-alive comment (`: keep-alive`) every 15 s.
pub fn keep_alive() -> KeepAlive {
    KeepAlive::new()
        .interval(Duration::from_secs(15))
        .text("keep-alive")
}

fn json_event(kind: &str, data: &impl serde::Serialize) -> Event {
    Event::default()
        .event(kind)
        .data(serde_json::to_string(data).unwrap_or_else(|_| "{}".into()))
}

/// `event: message`, `id: <message id>`, the message as data.
pub fn message_event(message: &Message) -> Event {
    json_event("message", message).id(message.id.to_string())
}

/// `event: closed` with `{}`.
pub fn closed_event() -> Event {
    Event::default().event("closed").data("{}")
}

/// Resolves once the server shuts down.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // An error means the hub is gone: stop too.
    let _ = stop.wait_for(|stop| *stop).await;
}

/// A visitor's stream, subscribed before its replay is read so that
/// nothing falls between the two.
pub struct VisitorFeed {
    conversation: Arc<str>,
    last: i64,
    pending: VecDeque<Event>,
    changes: broadcast::Receiver<Change>,
    stop: watch::Receiver<bool>,
    db: Db,
}

impl VisitorFeed {
    /// Starts listening for `conversation`'s changes. Call before reading
    /// the replay from the database.
    pub fn subscribe(hub: &Hub, db: &Db, conversation: &str) -> Self {
        let (changes, stop) = hub.listen();
        VisitorFeed {
            conversation: conversation.into(),
            last: 0,
            pending: VecDeque::new(),
            changes,
            stop,
            db: db.clone(),
        }
    }

    /// Queues the replay (messages after the client's last id) and, when
    /// the conversation is already closed, `event: closed`.
    pub fn replay(&mut self, after: i64, messages: &[Message], closed: bool) {
        self.last = after;
        for message in messages {
            self.push(message);
        }
        if closed {
            self.pending.push_back(closed_event());
        }
    }

    fn push(&mut self, message: &Message) {
        if message.id > self.last {
            self.last = message.id;
            self.pending.push_back(message_event(message));
        }
    }

    /// The events: the replay, then live messages and `closed`, until the
    /// server shuts down.
    pub fn into_stream(self) -> impl Stream<Item = Result<Event, Infallible>> + Send {
        futures_util::stream::unfold(self, |mut feed| async move {
            loop {
                if let Some(event) = feed.pending.pop_front() {
                    return Some((Ok(event), feed));
                }
                tokio::select! {
                    biased;
                    () = stopped(&mut feed.stop) => return None,
                    change = feed.changes.recv() => match change {
                        Ok(Change::Message { conversation, message }) if conversation == feed.conversation => {
                            feed.push(&message);
                        }
                        Ok(Change::Closed { conversation }) if conversation == feed.conversation => {
                            feed.pending.push_back(closed_event());
                        }
                        Ok(_) => {}
                        Err(RecvError::Lagged(_)) => {
                            let (id, after) = (feed.conversation.to_string(), feed.last);
                            let missed = feed
                                .db
                                .call(move |conn| Ok(conversations::messages_after(conn, &id, after)?))
                                .await
                                .ok()?;
                            for message in &missed {
                                feed.push(message);
                            }
                        }
                        Err(RecvError::Closed) => return None,
                    },
                }
            }
        })
    }
}

/// The inbox's stream: `conversation` and `message` events as they happen,
/// until the server shuts down. Subscribes now.
pub fn inbox_stream(hub: &Hub) -> impl Stream<Item = Result<Event, Infallible>> + Send {
    let (changes, stop) = hub.listen();
    futures_util::stream::unfold((changes, stop), |(mut changes, mut stop)| async move {
        loop {
            let event = tokio::select! {
                biased;
                () = stopped(&mut stop) => return None,
                change = changes.recv() => match change {
                    Ok(Change::Conversation(item)) => json_event("conversation", &*item),
                    Ok(Change::Message { conversation, message }) => json_event(
                        "message",
                        &json!({ "conversation": &*conversation, "message": message }),
                    ),
                    // The conversation event that comes with it says so.
                    Ok(Change::Closed { .. }) => continue,
                    // The inbox reloads the list when it reconnects; a
                    // lagging stream just goes on.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                },
            };
            return Some((Ok(event), (changes, stop)));
        }
    })
}
