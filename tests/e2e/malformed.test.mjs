// Malformed input through every public entry (issue #9, "Proof under
// fire"): a seeded generator mutates the demo's valid config and answers
// structurally (wrong types, missing and extra keys, huge, deep, unicode and
// NaN-ish values, bad versions, truncated or garbled JSON text, hostile JS
// values) and feeds them, inside the page for speed, to `Pathlight.init`,
// `validate`, `validateAnswers`, `simulate`, the init options, and a live
// instance's host calls with wrong arguments.
//
// Every bad call must throw or reject a real `Error` named `PathlightError`
// with a message (and `problems` for invalid documents); valid input must
// work; `validate(x)` finding no problem must mean `init` accepts `x`, and
// the reverse. Nothing may reach the page: no page error, no unhandled
// rejection, no console error; afterwards the page still works.
//
//   SEED=7 node --test tests/e2e/malformed.test.mjs      another seed
//   CASES=50000 node --test tests/e2e/malformed.test.mjs more cases
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, serveFixtures } from './harness.mjs';

const SEED = Number(process.env.SEED ?? 20260109);
const CASES = Number(process.env.CASES ?? 10_000);
const www = (name) => JSON.parse(readFileSync(new URL(`../../www/pathlight/${name}`, import.meta.url), 'utf8'));
/** The demo's first 6 answers (all 35, with their translations, make each case slower, not harder). */
const demoAnswers = () => {
  const a = www('answers.json');
  a.answers = a.answers.slice(0, 6);
  return a;
};
/** The demo's config without its network endpoints (this page is not the demo's server). */
const demoConfig = () => {
  const c = www('config.json');
  delete c.analytics;
  delete c.handoff.webhook;
  delete c.handoff.chat;
  return c;
};

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

/** Runs in the page: `n` generated cases from `seed`; returns the tally and any violation. */
async function fuzz({ seed, n, config, answers }) {
  const { Pathlight } = await import('/pkg/pathlight.js');
  await Pathlight.load();
  const leaks = [];
  window.addEventListener('unhandledrejection', (e) => leaks.push(`unhandledrejection: ${e.reason?.message ?? e.reason}`));
  window.addEventListener('error', (e) => leaks.push(`error: ${e.message}`));

  // mulberry32: small, fast, and the same sequence for the same seed.
  let state = seed >>> 0;
  const rnd = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (k) => Math.floor(rnd() * k);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rnd() < p;
  const clone = (v) => JSON.parse(JSON.stringify(v));

  const strings = [
    '', ' ', '\t\n', 'a', 'x'.repeat(281), '😀'.repeat(40), '\u202Eevil\u202C', '\uD800', '\uDFFF\uD800', '\u0000',
    'İstanbul ıi', 'שלום עולם', 'Беларусь', '<img src=x onerror=alert(1)>', '__proto__', 'constructor',
    'prototype', '{"version":1}', '30s', '-1d', '9999999999d', '1e3s', 'NaN', 'Infinity', '/checkout', '**',
    '/:id/:id', '*'.repeat(300), 'javascript:alert(1)', 'https://evil.example/%00', 'e\u0301', '\u00a0',
    'card-declined', 'payment', 'mon', '25:99', 'Europe/Nowhere', 'he', 'xx-YYYY-zz', 'granted', 'chat',
  ];
  const numbers = [0, -0, 1, -1, 0.5, 2.5, 1e308, -1e308, 2 ** 53 + 1, 4294967296, 1e-320, NaN, Infinity, -Infinity, 100000, 86401];
  const deep = (d) => {
    let v = 1;
    for (let i = 0; i < d; i++) v = chance(0.5) ? [v] : { a: v };
    return v;
  };
  const junk = (depth = 0) => {
    switch (int(10)) {
      case 0: return null;
      case 1: return chance(0.5);
      case 2: return pick(numbers);
      case 3: return pick(strings);
      case 4: return 'x'.repeat(pick([300, 2001, 5000]));
      case 5: return deep(pick([8, 60, 127, 130, 400]));
      case 6: return Array.from({ length: pick([0, 1, 3, 500]) }, () => (depth < 2 ? junk(depth + 1) : 1));
      case 7: {
        const o = {};
        for (let i = int(4); i >= 0; i--) o[pick(strings) || `k${i}`] = depth < 2 ? junk(depth + 1) : 1;
        return o;
      }
      case 8: return [pick(strings), pick(numbers)];
      default: return { version: pick([1, 2, '1']), triggers: [], answers: [] };
    }
  };

  /** Every [container, key] in a JSON tree (the root is [holder, 'v']). */
  const places = (root) => {
    const out = [];
    const walk = (c, k, d) => {
      out.push([c, k]);
      const v = c[k];
      if (d > 12 || v === null || typeof v !== 'object') return;
      for (const key of Object.keys(v)) walk(v, Array.isArray(v) ? Number(key) : key, d + 1);
    };
    walk(root, 'v', 0);
    return out;
  };
  /** A structurally mutated copy of `doc` (1 to 4 edits). */
  const mutate = (doc) => {
    const holder = { v: clone(doc) };
    for (let e = 1 + int(4); e > 0; e--) {
      const all = places(holder);
      const [c, k] = pick(all);
      switch (int(9)) {
        case 0: // missing
          if (Array.isArray(c)) c.splice(k, 1);
          else if (c !== holder) delete c[k];
          break;
        case 1: case 2: // wrong type or value
          c[k] = junk();
          break;
        case 3: { // extra key
          const v = c[k];
          if (v && typeof v === 'object' && !Array.isArray(v)) v[pick(['whenn', 'dwelSeconds', 'extra', '__proto__', 'id', 'ids', pick(strings)])] = junk();
          break;
        }
        case 4: { // duplicated element (duplicate ids)
          const v = c[k];
          if (Array.isArray(v) && v.length) v.push(clone(v[int(v.length)]));
          break;
        }
        case 5: // wrapped, or turned into text
          c[k] = chance(0.5) ? [c[k]] : JSON.stringify(c[k]) ?? 'undefined';
          break;
        case 6: // bad version
          holder.v.version = pick([0, 2, '1', 1.5, -1, null, 1e9, true]);
          break;
        case 7: // huge number where a count goes
          c[k] = pick(numbers);
          break;
        default: // unicode where text goes
          if (typeof c[k] === 'string') c[k] = c[k] + pick(strings);
          else c[k] = pick(strings);
      }
    }
    return holder.v;
  };
  /** Hostile JS values a host could pass instead of a document. */
  const exotic = () => {
    const cyc = { version: 1, triggers: [] };
    cyc.self = cyc;
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    return pick([
      undefined, null, 42, true, Symbol('doc'), 10n, () => ({}), [], [1, 2], new Date(0), new Map([[1, 2]]),
      new Uint8Array(8), cyc, revocable.proxy,
      new Proxy({}, { ownKeys() { throw new Error('trap'); }, get() { throw new Error('trap'); } }),
      { get version() { throw new Error('getter'); }, triggers: [] },
      { toJSON() { throw new Error('toJSON'); } },
      { toJSON() { return undefined; } },
      { toJSON() { return 'not json'; } },
      { version: 1, triggers: [], big: 1n },
      Object.create(null),
      Object.freeze({ version: 1, triggers: [] }),
      'x'.repeat(2 * 1024 * 1024 + 1),
      `{"version":1,"triggers":[${'{"a":'.repeat(5000)}`,
      '\uFEFF{"version":1,"triggers":[]}',
      '{"version":1,"triggers":[],}',
      '{"version":1,"triggers":[]} trailing',
      '/* c */{"version":1,"triggers":[]}',
      'null', '[]', '""', '1e999', '{"__proto__":{"polluted":1},"version":1,"triggers":[]}',
    ]);
  };
  /** The generated document, encoded as a host might pass it. */
  const encode = (doc) => {
    const r = rnd();
    if (r < 0.45) return { value: doc, plain: true };
    const text = JSON.stringify(doc);
    if (r < 0.8) return { value: text, plain: true };
    if (r < 0.88) return { value: text.slice(0, int(text.length)), plain: false };
    if (r < 0.94) {
      const i = int(text.length);
      return { value: text.slice(0, i) + pick(['{', '"', '\\', ']', ',', '\u0000', 'NaN', '-']) + text.slice(i + 1), plain: false };
    }
    return { value: exotic(), plain: false };
  };

  const tally = { cases: 0, byEntry: {}, accepted: 0, rejected: 0 };
  const violations = [];
  const count = (entry, ok) => {
    const t = (tally.byEntry[entry] ??= { accepted: 0, rejected: 0 });
    t[ok ? 'accepted' : 'rejected'] += 1;
    tally[ok ? 'accepted' : 'rejected'] += 1;
  };
  const describe = (v) => {
    try {
      const s = typeof v === 'string' ? v : JSON.stringify(v);
      return String(s).slice(0, 160);
    } catch {
      return Object.prototype.toString.call(v);
    }
  };
  const bad = (entry, input, why) => {
    if (violations.length < 20) violations.push(`${entry}: ${why} — input ${describe(input)}`);
  };
  /** The thrown value must be a PathlightError with a message (and problems for documents). */
  const check = (entry, input, e, needsProblems) => {
    if (!(e instanceof Error) || e.name !== 'PathlightError' || typeof e.message !== 'string' || !e.message) {
      bad(entry, input, `threw ${e?.name}: ${e?.message ?? e}`);
      return;
    }
    if (/^Pathlight (config is|answers are|simulation script is) invalid: /.test(e.message)) {
      const p = e.problems;
      if (!Array.isArray(p) || !p.length || !p.every((x) => typeof x.path === 'string' && typeof x.message === 'string' && x.message)) {
        bad(entry, input, `no problems on "${e.message}"`);
      }
    } else if (needsProblems) {
      bad(entry, input, `unexpected error "${e.message}"`);
    }
  };
  const problemsOk = (p) => Array.isArray(p) && p.every((x) => typeof x.path === 'string' && (x.path === '' || x.path.startsWith('/')) && typeof x.message === 'string' && x.message);
  const tryInit = async (options) => {
    try {
      const pl = await Pathlight.init(options);
      pl.destroy();
      return { ok: true };
    } catch (e) {
      return { ok: false, e };
    }
  };

  // A live instance for host calls with wrong arguments (renewed now and then).
  let live = null;
  const fresh = async () => {
    live?.destroy();
    live = await Pathlight.init({ config, answers });
    live.on('error', () => {});
  };
  await fresh();
  const topics = ['nudge', 'handoff', 'delivery', 'error', 'answer', 'feedback', 'search', 'dismiss', 'analytics', 'message'];
  const arg = () => (chance(0.2) ? exotic() : junk());
  const hostCalls = {
    track: () => live.track(chance(0.3) ? pick(strings) : arg(), chance(0.5) ? arg() : { ok: arg() }),
    identify: () => live.identify(arg()),
    search: () => live.search(arg()),
    searchResults: () => live.searchResults(arg()),
    showAnswer: () => live.showAnswer(arg()),
    handoff: () => live.handoff(chance(0.5) ? arg() : { message: arg(), channel: pick(['chat', 'email', 'sms', 'fax', arg()]), email: arg() }),
    on: () => live.on(chance(0.5) ? pick(topics) : arg(), chance(0.5) ? () => {} : arg()),
    off: () => live.off(chance(0.5) ? pick(topics) : arg(), arg()),
    page: () => live.page(arg()),
    open: () => live.open(arg()),
    close: () => live.close(arg()),
    explain: () => live.explain(arg()),
    journey: () => live.journey(arg()),
    pendingHandoffs: () => live.pendingHandoffs(arg()),
  };
  // Calls that must succeed: the instance still answers correctly.
  const goodCalls = [
    () => live.track('fuzz_ok', { n: 1 }),
    () => live.identify({ plan: 'pro' }),
    () => { if (!Array.isArray(live.search('card declined'))) throw new Error('search did not return a list'); },
    () => live.searchResults(0),
    () => live.showAnswer(answers.answers[0].id),
    () => { if (!Array.isArray(live.explain())) throw new Error('explain did not return a list'); },
  ];

  const script = () => {
    const kinds = [
      () => ({ page: pick(['/checkout', '/', pick(strings)]), title: arg() }),
      () => ({ formError: chance(0.5) ? { field: 'Card', message: 'Declined' } : arg() }),
      () => ({ event: pick(['coupon_failed', pick(strings)]), props: arg() }),
      () => ({ search: arg(), results: arg() }),
      () => ({ scroll: pick([0, 60, 101, -5, NaN, '60']) }),
      () => ({ click: arg() }),
      () => ({ identify: arg() }),
      () => ({ typing: arg() }), () => ({ exitIntent: true }), () => ({ hidden: true }), () => ({ visible: true }),
      () => ({ dismiss: true }), () => ({ open: arg() }), () => ({ rate: 'card-declined', helpful: arg() }),
      () => ({ end: true }), () => ({ [pick(strings) || 'x']: arg() }), () => arg(),
    ];
    const steps = Array.from({ length: pick([0, 1, 3, 10, 40]) }, (_, i) => {
      const s = pick(kinds)();
      try {
        if (s && typeof s === 'object' && !Array.isArray(s) && chance(0.9)) s.at = chance(0.9) ? i * pick([1, 5, 30]) : arg();
      } catch { /* a revoked proxy: left as it is */ }
      return s;
    });
    return chance(0.1) ? arg() : steps;
  };

  const started = performance.now();
  tally.time = {};
  let t0 = performance.now();
  let lastKind = null;
  for (let i = 0; i < n; i++) {
    tally.cases += 1;
    const now = performance.now();
    if (lastKind) tally.time[lastKind] = (tally.time[lastKind] ?? 0) + now - t0;
    t0 = now;
    const which = rnd();
    lastKind = which < 0.2 ? 'config' : which < 0.4 ? 'answers' : which < 0.5 ? 'simulate' : which < 0.6 ? 'options' : 'host';
    if (which < 0.2) {
      // validate and init must agree about a generated config.
      const pristine = chance(0.05);
      const { value, plain } = pristine ? { value: config, plain: true } : encode(mutate(config));
      let problems;
      try {
        problems = await Pathlight.validate(value);
      } catch (e) {
        bad('validate', value, `rejected: ${e?.message ?? e}`);
        continue;
      }
      if (!problemsOk(problems)) bad('validate', value, `not a problem list: ${describe(problems)}`);
      count('validate', problems.length === 0);
      if (pristine && problems.length) bad('validate', value, `the valid config has problems: ${describe(problems)}`);
      if (plain || chance(0.3)) {
        const r = await tryInit({ config: value, answers });
        count('init(config)', r.ok);
        if (!r.ok) check('init(config)', value, r.e, value !== undefined);
        if (r.ok !== (problems.length === 0)) bad('init(config)', value, `init ${r.ok ? 'accepted' : 'rejected'} but validate found ${problems.length} problems`);
      }
    } else if (which < 0.4) {
      // validateAnswers and init must agree about a generated answer document.
      const pristine = chance(0.05);
      const { value, plain } = pristine ? { value: answers, plain: true } : encode(mutate(answers));
      let problems;
      try {
        problems = await Pathlight.validateAnswers(value);
      } catch (e) {
        bad('validateAnswers', value, `rejected: ${e?.message ?? e}`);
        continue;
      }
      if (!problemsOk(problems)) bad('validateAnswers', value, `not a problem list: ${describe(problems)}`);
      count('validateAnswers', problems.length === 0);
      if (pristine && problems.length) bad('validateAnswers', value, 'the valid answers have problems');
      if (plain || chance(0.3)) {
        const r = await tryInit({ config: { version: 1, triggers: [] }, answers: value });
        count('init(answers)', r.ok);
        if (!r.ok) check('init(answers)', value, r.e, value !== undefined && value !== null);
        const empty = value === undefined || value === null;
        if (r.ok !== (problems.length === 0 || empty)) bad('init(answers)', value, `init ${r.ok ? 'accepted' : 'rejected'} but validateAnswers found ${problems.length} problems`);
      }
    } else if (which < 0.5) {
      // simulate, mostly with a valid config and answers and a generated script.
      const c = chance(0.8) ? config : encode(mutate(config)).value;
      const a = chance(0.8) ? answers : encode(mutate(answers)).value;
      const s = script();
      try {
        const sim = await Pathlight.simulate(c, a, s);
        if (!Array.isArray(sim?.timeline) || !Array.isArray(sim?.end)) bad('simulate', s, `resolved to ${describe(sim)}`);
        count('simulate', true);
      } catch (e) {
        count('simulate', false);
        check('simulate', s, e, false);
      }
    } else if (which < 0.6) {
      // The init options object itself.
      const options = chance(0.15) ? exotic() : { config, answers };
      {
        try {
          if (!options || typeof options !== 'object' || Object.isFrozen(options) || options instanceof Map) throw new Error('left as it is');
          switch (int(6)) {
            case 0: options.locale = arg(); break;
            case 1: options.consent = pick(['granted', 'pending', 'denied', 'maybe', arg()]); break;
            case 2: options.respectGlobalPrivacyControl = pick([true, false, arg()]); break;
            case 3: options[pick(['confg', 'answer', 'locales', pick(strings) || 'x'])] = arg(); break;
            case 4: delete options.config; break;
            default: break;
          }
        } catch { /* not an object we can edit (a revoked proxy, a frozen one) */ }
      }
      const r = await tryInit(options);
      count('init(options)', r.ok);
      if (!r.ok) check('init(options)', options, r.e, false);
    } else if (which < 0.97) {
      // A live instance's host calls with wrong arguments.
      const name = pick(Object.keys(hostCalls));
      try {
        const out = hostCalls[name]();
        count(`pl.${name}`, true);
        if (out instanceof Promise) bad(`pl.${name}`, name, 'returned a promise');
      } catch (e) {
        count(`pl.${name}`, false);
        check(`pl.${name}`, name, e, false);
      }
      if (chance(0.01)) await fresh();
    } else {
      // Valid calls still work on the instance that took all that.
      try {
        pick(goodCalls)();
        count('pl.valid call', true);
      } catch (e) {
        count('pl.valid call', false);
        bad('pl.valid call', '', `threw ${e?.message}`);
      }
    }
  }
  tally.ms = Math.round(performance.now() - started);
  live.destroy();

  // The page still works: a valid init nudges (for a new visitor: the
  // chunks before this one already showed this trigger).
  localStorage.clear();
  const pl = await Pathlight.init({
    config: { version: 1, delivery: { quietSeconds: 0 }, triggers: [{ id: 'after', when: { event: 'after-fuzz' }, message: 'Still here', answers: [answers.answers[0].id] }] },
    answers,
  });
  let nudged = false;
  pl.on('nudge', () => { nudged = true; });
  pl.track('after-fuzz');
  const widget = Boolean(document.querySelector('pathlight-widget')?.shadowRoot?.querySelector('.card:not([hidden])'));
  pl.destroy();
  await new Promise((r) => setTimeout(r, 100));
  return { tally, violations, leaks, nudged, widget, widgets: document.querySelectorAll('pathlight-widget').length };
}

test(`${CASES} malformed configs, answers, scripts and host calls (seed ${SEED}) never break the page`, { timeout: Math.max(900_000, CASES * 30) }, async () => {
  console.log(`seed ${SEED} (SEED= to vary), ${CASES} cases (CASES= for more)`);
  const { page, context, problems } = await openPage(env.browser);
  await serveFixtures(context, env.base);
  await context.grantPermissions(['local-network-access']);
  await page.goto(`${env.base}/fixtures/plain.html`);
  // In chunks, so a long run reports progress and one page never holds
  // everything; each chunk continues the seeded sequence from its own seed.
  const chunk = 2_500;
  const total = { cases: 0, accepted: 0, rejected: 0, ms: 0, byEntry: {} };
  for (let done = 0; done < CASES; done += chunk) {
    const r = await page.evaluate(fuzz, {
      seed: SEED + done, n: Math.min(chunk, CASES - done), config: demoConfig(), answers: demoAnswers(),
    });
    assert.deepEqual(r.violations, [], 'every bad call is a PathlightError; validate and init agree');
    assert.deepEqual(r.leaks, [], 'nothing reached the page');
    assert.equal(r.nudged && r.widget, true, 'a valid init still nudges afterwards');
    assert.equal(r.widgets, 0, 'every instance removed its widget');
    for (const k of ['cases', 'accepted', 'rejected', 'ms']) total[k] += r.tally[k];
    total.time = r.tally.time;
    for (const [k, v] of Object.entries(r.tally.byEntry)) {
      total.byEntry[k] ??= { accepted: 0, rejected: 0 };
      total.byEntry[k].accepted += v.accepted;
      total.byEntry[k].rejected += v.rejected;
    }
    await page.reload();
  }
  if (process.env.DEBUG_FUZZ) console.log(JSON.stringify(total.time));
  console.log(`${total.cases} cases in ${total.ms} ms in the page: ${total.accepted} accepted, ${total.rejected} rejected with a PathlightError`);
  for (const [k, v] of Object.entries(total.byEntry).sort()) console.log(`  ${k.padEnd(18)} accepted ${String(v.accepted).padStart(5)}  rejected ${String(v.rejected).padStart(5)}`);
  for (const entry of ['validate', 'init(config)', 'validateAnswers', 'init(answers)', 'simulate', 'init(options)', 'pl.track', 'pl.handoff', 'pl.showAnswer']) {
    assert.ok(total.byEntry[entry]?.rejected > 0, `${entry} saw bad input`);
  }
  for (const entry of ['validate', 'init(config)', 'validateAnswers', 'simulate', 'pl.valid call']) {
    assert.ok(total.byEntry[entry]?.accepted > 0, `${entry} saw valid input`);
  }
  assert.equal(total.byEntry['pl.valid call'].rejected, 0, 'valid calls always work');
  assert.deepEqual(problems, []);
  await context.close();
});

test('auto.js with broken data attributes: ready resolves to null, the reason is logged once, nothing else reaches the page', async () => {
  const cases = [
    ['truncated inline config', { 'data-config': '{"version":1,"triggers":[' }],
    ['invalid inline config', { 'data-config': '{"version":2,"triggers":{}}' }],
    ['config URL answering HTML', { 'data-config': '/fixtures/plain.html' }],
    ['valid config, answers invalid', { 'data-config': '{"version":1,"triggers":[]}', 'data-answers': '{"version":1,"answers":[{"id":""}]}' }],
    ['bad data-locale', { 'data-config': '{"version":1,"triggers":[]}', 'data-locale': 'x'.repeat(80) }],
    ['config missing', {}],
  ];
  for (const [name, attrs] of cases) {
    const { page, context, problems } = await openPage(env.browser);
    await serveFixtures(context, env.base);
    await page.goto(`${env.base}/fixtures/plain.html`);
    const r = await page.evaluate(async (attrs) => {
      const leaks = [];
      window.addEventListener('unhandledrejection', (e) => leaks.push(String(e.reason)));
      window.addEventListener('error', (e) => leaks.push(e.message));
      const s = document.createElement('script');
      s.src = '/pkg/auto.js';
      for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v);
      const loaded = new Promise((ok) => s.addEventListener('load', ok));
      document.head.append(s);
      await loaded;
      const pl = await window.Pathlight.ready;
      await new Promise((ok) => setTimeout(ok, 50));
      return { ready: pl, leaks, globals: Object.keys(window.Pathlight), widget: Boolean(document.querySelector('pathlight-widget')) };
    }, attrs);
    assert.equal(r.ready, null, name);
    assert.deepEqual(r.leaks, [], name);
    assert.deepEqual(r.globals, ['ready'], name);
    assert.equal(r.widget, false, name);
    // The one documented message: "Pathlight did not start: <the PathlightError>".
    assert.equal(problems.length, 1, `${name}: ${problems.join(' | ')}`);
    assert.match(problems[0], /^console\.error: Pathlight did not start: (PathlightError|Error)/, name);
    await context.close();
  }
});
