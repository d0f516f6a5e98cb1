//! Config parsing and validation: any text either parses or is rejected
//! with problems whose paths point into the document; a config that
//! parses runs an engine through a journey without breaking its bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathlight::{Config, Engine, Error, Knowledge};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Config::from_json(text);
    match pathlight::validate::parse_json(text) {
        Err(_) => assert!(matches!(parsed, Err(Error::Config(_)))),
        Ok(doc) => {
            let problems = pathlight::config::validate(&doc);
            assert_eq!(
                parsed.is_ok(),
                problems.is_empty(),
                "from_json and validate agree"
            );
            fuzz::check_problem_paths(&doc, &problems);
            if let Ok(config) = parsed {
                assert_eq!(Config::from_value(&doc).ok(), Some(config.clone()));
                let mut engine = Engine::new(config, Knowledge::default(), "v".into());
                fuzz::walk(&mut engine, 1_700_000_000_000);
            }
        }
    }
});
