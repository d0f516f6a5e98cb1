//! The stored-state decoder. Stored state is untrusted (another release,
//! another script, a hand-edited localStorage): decoding never panics,
//! what decodes encodes back to the same state, and an engine restored
//! from it (or merging it from another tab) keeps every bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathlight::engine::snapshot::MAX_EVENTS;
use pathlight::journey::steps::MAX_PAGES;
use pathlight::{Config, Engine, Knowledge, Snapshot};

const T0: u64 = 1_700_000_000_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(snapshot) = Snapshot::decode(text) else {
        return;
    };
    let encoded = snapshot.encode();
    assert_eq!(
        Snapshot::decode(&encoded).as_ref(),
        Ok(&snapshot),
        "round trip"
    );

    let config = Config::from_json(
        r#"{"version": 1, "journey": {"maxSteps": 20}, "delivery": {"quietSeconds": 0},
            "triggers": [
              {"id": "a", "when": {"page": "/checkout"}, "message": "Hi", "tags": ["x"], "maxPerSession": 2},
              {"id": "b", "when": {"formErrors": 1}, "message": "Oops", "tags": ["x"], "cooldown": "1m"}]}"#,
    )
    .expect("the fuzz config is valid");
    let now = snapshot.session.last_activity.saturating_add(1_000).max(T0);
    let mut restored = Engine::new(config.clone(), Knowledge::default(), "v".into());
    restored.restore(snapshot.clone(), now);
    bounded(&restored);
    fuzz::walk(&mut restored, now);
    bounded(&restored);

    let mut merged = Engine::new(config, Knowledge::default(), "v".into());
    merged.handle(pathlight::Event::page_view("/", "Home"), T0);
    merged.merge(snapshot);
    bounded(&merged);
    fuzz::walk(&mut merged, T0);
    bounded(&merged);
});

fn bounded(engine: &Engine) {
    let s = engine.snapshot();
    assert!(
        s.journey.steps().len() <= 20,
        "{} steps kept",
        s.journey.steps().len()
    );
    assert!(
        s.journey.pages().len() <= MAX_PAGES,
        "{} pages kept",
        s.journey.pages().len()
    );
    assert!(
        s.events.len() <= MAX_EVENTS,
        "{} events kept",
        s.events.len()
    );
}
