// Screenshots of every state of the widget in English, in Hebrew (right to
// left, on a right-to-left page) and on a phone, compared with the committed
// references in tests/e2e/screenshots/ (issue #6).
//
// A missing reference is written and the test passes with a notice; so does
// every reference with UPDATE_SCREENSHOTS=1. Each run's images (and a diff
// for each mismatch) go to target/e2e-artifacts/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  launch, openPage, serveFixtures, startPathlight, demoAnswers, nudgeConfig, walkStates, diffPng, artifacts, widgetClip,
} from './harness.mjs';

/** At most this share of pixels may differ (pixelmatch threshold 0.1). */
const TOLERANCE = 0.005;
const references = new URL('./screenshots/', import.meta.url);
const out = new URL('screenshots/', artifacts);
const update = process.env.UPDATE_SCREENSHOTS === '1';

let env;
before(async () => {
  env = await launch();
  mkdirSync(out, { recursive: true });
  mkdirSync(references, { recursive: true });
});
after(async () => {
  await env?.close();
});

const variants = [
  { name: 'en', viewport: { width: 1024, height: 720 } },
  { name: 'he-rtl', viewport: { width: 1024, height: 720 }, locale: 'he' },
  { name: 'en-phone', viewport: { width: 375, height: 667 } },
];

for (const v of variants) {
  test(`screenshots of every state: ${v.name}`, async (t) => {
    const { page, context, problems } = await openPage(env.browser);
    await page.setViewportSize(v.viewport);
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
    await serveFixtures(context, env.base);
    await page.goto(`${env.base}/fixtures/plain.html`);
    if (v.locale === 'he') await page.evaluate(() => Object.assign(document.documentElement, { dir: 'rtl', lang: 'he' }));
    await startPathlight(page, { config: nudgeConfig(), answers: demoAnswers(), ...(v.locale ? { locale: v.locale } : {}) });
    const failures = [];
    await walkStates(page, async (state) => {
      await page.mouse.move(0, 0); // no hover styles
      const clip = await widgetClip(page);
      const shot = await page.screenshot({ clip, animations: 'disabled', caret: 'hide' });
      const file = `${v.name}-${state}.png`;
      writeFileSync(new URL(file, out), shot);
      const reference = new URL(file, references);
      if (update || !existsSync(reference)) {
        writeFileSync(reference, shot);
        t.diagnostic(`wrote reference tests/e2e/screenshots/${file}`);
        return;
      }
      const d = await diffPng(readFileSync(reference), shot);
      if (!d.sameSize) {
        failures.push(`${file}: size ${d.size[1]}, reference ${d.size[0]}`);
      } else if (d.ratio > TOLERANCE) {
        writeFileSync(new URL(file.replace('.png', '.diff.png'), out), d.diff);
        failures.push(`${file}: ${(d.ratio * 100).toFixed(2)}% of pixels differ`);
      }
    });
    assert.deepEqual(failures, [], 'see target/e2e-artifacts/screenshots/ (UPDATE_SCREENSHOTS=1 to accept)');
    assert.deepEqual(problems, []);
    await context.close();
  });
}
