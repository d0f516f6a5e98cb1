//! The agent summary's sentences in each [`AgentLocale`], as templates with
//! `{name}` placeholders (filled by [`fill`], which never rescans what it
//! inserts), plural forms and time units.

use crate::config::AgentLocale;
use crate::time::Millis;

/// One language's sentences. Plural forms are `[one, few, many]`, chosen
/// by [`plural`]; languages without a "few" form repeat "many".
pub(crate) struct Words {
    /// Quotes around titles, queries, error texts and trigger ids.
    pub quote: (&'static str, &'static str),
    /// Seconds, minutes, hours.
    pub units: [&'static str; 3],
    /// `{n}` pages viewed in `{span}`.
    pub pages: [&'static str; 3],
    /// `{path}` viewed `{k}` times (appended to `pages`).
    pub repeat: [&'static str; 3],
    /// The visitor is now on `{path}` (appended to `pages`).
    pub now_on: &'static str,
    /// `{k}` form errors, the latest texts in `{list}`.
    pub form_errors: [&'static str; 3],
    /// Read answer `{title}`.
    pub read: &'static str,
    /// Read answer `{title}` and rated it helpful.
    pub read_helpful: &'static str,
    /// Read answer `{title}` and rated it not helpful.
    pub read_unhelpful: &'static str,
    /// Searched `{list}` and found nothing.
    pub no_results: &'static str,
    /// Came from trigger `{id}`.
    pub trigger: &'static str,
    /// The visitor's own words, `{message}`.
    pub asks: &'static str,
}

const EN: Words = Words {
    quote: ("'", "'"),
    units: ["s", "min", "h"],
    pages: [
        "Viewed {n} page in {span}",
        "Viewed {n} pages in {span}",
        "Viewed {n} pages in {span}",
    ],
    repeat: [
        ", {path} {k} time",
        ", {path} {k} times",
        ", {path} {k} times",
    ],
    now_on: ", now on {path}",
    form_errors: [
        "{k} form error: {list}.",
        "{k} form errors: {list}.",
        "{k} form errors: {list}.",
    ],
    read: "Read {title}.",
    read_helpful: "Read {title} and rated it helpful.",
    read_unhelpful: "Read {title} and rated it not helpful.",
    no_results: "Searched {list} with no results.",
    trigger: "Came from trigger {id}.",
    asks: "Asks: \"{message}\"",
};

const TL: Words = Words {
    quote: ("'", "'"),
    units: ["seg", "min", "oras"],
    pages: [
        "Tumingin ng {n} pahina sa loob ng {span}",
        "Tumingin ng {n} pahina sa loob ng {span}",
        "Tumingin ng {n} pahina sa loob ng {span}",
    ],
    repeat: [
        ", {path} nang {k} beses",
        ", {path} nang {k} beses",
        ", {path} nang {k} beses",
    ],
    now_on: ", ngayon ay nasa {path}",
    form_errors: [
        "{k} error sa form: {list}.",
        "{k} error sa form: {list}.",
        "{k} error sa form: {list}.",
    ],
    read: "Binasa ang {title}.",
    read_helpful: "Binasa ang {title} at sinabing nakatulong ito.",
    read_unhelpful: "Binasa ang {title} at sinabing hindi ito nakatulong.",
    no_results: "Hinanap ang {list} pero walang resulta.",
    trigger: "Galing sa trigger na {id}.",
    asks: "Tanong: \"{message}\"",
};

const BE: Words = Words {
    quote: ("«", "»"),
    units: ["с", "хв", "гадз"],
    pages: [
        "Прагляд: {n} старонка за {span}",
        "Прагляд: {n} старонкі за {span}",
        "Прагляд: {n} старонак за {span}",
    ],
    repeat: [
        ", {path} — {k} раз",
        ", {path} — {k} разы",
        ", {path} — {k} разоў",
    ],
    now_on: ", цяпер на {path}",
    form_errors: [
        "Памылкі ў формах ({k}): {list}.",
        "Памылкі ў формах ({k}): {list}.",
        "Памылкі ў формах ({k}): {list}.",
    ],
    read: "Прачытаны адказ {title}.",
    read_helpful: "Прачытаны адказ {title}, ацэнены як карысны.",
    read_unhelpful: "Прачытаны адказ {title}, ацэнены як некарысны.",
    no_results: "Пошук без вынікаў: {list}.",
    trigger: "Трыгер: {id}.",
    asks: "Пытанне: «{message}»",
};

const TR: Words = Words {
    quote: ("'", "'"),
    units: ["sn", "dk", "sa"],
    pages: [
        "{span} içinde {n} sayfa gezdi",
        "{span} içinde {n} sayfa gezdi",
        "{span} içinde {n} sayfa gezdi",
    ],
    repeat: [
        " ({path}: {k} kez)",
        " ({path}: {k} kez)",
        " ({path}: {k} kez)",
    ],
    now_on: ", şu an {path} sayfasında",
    form_errors: [
        "{k} form hatası: {list}.",
        "{k} form hatası: {list}.",
        "{k} form hatası: {list}.",
    ],
    read: "{title} yanıtını okudu.",
    read_helpful: "{title} yanıtını okudu ve yararlı buldu.",
    read_unhelpful: "{title} yanıtını okudu ve yararlı bulmadı.",
    no_results: "Sonuçsuz aramalar: {list}.",
    trigger: "{id} tetikleyicisiyle geldi.",
    asks: "Soru: \"{message}\"",
};

const HE: Words = Words {
    quote: ("'", "'"),
    units: ["שנ׳", "דק׳", "שע׳"],
    pages: [
        "נצפה עמוד אחד תוך {span}",
        "נצפו {n} עמודים תוך {span}",
        "נצפו {n} עמודים תוך {span}",
    ],
    repeat: [
        ", {path} פעם אחת",
        ", {path} {k} פעמים",
        ", {path} {k} פעמים",
    ],
    now_on: ", כעת בעמוד {path}",
    form_errors: [
        "שגיאת טופס אחת: {list}.",
        "{k} שגיאות טופס: {list}.",
        "{k} שגיאות טופס: {list}.",
    ],
    read: "נקראה התשובה {title}.",
    read_helpful: "נקראה התשובה {title} ודורגה כמועילה.",
    read_unhelpful: "נקראה התשובה {title} ודורגה כלא מועילה.",
    no_results: "חיפושים ללא תוצאות: {list}.",
    trigger: "מקור: הטריגר {id}.",
    asks: "הבקשה: \"{message}\"",
};

const MS: Words = Words {
    quote: ("'", "'"),
    units: ["saat", "min", "jam"],
    pages: [
        "Melihat {n} halaman dalam {span}",
        "Melihat {n} halaman dalam {span}",
        "Melihat {n} halaman dalam {span}",
    ],
    repeat: [
        ", {path} sebanyak {k} kali",
        ", {path} sebanyak {k} kali",
        ", {path} sebanyak {k} kali",
    ],
    now_on: ", kini di {path}",
    form_errors: [
        "{k} ralat borang: {list}.",
        "{k} ralat borang: {list}.",
        "{k} ralat borang: {list}.",
    ],
    read: "Membaca {title}.",
    read_helpful: "Membaca {title} dan menilainya membantu.",
    read_unhelpful: "Membaca {title} dan menilainya tidak membantu.",
    no_results: "Mencari {list} tanpa hasil.",
    trigger: "Datang daripada pencetus {id}.",
    asks: "Bertanya: \"{message}\"",
};

/// The sentences of `locale`.
pub(crate) fn words(locale: AgentLocale) -> &'static Words {
    match locale {
        AgentLocale::En => &EN,
        AgentLocale::Tl => &TL,
        AgentLocale::Be => &BE,
        AgentLocale::Tr => &TR,
        AgentLocale::He => &HE,
        AgentLocale::Ms => &MS,
    }
}

/// Which plural form `n` takes in `locale`: 0 one, 1 few, 2 many.
pub(crate) fn plural(locale: AgentLocale, n: u64) -> usize {
    match locale {
        AgentLocale::Be => match (n % 10, n % 100) {
            (1, r) if r != 11 => 0,
            (2..=4, r) if !(12..=14).contains(&r) => 1,
            _ => 2,
        },
        _ if n == 1 => 0,
        _ => 2,
    }
}

/// A duration in the language's units: "45 s", "12 min", "2 h 5 min".
pub(crate) fn span(w: &Words, ms: Millis) -> String {
    let s = ms / 1000;
    let [sec, min, hour] = w.units;
    match s {
        0..=59 => format!("{s} {sec}"),
        60..=3599 => format!("{} {min}", s / 60),
        _ if (s % 3600) / 60 == 0 => format!("{} {hour}", s / 3600),
        _ => format!("{} {hour} {} {min}", s / 3600, (s % 3600) / 60),
    }
}

/// `template` with each `{name}` replaced by its value in `values`; unknown
/// names are kept as written. Inserted values are never scanned again.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_does_not_rescan_values() {
        assert_eq!(
            fill("a {x} b {y} {z}", &[("x", "{y}"), ("y", "2")]),
            "a {y} b 2 {z}"
        );
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }

    #[test]
    fn belarusian_plurals() {
        let forms: Vec<usize> = [1, 2, 5, 11, 12, 21, 22, 25, 111, 104]
            .iter()
            .map(|n| plural(AgentLocale::Be, *n))
            .collect();
        assert_eq!(forms, [0, 1, 2, 2, 2, 0, 1, 2, 2, 1]);
        assert_eq!(plural(AgentLocale::He, 1), 0);
        assert_eq!(plural(AgentLocale::He, 2), 2);
    }

    #[test]
    fn every_template_uses_only_known_placeholders() {
        for l in AgentLocale::ALL {
            let w = words(l);
            let all = w
                .pages
                .iter()
                .chain(&w.repeat)
                .chain(&w.form_errors)
                .chain([
                    &w.now_on,
                    &w.read,
                    &w.read_helpful,
                    &w.read_unhelpful,
                    &w.no_results,
                    &w.trigger,
                    &w.asks,
                ]);
            let known = [
                ("n", ""),
                ("span", ""),
                ("path", ""),
                ("k", ""),
                ("list", ""),
                ("title", ""),
                ("id", ""),
                ("message", ""),
            ];
            for t in all {
                assert!(!fill(t, &known).contains('{'), "{}: {t}", l.as_str());
            }
        }
    }
}
