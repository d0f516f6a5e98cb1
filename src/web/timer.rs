//! One timer set for a moment: setting it again for the same moment keeps
//! it, another moment replaces it, `None` (or [`WakeTimer::clear`]) cancels
//! it. The runtime wakes the engine with one, the delivery its outbox.

use crate::time::Millis;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;

/// At most one pending wake-up, at a known moment (ms since the epoch).
#[derive(Default)]
pub struct WakeTimer(RefCell<Option<(Millis, Timeout)>>);

impl WakeTimer {
    /// Fire `fire` at `at` (measured against `now`), unless already set for
    /// exactly `at`; `None` cancels.
    pub fn set(&self, at: Option<Millis>, now: Millis, fire: impl FnOnce() + 'static) {
        let mut slot = self.0.borrow_mut();
        if slot.as_ref().map(|(t, _)| *t) == at {
            return;
        }
        *slot = at.map(|at| {
            let delay = at.saturating_sub(now).min(i32::MAX as u64) as u32;
            (at, Timeout::new(delay, fire))
        });
    }

    /// Cancel the pending wake-up, if any (also done when it fires).
    pub fn clear(&self) {
        self.0.borrow_mut().take();
    }
}
