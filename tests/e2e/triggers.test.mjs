// The trigger language in real Chromium: timing driven by the engine's
// wake-up (no polling), typing, dismissals that last, and the playground.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './harness.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

/** Replace the demo's instance with one running `config`; resolves when set up. */
async function fresh(page, config) {
  await page.evaluate(async (config) => {
    (await window.Pathlight.ready)?.destroy();
    localStorage.clear();
    const { Pathlight } = await import('/pkg/pathlight.js');
    window.timeouts = 0;
    const original = window.setTimeout;
    window.setTimeout = function (...args) {
      window.timeouts += 1;
      return original.apply(this, args);
    };
    window.nudges = [];
    window.started = performance.now();
    window.pl = await Pathlight.init({ config });
    window.pl.on('nudge', (n) => window.nudges.push([n.triggerId, performance.now() - window.started]));
  }, config);
}

const trigger = (when, extra = {}) => ({
  version: 1,
  delivery: { quietSeconds: 0 },
  triggers: [{ id: 't', when, message: 'Hello', tags: ['x'], ...extra }],
});

test('a dwell fires within 250 ms of its threshold, from one timer, with no polling', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/`);
  await fresh(page, trigger({ page: '/products/', dwellSeconds: 2 }));
  await page.waitForFunction(() => window.nudges.length > 0, null, { timeout: 5000 });
  const [[id, ms]] = await page.evaluate(() => window.nudges);
  assert.equal(id, 't');
  assert.ok(ms >= 1990 && ms <= 2250, `fired after ${ms.toFixed(0)} ms`);
  // Afterwards nothing can change by time alone but the idle check, a minute
  // away: no timers are scheduled in the next two seconds beyond the batched save.
  const before = await page.evaluate(() => window.timeouts);
  await page.waitForTimeout(2000);
  const after = await page.evaluate(() => window.timeouts);
  assert.ok(after - before <= 1, `${after - before} timers in 2 s`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('no nudge while the visitor types; it follows a two-second pause', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/checkout`);
  await fresh(page, trigger({ page: '/checkout', dwellSeconds: 1 }));
  const card = page.locator('input[name=card]');
  await card.click();
  for (let i = 0; i < 8; i++) {
    await card.press('4');
    await page.waitForTimeout(250);
  }
  const typedUntil = await page.evaluate(() => performance.now() - window.started);
  assert.deepEqual(await page.evaluate(() => window.nudges), [], 'nothing while typing');
  await page.waitForFunction(() => window.nudges.length > 0, null, { timeout: 5000 });
  const [[, ms]] = await page.evaluate(() => window.nudges);
  assert.ok(ms >= typedUntil + 1500, `fired ${(ms - typedUntil).toFixed(0)} ms after the last key`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a dismissed nudge does not come back on the next page or after a reload', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/checkout`);
  const nudge = page.locator('pathlight-widget').getByRole('dialog');
  await nudge.waitFor({ state: 'visible', timeout: 10_000 });
  await page.locator('pathlight-widget').getByRole('button', { name: 'Close help' }).click();
  await assert.doesNotReject(nudge.waitFor({ state: 'hidden' }));
  // Saves are batched; leaving the page flushes them.
  await page.reload();
  await page.evaluate(async () => (window.pl = await window.Pathlight.ready));
  await page.waitForTimeout(5000);
  assert.equal(await nudge.isVisible(), false);
  const why = await page.evaluate(() => window.pl.explain().find((e) => e.trigger === 'checkout-help'));
  assert.equal(why.status, 'fired');
  assert.equal(why.path, '/triggers/1/maxPerSession');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Pathlight.validate lists every problem with its path', async () => {
  const { page, context } = await openPage(env.browser);
  await page.goto(`${env.base}/`);
  const problems = await page.evaluate(async () => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    return Pathlight.validate({ version: 1, triggers: [{ id: 'a', when: { pge: '/' }, message: 'm', tags: ['x'], maxPerSesion: 2 }] });
  });
  assert.deepEqual(problems, [
    { path: '/triggers/0/maxPerSesion', message: 'unknown key `maxPerSesion`', hint: 'did you mean `maxPerSession`?' },
    { path: '/triggers/0/when/pge', message: 'unknown condition `pge`', hint: 'did you mean `page`?' },
  ]);
  await context.close();
});

test('the playground shows errors at their paths and explains a simulated journey', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/playground`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const nudges = await page.locator('#timeline tr.nudge').allTextContents();
  assert.equal(nudges.length, 1);
  assert.match(nudges[0], /^8 s.*turned down twice.*payment-errors.*card-declined, payment-methods/);
  const welcome = page.locator('#end tr', { hasText: 'welcome-back' });
  assert.match(await welcome.textContent(), /blocked.*this condition does not hold\/triggers\/\d\/when\/(page|returning)/);
  // Break the config: the problem appears at its path, as you type.
  const config = page.locator('#config');
  const text = await config.inputValue();
  await config.fill(text.replace('"dwellSeconds": 4', '"dwellSecs": 4'));
  await page.getByText('unknown condition `dwellSecs`').waitFor();
  assert.match(await page.locator('#config-problems').textContent(), /\/triggers\/\d\/when\/dwellSecs unknown condition `dwellSecs` \(did you mean `dwellSeconds`\?\)/);
  assert.equal(await config.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a title change on the same page is captured (a title trigger fires)', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/`);
  await fresh(page, trigger({ title: '*2 in cart*' }));
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.nudges), []);
  await page.evaluate(() => (document.title = 'Lamps (2 in cart)'));
  await page.waitForFunction(() => window.nudges.length === 1, null, { timeout: 5000 });
  const views = await page.evaluate(() => window.pl.journey().journey.steps.filter((s) => s.kind === 'pageView').length);
  assert.equal(views, 1, 'a title change is not a new page view');
  assert.deepEqual(problems, []);
  await context.close();
});
