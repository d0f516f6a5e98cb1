//! The SQLite database: opening it (WAL), its schema, and running queries
//! off the async threads.

use crate::error::ApiError;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// The schema, created when missing. `PRAGMA user_version` numbers it for
/// later migrations.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS conversations (
    id         TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    payload    TEXT NOT NULL,
    reply      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_activity ON conversations (updated_at DESC);

CREATE TABLE IF NOT EXISTS messages (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL REFERENCES conversations (id),
    sender       TEXT NOT NULL CHECK (sender IN ('agent', 'visitor')),
    name         TEXT,
    text         TEXT NOT NULL,
    at           INTEGER NOT NULL,
    client_id    TEXT,
    UNIQUE (conversation, client_id)
);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation, seq);

CREATE TABLE IF NOT EXISTS analytics (
    message_id   TEXT PRIMARY KEY,
    event        TEXT NOT NULL,
    anonymous_id TEXT,
    session_id   TEXT,
    at           INTEGER NOT NULL,
    properties   TEXT NOT NULL,
    context      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_by_time ON analytics (at);

PRAGMA user_version = 1;
";

/// The database: one connection behind a mutex, only ever locked inside
/// `spawn_blocking` and never across an `.await`.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl Db {
    /// Opens (creating the file and its directory when missing) and
    /// migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Db, String> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let fail = |e: rusqlite::Error| format!("cannot open the database {}: {e}", path.display());
        let conn = Connection::open(path).map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(fail)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(fail)?;
        conn.execute_batch(SCHEMA).map_err(fail)?;
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    /// The database file (canonical when possible).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with the connection on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut guard)
        })
        .await
        .map_err(|e| ApiError::internal(format_args!("a database task failed: {e}")))?
    }
}
