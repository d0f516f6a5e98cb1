//! The safe markdown subset of answer bodies, parsed into a small document
//! tree that the widget renders as DOM nodes built from text: no string from
//! an answer ever becomes HTML.
//!
//! Supported: paragraphs (separated by blank lines), `-`/`*`/`+` and `1.`
//! lists nested by indentation (2+ spaces), fenced code blocks (```),
//! `#`..`###` headings, inline `code`, `**strong**`, `*em*`/`_em_`,
//! `[text](url)` links, bare `https://` autolinks, hard line breaks (two
//! trailing spaces or a trailing backslash) and backslash escapes of ASCII
//! punctuation. Everything else, HTML tags included, is text. Only links that
//! [`crate::links::is_safe_link`] accepts keep an `href`; any other link is
//! the text of its label.
//!
//! Hostile bodies are bounded: input past 20,000 characters is cut (and ends
//! with `…`), lists and inline spans nest at most 8 deep (deeper markers stay
//! text), a document holds at most 5,000 nodes (the rest is cut, ending with
//! a `…` paragraph), and the parser is linear in its input.
//!
//! ```
//! use pathlight::markdown::{parse, plain_text};
//! let doc = parse("Check the **postcode**.\n\n- Call [your bank](tel:+441234)\n- <b>Retry</b>");
//! assert_eq!(plain_text(&doc), "Check the postcode.\nCall your bank\n<b>Retry</b>");
//! ```

use crate::links::is_safe_link;

const MAX_CHARS: usize = 20_000;
const MAX_DEPTH: usize = 8;
const MAX_NODES: usize = 5_000;
/// Nodes kept back for closing what is open once the budget runs out.
const RESERVE: usize = 64;
/// Longer backtick runs never open a code span.
const MAX_TICKS: usize = 32;
const ELLIPSIS: &str = "…";

/// A parsed answer body: its blocks in order.
///
/// ```
/// use pathlight::markdown::{parse, Block, Doc, Inline};
/// assert_eq!(
///     parse("Hello"),
///     Doc { blocks: vec![Block::Paragraph(vec![Inline::Text("Hello".into())])] }
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Doc {
    /// The top-level blocks.
    pub blocks: Vec<Block>,
}

/// A block of an answer body.
///
/// ```
/// use pathlight::markdown::{parse, Block, Inline};
/// let doc = parse("# Returns\n\n1. Pack it\n2. Post it\n\n```\nRMA-42\n```");
/// assert_eq!(doc.blocks[0], Block::Heading(vec![Inline::Text("Returns".into())]));
/// assert!(matches!(&doc.blocks[1], Block::List { ordered: true, items } if items.len() == 2));
/// assert_eq!(doc.blocks[2], Block::Code("RMA-42".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A list; ordered lists always count from 1.
    List {
        /// `1.` (or `1)`) markers rather than bullets.
        ordered: bool,
        /// Each item's own blocks.
        items: Vec<Vec<Block>>,
    },
    /// A fenced code block: its lines joined by `\n`.
    Code(String),
    /// A `#`, `##` or `###` heading: one emphasised level.
    Heading(Vec<Inline>),
}

/// Text-level content.
///
/// ```
/// use pathlight::markdown::{parse, Block, Inline};
/// let doc = parse("[Track](/orders) `A-1`");
/// let Block::Paragraph(inlines) = &doc.blocks[0] else { panic!() };
/// assert_eq!(inlines, &[
///     Inline::Link { href: "/orders".into(), children: vec![Inline::Text("Track".into())] },
///     Inline::Text(" ".into()),
///     Inline::Code("A-1".into()),
/// ]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Plain text (soft line breaks are spaces).
    Text(String),
    /// `**strong**` (or `__strong__`).
    Strong(Vec<Inline>),
    /// `*emphasis*` (or `_emphasis_`).
    Em(Vec<Inline>),
    /// `` `code` ``.
    Code(String),
    /// A link whose `href` passed [`crate::links::is_safe_link`].
    Link {
        /// The target, as written (never entity-decoded).
        href: String,
        /// The label; never contains another link.
        children: Vec<Inline>,
    },
    /// A hard line break.
    LineBreak,
}

/// Parses an answer body. Never panics, on any input.
///
/// ```
/// use pathlight::markdown::{parse, Block, Inline};
/// let doc = parse("[Click](javascript:alert) <script>x</script>");
/// assert_eq!(doc.blocks, [Block::Paragraph(vec![Inline::Text("Click <script>x</script>".into())])]);
/// ```
pub fn parse(body: &str) -> Doc {
    let (head, long) = match body.char_indices().nth(MAX_CHARS) {
        Some((i, _)) => (&body[..i], true),
        None => (body, false),
    };
    let mut src = head.replace("\r\n", "\n").replace('\r', "\n");
    if long {
        src.push_str(ELLIPSIS);
    }
    let mut p = Parser {
        budget: Budget {
            used: 0,
            cut: false,
        },
        root: Vec::new(),
        lists: Vec::new(),
        para: None,
        fence: None,
    };
    for line in src.lines() {
        if !p.budget.room() {
            break;
        }
        p.line(line);
    }
    p.flush();
    while !p.lists.is_empty() {
        p.pop_list();
    }
    if p.budget.cut {
        p.root
            .push(Block::Paragraph(vec![Inline::Text(ELLIPSIS.into())]));
    }
    Doc { blocks: p.root }
}

/// The text of a document, for search snippets and screen readers: one line
/// per paragraph, heading, list item and code line; links give their label.
///
/// ```
/// use pathlight::markdown::{parse, plain_text};
/// let doc = parse("## Refunds\nTake *five* days.  \nSee https://help.example");
/// assert_eq!(plain_text(&doc), "Refunds\nTake five days.\nSee https://help.example");
/// ```
pub fn plain_text(doc: &Doc) -> String {
    let mut out = String::new();
    blocks_text(&doc.blocks, &mut out);
    let n = out.trim_end_matches('\n').len();
    out.truncate(n);
    out
}

// Recursion here is bounded by the parser's depth caps.
fn blocks_text(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Paragraph(v) | Block::Heading(v) => inlines_text(v, out),
            Block::Code(c) => out.push_str(c),
            Block::List { items, .. } => items.iter().for_each(|i| blocks_text(i, out)),
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    }
}

fn inlines_text(v: &[Inline], out: &mut String) {
    for x in v {
        match x {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Strong(k) | Inline::Em(k) | Inline::Link { children: k, .. } => {
                inlines_text(k, out)
            }
            Inline::LineBreak => out.push('\n'),
        }
    }
}

/// Nodes made so far (an upper bound: merged text is not given back).
struct Budget {
    used: usize,
    cut: bool,
}

impl Budget {
    fn room(&mut self) -> bool {
        let ok = self.used + RESERVE < MAX_NODES;
        self.cut |= !ok;
        ok
    }
}

// ---------------------------------------------------------------- blocks

struct List {
    indent: usize,
    ordered: bool,
    items: Vec<Vec<Block>>,
}

struct Fence {
    ticks: usize,
    /// Columns of indentation removed from each code line.
    strip: usize,
    /// A non-blank line indented less than this ends the block (its list item ended).
    min: usize,
    text: String,
    lines: usize,
}

struct Parser {
    budget: Budget,
    root: Vec<Block>,
    /// Open lists, outermost first; each has at least one item.
    lists: Vec<List>,
    /// The open paragraph's lines, joined by `\n`.
    para: Option<String>,
    fence: Option<Fence>,
}

impl Parser {
    fn container(&mut self) -> &mut Vec<Block> {
        match self.lists.last_mut().and_then(|l| l.items.last_mut()) {
            Some(item) => item,
            None => &mut self.root,
        }
    }

    fn push(&mut self, b: Block) {
        self.budget.used += 1;
        self.container().push(b);
    }

    /// Closes the open paragraph or code block.
    fn flush(&mut self) {
        if let Some(t) = self.para.take() {
            let kids = inline(t.trim_end(), &mut self.budget);
            if !kids.is_empty() {
                self.push(Block::Paragraph(kids));
            }
        }
        if let Some(f) = self.fence.take() {
            self.push(Block::Code(f.text));
        }
    }

    fn pop_list(&mut self) {
        self.flush();
        if let Some(l) = self.lists.pop() {
            let (ordered, items) = (l.ordered, l.items);
            self.container().push(Block::List { ordered, items });
        }
    }

    fn line(&mut self, line: &str) {
        let (ind, rest) = indent(line);
        if let Some(f) = &mut self.fence {
            if rest.is_empty() || ind >= f.min {
                let t = run_end(rest.as_bytes(), 0, b'`');
                if t >= f.ticks && rest[t..].trim().is_empty() {
                    self.flush();
                } else {
                    if f.lines > 0 {
                        f.text.push('\n');
                    }
                    f.text.push_str(strip_cols(line, f.strip));
                    f.lines += 1;
                }
                return;
            }
            self.flush();
        }
        if rest.is_empty() {
            self.flush();
            return;
        }
        // List markers, possibly several on one line ("- 1. x").
        let (mut col, mut rest, mut item) = (ind, rest, false);
        while let Some((ordered, one, width, content)) = marker(rest) {
            if !self.budget.room() {
                return;
            }
            let mut keep = self.lists.len();
            while keep > 0 && col < self.lists[keep - 1].indent {
                keep -= 1;
            }
            let sibling = keep > 0 && col < self.lists[keep - 1].indent + 2;
            let same = sibling && self.lists[keep - 1].ordered == ordered;
            let depth = if sibling { keep } else { keep + 1 };
            // Too deep, or a new list that may not interrupt a paragraph: text.
            let weak = content.is_empty() || (ordered && !one);
            if depth > MAX_DEPTH || (self.para.is_some() && !same && weak) {
                break;
            }
            self.flush();
            while self.lists.len() > keep {
                self.pop_list();
            }
            if sibling && !same {
                self.pop_list();
            }
            self.budget.used += 1;
            match self.lists.last_mut() {
                Some(l) if same => l.items.push(Vec::new()),
                _ => {
                    self.budget.used += 1;
                    let items = vec![Vec::new()];
                    let indent = col;
                    self.lists.push(List {
                        indent,
                        ordered,
                        items,
                    });
                }
            }
            (col, rest, item) = (col + width, content, true);
        }
        if rest.is_empty() {
            return;
        }
        let heading = heading(rest);
        let ticks = run_end(rest.as_bytes(), 0, b'`');
        // A backtick fence's info string may not hold a backtick.
        let fence = ticks >= 3 && !rest[ticks..].contains('`');
        if !item {
            if let (Some(p), None, false) = (&mut self.para, heading, fence) {
                // Lazy continuation of the open paragraph.
                p.push('\n');
                p.push_str(rest);
                return;
            }
            self.flush();
            while self.lists.last().is_some_and(|l| ind < l.indent + 2) {
                self.pop_list();
            }
        }
        if let Some(h) = heading {
            self.flush();
            let kids = inline(h, &mut self.budget);
            self.push(Block::Heading(kids));
        } else if fence {
            self.flush();
            let min = self.lists.last().map_or(0, |l| l.indent + 2);
            let text = String::new();
            self.fence = Some(Fence {
                ticks,
                strip: col,
                min,
                text,
                lines: 0,
            });
        } else if let Some(p) = &mut self.para {
            p.push('\n');
            p.push_str(rest);
        } else {
            self.para = Some(rest.to_string());
        }
    }
}

/// Leading indentation in columns (tabs to the next multiple of 4), and the rest.
fn indent(line: &str) -> (usize, &str) {
    let mut col = 0;
    for (i, c) in line.bytes().enumerate() {
        match c {
            b' ' => col += 1,
            b'\t' => col = (col / 4 + 1) * 4,
            _ => return (col, &line[i..]),
        }
    }
    (col, "")
}

fn strip_cols(line: &str, n: usize) -> &str {
    let mut col = 0;
    for (i, c) in line.bytes().enumerate() {
        if col >= n {
            return &line[i..];
        }
        match c {
            b' ' => col += 1,
            b'\t' => col = (col / 4 + 1) * 4,
            _ => return &line[i..],
        }
    }
    ""
}

fn run_end(b: &[u8], mut i: usize, c: u8) -> usize {
    while b.get(i) == Some(&c) {
        i += 1;
    }
    i
}

/// A list marker: (ordered, numbered 1, columns up to the content, content).
fn marker(rest: &str) -> Option<(bool, bool, usize, &str)> {
    let b = rest.as_bytes();
    let (ordered, one, m) = match b.first()? {
        b'-' | b'*' | b'+' => (false, false, 1),
        _ => {
            let d = b.iter().take(10).take_while(|c| c.is_ascii_digit()).count();
            if d == 0 || d > 9 || !matches!(b.get(d), Some(b'.' | b')')) {
                return None;
            }
            (true, rest[..d].trim_start_matches('0') == "1", d + 1)
        }
    };
    let (pad, content) = indent(&rest[m..]);
    (pad > 0 || content.is_empty()).then_some((ordered, one, m + pad, content))
}

/// The text of a `#`..`###` heading line, without a closing `#` sequence.
fn heading(rest: &str) -> Option<&str> {
    let h = run_end(rest.as_bytes(), 0, b'#');
    let t = &rest[h..];
    if h == 0 || h > 3 || !(t.is_empty() || t.starts_with([' ', '\t'])) {
        return None;
    }
    let t = t.trim();
    let u = t.trim_end_matches('#');
    Some(match u {
        "" => u,
        _ if u.ends_with([' ', '\t']) => u.trim_end(),
        _ => t,
    })
}

// ---------------------------------------------------------------- inlines

#[derive(Clone, Copy)]
enum Kind {
    Em(u8),
    Strong(u8),
    /// A `[` that may still become a link (false once a link formed inside it).
    Bracket(bool),
}

struct Frame {
    kind: Kind,
    kids: Vec<Inline>,
}

struct Inl<'a, 'b> {
    s: &'a str,
    root: Vec<Inline>,
    /// Open spans, at most `MAX_DEPTH`.
    stack: Vec<Frame>,
    /// `no_closer[n] = p`: no run of exactly `n` backticks starts at or after `p`.
    no_closer: [usize; MAX_TICKS + 1],
    budget: &'b mut Budget,
}

fn inline(s: &str, budget: &mut Budget) -> Vec<Inline> {
    let no_closer = [usize::MAX; MAX_TICKS + 1];
    let mut p = Inl {
        s,
        root: Vec::new(),
        stack: Vec::new(),
        no_closer,
        budget,
    };
    p.run();
    while !p.stack.is_empty() {
        p.flatten("");
    }
    p.root
}

fn push_inline(out: &mut Vec<Inline>, x: Inline) {
    match (out.last_mut(), x) {
        (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
        (_, x) => out.push(x),
    }
}

/// The label of a link, with any link inside it (an autolink) made text.
fn unlink(v: Vec<Inline>, out: &mut Vec<Inline>) {
    for x in v {
        match x {
            Inline::Link { children, .. } => unlink(children, out),
            Inline::Strong(k) => {
                let mut o = Vec::new();
                unlink(k, &mut o);
                out.push(Inline::Strong(o));
            }
            Inline::Em(k) => {
                let mut o = Vec::new();
                unlink(k, &mut o);
                out.push(Inline::Em(o));
            }
            x => push_inline(out, x),
        }
    }
}

/// Can `href` be followed? Checked on what the browser will see: no
/// whitespace or control characters (a tab in `/\t/host` would vanish and
/// make it protocol-relative).
fn safe_href(href: &str) -> bool {
    // `is_safe_link` compares byte prefixes of up to 8 bytes; hand it only an
    // ASCII prefix so it never slices inside a character.
    let a = href.bytes().take(8).take_while(u8::is_ascii).count();
    let probe = if a == href.len().min(8) {
        href
    } else {
        &href[..a]
    };
    !href.is_empty()
        && !href.chars().any(|c| c.is_whitespace() || c.is_control())
        && is_safe_link(probe)
}

/// `(dest)` at `q`: the destination and the index after `)`. No parentheses,
/// whitespace, control characters or `<>` inside (so scans never overlap).
fn dest(s: &str, q: usize) -> Option<(&str, usize)> {
    let b = s.as_bytes();
    if b.get(q) != Some(&b'(') {
        return None;
    }
    let spaces = |mut k: usize| {
        while matches!(b.get(k), Some(b' ' | b'\t')) {
            k += 1;
        }
        k
    };
    let start = spaces(q + 1);
    let mut end = start;
    while end < b.len() && !matches!(b[end], 0..=b' ' | b'(' | b')' | b'<' | b'>' | 0x7f) {
        end += 1;
    }
    let k = spaces(end);
    (b.get(k) == Some(&b')')).then(|| (&s[start..end], k + 1))
}

/// Direction marks and overrides: an autolink's text stops before them, so
/// the address shown is the address followed.
fn bidi(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// (whitespace, ASCII punctuation) for the character next to a delimiter run.
fn class(c: Option<char>) -> (bool, bool) {
    c.map_or((true, false), |c| {
        (c.is_whitespace(), c.is_ascii_punctuation())
    })
}

impl Inl<'_, '_> {
    fn top(&mut self) -> &mut Vec<Inline> {
        match self.stack.last_mut() {
            Some(f) => &mut f.kids,
            None => &mut self.root,
        }
    }

    fn text(&mut self, t: &str) {
        let kids = match self.stack.last_mut() {
            Some(f) => &mut f.kids,
            None => &mut self.root,
        };
        match kids.last_mut() {
            _ if t.is_empty() => {}
            Some(Inline::Text(x)) => x.push_str(t),
            _ => {
                self.budget.used += 1;
                kids.push(Inline::Text(t.to_string()));
            }
        }
    }

    fn node(&mut self, n: Inline) {
        self.budget.used += 1;
        self.top().push(n);
    }

    fn open(&mut self, kind: Kind) {
        self.budget.used += 1;
        self.stack.push(Frame {
            kind,
            kids: Vec::new(),
        });
    }

    /// Turns the innermost open span back into text: its opener, its
    /// content, then `close`.
    fn flatten(&mut self, close: &str) {
        if let Some(f) = self.stack.pop() {
            self.text(match f.kind {
                Kind::Em(b'*') => "*",
                Kind::Em(_) => "_",
                Kind::Strong(b'*') => "**",
                Kind::Strong(_) => "__",
                Kind::Bracket(_) => "[",
            });
            let top = self.top();
            f.kids.into_iter().for_each(|k| push_inline(top, k));
            self.text(close);
        }
    }

    fn run(&mut self) {
        let s = self.s;
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !self.budget.room() {
                return;
            }
            let mut j = i;
            while j < b.len()
                && !matches!(
                    b[j],
                    b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'\n' | b'h' | b'H'
                )
            {
                j += 1;
            }
            if j > i {
                self.text(&s[i..j]);
                i = j;
                continue;
            }
            i = match b[i] {
                b'\\' => match b.get(i + 1) {
                    Some(b'\n') => {
                        self.node(Inline::LineBreak);
                        i + 2
                    }
                    Some(c) if c.is_ascii_punctuation() => {
                        self.text(&s[i + 1..i + 2]);
                        i + 2
                    }
                    _ => {
                        self.text("\\");
                        i + 1
                    }
                },
                b'\n' => {
                    self.newline();
                    i + 1
                }
                b'`' => self.code(i),
                b'[' => {
                    if self.stack.len() < MAX_DEPTH {
                        self.open(Kind::Bracket(true));
                    } else {
                        self.text("[");
                    }
                    i + 1
                }
                b']' => self.close_bracket(i),
                b'*' | b'_' => self.delims(i),
                _ => self.autolink(i),
            };
        }
    }

    /// A soft break becomes a space; two or more trailing spaces, a hard break.
    fn newline(&mut self) {
        let kids = self.top();
        let mut spaces = 0;
        if let Some(Inline::Text(t)) = kids.last_mut() {
            let keep = t.trim_end_matches(' ').len();
            spaces = t.len() - keep;
            t.truncate(keep);
            if keep == 0 {
                kids.pop();
            }
        }
        if spaces >= 2 {
            self.node(Inline::LineBreak);
        } else {
            self.text(" ");
        }
    }

    fn code(&mut self, p: usize) -> usize {
        let s = self.s;
        let b = s.as_bytes();
        let end = run_end(b, p, b'`');
        let n = end - p;
        if n <= MAX_TICKS && end < self.no_closer[n] {
            let mut k = end;
            while k < b.len() {
                if b[k] != b'`' {
                    k += 1;
                    continue;
                }
                let e = run_end(b, k, b'`');
                if e - k == n {
                    let raw = &s[end..k];
                    let pad = raw.len() >= 2
                        && raw.starts_with(' ')
                        && raw.ends_with(' ')
                        && raw.bytes().any(|c| c != b' ');
                    let raw = if pad { &raw[1..raw.len() - 1] } else { raw };
                    self.node(Inline::Code(raw.replace('\n', " ")));
                    return e;
                }
                k = e;
            }
            self.no_closer[n] = end;
        }
        self.text(&s[p..end]);
        end
    }

    /// A run of `*` or `_`: closes open spans, then opens new ones, with
    /// CommonMark's flanking rules (ASCII punctuation only).
    fn delims(&mut self, p: usize) -> usize {
        let s = self.s;
        let c = s.as_bytes()[p];
        let end = run_end(s.as_bytes(), p, c);
        let (pw, pp) = class(s[..p].chars().next_back());
        let (nw, np) = class(s[end..].chars().next());
        let left = !nw && (!np || pw || pp);
        let right = !pw && (!pp || nw || np);
        let (open, close) = match c {
            b'*' => (left, right),
            _ => (left && (!right || pp), right && (!left || np)),
        };
        let mut k = end - p;
        while close && k > 0 {
            let mut found = None;
            for (x, f) in self.stack.iter().enumerate().rev() {
                match f.kind {
                    Kind::Bracket(_) => break,
                    Kind::Strong(d) if d == c && k >= 2 => found = Some((x, 2)),
                    Kind::Em(d) if d == c => found = Some((x, 1)),
                    _ => continue,
                }
                break;
            }
            let Some((x, used)) = found else { break };
            while self.stack.len() > x + 1 {
                self.flatten("");
            }
            if let Some(f) = self.stack.pop() {
                let kids = f.kids;
                self.top().push(if used == 2 {
                    Inline::Strong(kids)
                } else {
                    Inline::Em(kids)
                });
            }
            k -= used;
        }
        if open {
            let lit = k.saturating_sub(3);
            self.text(&s[p..p + lit]);
            k -= lit;
            while k > 0 && self.stack.len() < MAX_DEPTH {
                let two = k >= 2;
                self.open(if two { Kind::Strong(c) } else { Kind::Em(c) });
                k -= 1 + usize::from(two);
            }
        }
        self.text(&s[p..p + k]);
        end
    }

    fn close_bracket(&mut self, j: usize) -> usize {
        let at = self
            .stack
            .iter()
            .rposition(|f| matches!(f.kind, Kind::Bracket(_)));
        let Some(x) = at else {
            self.text("]");
            return j + 1;
        };
        while self.stack.len() > x + 1 {
            self.flatten("");
        }
        let active = matches!(self.stack.last(), Some(f) if matches!(f.kind, Kind::Bracket(true)));
        if let (true, Some((href, after))) = (active, dest(self.s, j + 1)) {
            if let Some(f) = self.stack.pop() {
                // No links inside links: outer brackets stay text.
                for g in &mut self.stack {
                    if let Kind::Bracket(a) = &mut g.kind {
                        *a = false;
                    }
                }
                let mut children = Vec::new();
                unlink(f.kids, &mut children);
                if safe_href(href) {
                    let href = href.to_string();
                    self.top().push(Inline::Link { href, children });
                } else {
                    let top = self.top();
                    children.into_iter().for_each(|k| push_inline(top, k));
                }
            }
            return after;
        }
        self.flatten("]");
        j + 1
    }

    /// A bare `http://` or `https://` address, GFM style: it ends at
    /// whitespace, `<>"[]` or a backtick, without trailing punctuation or an
    /// unbalanced `)`.
    fn autolink(&mut self, p: usize) -> usize {
        let s = self.s;
        let b = s.as_bytes();
        let scheme = ["https://", "http://"]
            .iter()
            .find(|x| {
                b.len() >= p + x.len() && b[p..p + x.len()].eq_ignore_ascii_case(x.as_bytes())
            })
            .map_or(0, |x| x.len());
        let word = s[..p]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if scheme > 0 && !word && self.stack.len() < MAX_DEPTH {
            let start = p + scheme;
            let (mut end, mut opens, mut closes) = (start, 0, 0);
            for ch in s[start..].chars() {
                if ch.is_whitespace() || ch.is_control() || "<>\"`[]".contains(ch) || bidi(ch) {
                    break;
                }
                opens += usize::from(ch == '(');
                closes += usize::from(ch == ')');
                end += ch.len_utf8();
            }
            while end > start {
                let last = b[end - 1];
                if last == b')' && closes > opens {
                    closes -= 1;
                } else if !b".,:;!?*_~'".contains(&last) {
                    break;
                }
                end -= 1;
            }
            let url = &s[p..end];
            if end > start && safe_href(url) {
                self.budget.used += 2;
                let children = vec![Inline::Text(url.to_string())];
                self.top().push(Inline::Link {
                    href: url.to_string(),
                    children,
                });
                return end;
            }
        }
        self.text(&s[p..p + 1]);
        p + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }
    fn st(v: Vec<Inline>) -> Inline {
        Inline::Strong(v)
    }
    fn em(v: Vec<Inline>) -> Inline {
        Inline::Em(v)
    }
    fn c(s: &str) -> Inline {
        Inline::Code(s.into())
    }
    fn a(href: &str, v: Vec<Inline>) -> Inline {
        Inline::Link {
            href: href.into(),
            children: v,
        }
    }
    /// An autolink: its text is its address.
    fn al(href: &str) -> Inline {
        a(href, vec![t(href)])
    }
    const BR: Inline = Inline::LineBreak;
    fn p(v: Vec<Inline>) -> Block {
        Block::Paragraph(v)
    }
    fn pt(s: &str) -> Block {
        p(vec![t(s)])
    }
    fn h(v: Vec<Inline>) -> Block {
        Block::Heading(v)
    }
    fn code(s: &str) -> Block {
        Block::Code(s.into())
    }
    fn ul(items: Vec<Vec<Block>>) -> Block {
        Block::List {
            ordered: false,
            items,
        }
    }
    fn ol(items: Vec<Vec<Block>>) -> Block {
        Block::List {
            ordered: true,
            items,
        }
    }

    #[test]
    fn table() {
        let cases: Vec<(&str, Vec<Block>)> = vec![
            ("", vec![]),
            ("  \n\n \t \n", vec![]),
            ("Hello world", vec![pt("Hello world")]),
            (
                "One\n\nTwo\r\n\r\nThree",
                vec![pt("One"), pt("Two"), pt("Three")],
            ),
            ("line one \nline two", vec![pt("line one line two")]),
            (
                "a  \nb\\\nc\\",
                vec![p(vec![t("a"), BR, t("b"), BR, t("c\\")])],
            ),
            (
                "**bold** and *em* and _em2_ and __b2__",
                vec![p(vec![
                    st(vec![t("bold")]),
                    t(" and "),
                    em(vec![t("em")]),
                    t(" and "),
                    em(vec![t("em2")]),
                    t(" and "),
                    st(vec![t("b2")]),
                ])],
            ),
            (
                "snake_case_name and 2 * 3 * 4",
                vec![pt("snake_case_name and 2 * 3 * 4")],
            ),
            (
                "***both*** **a *b* c**",
                vec![p(vec![
                    st(vec![em(vec![t("both")])]),
                    t(" "),
                    st(vec![t("a "), em(vec![t("b")]), t(" c")]),
                ])],
            ),
            ("*unclosed and **also", vec![pt("*unclosed and **also")]),
            ("* not a list*", vec![ul(vec![vec![pt("not a list*")]])]),
            ("\\*not em\\* \\[x\\] \\q", vec![pt("*not em* [x] \\q")]),
            (
                "use `a*b [c](/d)` here",
                vec![p(vec![t("use "), c("a*b [c](/d)"), t(" here")])],
            ),
            (
                "`` a`b `` and ``` ` ```",
                vec![p(vec![c("a`b"), t(" and "), c("`")])],
            ),
            ("`open only and ``two", vec![pt("`open only and ``two")]),
            (
                "- a\n- b\n* c",
                vec![ul(vec![vec![pt("a")], vec![pt("b")], vec![pt("c")]])],
            ),
            (
                "1. one\n2) two\n10. ten",
                vec![ol(vec![vec![pt("one")], vec![pt("two")], vec![pt("ten")]])],
            ),
            (
                "- a\n  - b\n    1. c\n- d",
                vec![ul(vec![
                    vec![pt("a"), ul(vec![vec![pt("b"), ol(vec![vec![pt("c")]])]])],
                    vec![pt("d")],
                ])],
            ),
            (
                "- a\n\n  more\n- b\nlazy",
                vec![ul(vec![vec![pt("a"), pt("more")], vec![pt("b lazy")]])],
            ),
            ("- a\n\nafter", vec![ul(vec![vec![pt("a")]]), pt("after")]),
            (
                "- a\n1. b",
                vec![ul(vec![vec![pt("a")]]), ol(vec![vec![pt("b")]])],
            ),
            ("text\n- item", vec![pt("text"), ul(vec![vec![pt("item")]])]),
            (
                "text\n2. not a list\n-\n1.5 kg",
                vec![pt("text 2. not a list - 1.5 kg")],
            ),
            (
                "- - x\n-\n- **b**",
                vec![ul(vec![
                    vec![ul(vec![vec![pt("x")]])],
                    vec![],
                    vec![p(vec![st(vec![t("b")])])],
                ])],
            ),
            (
                "```js\ncode *x*\n  <b>\n\n```\nafter",
                vec![code("code *x*\n  <b>\n"), pt("after")],
            ),
            ("````\n```\n````", vec![code("```")]),
            ("```a`b\npara", vec![pt("```a`b para")]),
            (
                "https://a.example/\u{202e}exe.txt",
                vec![p(vec![al("https://a.example/"), t("\u{202e}exe.txt")])],
            ),
            ("```\nunterminated\n", vec![code("unterminated")]),
            (
                "- ```\n  let x = 1;\n    y\n  ```\n- b",
                vec![ul(vec![vec![code("let x = 1;\n  y")], vec![pt("b")]])],
            ),
            (
                "- ```\n  open\n- b",
                vec![ul(vec![vec![code("open")], vec![pt("b")]])],
            ),
            (
                "# Title\n## Sub *x* ##\n### Three\n#### Four\n#no",
                vec![
                    h(vec![t("Title")]),
                    h(vec![t("Sub "), em(vec![t("x")])]),
                    h(vec![t("Three")]),
                    pt("#### Four #no"),
                ],
            ),
            (
                "para\n# Head\n- # In item",
                vec![
                    pt("para"),
                    h(vec![t("Head")]),
                    ul(vec![vec![h(vec![t("In item")])]]),
                ],
            ),
            (
                "[Help](https://help.example/a)",
                vec![p(vec![a("https://help.example/a", vec![t("Help")])])],
            ),
            (
                "[**Bold** link]( /returns?x=1#y ) [m](MAILTO:help@a.example) [c](tel:+441234)",
                vec![p(vec![
                    a("/returns?x=1#y", vec![st(vec![t("Bold")]), t(" link")]),
                    t(" "),
                    a("MAILTO:help@a.example", vec![t("m")]),
                    t(" "),
                    a("tel:+441234", vec![t("c")]),
                ])],
            ),
            (
                "See https://help.example/x. Or HTTP://a.example/b_(c)).",
                vec![p(vec![
                    t("See "),
                    al("https://help.example/x"),
                    t(". Or "),
                    al("HTTP://a.example/b_(c)"),
                    t(")."),
                ])],
            ),
            (
                "**https://a.example/** xhttps://no <https://b.example>",
                vec![p(vec![
                    st(vec![al("https://a.example/")]),
                    t(" xhttps://no <"),
                    al("https://b.example"),
                    t(">"),
                ])],
            ),
            ("https:// and http://.", vec![pt("https:// and http://.")]),
            (
                "a [b [c](/c) d](/e)",
                vec![p(vec![t("a [b "), a("/c", vec![t("c")]), t(" d](/e)")])],
            ),
            (
                "[see https://a.example](https://b.example)",
                vec![p(vec![a(
                    "https://b.example",
                    vec![t("see https://a.example")],
                )])],
            ),
            ("[not a link] (x) [y]", vec![pt("[not a link] (x) [y]")]),
            (
                "*a [b* c](/d)",
                vec![p(vec![t("*a "), a("/d", vec![t("b* c")])])],
            ),
            // Unsafe links: the label stays, as text.
            ("[x](javascript:alert%281%29)", vec![pt("x")]),
            ("go [x](JaVaScRiPt:alert) now", vec![pt("go x now")]),
            ("[x](  javascript:alert)", vec![pt("x")]),
            ("[x](data:text/html;base64,PHNjcmlwdD4=)", vec![pt("x")]),
            ("[x](vbscript:msgbox)", vec![pt("x")]),
            ("[x](//evil.example) [y](/\\evil.example)", vec![pt("x y")]),
            (
                "[x](java&#115;cript:alert) [y](&#106;avascript:1)",
                vec![pt("x y")],
            ),
            (
                "[x](javascript&colon;alert) [y](jav%61script:1)",
                vec![pt("x y")],
            ),
            (
                "[x](ftp://a.example) [y](help.html) [z]()",
                vec![pt("x y z")],
            ),
            ("[**x**](javascript:1)", vec![p(vec![st(vec![t("x")])])]),
            ("[x](https:/\u{e9}) [y](/\u{a0}/evil)", vec![pt("x y")]),
            // Not link syntax at all: stays literal.
            (
                "[x](javascript:alert(1))",
                vec![pt("[x](javascript:alert(1))")],
            ),
            ("[x](/a b)", vec![pt("[x](/a b)")]),
            // HTML is text.
            (
                "<script>alert(1)</script>\n<a href=\"javascript:x\">hi</a>",
                vec![pt(
                    "<script>alert(1)</script> <a href=\"javascript:x\">hi</a>",
                )],
            ),
            (
                "&lt;b&gt; &amp; <img src=x onerror=alert(1)>",
                vec![pt("&lt;b&gt; &amp; <img src=x onerror=alert(1)>")],
            ),
            // RTL, emoji, combining marks.
            (
                "שלום **עולם**\n\n- פריט א\n- [עזרה](/he/help)",
                vec![
                    p(vec![t("שלום "), st(vec![t("עולם")])]),
                    ul(vec![
                        vec![pt("פריט א")],
                        vec![p(vec![a("/he/help", vec![t("עזרה")])])],
                    ]),
                ],
            ),
            (
                "مرحبا _عالم_ \u{200f}https://example.com/ع",
                vec![p(vec![
                    t("مرحبا "),
                    em(vec![t("عالم")]),
                    t(" \u{200f}"),
                    al("https://example.com/ع"),
                ])],
            ),
            (
                "e\u{301}*x\u{301}* 👍🏽 *🇮🇱*",
                vec![p(vec![
                    t("e\u{301}"),
                    em(vec![t("x\u{301}")]),
                    t(" 👍🏽 "),
                    em(vec![t("🇮🇱")]),
                ])],
            ),
        ];
        assert!(cases.len() >= 25);
        for (body, want) in cases {
            assert_eq!(parse(body).blocks, want, "{body:?}");
        }
    }

    #[test]
    fn plain_text_of_every_block() {
        let doc = parse("# T\n\npara *x*  \nnext\n\n- a\n  - b\n\n```\nc1\nc2\n```\n[l](/x) `k`");
        assert_eq!(plain_text(&doc), "T\npara x\nnext\na\nb\nc1\nc2\nl k");
        assert_eq!(plain_text(&parse("")), "");
    }

    #[test]
    fn nesting_is_capped() {
        // Lists: ten levels by indentation; the ninth and tenth stay text.
        let body: String = (0..10)
            .map(|i| format!("{}- l{i}\n", "  ".repeat(i)))
            .collect();
        let doc = parse(&body);
        assert_eq!(list_depth(&doc.blocks), MAX_DEPTH);
        assert_eq!(plain_text(&doc), "l0\nl1\nl2\nl3\nl4\nl5\nl6\nl7 - l8 - l9");
        // Inline: ten nested emphasis spans.
        let open: String = (0..10)
            .map(|i| if i % 2 == 0 { "*a " } else { "_b " })
            .collect();
        let close: String = (0..10)
            .rev()
            .map(|i| if i % 2 == 0 { " a*" } else { " b_" })
            .collect();
        let doc = parse(&format!("{open}x{close}"));
        assert!(inline_depth_blocks(&doc.blocks) <= MAX_DEPTH);
        assert!(plain_text(&doc).contains('x'));
    }

    #[test]
    fn long_input_is_cut_with_an_ellipsis() {
        let body = "é".repeat(MAX_CHARS + 5);
        let doc = parse(&body);
        let text = plain_text(&doc);
        assert_eq!(text.chars().count(), MAX_CHARS + 1);
        assert!(text.ends_with("é…"));
        // Exactly at the limit: untouched.
        assert_eq!(plain_text(&parse(&"a".repeat(MAX_CHARS))).len(), MAX_CHARS);
    }

    #[test]
    fn node_budget_is_capped() {
        let doc = parse(&"*a* ".repeat(4_000));
        let n = nodes(&doc.blocks);
        assert!(n <= MAX_NODES && n > MAX_NODES - 2 * RESERVE, "{n}");
        assert_eq!(doc.blocks.last(), Some(&pt(ELLIPSIS)));
    }

    // ------------------------------------------------------------ adversarial

    fn nodes(blocks: &[Block]) -> usize {
        fn inl(v: &[Inline]) -> usize {
            v.iter()
                .map(|x| match x {
                    Inline::Strong(k) | Inline::Em(k) | Inline::Link { children: k, .. } => {
                        1 + inl(k)
                    }
                    _ => 1,
                })
                .sum()
        }
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(v) | Block::Heading(v) => 1 + inl(v),
                Block::Code(_) => 1,
                Block::List { items, .. } => 1 + items.iter().map(|i| 1 + nodes(i)).sum::<usize>(),
            })
            .sum()
    }

    fn list_depth(blocks: &[Block]) -> usize {
        let item = |i: &Vec<Block>| list_depth(i);
        blocks
            .iter()
            .map(|b| match b {
                Block::List { items, .. } => 1 + items.iter().map(item).max().unwrap_or(0),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    fn inline_depth(v: &[Inline]) -> usize {
        v.iter()
            .map(|x| match x {
                Inline::Strong(k) | Inline::Em(k) | Inline::Link { children: k, .. } => {
                    1 + inline_depth(k)
                }
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    fn inline_depth_blocks(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(v) | Block::Heading(v) => inline_depth(v),
                Block::Code(_) => 0,
                Block::List { items, .. } => items
                    .iter()
                    .map(|i| inline_depth_blocks(i))
                    .max()
                    .unwrap_or(0),
            })
            .max()
            .unwrap_or(0)
    }

    fn hrefs(v: &[Inline], out: &mut Vec<String>) {
        for x in v {
            match x {
                Inline::Link { href, children } => {
                    out.push(href.clone());
                    hrefs(children, out);
                }
                Inline::Strong(k) | Inline::Em(k) => hrefs(k, out),
                _ => {}
            }
        }
    }

    fn all_hrefs(blocks: &[Block], out: &mut Vec<String>) {
        for b in blocks {
            match b {
                Block::Paragraph(v) | Block::Heading(v) => hrefs(v, out),
                Block::Code(_) => {}
                Block::List { items, .. } => items.iter().for_each(|i| all_hrefs(i, out)),
            }
        }
    }

    /// Every cap holds and every `href` is safe.
    fn check(body: &str) -> Doc {
        let doc = parse(body);
        assert!(nodes(&doc.blocks) <= MAX_NODES, "nodes");
        assert!(list_depth(&doc.blocks) <= MAX_DEPTH, "list depth");
        assert!(
            inline_depth_blocks(&doc.blocks) <= MAX_DEPTH,
            "inline depth"
        );
        let mut links = Vec::new();
        all_hrefs(&doc.blocks, &mut links);
        for l in links {
            assert!(
                is_safe_link(&l) && !l.contains(char::is_whitespace),
                "{l:?}"
            );
        }
        assert!(plain_text(&doc).chars().count() <= MAX_CHARS + 3);
        doc
    }

    #[test]
    fn one_megabyte_body() {
        let unit = "**a** [b](https://x.example/b) `c` _d_ https://e.example\n- f\n  1. g\n\n";
        let body = unit.repeat(1_000_000 / unit.len() + 1);
        assert!(body.len() >= 1_000_000);
        let doc = check(&body);
        assert_eq!(doc.blocks.last(), Some(&pt(ELLIPSIS)));
        let words = "help me ".repeat(130_000);
        let doc = check(&words);
        assert_eq!(doc.blocks.len(), 1);
    }

    #[test]
    fn hundred_kilobytes_of_each_special_character() {
        for ch in [
            "*", "_", "[", "]", "`", "\\", "#", "-", "+", "1.", "(", ")", "<", ">", "h", "!", "&",
            "\n", " ", "\t", "é", "\u{301}",
        ] {
            check(&ch.repeat(100_000 / ch.len()));
        }
        let patterns = [
            "[](",
            "](",
            "[a](",
            "[a](/b",
            "*a",
            "a*",
            "_a ",
            "**a",
            "*a _b ",
            "`a``",
            "` ``",
            "[*",
            "*[",
            "[`]",
            "https://",
            "http://a(",
            "- ",
            "  - ",
            "1. ",
            "```\n",
            "- ```\n",
            "# ",
            "\\\n",
            "a  \n",
            "[x](/y) ",
            "**_",
            "__*",
            "*_*_",
            "[![",
            "[]()",
            "<a>",
            "\u{202e}*",
        ];
        for pat in patterns {
            check(&pat.repeat(100_000 / pat.len()));
        }
    }

    #[test]
    fn ten_thousand_nested_list_markers() {
        for m in ["- ", "* ", "1. ", "+ 1) "] {
            let doc = check(&(m.repeat(10_000) + "x"));
            assert_eq!(list_depth(&doc.blocks), MAX_DEPTH);
        }
        let stairs: String = (0..200)
            .map(|i| format!("{}- x\n", " ".repeat(2 * i)))
            .collect();
        assert_eq!(list_depth(&check(&stairs).blocks), MAX_DEPTH);
        let lines = "- a\n  - b\n".repeat(10_000);
        check(&lines);
    }

    #[test]
    fn fifty_thousand_brackets() {
        let doc = check(&"[".repeat(50_000));
        assert_eq!(plain_text(&doc), "[".repeat(MAX_CHARS) + ELLIPSIS);
        check(&("[".repeat(50_000) + "x](/y)"));
        check(&("[a](".repeat(25_000) + ")"));
    }

    #[test]
    fn random_bodies_never_break_the_caps() {
        let alphabet: Vec<&str> = vec![
            "*",
            "**",
            "_",
            "[",
            "]",
            "(",
            ")",
            "`",
            "```",
            "\\",
            "\n",
            "\n\n",
            " ",
            "  ",
            "\t",
            "-",
            "1.",
            "#",
            "https://",
            "/x",
            "javascript:",
            "a",
            "é",
            "ש",
            "👍🏽",
            "\u{301}",
            "<",
            ">",
            "!",
            "\r",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..3_000 {
            let len = if round % 500 == 0 {
                8_000
            } else {
                (next() % 120) as usize
            };
            let body: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            check(&body);
        }
    }
}
