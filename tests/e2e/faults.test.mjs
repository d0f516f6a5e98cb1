// Forced failures inside every web-layer module (issue #9, "Proof under
// fire"): for each module in src/web/, the browser API it depends on is made
// to fail (throw, reject, hang, vanish or lie), then a visitor's flow is
// driven through it. Whatever fails, nothing may reach the host page: no
// page error, no unhandled rejection, no console error; and Pathlight must
// degrade as documented (an `error` event, memory instead of storage, an
// apology with the fallback channels, a message given back to the box...).
//
// FAULTS below is the module → fault table; the test prints it with each
// outcome, so coverage is visible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, serveFixtures, demoAnswers } from './harness.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

/** The config every case starts from: a nudge on `track('show-nudge')`, the
 * reference server's webhook and built-in chat, analytics to its endpoint
 * and to Segment's `analytics.track`. */
const baseConfig = () => ({
  version: 1,
  delivery: { quietSeconds: 0 },
  triggers: [{
    id: 'order-help',
    when: { event: 'show-nudge' },
    message: 'Questions about your order?',
    answers: ['card-declined', 'payment-methods', 'shipping-times'],
  }, {
    id: 'office-hours',
    when: { page: '/never', schedule: { timeZone: 'Europe/London', days: ['mon', 'tue'], from: '09:00', to: '17:00' } },
    message: 'We are in the office.',
    tags: ['payment'],
  }],
  handoff: {
    channels: ['chat', 'email'],
    webhook: { url: '/api/handoffs', timeoutSeconds: 1 },
    chat: { url: '/api/chat' },
    fallback: { email: 'help@shop.example', phone: '+1 555 0100' },
  },
  analytics: { url: '/api/analytics', segment: true, batchSize: 1, flushSeconds: 1 },
});

/** The same with the handoff going to Intercom (a fake the case installs). */
const vendorConfig = () => {
  const c = baseConfig();
  c.handoff = { channels: ['chat'], adapter: 'intercom', adapterTimeoutSeconds: 1, fallback: c.handoff.fallback };
  return c;
};

/**
 * Runs in the page: load Pathlight, install the fault (`fault`, source of a
 * function run after the wasm has loaded and before init), then drive
 * `steps` and report what a host and a visitor would see.
 */
async function drive({ fault, steps: wanted, config, answers }) {
  let steps = wanted;
  const realSetTimeout = window.setTimeout.bind(window);
  const sleep = (ms) => new Promise((r) => realSetTimeout(r, ms));
  const until = async (ok, ms = 3000) => {
    for (let t = 0; t < ms; t += 25) {
      if (ok()) return true;
      await sleep(25);
    }
    return ok();
  };
  try { localStorage.clear(); } catch { /* storage may be the fault */ }
  const realFetch = window.fetch.bind(window);
  const { Pathlight } = await import('/pkg/pathlight.js');
  await Pathlight.load();
  // eslint-disable-next-line no-new-func
  const restore = new Function(`return (${fault})()`)();
  const r = { errors: [], nudges: 0, deliveries: [] };
  let pl;
  try {
    pl = await Pathlight.init({ config, answers });
  } catch (e) {
    r.initError = { isError: e instanceof Error, name: e?.name, message: String(e?.message ?? e) };
    steps = [];
  }
  pl?.on('error', (e) => r.errors.push(e.message));
  pl?.on('nudge', () => { r.nudges += 1; });
  pl?.on('delivery', (d) => { r.deliveries.push(d.status); r.handoffId = d.id; });
  const host = () => document.querySelector('pathlight-widget');
  const root = () => host()?.shadowRoot ?? null;
  const visible = (sel) => {
    const e = root()?.querySelector(sel);
    return Boolean(e && e.getClientRects().length);
  };
  for (const step of steps) {
    if (window.__debug) console.log(`step ${step}`);
    switch (step) {
      case 'nudge':
        pl.track('show-nudge');
        r.cardAfterNudge = visible('.card');
        break;
      case 'answer': {
        const b = root()?.querySelector('[data-action=answer][data-id=card-declined]');
        if (b) b.click();
        else pl.showAnswer('card-declined');
        r.answerText = root()?.querySelector('.body')?.textContent ?? null;
        break;
      }
      case 'search':
        r.searchResults = pl.search('card declined').length;
        break;
      case 'nav':
        history.pushState({}, '', '/fixtures/next');
        break;
      case 'form': {
        const f = document.querySelector('#note');
        f.setCustomValidity('Too short');
        f.reportValidity();
        f.setAttribute('aria-invalid', 'true');
        await sleep(50);
        break;
      }
      case 'scroll':
        window.dispatchEvent(new Event('scroll'));
        await sleep(50);
        break;
      case 'handoff':
        pl.handoff({ message: 'My order is late', channel: 'email', email: 'ada@example.com' });
        await until(() => r.deliveries.some((s) => s !== 'sending'), 2500);
        break;
      case 'widget-handoff': {
        pl.open();
        root()?.querySelector('[data-action=talk]')?.click();
        const box = root()?.querySelector('#pl-message');
        if (box) box.value = 'My lamp flickers';
        root()?.querySelector('form.view.handoff')?.requestSubmit();
        await until(() => r.deliveries.some((s) => s !== 'sending'), 2500);
        r.status = root()?.querySelector('.hstatus .hmain')?.textContent ?? null;
        r.fallbackShown = visible('.fallback');
        break;
      }
      case 'chat': {
        // The reference server took the handoff; the agent replies and the
        // widget shows the conversation.
        await realFetch(`/api/conversations/${r.handoffId}/messages`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hello, I can help' }),
        });
        await until(() => visible('.thread li.agent'), 3000);
        r.chatShown = visible('.thread li.agent');
        break;
      }
      case 'chat-send': {
        const area = root()?.querySelector('#pl-reply');
        if (area) area.value = 'Are you there?';
        root()?.querySelector('form.compose')?.requestSubmit();
        await until(() => visible('.chat-note'), 3000);
        r.chatNote = visible('.chat-note');
        r.chatBox = root()?.querySelector('#pl-reply')?.value ?? null;
        break;
      }
      case 'hostile-reply':
        // The host's handler answers with an object whose getter throws.
        pl.on('handoff', () => ({ get status() { throw new Error('getter crashed'); } }));
        pl.handoff({ message: 'Where is my order?' });
        await until(() => r.deliveries.some((s) => s !== 'sending'), 2000);
        break;
      case 'destroy-on-focus':
        // A page script reacting to focus moves calls back in while the
        // widget is moving focus (here: destroys Pathlight).
        document.addEventListener('focusin', () => pl.destroy(), { once: true });
        pl.open();
        r.destroyedInFocus = !host();
        pl = null;
        break;
      case 'search-on-focus': {
        // A session-replay script listening inside the open shadow root
        // calls back in while the widget moves focus to the answer.
        pl.open();
        root()?.addEventListener('focusin', () => { r.searchResults = pl.search('shipping').length; }, { once: true });
        root()?.querySelector('[data-action=answer]')?.click();
        r.answerText = root()?.querySelector('.body')?.textContent ?? null;
        pl.track('show-nudge');
        r.cardAfterNudge = visible('.card');
        break;
      }
      case 'pagehide':
        window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
        document.dispatchEvent(new Event('visibilitychange'));
        break;
      case 'wait': // past the batched save (400 ms)
        await sleep(600);
        break;
      case 'destroy':
        pl.destroy();
        r.widgetAfterDestroy = Boolean(host());
        // Everything Pathlight listened to fires once more, and its timers
        // would be due: nothing may run (or throw) for a destroyed instance.
        for (const t of ['click', 'keydown', 'pointerdown', 'scroll', 'focusin', 'submit', 'invalid']) {
          document.body.dispatchEvent(new Event(t, { bubbles: true }));
        }
        for (const t of ['pagehide', 'online', 'storage', 'popstate', 'hashchange', 'scroll']) {
          window.dispatchEvent(new Event(t));
        }
        document.dispatchEvent(new Event('visibilitychange'));
        history.pushState({}, '', '/fixtures/after-destroy');
        document.body.setAttribute('aria-invalid', 'true');
        await sleep(700);
        break;
      default:
        throw new Error(`unknown step ${step}`);
    }
  }
  r.mounted = Boolean(host());
  r.shadow = Boolean(root());
  r.styled = host() ? getComputedStyle(host()).position === 'fixed' : false;
  r.styleElement = Boolean(root()?.querySelector('style'));
  if (pl && !steps.includes('destroy')) {
    const j = pl.journey();
    r.views = j.journey.steps.filter((s) => s.kind === 'pageView').map((s) => s.path);
    r.kinds = j.journey.steps.map((s) => s.kind);
    r.visitor = j.visitor.id;
    r.pending = pl.pendingHandoffs().map((h) => h.state);
    r.explained = pl.explain().length;
    pl.destroy();
  }
  // The page still works (under the fault, unless it says how to undo it):
  // a fresh instance starts and nudges.
  if (typeof restore === 'function') restore();
  try {
    const again = await Pathlight.init({
      config: { version: 1, delivery: { quietSeconds: 0 }, triggers: [{ id: 'n', when: { event: 'again' }, message: 'Hi', answers: ['card-declined'] }] },
      answers,
    });
    let nudged = false;
    again.on('nudge', () => { nudged = true; });
    again.track('again');
    again.destroy();
    r.stillWorks = nudged;
  } catch (e) {
    r.stillWorks = `init threw: ${e.message}`;
  }
  return r;
}

// Each fault is the source of a function run in the page after the wasm
// has loaded (the loader itself needs fetch) and before `init`.
const F = {
  storageDenied: () => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  },
  quota: () => {
    Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  },
  attachShadow: () => {
    Element.prototype.attachShadow = function () { throw new DOMException('Not supported', 'NotSupportedError'); };
  },
  cssCtor: () => {
    window.CSSStyleSheet = function () { throw new TypeError('Illegal constructor'); };
  },
  replaceSync: () => {
    CSSStyleSheet.prototype.replaceSync = function () { throw new DOMException('Not allowed', 'NotAllowedError'); };
  },
  adopted: () => {
    Object.defineProperty(ShadowRoot.prototype, 'adoptedStyleSheets', {
      configurable: true,
      get() { return []; },
      set() { throw new TypeError('adoptedStyleSheets is frozen'); },
    });
  },
  createTextNode: () => {
    Document.prototype.createTextNode = function () { throw new DOMException('blocked', 'InvalidStateError'); };
  },
  createElementLater: () => {
    // The DOM starts refusing new paragraphs once the widget is up.
    const make = Document.prototype.createElement;
    Document.prototype.createElement = function (tag, ...rest) {
      if (String(tag).toLowerCase() === 'p' && document.querySelector('pathlight-widget')) {
        throw new DOMException('blocked', 'InvalidStateError');
      }
      return make.call(this, tag, ...rest);
    };
  },
  reportValidity: () => {
    HTMLFormElement.prototype.reportValidity = function () { throw new TypeError('validation library crashed'); };
  },
  scrollIntoView: () => {
    Element.prototype.scrollIntoView = function () { throw new TypeError('smooth-scroll polyfill crashed'); };
  },
  mutationObserver: () => {
    window.MutationObserver = function () { throw new TypeError('MutationObserver is disabled'); };
  },
  raf: () => {
    window.requestAnimationFrame = function () { throw new TypeError('requestAnimationFrame is disabled'); };
  },
  navigationThrows: () => {
    Object.defineProperty(window, 'navigation', { configurable: true, get() { throw new Error('navigation is blocked'); } });
  },
  intl: () => {
    Intl.DateTimeFormat = function () { throw new RangeError('Intl is unavailable'); };
  },
  intlBogus: () => {
    // A page's Intl shim that formats offsets its own way.
    const Real = Intl.DateTimeFormat;
    Intl.DateTimeFormat = function (...args) {
      const f = new Real(...args);
      f.formatToParts = () => [{ type: 'timeZoneName', value: 'GMT€5' }];
      return f;
    };
  },
  languages: () => {
    Object.defineProperty(Navigator.prototype, 'languages', { configurable: true, get() { throw new Error('fingerprinting blocked'); } });
  },
  matchMedia: () => {
    window.matchMedia = function () { throw new TypeError('matchMedia is disabled'); };
  },
  crypto: () => {
    Crypto.prototype.getRandomValues = function () { throw new DOMException('quota', 'QuotaExceededError'); };
  },
  gpc: () => {
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { configurable: true, get() { throw new Error('no'); } });
  },
  noSetTimeout: () => {
    window.setTimeout = undefined;
  },
  setTimeoutThrows: () => {
    window.setTimeout = function () { throw new Error('timers are throttled'); };
  },
  setTimeoutSync: () => {
    // A fake-timer library that runs callbacks at once.
    window.setTimeout = function (f) { f(); return 1; };
  },
  clearTimeoutNoop: () => {
    window.clearTimeout = function () {};
  },
  addListenerThrows: () => {
    EventTarget.prototype.addEventListener = function () { throw new TypeError('listener wrapper crashed'); };
  },
  removeListenerNoop: () => {
    EventTarget.prototype.removeEventListener = function () {};
  },
  fetchRejects: () => {
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
  },
  fetchThrows: () => {
    window.fetch = () => { throw new TypeError('blocked by the page'); };
  },
  fetchHangs: () => {
    window.fetch = () => new Promise(() => {});
  },
  noAbortController: () => {
    window.AbortController = undefined;
  },
  beaconThrows: () => {
    window.fetch = () => new Promise(() => {});
    Navigator.prototype.sendBeacon = function () { throw new TypeError('sendBeacon is blocked'); };
  },
  beaconFalse: () => {
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    Navigator.prototype.sendBeacon = function () { return false; };
  },
  eventSourceThrows: () => {
    window.EventSource = function () { throw new DOMException('blocked', 'SecurityError'); };
  },
  noEventSource: () => {
    window.EventSource = undefined;
  },
  chatPostRejects: () => {
    const real = window.fetch;
    window.fetch = (url, init) => (String(url).includes('/messages')
      ? Promise.reject(new TypeError('Failed to fetch'))
      : real(url, init));
  },
  segmentThrows: () => {
    window.analytics = { track() { throw new Error('analytics.js crashed'); } };
  },
  segmentGetterThrows: () => {
    Object.defineProperty(window, 'analytics', { configurable: true, get() { throw new Error('blocked'); } });
  },
  analyticsDown: () => {
    const real = window.fetch;
    window.fetch = (url, init) => (String(url).includes('/api/analytics') ? Promise.reject(new TypeError('Failed to fetch')) : real(url, init));
    Navigator.prototype.sendBeacon = function () { return false; };
  },
  vendorThrows: () => {
    window.Intercom = function () { throw new Error('Intercom crashed'); };
    window.Intercom.booted = true;
  },
  vendorMissing: () => {},
  jsonThrows: () => {
    const real = JSON.stringify;
    JSON.stringify = function () { throw new Error('JSON.stringify is patched'); };
    return () => { JSON.stringify = real; };
  },
  jsonUndefined: () => {
    const real = JSON.stringify;
    JSON.stringify = function () { return undefined; };
    return () => { JSON.stringify = real; };
  },
  nudgeHandlerThrows: () => {},
  none: () => {},
  errorHandlerThrows: () => {},
};

const smoke = ['nudge', 'answer', 'search', 'nav', 'form'];
const ok = (r) => {
  assert.equal(r.initError, undefined, `init failed: ${JSON.stringify(r.initError)}`);
  assert.equal(r.nudges, 1, 'the nudge fired');
  assert.equal(r.searchResults > 0, true, 'search found answers');
  assert.deepEqual(r.views, ['/fixtures/plain.html', '/fixtures/next'], 'page views recorded');
};
const widgetWorks = (r) => {
  assert.equal(r.mounted && r.shadow && r.styled, true, 'the widget is mounted and styled');
  assert.equal(r.cardAfterNudge, true, 'the nudge is visible');
  assert.match(r.answerText ?? '', /billing address/, 'the answer is shown');
};

/** module → fault table: what fails, what the visitor does, what must hold. */
const FAULTS = [
  { module: 'storage', fault: 'localStorage getter throws SecurityError', setup: F.storageDenied, steps: [...smoke, 'wait'],
    check: (r) => { ok(r); widgetWorks(r); assert.deepEqual(r.errors.filter((e) => /storage is unavailable/.test(e)).length, 1); },
    outcome: 'journey kept in memory; one error event' },
  { module: 'storage', fault: 'setItem throws QuotaExceededError', setup: F.quota, steps: [...smoke, 'wait', 'pagehide'],
    check: (r) => { ok(r); widgetWorks(r); assert.deepEqual(r.errors.filter((e) => /storage is unavailable/.test(e)).length, 1); },
    outcome: 'journey kept in memory; one error event' },
  { module: 'widget', fault: 'attachShadow throws', setup: F.attachShadow, steps: smoke,
    check: (r) => { ok(r); assert.equal(r.mounted, false, 'no half-built widget is left in the page'); },
    outcome: 'no widget; recording, triggers and nudge events go on' },
  { module: 'widget', fault: 'CSSStyleSheet constructor throws', setup: F.cssCtor, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); assert.equal(r.styleElement, true); },
    outcome: 'styles fall back to a <style> element' },
  { module: 'widget', fault: 'replaceSync throws', setup: F.replaceSync, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); assert.equal(r.styleElement, true); },
    outcome: 'styles fall back to a <style> element' },
  { module: 'widget', fault: 'adoptedStyleSheets setter throws', setup: F.adopted, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); assert.equal(r.styleElement, true); },
    outcome: 'styles fall back to a <style> element' },
  { module: 'widget', fault: 'matchMedia throws', setup: F.matchMedia, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'desktop layout, widget works' },
  { module: 'render', fault: 'createTextNode throws', setup: F.createTextNode, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'answer bodies still built from text' },
  { module: 'render', fault: 'createElement("p") throws once the widget is up', setup: F.createElementLater, steps: smoke,
    check: (r) => { ok(r); assert.equal(r.mounted && r.cardAfterNudge, true); assert.equal(r.answerText, ''); },
    outcome: 'the answer shows its title; the body is left out' },
  { module: 'handoff_form', fault: 'reportValidity throws', setup: F.reportValidity, steps: ['widget-handoff'],
    check: (r) => { assert.equal(r.initError, undefined); assert.deepEqual(r.deliveries.slice(0, 1), ['sending']); },
    outcome: 'the form is still sent' },
  { module: 'chat_view', fault: 'scrollIntoView throws', setup: F.scrollIntoView, steps: ['widget-handoff', 'chat', 'chat-send'],
    check: (r) => { assert.equal(r.chatShown, true); },
    outcome: 'the thread still shows' },
  { module: 'capture', fault: 'MutationObserver constructor throws', setup: F.mutationObserver, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); assert.equal(r.kinds.filter((k) => k === 'formError').length, 1, 'the invalid event is still captured'); },
    outcome: 'aria-invalid and title changes not seen; the rest is' },
  { module: 'capture', fault: 'requestAnimationFrame throws', setup: F.raf, steps: [...smoke, 'scroll'],
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'scroll depth not measured' },
  { module: 'capture', fault: 'window.navigation getter throws', setup: F.navigationThrows, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'falls back to the history patch' },
  { module: 'env', fault: 'Intl.DateTimeFormat throws', setup: F.intl, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); assert.equal(r.explained, 2); },
    outcome: 'no time zone; schedules never due' },
  { module: 'env', fault: 'Intl formats a bogus time-zone offset', setup: F.intlBogus, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'the zone counts as unknown (this panicked the wasm)' },
  { module: 'env', fault: 'navigator.languages getter throws', setup: F.languages, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'navigator.language, then English' },
  { module: 'runtime', fault: 'crypto.getRandomValues throws', setup: F.crypto, steps: smoke,
    check: (r) => { ok(r); assert.match(r.visitor, /^[0-9a-f]{32}$/); },
    outcome: 'ids from Math.random' },
  { module: 'api', fault: 'navigator.globalPrivacyControl getter throws', setup: F.gpc, steps: smoke,
    check: (r) => { ok(r); },
    outcome: 'no GPC signal' },
  { module: 'runtime', fault: "an on('nudge') handler throws", setup: F.nudgeHandlerThrows, steps: ['throwing-nudge-handler'],
    check: () => {}, outcome: 'reported as an error event' },
  { module: 'delivery', fault: "an on('handoff') reply's getter throws", setup: F.none, steps: ['hostile-reply'],
    check: (r) => { assert.deepEqual(r.deliveries, ['sending', 'accepted']); assert.equal(r.errors.some((e) => /handoff reply/.test(e)), true, r.errors.join()); },
    outcome: 'accepted (the handler has it); an error event names the bad reply' },
  { module: 'widget', fault: 'a focusin listener destroys Pathlight mid-focus', setup: F.none, steps: ['destroy-on-focus'],
    check: (r) => { assert.equal(r.destroyedInFocus, true); },
    outcome: 'destroyed cleanly, widget gone' },
  { module: 'widget', fault: 'a shadow-root focusin listener searches mid-focus', setup: F.none, steps: ['search-on-focus'],
    check: (r) => { assert.equal(r.searchResults > 0, true); },
    outcome: 'the search shows; the widget keeps working' },
  { module: 'timer', fault: 'setTimeout is missing', setup: F.noSetTimeout, steps: [...smoke, 'widget-handoff', 'pagehide'],
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'no timed wake-ups; saves happen at once' },
  { module: 'timer', fault: 'setTimeout throws', setup: F.setTimeoutThrows, steps: [...smoke, 'widget-handoff', 'pagehide'],
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'no timed wake-ups; saves happen at once' },
  { module: 'timer', fault: 'setTimeout calls back at once', setup: F.setTimeoutSync, steps: [...smoke, 'widget-handoff', 'pagehide'],
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'treated as no timers (its ids are never cleared)' },
  { module: 'timer', fault: 'clearTimeout does nothing', setup: F.clearTimeoutNoop, steps: [...smoke, 'destroy'],
    check: (r) => { assert.equal(r.widgetAfterDestroy, false); },
    outcome: 'a timer firing after destroy() does nothing' },
  { module: 'listener', fault: 'addEventListener throws', setup: F.addListenerThrows, steps: ['nudge', 'search', 'nav'],
    check: (r) => { assert.equal(r.initError, undefined); assert.equal(r.nudges, 1); },
    outcome: 'nothing captured automatically; the host API works' },
  { module: 'listener', fault: 'removeEventListener does nothing', setup: F.removeListenerNoop, steps: [...smoke, 'destroy'],
    check: (r) => { assert.equal(r.widgetAfterDestroy, false); },
    outcome: 'listeners left behind do nothing after destroy()' },
  { module: 'webhook', fault: 'fetch rejects', setup: F.fetchRejects, steps: ['handoff'],
    check: (r) => { assert.deepEqual(r.deliveries.slice(0, 2), ['sending', 'retrying']); assert.deepEqual(r.pending, ['pending']); },
    outcome: 'retrying; kept in the outbox' },
  { module: 'webhook', fault: 'fetch throws synchronously', setup: F.fetchThrows, steps: ['handoff'],
    check: (r) => { assert.deepEqual(r.deliveries.slice(0, 2), ['sending', 'retrying']); assert.deepEqual(r.pending, ['pending']); },
    outcome: 'retrying; kept in the outbox' },
  { module: 'webhook', fault: 'fetch never settles', setup: F.fetchHangs, steps: ['handoff'],
    check: (r) => { assert.deepEqual(r.deliveries.slice(0, 2), ['sending', 'retrying']); assert.deepEqual(r.pending, ['pending']); },
    outcome: 'times out after timeoutSeconds; retrying' },
  { module: 'webhook', fault: 'AbortController is missing', setup: F.noAbortController, steps: ['widget-handoff'],
    check: (r) => { assert.equal(r.deliveries.includes('queued'), true, r.deliveries.join()); },
    outcome: 'sent without an abort signal' },
  { module: 'delivery', fault: 'sendBeacon throws (fetch hangs)', setup: F.beaconThrows, steps: ['handoff', 'pagehide'],
    check: (r) => { assert.equal(r.pending.length, 1); },
    outcome: 'stays in the outbox' },
  { module: 'delivery', fault: 'sendBeacon returns false (fetch rejects)', setup: F.beaconFalse, steps: ['handoff', 'pagehide'],
    check: (r) => { assert.deepEqual(r.pending, ['pending']); },
    outcome: 'stays in the outbox' },
  { module: 'chat', fault: 'EventSource constructor throws', setup: F.eventSourceThrows, steps: ['widget-handoff', 'wait'],
    check: (r) => { assert.equal(r.deliveries.includes('queued'), true); assert.equal(r.errors.some((e) => /chat/.test(e)), true, r.errors.join()); },
    outcome: "the queue position stays; an error event says the chat is lost" },
  { module: 'chat', fault: 'EventSource is missing', setup: F.noEventSource, steps: ['widget-handoff', 'wait'],
    check: (r) => { assert.equal(r.deliveries.includes('queued'), true); assert.equal(r.errors.some((e) => /chat/.test(e)), true, r.errors.join()); },
    outcome: 'the queue position stays; an error event' },
  { module: 'chat', fault: 'the message POST rejects', setup: F.chatPostRejects, steps: ['widget-handoff', 'chat', 'chat-send'],
    check: (r) => { assert.equal(r.chatNote, true); assert.equal(r.chatBox, 'Are you there?'); },
    outcome: 'the message goes back in the box, with a note' },
  { module: 'analytics', fault: 'analytics.track throws', setup: F.segmentThrows, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'ignored: the page’s analytics are not ours to break' },
  { module: 'analytics', fault: 'window.analytics getter throws', setup: F.segmentGetterThrows, steps: smoke,
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'ignored' },
  { module: 'analytics', fault: 'batch POST rejects, sendBeacon returns false', setup: F.analyticsDown, steps: [...smoke, 'wait', 'pagehide'],
    check: (r) => { ok(r); widgetWorks(r); },
    outcome: 'events requeued (bounded)' },
  { module: 'vendor', fault: 'the vendor SDK throws', setup: F.vendorThrows, config: vendorConfig, steps: ['widget-handoff'],
    check: (r) => { assert.deepEqual(r.deliveries, ['sending', 'failed']); assert.equal(r.fallbackShown, true); assert.equal(r.errors.some((e) => /Intercom crashed/.test(e)), true); },
    outcome: 'apology with the fallback channels; error event' },
  { module: 'vendor', fault: 'the vendor SDK never loads', setup: F.vendorMissing, config: vendorConfig, steps: ['widget-handoff'],
    check: (r) => { assert.deepEqual(r.deliveries, ['sending', 'failed']); assert.equal(r.fallbackShown, true); },
    outcome: 'apology with the fallback channels after adapterTimeoutSeconds' },
  { module: 'convert', fault: 'JSON.stringify throws', setup: F.jsonThrows, steps: [],
    check: (r) => { assert.equal(r.initError.name, 'PathlightError'); assert.match(r.initError.message, /could not be read as JSON/); },
    outcome: 'init rejects with a PathlightError' },
  { module: 'convert', fault: 'JSON.stringify returns undefined', setup: F.jsonUndefined, steps: [],
    check: (r) => { assert.equal(r.initError.name, 'PathlightError'); assert.match(r.initError.message, /could not be read as JSON/); },
    outcome: 'init rejects with a PathlightError' },
];

// Two cases need their own flows: the handler faults.
async function handlerFaults(page) {
  return page.evaluate(async () => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    const pl = await Pathlight.init({
      config: { version: 1, triggers: [{ id: 'n', when: { event: 'go' }, message: 'Hi', tags: ['x'], maxPerSession: 5 }], delivery: { quietSeconds: 0 } },
    });
    const errors = [];
    pl.on('nudge', () => { throw new Error('host bug in nudge handler'); });
    pl.on('error', (e) => errors.push(e.message));
    pl.track('go');
    const first = [...errors];
    // An error handler that throws too: nothing can be reported to the host.
    pl.on('error', () => { throw new Error('host bug in error handler'); });
    history.pushState({}, '', '/fixtures/again');
    pl.track('go');
    pl.destroy();
    return { first, errors };
  });
}

test('forced failures in every web-layer module never reach the host page', { timeout: 240_000 }, async () => {
  const rows = [];
  const failures = [];
  const only = process.env.FAULT ? FAULTS.filter((c) => new RegExp(process.env.FAULT).test(`${c.module} ${c.fault}`)) : FAULTS;
  for (const c of only) {
    if (process.env.DEBUG_FAULTS) console.error(`case: ${c.module} / ${c.fault}`);
    // A fresh context per case: no storage, connection or permission state
    // carries from one fault to the next.
    const { page, context, problems } = await openPage(env.browser);
    await serveFixtures(context, env.base);
    await context.grantPermissions(['local-network-access']);
    await context.addInitScript(() => {
      window.__leaks = [];
      window.addEventListener('unhandledrejection', (e) => window.__leaks.push(`unhandledrejection: ${e.reason?.stack ?? e.reason}`));
      window.addEventListener('error', (e) => window.__leaks.push(`error: ${e.message}`));
    });
    if (process.env.DEBUG_FAULTS) {
      page.on('console', (m) => console.error(`  page: ${m.text()}`));
      await context.addInitScript(() => { window.__debug = true; });
    }
    await page.goto(`${env.base}/fixtures/plain.html`, { timeout: 15_000 });
    let r;
    let outcome = c.outcome;
    let watchdog;
    if (process.env.DEBUG_FAULTS) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Debugger.enable');
      cdp.on('Debugger.paused', (e) => {
        console.error('PAUSED', e.callFrames.slice(0, 25).map((f) => `${f.functionName} ${f.url.split('/').pop()}:${f.location.lineNumber}`).join('\n  '));
      });
      watchdog = setTimeout(() => cdp.send('Debugger.pause').catch(() => {}), 8000);
    }
    try {
      if (c.steps[0] === 'throwing-nudge-handler') {
        const h = await handlerFaults(page);
        assert.deepEqual(h.first, ['Pathlight: an event handler threw']);
        assert.deepEqual(h.errors, ['Pathlight: an event handler threw', 'Pathlight: an event handler threw']);
      } else {
        r = await page.evaluate(drive, {
          fault: c.setup.toString(),
          steps: c.steps,
          config: (c.config ?? baseConfig)(),
          answers: demoAnswers(),
        });
        if (process.env.DEBUG_FAULTS) console.error(JSON.stringify(r));
        c.check(r);
        assert.equal(r.stillWorks, true, `the page still works afterwards: ${r.stillWorks}`);
      }
      // Let what the flow started settle before looking for leaks.
      await page.waitForTimeout(50);
      const leaks = await page.evaluate(() => window.__leaks);
      assert.deepEqual([...leaks, ...problems], [], 'nothing reached the page');
    } catch (e) {
      outcome = `FAILED: ${e.message.split('\n')[0]}${r ? ` ${JSON.stringify(r).slice(0, 300)}` : ''}`;
      failures.push(`${c.module} / ${c.fault}: ${e.message}`);
    }
    rows.push({ module: c.module, fault: c.fault, outcome });
    clearTimeout(watchdog);
    await context.close();
  }
  console.log('\nmodule        fault                                          outcome');
  for (const row of rows) console.log(`${row.module.padEnd(13)} ${row.fault.padEnd(46)} ${row.outcome}`);
  const modules = new Set(rows.map((r) => r.module));
  if (!process.env.FAULT) for (const m of ['storage', 'widget', 'render', 'handoff_form', 'chat_view', 'capture', 'env', 'runtime', 'api', 'timer', 'listener', 'webhook', 'delivery', 'chat', 'analytics', 'vendor', 'convert']) {
    assert.ok(modules.has(m), `a fault for ${m}`);
  }
  assert.deepEqual(failures, []);
});
