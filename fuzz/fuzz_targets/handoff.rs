//! The handoff payload builder, from a fuzzed journey, visitor, answers,
//! message and contact. Whatever goes in, the serialised payload fits in
//! `maxBytes` (any value the config accepts), the newest step is kept, the
//! kept and folded steps add up to the journey's counts, and the summary
//! is written in the agent's language without panicking.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pathlight::config::handoff::{MAX_PAYLOAD_BYTES, MIN_PAYLOAD_BYTES};
use pathlight::config::AgentLocale;
use pathlight::engine::Consent;
use pathlight::handoff::{
    build, json_size, AnswerSeen, Channel, Contact, HandoffInput, TriggerRef, STEP_KINDS,
};
use pathlight::journey::{CurrentPage, Journey, Visitor};
use pathlight::rules::Device;

#[derive(Arbitrary, Debug)]
struct Step<'a> {
    kind: u8,
    /// Milliseconds since the previous step; negative when the clock went back.
    gap: i32,
    path: &'a str,
    detail: &'a str,
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    limit: u16,
    steps: Vec<Step<'a>>,
    visitor_id: &'a str,
    attributes: Vec<(&'a str, &'a str)>,
    answers: Vec<(&'a str, &'a str, bool, Option<bool>)>,
    trigger: Option<(&'a str, &'a str)>,
    page: Option<(&'a str, &'a str)>,
    last_search: Option<&'a str>,
    message: &'a str,
    channel: u8,
    name: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    preferred_time: Option<&'a str>,
    locale: &'a str,
    time_zone: Option<&'a str>,
    agent_locale: u8,
    consent: u8,
    max_bytes: u16,
    elapsed: u32,
}

const T0: u64 = 1_700_000_000_000;

fuzz_target!(|input: Input| {
    let mut journey = Journey::new(usize::from(input.limit % 1_000));
    let mut at = T0;
    for s in &input.steps {
        let kind = STEP_KINDS[usize::from(s.kind) % STEP_KINDS.len()];
        at = at.saturating_add_signed(i64::from(s.gap));
        journey.push(kind, at, s.path, s.detail);
    }
    let mut visitor = Visitor::new(input.visitor_id.into(), T0);
    for (k, v) in &input.attributes {
        visitor.attributes.insert((*k).into(), (*v).into());
    }
    let answers: Vec<AnswerSeen> = input
        .answers
        .iter()
        .map(|(id, title, opened, helpful)| AnswerSeen {
            id: (*id).into(),
            title: (*title).into(),
            trigger_id: "t".into(),
            opened: *opened,
            helpful: *helpful,
        })
        .collect();
    let now = at.saturating_add(u64::from(input.elapsed));
    let page = input.page.map(|(path, title)| {
        CurrentPage::new(
            path.into(),
            String::new(),
            String::new(),
            title.into(),
            String::new(),
            at,
        )
    });
    let span = MAX_PAYLOAD_BYTES - MIN_PAYLOAD_BYTES + 1;
    let max = MIN_PAYLOAD_BYTES + usize::from(input.max_bytes) % span;
    let locales = AgentLocale::ALL;
    let consent = [Consent::Granted, Consent::Pending, Consent::Denied];
    let p = build(HandoffInput {
        locale: input.locale,
        time_zone: input.time_zone,
        device: [Device::Mobile, Device::Tablet, Device::Desktop][usize::from(input.channel % 3)],
        page: page.as_ref(),
        answers: &answers,
        trigger: input.trigger.map(|(id, message)| TriggerRef {
            id: id.into(),
            message: message.into(),
        }),
        last_search: input.last_search,
        message: input.message,
        contact: Contact {
            name: input.name.map(Into::into),
            email: input.email.map(Into::into),
            phone: input.phone.map(Into::into),
            preferred_time: input.preferred_time.map(Into::into),
            ..Contact::new(Channel::ALL[usize::from(input.channel) % Channel::ALL.len()])
        },
        consent: consent[usize::from(input.consent) % consent.len()],
        agent_locale: locales[usize::from(input.agent_locale) % locales.len()],
        max_bytes: max,
        ..HandoffInput::new(format!("{}-1", input.visitor_id), &visitor, &journey, now)
    });

    let text = serde_json::to_string(&p).expect("a payload always serialises");
    assert_eq!(json_size(&p), text.len());
    assert!(
        text.len() <= max,
        "payload {} bytes > maxBytes {max}",
        text.len()
    );
    assert_eq!(
        p.folded_steps,
        p.folded.values().sum::<u64>(),
        "foldedSteps is the sum"
    );
    for k in STEP_KINDS {
        let kept = p.journey.iter().filter(|s| s.kind == k).count() as u64;
        let folded = p.folded.get(&k).copied().unwrap_or(0);
        assert_eq!(
            kept + folded,
            journey.count(k),
            "{k:?}: kept + folded = all"
        );
    }
    if let Some(last) = journey.steps().last() {
        let kept = p.journey.last().expect("the newest step is kept");
        assert_eq!(kept.kind, last.kind);
    }
    assert_eq!(
        p.contact.channel,
        Channel::ALL[usize::from(input.channel) % Channel::ALL.len()]
    );
    if consent[usize::from(input.consent) % consent.len()] == Consent::Denied {
        assert!(
            p.visitor.attributes.is_empty(),
            "attributes without consent"
        );
    }
    // The agent can read it back.
    let back: pathlight::HandoffPayload = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back.id, p.id);
});
