//! What every handler shares: the database, the event hub, the file roots.

use crate::db::Db;
use crate::sse::Hub;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the server keeps and finds things.
#[derive(Clone, Debug)]
pub struct Config {
    /// The SQLite file (created with its directory when missing).
    pub db: PathBuf,
    /// The site served at `/` (the demo store, `www/`).
    pub root: PathBuf,
    /// The package served at `/pkg/`.
    pub pkg: PathBuf,
}

/// Why the server could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError(pub String);

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpenError {}

/// The state every handler shares (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    pub(crate) db: Db,
    pub(crate) hub: Hub,
    pub(crate) files: Arc<Files>,
}

/// The static file roots, and the files never served from them.
pub(crate) struct Files {
    pub(crate) root: PathBuf,
    pub(crate) pkg: PathBuf,
    /// The database and its journals, which may lie under `root`.
    pub(crate) hidden: Vec<PathBuf>,
}

impl AppState {
    /// Opens the database (migrating it) and checks that the site root is a
    /// directory. The package directory may be missing (not built yet).
    pub fn open(config: &Config) -> Result<AppState, OpenError> {
        if !config.root.is_dir() {
            return Err(OpenError(format!(
                "the site root {} is not a directory",
                config.root.display()
            )));
        }
        let db = Db::open(&config.db).map_err(OpenError)?;
        let hidden = ["", "-wal", "-shm", "-journal"]
            .iter()
            .map(|suffix| {
                let mut path = db.path().as_os_str().to_owned();
                path.push(suffix);
                PathBuf::from(path)
            })
            .collect();
        Ok(AppState {
            db,
            hub: crate::sse::Hub::new(),
            files: Arc::new(Files {
                root: config.root.clone(),
                pkg: config.pkg.clone(),
                hidden,
            }),
        })
    }

    /// Ends every open event stream (call on shutdown so that connections
    /// can drain).
    pub fn shutdown(&self) {
        self.hub.shutdown();
    }
}
