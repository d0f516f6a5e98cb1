// Hostile hosts and hostile content (issue #6): a page whose CSS and
// JavaScript fight everything (tests/e2e/fixtures/hostile.html), and answer
// bodies written to attack the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  launch, openPage, serveFixtures, startPathlight, demoAnswers, nudgeConfig, widget,
  diffPng, artifacts, widgetClip,
} from './harness.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

async function fixture(name) {
  const { page, context, problems } = await openPage(env.browser);
  await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
  await serveFixtures(context, env.base);
  await page.goto(`${env.base}/fixtures/${name}.html`);
  return { page, context, problems };
}

/** Boxes and type of the widget's parts, rounded to the pixel. */
const layout = (page) =>
  page.evaluate(() => {
    const host = document.querySelector('pathlight-widget');
    const parts = ['.launcher', '.card', 'h2', '#pl-search', '.answers button', '.secondary', '[data-action=close]'];
    const out = { host: [...Object.values(host.getBoundingClientRect().toJSON())].map(Math.round) };
    for (const sel of parts) {
      const e = host.shadowRoot.querySelector(sel);
      const s = getComputedStyle(e);
      out[sel] = {
        box: [...Object.values(e.getBoundingClientRect().toJSON())].map(Math.round),
        font: `${s.fontSize} ${s.fontFamily.split(',')[0]} ${s.fontWeight}`,
        colour: `${s.color} on ${s.backgroundColor}`,
      };
    }
    return out;
  });

test('on a hostile page the widget looks, lays out and works as on a plain page', async () => {
  const seen = {};
  for (const name of ['plain', 'hostile']) {
    const { page, context, problems } = await fixture(name);
    await startPathlight(page, { config: nudgeConfig(), answers: demoAnswers() });
    const w = widget(page);
    await w.locator('.launcher').click();
    await w.locator('.card').waitFor({ state: 'visible' });
    await page.mouse.move(0, 0);
    const clip = await widgetClip(page);
    const looks = { layout: await layout(page), shot: await page.screenshot({ clip, animations: 'disabled', caret: 'hide' }) };

    // The whole flow works: search, read, talk to a person.
    await w.locator('#pl-search').fill('card declined');
    await w.locator('[data-id=card-declined]').click();
    assert.match(await w.locator('.body').textContent(), /billing address or postcode/);
    await w.locator('[data-action=talk]').click();
    await w.locator('#pl-message').fill('Still declined');
    await w.locator('form.view button[type=submit]').click();
    await w.locator('.hstatus .hmain').waitFor({ state: 'visible' });
    const payloads = await page.evaluate(() => window.handoffs);
    assert.equal(payloads.length, 1, name);
    assert.equal(payloads[0].message, 'Still declined');
    // The same payload shape as on the plain page: nothing polluted leaks in.
    const shape = (v) => (Array.isArray(v) ? v.map(shape) : v && typeof v === 'object'
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape(v[k])])) : typeof v);
    seen[name] = { shape: shape(payloads[0].journey.map(({ at, ...step }) => step)), keys: Object.keys(payloads[0]).sort() };

    // A single-page-app navigation through the page's own pushState wrapper.
    await page.evaluate(() => history.pushState({}, '', '/fixtures/next'));
    const views = await page.evaluate(() =>
      window.pl.journey().journey.steps.filter((s) => s.kind === 'pageView').map((s) => s.path));
    assert.deepEqual(views, [`/fixtures/${name}.html`, '/fixtures/next'], `${name}: navigation recorded`);
    if (name === 'hostile') {
      assert.deepEqual(await page.evaluate(() => window.pageNavigations), ['/fixtures/next'], "the page's wrapper ran once");
    }
    Object.assign(seen[name], looks);
    assert.deepEqual(problems, [], name);
    await context.close();
  }
  assert.deepEqual(seen.hostile.keys, seen.plain.keys, 'the handoff has the same fields');
  assert.ok(!seen.hostile.keys.includes('polluted'));
  assert.deepEqual(seen.hostile.layout, seen.plain.layout, 'the same boxes, fonts and colours');
  const d = await diffPng(seen.plain.shot, seen.hostile.shot);
  if (d.ratio > 0) {
    mkdirSync(new URL('hostile/', artifacts), { recursive: true });
    writeFileSync(new URL('hostile/plain.png', artifacts), seen.plain.shot);
    writeFileSync(new URL('hostile/hostile.png', artifacts), seen.hostile.shot);
    if (d.diff) writeFileSync(new URL('hostile/diff.png', artifacts), d.diff);
  }
  assert.ok(d.sameSize && d.ratio <= 0.005, `the widget looks the same (${(d.ratio * 100).toFixed(2)}% of pixels differ)`);
});

test('malicious answer bodies: nothing executes, no unsafe link, nothing hangs', async () => {
  const { page, context, problems } = await fixture('plain');
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.evaluate(() => {
    window.ranLog = [];
    window.ran = (what) => window.ranLog.push(what);
  });
  const deep = Array.from({ length: 120 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
  const answers = {
    version: 1,
    answers: [
      {
        id: 'tags', title: '<img src=x onerror="ran(\'title\')">Tags',
        body: '<script>ran("script")</script>\n\n<img src=x onerror="ran(\'img\')"> <svg onload="ran(\'svg\')"></svg>\n\n'
          + '<iframe src="javascript:ran(\'iframe\')"></iframe> <a href="javascript:ran(\'raw\')">raw link</a>\n\n'
          + '```\n<script>ran("code")</script>\n```',
      },
      {
        id: 'links', title: 'Links',
        body: '[js](javascript:ran("js")) [JS](JAVASCRIPT:ran("JS")) [spaced]( javascript:ran("spaced")) '
          + '[entity](jav&#x61;script:ran("entity")) [tab](java\tscript:ran("tab")) [nl](java\nscript:ran("nl"))\n\n'
          + '[data](data:text/html,<script>parent.ran("data")</script>) [vb](vbscript:msgbox(1)) [file](file:///etc/passwd) '
          + '[proto](//evil.example/x) [ok](https://help.example/ok) <javascript:ran("auto")>',
      },
      { id: 'deep', title: 'Deep', body: deep },
      { id: 'brackets', title: 'Brackets', body: '['.repeat(6000) + '*_`'.repeat(4000) + ']('.repeat(1000) },
      { id: 'max', title: 'Max', body: `${'lamp **bold** _em_ [l](https://help.example/a) `c` '.repeat(400)}`.slice(0, 20_000) },
    ],
  };
  await startPathlight(page, { config: { version: 1, triggers: [] }, answers });
  const shown = await page.evaluate(async (ids) => {
    const out = {};
    const root = document.querySelector('pathlight-widget').shadowRoot;
    for (const id of ids) {
      const t = performance.now();
      window.pl.showAnswer(id);
      // Wait for a rendered frame, so layout of the body is included.
      await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
      const ms = performance.now() - t;
      const hrefs = [...root.querySelectorAll('[href], [src]')].filter((e) => e.offsetParent !== null || e.closest('.body'))
        .map((e) => e.getAttribute('href') ?? e.getAttribute('src'));
      out[id] = {
        ms, hrefs, text: root.querySelector('.body').textContent.length,
        elements: [...new Set([...root.querySelectorAll('.body *')].map((e) => e.localName))].sort(),
      };
    }
    return out;
  }, answers.answers.map((a) => a.id));
  await page.evaluate(() => new Promise((ok) => setTimeout(ok, 100)));
  assert.deepEqual(await page.evaluate(() => window.ranLog), [], 'no script ran');
  assert.deepEqual(dialogs, []);
  for (const [id, r] of Object.entries(shown)) {
    assert.ok(r.ms < 2000, `${id} rendered in ${r.ms.toFixed(0)} ms`);
    assert.ok(r.text > 0, `${id} shows its text`);
    for (const h of r.hrefs) assert.match(h, /^(https:\/\/help\.example\/|\/)/, `${id}: only safe links (${h})`);
    const unsafe = r.elements.filter((e) => !['p', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'br'].includes(e));
    assert.deepEqual(unsafe, [], `${id}: only the safe markdown elements`);
  }
  assert.deepEqual(shown.links.hrefs, ['https://help.example/ok']);
  assert.ok(shown.deep.elements.includes('ul'));
  // The markup is shown as the text it is.
  await page.evaluate(() => window.pl.showAnswer('tags'));
  assert.match(await widget(page).locator('.body').textContent(), /<script>ran\("script"\)<\/script>/);
  assert.equal(await widget(page).locator('h3[tabindex="-1"]').textContent(), '<img src=x onerror="ran(\'title\')">Tags');

  // A 1 MB body is refused at once with its path, and the page stays responsive.
  const huge = await page.evaluate(async () => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    const t = performance.now();
    let error;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      await Pathlight.init({ config: { version: 1, triggers: [] }, answers: { version: 1, answers: [{ id: 'huge', title: 'Huge', body: '<script>ran("huge")</script>'.repeat(36_000) }] } });
    } catch (e) {
      error = e.problems ?? e.message;
    }
    const ms = performance.now() - t;
    await new Promise((ok) => setTimeout(ok, 30));
    clearInterval(timer);
    return { error, ms, ticks };
  });
  assert.deepEqual(huge.error, [{ path: '/answers/0/body', message: 'is too long: at most 20000 characters' }]);
  assert.ok(huge.ms < 2000, `refused in ${huge.ms.toFixed(0)} ms`);
  assert.ok(huge.ticks > 0, 'the page kept running');
  assert.deepEqual(await page.evaluate(() => window.ranLog), []);
  assert.deepEqual(problems, []);
  await context.close();
});
