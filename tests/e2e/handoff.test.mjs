// The handoff in real Chromium: the form asks only what is not known, the
// host's promise decides what the visitor sees, and the webhook delivers
// every handoff exactly once through drops, 500s, 429s, offline spells and
// a tab closed mid-send, or reports it failed with a reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, widget, serveFixtures, demoAnswers, schemaErrors,
} from './harness.mjs';
import { startWebhook } from './webhook-server.mjs';

let env;
let hook;
before(async () => {
  env = await launch();
  hook = await startWebhook();
});
after(async () => {
  await hook?.close();
  await env?.close();
});

const config = (handoff) => ({
  version: 1,
  triggers: [],
  handoff: { fallback: { email: 'help@shop.example', phone: '+1 555 0100' }, ...handoff },
});

/** A plain page running Pathlight with `handoff` config; events in window.events. */
async function start(page, handoff, extra = {}) {
  await serveFixtures(page.context(), env.base);
  // Fixture pages are answered by the test (no address), so Chromium counts
  // them as public and asks before they reach the loopback webhook; a real
  // site posting to a public webhook is never asked.
  await page.context().grantPermissions(['local-network-access']);
  await page.goto(`${env.base}/fixtures/plain.html`);
  await page.evaluate(async ({ config, answers, extra }) => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    window.pl = await Pathlight.init({ config, answers, ...extra });
    window.events = [];
    window.payloads = [];
    for (const name of ['delivery', 'error']) {
      window.pl.on(name, (v) => window.events.push([name, name === 'error' ? v.message : v]));
    }
  }, { config: config(handoff), answers: demoAnswers(), extra });
}

/** Open the panel, ask for a person with `message`, and send. */
async function ask(page, message, fill = {}) {
  const w = widget(page);
  await w.getByRole('button', { name: 'Help' }).click();
  await w.getByRole('button', { name: 'Talk to a person' }).click();
  if (fill.channel) await w.getByRole('radio', { name: fill.channel }).check();
  if (fill.email) await w.getByLabel('Email', { exact: true }).fill(fill.email);
  await w.getByLabel('What can we help you with?').fill(message);
  await w.getByRole('button', { name: 'Send to a person' }).click();
}

const statuses = (page) => page.evaluate(() => window.events.filter(([n]) => n === 'delivery').map(([, v]) => v.status));
const errors = (page) => page.evaluate(() => window.events.filter(([n]) => n === 'error').map(([, m]) => m));

test('webhook: delivered once with its idempotency key; the visitor sees the queue position', async () => {
  hook.reset();
  const { page, context, problems } = await openPage(env.browser);
  await start(page, { webhook: { url: hook.url } });
  await ask(page, 'My lamp flickers, card 4111 1111 1111 1111');
  const w = widget(page);
  await assert.doesNotReject(w.locator('.hstatus').getByText("You're number 2 in the queue.").waitFor());
  await assert.doesNotReject(w.locator('.hstatus').getByText('Expected wait: about 4 min.').waitFor());
  assert.equal(hook.conversations.size, 1);
  const [[key, payload]] = [...hook.conversations];
  assert.equal(key, payload.id);
  assert.deepEqual(schemaErrors('handoff', payload), []);
  assert.doesNotMatch(JSON.stringify(payload), /4111/, 'the card number was redacted');
  assert.equal(payload.contact.channel, 'chat');
  assert.deepEqual(await statuses(page), ['sending', 'queued']);
  assert.equal(await page.evaluate(() => localStorage.getItem('pathlight:outbox')), null, 'nothing left to send');
  // Keep reading while waiting: the status stays in view.
  await w.getByRole('button', { name: 'Keep reading answers' }).click();
  await assert.doesNotReject(w.getByRole('searchbox', { name: 'Search help' }).waitFor());
  await assert.doesNotReject(w.locator('.hstatus').getByText("You're number 2 in the queue.").waitFor());
  assert.deepEqual(problems, []);
  await context.close();
});

test('webhook: a drop, a 500 and a 429 with Retry-After still make exactly one conversation', async () => {
  hook.reset();
  hook.script('drop', { status: 500 }, { status: 429, retryAfter: 1 });
  const { page, context, problems } = await openPage(env.browser);
  await start(page, { webhook: { url: hook.url, timeoutSeconds: 3 } });
  await ask(page, 'Where is my order?');
  await assert.doesNotReject(widget(page).locator('.hstatus').getByText("You're number 2 in the queue.").waitFor({ timeout: 20_000 }));
  assert.equal(hook.attempts.length, 4);
  assert.equal(new Set(hook.attempts.map((a) => a.key)).size, 1, 'one key for every attempt');
  assert.equal(hook.conversations.size, 1);
  const seen = await statuses(page);
  assert.equal(seen[0], 'sending');
  assert.ok(seen.includes('retrying'));
  assert.equal(seen.at(-1), 'queued');
  // The browser logs each failed request itself (a dropped connection shows
  // up as a refused one); Pathlight logs nothing.
  assert.deepEqual(problems.filter((p) => !/Failed to load resource|\/hook/.test(p)), []);
  await context.close();
});

test('webhook: offline for a while, delivered when back online', async () => {
  hook.reset();
  const { page, context } = await openPage(env.browser);
  await start(page, { webhook: { url: hook.url, timeoutSeconds: 2 } });
  await context.setOffline(true);
  await ask(page, 'Offline question');
  await page.waitForFunction(() => window.events.some(([n, v]) => n === 'delivery' && v.status === 'retrying'));
  assert.match(await page.evaluate(() => localStorage.getItem('pathlight:outbox')), /Offline question/, 'kept in the outbox');
  assert.equal(hook.conversations.size, 0);
  await context.setOffline(false);
  await page.waitForFunction(() => window.events.some(([n, v]) => n === 'delivery' && v.status === 'queued'), null, { timeout: 20_000 });
  assert.equal(hook.conversations.size, 1);
  await context.close();
});

test('webhook: a tab closed mid-send is beaconed, resent on the next load, and still one conversation', async () => {
  hook.reset();
  hook.script({ delay: 4000 });
  const { page, context } = await openPage(env.browser);
  // Count the beacons Pathlight queues (the browser may deliver them after
  // the next page's fetch, or, for a loopback address from a route-served
  // page, not at all), in sessionStorage so the count survives the reload.
  await page.addInitScript(() => {
    const send = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url, data) => {
      const queued = send(url, data);
      sessionStorage.setItem('beacons', `${sessionStorage.getItem('beacons') ?? ''}${queued ? 'q' : 'r'}:${url} `);
      return queued;
    };
  });
  await start(page, { webhook: { url: hook.url, timeoutSeconds: 2 } });
  await ask(page, 'Closing the tab now');
  await page.waitForFunction(() => (localStorage.getItem('pathlight:outbox') ?? '').includes('inFlight'));
  const key = hook.attempts[0]?.key ?? (await page.evaluate(() => JSON.parse(localStorage.getItem('pathlight:outbox')).entries[0].key));
  await page.goto(`${env.base}/fixtures/plain.html`); // pagehide: the beacon goes
  await start(page, { webhook: { url: hook.url, timeoutSeconds: 2 } });
  await page.waitForFunction(() => localStorage.getItem('pathlight:outbox') === null, null, { timeout: 20_000 });
  const beacons = await page.evaluate(() => sessionStorage.getItem('beacons') ?? '');
  assert.match(beacons, new RegExp(`idempotency_key=${key}`), `pagehide beaconed the payload in flight (${beacons})`);
  assert.ok(hook.attempts.every((a) => a.key === key));
  assert.equal(hook.conversations.size, 1, 'one conversation, however many deliveries');
  await context.close();
});

test('webhook: failing for good shows an apology and the alternative channels; the payload stays', async () => {
  hook.reset();
  hook.script({ status: 503 }, { status: 503 });
  const { page, context } = await openPage(env.browser);
  await start(page, { webhook: { url: hook.url, maxAttempts: 2 } });
  await ask(page, 'Nobody home?');
  const w = widget(page);
  await assert.doesNotReject(w.locator('.hstatus').getByText("Sorry, we couldn't reach a person just now.", { exact: false }).waitFor({ timeout: 15_000 }));
  assert.equal(await w.getByRole('link', { name: 'help@shop.example' }).getAttribute('href'), 'mailto:help@shop.example');
  assert.equal(await w.getByRole('link', { name: '+1 555 0100' }).getAttribute('href'), 'tel:+15550100');
  const errs = await errors(page);
  assert.equal(errs.length, 1);
  assert.match(errs[0], /the webhook did not take handoff .*503.*stays in the outbox/);
  const pending = await page.evaluate(() => window.pl.pendingHandoffs());
  assert.equal(pending.length, 1);
  assert.equal(pending[0].state, 'failed');
  assert.equal(hook.conversations.size, 0);
  await context.close();
});

test('callback: the promise the handler returns drives what the visitor sees', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await start(page, {});
  await page.evaluate(() => {
    window.replies = [
      () => Promise.resolve({ status: 'queued', position: 3, waitSeconds: 300 }),
      () => new Promise((ok) => setTimeout(() => ok({ status: 'rejected', reason: 'We are closed on Sundays' }), 50)),
      () => Promise.reject(new Error('inbox down')),
    ];
    window.pl.on('handoff', (p) => {
      window.payloads.push(p);
      return window.replies.shift()();
    });
  });
  const w = widget(page);
  await ask(page, 'First');
  await assert.doesNotReject(w.locator('.hstatus').getByText("You're number 3 in the queue.").waitFor());
  await w.getByRole('button', { name: 'Close help' }).click();
  await ask(page, 'Second');
  await assert.doesNotReject(w.locator('.hstatus').getByText("We couldn't take your request: We are closed on Sundays").waitFor());
  await w.getByRole('button', { name: 'Close help' }).click();
  await ask(page, 'Third');
  await assert.doesNotReject(w.locator('.hstatus').getByText("Sorry, we couldn't reach a person just now.", { exact: false }).waitFor());
  const errs = await errors(page);
  assert.equal(errs.length, 1);
  assert.match(errs[0], /promise rejected: inbox down/);
  const payloads = await page.evaluate(() => window.payloads);
  assert.deepEqual(payloads.map((p) => p.message), ['First', 'Second', 'Third']);
  for (const p of payloads) assert.deepEqual(schemaErrors('handoff', p), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the form asks only what is unknown, offers the enabled channels, and honours the choice', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await start(page, { channels: ['chat', 'email', 'callback'] });
  await page.evaluate(() => window.pl.on('handoff', (p) => { window.payloads.push(p); }));
  const w = widget(page);
  await w.getByRole('button', { name: 'Help' }).click();
  await w.getByRole('button', { name: 'Talk to a person' }).click();
  const group = w.getByRole('radiogroup', { name: 'How should we reach you?' });
  assert.equal(await group.getByRole('radio').count(), 3);
  assert.equal(await w.getByLabel('Email', { exact: true }).isVisible(), false, 'chat needs no address');
  await w.getByRole('radio', { name: 'Email me' }).check();
  await w.getByLabel('What can we help you with?').fill('Please email me');
  await w.getByRole('button', { name: 'Send to a person' }).click();
  // The email is required for the email channel: nothing was sent.
  assert.equal(await page.evaluate(() => window.payloads.length), 0);
  await w.getByLabel('Email', { exact: true }).fill('ada@example.com');
  await w.getByRole('button', { name: 'Send to a person' }).click();
  await page.waitForFunction(() => window.payloads.length === 1);
  let p = (await page.evaluate(() => window.payloads))[0];
  assert.deepEqual(p.contact, { channel: 'email', email: 'ada@example.com' });
  // An identified visitor is not asked for what identify() told.
  await page.evaluate(() => window.pl.identify({ email: 'grace@example.com', name: 'Grace' }));
  await w.getByRole('button', { name: 'Close help' }).click();
  await w.getByRole('button', { name: 'Help' }).click();
  await w.getByRole('button', { name: 'Talk to a person' }).click();
  await w.getByRole('radio', { name: 'Email me' }).check();
  assert.equal(await w.getByLabel('Email', { exact: true }).isVisible(), false, 'the email is known');
  await w.getByLabel('What can we help you with?').fill('Again');
  await w.getByRole('button', { name: 'Send to a person' }).click();
  await page.waitForFunction(() => window.payloads.length === 2);
  p = (await page.evaluate(() => window.payloads))[1];
  assert.equal(p.contact.channel, 'email');
  assert.equal(p.contact.email, 'grace@example.com');
  for (const payload of await page.evaluate(() => window.payloads)) assert.deepEqual(schemaErrors('handoff', payload), []);
  // The host API: a disabled channel is a clear error, not a silent switch.
  const bad = await page.evaluate(() => {
    try {
      window.pl.handoff({ message: 'x', channel: 'sms' });
      return null;
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  });
  assert.equal(bad, "PathlightError: Pathlight.handoff(details.channel): channel 'sms' is not enabled in handoff.channels; enabled: chat, email, callback");
  assert.deepEqual(problems, []);
  await context.close();
});
