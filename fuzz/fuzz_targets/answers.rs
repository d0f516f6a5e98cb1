//! The answer document: any text parses or is rejected with problems whose
//! paths point into it; every accepted body builds a capped markdown tree,
//! and the index answers searches and suggestions without breaking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathlight::knowledge::Context;
use pathlight::Knowledge;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Knowledge::from_json(text);
    let Ok(doc) = pathlight::validate::parse_json(text) else {
        assert!(parsed.is_err());
        return;
    };
    match (Knowledge::from_value(&doc), &parsed) {
        (Err(pathlight::Error::Answers(problems)), Err(_)) => {
            fuzz::check_problem_paths(&doc, &problems)
        }
        (Ok(k), Ok(_)) => {
            let now = 1_700_000_000_000;
            for a in k.answers() {
                fuzz::check_markdown(&a.body);
                for t in &a.translations {
                    fuzz::check_markdown(&t.body);
                }
            }
            for a in k.answers().iter().take(3) {
                let hits = k.search(&a.title, k.locale(), now, 5);
                assert!(hits.len() <= 5);
                assert!(hits.iter().all(|h| k.get(&h.id).is_some()));
            }
            let ctx = Context {
                path: "/checkout".into(),
                page_title: k
                    .answers()
                    .first()
                    .map(|a| a.title.clone())
                    .unwrap_or_default(),
                ..Context::default()
            };
            let hits = k.suggest(&ctx, now, 3);
            assert!(hits.len() <= 3);
            assert!(hits
                .iter()
                .all(|h| k.get(&h.id).is_some_and(|a| !a.is_stale(now))));
        }
        (other, _) => panic!("from_json and from_value disagree: {other:?} vs {parsed:?}"),
    }
});
