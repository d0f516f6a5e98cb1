// Back/forward cache (issue #9, "Proof under fire"): a store page with the
// widget, left for another page and gone back to, must come back from
// Chromium's back/forward cache (`pageshow.persisted === true`, no
// `Page.backForwardCacheNotUsed`), with the widget working: a dwell trigger
// started before leaving still fires, the panel opens and searches, events
// are still recorded, and the journey reads like the visit it was (the page
// seen in between included, the return a new page view). With the built-in
// chat open (an EventSource) the page must still be cached, and the chat
// must carry on after the return.
//
// Playwright launches Chromium with --disable-back-forward-cache; these
// tests drop that flag (launch({ bfcache: true })). Headless Chromium then
// caches pages like a desktop one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, widget } from './harness.mjs';

let env;
before(async () => {
  env = await launch({ bfcache: true });
});
after(async () => {
  await env?.close();
});

/** A page that records pageshow events and anything reaching it, and a CDP session reporting bfcache misses. */
async function open() {
  const { page, context, problems } = await openPage(env.browser);
  await context.addInitScript(() => {
    window.__shows = [];
    window.__leaks = [];
    addEventListener('pageshow', (e) => window.__shows.push(e.persisted));
    addEventListener('unhandledrejection', (e) => window.__leaks.push(String(e.reason)));
    addEventListener('error', (e) => window.__leaks.push(e.message));
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.enable');
  const misses = [];
  cdp.on('Page.backForwardCacheNotUsed', (e) => misses.push(e.notRestoredExplanations.map((x) => x.reason)));
  return { page, context, problems, misses };
}

const ready = (page) => page.evaluate(() => window.Pathlight.ready.then((pl) => Boolean(pl)));
const views = (page) => page.evaluate(async () => (await window.Pathlight.ready).journey().journey.steps
  .filter((s) => s.kind === 'pageView').map((s) => s.path));

/** Leave for `link`'s page and come back with the browser's Back. */
async function awayAndBack(page, link, url) {
  await page.getByRole('link', { name: link, exact: true }).first().click();
  await page.waitForURL(url);
  assert.equal(await ready(page), true);
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => window.__shows.length === 2, null, { timeout: 10_000 });
}

test('a store page comes back from the back/forward cache with the widget working', async () => {
  const { page, context, problems, misses } = await open();
  await page.goto(`${env.base}/products/?gift=1`);
  assert.equal(await ready(page), true);
  // Left a second in: the 3 s dwell trigger is not due yet.
  await page.waitForTimeout(1000);
  await awayAndBack(page, 'Help', '**/help');
  const shows = await page.evaluate(() => window.__shows);
  assert.deepEqual(shows, [false, true], 'restored from the back/forward cache');
  assert.deepEqual(misses, [], 'Chromium reported no reason not to cache it');
  assert.equal(await page.evaluate(() => JSON.stringify(performance.getEntriesByType('navigation')[0].notRestoredReasons)), 'null');

  // The journey: the page in between (recorded by the other page) and the
  // return as a new page view.
  assert.deepEqual(await views(page), ['/products/', '/help', '/products/']);

  // The dwell trigger, counted while visible, fires after the return.
  const w = widget(page);
  const nudge = w.getByRole('dialog');
  await nudge.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await nudge.textContent(), /Buying a gift\?/);

  // The panel opens and searches; clicks are still recorded.
  await w.locator('[data-action=close]').click();
  await w.getByRole('button', { name: 'Help' }).click();
  await w.getByRole('searchbox', { name: 'Search help' }).fill('gift wrap');
  await w.locator('[data-action=answer][data-id=gift-wrap]').waitFor();
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'Compare lamps';
    document.querySelector('main').prepend(b);
  });
  await page.getByRole('button', { name: 'Compare lamps' }).click();
  const kinds = await page.evaluate(async () => (await window.Pathlight.ready).journey().journey.steps.map((s) => s.kind));
  assert.ok(kinds.lastIndexOf('click') > kinds.lastIndexOf('pageView'), 'a click after the return is recorded');
  assert.deepEqual(await page.evaluate(() => window.__leaks), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('with the built-in chat open the page is still cached, and the chat carries on after the return', async () => {
  const { page, context, problems, misses } = await open();
  await page.goto(`${env.base}/products/`);
  assert.equal(await ready(page), true);
  const w = widget(page);
  await w.getByRole('button', { name: 'Help' }).click();
  await w.getByRole('button', { name: 'Talk to a person' }).click();
  await w.getByLabel('What can we help you with?').fill('Is the arc lamp dimmable?');
  await w.getByRole('button', { name: 'Send to a person' }).click();
  await w.locator('.hstatus .hmain', { hasText: 'in the queue' }).waitFor();
  const [conversation] = await (await fetch(`${env.base}/api/conversations`)).json();
  const reply = (text) => fetch(`${env.base}/api/conversations/${conversation.id}/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: env.base }, body: JSON.stringify({ text }),
  });
  assert.equal((await reply('Hello! Yes, with any dimmer.')).status, 201);
  await w.locator('.thread li.agent', { hasText: 'any dimmer' }).waitFor();

  await awayAndBack(page, 'Help', '**/help');
  assert.deepEqual(await page.evaluate(() => window.__shows), [false, true], 'restored from the back/forward cache');
  assert.deepEqual(misses, [], 'the open chat did not keep the page out of the cache');

  // An agent message sent after the return arrives in the restored page.
  assert.equal((await reply('Anything else?')).status, 201);
  await w.locator('.thread li.agent', { hasText: 'Anything else?' }).waitFor({ timeout: 10_000 });
  assert.equal(await w.locator('.thread li.agent', { hasText: 'any dimmer' }).count(), 1, 'each message once');
  assert.deepEqual(await page.evaluate(() => window.__leaks), []);
  assert.deepEqual(problems, []);
  await context.close();
});
