//! The webhook outbox with an injected clock and injected jitter: backoff,
//! `Retry-After`, classification, delivery scenarios, persistence, tabs and
//! beacons. No sleeps, no browser.

use pathlight::transport::outbox::{
    backoff, beacon_url, classify, parse_http_date, parse_retry_after, Outbox, Outcome, Policy,
    Push, PushError, Report, State, Warning, BACKOFF_CAP, BEACON_LIMIT, DELIVERED_MEMORY,
    MAX_BYTES, MAX_DELAY, MAX_ENTRIES, MAX_STORED,
};

const T0: u64 = 1_700_000_000_000;
const URL: &str = "https://hooks.example/handoff";

fn body(key: &str) -> String {
    format!("{{\"version\":1,\"id\":\"{key}\"}}")
}

fn outbox_with(keys: &[&str]) -> Outbox {
    let mut o = Outbox::new(Policy::default());
    for (i, k) in keys.iter().enumerate() {
        o.push(k, URL, &body(k), T0 + i as u64).unwrap();
    }
    o
}

fn retry(reason: &str) -> Outcome {
    Outcome::Retry {
        after: None,
        reason: reason.into(),
    }
}

/// Start `key` at `now` and record `outcome` right away.
fn attempt(o: &mut Outbox, key: &str, outcome: Outcome, now: u64) -> Report {
    assert!(o.start(key, now), "{key} could not start at {now}");
    o.record(key, outcome, now, 0.0)
}

// --- backoff ---------------------------------------------------------------

#[test]
fn backoff_doubles_with_equal_jitter_and_is_capped() {
    let mut previous = 0;
    for attempt in 1..=40u32 {
        let window = (1_000u64 << (attempt - 1).min(20)).min(BACKOFF_CAP);
        let low = backoff(attempt, 0.0);
        let high = backoff(attempt, 0.999);
        assert_eq!(low, window / 2, "attempt {attempt}");
        assert!(
            high >= window / 2 && high < window,
            "attempt {attempt}: {high}"
        );
        assert!(high >= low);
        assert!(low >= previous, "never shrinks: attempt {attempt}");
        previous = low;
    }
    let table = [
        (1, 500, 999),
        (2, 1_000, 1_999),
        (3, 2_000, 3_998),
        (4, 4_000, 7_996),
        (7, 32_000, 63_968),
        (9, 128_000, 255_872),
        (10, 150_000, 299_850),
        (11, 150_000, 299_850),
    ];
    for (attempt, low, high) in table {
        assert_eq!(backoff(attempt, 0.0), low, "attempt {attempt}");
        assert_eq!(backoff(attempt, 0.999), high, "attempt {attempt}");
    }
}

#[test]
fn backoff_tolerates_odd_jitter_and_attempts() {
    assert_eq!(backoff(0, 0.0), 500, "attempt 0 counts as the first");
    assert_eq!(backoff(u32::MAX, 0.0), BACKOFF_CAP / 2);
    assert_eq!(backoff(1, f64::NAN), 500);
    assert_eq!(backoff(1, -3.0), 500);
    assert_eq!(backoff(1, 1.0), 999, "jitter 1 stays below the window");
    assert_eq!(backoff(1, f64::INFINITY), 999);
}

// --- Retry-After -----------------------------------------------------------

#[test]
fn retry_after_seconds() {
    assert_eq!(parse_retry_after("0", T0), Some(0));
    assert_eq!(parse_retry_after("30", T0), Some(30_000));
    assert_eq!(parse_retry_after("  120 ", T0), Some(120_000));
    assert_eq!(
        parse_retry_after("99999999999999999999999", T0),
        Some(u64::MAX),
        "saturates"
    );
    for garbage in [
        "",
        " ",
        "-5",
        "1.5",
        "30s",
        "soon",
        "0x10",
        "+3",
        "Wed, 21 Oct",
        "\u{661}\u{662}",
    ] {
        assert_eq!(parse_retry_after(garbage, T0), None, "{garbage:?}");
    }
}

#[test]
fn http_dates_in_all_three_formats() {
    let cases = [
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777),
        ("Fri, 31 Dec 1999 23:59:59 GMT", 946_684_799),
        ("Tue, 29 Feb 2000 00:00:00 GMT", 951_782_400),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_480),
        ("Tue, 14 Nov 2023 22:13:20 GMT", 1_700_000_000),
        ("Thu, 29 Feb 2024 06:30:15 GMT", 1_709_188_215),
        ("Tue, 31 Dec 2024 23:59:59 GMT", 1_735_689_599),
        ("Tue, 19 Jan 2038 03:14:08 GMT", 2_147_483_648),
        ("Mon, 01 Mar 2100 12:00:00 GMT", 4_107_585_600),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777),
        ("Wednesday, 21-Oct-15 07:28:00 GMT", 1_445_412_480),
        ("Sun Nov  6 08:49:37 1994", 784_111_777),
        ("Wed Oct 21 07:28:00 2015", 1_445_412_480),
        ("sun, 06 nov 1994 08:49:37 gmt", 784_111_777),
    ];
    for (text, secs) in cases {
        assert_eq!(parse_http_date(text, T0), Some(secs * 1000), "{text}");
    }
    assert_eq!(
        parse_http_date("Sun, 20 Jul 1969 20:17:40 GMT", T0),
        Some(0),
        "before the epoch"
    );
    for bad in [
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Mon, 29 Feb 2100 00:00:00 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 PST",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT extra",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov  6 08:49:37",
        "1, 06 Nov 1994 08:49:37 GMT",
        "06 Nov 1994 08:49:37 GMT",
        ",,,",
    ] {
        assert_eq!(parse_http_date(bad, T0), None, "{bad}");
    }
}

#[test]
fn retry_after_dates_are_relative_to_now_and_never_negative() {
    let now = 1_445_412_480_000; // Wed, 21 Oct 2015 07:28:00 GMT
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
        Some(30_000)
    );
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 08:28:00 GMT", now + 500),
        Some(3_599_500)
    );
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:27:59 GMT", now),
        Some(0)
    );
    assert_eq!(
        parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now),
        Some(0)
    );
}

#[test]
fn retry_after_wins_over_a_shorter_backoff_and_is_capped() {
    let mut o = outbox_with(&["h"]);
    o.start("h", T0);
    let r = o.record("h", classify(429, Some("30"), T0), T0, 0.5);
    assert!(matches!(r, Report::WillRetry { at, attempt: 1, .. } if at == T0 + 30_000));

    // A backoff longer than Retry-After wins.
    let mut o = Outbox::new(Policy {
        max_attempts: 20,
        ..Policy::default()
    });
    o.push("h", URL, "{}", T0).unwrap();
    let mut now = T0;
    for _ in 0..7 {
        o.start("h", now);
        o.record("h", retry("x"), now, 0.0);
        now = o.next_wake().unwrap();
    }
    o.start("h", now);
    let r = o.record("h", classify(503, Some("1"), now), now, 0.0);
    assert!(matches!(r, Report::WillRetry { at, attempt: 8, .. } if at == now + backoff(8, 0.0)));

    // An absurd Retry-After is capped.
    let mut o = outbox_with(&["h"]);
    o.start("h", T0);
    let r = o.record("h", classify(503, Some("86400"), T0), T0, 0.0);
    assert!(matches!(r, Report::WillRetry { at, .. } if at == T0 + MAX_DELAY));
    let date = "Mon, 01 Mar 2100 12:00:00 GMT";
    o.start("h", T0 + MAX_DELAY);
    let r = o.record("h", classify(503, Some(date), T0), T0 + MAX_DELAY, 0.0);
    assert!(matches!(r, Report::WillRetry { at, .. } if at == T0 + 2 * MAX_DELAY));
}

// --- classify ----------------------------------------------------------------

#[test]
fn classify_table() {
    use Outcome::*;
    for s in [200, 201, 202, 204, 299, 409] {
        assert_eq!(classify(s, None, T0), Delivered, "{s}");
        assert_eq!(classify(s, Some("30"), T0), Delivered, "{s}");
    }
    let retries = [
        (408, "the webhook answered 408 Request Timeout"),
        (425, "the webhook answered 425 Too Early"),
        (429, "the webhook answered 429 Too Many Requests"),
        (500, "the webhook answered 500 Internal Server Error"),
        (502, "the webhook answered 502 Bad Gateway"),
        (503, "the webhook answered 503 Service Unavailable"),
        (504, "the webhook answered 504 Gateway Timeout"),
        (599, "the webhook answered 599"),
    ];
    for (s, reason) in retries {
        assert_eq!(
            classify(s, None, T0),
            Retry {
                after: None,
                reason: reason.into()
            },
            "{s}"
        );
        assert_eq!(
            classify(s, Some("7"), T0),
            Retry {
                after: Some(7_000),
                reason: reason.into()
            },
            "{s}"
        );
        assert_eq!(
            classify(s, Some("later"), T0),
            Retry {
                after: None,
                reason: reason.into()
            },
            "{s}: garbage Retry-After is ignored"
        );
    }
    let fatal = [
        (400, "the webhook answered 400 Bad Request"),
        (401, "the webhook answered 401 Unauthorized"),
        (403, "the webhook answered 403 Forbidden"),
        (404, "the webhook answered 404 Not Found"),
        (405, "the webhook answered 405 Method Not Allowed"),
        (410, "the webhook answered 410 Gone"),
        (413, "the webhook answered 413 Content Too Large"),
        (415, "the webhook answered 415 Unsupported Media Type"),
        (422, "the webhook answered 422 Unprocessable Content"),
        (499, "the webhook answered 499"),
        (
            302,
            "the webhook answered 302 Found, which is not a success",
        ),
        (
            100,
            "the webhook answered 100 Continue, which is not a success",
        ),
        (600, "the webhook answered 600, which is not a success"),
    ];
    for (s, reason) in fatal {
        assert_eq!(
            classify(s, Some("5"), T0),
            Fatal {
                reason: reason.into()
            },
            "{s}"
        );
    }
    assert!(matches!(classify(0, None, T0), Retry { after: None, .. }));
    assert_eq!(Outcome::timed_out(10_000), retry("timed out after 10 s"));
    assert_eq!(Outcome::network(""), retry("network error"));
}

// --- scenarios ---------------------------------------------------------------

#[test]
fn scripted_scenario_delivers_exactly_once() {
    let mut o = outbox_with(&["h-1"]);
    let mut sent = 0;
    let mut now = T0;

    // 1. The network drops.
    assert_eq!(o.due(now), ["h-1"]);
    assert!(o.start("h-1", now));
    sent += 1;
    assert!(o.due(now).is_empty(), "not sent twice while in flight");
    let r = o.record("h-1", Outcome::network("Failed to fetch"), now + 30, 0.0);
    assert_eq!(
        r,
        Report::WillRetry {
            at: now + 530,
            attempt: 1,
            reason: "network error (Failed to fetch)".into()
        }
    );
    assert!(o.due(now + 529).is_empty());
    now = o.next_wake().unwrap();
    assert_eq!(now, T0 + 530);

    // 2. 500.
    assert_eq!(o.due(now), ["h-1"]);
    o.start("h-1", now);
    sent += 1;
    let r = o.record("h-1", classify(500, None, now), now + 100, 0.999);
    let Report::WillRetry { at, attempt: 2, .. } = r else {
        panic!("{r:?}")
    };
    assert!(at >= now + 100 + 1_000 && at < now + 100 + 2_000);
    now = o.next_wake().unwrap();

    // 3. 429 with Retry-After: 30.
    o.start("h-1", now);
    sent += 1;
    let r = o.record("h-1", classify(429, Some("30"), now), now, 0.0);
    assert!(matches!(r, Report::WillRetry { at, attempt: 3, .. } if at == now + 30_000));
    assert!(o.due(now + 29_999).is_empty());
    now += 30_000;

    // 4. The tab dies while the attempt is in flight; the stored outbox is
    //    read by the next page, which waits out the timeout.
    o.start("h-1", now);
    sent += 1;
    let (mut o, warning) = Outbox::decode(&o.encode());
    assert_eq!(warning, None);
    assert!(matches!(
        o.get("h-1").unwrap().state,
        State::InFlight { .. }
    ));
    assert!(o.due(now + 5_000).is_empty(), "maybe still in flight");
    assert_eq!(o.next_wake(), Some(now + 12_000));
    now = o.next_wake().unwrap();
    assert_eq!(o.due(now), ["h-1"], "lost, due again");

    // 5. 200.
    assert!(o.start("h-1", now));
    sent += 1;
    assert!(o
        .get("h-1")
        .unwrap()
        .last_error
        .as_deref()
        .unwrap()
        .contains("no answer within 12 s"));
    assert_eq!(o.get("h-1").unwrap().attempts, 5);
    assert_eq!(
        o.record("h-1", classify(200, None, now), now + 80, 0.0),
        Report::Delivered
    );

    assert!(o.is_empty() && o.is_delivered("h-1"));
    assert_eq!(o.next_wake(), None);
    assert!(o.due(now + 1_000_000).is_empty());
    assert_eq!(
        sent, 5,
        "five requests, all with the same key: one conversation"
    );
    // A late answer to an older attempt changes nothing.
    assert_eq!(o.record("h-1", retry("late"), now + 90, 0.0), Report::Gone);
    assert_eq!(o.push("h-1", URL, "{}", now), Ok(Push::AlreadyDelivered));
    assert!(o.is_empty());
}

#[test]
fn fails_for_good_after_max_attempts_and_keeps_the_payload() {
    let mut o = outbox_with(&["h"]);
    let mut now = T0;
    for n in 1..8u32 {
        let r = attempt(&mut o, "h", classify(503, None, now), now);
        assert!(
            matches!(r, Report::WillRetry { attempt, .. } if attempt == n),
            "{r:?}"
        );
        now = o.next_wake().unwrap();
    }
    let r = attempt(&mut o, "h", classify(502, None, now), now);
    assert_eq!(
        r,
        Report::Failed {
            reason: "the webhook answered 502 Bad Gateway (gave up after 8 attempts)".into()
        }
    );
    let e = o.get("h").unwrap();
    assert!(
        matches!(&e.state, State::Failed { reason } if reason.starts_with("the webhook answered 502"))
    );
    assert_eq!(e.body, body("h"), "nothing is lost");
    assert!(o.due(now + 10 * MAX_DELAY).is_empty());
    assert_eq!(o.next_wake(), None);
    assert!(!o.start("h", now), "a failed payload is not sent");

    // The next page load gives it one more try; its failure is final again.
    assert_eq!(o.retry_failed(now + 1), 1);
    assert_eq!(o.due(now + 1), ["h"]);
    let r = attempt(&mut o, "h", retry("network error"), now + 1);
    assert!(matches!(r, Report::Failed { reason } if reason.starts_with("network error")));
    o.retry_failed(now + 2);
    assert_eq!(
        attempt(&mut o, "h", Outcome::Delivered, now + 2),
        Report::Delivered
    );
    assert!(o.is_empty());
}

#[test]
fn fatal_answers_fail_at_once() {
    let mut o = outbox_with(&["h"]);
    let r = attempt(&mut o, "h", classify(400, None, T0), T0);
    assert_eq!(
        r,
        Report::Failed {
            reason: "the webhook answered 400 Bad Request".into()
        }
    );
    assert_eq!(o.len(), 1);
}

#[test]
fn max_age_ends_retries() {
    let day = 86_400_000;
    let mut o = outbox_with(&["h"]);
    let r = attempt(&mut o, "h", retry("offline"), T0 + day - 1);
    assert!(matches!(r, Report::WillRetry { attempt: 1, .. }));
    let r = attempt(&mut o, "h", retry("offline"), T0 + day);
    assert_eq!(
        r,
        Report::Failed {
            reason: "offline (gave up: older than 24 h)".into()
        }
    );
    // A delivery still counts after the age limit.
    let mut o = outbox_with(&["h"]);
    assert_eq!(
        attempt(&mut o, "h", Outcome::Delivered, T0 + 3 * day),
        Report::Delivered
    );
}

#[test]
fn policy_is_honoured() {
    let mut o = Outbox::new(Policy {
        timeout: 1_000,
        max_attempts: 2,
        max_age: 60_000,
    });
    o.push("h", URL, "{}", T0).unwrap();
    o.start("h", T0);
    assert_eq!(o.next_wake(), Some(T0 + 3_000));
    assert!(o.due(T0 + 2_999).is_empty());
    assert_eq!(o.due(T0 + 3_000), ["h"]);
    o.record("h", Outcome::timed_out(1_000), T0 + 1_000, 0.0);
    let r = attempt(&mut o, "h", Outcome::timed_out(1_000), T0 + 2_000);
    assert_eq!(
        r,
        Report::Failed {
            reason: "timed out after 1 s (gave up after 2 attempts)".into()
        }
    );
}

#[test]
fn due_and_start_rules() {
    let mut o = outbox_with(&["a", "b", "c"]);
    assert_eq!(o.due(T0 + 5), ["a", "b", "c"], "oldest first");
    assert_eq!(o.due(T0), ["a"]);
    assert!(o.start("b", T0 + 5));
    assert!(!o.start("b", T0 + 6), "in flight, not lost");
    assert!(!o.start("nope", T0));
    assert_eq!(o.due(T0 + 5), ["a", "c"]);
    // Started early (e.g. on `online`) while backing off.
    o.record("b", retry("x"), T0 + 6, 0.0);
    assert!(!o.due(T0 + 7).contains(&"b".to_owned()));
    assert!(o.start("b", T0 + 7));
    // The clock went back by more than any delay: due, not stuck.
    let mut o = outbox_with(&["a"]);
    attempt(&mut o, "a", retry("x"), T0 + 10 * MAX_DELAY);
    assert_eq!(o.due(T0), ["a"]);
    let mut o = outbox_with(&["a"]);
    o.start("a", T0 + MAX_DELAY);
    assert_eq!(
        o.due(T0),
        ["a"],
        "in flight since a time in the future: lost"
    );
}

// --- push and bounds ---------------------------------------------------------

#[test]
fn push_is_idempotent_and_validates_keys() {
    let mut o = Outbox::new(Policy::default());
    assert_eq!(
        o.push("h-1", URL, "{}", T0),
        Ok(Push::Queued { evicted: vec![] })
    );
    assert_eq!(
        o.push("h-1", URL, "{\"other\":1}", T0 + 1),
        Ok(Push::Duplicate)
    );
    assert_eq!(o.len(), 1);
    assert_eq!(o.get("h-1").unwrap().body, "{}");
    assert_eq!(o.get("h-1").unwrap().created, T0);
    let long = "k".repeat(201);
    for bad in ["", "a b", "é", "a\nb", long.as_str()] {
        assert_eq!(
            o.push(bad, URL, "{}", T0),
            Err(PushError::BadKey),
            "{bad:?}"
        );
    }
    let huge = "x".repeat(MAX_BYTES);
    assert!(matches!(
        o.push("big", URL, &huge, T0),
        Err(PushError::TooLarge { .. })
    ));
    assert_eq!(o.len(), 1);
}

#[test]
fn a_full_outbox_evicts_failed_first_and_refuses_rather_than_drop_pending() {
    let mut o = Outbox::new(Policy::default());
    for i in 0..MAX_ENTRIES {
        o.push(&format!("k{i}"), URL, "{}", T0 + i as u64).unwrap();
    }
    for k in ["k3", "k1"] {
        attempt(&mut o, k, classify(400, None, T0), T0 + 100);
    }
    let r = o.push("new-1", URL, "{}", T0 + 200);
    assert_eq!(
        r,
        Ok(Push::Queued {
            evicted: vec!["k1".into()]
        }),
        "oldest failed"
    );
    let r = o.push("new-2", URL, "{}", T0 + 201);
    assert_eq!(
        r,
        Ok(Push::Queued {
            evicted: vec!["k3".into()]
        })
    );
    let r = o.push("new-3", URL, "{}", T0 + 202);
    assert_eq!(
        r,
        Err(PushError::Full {
            waiting: MAX_ENTRIES
        })
    );
    assert!(r
        .unwrap_err()
        .to_string()
        .contains("50 handoffs are still waiting"));
    assert_eq!(o.len(), MAX_ENTRIES);
    assert!(o.entries().iter().all(|e| e.is_live()));

    // Bytes: pending alone cannot exceed; failed ones make room.
    let mut o = Outbox::new(Policy::default());
    let half = "x".repeat(MAX_BYTES / 2);
    o.push("a", URL, &half, T0).unwrap();
    assert_eq!(
        o.push("b", URL, &half, T0 + 1),
        Err(PushError::Full { waiting: 1 })
    );
    attempt(&mut o, "a", classify(404, None, T0), T0 + 2);
    assert_eq!(
        o.push("b", URL, &half, T0 + 3),
        Ok(Push::Queued {
            evicted: vec!["a".into()]
        })
    );
    assert!(o.bytes() <= MAX_BYTES);
}

// --- persistence ---------------------------------------------------------------

#[test]
fn encode_decode_round_trip() {
    let mut o = outbox_with(&["a", "b", "c"]);
    attempt(&mut o, "a", Outcome::Delivered, T0 + 10);
    attempt(&mut o, "b", classify(503, Some("5"), T0), T0 + 10);
    attempt(&mut o, "c", classify(400, None, T0), T0 + 10);
    o.mark_beaconed(&["b".into()]);
    let text = o.encode();
    let (back, warning) = Outbox::decode(&text);
    assert_eq!(warning, None);
    assert_eq!(back, o);
    assert!(back.is_delivered("a"));
    assert!(text.starts_with("{\"version\":1,"));
}

#[test]
fn decode_never_fails() {
    for text in [
        "",
        "null",
        "[]",
        "{",
        "\"x\"",
        "{\"entries\":[]}",
        "{\"version\":\"1\",\"entries\":[]}",
        "{\"version\":1}",
        "{\"version\":1,\"entries\":{}}",
        "{\"version\":0,\"entries\":[]}",
        "{\"version\":-1,\"entries\":[]}",
    ] {
        let (o, w) = Outbox::decode(text);
        assert!(o.is_empty(), "{text}");
        assert!(matches!(w, Some(Warning::Corrupt(_))), "{text}: {w:?}");
    }
    let (o, w) = Outbox::decode(&"[".repeat(10_000));
    assert!(o.is_empty() && matches!(w, Some(Warning::Corrupt(_))));

    let (o, w) = Outbox::decode(r#"{"version":2,"entries":[{"key":"a"}]}"#);
    assert!(o.is_empty());
    assert_eq!(w, Some(Warning::TooNew(2)));
    assert!(w.unwrap().to_string().contains("newer than this release"));

    let huge = format!(
        "{{\"version\":1,\"entries\":[],\"pad\":\"{}\"}}",
        "x".repeat(MAX_STORED)
    );
    let (o, w) = Outbox::decode(&huge);
    assert!(o.is_empty());
    assert_eq!(w, Some(Warning::TooLarge(huge.len())));
}

#[test]
fn decode_recovers_what_it_can() {
    let good = outbox_with(&["a", "b"]).encode();
    let mut doc: serde_json::Value = serde_json::from_str(&good).unwrap();
    let entries = doc["entries"].as_array_mut().unwrap();
    let a = entries[0].clone();
    entries.push(a.clone()); // duplicate key
    entries.push(serde_json::json!({ "key": "x" })); // incomplete
    entries.push(serde_json::json!(42));
    let mut bad_key = a.clone();
    bad_key["key"] = "has space".into();
    entries.push(bad_key);
    let mut negative = a.clone();
    negative["key"] = "n".into();
    negative["attempts"] = (-1).into();
    entries.push(negative);
    let mut unknown_state = a.clone();
    unknown_state["key"] = "s".into();
    unknown_state["state"] = serde_json::json!({ "kind": "teleported" });
    entries.push(unknown_state);
    let mut extra_field = a;
    extra_field["key"] = "future".into();
    extra_field["priority"] = "high".into();
    entries.push(extra_field);
    doc["delivered"] = serde_json::json!(["b", 7, "bad key"]);

    let (o, w) = Outbox::decode(&doc.to_string());
    let keys: Vec<&str> = o.entries().iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        ["a", "future"],
        "b was delivered; the rest unreadable"
    );
    assert_eq!(
        w,
        Some(Warning::Partial {
            kept: 2,
            dropped: 7
        })
    );
    assert!(o.is_delivered("b"));
}

#[test]
fn decode_bounds_drop_failed_never_pending() {
    // Two tabs merged past the bounds, then stored.
    let mut a = Outbox::new(Policy::default());
    let mut b = Outbox::new(Policy::default());
    for i in 0..40 {
        a.push(&format!("a{i}"), URL, "{}", T0 + i).unwrap();
        b.push(&format!("b{i}"), URL, "{}", T0 + i).unwrap();
    }
    for i in 0..30 {
        attempt(&mut a, &format!("a{i}"), classify(400, None, T0), T0 + 100);
    }
    assert!(b.merge(&a));
    assert_eq!(b.len(), MAX_ENTRIES, "the 30 oldest failed made room");
    let mut c = Outbox::new(Policy::default());
    for i in 0..55 {
        let _ = c.push(&format!("c{i}"), URL, "{}", T0);
    }
    assert_eq!(c.len(), MAX_ENTRIES);
    let mut d = Outbox::new(Policy::default());
    for i in 0..20 {
        d.push(&format!("d{i}"), URL, "{}", T0).unwrap();
    }
    c.merge(&d);
    assert_eq!(c.len(), 70, "pending are never dropped");
    let (back, w) = Outbox::decode(&c.encode());
    assert_eq!(w, None);
    assert_eq!(back.len(), 70);
}

// --- tabs --------------------------------------------------------------------

#[test]
fn merge_never_resurrects_a_delivered_key() {
    let mut tab1 = outbox_with(&["h-1", "h-2"]);
    let mut tab2 = tab1.clone();
    // Tab 1 delivers h-1; tab 2, stale, retries it meanwhile.
    attempt(&mut tab1, "h-1", Outcome::Delivered, T0 + 100);
    attempt(&mut tab2, "h-1", retry("network error"), T0 + 200);
    // Tab 1 gets tab 2's save: tab 2's newer copy does not bring h-1 back.
    assert!(tab1.merge(&tab2), "tab 1 knows a delivery tab 2 does not");
    assert!(tab1.get("h-1").is_none());
    // Tab 2 gets tab 1's save and drops its copy.
    assert!(!tab2.merge(&tab1));
    assert!(tab2.get("h-1").is_none() && tab2.is_delivered("h-1"));
    assert_eq!(tab1, tab2);
    // A stale copy from before the delivery, either way round.
    let mut stale = outbox_with(&["h-1", "h-2"]);
    assert!(tab1.merge(&stale));
    assert!(tab1.get("h-1").is_none());
    assert!(!stale.merge(&tab1));
    assert!(stale.get("h-1").is_none());
    // A delivered key cannot be pushed again by either tab.
    assert_eq!(
        tab2.push("h-1", URL, "{}", T0 + 300),
        Ok(Push::AlreadyDelivered)
    );
}

#[test]
fn merge_unites_and_the_newer_copy_wins() {
    let mut a = outbox_with(&["x", "shared"]);
    let mut b = Outbox::new(Policy::default());
    b.push("shared", URL, &body("shared"), T0 + 1).unwrap();
    b.push("y", URL, "{}", T0 + 5).unwrap();
    attempt(&mut b, "shared", retry("from b"), T0 + 50);
    b.mark_beaconed(&["y".into()]);
    a.mark_beaconed(&["shared".into()]);

    assert!(a.merge(&b), "a held x, which b lacked");
    let keys: Vec<&str> = a.entries().iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["x", "shared", "y"]);
    let shared = a.get("shared").unwrap();
    assert_eq!(
        shared.last_error.as_deref(),
        Some("from b"),
        "b's copy is newer"
    );
    assert!(shared.beaconed, "beaconed by either tab");

    assert!(!b.merge(&a), "b held nothing that a lacked");
    assert!(!b.merge(&a), "converged");
    assert!(!a.merge(&b));
    assert_eq!(a, b);

    // Copies that differ but were changed at the same moment: both tabs
    // pick the same one, so saves do not bounce between them for ever.
    let mut e = outbox_with(&["t"]);
    let mut f = e.clone();
    e.start("t", T0 + 9);
    f.start("t", T0 + 9);
    e.record("t", retry("e"), T0 + 9, 0.0);
    f.record("t", retry("f"), T0 + 9, 0.0);
    let (e0, f0) = (e.clone(), f.clone());
    assert_ne!(
        e.merge(&f0),
        f.merge(&e0),
        "exactly one side had the winner"
    );
    assert_eq!(e, f);
    assert!(!e.merge(&f) && !f.merge(&e));

    // An attempt in flight in another tab is not sent twice.
    let mut c = outbox_with(&["z"]);
    let mut d = c.clone();
    c.start("z", T0 + 10);
    d.merge(&c);
    assert!(d.due(T0 + 11).is_empty());
}

#[test]
fn delivered_memory_is_bounded() {
    let mut o = Outbox::new(Policy::default());
    for i in 0..DELIVERED_MEMORY + 20 {
        let k = format!("k{i}");
        o.push(&k, URL, "{}", T0).unwrap();
        attempt(&mut o, &k, Outcome::Delivered, T0);
    }
    assert!(!o.is_delivered("k0"));
    assert!(o.is_delivered(&format!("k{}", DELIVERED_MEMORY + 19)));
    assert!(o.encode().len() < 2_000);
}

// --- beacons -----------------------------------------------------------------

#[test]
fn beacon_batch_respects_total_and_single_limits() {
    let mut o = Outbox::new(Policy::default());
    let kib = |n: usize| "x".repeat(n * 1024);
    o.push("a", URL, &kib(20), T0).unwrap();
    o.push("huge", URL, &kib(70), T0 + 1).unwrap();
    o.push("b", URL, &kib(30), T0 + 2).unwrap();
    o.push("failed", URL, &kib(1), T0 + 3).unwrap();
    o.push("c", URL, &kib(14), T0 + 4).unwrap();
    o.push("d", URL, &kib(1), T0 + 5).unwrap();
    attempt(&mut o, "failed", classify(400, None, T0), T0 + 6);
    o.start("b", T0 + 7); // in flight: dies with the page, so beaconed too

    let batch = o.beacon_batch(BEACON_LIMIT);
    assert_eq!(
        batch,
        ["a", "b", "c"],
        "20 + 30 + 14 KiB = 64 KiB; d would overflow"
    );
    let total: usize = batch.iter().map(|k| o.get(k).unwrap().body.len()).sum();
    assert!(total <= BEACON_LIMIT);
    assert_eq!(o.beacon_batch(30 * 1024), ["a"], "stops, keeping age order");
    assert_eq!(o.beacon_batch(1024), ["d"], "bigger ones skipped");
    assert!(o.beacon_batch(0).is_empty());

    o.mark_beaconed(&batch);
    assert!(o.get("a").unwrap().beaconed && !o.get("d").unwrap().beaconed);
    // Beaconed payloads stay and are sent again with fetch on the next load.
    let (next, _) = Outbox::decode(&o.encode());
    assert_eq!(next.len(), 6);
    assert!(next.due(T0 + 100).contains(&"a".to_owned()));
}

#[test]
fn beacon_urls_carry_the_key() {
    let cases = [
        (
            "https://h.example/in",
            "h-1",
            "https://h.example/in?idempotency_key=h-1",
        ),
        (
            "https://h.example/in?",
            "h-1",
            "https://h.example/in?idempotency_key=h-1",
        ),
        (
            "https://h.example/in?a=1",
            "h_1.~",
            "https://h.example/in?a=1&idempotency_key=h_1.~",
        ),
        (
            "https://h.example/in?a=1&",
            "k",
            "https://h.example/in?a=1&idempotency_key=k",
        ),
        (
            "https://h.example/in#top",
            "k",
            "https://h.example/in?idempotency_key=k#top",
        ),
        (
            "https://h.example/in?q#f?g",
            "a&b=c",
            "https://h.example/in?q&idempotency_key=a%26b%3Dc#f?g",
        ),
        (
            "https://h.example/",
            "é/+",
            "https://h.example/?idempotency_key=%C3%A9%2F%2B",
        ),
    ];
    for (url, key, want) in cases {
        assert_eq!(beacon_url(url, key), want);
    }
}
