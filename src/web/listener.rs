//! Event listeners that remove themselves when dropped, so `destroy()` only
//! has to drop what it owns to leave the host page as it was.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AddEventListenerOptions, EventTarget};

/// A DOM event listener owned by Rust. Dropping it removes it.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Listen for `kind` events on `target` (bubbling phase).
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        Listener::with(target, kind, false, false, f)
    }

    /// Listen in the capture phase and/or passively (a passive listener
    /// promises not to call `preventDefault`, so scrolling never waits on it).
    pub fn with(
        target: &EventTarget,
        kind: &'static str,
        capture: bool,
        passive: bool,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        let opts = AddEventListenerOptions::new();
        opts.set_capture(capture);
        opts.set_passive(passive);
        // Adding a listener only fails for a non-callable; ours is callable.
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            kind,
            closure.as_ref().unchecked_ref(),
            &opts,
        );
        Listener {
            target: target.clone(),
            kind,
            capture,
            closure,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.kind,
            self.closure.as_ref().unchecked_ref(),
            self.capture,
        );
    }
}
