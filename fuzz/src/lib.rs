//! Checks shared by the fuzz targets: each asserts an invariant the crate
//! documents, so a target fails on a wrong answer, not only on a panic.

use pathlight::markdown::{self, Block, Doc, Inline};

/// The caps `src/markdown.rs` documents: lists and inline spans nest at
/// most 8 deep and a document holds at most 5,000 nodes (plus the `…`
/// paragraph that says it was cut).
pub const MARKDOWN_DEPTH: usize = 8;
pub const MARKDOWN_NODES: usize = 5_000;

/// Parse `body` and check the tree: depth and node caps, only safe links,
/// no link inside a link, the same tree twice, and `plain_text` never
/// panics.
pub fn check_markdown(body: &str) -> Doc {
    let doc = markdown::parse(body);
    let mut nodes = 0;
    blocks(&doc.blocks, 0, &mut nodes);
    assert!(nodes <= MARKDOWN_NODES + 1, "{nodes} nodes");
    assert_eq!(doc, markdown::parse(body), "parse is deterministic");
    let _ = markdown::plain_text(&doc);
    doc
}

fn blocks(v: &[Block], lists: usize, nodes: &mut usize) {
    for b in v {
        *nodes += 1;
        match b {
            Block::Paragraph(k) | Block::Heading(k) => inlines(k, 0, false, nodes),
            Block::Code(_) => {}
            Block::List { items, .. } => {
                assert!(
                    lists < MARKDOWN_DEPTH,
                    "lists nest deeper than {MARKDOWN_DEPTH}"
                );
                assert!(!items.is_empty(), "a list has at least one item");
                for item in items {
                    *nodes += 1;
                    blocks(item, lists + 1, nodes);
                }
            }
        }
    }
}

fn inlines(v: &[Inline], depth: usize, in_link: bool, nodes: &mut usize) {
    for x in v {
        *nodes += 1;
        match x {
            Inline::Text(_) | Inline::Code(_) | Inline::LineBreak => {}
            Inline::Strong(k) | Inline::Em(k) => {
                assert!(
                    depth < MARKDOWN_DEPTH,
                    "spans nest deeper than {MARKDOWN_DEPTH}"
                );
                inlines(k, depth + 1, in_link, nodes)
            }
            Inline::Link { href, children } => {
                assert!(!in_link, "a link inside a link");
                assert!(
                    pathlight::links::is_safe_link(href),
                    "unsafe href kept: {href:?}"
                );
                assert!(
                    depth < MARKDOWN_DEPTH,
                    "spans nest deeper than {MARKDOWN_DEPTH}"
                );
                inlines(children, depth + 1, true, nodes)
            }
        }
    }
}

/// Every problem's JSON Pointer names a place in `doc`: the value itself,
/// or (for a missing key) an object that lacks it.
pub fn check_problem_paths(doc: &serde_json::Value, problems: &pathlight::Problems) {
    for p in problems.iter() {
        assert!(!p.message.is_empty(), "a problem without a message: {p:?}");
        if p.path.is_empty() || doc.pointer(&p.path).is_some() {
            continue;
        }
        let parent = match p.path.rfind('/') {
            Some(i) => &p.path[..i],
            None => "",
        };
        assert!(
            doc.pointer(parent).is_some(),
            "problem path {:?} is not in the document ({})",
            p.path,
            p.message
        );
    }
}

use pathlight::handoff::{Channel, Contact};
use pathlight::{Action, Engine, Event};

/// Drive `engine` through a short journey that touches every kind of
/// event, following `next_wake` a few times, and check what must hold
/// whatever the config or stored state: at most one nudge per call, the
/// journey bound, and a handoff payload within `handoff.maxBytes`.
pub fn walk(engine: &mut Engine, t0: u64) {
    let max_steps = engine.journey().limit();
    let max_bytes = engine.handoff_config().max_bytes;
    let mut props = serde_json::Map::new();
    props.insert("plan".into(), "pro".into());
    let events = [
        Event::page_view("https://shop.example/", "Home"),
        Event::Scroll(80),
        Event::click(10, 10, "Buy"),
        Event::page_view("https://shop.example/checkout?q=refund", "Checkout"),
        Event::FormError {
            form: "pay".into(),
            field: "card".into(),
            message: "Card declined".into(),
        },
        Event::Custom {
            name: "cart".into(),
            props: props.clone(),
        },
        Event::Identify(props),
        Event::Search {
            query: "refund".into(),
            results: Some(0),
        },
        Event::ExitIntent,
        Event::NudgeDismissed,
        Event::Visibility(false),
        Event::Visibility(true),
        Event::AnswerOpened("a".into()),
        Event::AnswerRated {
            id: "a".into(),
            helpful: false,
        },
    ];
    let mut now = t0;
    for event in events {
        now += 1_500;
        check_actions(&engine.handle(event, now), max_bytes);
        assert!(engine.journey().steps().len() <= max_steps);
    }
    for _ in 0..8 {
        let Some(at) = engine.next_wake() else { break };
        now = now.max(at.min(now.saturating_add(86_400_000)));
        check_actions(&engine.tick(now), max_bytes);
    }
    let _ = engine.explain(now);
    let _ = engine.panel_answers();
    let contact = Contact::new(Channel::Chat);
    if let Ok(actions) = engine.request_handoff("Help", contact, now + 1) {
        check_actions(&actions, max_bytes);
    }
    assert!(engine.journey().steps().len() <= max_steps);
}

fn check_actions(actions: &[Action], max_bytes: usize) {
    let nudges = actions
        .iter()
        .filter(|a| matches!(a, Action::ShowNudge(_)))
        .count();
    assert!(nudges <= 1, "{nudges} nudges at once");
    for a in actions {
        if let Action::Handoff(p) = a {
            let size = pathlight::handoff::json_size(p.as_ref());
            assert!(size <= max_bytes, "payload {size} > maxBytes {max_bytes}");
        }
    }
}
