//! The web layer in real Chromium (wasm-bindgen-test): mounting, the nudge
//! in the Shadow DOM, the timer, handler isolation, errors and destroy().
#![cfg(target_arch = "wasm32")]

use pathlight::web::Pathlight;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const ANSWERS: &str = r#"{"version": 1, "answers": [
  {"id": "a1", "title": "First <b>answer</b>", "body": "One.\n\nTwo <script>alert(1)</script>", "tags": ["t"]},
  {"id": "a2", "title": "Second", "body": "Body", "tags": ["t"], "url": "https://help.example/a2"}
]}"#;

fn options(dwell: u32) -> JsValue {
    let text = format!(
        r#"{{"config": {{"version": 1, "triggers": [
            {{"id": "t1", "when": {{"page": "/**", "dwellSeconds": {dwell}}}, "message": "Can we help?", "tags": ["t"]}}
        ]}}, "answers": {ANSWERS}}}"#
    );
    js_sys::JSON::parse(&text).unwrap()
}

fn fresh() {
    let w = web_sys::window().unwrap();
    w.local_storage().unwrap().unwrap().clear().unwrap();
    for el in all("pathlight-widget") {
        el.remove();
    }
}

fn all(selector: &str) -> Vec<Element> {
    let list = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .query_selector_all(selector)
        .unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn shadow() -> ShadowRoot {
    all("pathlight-widget")[0]
        .shadow_root()
        .expect("an open shadow root")
}

fn text(root: &ShadowRoot, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
fn mounts_one_isolated_widget_and_destroy_removes_everything() {
    fresh();
    let before = all("body *").len();
    let pl = Pathlight::new(options(60)).unwrap();
    assert_eq!(all("pathlight-widget").len(), 1);
    let root = shadow();
    assert_eq!(text(&root, "button.launcher"), "Help");
    // Styles live in the shadow root, not in the page.
    assert_eq!(all("style").len(), 0);
    pl.destroy();
    assert_eq!(all("pathlight-widget").len(), 0);
    assert_eq!(all("body *").len(), before);
    pl.destroy(); // twice is fine
    let err = pl.track("x".into(), JsValue::UNDEFINED).unwrap_err();
    assert!(err
        .dyn_ref::<js_sys::Error>()
        .unwrap()
        .message()
        .as_string()
        .unwrap()
        .contains("destroyed"));
}

#[wasm_bindgen_test]
fn a_due_trigger_shows_the_nudge_with_its_answers_as_text() {
    fresh();
    let pl = Pathlight::new(options(0)).unwrap();
    let root = shadow();
    let card = root.query_selector(".card").unwrap().unwrap();
    assert!(!card.has_attribute("hidden"), "the nudge is visible");
    assert_eq!(text(&root, ".msg"), "Can we help?");
    assert_eq!(
        text(&root, ".sr-only[role=status]"),
        "Help suggestion: Can we help?"
    );
    let titles: Vec<String> = {
        let list = root.query_selector_all(".answers button").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(titles, ["First <b>answer</b>", "Second"]);
    // Markup in answers stays text: no element was created from it.
    assert!(root.query_selector("b, script").unwrap().is_none());
    pl.destroy();
}

#[wasm_bindgen_test]
fn opening_an_answer_shows_its_body_as_text_and_its_link() {
    fresh();
    let pl = Pathlight::new(options(0)).unwrap();
    let root = shadow();
    let first: web_sys::HtmlElement = root
        .query_selector("[data-id=a1]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    first.click();
    let paras = root.query_selector_all(".body p").unwrap();
    assert_eq!(paras.length(), 2);
    assert_eq!(
        paras.item(1).unwrap().text_content().unwrap(),
        "Two <script>alert(1)</script>"
    );
    let more = root.query_selector("a").unwrap().unwrap();
    assert!(
        more.has_attribute("hidden"),
        "an answer without a url offers no link"
    );
    let back: web_sys::HtmlElement = root
        .query_selector("[data-action=back]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    back.click();
    let second: web_sys::HtmlElement = root
        .query_selector("[data-id=a2]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    second.click();
    assert!(!more.has_attribute("hidden"));
    assert_eq!(
        more.get_attribute("href").as_deref(),
        Some("https://help.example/a2")
    );
    assert_eq!(
        more.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    pl.destroy();
}

#[wasm_bindgen_test]
async fn the_timer_fires_the_dwell_trigger() {
    fresh();
    let pl = Pathlight::new(options(1)).unwrap();
    let card = shadow().query_selector(".card").unwrap().unwrap();
    assert!(card.has_attribute("hidden"), "not before the dwell");
    sleep(1_300).await;
    assert!(
        !card.has_attribute("hidden"),
        "the nudge appeared after 1 s"
    );
    pl.destroy();
}

#[wasm_bindgen_test]
async fn destroy_cancels_the_pending_timer() {
    fresh();
    let seen = js_sys::Array::new();
    let pl = Pathlight::new(options(1)).unwrap();
    let push = seen.clone();
    let f = Closure::<dyn Fn(JsValue)>::new(move |v| {
        push.push(&v);
    });
    pl.on("nudge".into(), f.as_ref().clone()).unwrap();
    pl.destroy();
    sleep(1_300).await;
    assert_eq!(seen.length(), 0);
    drop(f);
}

#[wasm_bindgen_test]
fn a_throwing_handler_is_reported_not_rethrown() {
    fresh();
    let pl = Pathlight::new(options(60)).unwrap();
    let errors = js_sys::Array::new();
    let push = errors.clone();
    let on_error = Closure::<dyn Fn(JsValue)>::new(move |e| {
        push.push(&e);
    });
    let thrower = js_sys::Function::new_no_args("throw new Error('host bug')");
    pl.on("error".into(), on_error.as_ref().clone()).unwrap();
    pl.on("handoff".into(), thrower.into()).unwrap();
    let talk: web_sys::HtmlElement = shadow()
        .query_selector("[data-action=talk]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    talk.click();
    let form = shadow().query_selector("form.view").unwrap().unwrap();
    let submit = web_sys::Event::new("submit").unwrap();
    form.dispatch_event(&submit).unwrap();
    let messages: Vec<String> = errors
        .iter()
        .map(|e| {
            e.dyn_into::<js_sys::Error>()
                .unwrap()
                .message()
                .as_string()
                .unwrap()
        })
        .collect();
    assert_eq!(
        messages,
        [
            "Pathlight: an event handler threw",
            "Pathlight: no handoff transport: add an on('handoff') handler, or handoff.webhook or handoff.adapter to the config"
        ]
    );
    assert!(text(&shadow(), ".hstatus .hmain").starts_with("Sorry, we couldn't reach a person"));
    pl.destroy();
    drop(on_error);
}

#[wasm_bindgen_test]
fn wrong_options_name_the_option() {
    fresh();
    let msg = |v: JsValue| {
        let e = Pathlight::new(v).err().expect("an error");
        e.dyn_into::<js_sys::Error>()
            .unwrap()
            .message()
            .as_string()
            .unwrap()
    };
    assert_eq!(
        msg(JsValue::from_str("nope")),
        "Pathlight.init(options): expected an options object such as { config, answers }"
    );
    assert_eq!(
        msg(js_sys::JSON::parse(r#"{"answers": {"version": 1, "answers": []}}"#).unwrap()),
        "Pathlight.init(options.config): is required: pass your trigger config ({ version: 1, triggers: [...] })"
    );
    assert_eq!(
        msg(js_sys::JSON::parse(r#"{"config": "{not json"}"#).unwrap()),
        "Pathlight config is invalid: /: is not valid JSON: key must be a string at line 1 column 2"
    );
    assert_eq!(
        all("pathlight-widget").len(),
        0,
        "nothing is mounted on error"
    );
}

#[wasm_bindgen_test]
fn corrupted_stored_state_is_discarded() {
    fresh();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .set_item("pathlight:state", "{\"version\": 1, \"journey\": 42")
        .unwrap();
    let pl = Pathlight::new(options(60)).unwrap();
    assert!(
        storage.get_item("pathlight:state").unwrap().is_none(),
        "the corrupted state was removed at once"
    );
    // Saves are batched; destroy() writes the pending one.
    pl.destroy();
    let stored = storage.get_item("pathlight:state").unwrap().unwrap();
    let parsed = js_sys::JSON::parse(&stored).unwrap();
    let version = js_sys::Reflect::get(&parsed, &"version".into()).unwrap();
    assert_eq!(
        version.as_f64(),
        Some(2.0),
        "a fresh, valid snapshot replaced the corrupted one"
    );
}

#[wasm_bindgen_test]
fn hebrew_visitors_get_hebrew_text_right_to_left_with_the_teams_overrides() {
    fresh();
    let opts = js_sys::JSON::parse(&format!(
        r#"{{"locale": "he-IL", "answers": {ANSWERS}, "config": {{"version": 1, "triggers": [],
            "strings": {{"he": {{"launcher": "שאלות?"}}}}}}}}"#
    ))
    .unwrap();
    let pl = Pathlight::new(opts).unwrap();
    let root = shadow();
    let shell = root.query_selector(".pl").unwrap().unwrap();
    assert_eq!(shell.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(shell.get_attribute("lang").as_deref(), Some("he"));
    assert_eq!(
        text(&root, "button.launcher"),
        "שאלות?",
        "the team's override"
    );
    assert_eq!(
        text(&root, "[data-action=talk]"),
        pathlight::i18n::for_locales(&["he"]).1.talk_to_person,
        "built-in Hebrew for the rest"
    );
    pl.destroy();
    let bad = js_sys::JSON::parse(
        r#"{"config": {"version": 1, "triggers": [], "strings": {"he": {"lancher": "x"}}}}"#,
    )
    .unwrap();
    let err = Pathlight::new(bad).err().unwrap();
    let msg = err
        .dyn_into::<js_sys::Error>()
        .unwrap()
        .message()
        .as_string()
        .unwrap();
    assert!(
        msg.contains("/strings/he/lancher: unknown key `lancher` (did you mean `launcher`?)"),
        "{msg}"
    );
}

#[wasm_bindgen_test]
fn answer_bodies_render_safe_markdown_and_hostile_bodies_stay_text() {
    fresh();
    let body = "Check **the postcode**.\n\n- one\n- [help](https://help.example/a)\n- [bad](javascript:alert(1))\n\n<img src=x onerror=alert(1)>";
    let deep = "- x\n".to_string() + &"  ".repeat(10) + "- deep";
    let huge = "*_[`(".repeat(3_999);
    let answers = serde_json_answers(&[("md", body), ("deep", &deep), ("huge", &huge)]);
    let opts = js_sys::JSON::parse(&format!(
        r#"{{"answers": {answers}, "config": {{"version": 1, "triggers": []}}}}"#
    ))
    .unwrap();
    let pl = Pathlight::new(opts).unwrap();
    pl.show_answer("md".into()).unwrap();
    let root = shadow();
    let strong = root.query_selector(".body strong").unwrap().unwrap();
    assert_eq!(strong.text_content().unwrap(), "the postcode");
    let links = root.query_selector_all(".body a").unwrap();
    assert_eq!(links.length(), 1, "only the safe link is a link");
    let a: Element = links.item(0).unwrap().dyn_into().unwrap();
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("https://help.example/a")
    );
    assert_eq!(
        a.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert!(root
        .query_selector(".body img, .body script")
        .unwrap()
        .is_none());
    assert!(text(&root, ".body").contains("<img src=x onerror=alert(1)>"));
    pl.show_answer("deep".into()).unwrap();
    assert!(root.query_selector_all(".body ul").unwrap().length() <= 9);
    pl.show_answer("huge".into()).unwrap();
    // Backtick pairs become code spans; every other character stays text.
    assert!(text(&root, ".body").chars().count() > 15_000);
    assert!(root.query_selector(".body a").unwrap().is_none());
    pl.destroy();
}

/// An answer document with these (id, body) answers, as JSON text.
fn serde_json_answers(items: &[(&str, &str)]) -> String {
    let answers: Vec<String> = items
        .iter()
        .map(|(id, body)| {
            let body = js_sys::JSON::stringify(&JsValue::from_str(body)).unwrap();
            format!(
                r#"{{"id": "{id}", "title": "{id}", "body": {}}}"#,
                String::from(body)
            )
        })
        .collect();
    format!(r#"{{"version": 1, "answers": [{}]}}"#, answers.join(","))
}

#[wasm_bindgen_test]
fn a_teams_pale_accent_is_corrected_to_readable_contrast() {
    use pathlight::theme::{contrast, Rgb};
    fresh();
    let opts = js_sys::JSON::parse(
        r##"{"config": {"version": 1, "triggers": [],
            "theme": {"accent": "#ffd60a", "position": "left", "zIndex": 1000}}}"##,
    )
    .unwrap();
    let pl = Pathlight::new(opts).unwrap();
    let host: web_sys::HtmlElement = all("pathlight-widget")[0].clone().dyn_into().unwrap();
    let style = host.style();
    let accent = Rgb::parse(&style.get_property_value("--pl-accent").unwrap()).unwrap();
    let text = Rgb::parse(&style.get_property_value("--pl-accent-text").unwrap()).unwrap();
    assert!(contrast(accent, Rgb::WHITE) >= 4.5, "accent on the card");
    assert!(contrast(text, accent) >= 4.5, "launcher text on the accent");
    assert_eq!(style.get_property_value("--pl-z").unwrap(), "1000");
    assert_eq!(host.get_attribute("data-position").as_deref(), Some("left"));
    pl.destroy();
}
