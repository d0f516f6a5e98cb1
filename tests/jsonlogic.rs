//! Conformance of `pathlight::rules::logic` with the JSON Logic community
//! test suites vendored in `tests/data/jsonlogic/` (see the README there).
//!
//! Every case runs through `apply`. A case passes when it expects a result
//! and `apply` returns an equal value (numbers compare numerically, so `3`
//! equals `3.0`), or when it expects an error and `apply` fails with an equal
//! error object (`{"type": "NaN"}`, `{"type": "Invalid Arguments"}`, or what
//! the rule threw). Known deviations are listed in `docs/jsonlogic.md`.

use pathlight::rules::logic::apply;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Cases in the vendored suites. If this changes, the suites were updated:
/// re-check the deviations in `docs/jsonlogic.md`.
const TOTAL_CASES: usize = 1138;
/// 98% of the cases.
const REQUIRED_PASSES: usize = 1116;

fn read(path: &Path) -> Value {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// JSON equality where numbers compare by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| same(p, q)))
        }
        _ => a == b,
    }
}

#[test]
fn json_logic_conformance() {
    let suites = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jsonlogic/suites");
    let index = read(&suites.join("index.json"));
    let files = index
        .as_array()
        .expect("index.json is a list of file names");
    assert!(!files.is_empty(), "index.json lists no suites");

    let mut total = 0;
    let mut passed = 0;
    for file in files {
        let name = file.as_str().expect("index.json entries are file names");
        let cases = read(&suites.join(name));
        let cases = cases
            .as_array()
            .unwrap_or_else(|| panic!("{name} is not a list"));
        for case in cases {
            // Strings are comments.
            if case.is_string() {
                continue;
            }
            total += 1;
            let rule = case
                .get("rule")
                .unwrap_or_else(|| panic!("{name}: a case without a rule: {case}"));
            let data = case.get("data").unwrap_or(&Value::Null);
            let description = case
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("(no description)");
            let outcome = apply(rule, data);
            let ok = match (case.get("result"), case.get("error"), &outcome) {
                (Some(want), _, Ok(got)) => same(got, want),
                (None, Some(want), Err(got)) => same(&got.error_object(), want),
                _ => false,
            };
            if ok {
                passed += 1;
            } else {
                let want = case
                    .get("result")
                    .map(|r| r.to_string())
                    .or_else(|| case.get("error").map(|e| format!("error {e}")))
                    .unwrap_or_default();
                let got = match &outcome {
                    Ok(v) => v.to_string(),
                    Err(e) => format!("error {} ({e})", e.error_object()),
                };
                eprintln!("FAIL {name}: {description}\n     rule {rule}\n     want {want}\n     got  {got}");
            }
        }
    }

    println!("JSON Logic conformance: passed {passed} / {total}");
    assert_eq!(
        total, TOTAL_CASES,
        "the suites changed: update TOTAL_CASES and docs/jsonlogic.md"
    );
    assert!(
        passed >= REQUIRED_PASSES,
        "only {passed} of {total} cases pass; at least {REQUIRED_PASSES} must"
    );
}

#[test]
fn numbers_compare_by_value_in_this_harness() {
    assert!(same(&serde_json::json!(3), &serde_json::json!(3.0)));
    assert!(same(
        &serde_json::json!({"a": [1, 2.5]}),
        &serde_json::json!({"a": [1.0, 2.5]})
    ));
    assert!(!same(&serde_json::json!([1]), &serde_json::json!([1, 1])));
    assert!(!same(&serde_json::json!("1"), &serde_json::json!(1)));
}
