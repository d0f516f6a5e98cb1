//! Timers that a hostile page cannot turn into exceptions.
//!
//! [`Timeout`] is one `setTimeout` owned by Rust: dropping it cancels it.
//! Both calls go through catching bindings, so a page without `setTimeout`
//! (or with one that throws) gets `None` instead of an exception unwinding
//! through the wasm; the callback is disarmed on drop, so a `clearTimeout`
//! that does nothing cannot make a dropped timer run. [`WakeTimer`] keeps
//! one wake-up at a known moment (the runtime's engine, the outbox, the
//! analytics batch); [`within`] and [`sleep`] bound and pause async work.

use crate::time::Millis;
use js_sys::{Array, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: i32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
}

/// A pending `setTimeout`; dropping it cancels it.
pub struct Timeout {
    id: JsValue,
    armed: Rc<Cell<bool>>,
}

impl Timeout {
    /// Run `f` once after `ms` milliseconds. `None` when the page has no
    /// working `setTimeout`: the caller decides what to do instead.
    ///
    /// A `setTimeout` that calls back before returning (a fake-timer
    /// library) counts as none: running wake-ups at once would spin.
    pub fn new(ms: u32, f: impl FnOnce() + 'static) -> Option<Timeout> {
        let armed = Rc::new(Cell::new(true));
        let setting = Rc::new(Cell::new(true));
        let (live, early) = (armed.clone(), setting.clone());
        // Owned by JS once handed over: freed after it runs, or when the
        // browser collects a cancelled one.
        let callback = Closure::once_into_js(move || {
            if early.get() {
                live.set(false);
            } else if live.replace(false) {
                f();
            }
        });
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let id = set_timeout(&callback, ms);
        setting.set(false);
        match id {
            Ok(id) if armed.get() => Some(Timeout { id, armed }),
            _ => {
                armed.set(false);
                None
            }
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        self.armed.set(false);
        let _ = clear_timeout(&self.id);
    }
}

/// At most one pending wake-up, at a known moment (ms since the epoch).
#[derive(Default)]
pub struct WakeTimer(RefCell<Option<(Millis, Timeout)>>);

impl WakeTimer {
    /// Fire `fire` at `at` (measured against `now`), unless already set for
    /// exactly `at`; `None` cancels. Without timers, nothing fires: the next
    /// event wakes whoever relies on it.
    pub fn set(&self, at: Option<Millis>, now: Millis, fire: impl FnOnce() + 'static) {
        let same = self
            .0
            .try_borrow()
            .map(|slot| slot.as_ref().map(|(t, _)| *t) == at)
            .unwrap_or(true);
        if same {
            return;
        }
        // No borrow is held while JS runs (a page's setTimeout may call back
        // at once).
        let old = self
            .0
            .try_borrow_mut()
            .ok()
            .and_then(|mut slot| slot.take());
        drop(old);
        let Some(at) = at else { return };
        let delay = at.saturating_sub(now).min(i32::MAX as u64) as u32;
        if let Some(t) = Timeout::new(delay, fire) {
            if let Ok(mut slot) = self.0.try_borrow_mut() {
                *slot = Some((at, t));
            }
        }
    }

    /// Cancel the pending wake-up, if any (also done when it fires).
    pub fn clear(&self) {
        let old = self
            .0
            .try_borrow_mut()
            .ok()
            .and_then(|mut slot| slot.take());
        drop(old);
    }
}

/// `promise`'s outcome, or `None` when it has not settled within `ms`.
/// Without timers it is simply awaited.
pub async fn within(promise: &Promise, ms: u32) -> Option<Result<JsValue, JsValue>> {
    let marker: JsValue = js_sys::Object::new().into();
    let mut timer = None;
    let late = Promise::new(&mut |resolve, _reject| {
        let m = marker.clone();
        timer = Timeout::new(ms, move || {
            let _ = resolve.call1(&JsValue::UNDEFINED, &m);
        });
    });
    if timer.is_none() {
        return Some(JsFuture::from(promise.clone()).await);
    }
    let settled = JsFuture::from(Promise::race(&Array::of2(promise, &late))).await;
    drop(timer);
    match settled {
        Ok(v) if v == marker => None,
        other => Some(other),
    }
}

/// Wait `ms` milliseconds; false (at once) when the page has no timers.
pub async fn sleep(ms: u32) -> bool {
    let mut timer = None;
    let done = Promise::new(&mut |resolve, _reject| {
        timer = Timeout::new(ms, move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
    });
    if timer.is_none() {
        return false;
    }
    let _ = JsFuture::from(done).await;
    true
}
