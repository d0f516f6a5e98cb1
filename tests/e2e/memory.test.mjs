// Memory (issue #9, "Proof under fire"): 100,000 events (host `track`
// calls and DOM events Pathlight captures: clicks, keys, pointer moves,
// scrolls, form errors, route changes) and 1,000 nudges must leave the wasm
// heap, the JS heap and the DOM (the widget's shadow root included)
// bounded: growth stops after a warm-up, measured at checkpoints. After
// destroy() the widget's nodes are gone, and repeated init/destroy cycles do
// not grow the heap.
//
// The wasm heap is the module's linear memory (`memory.buffer.byteLength`,
// from the wasm exports the glue returns once loaded). Linear memory never
// shrinks, so a leak shows as growth that does not stop; the JS heap is
// read through DevTools after a forced garbage collection.
//
//   EVENTS=1000000 NUDGES=5000 node --test tests/e2e/memory.test.mjs    a longer run
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openPage, serveFixtures, demoAnswers } from './harness.mjs';

const EVENTS = Number(process.env.EVENTS ?? 100_000);
const NUDGES = Number(process.env.NUDGES ?? 1000);
const CYCLES = Number(process.env.CYCLES ?? 300);
const CHECKPOINTS = 10;
const MiB = 1024 * 1024;

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

/** Runs in the page once: helpers on one non-enumerable holder. */
function installMeter() {
  const count = (node) => {
    let n = 1;
    for (const c of node.childNodes) n += count(c);
    if (node.shadowRoot) n += count(node.shadowRoot);
    return n;
  };
  Object.defineProperty(window, '__meter', {
    value: {
      nodes: () => count(document),
      widgetNodes: () => {
        const h = document.querySelector('pathlight-widget');
        return h ? count(h) : 0;
      },
      async wasmBytes() {
        // After Pathlight.load(), the glue's default export resolves to the
        // cached wasm exports, memory included.
        const core = await import('/pkg/core/pathlight.js');
        return (await core.default()).memory.buffer.byteLength;
      },
    },
  });
}

const fmt = (b) => `${(b / MiB).toFixed(2)} MiB`;

async function jsHeap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

test(`${EVENTS} events and ${NUDGES} nudges leave the wasm heap, the JS heap and the DOM bounded; destroy() releases the widget`, { timeout: 900_000 }, async () => {
  const { page, context, problems } = await openPage(env.browser);
  await serveFixtures(context, env.base);
  await context.addInitScript(installMeter);
  await page.goto(`${env.base}/fixtures/plain.html`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const baseline = await page.evaluate(async ({ answers, nudges }) => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    await Pathlight.load();
    const nodes = window.__meter.nodes();
    // Things to click on, a field to get wrong, a tall page to scroll.
    const main = document.querySelector('main');
    for (let i = 0; i < 20; i++) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `Option ${i}`;
      main.append(b);
    }
    const tall = document.createElement('div');
    tall.style.height = '4000px';
    main.append(tall);
    const added = window.__meter.nodes() - nodes;
    const pl = await Pathlight.init({
      config: {
        version: 1,
        delivery: { quietSeconds: 0 },
        triggers: [{ id: 'again', when: { event: 'nudge-me' }, message: 'Still looking?', answers: ['card-declined', 'shipping-times'], maxPerSession: Math.min(nudges, 1000), maxPerVisitor: 100000 }],
      },
      answers,
    });
    window.__meter.pl = pl;
    window.__meter.nudged = 0;
    window.__meter.events = 0;
    pl.on('nudge', () => { window.__meter.nudged += 1; });
    window.__meter.errors = [];
    pl.on('error', (e) => window.__meter.errors.push(e.message));
    return { nodes: nodes + added, widget: window.__meter.widgetNodes(), wasm: await window.__meter.wasmBytes() };
  }, { answers: demoAnswers(), nudges: NUDGES });

  const per = Math.ceil(EVENTS / CHECKPOINTS);
  const nudgeEvery = Math.max(1, Math.floor(EVENTS / NUDGES));
  const points = [];
  const started = Date.now();
  for (let c = 0; c < CHECKPOINTS; c++) {
    const r = await page.evaluate(async ({ per, nudgeEvery, round }) => {
      const m = window.__meter;
      const pl = m.pl;
      const buttons = [...document.querySelectorAll('main button')];
      const field = document.querySelector('#note');
      const root = document.querySelector('pathlight-widget').shadowRoot;
      for (let i = 0; i < per; i++) {
        const n = m.events++;
        if (n % nudgeEvery === 0) {
          // A new page (one nudge per page view) and the event the trigger
          // waits for; every tenth nudge the visitor opens an answer.
          history.pushState({}, '', `/fixtures/page-${n}`);
          pl.track('nudge-me', { n });
          if (n % (nudgeEvery * 10) === 0) root.querySelector('[data-action=answer]')?.click();
          continue;
        }
        switch (n % 10) {
          case 0: case 1: case 2: case 3: case 4:
            pl.track(`event_${n % 50}`, { n, page: `/p/${n % 7}`, note: 'x'.repeat(n % 100) });
            break;
          case 5:
            buttons[n % buttons.length].dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: (n * 37) % 900, clientY: (n * 53) % 600 }));
            break;
          case 6:
            // Keys on a button (typing in a field would hold nudges back).
            buttons[n % buttons.length].dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
            document.dispatchEvent(new PointerEvent('pointermove', { bubbles: true }));
            break;
          case 7:
            window.scrollTo(0, (n * 97) % 3000);
            window.dispatchEvent(new Event('scroll'));
            break;
          case 8:
            // checkValidity fires `invalid` like reportValidity, without
            // the browser's bubble (slow in headless Chromium).
            field.setCustomValidity(`Error ${n % 13}`);
            field.checkValidity();
            break;
          default:
            field.toggleAttribute('aria-invalid', n % 20 === 9);
            if (field.hasAttribute('aria-invalid')) field.setAttribute('aria-invalid', 'true');
        }
        // Let timers (batched saves), frames and observers run now and then.
        if (i % 500 === 499) await new Promise((r) => setTimeout(r, 0));
      }
      await new Promise((r) => setTimeout(r, 450)); // the last batched save
      const j = pl.journey();
      return {
        round,
        events: m.events,
        nudged: m.nudged,
        wasm: await m.wasmBytes(),
        nodes: m.nodes(),
        widget: m.widgetNodes(),
        steps: j.journey.steps.length,
        stored: localStorage.getItem('pathlight:state')?.length ?? 0,
        errors: m.errors,
      };
    }, { per, nudgeEvery, round: c });
    r.js = await jsHeap(cdp);
    points.push(r);
  }
  const ms = Date.now() - started;
  const end = await page.evaluate(async () => {
    const m = window.__meter;
    m.pl.destroy();
    delete m.pl;
    return { nodes: m.nodes(), widget: m.widgetNodes(), wasm: await m.wasmBytes() };
  });
  end.js = await jsHeap(cdp);

  console.log(`${points.at(-1).events} events, ${points.at(-1).nudged} nudges in ${ms} ms`);
  console.log(`baseline: DOM ${baseline.nodes} nodes (widget ${baseline.widget}), wasm ${fmt(baseline.wasm)}`);
  for (const p of points) {
    console.log(`  after ${String(p.events).padStart(7)}: wasm ${fmt(p.wasm)}, JS ${fmt(p.js)}, DOM ${p.nodes} nodes (widget ${p.widget}), journey ${p.steps} steps, stored ${(p.stored / 1024).toFixed(1)} KiB`);
  }
  console.log(`after destroy(): DOM ${end.nodes} nodes (widget ${end.widget}), wasm ${fmt(end.wasm)}, JS ${fmt(end.js)}`);

  assert.equal(points.at(-1).events, per * CHECKPOINTS);
  assert.deepEqual(points.at(-1).errors, [], 'no error events');
  assert.ok(points.at(-1).nudged >= Math.min(NUDGES, 1000), `${points.at(-1).nudged} nudges shown`);
  // Bounded: after the first two checkpoints (warm-up), nothing keeps growing.
  const warm = points[1];
  const last = points.at(-1);
  assert.ok(last.wasm - warm.wasm <= 1 * MiB, `wasm heap grew ${fmt(last.wasm - warm.wasm)} after warm-up`);
  assert.ok(last.js - warm.js <= 4 * MiB, `JS heap grew ${fmt(last.js - warm.js)} after warm-up`);
  const domRange = Math.max(...points.slice(1).map((p) => p.nodes)) - Math.min(...points.slice(1).map((p) => p.nodes));
  assert.ok(domRange <= 50, `DOM node count varied by ${domRange} after warm-up`);
  assert.ok(last.steps <= 500, `the journey holds ${last.steps} steps (maxSteps 500)`);
  // destroy(): the widget's nodes are gone; the page is as before init.
  assert.equal(end.widget, 0);
  assert.equal(end.nodes, baseline.nodes);
  assert.deepEqual(problems, []);
  await context.close();
});

test(`${CYCLES} init/destroy cycles with the demo's config and 35 answers do not grow the heap`, { timeout: 600_000 }, async () => {
  const { page, context, problems } = await openPage(env.browser);
  await serveFixtures(context, env.base);
  await context.addInitScript(installMeter);
  await page.goto(`${env.base}/fixtures/plain.html`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const www = (n) => JSON.parse(readFileSync(new URL(`../../www/pathlight/${n}`, import.meta.url), 'utf8'));
  const config = www('config.json');
  delete config.analytics;
  delete config.handoff.webhook;
  delete config.handoff.chat;
  await page.evaluate(async ({ config, answers }) => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    await Pathlight.load();
    window.__meter.cycle = async (n) => {
      for (let i = 0; i < n; i++) {
        const pl = await Pathlight.init({ config, answers });
        pl.track('coupon_failed');
        pl.search('refund');
        pl.open();
        pl.destroy();
      }
      return { wasm: await window.__meter.wasmBytes(), nodes: window.__meter.nodes() };
    };
  }, { config, answers: www('answers.json') });
  const nodes = await page.evaluate(() => window.__meter.nodes());
  // One instance first: the heap then holds what one config and index need.
  const one = await page.evaluate(() => window.__meter.cycle(1));
  const points = [];
  const batch = Math.max(1, Math.floor(CYCLES / 10));
  const started = Date.now();
  for (let i = 0; i < CYCLES; i += batch) {
    const r = await page.evaluate((n) => window.__meter.cycle(n), batch);
    r.js = await jsHeap(cdp);
    r.cycles = i + batch;
    points.push(r);
  }
  console.log(`${CYCLES} cycles in ${Date.now() - started} ms; after one: wasm ${fmt(one.wasm)}`);
  for (const p of points) console.log(`  after ${String(p.cycles).padStart(4)} cycles: wasm ${fmt(p.wasm)}, JS ${fmt(p.js)}, DOM ${p.nodes} nodes`);
  // destroy() frees an instance's config, index and journey at once (not
  // when the garbage collector finalizes the JS object), so the heap stays
  // near what one instance needs; after a warm-up it stops growing.
  const [warm, last] = [points[2], points.at(-1)];
  assert.ok(Math.max(...points.map((p) => p.wasm)) - one.wasm <= 2 * MiB, `wasm heap rose to ${fmt(Math.max(...points.map((p) => p.wasm)))} from ${fmt(one.wasm)}`);
  assert.ok(last.wasm - warm.wasm <= MiB / 2, `wasm heap grew ${fmt(last.wasm - warm.wasm)} over ${last.cycles - warm.cycles} cycles after warm-up`);
  assert.ok(last.js - warm.js <= 4 * MiB, `JS heap grew ${fmt(last.js - warm.js)}`);
  assert.ok(points.every((p) => p.nodes === nodes), 'no node left behind');
  assert.deepEqual(problems, []);
  await context.close();
});
