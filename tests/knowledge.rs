//! Knowledge layer: text processing in six languages, search (typos,
//! prefixes), proactive ranking from an injected context, freshness with an
//! injected clock, locales, updates, and validation of broken documents.

use pathlight::knowledge::text::{self, Lang};
use pathlight::knowledge::{Answer, Context, Knowledge, Signal, DAY_MS};
use pathlight::rules::condition::Test;
use pathlight::rules::{Condition, Delivery, Trigger};

fn words(s: &str, lang: Lang) -> Vec<String> {
    text::words(s, lang)
}

fn stem(w: &str) -> String {
    let mut s = w.to_string();
    text::stem(&mut s, Lang::English);
    s
}

// ------------------------------------------------------------ tokeniser

#[test]
fn tokeniser_english() {
    let table: &[(&str, &[&str])] = &[
        (
            "Why was my card DECLINED?",
            &["why", "was", "my", "card", "declined"],
        ),
        ("Don't CAN'T won’t", &["dont", "cant", "wont"]),
        ("e-mail re-send", &["e", "mail", "re", "send"]),
        (
            "Café NAÏVE résumé Æsir Straße",
            &["cafe", "naive", "resume", "aesir", "strasse"],
        ),
        (
            "top-up £20 at 3pm, 24/7",
            &["top", "up", "20", "at", "3pm", "24", "7"],
        ),
        ("'quoted' words", &["quoted", "words"]),
        ("ISTANBUL", &["istanbul"]),
    ];
    for (input, want) in table {
        assert_eq!(words(input, Lang::English), *want, "{input}");
    }
}

#[test]
fn tokeniser_tagalog() {
    let table: &[(&str, &[&str])] = &[
        (
            "Paano mag-order ng bagong card?",
            &["paano", "mag", "order", "ng", "bagong", "card"],
        ),
        ("Salamat PO!", &["salamat", "po"]),
        ("Niño at Señora", &["nino", "at", "senora"]),
        ("nag-aaral sa Maynila", &["nag", "aaral", "sa", "maynila"]),
    ];
    for (input, want) in table {
        assert_eq!(words(input, Lang::Tagalog), *want, "{input}");
    }
    // Tagalog words ending in -s are not English plurals.
    assert_eq!(
        text::terms("bigas Lunes", Lang::Tagalog),
        ["bigas", "lunes"]
    );
}

#[test]
fn tokeniser_belarusian() {
    let table: &[(&str, &[&str])] = &[
        ("Ўсё добра!", &["ўсё", "добра"]),
        ("ЎСЁ ДОБРА", &["ўсё", "добра"]),
        ("сям'я і вераб'і", &["сямя", "і", "вераб\u{0456}"]),
        ("ПІН-код", &["пін", "код"]),
        // Decomposed `у` + combining breve composes to `ў`, not `у`.
        ("У\u{0306}се\u{0308}", &["ўсё"]),
        ("Дзякуй, Мінск", &["дзякуй", "мінск"]),
    ];
    for (input, want) in table {
        assert_eq!(words(input, Lang::Belarusian), *want, "{input}");
    }
    assert!(text::is_stop_word("ў", Lang::Belarusian));
}

#[test]
fn tokeniser_turkish() {
    let table: &[(&str, &[&str])] = &[
        ("İstanbul", &["istanbul"]),
        ("ışık IŞIK Işık", &["ışık", "ışık", "ışık"]),
        ("İSTANBUL'DA", &["istanbul"]),
        ("Kartım kayboldu", &["kartım", "kayboldu"]),
        ("ÇÖĞÜŞ çöğüş", &["çöğüş", "çöğüş"]),
        // A decomposed dotted capital I (I + combining dot) is `i` too.
        ("I\u{0307}zmir", &["izmir"]),
    ];
    for (input, want) in table {
        assert_eq!(words(input, Lang::Turkish), *want, "{input}");
    }
    // Outside Turkish, `I` is `i`, `İ` is `i` and Turkish letters fold.
    assert_eq!(
        words("IŞIK İstanbul ışık", Lang::English),
        ["isik", "istanbul", "ısık"]
    );
    assert_eq!(text::fold("İİ II ıı", Lang::Turkish), "ii ıı ıı");
    assert_eq!(text::fold("İİ II ıı", Lang::English), "ii ii ıı");
}

#[test]
fn tokeniser_hebrew() {
    let table: &[(&str, &[&str])] = &[
        ("שָׁלוֹם עוֹלָם!", &["שלום", "עולם"]),
        ("צה\"ל וצה״ל", &["צהל", "וצהל"]),
        ("בית־ספר", &["בית", "ספר"]),
        ("כרטיס אשראי 1234", &["כרטיס", "אשראי", "1234"]),
        ("ABC עִבְרִית", &["abc", "עברית"]),
    ];
    for (input, want) in table {
        assert_eq!(words(input, Lang::Hebrew), *want, "{input}");
    }
    assert!(text::is_stop_word("של", Lang::Hebrew));
}

#[test]
fn tokeniser_malay() {
    let table: &[(&str, &[&str])] = &[
        ("Kanak-kanak", &["kanak", "kanak"]),
        (
            "SILA hubungi kami di cawangan",
            &["sila", "hubungi", "kami", "di", "cawangan"],
        ),
        (
            "Kad ATM saya tidak berfungsi",
            &["kad", "atm", "saya", "tidak", "berfungsi"],
        ),
    ];
    for (input, want) in table {
        assert_eq!(words(input, Lang::Malay), *want, "{input}");
    }
    // Malay is not stemmed: `kelas` and `bas` keep their `s`.
    assert_eq!(text::terms("kelas bas", Lang::Malay), ["kelas", "bas"]);
    assert!(text::is_stop_word("yang", Lang::Malay));
}

#[test]
fn english_stemming_and_stop_words() {
    for (a, b) in [
        ("card", "cards"),
        ("decline", "declined"),
        ("cancel", "cancelled"),
        ("cancel", "cancelling"),
        ("transfer", "transferring"),
        ("top", "topping"),
        ("verify", "verified"),
        ("activate", "activated"),
        ("charge", "charges"),
        ("pending", "pend"),
    ] {
        assert_eq!(stem(a), stem(b), "{a} / {b}");
    }
    assert_ne!(stem("card"), stem("care"));
    assert_eq!(stem("bus"), "bus");
    assert_eq!(
        text::terms("Why was my card declined?", Lang::English),
        ["why", "card", "declin"]
    );
    assert!(text::is_stop_word("the", Lang::English));
    assert!(!text::is_stop_word("not", Lang::English));
}

// ------------------------------------------------------------ search

fn shop() -> Knowledge {
    Knowledge::from_json(
        r#"{"version": 1, "answers": [
      {"id": "card-declined", "title": "Why was my card declined?",
       "body": "Most declines come from a billing address or postcode that does not match the one your bank has on file.",
       "questions": ["My payment was refused", "The bank rejected my card"],
       "tags": ["payment"], "pages": ["/checkout"]},
      {"id": "payment-methods", "title": "Which payment methods do you accept?",
       "body": "Visa, Mastercard, American Express, Apple Pay and Google Pay. We never store your full card number.",
       "questions": ["Can I pay with PayPal?", "Do you take credit cards?"],
       "tags": ["payment"], "pages": ["/checkout"]},
      {"id": "promo-code", "title": "My promo code doesn't work",
       "body": "Codes are case-sensitive and apply to full-price items only.",
       "tags": ["payment"], "pages": ["/checkout"]},
      {"id": "card-expired", "title": "My card has expired",
       "body": "Add the new card to your wallet before you pay.", "tags": ["payment"]},
      {"id": "guest-checkout", "title": "Can I check out without an account?",
       "body": "Yes: choose guest checkout and we email your receipt.", "pages": ["/checkout"]},
      {"id": "shipping-times", "title": "How long does shipping take?",
       "body": "Orders ship within 1 business day; delivery takes 2 to 4 business days.",
       "questions": ["When will my order arrive?"], "tags": ["shipping"]},
      {"id": "refunds", "title": "How do refunds work?",
       "body": "Refunds land within 5 days of the item reaching us.", "tags": ["returns"]}
    ]}"#,
    )
    .unwrap()
}

fn ids(hits: &[pathlight::knowledge::Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn search_ranks_the_obvious_answer_first() {
    let k = shop();
    assert_eq!(
        k.search("why was my card declined?", "en", 0, 3)[0].id,
        "card-declined"
    );
    assert_eq!(
        k.search("do you accept paypal?", "en", 0, 3)[0].id,
        "payment-methods"
    );
    assert_eq!(
        k.search("when does my order arrive", "en", 0, 3)[0].id,
        "shipping-times"
    );
    assert!(k.search("zebra", "en", 0, 3).is_empty());
    assert!(k.search("", "en", 0, 3).is_empty());
    assert!(k.search("card", "en", 0, 0).is_empty());
    assert_eq!(k.search("card", "en", 0, 2).len(), 2);
}

#[test]
fn search_tolerates_one_typo_in_longer_words() {
    let k = shop();
    // Transposition, deletion, insertion, substitution.
    assert_eq!(k.search("refnuds?", "en", 0, 1)[0].id, "refunds");
    assert_eq!(k.search("declned card.", "en", 0, 1)[0].id, "card-declined");
    assert_eq!(
        k.search("shippping time.", "en", 0, 1)[0].id,
        "shipping-times"
    );
    assert_eq!(k.search("expirred?", "en", 0, 1)[0].id, "card-expired");
    // Two typos are too many; short words get none.
    assert!(k.search("rfenuds.", "en", 0, 1).is_empty());
    assert_eq!(k.search("promi.", "en", 0, 1)[0].id, "promo-code");
    assert!(k.search("prmo.", "en", 0, 3).is_empty());
    assert!(k.search("cdoe.", "en", 0, 3).is_empty());
}

#[test]
fn search_as_you_type_completes_the_last_word() {
    let k = shop();
    assert_eq!(k.search("refu", "en", 0, 1)[0].id, "refunds");
    assert_eq!(
        k.search("how long does shipp", "en", 0, 1)[0].id,
        "shipping-times"
    );
    assert_eq!(
        k.search("pay with payp", "en", 0, 1)[0].id,
        "payment-methods"
    );
    // A finished word (followed by a space or punctuation) is not a prefix.
    assert!(k.search("refu ", "en", 0, 1).is_empty());
    assert!(k.search("refu?", "en", 0, 1).is_empty());
    // Only the last word is a prefix.
    assert!(k
        .search("refu card", "en", 0, 3)
        .iter()
        .all(|h| h.id != "refunds"));
}

// ------------------------------------------------------------ proactive ranking

#[test]
fn checkout_with_a_declined_card_error_suggests_card_declined_first() {
    let k = shop();
    let mut ctx = Context {
        locale: "en-GB".into(),
        path: "/checkout".into(),
        page_title: "Checkout – Lamp Shop".into(),
        headings: vec!["Payment".into(), "Delivery address".into()],
        ..Context::default()
    };
    let before = k.suggest(&ctx, 0, 3);
    assert_ne!(before[0].id, "card-declined", "{before:?}");
    ctx.form_errors = vec![Signal::new("Your card was declined", 1.0)];
    let hits = k.suggest(&ctx, 0, 5);
    assert_eq!(hits[0].id, "card-declined", "{hits:?}");
    assert!(hits.iter().all(|h| !h.stale));
    // Read already: it drops below another plausible answer.
    ctx.read = vec!["card-declined".into()];
    assert_ne!(k.suggest(&ctx, 0, 3)[0].id, "card-declined");
    // Rated unhelpful: it is gone.
    ctx.read.clear();
    ctx.unhelpful = vec!["card-declined".into()];
    assert!(ids(&k.suggest(&ctx, 0, 10))
        .iter()
        .all(|id| *id != "card-declined"));
}

#[test]
fn suggestions_follow_events_searches_and_recency() {
    let k = shop();
    let ctx = Context {
        path: "/account/orders".into(),
        events: vec![Signal::new("orderDelayed", 1.0)],
        ..Context::default()
    };
    assert_eq!(k.suggest(&ctx, 0, 1)[0].id, "shipping-times");
    let ctx = Context {
        last_search: Some("money back".into()),
        events: vec![Signal::new("refund_requested", 1.0)],
        ..Context::default()
    };
    assert_eq!(k.suggest(&ctx, 0, 1)[0].id, "refunds");
    // An old error counts for less than a fresh one.
    let ctx = Context {
        form_errors: vec![
            Signal::aged("Your card has expired", 110_000, 120_000),
            Signal::aged("Promo code not valid", 0, 120_000),
        ],
        ..Context::default()
    };
    assert_eq!(k.suggest(&ctx, 0, 1)[0].id, "promo-code");
    // No signal at all: nothing to suggest.
    assert!(k.suggest(&Context::default(), 0, 3).is_empty());
}

fn trigger(answers: &[&str], tags: &[&str]) -> Trigger {
    Trigger {
        id: "t".into(),
        path: "/triggers/0".into(),
        when: Condition {
            path: "/triggers/0/when".into(),
            test: Test::All(vec![]),
        },
        message: "m".into(),
        answers: answers.iter().map(|s| s.to_string()).collect(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        delivery: Delivery::default(),
    }
}

#[test]
fn nudges_list_the_triggers_answers_then_rank_by_context() {
    let k = shop();
    // Listed answers first, then tagged ones, the page's first.
    let picked: Vec<_> = k
        .for_trigger(
            &trigger(&["card-declined", "payment-methods"], &["payment"]),
            "/checkout",
        )
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(picked, ["card-declined", "payment-methods", "promo-code"]);
    // Listed only: nothing else is added.
    let picked = k.for_trigger(&trigger(&["refunds"], &[]), "/checkout");
    assert_eq!(picked.len(), 1);
    // Tagged answers are ranked by the context: the expired-card error wins.
    let ctx = Context {
        path: "/checkout".into(),
        form_errors: vec![Signal::new("This card has expired", 1.0)],
        ..Context::default()
    };
    let picked = k.select(&trigger(&[], &["payment"]), &ctx, 0);
    assert_eq!(picked[0].id, "card-expired");
    assert!(picked.len() <= 3);
    // No answers and no tags: the best suggestions.
    let picked = k.select(&trigger(&[], &[]), &ctx, 0);
    assert_eq!(picked[0].id, "card-expired");
}

// ------------------------------------------------------------ freshness

const JAN_1_2025: u64 = 1_735_689_600_000;

fn dated() -> Knowledge {
    Knowledge::from_json(
        r#"{"version": 1, "answers": [
      {"id": "fees", "title": "What are the card fees?", "body": "No monthly fee.",
       "reviewedAt": "2025-01-01", "reviewEveryDays": 30, "pages": ["/pricing"], "tags": ["fees"]},
      {"id": "promo", "title": "Card fees promotion", "body": "No fees in January.",
       "expiresAt": "2025-02-01", "pages": ["/pricing"], "tags": ["fees"]},
      {"id": "limits", "title": "Card limits", "body": "Spend up to 5000 a day.", "pages": ["/pricing"], "tags": ["fees"]}
    ]}"#,
    )
    .unwrap()
}

#[test]
fn freshness_with_an_injected_clock() {
    let k = dated();
    let fees = k.get("fees").unwrap();
    assert_eq!(fees.reviewed_at, Some(JAN_1_2025));
    assert_eq!(fees.due_at(), Some(JAN_1_2025 + 30 * DAY_MS));
    let jan_30 = JAN_1_2025 + 29 * DAY_MS;
    let jan_31 = JAN_1_2025 + 30 * DAY_MS;
    let feb_1 = JAN_1_2025 + 31 * DAY_MS;
    assert!(!fees.is_stale(jan_31 - 1));
    assert!(fees.is_stale(jan_31));
    let stale = |now| {
        k.stale(now)
            .iter()
            .map(|a| a.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(stale(jan_30).is_empty());
    assert_eq!(stale(jan_31), ["fees"]);
    assert_eq!(stale(feb_1), ["fees", "promo"]);

    // Search still finds stale answers, flagged.
    let hits = k.search("card fees", "en", feb_1, 3);
    assert_eq!(hits.len(), 3);
    for h in &hits {
        assert_eq!(h.stale, h.id != "limits", "{h:?}");
    }
    let fresh = k.search("card fees", "en", jan_30, 3);
    assert!(fresh.iter().all(|h| !h.stale));

    // ... unless the team turns that off.
    let mut hidden = k.clone();
    let mut s = *hidden.settings();
    s.stale_in_search = false;
    hidden.set_settings(s);
    assert_eq!(ids(&hidden.search("card fees", "en", feb_1, 3)), ["limits"]);

    // Proactive selection never shows them.
    let ctx = Context {
        path: "/pricing".into(),
        last_search: Some("card fees".into()),
        ..Context::default()
    };
    assert_eq!(k.suggest(&ctx, jan_30, 3).len(), 3);
    assert_eq!(ids(&k.suggest(&ctx, feb_1, 3)), ["limits"]);
    let picked = k.select(&trigger(&["fees", "promo"], &["fees"]), &ctx, feb_1);
    assert_eq!(
        picked.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        ["limits"]
    );
    let picked = k.select(&trigger(&["fees", "promo"], &["fees"]), &ctx, jan_30);
    assert_eq!(picked.len(), 3);
}

// ------------------------------------------------------------ locales

fn multilingual() -> Knowledge {
    Knowledge::from_json(
        r#"{"version": 1, "locale": "en", "answers": [
      {"id": "lost-card", "title": "I lost my card", "body": "Freeze it in the app, then order a new one.",
       "translations": {
         "he": {"title": "איבדתי את הכרטיס", "body": "הקפיאו אותו באפליקציה.", "questions": ["הכרטיס שלי נגנב"]},
         "tr": {"title": "Kartımı kaybettim", "body": "Uygulamada kartı dondurun."},
         "be": {"title": "Я згубіў картку", "body": "Заблакуйце яе ў праграме."},
         "ms": {"title": "Kad saya hilang", "body": "Bekukan kad dalam aplikasi."},
         "fil": {"title": "Nawala ang aking card", "body": "I-freeze ito sa app."}
       }},
      {"id": "pin", "title": "I forgot my PIN", "body": "Reset it in the app.",
       "translations": {"he-IL": {"title": "שכחתי את הקוד הסודי", "body": "אפסו אותו באפליקציה."}}}
    ]}"#,
    )
    .unwrap()
}

#[test]
fn locale_fallback_chain() {
    let k = multilingual();
    let title = |id: &str, prefs: &[&str]| k.localized(id, prefs).unwrap().title.to_string();
    assert_eq!(title("lost-card", &["he-IL"]), "איבדתי את הכרטיס");
    assert_eq!(title("lost-card", &["HE"]), "איבדתי את הכרטיס");
    assert_eq!(title("lost-card", &["fr-FR", "tr-TR"]), "Kartımı kaybettim");
    assert_eq!(title("lost-card", &["fr-FR"]), "I lost my card");
    assert_eq!(title("lost-card", &["en-US", "he"]), "I lost my card");
    assert_eq!(title("lost-card", &["fil-PH"]), "Nawala ang aking card");
    // `he` takes the only Hebrew text even when it is `he-IL`.
    assert_eq!(title("pin", &["he"]), "שכחתי את הקוד הסודי");
    assert_eq!(k.localized("pin", &["he"]).unwrap().locale, "he-IL");
    assert_eq!(title("pin", &["ms"]), "I forgot my PIN");
    assert!(k.localized("nope", &["he"]).is_none());
}

#[test]
fn search_matches_translations_in_their_own_language() {
    let k = multilingual();
    assert_eq!(k.search("נגנב הכרטיס", "he-IL", 0, 1)[0].id, "lost-card");
    assert_eq!(k.search("שָׁכַחְתִּי קוד", "he", 0, 1)[0].id, "pin");
    assert_eq!(k.search("KARTIMI KAYBETTİM", "tr", 0, 1)[0].id, "lost-card");
    assert_eq!(k.search("згубіў картку", "be", 0, 1)[0].id, "lost-card");
    assert_eq!(k.search("kad hilang", "ms", 0, 1)[0].id, "lost-card");
    assert_eq!(k.search("nawala card", "fil", 0, 1)[0].id, "lost-card");
    // English text is searchable whatever the visitor's locale.
    assert_eq!(k.search("forgot pin", "he", 0, 1)[0].id, "pin");
}

// ------------------------------------------------------------ updates

#[test]
fn the_index_follows_updates() {
    let mut k = shop();
    assert!(k.search("gift wrapping", "en", 0, 3).is_empty());
    let mut wrap = Answer::new(
        "gift-wrap",
        "Do you offer gift wrapping?",
        "Yes, for 3 dollars.",
    );
    wrap.questions = vec!["Can you wrap it as a present?".into()];
    assert!(k.upsert(wrap.clone()).is_none());
    assert_eq!(k.search("gift wrapping", "en", 0, 1)[0].id, "gift-wrap");
    assert_eq!(k.search("wrap as a present", "en", 0, 1)[0].id, "gift-wrap");

    // Replacing keeps its place and forgets the old text.
    wrap.title = "Do you sell gift cards?".into();
    wrap.questions.clear();
    assert!(k.upsert(wrap).is_some());
    assert_eq!(k.answers().last().unwrap().title, "Do you sell gift cards?");
    assert!(k.search("present", "en", 0, 3).is_empty());

    // Removing an answer shifts the rest without confusing their ids.
    assert!(k.remove("card-declined").is_some());
    assert!(k.remove("card-declined").is_none());
    assert_eq!(k.search("refunds?", "en", 0, 1)[0].id, "refunds");
    assert_eq!(k.search("gift cards?", "en", 0, 1)[0].id, "gift-wrap");
    assert!(k
        .search("declined", "en", 0, 5)
        .iter()
        .all(|h| h.id != "card-declined"));

    // The same knowledge built fresh ranks the same way.
    let fresh = Knowledge::from_answers("en".into(), k.answers().to_vec());
    for q in ["card", "gift cards?", "refund", "shipping time"] {
        assert_eq!(
            ids(&k.search(q, "en", 0, 5)),
            ids(&fresh.search(q, "en", 0, 5)),
            "{q}"
        );
    }
}

// ------------------------------------------------------------ validation

/// A problem as (path, message, hint).
type Found = (String, String, Option<String>);

/// Every (path, message, hint) the document is rejected with.
fn problems(doc: &str) -> Vec<Found> {
    let err = Knowledge::from_json(doc).expect_err("document should be rejected");
    err.problems()
        .expect("validation problems")
        .iter()
        .map(|p| (p.path.clone(), p.message.clone(), p.hint.clone()))
        .collect()
}

fn p(path: &str, message: &str, hint: Option<&str>) -> Found {
    (path.into(), message.into(), hint.map(str::to_string))
}

fn one(answer: &str) -> String {
    format!(r#"{{"version": 1, "answers": [{answer}]}}"#)
}

#[test]
fn broken_documents_report_every_problem_with_its_path() {
    let cases: Vec<(String, Vec<Found>)> = vec![
        // 1. Missing everything.
        (
            "{}".into(),
            vec![
                p("/version", "is required", Some("add \"version\": 1")),
                p("/answers", "is required", None),
            ],
        ),
        // 2. A misspelt top-level key and a bad default locale.
        (
            r#"{"version": 1, "locale": "english", "answer": []}"#.into(),
            vec![
                p("/answer", "unknown key `answer`", Some("did you mean `answers`?")),
                p("/locale", "must be a language tag", Some("for example `he`, `he-IL` or `pt-BR`")),
                p("/answers", "is required", None),
            ],
        ),
        // 3. Unknown answer key with a hint, blank title.
        (
            one(r#"{"id": "a", "title": " ", "body": "B", "question": ["x"]}"#),
            vec![
                p("/answers/0/question", "unknown key `question`", Some("did you mean `questions`?")),
                p("/answers/0/title", "must not be empty", None),
            ],
        ),
        // 4. Questions of the wrong type, and a blank question.
        (
            r#"{"version": 1, "answers": [
              {"id": "a", "title": "A", "body": "B", "questions": "How?"},
              {"id": "b", "title": "B", "body": "B", "questions": ["ok", ""]}]}"#
                .into(),
            vec![
                p("/answers/0/questions", "expected an array of strings, got a string", None),
                p("/answers/1/questions/1", "must not be empty", None),
            ],
        ),
        // 5. Translations: bad locale keys, a missing body, a misspelt key.
        (
            one(
                r#"{"id": "a", "title": "A", "body": "B", "translations": {
                  "hebrew": {"title": "x", "body": "y"},
                  "he_IL": {"title": "x", "body": "y"},
                  "tr": {"title": "x", "titles": "y"}}}"#,
            ),
            vec![
                p("/answers/0/translations/he_IL", "must be a language tag", Some("write `he-IL`")),
                p(
                    "/answers/0/translations/hebrew",
                    "must be a language tag",
                    Some("for example `he`, `he-IL` or `pt-BR`"),
                ),
                p("/answers/0/translations/tr/titles", "unknown key `titles`", Some("did you mean `title`?")),
                p("/answers/0/translations/tr/body", "is required", None),
            ],
        ),
        // 6. A translation into the document's own locale, and a duplicate.
        (
            one(
                r#"{"id": "a", "title": "A", "body": "B", "translations": {
                  "en": {"title": "x", "body": "y"}, "he": {"title": "x", "body": "y"}, "HE": {"title": "x", "body": "y"}}}"#,
            ),
            vec![
                p(
                    "/answers/0/translations/en",
                    "is the document's own locale `en`",
                    Some("the answer's `title` and `body` are already in it"),
                ),
                p("/answers/0/translations/he", "duplicate locale: `HE` is the same", None),
            ],
        ),
        // 7. Translations must be an object.
        (
            one(r#"{"id": "a", "title": "A", "body": "B", "translations": ["he"]}"#),
            vec![p(
                "/answers/0/translations",
                "expected an object of translations by locale, got an array",
                None,
            )],
        ),
        // 8. Dates: wrong shape, a time, not a calendar date.
        (
            r#"{"version": 1, "answers": [
              {"id": "a", "title": "A", "body": "B", "reviewedAt": "2025/01/01"},
              {"id": "b", "title": "B", "body": "B", "reviewedAt": "2025-01-01T10:00:00Z"},
              {"id": "c", "title": "C", "body": "B", "expiresAt": "2025-02-29"},
              {"id": "d", "title": "D", "body": "B", "expiresAt": 20250101}]}"#
                .into(),
            vec![
                p("/answers/0/reviewedAt", "must be a date written `YYYY-MM-DD`", Some("for example `2025-06-30`")),
                p(
                    "/answers/1/reviewedAt",
                    "must be a date written `YYYY-MM-DD`",
                    Some("dates are whole days (UTC): write `2025-01-01`"),
                ),
                p("/answers/2/expiresAt", "`2025-02-29` is not a calendar date", None),
                p("/answers/3/expiresAt", "expected a string, got a number", None),
            ],
        ),
        // 9. A review interval without a review date, and out of range.
        (
            r#"{"version": 1, "answers": [
              {"id": "a", "title": "A", "body": "B", "reviewEveryDays": 30},
              {"id": "b", "title": "B", "body": "B", "reviewedAt": "2025-01-01", "reviewEveryDays": 0}]}"#
                .into(),
            vec![
                p(
                    "/answers/0/reviewEveryDays",
                    "needs `reviewedAt`",
                    Some("add \"reviewedAt\": \"YYYY-MM-DD\", the day the answer was last checked"),
                ),
                p("/answers/1/reviewEveryDays", "must be between 1 and 3650", None),
            ],
        ),
        // 10. Expiry before the last review.
        (
            one(r#"{"id": "a", "title": "A", "body": "B", "reviewedAt": "2025-03-01", "expiresAt": "2025-01-01"}"#),
            vec![p("/answers/0/expiresAt", "must be after `reviewedAt`", None)],
        ),
        // 11. Duplicate ids point at the first use.
        (
            r#"{"version": 1, "answers": [
              {"id": "a", "title": "A", "body": "B"}, {"id": "a", "title": "A2", "body": "B"}]}"#
                .into(),
            vec![p("/answers/1/id", "duplicate answer id `a`", Some("`/answers/0` already uses it"))],
        ),
        // 12. Several problems in one answer, all of them reported.
        (
            one(r#"{"id": "bad id", "title": 3, "body": "", "url": "ftp://x", "pages": ["checkout"]}"#),
            vec![
                p("/answers/0/id", "must be 1 to 64 letters, digits, `-`, `_` or `.`", None),
                p("/answers/0/title", "expected a string, got a number", None),
                p("/answers/0/body", "must not be empty", None),
                p("/answers/0/url", "must be an http(s) address or a path starting with `/`", None),
                p("/answers/0/pages/0", "a page pattern must start with `/`", None),
            ],
        ),
        // 13. A question that is far too long.
        (
            one(&format!(
                r#"{{"id": "a", "title": "A", "body": "B", "questions": ["{}"]}}"#,
                "x".repeat(501)
            )),
            vec![p("/answers/0/questions/0", "is too long: at most 500 characters", None)],
        ),
    ];
    for (i, (doc, want)) in cases.iter().enumerate() {
        assert_eq!(&problems(doc), want, "case {}", i + 1);
    }
}

#[test]
fn invalid_json_is_one_problem_at_the_root() {
    let got = problems("{\"version\": 1,");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "");
    assert!(got[0].1.starts_with("is not valid JSON"), "{}", got[0].1);
}

#[test]
fn a_valid_v1_document_round_trips_its_fields() {
    let k = Knowledge::from_json(
        r#"{"$schema": "/schema/answers.v1.schema.json", "version": 1, "locale": "en-GB", "answers": [
      {"id": "a", "title": "A", "body": "B", "url": "/help/a", "tags": ["t"], "pages": ["/x/*"],
       "questions": ["Q?"], "translations": {"he": {"title": "א", "body": "ב", "questions": ["ש?"]}},
       "reviewedAt": "2024-02-29", "reviewEveryDays": 365, "expiresAt": "2026-01-01"}]}"#,
    )
    .unwrap();
    assert_eq!(k.locale(), "en-GB");
    let a = k.get("a").unwrap();
    assert_eq!(a.translations[0].locale, "he");
    assert_eq!(a.translations[0].questions, ["ש?"]);
    let json = serde_json::to_value(a).unwrap();
    assert_eq!(json["reviewedAt"], "2024-02-29");
    assert_eq!(json["expiresAt"], "2026-01-01");
    assert_eq!(json["reviewEveryDays"], 365);
    assert_eq!(json["questions"][0], "Q?");
}
