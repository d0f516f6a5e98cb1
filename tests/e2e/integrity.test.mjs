// Page integrity (issue #9, "Proof under fire"): Pathlight must leave the
// host page as it found it. Globals and prototypes are snapshotted (every
// own property's descriptor, by identity) before `init` and after
// `destroy()`, with and without the Navigation API (without it Pathlight
// patches `history`), by the npm entry and by the script tag; the event
// listeners on window and document are compared through the DevTools
// protocol. Then 1,000 seeded rounds install and remove Pathlight and two
// other scripts that wrap `pushState` the way analytics tools do, in random
// order: after every step one `pushState` call must run the native
// function exactly once and reach each installed wrapper once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, serveFixtures, demoAnswers, nudgeConfig } from './harness.mjs';

const SEED = Number(process.env.SEED ?? 20260109);
const ROUNDS = Number(process.env.ROUNDS ?? 1000);

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

/** Installed in the page before anything runs: the snapshot and diff functions, on one holder. */
function installProbe() {
  const names = [
    'Object', 'Array', 'Function', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Promise', 'Error', 'TypeError',
    'RangeError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Date', 'RegExp', 'Proxy',
    'ArrayBuffer', 'Uint8Array', 'DataView', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams',
    'EventTarget', 'Node', 'Element', 'HTMLElement', 'HTMLUnknownElement', 'Document', 'HTMLDocument', 'ShadowRoot',
    'DocumentFragment', 'Text', 'CharacterData', 'History', 'Location', 'Storage', 'Navigator', 'Window',
    'XMLHttpRequest', 'Response', 'Request', 'Headers', 'AbortController', 'AbortSignal', 'Blob', 'EventSource',
    'MutationObserver', 'CSSStyleSheet', 'CSSStyleDeclaration', 'DOMTokenList', 'MediaQueryList', 'Event',
    'MouseEvent', 'KeyboardEvent', 'StorageEvent', 'MessageEvent', 'CustomEvent', 'HTMLFormElement',
    'HTMLInputElement', 'HTMLTextAreaElement', 'HTMLButtonElement', 'HTMLAnchorElement', 'HTMLStyleElement',
    'CustomElementRegistry', 'Crypto', 'Performance', 'IntersectionObserver', 'ResizeObserver',
  ];
  const objects = () => {
    const out = [
      ['window', window], ['document', document], ['history', history], ['location', location],
      ['navigator', navigator], ['console', console], ['JSON', JSON], ['Math', Math], ['Reflect', Reflect],
      ['Intl', Intl], ['WebAssembly', WebAssembly], ['customElements', customElements], ['crypto', crypto],
      ['performance', performance], ['document.documentElement', document.documentElement], ['document.head', document.head],
      ['document.body', document.body],
    ];
    for (const n of names) {
      const c = window[n];
      if (!c) continue;
      out.push([n, c]);
      if (c.prototype) out.push([`${n}.prototype`, c.prototype]);
    }
    return out;
  };
  const describe = (obj) => {
    const props = new Map();
    for (const key of Reflect.ownKeys(obj)) {
      props.set(key, Object.getOwnPropertyDescriptor(obj, key));
    }
    return { proto: Object.getPrototypeOf(obj), extensible: Object.isExtensible(obj), props };
  };
  const take = () => {
    const snap = new Map();
    for (const [name, obj] of objects()) snap.set(name, { obj, d: describe(obj) });
    return {
      snap,
      dom: {
        html: [...document.documentElement.attributes].map((a) => `${a.name}=${a.value}`).join(' '),
        body: [...document.body.attributes].map((a) => `${a.name}=${a.value}`).join(' '),
        head: document.head.innerHTML,
        content: document.body.innerHTML,
        sheets: document.adoptedStyleSheets.length,
        styleSheets: document.styleSheets.length,
        title: document.title,
        customElement: customElements.get('pathlight-widget') ?? null,
      },
    };
  };
  const key = (k) => (typeof k === 'symbol' ? k.toString() : k);
  const diff = (a, b) => {
    const out = [];
    for (const [name, { obj, d }] of b.snap) {
      const was = a.snap.get(name);
      if (!was) {
        out.push(`${name}: appeared`);
        continue;
      }
      if (was.obj !== obj) out.push(`${name}: replaced`);
      if (was.d.proto !== d.proto) out.push(`${name}: prototype changed`);
      if (was.d.extensible !== d.extensible) out.push(`${name}: extensibility changed`);
      for (const [k, desc] of d.props) {
        const old = was.d.props.get(k);
        if (!old) {
          out.push(`${name}.${key(k)}: added`);
          continue;
        }
        for (const f of ['value', 'get', 'set', 'writable', 'enumerable', 'configurable']) {
          if (!Object.is(old[f], desc[f])) out.push(`${name}.${key(k)}: ${f} changed`);
        }
      }
      for (const k of was.d.props.keys()) if (!d.props.has(k)) out.push(`${name}.${key(k)}: removed`);
    }
    for (const k of Object.keys(a.dom)) if (a.dom[k] !== b.dom[k]) out.push(`DOM ${k} changed`);
    return out;
  };
  Object.defineProperty(window, '__probe', { value: { take, diff }, enumerable: false });
}

/** The listeners on window and document, as DevTools lists them. */
async function listeners(cdp) {
  const out = [];
  for (const expression of ['window', 'document']) {
    const { result } = await cdp.send('Runtime.evaluate', { expression });
    const { listeners: list } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
    for (const l of list) out.push(`${expression} ${l.type}${l.useCapture ? ' (capture)' : ''} ${l.scriptId}:${l.lineNumber}:${l.columnNumber}`);
    await cdp.send('Runtime.releaseObject', { objectId: result.objectId });
  }
  return out.sort();
}

/** Everything a visitor and a host do, so that every module installs what it installs. */
async function exercise(pl) {
  pl.on('handoff', () => ({ status: 'queued', position: 1 }));
  pl.on('error', () => {});
  pl.on('analytics', () => {});
  pl.track('show-nudge');
  const root = document.querySelector('pathlight-widget').shadowRoot;
  root.querySelector('[data-action=answer]').click();
  root.querySelector('[data-action=yes]').click();
  pl.open();
  pl.search('card declined');
  pl.showAnswer('card-declined');
  history.pushState({}, '', '/fixtures/plain.html?step=2');
  history.replaceState({}, '', '/fixtures/plain.html?step=3');
  location.hash = 'more';
  const input = document.querySelector('#note');
  input.focus();
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
  input.setCustomValidity('Too short');
  input.reportValidity();
  input.setAttribute('aria-invalid', 'true');
  document.title = 'Plain page, again';
  window.dispatchEvent(new Event('scroll'));
  document.body.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 5, clientY: 5 }));
  pl.identify({ plan: 'pro', email: 'ada@example.com' });
  pl.handoff({ message: 'Where is my order?', channel: 'chat' });
  pl.searchResults(0);
  pl.page();
  pl.grantConsent();
  await new Promise((r) => setTimeout(r, 500)); // a batched save, the handoff reply, mutation records
  input.removeAttribute('aria-invalid');
  input.setCustomValidity('');
  document.title = 'Plain page · Pathlight tests';
  history.replaceState({}, '', '/fixtures/plain.html');
}

for (const [entry, navigation] of [['npm', true], ['npm', false], ['script tag', true], ['script tag', false]]) {
  test(`${entry}, ${navigation ? 'with' : 'without'} the Navigation API: destroy() leaves globals, prototypes, listeners and the DOM as they were`, async () => {
    const { page, context, problems } = await openPage(env.browser);
    await serveFixtures(context, env.base);
    await context.addInitScript(installProbe);
    if (!navigation) await context.addInitScript(() => Object.defineProperty(window, 'navigation', { value: undefined }));
    await page.goto(`${env.base}/fixtures/plain.html`);
    const cdp = await context.newCDPSession(page);
    // Load the code first (module loading itself is the browser's, not ours).
    await page.evaluate(async () => {
      const { Pathlight } = await import('/pkg/pathlight.js');
      await Pathlight.load();
      window.__probe.before = window.__probe.take();
      window.__probe.push = history.pushState;
    });
    const listenersBefore = await listeners(cdp);
    const during = await page.evaluate(async ({ entry, config, answers }) => {
      let pl;
      if (entry === 'npm') {
        const { Pathlight } = await import('/pkg/pathlight.js');
        pl = await Pathlight.init({ config, answers });
      } else {
        const s = document.createElement('script');
        s.src = '/pkg/auto.js';
        s.setAttribute('data-config', JSON.stringify(config));
        s.setAttribute('data-answers', JSON.stringify(answers));
        const loaded = new Promise((ok) => s.addEventListener('load', ok));
        document.head.append(s);
        await loaded;
        pl = await window.Pathlight.ready;
        s.remove();
      }
      window.__probe.pl = pl;
      return { patched: history.pushState !== window.__probe.push };
    }, { entry, config: nudgeConfig(), answers: demoAnswers() });
    const listenersDuring = await listeners(cdp);
    await page.evaluate(async (exercise) => {
      // eslint-disable-next-line no-new-func
      await new Function(`return (${exercise})`)()(window.__probe.pl);
      window.__probe.pl.destroy();
      delete window.__probe.pl;
    }, exercise.toString());
    assert.equal(during.patched, !navigation, navigation ? 'the Navigation API is used, history left alone' : 'history is patched');
    const listenersAfter = await listeners(cdp);
    const changes = await page.evaluate(() => window.__probe.diff(window.__probe.before, window.__probe.take()));
    const expected = entry === 'npm' ? [] : ['window.Pathlight: added'];
    assert.deepEqual(changes, expected, 'globals, prototypes and the DOM');
    assert.ok(listenersDuring.length >= listenersBefore.length + 10, `Pathlight listened (${listenersDuring.length - listenersBefore.length} listeners)`);
    assert.deepEqual(listenersAfter, listenersBefore, 'event listeners on window and document');
    assert.equal(await page.evaluate(() => history.pushState === window.__probe.push), true, 'pushState restored');
    assert.deepEqual(problems, []);
    await context.close();
  });
}

/**
 * Runs in the page (Navigation API removed): Pathlight (P) and two
 * analytics-style wrappers (A, B) installed and removed in seeded random
 * order; after each step one pushState and one replaceState call.
 */
async function rounds({ seed, n, config }) {
  const { Pathlight } = await import('/pkg/pathlight.js');
  await Pathlight.load();
  let state = seed >>> 0;
  const rnd = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // The native functions, wrapped first by a counting shim.
  const native = { push: 0, replace: 0 };
  const realPush = History.prototype.pushState;
  const realReplace = History.prototype.replaceState;
  history.pushState = function (...args) { native.push += 1; return realPush.apply(this, args); };
  history.replaceState = function (...args) { native.replace += 1; return realReplace.apply(this, args); };
  // An analytics tool's wrapper: counts what it sees; on removal it restores
  // what it wrapped if it is on top, else stays in the chain as a
  // pass-through (unwrapping from the middle would cut off whoever wrapped it).
  const wrapper = (name) => {
    const w = { name, seen: 0, installed: null };
    w.install = () => {
      const prev = history.pushState;
      const me = function (...args) {
        if (me.on) w.seen += 1;
        return prev.apply(this, args);
      };
      me.on = true;
      history.pushState = me;
      w.installed = { me, prev };
    };
    w.remove = () => {
      const { me, prev } = w.installed;
      if (history.pushState === me) history.pushState = prev;
      else me.on = false;
      w.installed = null;
    };
    return w;
  };
  const a = wrapper('A');
  const b = wrapper('B');
  const shimReplace = history.replaceState;
  let pl = null;
  let beforePl = null;
  let plWrapper = null;
  const violations = [];
  const tally = { installs: 0, removals: 0, calls: 0, restoredOnTop: 0, passThrough: 0, recorded: 0 };
  for (let i = 0; i < n; i++) {
    const who = Math.floor(rnd() * 3);
    if (who === 0) {
      if (pl) {
        const top = history.pushState;
        pl.destroy();
        pl = null;
        tally.removals += 1;
        if (top === plWrapper) {
          // On top: unwrapped, the chain exactly as before Pathlight came.
          tally.restoredOnTop += 1;
          if (history.pushState !== beforePl) violations.push(`round ${i}: pushState not restored`);
        } else {
          // Wrapped over: left in place as a pass-through.
          tally.passThrough += 1;
          if (history.pushState !== top) violations.push(`round ${i}: Pathlight unwrapped from the middle of the chain`);
        }
        if (history.replaceState !== shimReplace) violations.push(`round ${i}: replaceState not restored`);
      } else {
        beforePl = history.pushState;
        pl = await Pathlight.init({ config });
        plWrapper = history.pushState;
        if (plWrapper === beforePl) violations.push(`round ${i}: Pathlight did not patch pushState`);
        tally.installs += 1;
      }
    } else {
      const w = who === 1 ? a : b;
      if (w.installed) { w.remove(); tally.removals += 1; } else { w.install(); tally.installs += 1; }
    }
    const seen = { A: a.seen, B: b.seen, push: native.push, replace: native.replace };
    const url = `/fixtures/round-${i}`;
    history.pushState({ i }, '', url);
    history.replaceState({ i }, '', `${url}?r=1`);
    tally.calls += 2;
    if (native.push !== seen.push + 1) violations.push(`round ${i}: native pushState ran ${native.push - seen.push} times`);
    if (native.replace !== seen.replace + 1) violations.push(`round ${i}: native replaceState ran ${native.replace - seen.replace} times`);
    for (const w of [a, b]) {
      const want = w.installed ? 1 : 0;
      if (w.seen - seen[w.name] !== want) violations.push(`round ${i}: wrapper ${w.name} saw ${w.seen - seen[w.name]} calls, expected ${want}`);
    }
    if (pl) {
      const steps = pl.journey().journey.steps.filter((s) => s.kind === 'pageView');
      const last = steps.at(-1);
      if (last?.path !== url) violations.push(`round ${i}: Pathlight recorded ${last?.path}, not ${url}`);
      else tally.recorded += 1;
    }
    if (violations.length > 10) break;
  }
  pl?.destroy();
  // Everything removed: calls still reach the native function once.
  if (a.installed) a.remove();
  if (b.installed) b.remove();
  const push = native.push;
  history.pushState({}, '', '/fixtures/plain.html');
  if (native.push !== push + 1) violations.push('after everything was removed, native pushState did not run exactly once');
  return { violations, tally };
}

test(`${ROUNDS} random installs and removals of Pathlight and two pushState wrappers (seed ${SEED}): the original runs once per call`, async () => {
  const { page, context, problems } = await openPage(env.browser);
  await serveFixtures(context, env.base);
  await context.addInitScript(() => Object.defineProperty(window, 'navigation', { value: undefined }));
  await page.goto(`${env.base}/fixtures/plain.html`);
  const started = Date.now();
  const r = await page.evaluate(rounds, { seed: SEED, n: ROUNDS, config: { version: 1, triggers: [] } });
  console.log(`seed ${SEED}: ${ROUNDS} rounds in ${Date.now() - started} ms: ${JSON.stringify(r.tally)}`);
  assert.deepEqual(r.violations, []);
  assert.ok(r.tally.restoredOnTop > 0 && r.tally.passThrough > 0, 'both removal paths were taken');
  assert.deepEqual(problems, []);
  await context.close();
});
