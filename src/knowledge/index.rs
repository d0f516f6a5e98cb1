//! The inverted index over the answers and its scoring.
//!
//! Every answer is indexed once per language version: its default text and
//! each translation is a *document* with four fields (title, questions,
//! tags, body). Every title, question, tag and body is also a *unit*, and
//! postings point at units, so one pass over a term's postings gives both
//!
//! * the document's **BM25F** score (field-weighted term frequencies, each
//!   field length-normalised, saturated once per term), and
//! * the best **single question** score: each title and question scored with
//!   BM25 as a short document of its own. A visitor's question usually
//!   paraphrases *one* of the listed questions, so the best one is a strong
//!   signal that whole-answer statistics blur.
//!
//! An answer scores the best of its language versions. Queries are analysed
//! with each version's language rules, so a Turkish translation is matched
//! with Turkish case folding and an English text with English stemming.
//!
//! The index is built once at init and updated in place when answers are
//! added, replaced or removed.

use super::text::{self, Lang};
use super::{Answer, Settings};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;

const TITLE: u8 = 0;
const QUESTIONS: u8 = 1;
const TAGS: u8 = 2;
const BODY: u8 = 3;
/// Most completions one typed prefix expands to.
const MAX_COMPLETIONS: usize = 24;
/// Most vocabulary entries scanned for completions of one prefix.
const MAX_PREFIX_SCAN: usize = 2000;
/// Shortest word (in characters) matched with one typo.
///
/// ```
/// use pathlight::knowledge::index::TYPO_MIN_CHARS;
/// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
///   {"id": "a", "title": "Refund card", "body": "B"}]}"#).unwrap();
/// assert_eq!(TYPO_MIN_CHARS, 5);
/// assert!(!k.search("refnud.", "en", 0, 1).is_empty()); // 6 letters: one typo allowed
/// assert!(k.search("crad.", "en", 0, 1).is_empty()); // 4 letters: exact only
/// ```
pub const TYPO_MIN_CHARS: usize = 5;
/// Score factor for a language version in the visitor's own language.
const OWN_LANGUAGE: f32 = 1.1;

/// The search index. Built by [`Knowledge`](super::Knowledge); its
/// `Debug` output is a size summary.
///
/// ```
/// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
///   {"id": "a", "title": "Lost card", "body": "Freeze it in the app."}]}"#).unwrap();
/// assert_eq!(k.search("lost card", "en", 0, 1)[0].id, "a");
/// ```
#[derive(Clone, Default)]
pub struct Index {
    /// Term (stemmed, folded) to term id.
    vocab: BTreeMap<Box<str>, u32>,
    terms: Vec<Term>,
    /// Every folded word seen, to its term: for prefix and typo matching.
    surfaces: BTreeMap<Box<str>, u32>,
    units: Vec<Unit>,
    docs: Vec<Doc>,
    /// Sum of each field's length over live documents.
    field_len: [u64; 4],
    /// Sum of the lengths of live titles and questions.
    unit_len: u64,
    live_units: u32,
    live_docs: u32,
    /// The distinct languages of live documents.
    langs: Vec<Lang>,
    /// Live documents are in more than one locale.
    multilingual: bool,
    answers: usize,
    /// Per-unit and per-document factors for the settings last prepared.
    cache: Cache,
    /// The words of `surfaces` in a flat list, for the typo scan.
    typo_scan: Vec<ScanEntry>,
}

/// A word for the typo scan, with a cheap filter: the set of its letters
/// hashed into 64 bits. One edit changes at most two bits of it.
#[derive(Clone)]
struct ScanEntry {
    letters: u64,
    chars: u8,
    term: u32,
    word: Box<str>,
}

/// The letter-set signature of a word.
fn letters(word: &str) -> u64 {
    word.chars().fold(0u64, |sig, c| {
        sig | 1u64 << ((c as u32).wrapping_mul(0x9E37_79B1) >> 26)
    })
}

/// Length normalisation precomputed for one set of [`Settings`], so
/// scoring a posting needs at most one division.
#[derive(Clone, Default)]
struct Cache {
    settings: Option<Settings>,
    /// Per unit: `k1 * (1 - b + b * len / avg)`.
    unit_k: Vec<f32>,
    /// Per unit: the saturated score of one occurrence, `(k1 + 1) / (1 + unit_k)`.
    unit_one: Vec<f32>,
    /// Per document and field: `weight / (1 - b + b * len / avg)`.
    doc_w: Vec<[f32; 4]>,
}

impl fmt::Debug for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Index")
            .field("terms", &self.terms.len())
            .field("words", &self.surfaces.len())
            .field("units", &self.units.len())
            .field("docs", &self.live_docs)
            .finish()
    }
}

#[derive(Clone, Default)]
struct Term {
    postings: Vec<Posting>,
    /// Live documents holding the term.
    docs: u32,
    /// Live titles and questions holding the term.
    units: u32,
}

#[derive(Clone, Copy)]
struct Posting {
    unit: u32,
    tf: u16,
}

#[derive(Clone, Copy)]
struct Unit {
    doc: u32,
    field: u8,
    len: u16,
}

#[derive(Clone)]
struct Doc {
    answer: u32,
    lang: Lang,
    /// Primary language subtag of the version's locale.
    primary: Box<str>,
    live: bool,
    len: [u32; 4],
    /// Distinct terms, for removal.
    terms: Vec<u32>,
}

/// One text to rank answers against, with its weight.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    text: &'a str,
    prefix: bool,
    weight: f32,
    context: bool,
}

impl<'a> Query<'a> {
    /// A typed query; `prefix` makes its last word match as a prefix.
    ///
    /// ```
    /// let q = pathlight::knowledge::index::Query::new("lost ca", true, 1.0);
    /// assert!(format!("{q:?}").contains("lost ca"));
    /// ```
    pub fn new(text: &'a str, prefix: bool, weight: f32) -> Query<'a> {
        Query {
            text,
            prefix,
            weight,
            context: false,
        }
    }

    /// A context text (page title, form error...): stop words are dropped
    /// and its score is normalised to 0..=1 before `weight` applies, so a
    /// long text does not outweigh a short one.
    ///
    /// ```
    /// let q = pathlight::knowledge::index::Query::context("Your card was declined", 3.0);
    /// assert!(format!("{q:?}").contains("declined"));
    /// ```
    pub fn context(text: &'a str, weight: f32) -> Query<'a> {
        Query {
            text,
            prefix: false,
            weight,
            context: true,
        }
    }
}

impl Query<'_> {
    pub(crate) fn weight(&self) -> f32 {
        self.weight
    }
}

/// A query word and the terms it matches, each with a weight.
struct Expanded {
    terms: Vec<(u32, f32)>,
}

impl Index {
    /// Index `answers`, whose untranslated text is in `locale`.
    pub(crate) fn build(answers: &[Answer], locale: &str) -> Index {
        let mut index = Index::default();
        for (i, a) in answers.iter().enumerate() {
            index.add_answer(i, a, locale);
        }
        index.answers = answers.len();
        index.refresh_langs();
        index
    }

    /// Index `answer` after the others.
    pub(crate) fn push(&mut self, answer: &Answer, locale: &str) {
        self.add_answer(self.answers, answer, locale);
        self.answers += 1;
        self.refresh_langs();
    }

    /// Re-index the answer at `slot` as `answer`.
    pub(crate) fn replace(&mut self, slot: usize, answer: &Answer, locale: &str) {
        self.drop_docs(slot);
        self.add_answer(slot, answer, locale);
        self.refresh_langs();
    }

    /// Drop the answer at `slot`; later answers move down one slot.
    pub(crate) fn delete(&mut self, slot: usize) {
        self.drop_docs(slot);
        for d in self.docs.iter_mut().filter(|d| d.live) {
            if d.answer as usize > slot {
                d.answer -= 1;
            }
        }
        self.answers = self.answers.saturating_sub(1);
        self.refresh_langs();
    }

    fn drop_docs(&mut self, slot: usize) {
        for d in 0..self.docs.len() {
            let doc = &self.docs[d];
            if !doc.live || doc.answer as usize != slot {
                continue;
            }
            let terms = std::mem::take(&mut self.docs[d].terms);
            for &t in &terms {
                let units = &self.units;
                let term = &mut self.terms[t as usize];
                let mut gone_units = 0;
                term.postings.retain(|p| {
                    let u = units[p.unit as usize];
                    let keep = u.doc as usize != d;
                    if !keep && matchable(u.field) {
                        gone_units += 1;
                    }
                    keep
                });
                term.units -= gone_units;
                term.docs -= 1;
            }
            for u in self.units.iter().filter(|u| u.doc as usize == d) {
                if matchable(u.field) {
                    self.unit_len -= u64::from(u.len);
                    self.live_units -= 1;
                }
            }
            let doc = &mut self.docs[d];
            for f in 0..4 {
                self.field_len[f] -= u64::from(doc.len[f]);
            }
            doc.live = false;
            self.live_docs -= 1;
        }
    }

    fn refresh_langs(&mut self) {
        self.langs.clear();
        self.multilingual = false;
        let mut first: Option<&str> = None;
        for d in self.docs.iter().filter(|d| d.live) {
            if !self.langs.contains(&d.lang) {
                self.langs.push(d.lang);
            }
            match first {
                None => first = Some(&d.primary),
                Some(f) => self.multilingual |= !f.eq_ignore_ascii_case(&d.primary),
            }
        }
    }

    fn add_answer(&mut self, slot: usize, a: &Answer, locale: &str) {
        let default = Version {
            lang: Lang::from_locale(locale),
            primary: super::primary(locale),
            title: &a.title,
            questions: &a.questions,
            body: &a.body,
        };
        self.add_doc(slot, &default, &a.tags);
        for t in &a.translations {
            let v = Version {
                lang: Lang::from_locale(&t.locale),
                primary: super::primary(&t.locale),
                title: &t.title,
                questions: &t.questions,
                body: &t.body,
            };
            self.add_doc(slot, &v, &a.tags);
        }
    }

    fn add_doc(&mut self, slot: usize, v: &Version, tags: &[String]) {
        let d = self.docs.len() as u32;
        let mut doc = Doc {
            answer: slot as u32,
            lang: v.lang,
            primary: v.primary.into(),
            live: true,
            len: [0; 4],
            terms: Vec::new(),
        };
        let mut counts: Vec<(u32, u16)> = Vec::new();
        let fields: [(u8, &[String]); 2] = [(QUESTIONS, v.questions), (TAGS, tags)];
        self.add_unit(d, TITLE, v.title, v.lang, &mut doc, &mut counts);
        for (field, texts) in fields {
            for t in texts {
                self.add_unit(d, field, t, v.lang, &mut doc, &mut counts);
            }
        }
        self.add_unit(d, BODY, v.body, v.lang, &mut doc, &mut counts);
        for &t in &doc.terms {
            self.terms[t as usize].docs += 1;
        }
        for f in 0..4 {
            self.field_len[f] += u64::from(doc.len[f]);
        }
        self.docs.push(doc);
        self.live_docs += 1;
    }

    fn add_unit(
        &mut self,
        d: u32,
        field: u8,
        text: &str,
        lang: Lang,
        doc: &mut Doc,
        counts: &mut Vec<(u32, u16)>,
    ) {
        counts.clear();
        let mut len: u32 = 0;
        let mut term = String::new();

        text::for_each_word(text, lang, |w| {
            if text::drops_stop_words(lang) && text::is_stop_word(w, lang) {
                return;
            }
            term.clear();
            term.push_str(w);
            text::stem(&mut term, lang);
            let id = self.intern(w, &term);
            match counts.iter_mut().find(|(t, _)| *t == id) {
                Some((_, n)) => *n = n.saturating_add(1),
                None => counts.push((id, 1)),
            }
            len += 1;
        });
        if len == 0 && field != TITLE && field != QUESTIONS {
            return;
        }
        let u = self.units.len() as u32;
        let len = u16::try_from(len).unwrap_or(u16::MAX);
        self.units.push(Unit { doc: d, field, len });
        doc.len[field as usize] += u32::from(len);
        if matchable(field) {
            self.unit_len += u64::from(len);
            self.live_units += 1;
        }
        for &(t, tf) in counts.iter() {
            let term = &mut self.terms[t as usize];
            // A document's units are added together, so the term's last
            // posting tells whether this document already has it.
            let seen = term
                .postings
                .last()
                .is_some_and(|p| self.units[p.unit as usize].doc == d);
            if !seen {
                doc.terms.push(t);
            }
            term.postings.push(Posting { unit: u, tf });
            if matchable(field) {
                term.units += 1;
            }
        }
    }

    /// The id of `term`, registering `surface` as one of its words.
    fn intern(&mut self, surface: &str, term: &str) -> u32 {
        let id = match self.vocab.get(term) {
            Some(&id) => id,
            None => {
                let id = self.terms.len() as u32;
                self.terms.push(Term::default());
                self.vocab.insert(term.into(), id);
                id
            }
        };
        if !self.surfaces.contains_key(surface) {
            self.surfaces.insert(surface.into(), id);
        }
        id
    }

    /// Precompute the length normalisation for `s`. Scoring with other
    /// settings than the last prepared ones prepares a copy first.
    pub(crate) fn prepare(&mut self, s: &Settings) {
        self.cache = self.compute_cache(s);
        if self.typo_scan.len() != self.surfaces.len() {
            self.typo_scan = self
                .surfaces
                .iter()
                .map(|(word, &term)| ScanEntry {
                    letters: letters(word),
                    chars: word.chars().count().min(255) as u8,
                    term,
                    word: word.clone(),
                })
                .collect();
        }
    }

    fn compute_cache(&self, s: &Settings) -> Cache {
        let docs = self.live_docs.max(1) as f32;
        let avg_field = self.field_len.map(|l| (l as f32 / docs).max(1.0));
        let avg_unit = (self.unit_len as f32 / self.live_units.max(1) as f32).max(1.0);
        let weights = [s.title, s.questions, s.tags, s.body];
        let unit_k: Vec<f32> = self
            .units
            .iter()
            .map(|u| s.k1 * (1.0 - s.b + s.b * f32::from(u.len) / avg_unit))
            .collect();
        let unit_one = unit_k.iter().map(|k| (s.k1 + 1.0) / (1.0 + k)).collect();
        let doc_w = self
            .docs
            .iter()
            .map(|d| {
                let mut w = [0.0; 4];
                for f in 0..4 {
                    w[f] = weights[f] / (1.0 - s.b + s.b * d.len[f] as f32 / avg_field[f]);
                }
                w
            })
            .collect();
        Cache {
            settings: Some(*s),
            unit_k,
            unit_one,
            doc_w,
        }
    }

    /// Roughly how many bytes the index holds on the heap.
    ///
    /// ```
    /// let k = pathlight::Knowledge::from_json(r#"{"version": 1, "answers": [
    ///   {"id": "a", "title": "Lost card", "body": "Freeze it."}]}"#).unwrap();
    /// assert!(k.index().heap_bytes() > 0);
    /// ```
    pub fn heap_bytes(&self) -> usize {
        // A B-tree entry costs its key and value plus about a pointer of
        // node overhead.
        let node = std::mem::size_of::<usize>();
        let vocab: usize = self.vocab.keys().map(|k| k.len() + 4 + 2 * node).sum();
        let surfaces: usize = self
            .surfaces
            .keys()
            .map(|k| 2 * k.len() + 32 + 2 * node)
            .sum();
        let postings: usize = self
            .terms
            .iter()
            .map(|t| std::mem::size_of::<Term>() + t.postings.capacity() * 8)
            .sum();
        let docs: usize = self
            .docs
            .iter()
            .map(|d| std::mem::size_of::<Doc>() + d.terms.capacity() * 4 + d.primary.len())
            .sum();
        vocab + surfaces + postings + docs + self.units.capacity() * 8
    }

    /// Score every answer slot against `queries`: one score per answer, 0
    /// for no match. `locale` is the visitor's.
    pub(crate) fn score(&self, queries: &[Query], locale: &str, s: &Settings) -> Vec<f32> {
        let mut answer_scores = vec![0.0f32; self.answers];
        if self.live_docs == 0 {
            return answer_scores;
        }
        let fresh;
        let cache = if self.cache.settings.as_ref() == Some(s)
            && self.cache.unit_k.len() == self.units.len()
        {
            &self.cache
        } else {
            fresh = self.compute_cache(s);
            &fresh
        };
        let mut scratch = Scratch::new(self.docs.len(), self.units.len());
        let mut total = vec![0.0f32; self.docs.len()];
        for &lang in &self.langs {
            for q in queries {
                let words = self.expand(q, lang, s);
                if words.is_empty() {
                    continue;
                }
                let scale = if q.context {
                    let max = self.max_score(&words, s);
                    if max <= 0.0 {
                        continue;
                    }
                    q.weight / max
                } else {
                    q.weight
                };
                self.score_words(&words, lang, s, cache, &mut scratch);
                for d in scratch.hit_docs.drain(..) {
                    let d = d as usize;
                    let doc_score = scratch.doc[d] + s.best_question * scratch.best[d];
                    total[d] += scale * doc_score;
                    scratch.doc[d] = 0.0;
                    scratch.best[d] = 0.0;
                }
            }
        }
        let own = super::primary(locale);
        for (d, doc) in self.docs.iter().enumerate() {
            if !doc.live || total[d] <= 0.0 {
                continue;
            }
            let mut score = total[d];
            if self.multilingual && doc.primary.eq_ignore_ascii_case(own) {
                score *= OWN_LANGUAGE;
            }
            if let Some(a) = answer_scores.get_mut(doc.answer as usize) {
                *a = a.max(score);
            }
        }
        answer_scores
    }

    /// The query's words, each expanded to the terms it matches in this
    /// language: itself, and completions (last word while typing) or
    /// one-typo neighbours (a word of 5+ letters the index does not know).
    fn expand(&self, q: &Query, lang: Lang, s: &Settings) -> Vec<Expanded> {
        let mut out: Vec<Expanded> = Vec::new();
        let mut stem = String::new();
        // Each word is expanded when the next one arrives, so the last one
        // is known without a second pass.
        let mut pending = String::new();
        text::for_each_word(q.text, lang, |w| {
            if !pending.is_empty() {
                self.expand_word(&pending, false, q, lang, s, &mut stem, &mut out);
            }
            pending.clear();
            pending.push_str(w);
        });
        if !pending.is_empty() {
            self.expand_word(&pending, q.prefix, q, lang, s, &mut stem, &mut out);
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_word(
        &self,
        w: &str,
        last_typed: bool,
        q: &Query,
        lang: Lang,
        s: &Settings,
        stem: &mut String,
        out: &mut Vec<Expanded>,
    ) {
        let typing = last_typed && w.chars().nth(1).is_some();
        let stop = (q.context || text::drops_stop_words(lang)) && text::is_stop_word(w, lang);
        if stop && !typing {
            return;
        }
        stem.clear();
        stem.push_str(w);
        text::stem(stem, lang);
        let mut terms: Vec<(u32, f32)> = Vec::new();
        let exact = if stop {
            None
        } else {
            self.vocab.get(stem.as_str()).copied()
        };
        if let Some(id) = exact {
            terms.push((id, 1.0));
        }
        if typing {
            self.completions(w, exact, s.prefix, &mut terms);
        }
        let chars = w.chars().count();
        if !stop && exact.is_none() && terms.is_empty() && chars >= TYPO_MIN_CHARS {
            self.typos(w, chars, s.typo, &mut terms);
        }
        if !terms.is_empty() {
            out.push(Expanded { terms });
        }
    }

    fn completions(&self, typed: &str, exact: Option<u32>, weight: f32, out: &mut Vec<(u32, f32)>) {
        let typed_chars = typed.chars().count() as f32;
        let mut found: Vec<(u32, f32)> = Vec::new();
        for (word, &term) in self
            .surfaces
            .range::<str, _>((Bound::Included(typed), Bound::Unbounded))
            .take(MAX_PREFIX_SCAN)
            .take_while(|(w, _)| w.starts_with(typed))
        {
            if Some(term) == exact || self.terms[term as usize].postings.is_empty() {
                continue;
            }
            // Shorter completions are likelier: weigh by how much is typed.
            let w = weight * typed_chars / word.chars().count().max(1) as f32;
            match found.iter_mut().find(|(t, _)| *t == term) {
                Some(e) => e.1 = e.1.max(w),
                None => found.push((term, w)),
            }
        }
        out.extend(top_k(found, MAX_COMPLETIONS));
    }

    fn typos(&self, typed: &str, chars: usize, weight: f32, out: &mut Vec<(u32, f32)>) {
        let sig = letters(typed);
        for e in &self.typo_scan {
            let n = usize::from(e.chars);
            if n + 1 < chars || n > chars + 1 || (e.letters ^ sig).count_ones() > 2 {
                continue;
            }
            if self.terms[e.term as usize].postings.is_empty() || !within_one_edit(typed, &e.word) {
                continue;
            }
            if !out.iter().any(|(t, _)| *t == e.term) {
                out.push((e.term, weight));
            }
        }
    }

    fn idf_doc(&self, t: &Term) -> f32 {
        idf(self.live_docs, t.docs)
    }

    fn idf_unit(&self, t: &Term) -> f32 {
        idf(self.live_units, t.units)
    }

    /// The most a document could score for `words`: every word's best
    /// expansion fully saturated in both the document and a question.
    fn max_score(&self, words: &[Expanded], s: &Settings) -> f32 {
        let sat = s.k1 + 1.0;
        words
            .iter()
            .map(|w| {
                w.terms
                    .iter()
                    .map(|&(t, wt)| {
                        let term = &self.terms[t as usize];
                        wt * sat * (self.idf_doc(term) + s.best_question * self.idf_unit(term))
                    })
                    .fold(0.0, f32::max)
            })
            .sum()
    }

    /// Accumulate BM25F document scores and best-question scores for the
    /// documents of `lang` into `scratch`.
    fn score_words(
        &self,
        words: &[Expanded],
        lang: Lang,
        s: &Settings,
        c: &Cache,
        scratch: &mut Scratch,
    ) {
        let single = self.langs.len() == 1;
        let sat = s.k1 + 1.0;
        for word in words {
            for &(t, wt) in &word.terms {
                let term = &self.terms[t as usize];
                let doc_c = wt * self.idf_doc(term) * sat;
                let unit_c = wt * self.idf_unit(term);
                // Postings are in unit order and a document's units are
                // contiguous, so each document's postings come together:
                // its field frequencies add up here and are scored when
                // the next document starts.
                let mut doc = u32::MAX;
                let mut tf = [0.0f32; 4];
                for p in &term.postings {
                    let u = p.unit as usize;
                    let unit = self.units[u];
                    if unit.doc != doc {
                        scratch.add_doc(doc, &tf, c, doc_c, s.k1);
                        doc = unit.doc;
                        tf = [0.0; 4];
                    }
                    if !single && self.docs[doc as usize].lang != lang {
                        continue;
                    }
                    tf[unit.field as usize] += f32::from(p.tf);
                    if matchable(unit.field) {
                        if scratch.unit[u] == 0.0 {
                            scratch.hit_units.push(p.unit);
                        }
                        scratch.unit[u] += unit_c
                            * if p.tf == 1 {
                                c.unit_one[u]
                            } else {
                                let tf = f32::from(p.tf);
                                tf * sat / (tf + c.unit_k[u])
                            };
                    }
                }
                scratch.add_doc(doc, &tf, c, doc_c, s.k1);
            }
        }
        for u in scratch.hit_units.drain(..) {
            let d = self.units[u as usize].doc as usize;
            let v = scratch.unit[u as usize];
            scratch.unit[u as usize] = 0.0;
            if v > scratch.best[d] {
                scratch.best[d] = v;
            }
        }
    }
}

struct Version<'a> {
    lang: Lang,
    primary: &'a str,
    title: &'a str,
    questions: &'a [String],
    body: &'a str,
}

/// Per-query buffers.
struct Scratch {
    doc: Vec<f32>,
    best: Vec<f32>,
    hit_docs: Vec<u32>,
    unit: Vec<f32>,
    hit_units: Vec<u32>,
}

impl Scratch {
    fn new(docs: usize, units: usize) -> Scratch {
        Scratch {
            doc: vec![0.0; docs],
            best: vec![0.0; docs],
            hit_docs: Vec::new(),
            unit: vec![0.0; units],
            hit_units: Vec::new(),
        }
    }

    /// Add one term's BM25F score for document `d` with field frequencies
    /// `tf` (`d` is `u32::MAX` before the first document).
    fn add_doc(&mut self, d: u32, tf: &[f32; 4], c: &Cache, doc_c: f32, k1: f32) {
        let Some(w) = c.doc_w.get(d as usize) else {
            return;
        };
        let x = tf[0] * w[0] + tf[1] * w[1] + tf[2] * w[2] + tf[3] * w[3];
        if x <= 0.0 {
            return;
        }
        let d = d as usize;
        if self.doc[d] == 0.0 {
            self.hit_docs.push(d as u32);
        }
        self.doc[d] += doc_c * x / (k1 + x);
    }
}

/// The `k` best `(id, score)` pairs, best first; ties go to the lower id.
/// A bounded insertion: no generic sort code in the wasm build.
pub(crate) fn top_k(items: impl IntoIterator<Item = (u32, f32)>, k: usize) -> Vec<(u32, f32)> {
    let mut best: Vec<(u32, f32)> = Vec::with_capacity(k.min(64) + 1);
    if k == 0 {
        return best;
    }
    for (id, score) in items {
        if best.len() == k && best.last().is_some_and(|b| b.1 >= score) {
            continue;
        }
        let before = |b: &(u32, f32)| b.1 > score || (b.1 == score && b.0 < id);
        let at = best.iter().take_while(|b| before(b)).count();
        if at < k {
            best.insert(at, (id, score));
            best.truncate(k);
        }
    }
    best
}

/// Titles and questions are scored as single questions too.
fn matchable(field: u8) -> bool {
    field == TITLE || field == QUESTIONS
}

/// BM25's inverse document frequency (always positive).
fn idf(n: u32, df: u32) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Are `a` and `b` at most one edit apart (insert, delete, substitute, or
/// swap two neighbouring characters)?
///
/// ```
/// use pathlight::knowledge::index::within_one_edit;
/// assert!(within_one_edit("recieve", "receive"));
/// assert!(within_one_edit("declned", "declined"));
/// assert!(within_one_edit("ışık", "işık"));
/// assert!(!within_one_edit("abcd", "abdc1"));
/// ```
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let common = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    // `common` is a char boundary in both (the prefixes are equal).
    let (a, b) = (&a[common..], &b[common..]);
    let tail = a
        .char_indices()
        .rev()
        .zip(b.chars().rev())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, x), _)| {
            a.len() - i - x.len_utf8()
        });
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    let mut ac = a.chars();
    let mut bc = b.chars();
    match (
        ac.next(),
        ac.next(),
        ac.next(),
        bc.next(),
        bc.next(),
        bc.next(),
    ) {
        (None, _, _, None, _, _) => true,
        (Some(_), None, _, None, _, _) | (None, _, _, Some(_), None, _) => true,
        (Some(_), None, _, Some(_), None, _) => true,
        (Some(x1), Some(x2), None, Some(y1), Some(y2), None) => x1 == y2 && x2 == y1,
        _ => false,
    }
}
