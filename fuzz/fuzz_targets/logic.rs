//! JSON Logic, rule and data both fuzzed. The input is JSON: `[rule, data]`
//! evaluates `rule` over `data`; anything else is a rule evaluated over a
//! context shaped like the one triggers see. Evaluation must stay within
//! its step and depth bounds (no hang, no stack overflow), be
//! deterministic, agree with the static `check`, and name a place inside
//! the rule when it fails.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathlight::rules::logic::{apply, check, LogicError};
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(input) = pathlight::validate::parse_json(text) else {
        return;
    };
    let (rule, data) = match input {
        Value::Array(mut pair) if pair.len() == 2 => {
            let data = pair.pop().unwrap_or_default();
            (pair.pop().unwrap_or_default(), data)
        }
        rule => (rule, context()),
    };
    let outcome = apply(&rule, &data);
    assert_eq!(outcome, apply(&rule, &data), "apply is deterministic");
    let checked = check(&rule);
    if let Err(e) = &outcome {
        if matches!(
            e,
            LogicError::UnknownOperator { .. } | LogicError::NotAnOperation { .. }
        ) {
            assert!(checked.is_err(), "check missed what apply found: {e:?}");
        }
        assert!(
            rule.pointer(e.path()).is_some(),
            "error path {:?} not in the rule",
            e.path()
        );
    }
    if let Err(e) = &checked {
        assert!(
            rule.pointer(e.path()).is_some(),
            "check path {:?} not in the rule",
            e.path()
        );
        let _ = (e.hint(), e.error_object(), e.to_string());
    }
});

fn context() -> Value {
    json!({
        "page": {"path": "/checkout", "url": "https://shop.example/checkout?q=1", "title": "Checkout",
                 "query": {"q": "1"}, "dwellSeconds": 12, "scroll": 40},
        "journey": {"pages": 4, "steps": [{"kind": "pageView", "path": "/"}], "formErrors": 2},
        "visitor": {"visits": 3, "attributes": {"plan": "pro", "age": 41}},
        "session": {"seconds": 300},
        "time": {"hour": 14, "weekday": 2},
        "event": {"name": "cart", "props": {"total": 120.5, "items": [1, 2, 3]}}
    })
}
