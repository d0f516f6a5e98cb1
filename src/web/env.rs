//! What the browser says about the visitor: device class, languages, its own
//! time zone, and the UTC offsets of the time zones the config's schedules
//! name (computed with `Intl`, so the SDK ships no time-zone database).

use crate::rules::{Device, Env};
use wasm_bindgen::JsCast;

/// The environment now, with offsets for `zones`.
pub fn read(zones: &[String]) -> Env {
    let Some(w) = web_sys::window() else {
        return Env::default();
    };
    let coarse = w
        .match_media("(pointer: coarse)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let width = w
        .inner_width()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1024.0);
    let device = match (coarse, width) {
        (true, w) if w < 768.0 => Device::Mobile,
        (true, _) => Device::Tablet,
        _ => Device::Desktop,
    };
    // Read through Reflect: privacy tools replace these getters with ones
    // that throw.
    let nav: wasm_bindgen::JsValue = w.navigator().into();
    let read = |key: &str| js_sys::Reflect::get(&nav, &key.into()).ok();
    let mut languages: Vec<String> = match read("languages") {
        Some(list) if super::convert::is_array(&list) => list
            .unchecked_into::<js_sys::Array>()
            .iter()
            .filter_map(|l| l.as_string())
            .filter(|l| !l.is_empty() && l.len() <= 35)
            .take(10)
            .collect(),
        _ => Vec::new(),
    };
    if languages.is_empty() {
        languages.extend(
            read("language")
                .and_then(|l| l.as_string())
                .filter(|l| !l.is_empty() && l.len() <= 35),
        );
    }
    let zone_offsets = zones
        .iter()
        .filter_map(|z| offset(z).map(|o| (z.clone(), o)))
        .collect();
    Env {
        device,
        languages,
        zone_offsets,
        time_zone: own_zone(),
    }
}

/// The browser's IANA time zone
/// (`Intl.DateTimeFormat().resolvedOptions().timeZone`), when it says.
fn own_zone() -> Option<String> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: js_sys::Function = js_sys::Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let fmt = js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).ok()?;
    let resolved: js_sys::Function = js_sys::Reflect::get(&fmt, &"resolvedOptions".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let opts = resolved.call0(&fmt).ok()?;
    let zone = js_sys::Reflect::get(&opts, &"timeZone".into())
        .ok()?
        .as_string()?;
    (!zone.is_empty() && zone.len() <= 64).then_some(zone)
}

/// The UTC offset of IANA zone `zone` now, in minutes; `None` for a zone the
/// browser does not know.
fn offset(zone: &str) -> Option<i64> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: js_sys::Function = js_sys::Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let opts = js_sys::Object::new();
    js_sys::Reflect::set(&opts, &"timeZone".into(), &zone.into()).ok()?;
    js_sys::Reflect::set(&opts, &"timeZoneName".into(), &"longOffset".into()).ok()?;
    let fmt =
        js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&"en-US".into(), &opts)).ok()?;
    let to_parts: js_sys::Function = js_sys::Reflect::get(&fmt, &"formatToParts".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let parts: js_sys::Array = to_parts
        .call1(&fmt, &js_sys::Date::new_0())
        .ok()?
        .dyn_into()
        .ok()?;
    let name = parts.iter().find_map(|p| {
        let kind = js_sys::Reflect::get(&p, &"type".into()).ok()?.as_string()?;
        (kind == "timeZoneName")
            .then(|| js_sys::Reflect::get(&p, &"value".into()).ok()?.as_string())?
    })?;
    parse_gmt(&name)
}

/// `"GMT"` -> 0, `"GMT+05:30"` -> 330, `"GMT-03:00"` -> -180. The text
/// comes from `Intl`, which a page can replace: anything else (a multibyte
/// sign, a huge number, an offset past 18 hours) is `None`, never a panic.
fn parse_gmt(name: &str) -> Option<i64> {
    let rest = name.strip_prefix("GMT")?;
    if rest.is_empty() {
        return Some(0);
    }
    let (sign, hm) = if let Some(hm) = rest.strip_prefix('+') {
        (1, hm)
    } else {
        (-1, rest.strip_prefix('-')?)
    };
    let (h, m) = hm.split_once(':').unwrap_or((hm, "0"));
    let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
    if !(0..=18).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(sign * (h * 60 + m))
}
