//! Text processing for search: tokenising, case folding, diacritic folding,
//! stop words and light stemming.
//!
//! Everything here uses the standard library's `char` methods plus small
//! hand-written tables, so it adds little to the wasm build.
//!
//! * **Case folding** is locale-aware: in Turkish and Azerbaijani `I` folds to
//!   dotless `ı` and `İ` to `i`; elsewhere both fold to `i`.
//! * **Diacritic folding** turns accented Latin letters into their base
//!   letters (`é` → `e`, `ß` → `ss`) except the letters of the language's own
//!   alphabet (Turkish keeps `ç ğ ı ö ş ü`). Combining marks, Hebrew niqqud
//!   and cantillation and Arabic harakat are dropped; Hebrew letters, Cyrillic
//!   letters (Belarusian `ў` included) and other scripts are kept.
//! * **Words** are runs of letters and digits. An apostrophe between two
//!   letters is dropped (`don't` → `dont`, Belarusian `сям'я` → `сямя`, Hebrew
//!   `צה"ל` → `צהל`), except in Turkish, where it starts a suffix that is cut
//!   (`İstanbul'da` → `istanbul`); anything else separates words
//!   (`mag-order` → `mag`, `order`). Chinese and Japanese characters are one
//!   word each.
//! * **Terms** ([`terms`]) are the words search indexes and matches. English
//!   drops stop words and gets a light suffix stemmer: on Banking77 each
//!   measured better than going without (see `docs/knowledge.md`). The other
//!   languages keep every word unstemmed (nothing to measure them on); their
//!   stop word lists only trim context text in proactive ranking.

/// The language rules used to analyse a text, chosen from a locale.
///
/// ```
/// use pathlight::knowledge::text::Lang;
/// assert_eq!(Lang::from_locale("tr-TR"), Lang::Turkish);
/// assert_eq!(Lang::from_locale("he-IL"), Lang::Hebrew);
/// assert_eq!(Lang::from_locale("fil"), Lang::Tagalog);
/// assert_eq!(Lang::from_locale("xx"), Lang::Other);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (`en`): light suffix stemming.
    English,
    /// Turkish and Azerbaijani (`tr`, `az`): Turkic dotted and dotless i.
    Turkish,
    /// Hebrew (`he`, `iw`).
    Hebrew,
    /// Belarusian (`be`).
    Belarusian,
    /// Malay (`ms`).
    Malay,
    /// Tagalog and Filipino (`tl`, `fil`).
    Tagalog,
    /// Any other language: folding only.
    Other,
}

impl Lang {
    /// The rules for a BCP 47 locale such as `en-GB`. Only the primary
    /// language subtag counts, in any case.
    ///
    /// ```
    /// use pathlight::knowledge::text::Lang;
    /// assert_eq!(Lang::from_locale("EN-gb"), Lang::English);
    /// assert_eq!(Lang::from_locale("az"), Lang::Turkish);
    /// ```
    pub fn from_locale(locale: &str) -> Lang {
        let primary = locale.split(['-', '_']).next().unwrap_or("");
        let is = |s: &str| primary.eq_ignore_ascii_case(s);
        if is("en") {
            Lang::English
        } else if is("tr") || is("az") {
            Lang::Turkish
        } else if is("he") || is("iw") {
            Lang::Hebrew
        } else if is("be") {
            Lang::Belarusian
        } else if is("ms") {
            Lang::Malay
        } else if is("tl") || is("fil") {
            Lang::Tagalog
        } else {
            Lang::Other
        }
    }
}

/// Longest word kept, in characters; longer words are cut.
///
/// ```
/// use pathlight::knowledge::text::{words, Lang, MAX_WORD};
/// let long = "x".repeat(100);
/// assert_eq!(words(&long, Lang::English)[0].len(), MAX_WORD);
/// ```
pub const MAX_WORD: usize = 40;

/// Base letters for U+00C0..=U+017F; `*` marks the letters handled in
/// [`push_folded`] (ligatures, `ß`, `þ`, dotless `ı`) and the signs `×` `÷`.
const LATIN: &[u8; 192] = b"aaaaaa*ceeeeiiiidnooooo*ouuuuy**aaaaaa*ceeeeiiiidnooooo*ouuuuy*y\
aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiii***jjkkklllllll\
lllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// Append the folded form of `c` (already known to be a word character).
fn push_folded(c: char, lang: Lang, out: &mut String) {
    if c.is_ascii() {
        if c == 'I' && lang == Lang::Turkish {
            out.push('ı');
        } else {
            out.push(c.to_ascii_lowercase());
        }
        return;
    }
    if c == 'İ' {
        out.push('i');
        return;
    }
    for l in c.to_lowercase() {
        let code = l as u32;
        if (0xC0..0x180).contains(&code) {
            let keep = lang == Lang::Turkish && matches!(l, 'ç' | 'ğ' | 'ö' | 'ş' | 'ü');
            match LATIN[(code - 0xC0) as usize] {
                _ if keep => out.push(l),
                b'*' => out.push_str(match l {
                    'æ' => "ae",
                    'þ' => "th",
                    'ß' => "ss",
                    'ĳ' => "ij",
                    'œ' => "oe",
                    _ => return out.push(l),
                }),
                base => out.push(char::from(base)),
            }
        } else if l == '\u{0307}' {
            // `İ`'s lowercase in non-Turkic locales is `i` + combining dot.
        } else {
            out.push(match l {
                'ș' => 's',
                'ț' => 't',
                'ς' => 'σ',
                other => other,
            });
        }
    }
}

/// Is `c` a mark that folding drops (or composes into the letter before)?
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F // combining diacritical marks
        | 0x0483..=0x0489 // Cyrillic combining marks
        | 0x0591..=0x05BD | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4 | 0x05C5 | 0x05C7 // Hebrew points
        | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 // Arabic harakat
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        | 0x200C | 0x200D) // zero-width (non-)joiners
}

/// Apostrophes and Hebrew geresh/gershayim: dropped between letters.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '"' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '\u{05F3}' | '\u{05F4}'
    )
}

/// Chinese and Japanese characters, each a word of its own.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// A combining mark after the letter `prev`: the precomposed letter when the
/// pair spells a letter the language keeps (`у` + breve = `ў`), else `None`
/// and the mark is dropped.
fn compose(prev: char, mark: char, lang: Lang) -> Option<char> {
    let turkic = lang == Lang::Turkish;
    Some(match (prev, mark) {
        ('у', '\u{0306}') => 'ў',
        ('и', '\u{0306}') => 'й',
        ('і', '\u{0308}') => 'ї',
        ('е', '\u{0308}') => 'ё',
        ('ı', '\u{0307}') if turkic => 'i',
        ('s', '\u{0327}') if turkic => 'ş',
        ('c', '\u{0327}') if turkic => 'ç',
        ('g', '\u{0306}') if turkic => 'ğ',
        ('o', '\u{0308}') if turkic => 'ö',
        ('u', '\u{0308}') if turkic => 'ü',
        _ => return None,
    })
}

fn apply_mark(out: &mut String, mark: char, lang: Lang) {
    if let Some(prev) = out.chars().next_back() {
        if let Some(c) = compose(prev, mark, lang) {
            out.pop();
            out.push(c);
        }
    }
}

/// Fold a whole text: case (locale-aware) and diacritics, keeping
/// everything that is not a word character as it is.
///
/// ```
/// use pathlight::knowledge::text::{fold, Lang};
/// assert_eq!(fold("İstanbul", Lang::Turkish), "istanbul");
/// assert_eq!(fold("IŞIK", Lang::Turkish), "ışık");
/// assert_eq!(fold("ISIK", Lang::English), "isik");
/// assert_eq!(fold("Café Noël", Lang::English), "cafe noel");
/// assert_eq!(fold("שָׁלוֹם", Lang::Hebrew), "שלום");
/// ```
pub fn fold(text: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_mark(c) {
            apply_mark(&mut out, c, lang);
        } else if c.is_alphanumeric() {
            push_folded(c, lang, &mut out);
        } else {
            out.push(c);
        }
    }
    out
}

/// Call `f` with each folded word of `text`, in order. Allocates one buffer
/// for the whole text.
///
/// ```
/// use pathlight::knowledge::text::{for_each_word, Lang};
/// let mut words = Vec::new();
/// for_each_word("Don't mag-order!", Lang::Tagalog, |w| words.push(w.to_string()));
/// assert_eq!(words, ["dont", "mag", "order"]);
/// ```
pub fn for_each_word(text: &str, lang: Lang, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut len = 0;
    // Turkish writes suffixes after an apostrophe (`İstanbul'da`): the word
    // is what comes before it.
    let mut suffix = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_mark(c) {
            if !suffix {
                apply_mark(&mut word, c, lang);
            }
        } else if is_joiner(c)
            && !word.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            // An apostrophe inside a word: drop it, keep the word going.
            suffix |= lang == Lang::Turkish && matches!(c, '\'' | '\u{2019}');
        } else if is_cjk(c) {
            flush(&mut word, &mut len, &mut f);
            word.push(c);
            flush(&mut word, &mut len, &mut f);
            suffix = false;
        } else if c.is_alphanumeric() {
            if len < MAX_WORD && !suffix {
                push_folded(c, lang, &mut word);
                len += 1;
            }
        } else {
            flush(&mut word, &mut len, &mut f);
            suffix = false;
        }
    }
    flush(&mut word, &mut len, &mut f);
}

fn flush(word: &mut String, len: &mut usize, f: &mut impl FnMut(&str)) {
    if !word.is_empty() {
        f(word);
        word.clear();
    }
    *len = 0;
}

/// The folded words of `text`.
///
/// ```
/// use pathlight::knowledge::text::{words, Lang};
/// assert_eq!(words("Ўсё добра, сям'я!", Lang::Belarusian), ["ўсё", "добра", "сямя"]);
/// ```
pub fn words(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, lang, |w| out.push(w.to_string()));
    out
}

/// The search terms of `text`: its folded words, without stop words and
/// stemmed where the language has that (English).
///
/// ```
/// use pathlight::knowledge::text::{terms, Lang};
/// assert_eq!(terms("My cards were declined", Lang::English), ["card", "declin"]);
/// assert_eq!(terms("kelas bas", Lang::Malay), ["kelas", "bas"]);
/// ```
pub fn terms(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, lang, |w| {
        if drops_stop_words(lang) && is_stop_word(w, lang) {
            return;
        }
        let mut s = w.to_string();
        stem(&mut s, lang);
        out.push(s);
    });
    out
}

/// Does search drop stop words in `lang`? Only where measured to help:
/// English.
///
/// ```
/// use pathlight::knowledge::text::{drops_stop_words, Lang};
/// assert!(drops_stop_words(Lang::English));
/// assert!(!drops_stop_words(Lang::Hebrew));
/// ```
pub fn drops_stop_words(lang: Lang) -> bool {
    lang == Lang::English
}

/// Is `word` (already folded) a stop word in `lang`?
///
/// ```
/// use pathlight::knowledge::text::{is_stop_word, Lang};
/// assert!(is_stop_word("the", Lang::English));
/// assert!(!is_stop_word("not", Lang::English));
/// assert!(is_stop_word("של", Lang::Hebrew));
/// assert!(is_stop_word("ў", Lang::Belarusian));
/// ```
pub fn is_stop_word(word: &str, lang: Lang) -> bool {
    stop_words(lang).binary_search(&word).is_ok()
}

/// The stop words of `lang`, sorted by bytes, so a lookup is a binary
/// search: indexing the answers asks once per word, and a linear scan of
/// the list was most of the cost of building the index.
#[rustfmt::skip]
fn stop_words(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::English | Lang::Other => &[
            "a", "about", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
            "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
            "have", "he", "hello", "hi", "i", "if", "im", "in", "into", "is", "it", "its",
            "ive", "just", "me", "my", "of", "on", "or", "our", "please", "she", "should", "so",
            "some", "thanks", "that", "the", "their", "them", "there", "these", "they", "this",
            "those", "to", "us", "was", "we", "were", "will", "with", "would", "you", "your",
        ],
        Lang::Turkish => &[
            "ama", "ben", "bir", "biz", "bu", "da", "daha", "de", "en", "gibi", "her", "ile",
            "için", "ki", "mi", "mu", "mü", "mı", "o", "sen", "siz", "ve", "veya", "çok", "şu",
        ],
        Lang::Hebrew => &[
            "אבל", "או", "אל", "אם", "אנחנו", "אני", "את", "אתה", "אתם", "גם", "הוא", "היא",
            "הם", "הן", "זאת", "זה", "זו", "יש", "כבר", "כי", "כל", "עד", "על", "עם", "רק",
            "של",
        ],
        Lang::Belarusian => &[
            "аб", "ад", "але", "бо", "вы", "гэта", "да", "для", "з", "за", "й", "мы", "на",
            "па", "пра", "са", "ты", "у", "ці", "што", "я", "яна", "яно", "яны", "ён", "і", "ў",
        ],
        Lang::Malay => &[
            "adalah", "akan", "anda", "atau", "dan", "dari", "dengan", "di", "dia", "ialah",
            "ini", "itu", "juga", "kami", "ke", "kita", "mereka", "pada", "saya", "untuk",
            "yang",
        ],
        Lang::Tagalog => &[
            "ako", "ang", "at", "ay", "ba", "ito", "iyan", "iyon", "ka", "kami", "kay", "kayo",
            "ko", "mga", "mo", "na", "ng", "ni", "po", "sa", "si", "sila", "siya", "tayo",
        ],
    }
}

/// Stem a folded word in place. English gets a light suffix stemmer
/// (steps 1 and 5 of Porter's algorithm: plurals, `-ed`, `-ing`, final `-y`
/// and `-e`, `-ll`; no derivational suffixes);
/// other languages are left alone (Malay and Tagalog words often end in `s`,
/// and their affixes need more than suffix stripping).
///
/// ```
/// use pathlight::knowledge::text::{stem, Lang};
/// let mut w = String::from("cancelled");
/// stem(&mut w, Lang::English);
/// assert_eq!(w, "cancel");
/// let mut w = String::from("topping");
/// stem(&mut w, Lang::English);
/// assert_eq!(w, "top");
/// ```
pub fn stem(word: &mut String, lang: Lang) {
    if lang == Lang::English && word.len() > 3 && word.bytes().all(|b| b.is_ascii_lowercase()) {
        porter_step1(word);
    }
}

fn is_consonant(w: &[u8], i: usize) -> bool {
    match w[i] {
        b'a' | b'e' | b'i' | b'o' | b'u' => false,
        b'y' => i == 0 || !is_consonant(w, i - 1),
        _ => true,
    }
}

/// Porter's measure: the number of vowel-consonant sequences.
fn measure(w: &[u8]) -> usize {
    let mut m = 0;
    let mut prev_vowel = false;
    for i in 0..w.len() {
        let c = is_consonant(w, i);
        if c && prev_vowel {
            m += 1;
        }
        prev_vowel = !c;
    }
    m
}

fn has_vowel(w: &[u8]) -> bool {
    (0..w.len()).any(|i| !is_consonant(w, i))
}

/// Ends consonant-vowel-consonant, the last not `w`, `x` or `y`.
fn cvc(w: &[u8]) -> bool {
    let n = w.len();
    n >= 3
        && is_consonant(w, n - 3)
        && !is_consonant(w, n - 2)
        && is_consonant(w, n - 1)
        && !matches!(w[n - 1], b'w' | b'x' | b'y')
}

fn porter_step1(w: &mut String) {
    // 1a: plurals.
    if w.ends_with("sses") || w.ends_with("ies") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w.pop();
    }
    // 1b: -eed, -ed, -ing.
    if w.ends_with("eed") {
        if measure(&w.as_bytes()[..w.len() - 3]) > 0 {
            w.pop();
        }
    } else {
        let cut = if w.ends_with("ed") {
            2
        } else if w.ends_with("ing") {
            3
        } else {
            0
        };
        if cut > 0 && has_vowel(&w.as_bytes()[..w.len() - cut]) {
            w.truncate(w.len() - cut);
            let b = w.as_bytes();
            let n = b.len();
            if w.ends_with("at") || w.ends_with("bl") || w.ends_with("iz") {
                w.push('e');
            } else if n >= 2
                && b[n - 1] == b[n - 2]
                && is_consonant(b, n - 1)
                && !matches!(b[n - 1], b'l' | b's' | b'z')
            {
                w.pop();
            } else if measure(b) == 1 && cvc(b) {
                w.push('e');
            }
        }
    }
    // 1c: final -y after a vowel-bearing stem.
    if w.ends_with('y') && has_vowel(&w.as_bytes()[..w.len() - 1]) {
        w.pop();
        w.push('i');
    }
    // 5a: final -e, so `decline` meets `declined`.
    if w.ends_with('e') {
        let b = &w.as_bytes()[..w.len() - 1];
        let m = measure(b);
        if m > 1 || (m == 1 && !cvc(b)) {
            w.pop();
        }
    }
    // 5b: -ll, so `cancel` meets `cancelled`.
    if w.ends_with("ll") && measure(w.as_bytes()) > 1 {
        w.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_word_lists_are_sorted_and_unique_so_every_word_is_found() {
        for lang in [
            Lang::English,
            Lang::Turkish,
            Lang::Hebrew,
            Lang::Belarusian,
            Lang::Malay,
            Lang::Tagalog,
        ] {
            let list = stop_words(lang);
            assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "{lang:?} is not sorted"
            );
            assert!(list.iter().all(|w| is_stop_word(w, lang)));
        }
        assert!(!is_stop_word("", Lang::English));
        assert!(!is_stop_word("lamp", Lang::English));
    }
}
