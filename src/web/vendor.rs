//! Carries out a chat-vendor [`Plan`] against the vendor's globals: waits
//! until the vendor is ready (polling every 100 ms), then makes each call
//! with `this` = the parent object, awaiting returned Promises and
//! `function(error)` callbacks. Every JS exception becomes a
//! [`VendorError`]; nothing here panics.
//!
//! ```no_run
//! # async fn demo(payload: serde_json::Value) {
//! use pathlight::transport::vendors::{plan, Vendor};
//! let plan = plan(Vendor::Crisp, &payload);
//! if let Err(e) = pathlight::web::vendor::run(&plan, 5_000).await {
//!     web_sys::console::warn_1(&e.message().into()); // the UI shows the apology
//! }
//! # }
//! ```

use super::timer::{sleep, within};
use crate::time::Millis;
use crate::transport::vendors::{Call, Completion, Loaded, Plan, Ready};
use js_sys::{Array, Function, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

pub use crate::transport::vendors::VendorError;

/// How often readiness is checked.
const POLL_MS: Millis = 100;

/// Longest vendor error message kept.
const MAX_ERROR: usize = 300;

/// Wait until the plan's vendor is ready (at most `timeout` ms), then make
/// its calls in order; each returned Promise or callback is awaited for at
/// most `timeout` ms too.
///
/// ```no_run
/// # async fn demo() {
/// use pathlight::transport::vendors::{plan, Vendor, VendorError};
/// let p = plan(Vendor::Intercom, &serde_json::json!({ "message": "Hi" }));
/// match pathlight::web::vendor::run(&p, 3_000).await {
///     Ok(()) => {}                                  // the Messenger is open
///     Err(VendorError::Absent { .. }) => {}         // blocked or not installed
///     Err(e) => web_sys::console::warn_1(&e.message().into()),
/// }
/// # }
/// ```
pub async fn run(plan: &Plan, timeout: Millis) -> Result<(), VendorError> {
    let absent = VendorError::Absent {
        vendor: plan.vendor,
        vendor_global: plan.vendor.global(),
    };
    web_sys::window().ok_or(absent)?;
    wait_ready(plan, timeout).await?;
    for call in &plan.calls {
        perform(plan, call, timeout).await?;
    }
    Ok(())
}

/// Poll [`Ready`] until it holds or `timeout` passes (at once on a page
/// without timers, where polling is impossible).
async fn wait_ready(plan: &Plan, timeout: Millis) -> Result<(), VendorError> {
    let start = js_sys::Date::now();
    loop {
        if is_ready(&plan.ready) {
            return Ok(());
        }
        let waited = (js_sys::Date::now() - start).max(0.0) as Millis;
        if waited >= timeout || !sleep(clamp(POLL_MS.min(timeout - waited))).await {
            return Err(not_ready(plan, timeout));
        }
    }
}

/// Absent when even the vendor's global is missing; timed out otherwise.
fn not_ready(plan: &Plan, timeout: Millis) -> VendorError {
    let global = plan.vendor.global();
    let present = lookup(global).is_some_and(|(_, v)| !v.is_undefined() && !v.is_null());
    if !present {
        return VendorError::Absent {
            vendor: plan.vendor,
            vendor_global: global,
        };
    }
    let waiting_for = match plan.ready.loaded {
        Some(_) if lookup(plan.ready.function).is_some_and(|(_, f)| f.is_function()) => {
            loaded_text(plan.ready.loaded.as_ref())
        }
        _ => format!("window.{} to be a function", plan.ready.function),
    };
    VendorError::TimedOut {
        vendor: plan.vendor,
        waiting_for,
        waited_ms: timeout,
    }
}

fn loaded_text(loaded: Option<&Loaded>) -> String {
    match loaded {
        Some(Loaded::Flag(path)) => format!("window.{path} to be true"),
        Some(Loaded::Call { function, args }) => {
            let args: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
            format!("{function}({}) to answer", args.join(", "))
        }
        None => "the vendor".into(),
    }
}

fn is_ready(ready: &Ready) -> bool {
    let function = lookup(ready.function).is_some_and(|(_, f)| f.is_function());
    function
        && match &ready.loaded {
            None => true,
            Some(Loaded::Flag(path)) => lookup(path).is_some_and(|(_, v)| v.is_truthy()),
            Some(Loaded::Call { function, args }) => {
                let args: Vec<JsValue> = args.iter().map(|a| JsValue::from_str(a)).collect();
                invoke(function, &args).is_ok_and(|v| v.is_truthy())
            }
        }
}

/// `(parent, value)` at a dot path from the global object; `None` when a
/// step is not an object or a getter throws.
fn lookup(path: &str) -> Option<(JsValue, JsValue)> {
    let mut parent = JsValue::UNDEFINED;
    let mut current: JsValue = js_sys::global().into();
    for step in path.split('.') {
        if !(current.is_object() || current.is_function()) {
            return None;
        }
        let next = Reflect::get(&current, &JsValue::from_str(step)).ok()?;
        parent = current;
        current = next;
    }
    Some((parent, current))
}

/// Call the function at `path` with `this` = its parent.
fn invoke(path: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let Some((this, f)) = lookup(path) else {
        return Err(format!("window.{path} is missing"));
    };
    let Some(f) = f.dyn_ref::<Function>() else {
        return Err(format!("window.{path} is not a function"));
    };
    let list = Array::new();
    for a in args {
        list.push(a);
    }
    f.apply(&this, &list).map_err(|e| describe_js(&e))
}

/// Make one call and await its outcome.
async fn perform(plan: &Plan, call: &Call, timeout: Millis) -> Result<(), VendorError> {
    let threw = |message: String| VendorError::Threw {
        vendor: plan.vendor,
        call: call.describe(),
        message,
    };
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let mut args = Vec::with_capacity(call.args.len() + 1);
    for arg in &call.args {
        args.push(
            arg.serialize(&serializer)
                .map_err(|e| threw(e.to_string()))?,
        );
    }
    match call.completion {
        Completion::Return => {
            let returned = invoke(call.target, &args).map_err(threw)?;
            if !is_thenable(&returned) {
                return Ok(());
            }
            match within(&Promise::resolve(&returned), clamp(timeout)).await {
                Some(Ok(_)) => Ok(()),
                None => Err(VendorError::TimedOut {
                    vendor: plan.vendor,
                    waiting_for: format!("{} to settle", call.describe()),
                    waited_ms: timeout,
                }),
                Some(Err(e)) => Err(threw(describe_js(&e))),
            }
        }
        Completion::Callback => {
            let mut resolve_fn = None;
            let reported = Promise::new(&mut |resolve, _reject| resolve_fn = Some(resolve));
            if let Some(resolve) = resolve_fn {
                args.push(resolve.into());
            }
            invoke(call.target, &args).map_err(threw)?;
            // The callback reports failures; one that never comes is not one.
            match within(&reported, clamp(timeout)).await {
                Some(Ok(error)) if error.is_truthy() => Err(threw(describe_js(&error))),
                Some(Ok(_)) | None => Ok(()),
                Some(Err(e)) => Err(threw(describe_js(&e))),
            }
        }
    }
}

/// Whether `value` has a callable `then`.
fn is_thenable(value: &JsValue) -> bool {
    (value.is_object() || value.is_function())
        && Reflect::get(value, &JsValue::from_str("then")).is_ok_and(|t| t.is_function())
}

fn clamp(ms: Millis) -> u32 {
    u32::try_from(ms).unwrap_or(u32::MAX)
}

/// A thrown or reported value as text a developer can read.
fn describe_js(value: &JsValue) -> String {
    let read = |key: &str| {
        Reflect::get(value, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let text = if value.is_instance_of::<js_sys::Error>() {
        format!("{}: {}", read("name"), read("message"))
    } else if let Some(s) = value.as_string() {
        s
    } else {
        js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "an error without a message".into())
    };
    crate::transport::vendors::truncate(&text, MAX_ERROR)
}
