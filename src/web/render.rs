//! Answer bodies as DOM: the safe markdown tree ([`crate::markdown`]) built
//! into elements whose every string is a text node. No string from an
//! answer is ever parsed as HTML; links carry only addresses the parser
//! already checked, and open safely in a new tab.
//!
//! Recursion follows the tree, whose depth the parser caps (8 levels).

use crate::markdown::{Block, Doc, Inline};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

/// Append `body` to `parent`.
pub fn body(doc: &Document, parent: &Element, body: &Doc) -> Result<(), JsValue> {
    for b in &body.blocks {
        block(doc, parent, b)?;
    }
    Ok(())
}

fn child(doc: &Document, parent: &Element, tag: &str) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    parent.append_child(&e)?;
    Ok(e)
}

/// A text node (through `append`, which a page cannot reach by replacing
/// `document.createTextNode`).
fn text(_doc: &Document, parent: &Element, s: &str) -> Result<(), JsValue> {
    parent.append_with_str_1(s)
}

fn block(doc: &Document, parent: &Element, b: &Block) -> Result<(), JsValue> {
    match b {
        Block::Paragraph(inlines) => inlines_into(doc, &child(doc, parent, "p")?, inlines),
        Block::Heading(inlines) => {
            let p = child(doc, parent, "p")?;
            inlines_into(doc, &child(doc, &p, "strong")?, inlines)
        }
        Block::Code(code) => {
            let pre = child(doc, parent, "pre")?;
            text(doc, &child(doc, &pre, "code")?, code)
        }
        Block::List { ordered, items } => {
            let list = child(doc, parent, if *ordered { "ol" } else { "ul" })?;
            for item in items {
                let li = child(doc, &list, "li")?;
                for b in item {
                    block(doc, &li, b)?;
                }
            }
            Ok(())
        }
    }
}

fn inlines_into(doc: &Document, parent: &Element, inlines: &[Inline]) -> Result<(), JsValue> {
    for i in inlines {
        match i {
            Inline::Text(s) => text(doc, parent, s)?,
            Inline::Strong(c) => inlines_into(doc, &child(doc, parent, "strong")?, c)?,
            Inline::Em(c) => inlines_into(doc, &child(doc, parent, "em")?, c)?,
            Inline::Code(s) => text(doc, &child(doc, parent, "code")?, s)?,
            Inline::LineBreak => {
                child(doc, parent, "br")?;
            }
            Inline::Link { href, children } => {
                let a = child(doc, parent, "a")?;
                a.set_attribute("href", href)?;
                a.set_attribute("rel", "noopener noreferrer")?;
                a.set_attribute("target", "_blank")?;
                inlines_into(doc, &a, children)?;
            }
        }
    }
    Ok(())
}
