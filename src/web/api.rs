//! The exported JS API. Each export only converts its arguments (see
//! [`super::convert`]) and calls into the runtime.

use super::convert::{
    config_from_js, document, error_to_js, get, handoff_details, knowledge_from_js, nonce_option,
    object_arg, options, string_arg, to_js,
};
use super::runtime::{Mounted, Runtime, TOPICS};
use crate::config;
use crate::engine::Consent;
use crate::error::Error;
use crate::journey::Event;
use crate::knowledge::Knowledge;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const INIT: &str = "Pathlight.init(options)";
const INIT_OPTIONS: &[&str] = &[
    "config",
    "answers",
    "consent",
    "respectGlobalPrivacyControl",
    "locale",
    "nonce",
];

/// A running Pathlight instance. Create it with `Pathlight.init(options)`
/// from the npm package (which loads the wasm first).
///
/// ```js
/// import { Pathlight } from 'pathlight';
/// const pl = await Pathlight.init({ config, answers });
/// pl.on('handoff', (payload) => sendToMyChat(payload));
/// pl.track('added_to_cart', { sku: 'MUG-1' });
/// ```
#[wasm_bindgen]
pub struct Pathlight {
    rt: Rc<Runtime>,
}

#[wasm_bindgen]
impl Pathlight {
    /// Start Pathlight on this page with a config and answers (objects or
    /// JSON strings). Throws a `PathlightError` naming the wrong option, with
    /// `error.problems` listing every config or answer problem by JSON path.
    ///
    /// ```js
    /// const pl = new Pathlight({ config: { version: 1, triggers: [] }, answers: { version: 1, answers: [] } });
    /// ```
    #[wasm_bindgen(constructor)]
    pub fn new(opts: JsValue) -> Result<Pathlight, JsValue> {
        Startup::new(opts)?.start()
    }

    /// Record a page view of the current address, for routers that change
    /// the page in ways no listener can see. Route changes through
    /// `history.pushState`, `popstate` and `hashchange` are recorded anyway.
    pub fn page(&self) -> Result<(), JsValue> {
        self.live("page()")?;
        self.rt.page();
        Ok(())
    }

    /// Search the help answers for what the visitor typed, in their
    /// language: up to 10 `{ id, title, body, url?, stale }`, best first
    /// (`stale` answers are past their review date: mark them as possibly out
    /// of date). The search is recorded; one with no results is a step
    /// triggers can react to (`"searches": {"noResults": true}`).
    ///
    /// ```js
    /// for (const r of pl.search('return a lamp')) console.log(r.title, r.stale);
    /// ```
    pub fn search(&self, text: JsValue) -> Result<JsValue, JsValue> {
        self.live("search(text)")?;
        let text = string_arg(&text, "search(text)", 500).map_err(|e| error_to_js(&e))?;
        Ok(self.rt.search(&text))
    }

    /// Open the help panel, as if the visitor pressed the launcher.
    pub fn open(&self) -> Result<(), JsValue> {
        self.live("open()")?;
        self.rt.open();
        Ok(())
    }

    /// Close the widget. Not a visitor's dismissal: triggers are unaffected.
    pub fn close(&self) -> Result<(), JsValue> {
        self.live("close()")?;
        self.rt.close();
        Ok(())
    }

    /// Open the panel on one answer, e.g. from a "Help" link in the page.
    ///
    /// ```js
    /// document.querySelector('#why-declined').onclick = () => pl.showAnswer('card-declined');
    /// ```
    #[wasm_bindgen(js_name = showAnswer)]
    pub fn show_answer(&self, id: JsValue) -> Result<(), JsValue> {
        self.live("showAnswer(id)")?;
        let id = string_arg(&id, "showAnswer(id)", 64).map_err(|e| error_to_js(&e))?;
        if self.rt.show_answer(&id) {
            Ok(())
        } else {
            Err(error_to_js(&Error::Argument {
                call: "showAnswer(id)",
                message: format!("there is no answer with id `{id}`"),
            }))
        }
    }

    /// Report how many results the visitor's last site search found; zero
    /// records a "search with no results" step that triggers can react to.
    ///
    /// ```js
    /// pl.searchResults(results.length);
    /// ```
    #[wasm_bindgen(js_name = searchResults)]
    pub fn search_results(&self, count: JsValue) -> Result<(), JsValue> {
        self.live("searchResults(count)")?;
        let n = count
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=1e9).contains(n))
            .ok_or_else(|| {
                error_to_js(&Error::Argument {
                    call: "searchResults(count)",
                    message: format!(
                        "expected a whole number of results, got {}",
                        super::convert::js_type(&count)
                    ),
                })
            })?;
        self.rt.dispatch(Event::SearchResults(n as u32));
        Ok(())
    }

    /// The visitor agreed: store and use the journey kept in memory so far.
    #[wasm_bindgen(js_name = grantConsent)]
    pub fn grant_consent(&self) -> Result<(), JsValue> {
        self.live("grantConsent()")?;
        self.rt.set_consent(Consent::Granted);
        Ok(())
    }

    /// The visitor declined: drop the journey and record nothing more.
    #[wasm_bindgen(js_name = denyConsent)]
    pub fn deny_consent(&self) -> Result<(), JsValue> {
        self.live("denyConsent()")?;
        self.rt.set_consent(Consent::Denied);
        Ok(())
    }

    /// A read-only copy of the journey as stored: `{ version, rev, visitor,
    /// session, journey: { steps, folded, pages }, triggers, handoffs }`.
    ///
    /// ```js
    /// pl.journey().journey.steps.filter((s) => s.kind === 'pageView').map((s) => s.path);
    /// ```
    pub fn journey(&self) -> Result<JsValue, JsValue> {
        self.live("journey()")?;
        Ok(self.rt.journey())
    }

    /// Why each trigger is or is not showing right now: a list of
    /// `{ trigger, status, path, reason, at? }` where `status` is `fired`,
    /// `eligible`, `waiting` (until `at`) or `blocked`, and `path` points at
    /// the condition or control in the config.
    ///
    /// ```js
    /// console.table(pl.explain());
    /// ```
    pub fn explain(&self) -> Result<JsValue, JsValue> {
        self.live("explain()")?;
        Ok(self.rt.explain())
    }

    /// Wipe everything Pathlight knows about this visitor, in memory and in
    /// storage; Pathlight continues as for a new visitor.
    pub fn forget(&self) -> Result<(), JsValue> {
        self.live("forget()")?;
        self.rt.forget();
        Ok(())
    }

    /// Record a custom event, e.g. `pl.track('coupon_failed', { code: 'X' })`.
    pub fn track(&self, name: JsValue, props: JsValue) -> Result<(), JsValue> {
        self.live("track(name, props)")?;
        let name = string_arg(&name, "track(name)", 100).map_err(|e| error_to_js(&e))?;
        let props = object_arg(&props, "track(name, props)").map_err(|e| error_to_js(&e))?;
        self.rt.dispatch(Event::Custom { name, props });
        Ok(())
    }

    /// Attach attributes to the visitor, e.g. `pl.identify({ plan: 'pro' })`.
    pub fn identify(&self, attributes: JsValue) -> Result<(), JsValue> {
        self.live("identify(attributes)")?;
        let attrs = object_arg(&attributes, "identify(attributes)").map_err(|e| error_to_js(&e))?;
        self.rt.dispatch(Event::Identify(attrs));
        Ok(())
    }

    /// Ask for a person on the visitor's behalf (e.g. from your own
    /// "Contact us" button): the same handoff as the widget's form, with
    /// the journey attached. The channel must be one `handoff.channels`
    /// enables (default the first, `chat`); it is never replaced by another.
    /// Details `identify` already gave need not be repeated.
    ///
    /// ```js
    /// pl.handoff({ message: 'Order #1234 never arrived', channel: 'email', email: 'ada@example.com' });
    /// ```
    pub fn handoff(&self, details: JsValue) -> Result<(), JsValue> {
        self.live("handoff(details)")?;
        let (message, contact) = handoff_details(&details).map_err(|e| error_to_js(&e))?;
        self.rt.request_handoff(message, contact).map_err(|e| {
            error_to_js(&crate::Error::Argument {
                call: "Pathlight.handoff(details.channel)",
                message: e.to_string(),
            })
        })
    }

    /// The handoffs the webhook has not taken yet (they are retried on the
    /// next page load and when the browser comes back online):
    /// `[{ id, state: 'pending' | 'sending' | 'failed', attempts, lastError }]`.
    ///
    /// ```js
    /// if (pl.pendingHandoffs().some((h) => h.state === 'failed')) showBanner();
    /// ```
    #[wasm_bindgen(js_name = pendingHandoffs)]
    pub fn pending_handoffs(&self) -> Result<JsValue, JsValue> {
        self.live("pendingHandoffs()")?;
        Ok(self.rt.pending_handoffs())
    }

    /// Listen to `'nudge'`, `'handoff'` or `'error'`. A handler that throws
    /// is reported to `'error'` handlers and never breaks the page.
    ///
    /// ```js
    /// pl.on('handoff', (payload) => fetch('/support', { method: 'POST', body: JSON.stringify(payload) }));
    /// ```
    pub fn on(&self, event: JsValue, handler: JsValue) -> Result<(), JsValue> {
        self.live("on(event, handler)")?;
        let (topic, f) = topic_and_handler(&event, handler, "on(event, handler)")?;
        self.rt.on(topic, f);
        Ok(())
    }

    /// Remove a handler added with `on`.
    pub fn off(&self, event: JsValue, handler: JsValue) -> Result<(), JsValue> {
        let (topic, f) = topic_and_handler(&event, handler, "off(event, handler)")?;
        self.rt.off(topic, &f);
        Ok(())
    }

    /// Remove every listener, timer and node this instance added. Safe to
    /// call twice; other calls afterwards throw.
    pub fn destroy(&self) {
        self.rt.destroy();
    }

    fn live(&self, call: &'static str) -> Result<(), JsValue> {
        if self.rt.is_destroyed() {
            Err(error_to_js(&Error::Destroyed(call)))
        } else {
            Ok(())
        }
    }
}

/// Pathlight's start-up in steps, so that no step holds the page's main
/// thread for long: `Pathlight.init` runs each in a task of its own. The
/// options are checked when it is made; each step does its work once, and
/// `start()` does whatever steps were not run. `new Pathlight(options)` is
/// all of it at once.
///
/// ```js
/// const s = new Startup({ config, answers });
/// s.config(); await nextTask();
/// s.answers(); await nextTask();
/// s.environment(); await nextTask();
/// s.mount(); await nextTask();
/// const pl = s.start();
/// ```
#[wasm_bindgen]
pub struct Startup {
    config_js: JsValue,
    answers_js: JsValue,
    config: Option<config::Config>,
    knowledge: Option<Knowledge>,
    env: Option<crate::rules::Env>,
    mounted: Option<Mounted>,
    consent: Consent,
    locale: Option<String>,
    nonce: Option<String>,
}

#[wasm_bindgen]
impl Startup {
    /// Check the options of `Pathlight.init(options)`; throws a
    /// `PathlightError` naming a wrong or missing option.
    #[wasm_bindgen(constructor)]
    pub fn new(opts: JsValue) -> Result<Startup, JsValue> {
        let obj = options(&opts, INIT, INIT_OPTIONS).map_err(|e| error_to_js(&e))?;
        let config_js = get(&obj, "config");
        if config_js.is_undefined() {
            return Err(error_to_js(&Error::Argument {
                call: "Pathlight.init(options.config)",
                message: "is required: pass your trigger config ({ version: 1, triggers: [...] })"
                    .into(),
            }));
        }
        let consent = consent_option(&obj)?;
        let locale = get(&obj, "locale");
        let locale = if locale.is_undefined() {
            None
        } else {
            let l = string_arg(&locale, "Pathlight.init(options.locale)", 35)
                .map_err(|e| error_to_js(&e))?;
            Some(l)
        };
        let nonce = nonce_option(&get(&obj, "nonce")).map_err(|e| error_to_js(&e))?;
        Ok(Startup {
            config_js,
            answers_js: get(&obj, "answers"),
            config: None,
            knowledge: None,
            env: None,
            mounted: None,
            consent,
            locale,
            nonce,
        })
    }

    /// Parse and validate the config; throws a `PathlightError` with
    /// `problems` listing every problem by JSON path.
    pub fn config(&mut self) -> Result<(), JsValue> {
        if self.config.is_none() {
            self.config = Some(config_from_js(&self.config_js)?);
            self.config_js = JsValue::UNDEFINED;
        }
        Ok(())
    }

    /// Parse, validate and index the answers; throws a `PathlightError`
    /// with `problems` listing every problem by JSON path.
    pub fn answers(&mut self) -> Result<(), JsValue> {
        if self.knowledge.is_none() {
            self.knowledge = Some(knowledge_from_js(&self.answers_js)?);
            self.answers_js = JsValue::UNDEFINED;
        }
        Ok(())
    }

    /// Read what the browser says about the visitor (device, languages,
    /// time zones through `Intl`, whose first use is slow). Needs the config.
    pub fn environment(&mut self) -> Result<(), JsValue> {
        self.config()?;
        if self.env.is_none() {
            let zones = self.config.as_ref().map(|c| c.zones()).unwrap_or_default();
            self.env = Some(super::env::read(&zones));
        }
        Ok(())
    }

    /// Restore the stored journey and mount the widget (shown, not yet
    /// capturing). Runs the steps before it that were not run yet.
    pub fn mount(&mut self) -> Result<(), JsValue> {
        if self.mounted.is_some() {
            return Ok(());
        }
        self.config()?;
        self.answers()?;
        self.environment()?;
        let (Some(config), Some(knowledge), Some(env)) =
            (self.config.take(), self.knowledge.take(), self.env.take())
        else {
            return Err(error_to_js(&Error::Argument {
                call: INIT,
                message: "could not be started".into(),
            }));
        };
        self.mounted = Some(Runtime::mount(
            config,
            knowledge,
            env,
            self.consent,
            self.locale.take(),
            self.nonce.take(),
        ));
        Ok(())
    }

    /// Start Pathlight on the page: begin capture and record the current
    /// page. Runs the steps before it that were not run yet.
    pub fn start(mut self) -> Result<Pathlight, JsValue> {
        self.mount()?;
        let Some(mounted) = self.mounted.take() else {
            return Err(error_to_js(&Error::Argument {
                call: INIT,
                message: "could not be started".into(),
            }));
        };
        Ok(Pathlight {
            rt: mounted.begin(),
        })
    }
}

/// `consent: "granted" | "pending" | "denied"` (default granted), and
/// `respectGlobalPrivacyControl: true`, which makes a visitor who sends the
/// GPC signal "denied".
fn consent_option(obj: &js_sys::Object) -> Result<Consent, JsValue> {
    let v = get(obj, "consent");
    let consent = match v.as_string().as_deref() {
        None if v.is_undefined() => Consent::Granted,
        Some("granted") => Consent::Granted,
        Some("pending") => Consent::Pending,
        Some("denied") => Consent::Denied,
        _ => {
            return Err(error_to_js(&Error::Argument {
                call: "Pathlight.init(options.consent)",
                message: "expected \"granted\", \"pending\" or \"denied\"".into(),
            }))
        }
    };
    let gpc = get(obj, "respectGlobalPrivacyControl");
    if !gpc.is_undefined() && gpc.as_bool().is_none() {
        return Err(error_to_js(&Error::Argument {
            call: "Pathlight.init(options.respectGlobalPrivacyControl)",
            message: "expected true or false".into(),
        }));
    }
    if gpc.as_bool() == Some(true) && global_privacy_control() {
        return Ok(Consent::Denied);
    }
    Ok(consent)
}

fn global_privacy_control() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"globalPrivacyControl".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

fn topic_and_handler(
    event: &JsValue,
    handler: JsValue,
    call: &'static str,
) -> Result<(&'static str, js_sys::Function), JsValue> {
    let name = event.as_string().unwrap_or_default();
    let Some(topic) = TOPICS.iter().copied().find(|t| *t == name) else {
        return Err(error_to_js(&Error::Argument {
            call,
            message: format!(
                "unknown event `{name}`; expected one of {}",
                TOPICS.join(", ")
            ),
        }));
    };
    let f = handler.dyn_into::<js_sys::Function>().map_err(|v| {
        error_to_js(&Error::Argument {
            call,
            message: format!(
                "handler must be a function, got {}",
                super::convert::js_type(&v)
            ),
        })
    })?;
    Ok((topic, f))
}

/// Check a config without starting anything. Returns the list of problems
/// (`[]` when valid), each `{ path, message, hint? }`.
///
/// ```js
/// validateConfig({ version: 1, triggers: [{ id: 'a', whenn: {} }] });
/// // [{ path: '/triggers/0/whenn', message: 'unknown key `whenn`', hint: 'did you mean `when`?' }, ...]
/// ```
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config: JsValue) -> JsValue {
    let problems = match document(&config) {
        Ok(v) => config::validate(&v),
        Err(p) => p,
    };
    to_js(&problems)
}

/// Run a scripted journey against a config and answers with a virtual
/// clock. Returns `{ timeline, end }` (what fired when, and each trigger's
/// state at the end), or throws a `PathlightError` with `problems` for an
/// invalid config, answers or script. See `simulate` in the README.
///
/// ```js
/// const { timeline } = simulate(config, answers, [{ at: 0, page: '/checkout' }, { at: 30, end: true }]);
/// ```
#[wasm_bindgen]
pub fn simulate(config: JsValue, answers: JsValue, script: JsValue) -> Result<JsValue, JsValue> {
    let config = config_from_js(&config)?;
    let knowledge = knowledge_from_js(&answers)?;
    let script = document(&script).map_err(|p| error_to_js(&Error::Script(p)))?;
    crate::simulate::run(&config, &knowledge, &script)
        .map(|sim| to_js(&sim))
        .map_err(|p| error_to_js(&Error::Script(p)))
}

/// Check an answer document. Returns the list of problems (`[]` when valid).
#[wasm_bindgen(js_name = validateAnswers)]
pub fn validate_answers(answers: JsValue) -> JsValue {
    let problems = match document(&answers) {
        Ok(v) => Knowledge::from_value(&v)
            .err()
            .and_then(|e| e.problems().cloned())
            .unwrap_or_default(),
        Err(p) => p,
    };
    to_js(&problems)
}
