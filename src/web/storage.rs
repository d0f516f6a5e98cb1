//! Persisting the engine snapshot in `localStorage`. Storage is untrusted and
//! may be missing or throw: every failure degrades to memory only.

use crate::engine::Snapshot;
use web_sys::Storage;

const KEY: &str = "pathlight:state";

/// Where snapshots go; `None` inside means memory only.
pub struct Store(Option<Storage>);

impl Store {
    /// `localStorage` when the page may use it.
    pub fn local() -> Store {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        Store(storage)
    }

    /// The stored snapshot. Corrupted or foreign data is removed with one
    /// console warning; the caller starts fresh.
    pub fn load(&self) -> Option<Snapshot> {
        let storage = self.0.as_ref()?;
        let text = storage.get_item(KEY).ok().flatten()?;
        match serde_json::from_str::<Snapshot>(&text) {
            Ok(s) if s.version == Snapshot::VERSION => Some(s),
            _ => {
                web_sys::console::warn_1(
                    &"Pathlight: stored state was unreadable and has been reset".into(),
                );
                let _ = storage.remove_item(KEY);
                None
            }
        }
    }

    /// Store `snapshot`; false when storage refused it (full, disabled).
    pub fn save(&self, snapshot: &Snapshot) -> bool {
        let Some(storage) = &self.0 else { return false };
        match serde_json::to_string(snapshot) {
            Ok(text) => storage.set_item(KEY, &text).is_ok(),
            Err(_) => false,
        }
    }
}
