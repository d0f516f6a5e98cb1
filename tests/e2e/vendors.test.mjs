// Each chat-vendor adapter against a recording fake of that vendor's
// documented browser API (tests/e2e/vendors/fakes.js): the context goes in
// through the documented calls, within the documented limits, and the
// conversation opens; when the vendor is absent, never loads or throws, the
// visitor gets the apology and the alternative channel, and the host an
// error event naming the vendor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, widget, serveFixtures, demoAnswers, schemaErrors } from './harness.mjs';
import { expectations, checkRecorded, PAYLOAD } from './vendors/contract.mjs';

const fakes = new URL('./vendors/fakes.js', import.meta.url).pathname;

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

/** A fixture page with `vendor`'s fake in `mode` (none for 'absent'), Pathlight set to hand off through it. */
async function handOff(vendor, mode) {
  const opened = await openPage(env.browser);
  const { page } = opened;
  await serveFixtures(page.context(), env.base);
  await page.addInitScript({ path: fakes });
  if (mode !== 'absent') await page.addInitScript(([v, m]) => window.installFakeVendor(v, { mode: m }), [vendor, mode]);
  await page.goto(`${env.base}/fixtures/plain.html`);
  await page.evaluate(async ({ vendor, answers, contact }) => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    const config = {
      version: 1,
      triggers: [],
      handoff: { adapter: vendor, adapterTimeoutSeconds: 1, fallback: { email: 'help@shop.example' } },
    };
    window.pl = await Pathlight.init({ config, answers });
    window.events = [];
    window.payloads = [];
    window.pl.on('handoff', (p) => { window.payloads.push(p); });
    for (const name of ['delivery', 'error']) window.pl.on(name, (v) => window.events.push([name, name === 'error' ? v.message : v.status]));
    window.pl.identify({ name: contact.name, email: contact.email });
    window.pl.track('checkout-failed');
  }, { vendor, answers: demoAnswers(), contact: PAYLOAD.contact });
  const w = widget(page);
  await w.getByRole('button', { name: 'Help' }).click();
  await w.getByRole('button', { name: 'Talk to a person' }).click();
  await w.getByLabel('What can we help you with?').fill(PAYLOAD.message);
  await w.getByRole('button', { name: 'Send to a person' }).click();
  return opened;
}

for (const vendor of Object.keys(expectations)) {
  test(`${vendor}: the context goes through the documented calls within their limits, and the chat opens`, async () => {
    for (const mode of ['ready', 'slow']) {
      const { page, context, problems } = await handOff(vendor, mode);
      const w = widget(page);
      await assert.doesNotReject(w.locator('.hstatus').getByText('Your conversation is open in our chat', { exact: false }).waitFor());
      const calls = await page.evaluate(() => window.__vendorCalls);
      assert.deepEqual(await page.evaluate(() => window.__vendorViolations), [], `${mode}: no misuse`);
      assert.deepEqual(checkRecorded(vendor, calls), [], `${mode}: the contract holds`);
      assert.deepEqual(await page.evaluate(() => window.events), [['delivery', 'sending'], ['delivery', 'opened']]);
      const payloads = await page.evaluate(() => window.payloads);
      assert.equal(payloads.length, 1);
      assert.deepEqual(schemaErrors('handoff', payloads[0]), []);
      assert.deepEqual(problems, []);
      await context.close();
    }
  });

  test(`${vendor}: absent, never ready or throwing → apology, the alternative channel, and an error event`, async () => {
    for (const [mode, why] of [['absent', /is not on this page|missing/], ['never', /did not|never|timed out|not ready/i], ['throws', /threw|failed/]]) {
      const { page, context } = await handOff(vendor, mode);
      const w = widget(page);
      await assert.doesNotReject(w.locator('.hstatus').getByText("Sorry, we couldn't reach a person just now.", { exact: false }).waitFor());
      assert.equal(await w.getByRole('link', { name: 'help@shop.example' }).getAttribute('href'), 'mailto:help@shop.example');
      const errors = await page.evaluate(() => window.events.filter(([n]) => n === 'error').map(([, m]) => m));
      assert.equal(errors.length, 1, `${mode}: one error`);
      assert.match(errors[0], why, `${mode}: ${errors[0]}`);
      await context.close();
    }
  });
}
