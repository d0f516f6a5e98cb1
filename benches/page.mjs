// The page benchmark: the demo store in headless Chromium with and without
// Pathlight, side by side in one run (node benches/page.mjs, after
// scripts/build.sh and cargo build -p pathlight-server; scripts/bench.sh
// does both). tests/e2e/page.test.mjs runs a short version.
//
// "Without" is the same store page with `?pathlight=off`, which makes the
// store's loader (www/lang.js) leave out Pathlight's script tag: nothing of
// Pathlight is requested. Variants alternate run by run, each run in a fresh
// browser context (a first-time visitor, empty storage), so a busy machine
// slows both alike. Median and p90 of:
//
// - load, on the home page: navigation start to DOMContentLoaded, first
//   contentful paint, `load`, and (with) Pathlight's `ready`;
// - the first nudge: the demo's own `welcome` trigger (home page, 5 s of
//   dwell). The moment its threshold is crossed is the engine's own answer
//   (`explain()` says "waiting" until `at`); then the nudge's card is seen
//   in the widget's DOM (a MutationObserver) and, a frame later, painted;
// - main-thread time per 100 events on /shipping: CDP Performance metrics
//   (TaskDuration in thread time, so other processes do not inflate it)
//   over the events and the second after them (Pathlight's batched save):
//   100 clicks on 100 distinct buttons and 100 wheel scrolls, real input
//   sent through CDP, and 100 `track()` calls;
// - long tasks: the `longtask` PerformanceObserver's count, and, in traced
//   visits (the home page, its nudge, the 300 events), every task over
//   50 ms on the page's main thread in a Chromium trace, attributed by the
//   V8 sampling profiler's stacks. The trace is needed: Pathlight starts
//   in a microtask checkpoint after the wasm's instantiation, which neither
//   the `longtask` observer nor long-animation-frame script timing reports.
//   The profiler slows what it samples, so traced durations run high.
//
// Options: --runs N (loads per variant, 15), --nudges N (of them waiting for
// the nudge, 5), --events N (7), --traces N (3), --cpu N (CPU slowdown
// through CDP, e.g. 4 for a mid-range phone; 1 by default), --json.
import { launch } from '../tests/e2e/harness.mjs';

const PATHLIGHT_SCRIPT = /\/pkg\//;

// Runs before any script of the page: counts long tasks, and notes when
// Pathlight's `ready` resolves (auto.js assigns window.Pathlight once; the
// accessor passes it through).
const INIT = () => {
  const bench = { longtasks: [], ready: null, started: null };
  window.__bench = bench;
  const push = (list) => {
    for (const e of list) bench.longtasks.push({ start: e.startTime, duration: e.duration });
  };
  try {
    const observer = new PerformanceObserver((list) => push(list.getEntries()));
    observer.observe({ type: 'longtask', buffered: true });
    bench.flush = () => push(observer.takeRecords());
  } catch {
    bench.longtasks = null;
  }
  let value;
  Object.defineProperty(window, 'Pathlight', {
    configurable: true,
    enumerable: true,
    get: () => value,
    set: (v) => {
      value = v;
      if (v && v.ready) {
        v.ready.then((pl) => {
          bench.ready = performance.now();
          bench.started = Boolean(pl);
        });
      }
    },
  });
};

/** Median and p90 (nearest rank) of the numbers in `xs`, ignoring nulls. */
export function stats(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { n: 0, median: null, p90: null };
  const rank = (p) => v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)];
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { n: v.length, median, p90: rank(0.9) };
}

// Trace categories: top-level tasks with their wall and thread (CPU) time,
// and the V8 sampling profiler, whose stacks say whose code ran.
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.cpu_profiler'];

/**
 * The long tasks (over 50 ms of wall time) on the page's main thread in a
 * Chromium trace, each with Pathlight's share: the fraction of the CPU
 * profiler's samples in it whose stack holds a frame of Pathlight's
 * scripts or wasm (anything under /pkg/). A long task is attributable to
 * Pathlight when, without Pathlight's share, it would not have been long.
 * `cpuAttributable`: Pathlight's share of the task's thread (CPU) time is
 * itself over 50 ms, which a busy machine cannot inflate by descheduling
 * the page.
 */
export function longTasksInTrace(buffer, base) {
  const events = JSON.parse(buffer.toString('utf8')).traceEvents ?? [];
  const parse = events.find((e) => e.name === 'ParseHTML' && (e.args?.beginData?.url ?? '').startsWith(base));
  if (!parse) throw new Error('the trace has no ParseHTML of the page');
  const { pid, tid } = parse;
  const profiles = new Map();
  for (const e of events) {
    if (e.name === 'Profile' && e.pid === pid && e.tid === tid) {
      profiles.set(e.id, { t: e.args.data.startTime, nodes: new Map(), samples: [] });
    }
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid || !profiles.has(e.id)) continue;
    const p = profiles.get(e.id);
    const profile = e.args.data.cpuProfile ?? {};
    for (const n of profile.nodes ?? []) p.nodes.set(n.id, n);
    const deltas = e.args.data.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, i) => {
      p.t += deltas[i] ?? 0;
      p.samples.push([p.t, id]);
    });
  }
  const ours = new Map();
  const isOurs = (p, id) => {
    const key = `${id}`;
    if (ours.has(key)) return ours.get(key);
    let n = p.nodes.get(id);
    let hit = false;
    while (n && !hit) {
      hit = PATHLIGHT_SCRIPT.test(n.callFrame.url ?? '');
      n = p.nodes.get(n.parent);
    }
    ours.set(key, hit);
    return hit;
  };
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.pid === pid && e.tid === tid && e.dur > 50_000);
  return tasks.map((task) => {
    let samples = 0;
    let pathlight = 0;
    for (const p of profiles.values()) {
      for (const [ts, id] of p.samples) {
        if (ts < task.ts || ts > task.ts + task.dur) continue;
        samples++;
        if (isOurs(p, id)) pathlight++;
      }
    }
    const share = samples ? pathlight / samples : 0;
    const wall = task.dur / 1000;
    const cpu = (task.tdur ?? task.dur) / 1000;
    return {
      wall,
      cpu,
      pathlightWall: wall * share,
      pathlightCpu: cpu * share,
      attributable: share > 0 && wall * (1 - share) <= 50,
      cpuAttributable: cpu * share > 50,
    };
  });
}

async function openContext(browser, cpu, problems) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  const cdp = await context.newCDPSession(page);
  if (cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  // Thread time: the main thread's own CPU time, which other processes on a
  // busy machine do not inflate.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return { context, page, cdp };
}

const url = (base, path, withPathlight) => `${base}${path}${withPathlight ? '' : '?pathlight=off'}`;

async function open(page, base, path, withPathlight) {
  await page.goto(url(base, path, withPathlight), { waitUntil: 'load' });
  if (withPathlight) {
    await page.waitForFunction(() => window.__bench.ready !== null, null, { timeout: 30_000 });
    const started = await page.evaluate(() => window.__bench.started);
    if (!started) throw new Error('Pathlight did not start (ready resolved to null)');
  }
}

/** Navigation timing of the open page (after its first contentful paint). */
async function loadTimes(page) {
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 10_000 }).catch(() => {});
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      domContentLoaded: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      fcp: fcp ? fcp.startTime : null,
      ready: window.__bench.ready,
    };
  });
}

/**
 * On the home page with Pathlight: when the `welcome` trigger's dwell
 * threshold is crossed (the engine's `explain()`), and when its nudge is in
 * the widget's DOM and painted (epoch ms).
 */
function firstNudge(page) {
  return page.evaluate(async () => {
    const pl = await window.Pathlight.ready;
    const welcome = pl.explain().find((e) => e.trigger === 'welcome');
    if (!welcome || welcome.status !== 'waiting') return { error: `the welcome trigger is ${welcome && welcome.status}, not waiting` };
    const root = document.querySelector('pathlight-widget').shadowRoot;
    const shown = () => {
      const card = root.querySelector('.card');
      const msg = root.querySelector('.msg');
      return Boolean(card && !card.hidden && msg && msg.textContent.length > 0);
    };
    const result = await new Promise((resolve) => {
      let timer;
      const observer = new MutationObserver(() => shown() && done(Date.now()));
      const done = (inDom) => {
        observer.disconnect();
        clearTimeout(timer);
        // After the next frame: painted.
        requestAnimationFrame(() => {
          const c = new MessageChannel();
          c.port1.onmessage = () => resolve({ inDom, painted: Date.now() });
          c.port2.postMessage(0);
        });
      };
      observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
      timer = setTimeout(() => {
        observer.disconnect();
        resolve({ error: 'no nudge within 10 s of its threshold' });
      }, Math.max(0, welcome.at - Date.now()) + 10_000);
      if (shown()) done(Date.now());
    });
    return { due: welcome.at, ...result };
  });
}

/**
 * Main-thread time (thread time, ms) for 100 clicks, 100 wheel scrolls and
 * 100 track() calls on the open page, each measured over the events and the
 * second after them (which holds Pathlight's batched save).
 */
async function events(page, cdp) {
  // 100 buttons, 100 px apart (so no three clicks are a rage click), fixed
  // in the top left of the viewport, clear of the widget; a tall page to
  // scroll. The same in both variants.
  const buttons = await page.evaluate(() => {
    const grid = document.createElement('div');
    grid.style.cssText = 'position:fixed;left:8px;top:8px;display:grid;grid-template-columns:repeat(10,100px);grid-auto-rows:64px;z-index:10';
    for (let i = 0; i < 100; i++) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `Option ${i + 1}`;
      grid.append(b);
    }
    const tall = document.createElement('div');
    tall.style.height = '20000px';
    document.querySelector('main').append(grid, tall);
    return [...grid.children].map((b) => {
      const r = b.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];
    });
  });
  const taskMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'TaskDuration').value * 1000;
  };
  const settle = () => page.waitForTimeout(1000);
  const timed = async (work) => {
    const t0 = await taskMs();
    await work();
    await settle();
    return (await taskMs()) - t0;
  };
  await settle();
  const out = {};
  out.clicks = await timed(async () => {
    for (const [x, y] of buttons) await page.mouse.click(x, y);
  });
  await page.mouse.move(1100, 400);
  out.scrolls = await timed(async () => {
    for (let i = 0; i < 100; i++) await page.mouse.wheel(0, 120);
  });
  out.track = await timed(() =>
    page.evaluate(async () => {
      const pl = window.Pathlight ? await window.Pathlight.ready : null;
      for (let i = 0; i < 100; i++) if (pl) pl.track('bench_event', { i });
    }),
  );
  out.recordedClicks = await page.evaluate(async () => {
    const pl = window.Pathlight ? await window.Pathlight.ready : null;
    return pl ? pl.journey().journey.steps.filter((s) => JSON.stringify(s).includes('Option ')).length : null;
  });
  return out;
}

const longtaskCount = (page) =>
  page.evaluate(() => {
    if (!window.__bench.longtasks) return null;
    window.__bench.flush();
    return window.__bench.longtasks.length;
  });

/** One load of the home page; with Pathlight and `nudge`, waits for the welcome nudge. */
async function loadRun(env, withPathlight, { cpu, nudge, problems }) {
  const { context, page } = await openContext(env.browser, cpu, problems);
  try {
    await open(page, env.base, '/', withPathlight);
    const load = await loadTimes(page);
    let first = null;
    if (withPathlight && nudge) {
      first = await firstNudge(page);
      if (first.error) throw new Error(first.error);
      await page.waitForTimeout(200); // long tasks of rendering the nudge
    }
    return { load, first, longtasks: await longtaskCount(page) };
  } finally {
    await context.close();
  }
}

/** Main-thread time per 100 events on /shipping. */
async function eventsRun(env, withPathlight, { cpu, problems }) {
  const { context, page, cdp } = await openContext(env.browser, cpu, problems);
  try {
    await open(page, env.base, '/shipping', withPathlight);
    const out = await events(page, cdp);
    out.longtasks = await longtaskCount(page);
    return out;
  } finally {
    await context.close();
  }
}

/**
 * A whole visit under a trace (the home page, its welcome nudge or the same
 * 6 s without, then the 300 events): its long tasks, attributed.
 */
export async function traceRun(env, withPathlight, { cpu = 1, problems = [] } = {}) {
  const { context, page, cdp } = await openContext(env.browser, cpu, problems);
  try {
    await env.browser.startTracing(page, { categories: TRACE_CATEGORIES });
    let trace;
    try {
      await open(page, env.base, '/', withPathlight);
      if (withPathlight) {
        const first = await firstNudge(page);
        if (first.error) throw new Error(first.error);
      } else {
        await page.waitForTimeout(6000);
      }
      await events(page, cdp);
    } finally {
      trace = await env.browser.stopTracing();
    }
    return longTasksInTrace(trace, env.base);
  } finally {
    await context.close();
  }
}

/**
 * Run the benchmark on `env` (from tests/e2e/harness.mjs launch()); returns
 * the raw runs and their summary. Variants alternate, so a busy machine
 * slows both alike.
 */
export async function measure(env, { runs = 15, nudges = 5, events: eventRuns = 7, traces = 3, cpu = 1, log = () => {} } = {}) {
  const problems = [];
  const result = { cpu, problems };
  for (const v of ['with', 'without']) result[v] = { loads: [], events: [], traces: [] };
  const variants = [['without', false], ['with', true]];
  const order = (i) => (i % 2 ? variants : [...variants].reverse());
  for (let i = 0; i < runs; i++) {
    for (const [name, on] of order(i)) result[name].loads.push(await loadRun(env, on, { cpu, nudge: on && i < nudges, problems }));
    log(`load run ${i + 1}/${runs}`);
  }
  for (let i = 0; i < eventRuns; i++) {
    for (const [name, on] of order(i)) result[name].events.push(await eventsRun(env, on, { cpu, problems }));
    log(`events run ${i + 1}/${eventRuns}`);
  }
  for (let i = 0; i < traces; i++) {
    for (const [name, on] of order(i)) result[name].traces.push(await traceRun(env, on, { cpu, problems }));
    log(`traced visit ${i + 1}/${traces}`);
  }
  result.summary = summarize(result);
  return result;
}

function summarize(r) {
  const s = {};
  for (const v of ['without', 'with']) {
    const { loads, events: evs, traces } = r[v];
    const tasks = traces.flat();
    const sum = (xs) => xs.reduce((n, x) => n + (x ?? 0), 0);
    s[v] = {
      domContentLoaded: stats(loads.map((l) => l.load.domContentLoaded)),
      fcp: stats(loads.map((l) => l.load.fcp)),
      load: stats(loads.map((l) => l.load.load)),
      ready: stats(loads.map((l) => l.load.ready)),
      nudgeInDom: stats(loads.filter((l) => l.first).map((l) => l.first.inDom - l.first.due)),
      nudgePainted: stats(loads.filter((l) => l.first).map((l) => l.first.painted - l.first.due)),
      clicks: stats(evs.map((e) => e.clicks)),
      scrolls: stats(evs.map((e) => e.scrolls)),
      track: stats(evs.map((e) => e.track)),
      recordedClicks: stats(evs.map((e) => e.recordedClicks)),
      pages: loads.length + evs.length,
      longtasks: sum([...loads, ...evs].map((x) => x.longtasks)),
      visits: traces.length,
      tracedLongTasks: tasks.length,
      withPathlight: tasks.filter((t) => t.pathlightWall > 0).length,
      attributable: tasks.filter((t) => t.attributable).length,
      cpuAttributable: tasks.filter((t) => t.cpuAttributable).length,
      attributableTasks: tasks.filter((t) => t.attributable),
    };
  }
  return s;
}

export function table(r) {
  const { with: w, without: wo } = r.summary;
  const ms = (x) => (x === null || x === undefined ? '—' : `${x.toFixed(1)} ms`);
  const rows = [
    ['load: DOMContentLoaded', 'domContentLoaded'],
    ['load: first contentful paint', 'fcp'],
    ['load: load event', 'load'],
    ['load: Pathlight ready', 'ready'],
    ['first nudge: threshold → in DOM', 'nudgeInDom'],
    ['first nudge: threshold → painted', 'nudgePainted'],
    ['main thread per 100 clicks', 'clicks'],
    ['main thread per 100 wheel scrolls', 'scrolls'],
    ['main thread per 100 track() calls', 'track'],
  ];
  const pad = (x, n) => String(x).padStart(n);
  const lines = [
    `page benchmark: the demo store in headless Chromium, CPU ${r.cpu > 1 ? `slowed ${r.cpu}× through CDP (a mid-range phone)` : 'not throttled'}`,
    `${w.domContentLoaded.n} loads, ${w.nudgeInDom.n} first nudges, ${w.clicks.n} event runs and ${w.visits} traced visits per variant; median (p90)`,
    `${''.padEnd(34)}${pad('without Pathlight', 22)}${pad('with Pathlight', 22)}${pad('added', 12)}`,
  ];
  for (const [label, key] of rows) {
    const cell = (x) => (x.n ? `${ms(x.median)} (${ms(x.p90)})` : '—');
    const added = wo[key].n && w[key].n ? ms(w[key].median - wo[key].median) : '';
    lines.push(`${label.padEnd(34)}${pad(cell(wo[key]), 22)}${pad(cell(w[key]), 22)}${pad(added, 12)}`);
  }
  const row = (label, a, b, c = '') => lines.push(`${label.padEnd(34)}${pad(a, 22)}${pad(b, 22)}${pad(c, 12)}`);
  row('long tasks > 50 ms (observer)', `${wo.longtasks} in ${wo.pages} pages`, `${w.longtasks} in ${w.pages} pages`);
  row('long tasks in traced visits', `${wo.tracedLongTasks} in ${wo.visits}`, `${w.tracedLongTasks} in ${w.visits}`);
  row('  … Pathlight ran in', wo.withPathlight, w.withPathlight);
  row('  … attributable to Pathlight', wo.attributable, w.attributable, 'target 0');
  row('  … Pathlight CPU > 50 ms in one', wo.cpuAttributable, w.cpuAttributable);
  if (w.recordedClicks.n) lines.push(`(each events run recorded ${w.recordedClicks.median} clicks in the journey)`);
  for (const t of w.attributableTasks) {
    lines.push(
      `  attributable: ${t.wall.toFixed(0)} ms (${t.cpu.toFixed(0)} ms CPU), ` +
        `Pathlight ${t.pathlightWall.toFixed(0)} ms (${t.pathlightCpu.toFixed(0)} ms CPU)`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const json = process.argv.includes('--json');
  const env = await launch();
  try {
    const r = await measure(env, {
      runs: arg('runs', 15),
      nudges: arg('nudges', 5),
      events: arg('events', 7),
      traces: arg('traces', 3),
      cpu: arg('cpu', 1),
      log: json || !process.stderr.isTTY ? () => {} : (m) => process.stderr.write(`\r${m}   `),
    });
    if (!json && process.stderr.isTTY) process.stderr.write('\n');
    if (json) {
      console.log(JSON.stringify({ cpu: r.cpu, summary: r.summary, problems: r.problems }));
    } else {
      console.log(table(r));
      if (r.problems.length) console.log(`page problems:\n  ${[...new Set(r.problems)].join('\n  ')}`);
    }
  } finally {
    await env.close();
  }
}
