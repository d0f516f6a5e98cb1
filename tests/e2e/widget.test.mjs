// The widget's interactive parts in real Chromium: search as you type,
// "Was this helpful?", the host API and its events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, widget } from './harness.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

async function ready(page) {
  await page.evaluate(async () => {
    window.pl = await window.Pathlight.ready;
    window.events = [];
    for (const name of ['answer', 'feedback', 'search', 'dismiss']) {
      window.pl.on(name, (v) => window.events.push([name, v]));
    }
  });
}

test('search as you type, no-results message, stale answers marked, Enter records the search', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/`);
  await ready(page);
  const w = widget(page);
  await w.getByRole('button', { name: 'Help' }).click();
  const box = w.getByRole('searchbox', { name: 'Search help' });
  assert.equal(await box.evaluate((el) => el.getRootNode().activeElement === el), true, 'focus is in the search box');
  await box.pressSequentially('card decl');
  await assert.doesNotReject(w.getByRole('button', { name: 'Why was my card declined?' }).waitFor());
  await box.fill('');
  await box.pressSequentially('summer sale');
  await assert.doesNotReject(w.getByText('Possibly out of date').waitFor());
  await box.fill('');
  await box.pressSequentially('xyzzy');
  await assert.doesNotReject(w.getByText('No answers found for “xyzzy”').waitFor());
  await box.press('Enter');
  const steps = await page.evaluate(() => window.pl.journey().journey.steps.map((s) => [s.kind, s.detail ?? '']));
  assert.deepEqual(steps.filter(([k]) => k.startsWith('search')), [['search', 'xyzzy'], ['searchNoResults', 'xyzzy']]);
  assert.deepEqual(await page.evaluate(() => window.events), [['search', { query: 'xyzzy', results: 0 }]]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Was this helpful?" records the rating and tells the host', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/`);
  await ready(page);
  const w = widget(page);
  await page.evaluate(() => window.pl.showAnswer('returns'));
  await assert.doesNotReject(w.getByRole('heading', { name: 'How do I return a lamp?' }).waitFor());
  await w.getByRole('group', { name: 'Was this helpful?' }).getByRole('button', { name: 'No' }).click();
  await assert.doesNotReject(w.getByText('Thanks for your feedback!').waitFor());
  const events = await page.evaluate(() => window.events);
  assert.deepEqual(events, [['answer', { id: 'returns' }], ['feedback', { id: 'returns', helpful: false }]]);
  const feedback = await page.evaluate(() => window.pl.journey().journey.steps.filter((s) => s.kind === 'feedback').map((s) => s.detail));
  assert.deepEqual(feedback, ['returns: unhelpful']);
  let error;
  try {
    await page.evaluate(() => window.pl.showAnswer('nope'));
  } catch (e) {
    error = e.message;
  }
  assert.match(error, /showAnswer\(id\): there is no answer with id `nope`/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('closing a nudge is a dismissal; closing the panel the visitor opened is not', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/checkout`);
  await ready(page);
  const w = widget(page);
  await w.getByRole('dialog').waitFor({ state: 'visible', timeout: 10_000 });
  await w.getByRole('button', { name: 'Close help' }).click();
  assert.deepEqual(await page.evaluate(() => window.events), [['dismiss', { triggerId: 'checkout-help' }]]);
  await page.evaluate(() => window.pl.open());
  await w.getByRole('dialog').waitFor({ state: 'visible' });
  await w.getByRole('button', { name: 'Close help' }).click();
  await page.evaluate(() => window.pl.close());
  assert.equal((await page.evaluate(() => window.events)).length, 1, 'no second dismiss');
  assert.deepEqual(problems, []);
  await context.close();
});
