//! The one place values cross the JS/Rust boundary.
//!
//! Untrusted documents (config, answers, stored state) come in as JSON text,
//! so parsing is bounded in depth (serde_json stops at 128 levels) and size
//! ([`MAX_DOCUMENT`](crate::validate::MAX_DOCUMENT)) whatever the host passes. Values go out as plain JS
//! objects. Core errors become JS `Error`s named `PathlightError`, with the
//! validation problems attached as `error.problems`.

use crate::error::Error;
use crate::handoff::{Channel, Contact};
use crate::validate::{closest, parse_json, whole, Problems, MAX_DOCUMENT};
use serde::Serialize;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    // Catching twins of Array.isArray and Object.keys, which throw for a
    // revoked Proxy or one whose traps throw.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn try_is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(value: &js_sys::Object) -> Result<js_sys::Array, JsValue>;
}

/// `Array.isArray(value)`, false for a value it throws on.
pub fn is_array(value: &JsValue) -> bool {
    try_is_array(value).unwrap_or(false)
}

/// A core error as a JS `Error`.
pub fn error_to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("PathlightError");
    if let Some(p) = e.problems() {
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("problems"), &to_js(p));
    }
    err.into()
}

/// A Rust value as a plain JS value (objects, not `Map`s).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&ser).unwrap_or(JsValue::NULL)
}

/// A document the host passed, as a JSON value: a JSON string is parsed, an
/// object is serialised first.
pub fn document(value: &JsValue) -> Result<Value, Problems> {
    let text = if let Some(s) = value.as_string() {
        s
    } else if value.is_object() && !value.is_function() {
        // JSON.stringify may throw (a cycle, a BigInt, a getter) or give
        // back something that is not text (a `toJSON` returning undefined,
        // or a page's own replacement).
        match js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
        {
            Some(s) => s,
            None => {
                return Err(one(
                    "could not be read as JSON (does it contain a cycle or a BigInt?)",
                ))
            }
        }
    } else {
        return Err(one("must be an object or a JSON string"));
    };
    if text.len() > MAX_DOCUMENT {
        return Err(one("is larger than 2 MB"));
    }
    parse_json(&text).map_err(|p| Problems(vec![p]))
}

fn one(message: &str) -> Problems {
    Problems(vec![whole(message)])
}

/// A trigger config the host passed (object or JSON string), validated.
/// Every problem is listed on the thrown error's `problems`.
pub fn config_from_js(value: &JsValue) -> Result<crate::config::Config, JsValue> {
    document(value)
        .and_then(|v| {
            crate::config::Config::from_value(&v)
                .map_err(|e| e.problems().cloned().unwrap_or_default())
        })
        .map_err(|p| error_to_js(&Error::Config(p)))
}

/// An answer document the host passed; `undefined` or `null` is no answers.
pub fn knowledge_from_js(value: &JsValue) -> Result<crate::knowledge::Knowledge, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(crate::knowledge::Knowledge::default());
    }
    document(value)
        .and_then(|v| {
            crate::knowledge::Knowledge::from_value(&v)
                .map_err(|e| e.problems().cloned().unwrap_or_default())
        })
        .map_err(|p| error_to_js(&Error::Answers(p)))
}

/// Read a plain options object, rejecting unknown keys by name.
pub fn options(
    value: &JsValue,
    call: &'static str,
    known: &[&str],
) -> Result<js_sys::Object, Error> {
    if !value.is_object() || value.is_function() || is_array(value) {
        return Err(Error::Argument {
            call,
            message: "expected an options object such as { config, answers }".into(),
        });
    }
    let obj: js_sys::Object = value.clone().unchecked_into();
    let keys = object_keys(&obj).map_err(|_| Error::Argument {
        call,
        message: "expected an options object such as { config, answers }; this one cannot be read"
            .into(),
    })?;
    for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            let hint = match closest(&key, known) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("known options: {}", known.join(", ")),
            };
            return Err(Error::Argument {
                call,
                message: format!("unknown option `{key}` ({hint})"),
            });
        }
    }
    Ok(obj)
}

/// The property `key` of `obj` (undefined when absent).
pub fn get(obj: &js_sys::Object, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A non-empty string argument of at most `max` characters.
pub fn string_arg(value: &JsValue, call: &'static str, max: usize) -> Result<String, Error> {
    match value.as_string() {
        Some(s) if !s.is_empty() && s.chars().count() <= max => Ok(s),
        Some(s) if s.is_empty() => Err(Error::Argument {
            call,
            message: "expected a non-empty string".into(),
        }),
        Some(_) => Err(Error::Argument {
            call,
            message: format!("expected a string of at most {max} characters"),
        }),
        None => Err(Error::Argument {
            call,
            message: format!("expected a string, got {}", js_type(value)),
        }),
    }
}

/// Longest `nonce` option accepted.
const MAX_NONCE: usize = 256;

/// The `nonce` init option: the page's Content-Security-Policy nonce, put on
/// the `<style>` element Pathlight creates where constructable stylesheets
/// are missing. `undefined`, `null` and `""` are no nonce (so a script can
/// pass `document.currentScript.nonce` as it is, CSP or not); anything else
/// must look like a CSP nonce: base64 or base64url characters, `=` only at
/// the end.
pub fn nonce_option(value: &JsValue) -> Result<Option<String>, Error> {
    const CALL: &str = "Pathlight.init(options.nonce)";
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let Some(nonce) = value.as_string() else {
        return Err(Error::Argument {
            call: CALL,
            message: format!(
                "expected the page's CSP nonce as a string (script.nonce), got {}",
                js_type(value)
            ),
        });
    };
    let body = nonce.trim_end_matches('=');
    let padding = nonce.len() - body.len();
    let base64 = body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'));
    if nonce.is_empty() {
        Ok(None)
    } else if nonce.len() > MAX_NONCE {
        Err(Error::Argument {
            call: CALL,
            message: format!("expected a CSP nonce of at most {MAX_NONCE} characters"),
        })
    } else if body.is_empty() || padding > 2 || !base64 {
        Err(Error::Argument {
            call: CALL,
            message: "is not a CSP nonce: pass the value of the nonce your page's \
                      Content-Security-Policy allows (letters, digits, +, /, -, _, \
                      and at most two = at the end)"
                .into(),
        })
    } else {
        Ok(Some(nonce))
    }
}

/// An optional plain object argument (`undefined` and `null` give an empty map).
pub fn object_arg(value: &JsValue, call: &'static str) -> Result<Map<String, Value>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Map::new());
    }
    if !value.is_object() || value.is_function() || is_array(value) {
        return Err(Error::Argument {
            call,
            message: format!("expected a plain object, got {}", js_type(value)),
        });
    }
    match document(value) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Error::Argument {
            call,
            message: "expected a plain object".into(),
        }),
        Err(p) => Err(Error::Argument {
            call,
            message: p.to_string(),
        }),
    }
}

/// The type of a JS value, for messages.
pub fn js_type(value: &JsValue) -> &'static str {
    if value.is_undefined() {
        "undefined"
    } else if value.is_null() {
        "null"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_string() {
        "a string"
    } else if value.is_function() {
        "a function"
    } else if is_array(value) {
        "an array"
    } else {
        "an object"
    }
}

/// The argument of `pl.handoff(details)`: `{ message?, channel?, name?,
/// email?, phone?, preferredTime? }` as the message and the contact.
/// Whether the channel is enabled is the engine's to say.
pub fn handoff_details(value: &JsValue) -> Result<(String, Contact), Error> {
    const CALL: &str = "Pathlight.handoff(details)";
    const KEYS: &[&str] = &[
        "message",
        "channel",
        "name",
        "email",
        "phone",
        "preferredTime",
    ];
    let map = object_arg(value, CALL)?;
    if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        let hint = match closest(key, KEYS) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("known keys: {}", KEYS.join(", ")),
        };
        return Err(Error::Argument {
            call: CALL,
            message: format!("unknown key `{key}` ({hint})"),
        });
    }
    let text = |key: &'static str, call: &'static str| -> Result<Option<String>, Error> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.chars().count() <= 2000 => Ok(Some(s.clone())),
            Some(_) => Err(Error::Argument {
                call,
                message: "expected a string of at most 2000 characters".into(),
            }),
        }
    };
    let message = text("message", "Pathlight.handoff(details.message)")?.unwrap_or_default();
    let channel = match text("channel", "Pathlight.handoff(details.channel)")? {
        None => Channel::default(),
        Some(name) => Channel::parse(&name).ok_or_else(|| Error::Argument {
            call: "Pathlight.handoff(details.channel)",
            message: format!("unknown channel '{name}': expected chat, email, sms or callback"),
        })?,
    };
    let contact = Contact {
        channel,
        name: text("name", "Pathlight.handoff(details.name)")?,
        email: text("email", "Pathlight.handoff(details.email)")?,
        phone: text("phone", "Pathlight.handoff(details.phone)")?,
        preferred_time: text("preferredTime", "Pathlight.handoff(details.preferredTime)")?,
    };
    Ok((message, contact))
}

/// `target[method](...args)`, catching what it throws: a page may have
/// replaced the method (a validation library's `reportValidity`, a
/// smooth-scroll polyfill's `scrollIntoView`) with one that throws.
pub fn call_method(
    target: &JsValue,
    method: &str,
    args: &js_sys::Array,
) -> Result<JsValue, JsValue> {
    let f: js_sys::Function =
        js_sys::Reflect::get(target, &JsValue::from_str(method))?.dyn_into()?;
    js_sys::Reflect::apply(&f, target, args)
}

/// A thrown or rejected JS value as text: an `Error`'s `message`, or the
/// value itself when it is a string; `None` otherwise.
pub fn error_text(value: &JsValue) -> Option<String> {
    if value.is_instance_of::<js_sys::Error>() {
        // Read, not trusted: a page's error may carry any `message`.
        return js_sys::Reflect::get(value, &"message".into())
            .ok()?
            .as_string();
    }
    value.as_string()
}
