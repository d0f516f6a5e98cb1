//! Event listeners that remove themselves when dropped, so `destroy()` only
//! has to drop what it owns to leave the host page as it was.
//!
//! A hostile page may break the plumbing: a listener wrapper whose
//! `removeEventListener` does nothing, or a handler of ours re-entered
//! from inside itself (a host's `on('nudge')` handler that clicks). So the
//! callback is disarmed on drop (a listener left behind does nothing) and
//! a re-entrant call is skipped, where wasm-bindgen would throw "closure
//! invoked recursively" into the page.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AddEventListenerOptions, EventTarget};

/// A DOM event listener owned by Rust. Dropping it removes it.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    capture: bool,
    callback: JsValue,
    armed: Rc<Cell<bool>>,
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
        let armed = Rc::new(Cell::new(true));
        let live = armed.clone();
        let f = RefCell::new(f);
        // Owned by JS: the browser frees it once no target holds it.
        let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |ev| {
            if !live.get() {
                return;
            }
            if let Ok(mut f) = f.try_borrow_mut() {
                f(ev);
            }
        })
        .into_js_value();
        let opts = AddEventListenerOptions::new();
        opts.set_capture(capture);
        opts.set_passive(passive);
        // A page whose addEventListener throws gets no listener, not an error.
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            kind,
            callback.unchecked_ref(),
            &opts,
        );
        Listener {
            target: target.clone(),
            kind,
            capture,
            callback,
            armed,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.armed.set(false);
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.kind,
            self.callback.unchecked_ref(),
            self.capture,
        );
    }
}
