//! Persisting the shared snapshot in `localStorage`. Storage is untrusted and
//! may be missing, full or throwing: every failure degrades to memory only.

use crate::engine::snapshot::Snapshot;
use wasm_bindgen::JsValue;
use web_sys::Storage;

/// The `localStorage` key of the snapshot.
pub const KEY: &str = "pathlight:state";

/// Where snapshots go; `None` inside means memory only.
pub struct Store(Option<Storage>);

impl Store {
    /// `localStorage` when the page may use it (it throws in some sandboxed
    /// iframes and private modes).
    pub fn local() -> Store {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        Store(storage)
    }

    /// The stored snapshot. Corrupted or foreign data is removed with one
    /// console warning; the caller starts fresh.
    pub fn load(&self) -> Option<Snapshot> {
        let storage = self.0.as_ref()?;
        let text = storage.get_item(KEY).ok().flatten()?;
        match Snapshot::decode(&text) {
            Ok(s) => Some(s),
            Err(e) => {
                let msg = JsValue::from_str(
                    "Pathlight: stored state was discarded and a fresh one started:",
                );
                web_sys::console::warn_2(&msg, &JsValue::from_str(&e.to_string()));
                let _ = storage.remove_item(KEY);
                None
            }
        }
    }

    /// Store `snapshot`; `Err` when storage refused it (full, disabled).
    pub fn save(&self, snapshot: &Snapshot) -> Result<(), JsValue> {
        let storage = self
            .0
            .as_ref()
            .ok_or_else(|| JsValue::from_str("localStorage is not available"))?;
        storage.set_item(KEY, &snapshot.encode())
    }

    /// Remove the stored snapshot.
    pub fn clear(&self) {
        if let Some(s) = &self.0 {
            let _ = s.remove_item(KEY);
        }
    }
}
