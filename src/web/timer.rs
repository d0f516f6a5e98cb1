//! Timers that a hostile page cannot turn into exceptions.
//!
//! [`Timeout`] is one `setTimeout` owned by Rust: dropping it cancels it
//! and frees its callback. Both calls go through catching bindings, so a
//! page without `setTimeout` (or with one that throws) gets `None` instead
//! of an exception unwinding through the wasm. Every timeout calls one
//! shared dispatcher with its id, so a `clearTimeout` that does nothing
//! cannot run a dropped callback, and no closure is made per timer (a
//! `Closure::once_into_js` per timer leaked every cancelled one: the memory
//! test caught it). [`WakeTimer`] keeps
//! one wake-up at a known moment (the runtime's engine, the outbox, the
//! analytics batch); [`within`] and [`sleep`] bound and pause async work.

use crate::time::Millis;
use js_sys::{Array, Promise};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &JsValue, ms: i32, id: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue) -> Result<(), JsValue>;
}

type Callback = Box<dyn FnOnce()>;

thread_local! {
    /// The callbacks of pending timeouts, by id. Dropping a [`Timeout`]
    /// removes (and frees) its callback, whatever `clearTimeout` does.
    static PENDING: RefCell<Vec<(u32, Callback)>> = const { RefCell::new(Vec::new()) };
    static NEXT: Cell<u32> = const { Cell::new(1) };
    /// The id being handed to `setTimeout` right now, and whether it called
    /// back before returning.
    static SETTING: Cell<u32> = const { Cell::new(0) };
    static EARLY: Cell<bool> = const { Cell::new(false) };
    /// One function for every timeout (`setTimeout(dispatch, ms, id)`):
    /// made once and kept, so no closure is made, leaked or invalidated
    /// per timer.
    static DISPATCH: JsValue = Closure::<dyn Fn(u32)>::new(dispatch).into_js_value();
}

fn dispatch(id: u32) {
    let callback = PENDING.with(|p| {
        let mut p = p.try_borrow_mut().ok()?;
        let i = p.iter().position(|(k, _)| *k == id)?;
        Some(p.swap_remove(i).1)
    });
    // Called while a setTimeout call is still running (whatever id it was
    // given back: a fake may call with no argument): not a real timer.
    if SETTING.with(Cell::get) != 0 {
        EARLY.with(|e| e.set(true));
        return;
    }
    if let Some(f) = callback {
        f();
    }
}

/// A pending `setTimeout`; dropping it cancels it.
pub struct Timeout {
    id: u32,
    handle: JsValue,
}

impl Timeout {
    /// Run `f` once after `ms` milliseconds. `None` when the page has no
    /// working `setTimeout`: the caller decides what to do instead.
    ///
    /// A `setTimeout` that calls back before returning (a fake-timer
    /// library) counts as none: running wake-ups at once would spin.
    pub fn new(ms: u32, f: impl FnOnce() + 'static) -> Option<Timeout> {
        let id = NEXT.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        let stored = PENDING.with(|p| {
            p.try_borrow_mut()
                .map(|mut p| p.push((id, Box::new(f))))
                .is_ok()
        });
        if !stored {
            return None;
        }
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        SETTING.with(|s| s.set(id));
        EARLY.with(|e| e.set(false));
        let handle = DISPATCH.with(|d| set_timeout(d, ms, id));
        SETTING.with(|s| s.set(0));
        match handle {
            // Its "id" is not one to hand to clearTimeout (it may be a real
            // timer's): no Timeout, so nothing is ever cleared with it.
            Ok(handle) if !EARLY.with(Cell::get) => Some(Timeout { id, handle }),
            _ => {
                forget(id);
                None
            }
        }
    }
}

/// Drop the callback of timeout `id`, if still pending.
fn forget(id: u32) {
    let callback = PENDING.with(|p| {
        let mut p = p.try_borrow_mut().ok()?;
        let i = p.iter().position(|(k, _)| *k == id)?;
        Some(p.swap_remove(i).1)
    });
    drop(callback); // outside the borrow: it may own anything
}

impl Drop for Timeout {
    fn drop(&mut self) {
        forget(self.id);
        let _ = clear_timeout(&self.handle);
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
