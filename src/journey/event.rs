//! The events the engine accepts: what the web layer captures and what the
//! host reports. Values are raw here; the engine scrubs them on the way in.

use crate::handoff::Contact;
use serde_json::{Map, Value};

/// Something that happened, as the web layer or the host reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The visitor is now on a page (first load or a route change).
    PageView {
        /// The full address.
        url: String,
        /// The document title.
        title: String,
        /// `document.referrer` on a first load, the previous URL on a route change.
        referrer: String,
    },
    /// The current page's title changed.
    Title(String),
    /// The current page's main headings (`h1`, `h2`), for ranking answers.
    Headings(Vec<String>),
    /// The page became visible (`true`) or hidden (`false`).
    Visibility(bool),
    /// The deepest point of the page reached so far, in percent (0 to 100).
    Scroll(u8),
    /// A click on the page.
    Click(Click),
    /// A form field was rejected (`invalid` event or `aria-invalid="true"`).
    FormError {
        /// The form's name, id or a short selector.
        form: String,
        /// The field's name, id or label.
        field: String,
        /// The error text shown to the visitor.
        message: String,
    },
    /// A form was submitted.
    FormSubmit {
        /// The form's name, id or a short selector.
        form: String,
    },
    /// The visitor searched the site.
    Search {
        /// What they searched for.
        query: String,
        /// How many results, when known.
        results: Option<u32>,
    },
    /// The host reports how many results the last search had.
    SearchResults(u32),
    /// The pointer left through the top of the window (desktop exit intent).
    ExitIntent,
    /// The page is being unloaded or put in the back/forward cache.
    PageHide,
    /// The visitor typed, clicked, scrolled or moved: they are not idle.
    Input,
    /// The visitor is typing in a form field (no nudge interrupts that).
    Typing,
    /// A custom event from `track(name, props)`.
    Custom {
        /// Event name.
        name: String,
        /// Event properties.
        props: Map<String, Value>,
    },
    /// Visitor attributes from `identify(attributes)`.
    Identify(Map<String, Value>),
    /// The visitor opened an answer.
    AnswerOpened(String),
    /// The visitor rated an answer.
    AnswerRated {
        /// Answer id.
        id: String,
        /// Yes (true) or no (false) to "Was this helpful?".
        helpful: bool,
    },
    /// The visitor closed the nudge.
    NudgeDismissed,
    /// The visitor asked for a person, with what they typed and how they
    /// want to be contacted. A channel the config does not enable is
    /// refused (see [`Engine::check_contact`](crate::Engine::check_contact)).
    HandoffRequested {
        /// The visitor's own words (may be empty).
        message: String,
        /// The channel they chose and the details they gave (untrusted;
        /// cleaned and completed from `identify` attributes by the engine).
        contact: Contact,
    },
}

/// A click, with where it landed and what it was on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Click {
    /// Viewport x in CSS pixels.
    pub x: i32,
    /// Viewport y in CSS pixels.
    pub y: i32,
    /// The accessible name of the link or button (empty for other elements).
    pub label: String,
    /// A short, stable selector of the element.
    pub selector: String,
    /// Whether it was on a link or button.
    pub interactive: bool,
}

impl Event {
    /// A page view of `url` titled `title`, with no referrer.
    pub fn page_view(url: &str, title: &str) -> Event {
        Event::PageView {
            url: url.to_string(),
            title: title.to_string(),
            referrer: String::new(),
        }
    }

    /// A click at (`x`, `y`) on a link or button named `label`.
    pub fn click(x: i32, y: i32, label: &str) -> Event {
        Event::Click(Click {
            x,
            y,
            label: label.to_string(),
            selector: String::new(),
            interactive: !label.is_empty(),
        })
    }
}
