//! The markdown renderer's tree builder: any body gives a tree within its
//! depth and node caps, with only safe links, and the same tree twice.
//! The parser is documented linear, so libFuzzer's per-input timeout
//! catches any quadratic path.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    fuzz::check_markdown(body);
});
