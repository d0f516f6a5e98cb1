//! The tokeniser, in every language's rules: words are non-empty runs of
//! folded (lower-case, undecorated) word characters, never longer than
//! the cap, folding is idempotent, and terms are a subset of words' work.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pathlight::knowledge::text::{fold, terms, words, Lang, MAX_WORD};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    lang: u8,
    text: &'a str,
}

const LANGS: [Lang; 7] = [
    Lang::English,
    Lang::Turkish,
    Lang::Hebrew,
    Lang::Belarusian,
    Lang::Malay,
    Lang::Tagalog,
    Lang::Other,
];

fuzz_target!(|input: Input| {
    let lang = LANGS[usize::from(input.lang) % LANGS.len()];
    let ws = words(input.text, lang);
    for w in &ws {
        assert!(!w.is_empty(), "empty word");
        assert!(!w.chars().any(char::is_whitespace), "whitespace in {w:?}");
        // One character folds to at most three (`ß` -> `ss`, lower-casing).
        assert!(w.chars().count() <= 3 * MAX_WORD, "word too long: {w:?}");
        assert_eq!(&fold(w, lang), w, "a word is already folded");
    }
    let ts = terms(input.text, lang);
    assert!(ts.len() <= ws.len(), "more terms than words");
    assert!(ts.iter().all(|t| !t.is_empty()), "empty term");
    let _ = fold(input.text, lang);
});
