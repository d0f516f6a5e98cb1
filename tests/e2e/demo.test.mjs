// The whole promise in the demo, with two browser contexts: a visitor who
// fails the checkout, gets the payment answer, rates it, asks for a person
// and chats; an agent who sees the conversation arrive live in the inbox
// with the journey, and answers. Then the analytics page, and a restart of
// the reference server that keeps every conversation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, openPage, schemaErrors, widget, artifacts } from './harness.mjs';
import { startServer, freshDb } from './server.mjs';

const db = freshDb();
let server;
let browser;
before(async () => {
  server = await startServer({ db });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(artifacts, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Kept as test artefacts; UPDATE_SCREENSHOTS=1 also refreshes the README's.
const shot = async (page, name, options = {}) => {
  await page.screenshot({ path: new URL(`demo-${name}.png`, artifacts).pathname, ...options });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await page.screenshot({ path: new URL(`../../docs/img/demo-${name}.png`, import.meta.url).pathname, ...options });
  }
};

const started = (page) => page.evaluate(() => window.Pathlight.ready.then((pl) => !!pl));

async function fillCheckout(page, card) {
  await page.fill('#email', 'sam@example.com');
  await page.fill('#fullname', 'Sam Rivera');
  await page.fill('#address', '12 Market St');
  await page.fill('#city', 'San Francisco');
  await page.fill('#postcode', '94107');
  await page.fill('#card', card);
  await page.fill('#expiry', '12/30');
  await page.fill('#cvc', '123');
  await page.click('#pay');
}

let conversationId;

test('a failed checkout gets the payment answer, the handoff reaches the agent, and they chat both ways', async () => {
  const visitor = await openPage(browser);
  const agent = await openPage(browser);
  const { page } = visitor;
  const inbox = agent.page;

  // The agent's inbox is open before the visitor asks.
  await inbox.goto(`${server.base}/agent/`);
  await inbox.locator('#live').filter({ hasText: /live/i }).waitFor({ timeout: 10_000 });

  // The visitor browses to a lamp, puts it in the cart and goes to checkout.
  await page.goto(`${server.base}/products/arc`);
  assert.ok(await started(page));
  await page.getByRole('button', { name: /add to cart/i }).first().click();
  await page.goto(`${server.base}/checkout`);
  assert.ok(await started(page));

  // Two failures: a mistyped card (the Luhn check), then a declined one.
  await fillCheckout(page, '4242 4242 4242 4241');
  await page.locator('#card[aria-invalid="true"]').waitFor();
  await fillCheckout(page, '4000 0000 0000 0002');
  await page.getByText('Your card was declined', { exact: false }).first().waitFor();

  // The payment answer arrives by itself.
  const w = widget(page);
  const nudge = w.getByRole('dialog');
  await nudge.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await nudge.textContent(), /turned down twice/);
  await shot(page, 'store-nudge');
  await nudge.getByRole('button', { name: 'Why was my card declined?' }).click();
  await w.getByRole('heading', { name: 'Why was my card declined?' }).waitFor();
  await w.getByRole('button', { name: 'No', exact: true }).click();

  // Ask for a person, in the visitor's words.
  await w.getByRole('button', { name: 'Talk to a person' }).click();
  await w.getByRole('textbox', { name: 'What can we help you with?' }).fill('My Visa keeps getting declined, can you check?');
  await w.getByRole('button', { name: 'Send to a person' }).click();
  await w.locator('.hstatus').getByText(/number \d+ in the queue/).waitFor({ timeout: 15_000 });

  // The agent sees it arrive, without reloading.
  const item = inbox.locator('#conversations li[data-id]').first();
  await item.waitFor({ timeout: 15_000 });
  conversationId = await item.getAttribute('data-id');
  await item.locator('a').first().click();
  await inbox.locator('#summary').filter({ hasText: 'payment-errors' }).waitFor({ timeout: 10_000 });
  await inbox.locator('#timeline > li').first().waitFor();
  const summary = await inbox.locator('#summary').textContent();
  assert.match(summary, /2 form errors/);
  assert.match(summary, /Read 'Why was my card declined\?' and rated it not helpful/);
  assert.match(summary, /Came from trigger 'payment-errors'/);
  assert.match(summary, /My Visa keeps getting declined/);
  // The journey, in order: the lamp, the checkout, the two errors.
  const kinds = await inbox.locator('#timeline > li').evaluateAll((lis) =>
    lis.map((li) => `${li.dataset.kind}: ${li.textContent.replace(/\s+/g, ' ').trim()}`));
  const at = (re) => kinds.findIndex((k) => re.test(k));
  const lamp = at(/^page_?view.*\/products\/arc/i);
  const checkout = at(/^page_?view.*\/checkout/i);
  const firstError = at(/^form_?error/i);
  assert.ok(lamp >= 0 && checkout > lamp && firstError > checkout, kinds.join('\n'));
  assert.equal(kinds.filter((k) => /^form_?error/i.test(k)).length, 2, kinds.join('\n'));
  assert.equal(await inbox.locator('#answers li[data-answer="card-declined"]').getAttribute('data-state'), 'unhelpful');
  assert.match(await inbox.locator('#contact').textContent(), /chat/i);

  // The stored payload is the schema's.
  const detail = await (await fetch(`${server.base}/api/conversations/${conversationId}`)).json();
  assert.deepEqual(schemaErrors('handoff', detail.payload), []);

  // The agent answers; the visitor reads it in the widget.
  await inbox.fill('#reply', 'Hi Sam, I can see the decline. Could you try the card once more?');
  await inbox.click('#send');
  const reply = w.locator('.thread li.agent').last();
  await reply.waitFor({ timeout: 10_000 });
  assert.match(await reply.textContent(), /I can see the decline/);

  // The visitor answers back; the agent sees it live.
  await w.getByRole('textbox', { name: 'Write a message' }).fill('Sure, trying now.');
  await w.getByRole('textbox', { name: 'Write a message' }).press('Enter');
  await inbox.locator('#thread li[data-from="visitor"]', { hasText: 'Sure, trying now.' }).waitFor({ timeout: 10_000 });
  await w.locator('.thread li.visitor', { hasText: 'Sure, trying now.' }).waitFor();
  await shot(inbox, 'agent-inbox', { fullPage: true });

  // Visitor text is text: a hostile message shows as typed in the inbox.
  await w.getByRole('textbox', { name: 'Write a message' }).fill('<img src=x onerror="window.owned=1">');
  await w.getByRole('button', { name: 'Send', exact: true }).click();
  await inbox.locator('#thread li[data-from="visitor"]', { hasText: '<img src=x' }).waitFor({ timeout: 10_000 });
  assert.equal(await inbox.evaluate(() => window.owned), undefined);
  assert.equal(await inbox.locator('#thread img').count(), 0);

  // A reply sent while the visitor is on another page waits for them there.
  await page.goto(`${server.base}/help`);
  assert.ok(await started(page));
  await inbox.fill('#reply', 'Thanks, it went through on our side.');
  await inbox.click('#send');
  await w.locator('.thread li.agent', { hasText: 'it went through' }).waitFor({ timeout: 10_000 });
  assert.equal(await w.getByRole('dialog').isVisible(), true, 'the reply opens the chat');

  assert.deepEqual(visitor.problems, []);
  assert.deepEqual(agent.problems, []);
  await visitor.context.close();
  await agent.context.close();
});

test('analytics show the funnel, the trigger and the searches with no results', async () => {
  const { page, context, problems } = await openPage(browser);
  // A search that finds nothing, from the help page's own box.
  await page.goto(`${server.base}/help`);
  assert.ok(await started(page));
  const events = [];
  await page.exposeFunction('seen', (e) => events.push(e));
  await page.evaluate(() => window.Pathlight.ready.then((pl) => pl.on('analytics', (e) => window.seen(e))));
  await page.evaluate(() => window.Pathlight.ready.then((pl) => pl.search('zzqx warp drive')));
  const searches = events.filter((e) => /Search/.test(e.event));
  assert.deepEqual(searches.map((e) => e.event), ['Help Searched', 'Search No Results']);
  assert.equal(searches[1].properties.query, 'zzqx warp drive');
  assert.equal(searches[0].properties.results, 0);
  // Leaving the page beacons what waits (the batch is not full yet).
  await page.goto(`${server.base}/analytics/`);
  await page.waitForFunction(async () => {
    const s = await (await fetch('/api/analytics/summary?days=30')).json();
    return s.noResults.some((q) => q.query === 'zzqx warp drive');
  }, null, { timeout: 15_000, polling: 500 });
  await page.reload();
  const step = (name) => page.locator(`#funnel [data-step="${name}"]`);
  await step('Nudge shown').waitFor({ timeout: 10_000 });
  assert.ok(Number(await step('Nudge shown').getAttribute('data-count')) >= 1);
  assert.ok(Number(await step('Handoff').getAttribute('data-count')) >= 1);
  await page.locator('#triggers [data-trigger="payment-errors"]').waitFor();
  await page.locator('#no-results li[data-query="zzqx warp drive"]').waitFor();
  await shot(page, 'analytics', { fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a restarted server keeps the conversations and their messages', async () => {
  assert.ok(conversationId, 'the first test made a conversation');
  await server.stop();
  server = await startServer({ db });
  const detail = await (await fetch(`${server.base}/api/conversations/${conversationId}`)).json();
  const texts = detail.messages.map((m) => `${m.from}: ${m.text}`);
  assert.deepEqual(texts.slice(0, 2), [
    'agent: Hi Sam, I can see the decline. Could you try the card once more?',
    'visitor: Sure, trying now.',
  ]);
  const { page, context, problems } = await openPage(browser);
  await page.goto(`${server.base}/agent/#c=${conversationId}`);
  await page.locator('#summary').filter({ hasText: 'payment-errors' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(problems, []);
  await context.close();
});
