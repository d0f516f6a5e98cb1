//! The stored webhook outbox decoder (`pathlight:outbox` in localStorage).
//! Decoding never fails and never panics; what it recovers keeps the
//! outbox's invariants, encodes back to itself, and survives a round of
//! sending, retrying, beaconing and merging.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pathlight::transport::outbox::{
    Outbox, Outcome, BEACON_LIMIT, MAX_BYTES, MAX_ENTRIES, MAX_KEY,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (mut outbox, _warning) = Outbox::decode(text);
    invariants(&outbox);
    assert_eq!(
        Outbox::decode(&outbox.encode()),
        (outbox.clone(), None),
        "round trip"
    );

    let copy = outbox.clone();
    assert!(!outbox.merge(&copy), "merging a copy adds nothing");
    assert_eq!(outbox, copy, "merging a copy changes nothing");

    let mut now = outbox.next_wake().unwrap_or(0);
    for round in 0..3u32 {
        for key in outbox.due(now) {
            if outbox.start(&key, now) {
                let outcome = match (round + key.len() as u32) % 3 {
                    0 => Outcome::Delivered,
                    1 => Outcome::Retry {
                        after: Some(u64::from(round) * 1_000),
                        reason: "503".into(),
                    },
                    _ => Outcome::Fatal {
                        reason: "400".into(),
                    },
                };
                outbox.record(&key, outcome, now + 10, 0.5);
            }
        }
        invariants(&outbox);
        now = outbox.next_wake().unwrap_or(now).max(now + 1);
    }
    outbox.retry_failed(now);
    let batch = outbox.beacon_batch(BEACON_LIMIT);
    let total: usize = batch
        .iter()
        .filter_map(|k| outbox.get(k))
        .map(|e| e.body.len())
        .sum();
    assert!(total <= BEACON_LIMIT, "beacons carry {total} bytes");
    outbox.mark_beaconed(&batch);
    let mut other = copy;
    other.merge(&outbox);
    invariants(&other);
    invariants(&outbox);
});

fn invariants(o: &Outbox) {
    let entries = o.entries();
    for (i, e) in entries.iter().enumerate() {
        let usable = e.key.bytes().all(|b| b.is_ascii_graphic());
        assert!(
            usable && !e.key.is_empty() && e.key.len() <= MAX_KEY,
            "bad key {:?}",
            e.key
        );
        assert!(e.size() <= MAX_BYTES, "entry of {} bytes", e.size());
        assert!(!o.is_delivered(&e.key), "delivered key still queued");
        assert!(
            entries[..i].iter().all(|x| x.key != e.key),
            "duplicate key {:?}",
            e.key
        );
        if i > 0 {
            let prev = &entries[i - 1];
            assert!(
                (prev.created, &prev.key) <= (e.created, &e.key),
                "oldest first"
            );
        }
    }
    // Over the bounds only with payloads still waiting: those are never lost.
    if entries.len() > MAX_ENTRIES || o.bytes() > MAX_BYTES {
        assert!(
            entries.iter().all(|e| e.is_live()),
            "a failed payload kept over the bounds"
        );
    }
}
