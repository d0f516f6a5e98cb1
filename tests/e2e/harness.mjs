// Shared set-up for end-to-end tests: the reference server on a free port and
// Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { startServer } from './server.mjs';

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];

/**
 * Start the demo server and a browser; returns { base, browser, close }.
 * `bfcache: true` keeps Chromium's back/forward cache on (playwright turns
 * it off by default with --disable-back-forward-cache).
 */
export async function launch({ bfcache = false } = {}) {
  const server = await startServer();
  const base = server.base;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: bfcache ? ['--disable-back-forward-cache'] : [],
  });
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}

/** A fresh page that fails the test on any page error or console error. */
export async function openPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  return { page, context, problems };
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = {};
/** Validate `value` against schema/NAME.v1.schema.json; returns the errors. */
export function schemaErrors(name, value) {
  schemas[name] ??= ajv.compile(
    JSON.parse(readFileSync(new URL(`../../schema/${name}.v1.schema.json`, import.meta.url), 'utf8')),
  );
  return schemas[name](value) ? [] : schemas[name].errors;
}

/** The widget's shadow content, as a locator. */
export const widget = (page) => page.locator('pathlight-widget');

// ---- Helpers for the widget's accessibility, hostile-page and screenshot
// tests (fixture pages, a Pathlight started by the test, axe, images).

const fixtures = new URL('./fixtures/', import.meta.url);

/** Serve tests/e2e/fixtures/NAME at BASE/fixtures/NAME in this context. */
export async function serveFixtures(context, base) {
  await context.route(`${base}/fixtures/**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice('/fixtures/'.length);
    if (!/^[\w.-]+$/.test(name)) return route.fulfill({ status: 404, body: 'not found' });
    try {
      const body = readFileSync(new URL(name, fixtures));
      const type = name.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream';
      return route.fulfill({ status: 200, contentType: type, body });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
}

/**
 * The answer document the widget tests use: a frozen copy of the demo's
 * first answers (tests/e2e/fixtures/answers.json), so that editing the demo
 * store's answers (www/pathlight/) does not move the screenshots or the
 * search results these tests expect.
 */
export const demoAnswers = () =>
  JSON.parse(readFileSync(new URL('./fixtures/answers.json', import.meta.url), 'utf8'));

/**
 * Start Pathlight on the open page with `options` (config, answers, locale):
 * the instance is `window.pl`, its events are pushed to `window.events`, and
 * handoffs to `window.handoffs` (a handler that accepts them).
 */
export async function startPathlight(page, options) {
  await page.evaluate(async (options) => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    window.pl = await Pathlight.init(options);
    window.events = [];
    window.handoffs = [];
    for (const name of ['nudge', 'answer', 'feedback', 'search', 'dismiss']) {
      window.pl.on(name, (v) => window.events.push([name, v]));
    }
    window.pl.on('handoff', (p) => window.handoffs.push(p));
  }, options);
}

const axeSource = () =>
  readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** WCAG 2.0, 2.1 and 2.2 A and AA violations on the page (shadow roots included). */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: axeSource() });
  }
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
    }));
  });
}

/** A config whose one nudge fires when the page calls `pl.track('show-nudge')`. */
export const nudgeConfig = (extra = {}) => ({
  version: 1,
  triggers: [{
    id: 'order-help',
    when: { event: 'show-nudge' },
    message: 'Questions about your order? These answers usually help.',
    answers: ['card-declined', 'payment-methods', 'shipping-times'],
  }],
  ...extra,
});

/**
 * Walk the widget through every state, calling `visit(name)` in each:
 * closed, nudge, panel, answer, search, no-results, form, confirmation.
 * Started with `startPathlight(page, { config: nudgeConfig(), ... })`.
 * Selectors are structural, so any locale works.
 */
export async function walkStates(page, visit) {
  const w = widget(page);
  const card = w.locator('.card');
  await visit('closed');
  await page.evaluate(() => window.pl.track('show-nudge'));
  await card.waitFor({ state: 'visible' });
  await visit('nudge');
  await w.locator('[data-action=close]').click();
  await card.waitFor({ state: 'hidden' });
  await w.locator('.launcher').click();
  await card.waitFor({ state: 'visible' });
  await visit('panel');
  await w.locator('[data-action=answer][data-id=shipping-times]').click();
  await w.locator('.feedback').waitFor({ state: 'visible' });
  await visit('answer');
  await w.locator('[data-action=back]').click();
  await w.locator('#pl-search').fill('card');
  await w.locator('[data-action=answer][data-id=card-declined]').waitFor();
  await visit('search');
  await w.locator('#pl-search').fill('xyzzy');
  await w.locator('.empty').waitFor({ state: 'visible' });
  await visit('no-results');
  await w.locator('[data-action=talk]').click();
  await w.locator('#pl-message').fill('My lamp flickers');
  await visit('form');
  await w.locator('form.view button[type=submit]').click();
  await w.locator('.hstatus .hmain').waitFor({ state: 'visible' });
  await visit('confirmation');
}

/** Differing pixels between two PNGs (pixelmatch at `threshold`), and the diff image. */
export async function diffPng(a, b, threshold = 0.1) {
  const { PNG } = (await import('pngjs')).default;
  const { default: pixelmatch } = await import('pixelmatch');
  const [x, y] = [PNG.sync.read(a), PNG.sync.read(b)];
  if (x.width !== y.width || x.height !== y.height) {
    return { sameSize: false, size: [`${x.width}×${x.height}`, `${y.width}×${y.height}`], ratio: 1, diff: null };
  }
  const out = new PNG({ width: x.width, height: x.height });
  const pixels = pixelmatch(x.data, y.data, out.data, x.width, x.height, { threshold });
  return { sameSize: true, pixels, ratio: pixels / (x.width * x.height), diff: PNG.sync.write(out) };
}

/** Where test images go: target/e2e-artifacts/ (not committed). */
export const artifacts = new URL('../../target/e2e-artifacts/', import.meta.url);

/**
 * A clip around the widget as the visitor sees it: the host and its card
 * (which may be fixed to the whole screen), with room for shadows, inside
 * the viewport.
 */
export async function widgetClip(page, pad = 24) {
  return page.evaluate((pad) => {
    const host = document.querySelector('pathlight-widget');
    const boxes = [host, ...host.shadowRoot.querySelectorAll('.card, .launcher')]
      .filter((e) => e.getClientRects().length)
      .map((e) => e.getBoundingClientRect());
    const [w, h] = [document.documentElement.clientWidth, window.innerHeight];
    const left = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.left)) - pad));
    const top = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.top)) - pad));
    const right = Math.min(w, Math.ceil(Math.max(...boxes.map((b) => b.right)) + pad));
    const bottom = Math.min(h, Math.ceil(Math.max(...boxes.map((b) => b.bottom)) + pad));
    return { x: left, y: top, width: right - left, height: bottom - top };
  }, pad);
}
