// The walking skeleton, end to end in the demo: browse, dwell on the targeted
// page, get the nudge with the right answers, talk to a person, and check the
// handoff the demo's webhook (/api/handoffs) received, as the agent inbox
// sees it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, schemaErrors, widget } from './harness.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

test('a dwell on checkout shows the payment answers, and the handoff carries the journey', async () => {
  const { page, context, problems } = await openPage(env.browser);
  // Each page is left only once Pathlight runs on it: nothing can be
  // recorded before the wasm has loaded.
  const started = () => page.evaluate(() => window.Pathlight.ready);
  await page.goto(`${env.base}/`);
  await started();
  await page.getByRole('link', { name: 'Lamps', exact: true }).click();
  await page.waitForURL('**/products/');
  await started();
  await page.getByRole('link', { name: 'View' }).first().click();
  await page.waitForURL('**/products/arc');
  await started();
  await page.getByRole('link', { name: 'Buy now' }).click();
  await page.waitForURL('**/checkout');

  const w = widget(page);
  const nudge = w.getByRole('dialog');
  await assert.doesNotReject(nudge.waitFor({ state: 'visible', timeout: 10_000 }));
  assert.equal(await nudge.getByRole('heading', { level: 2 }).textContent(), 'Need a hand?');
  assert.match(await nudge.textContent(), /Having trouble paying\?/);
  const answers = await nudge.getByRole('listitem').allTextContents();
  assert.deepEqual(answers, ['Why was my card declined?', 'Which payment methods do you accept?', "My promo code doesn't work"]);
  // The nudge is announced politely and did not take focus.
  assert.match(await w.locator('[role=status][aria-live=polite]').textContent(), /Having trouble paying/);
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true);

  await nudge.getByRole('button', { name: 'Why was my card declined?' }).click();
  assert.match(await nudge.textContent(), /billing address or postcode/);
  await nudge.getByRole('group', { name: 'Was this helpful?' }).getByRole('button', { name: 'No' }).click();

  await nudge.getByRole('button', { name: 'Talk to a person' }).click();
  await nudge.getByLabel('What can we help you with?').fill('My card keeps failing');
  await nudge.getByRole('button', { name: 'Send to a person' }).click();
  // The webhook queues it, and the visitor sees where they are in the queue.
  await assert.doesNotReject(nudge.getByText("You're number 1 in the queue.").waitFor());

  // The agent inbox's API has the conversation, with the whole payload.
  const list = await (await fetch(`${env.base}/api/conversations`)).json();
  assert.equal(list.length, 1);
  const p = (await (await fetch(`${env.base}/api/conversations/${list[0].id}`)).json()).payload;
  assert.deepEqual(schemaErrors('handoff', p), []);
  const pages = p.journey.filter((s) => s.kind === 'pageView').map((s) => s.path);
  assert.deepEqual(pages, ['/', '/products/', '/products/arc', '/checkout']);
  assert.deepEqual(p.answers.map((a) => [a.id, a.opened, a.helpful]), [
    ['card-declined', true, false], ['payment-methods', false, undefined], ['promo-code', false, undefined],
  ]);
  assert.equal(p.trigger.id, 'checkout-help');
  assert.equal(p.message, 'My card keeps failing');
  assert.match(p.summary, /Viewed 4 pages .*\/checkout.*Read 'Why was my card declined\?' and rated it not helpful.*Asks: "My card keeps failing"/);
  // The inbox list shows the summary.
  assert.match(list[0].summary, /Viewed 4 pages/);
  assert.equal(list[0].trigger.id, 'checkout-help');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a wrong option is a clear Error, and destroy() leaves the page as it was', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/`);
  const result = await page.evaluate(async () => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    const out = {};
    try {
      await Pathlight.init({ confg: {} });
    } catch (e) {
      out.unknown = [e instanceof Error, e.name, e.message];
    }
    try {
      await Pathlight.init({ config: { version: 1, triggers: [{ id: 'x', when: { dwellSecond: 3 }, message: 'm', answers: [] }] } });
    } catch (e) {
      out.config = e.problems;
    }
    const auto = await window.Pathlight.ready;
    auto.destroy();
    const before = document.body.innerHTML;
    const pl = await Pathlight.init({ config: { version: 1, triggers: [] } });
    out.mounted = document.querySelectorAll('pathlight-widget').length;
    pl.on('error', () => {});
    try {
      pl.track(42);
    } catch (e) {
      out.track = e.message;
    }
    pl.destroy();
    out.restored = document.body.innerHTML === before;
    try {
      pl.track('x');
    } catch (e) {
      out.afterDestroy = e.message;
    }
    return out;
  });
  assert.deepEqual(result.unknown, [true, 'PathlightError', 'Pathlight.init(options): unknown option `confg` (did you mean `config`?)']);
  assert.deepEqual(result.config, [
    { path: '/triggers/0/when/dwellSecond', message: 'unknown condition `dwellSecond`', hint: 'did you mean `dwellSeconds`?' },
  ]);
  assert.equal(result.mounted, 1);
  assert.equal(result.track, 'track(name): expected a string, got a number');
  assert.equal(result.restored, true);
  assert.match(result.afterDestroy, /destroyed/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a handoff handler that throws never reaches the page', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/`);
  const reported = await page.evaluate(async () => {
    const pl = await window.Pathlight.ready;
    const errors = [];
    pl.on('error', (e) => errors.push(e.message));
    pl.on('handoff', () => {
      throw new Error('host bug');
    });
    return errors;
  });
  assert.deepEqual(reported, []);
  await widget(page).getByRole('button', { name: 'Help' }).click();
  await widget(page).getByRole('button', { name: 'Talk to a person' }).click();
  await widget(page).getByRole('button', { name: 'Send to a person' }).click();
  // The webhook still delivered it: the visitor sees the queue, not an apology.
  await widget(page).getByRole('dialog').getByText(/You're number \d+ in the queue/).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
