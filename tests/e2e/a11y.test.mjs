// Accessibility of the widget in real Chromium (issue #6): axe over every
// state, a keyboard-only run through the whole flow, the nudge's polite
// announcement, the phone layout, focus never hidden under the widget,
// target sizes, reduced motion and the dark palette.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, openPage, serveFixtures, startPathlight, demoAnswers, nudgeConfig, walkStates, axeViolations, widget,
} from './harness.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

const PHONE = { width: 375, height: 667 };

/** A fresh page on the plain fixture with Pathlight started. */
async function plainPage({ viewport, colorScheme = 'light', reducedMotion = 'reduce', config = nudgeConfig(), locale } = {}) {
  const { page, context, problems } = await openPage(env.browser);
  if (viewport) await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme, reducedMotion });
  await serveFixtures(context, env.base);
  await page.goto(`${env.base}/fixtures/plain.html`);
  if (locale === 'he') await page.evaluate(() => Object.assign(document.documentElement, { dir: 'rtl', lang: 'he' }));
  await startPathlight(page, { config, answers: demoAnswers(), ...(locale ? { locale } : {}) });
  return { page, context, problems };
}

/** What has focus: the page element, or inside the widget `widget:<tag>.<class> <text>`. */
const focused = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (a?.localName !== 'pathlight-widget') return a ? `${a.localName}#${a.id}` : null;
    const e = a.shadowRoot.activeElement;
    return e ? `widget:${e.localName}${e.className ? `.${e.className.split(' ')[0]}` : ''} ${e.textContent.trim()}`.trim() : 'widget:?';
  });

/** Press Tab (or Shift+Tab) until `want(focused)` holds; at most `max` presses. */
async function tabUntil(page, want, { shift = false, max = 15 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (want(now)) return now;
  }
  assert.fail(`never reached the wanted element with ${shift ? 'Shift+Tab' : 'Tab'}; last: ${await focused(page)}`);
}

test('axe: no WCAG 2.0/2.1/2.2 A or AA violations in any state, light, dark with a team accent, Hebrew on a phone', async () => {
  const variants = [
    { name: 'English, light' },
    // A navy brand accent reads on white but not on the dark card.
    { name: 'English, dark, navy accent', colorScheme: 'dark', config: nudgeConfig({ theme: { accent: 'navy' } }) },
    { name: 'Hebrew, phone', locale: 'he', viewport: PHONE },
  ];
  const found = [];
  for (const v of variants) {
    const { page, context, problems } = await plainPage(v);
    const seen = [];
    await walkStates(page, async (state) => {
      seen.push(state);
      for (const violation of await axeViolations(page)) found.push({ variant: v.name, state, ...violation });
    });
    assert.equal(seen.length, 8, 'every state was checked');
    assert.deepEqual(problems, []);
    await context.close();
  }
  assert.deepEqual(found, []);
});

test('keyboard only: launcher, search, an answer, rating, back, talk to a person, send, Escape', async () => {
  const { page, context, problems } = await plainPage({ config: { version: 1, triggers: [] } });
  const launcher = (f) => f === 'widget:button.launcher Help';
  await tabUntil(page, launcher);
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'widget:input', 'Enter opens the panel with focus in the search box');
  await page.keyboard.type('return a lamp');
  await widget(page).locator('[data-id=returns]').waitFor();
  assert.equal(await tabUntil(page, (f) => f.startsWith('widget:button'), { max: 1 }), 'widget:button How do I return a lamp?');
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'widget:h3 How do I return a lamp?', "the answer's title takes focus");
  await tabUntil(page, (f) => f === 'widget:button.chip No');
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'widget:p.thanks Thanks for your feedback!', 'the thanks takes focus from the gone buttons');
  await tabUntil(page, (f) => f === 'widget:button.link All answers', { shift: true });
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'widget:button How do I return a lamp?', 'back lands on the answer that was open');
  await tabUntil(page, (f) => f === 'widget:button.secondary Talk to a person');
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'widget:textarea');
  await page.keyboard.type('My lamp flickers');
  // Past the channel choice (arrow keys move within it) and the name field.
  await tabUntil(page, (f) => f === 'widget:button.primary Send to a person');
  await page.keyboard.press('Enter');
  assert.match(await focused(page), /^widget:p\.hmain .+/, 'the confirmation takes focus');
  assert.equal(await widget(page).locator('.hstatus .hmain').isVisible(), true);
  await page.keyboard.press('Escape');
  assert.equal(await widget(page).locator('.card').isHidden(), true);
  assert.ok(launcher(await focused(page)), 'focus is back on the launcher');
  const sent = await page.evaluate(() => window.handoffs.map((p) => p.message));
  assert.deepEqual(sent, ['My lamp flickers']);
  const feedback = await page.evaluate(() => window.events.filter(([n]) => n === 'feedback').map(([, v]) => v));
  assert.deepEqual(feedback, [{ id: 'returns', helpful: false }]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a nudge is announced exactly once in a polite live region and never takes focus from the field being typed in', async () => {
  const { page, context, problems } = await plainPage();
  await page.evaluate(() => {
    const status = document.querySelector('pathlight-widget').shadowRoot.querySelector('[role=status][aria-live=polite]');
    window.announcements = [];
    new MutationObserver(() => window.announcements.push(status.textContent)).observe(status, {
      childList: true, characterData: true, subtree: true,
    });
  });
  await page.locator('#note').click();
  await page.keyboard.type('Where is ');
  await page.evaluate(() => window.pl.track('show-nudge'));
  const card = widget(page).locator('.card');
  await card.waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'note', 'focus stayed in the page field');
  await page.keyboard.type('my order?');
  assert.equal(await page.locator('#note').inputValue(), 'Where is my order?', 'typing went on into the field');
  // Reading the nudge's answers does not announce it again.
  await widget(page).locator('[data-id=card-declined]').click();
  await widget(page).locator('[data-action=back]').click();
  await page.locator('#note').click();
  await page.keyboard.type('!');
  assert.deepEqual(await page.evaluate(() => window.announcements), [
    'Help suggestion: Questions about your order? These answers usually help.',
  ]);
  const region = await page.evaluate(() => {
    const s = document.querySelector('pathlight-widget').shadowRoot.querySelector('[role=status]');
    return { inCard: !!s.closest('.card'), hidden: !!s.closest('[hidden],[aria-hidden=true]') };
  });
  assert.deepEqual(region, { inCard: false, hidden: false }, 'the live region is always in the page, outside the card');
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone the panel fills the screen and keeps Tab inside; a nudge stays a card and leaves focus alone', async () => {
  const { page, context, problems } = await plainPage({ viewport: PHONE });
  const w = widget(page);
  const box = (sel) => w.locator(sel).evaluate((e) => {
    const r = e.getBoundingClientRect();
    return [r.left, r.top, r.width, r.height].map(Math.round);
  });
  await page.evaluate(() => window.pl.track('show-nudge'));
  await w.locator('.card').waitFor({ state: 'visible' });
  const [, , nw, nh] = await box('.card');
  assert.ok(nw < PHONE.width && nh < PHONE.height, `the nudge is a card (${nw}×${nh})`);
  assert.equal(await w.locator('.launcher').isVisible(), true);
  assert.equal(await w.locator('.card').getAttribute('aria-modal'), null);
  assert.equal(await focused(page), 'body#');
  await w.locator('[data-action=close]').click();

  await w.locator('.launcher').click();
  assert.deepEqual(await box('.card'), [0, 0, PHONE.width, PHONE.height], 'the panel fills the screen');
  assert.equal(await w.locator('.card').getAttribute('aria-modal'), 'true');
  const stops = await w.locator('.card').evaluate((card) =>
    [...card.querySelectorAll('button, input, a[href], textarea')].filter((e) => e.getClientRects().length).length);
  const visited = new Set();
  for (let i = 0; i < stops * 2 + 1; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.ok(f.startsWith('widget:') && !f.includes('launcher'), `Tab stays in the panel (press ${i + 1}: ${f})`);
    visited.add(f);
  }
  assert.equal(visited.size, stops, 'every control in the panel is reached');
  await w.locator('[data-action=close]').focus();
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(page), 'widget:button.secondary Talk to a person', 'Shift+Tab from the first wraps to the last');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'widget:button.icon ×', 'Tab from the last wraps to the first');
  await page.keyboard.press('Escape');
  assert.equal(await focused(page), 'widget:button.launcher Help');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the widget never covers the focused page element (WCAG 2.2, 2.4.11)', async () => {
  const { page, context, problems } = await plainPage({ config: nudgeConfig({ theme: { accent: '#1f5eff' } }) });
  await page.evaluate(() => {
    const add = (html) => document.querySelector('main').insertAdjacentHTML('beforeend', html);
    add('<button id="corner" style="position:fixed;right:24px;bottom:24px;width:90px;height:40px">Corner</button>');
  });
  const addBar = () => page.evaluate(() => document.querySelector('main').insertAdjacentHTML('beforeend',
    '<div id="bar" style="position:fixed;left:0;right:0;bottom:0;height:64px;display:flex;align-items:center;gap:8px;padding:0 8px;background:#eee">'
    + '<button id="bar-left">Left</button><input id="bar-field" aria-label="Bar field" style="flex:1;height:44px"><button id="bar-right">Right</button></div>'));
  const w = widget(page);
  const overlap = (id) => page.evaluate((id) => {
    const box = (e) => e.getBoundingClientRect();
    const host = document.querySelector('pathlight-widget');
    const parts = [host.shadowRoot.querySelector('.launcher'), host.shadowRoot.querySelector('.card')]
      .filter((e) => e.getClientRects().length);
    const t = box(document.getElementById(id));
    return parts.some((p) => {
      const r = box(p);
      return r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom;
    });
  }, id);
  const settle = () => page.evaluate(() => new Promise((ok) => setTimeout(() => requestAnimationFrame(() => ok()), 30)));
  const launcherBox = () => w.locator('.launcher').boundingBox();
  const home = await launcherBox();

  await page.locator('#corner').focus();
  await settle();
  assert.equal(await overlap('corner'), false, 'moved off the corner button');
  const flipped = await launcherBox();
  assert.ok(flipped.x < 640, 'to the other side');
  assert.equal(await w.locator('.launcher').evaluate((e) => getComputedStyle(e.getRootNode().host).opacity), '1', 'and still fully shown');

  // A bar across the whole bottom: both corners are covered, so it rises above it.
  await addBar();
  await tabUntil(page, (f) => f === 'input#bar-field'); // from the corner button into the bar
  await settle();
  assert.equal(await overlap('bar-field'), false, 'lifted above the focused field');
  const fieldTop = await page.locator('#bar-field').evaluate((e) => e.getBoundingClientRect().top);
  const lifted = await launcherBox();
  assert.ok(lifted.y + lifted.height <= fieldTop, 'above it');

  // Focus elsewhere: back home.
  await page.locator('#note').focus();
  await settle();
  assert.deepEqual(await launcherBox(), home, 'back in its corner');

  // A nudge that appears while the visitor types in the bar rises above it too.
  await page.locator('#bar-field').click();
  await page.keyboard.type('hello');
  await page.evaluate(() => window.pl.track('show-nudge'));
  await w.locator('.card').waitFor({ state: 'visible' });
  await settle();
  assert.equal(await overlap('bar-field'), false, 'the nudge does not cover the field being typed in');
  assert.equal(await focused(page), 'input#bar-field');

  // Nowhere is free (a field filling the screen): the widget fades and lets clicks through.
  await w.locator('[data-action=close]').click();
  await page.evaluate(() => document.querySelector('main').insertAdjacentHTML('beforeend',
    '<textarea id="tall" aria-label="Tall" style="position:fixed;left:8px;right:8px;top:8px;bottom:8px"></textarea>'));
  await page.locator('#tall').focus();
  await settle();
  const faded = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('pathlight-widget'));
    return [s.opacity, s.pointerEvents];
  });
  assert.deepEqual(faded, ['0.25', 'none']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('every control is at least 24 by 24 CSS pixels in every state (WCAG 2.2, 2.5.8)', async () => {
  for (const viewport of [undefined, PHONE]) {
    const { page, context, problems } = await plainPage({ viewport });
    const small = [];
    await walkStates(page, async (state) => {
      const found = await page.evaluate(() => {
        const root = document.querySelector('pathlight-widget').shadowRoot;
        // Links inside an answer's sentences are exempt (inline targets).
        return [...root.querySelectorAll('button, a[href], input, textarea')]
          .filter((e) => e.getClientRects().length && !e.closest('.body'))
          .map((e) => [e.className || e.localName, e.getBoundingClientRect()])
          .filter(([, r]) => r.width < 24 || r.height < 24)
          .map(([name, r]) => `${name} ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
      });
      small.push(...found.map((f) => `${viewport ? 'phone' : 'desktop'} ${state}: ${f}`));
    });
    assert.deepEqual(problems, []);
    await context.close();
    assert.deepEqual(small, []);
  }
});

test('reduced motion: nothing animates; otherwise the card eases in', async () => {
  for (const reducedMotion of ['reduce', 'no-preference']) {
    const { page, context, problems } = await plainPage({ reducedMotion });
    await widget(page).locator('.launcher').click();
    const motion = await page.evaluate(() => {
      const host = document.querySelector('pathlight-widget');
      const all = [host, ...host.shadowRoot.querySelectorAll('*')];
      const moving = (e) => {
        const s = getComputedStyle(e);
        return s.animationName !== 'none' || s.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
      };
      return all.filter(moving).map((e) => e.className || e.localName);
    });
    assert.deepEqual(motion, reducedMotion === 'reduce' ? [] : ['card'], reducedMotion);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('dark mode: the dark palette, with the team accent made readable on it', async () => {
  // WCAG 2.x contrast of two CSS rgb() colours.
  const contrast = (a, b) => {
    const lum = (css) => {
      const [r, g, b2] = css.match(/\d+/g).slice(0, 3).map((c) => {
        const v = c / 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
    };
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const colours = async (colorScheme) => {
    const { page, context, problems } = await plainPage({ colorScheme, config: nudgeConfig({ theme: { accent: 'navy' } }) });
    await widget(page).locator('.launcher').click();
    const c = await page.evaluate(() => {
      const root = document.querySelector('pathlight-widget').shadowRoot;
      const s = (sel) => getComputedStyle(root.querySelector(sel));
      return {
        card: s('.card').backgroundColor, text: s('.card').color, link: s('.secondary').color,
        launcher: s('.launcher').backgroundColor, launcherText: s('.launcher').color,
      };
    });
    assert.deepEqual(problems, []);
    await context.close();
    return c;
  };
  const light = await colours('light');
  const dark = await colours('dark');
  assert.equal(light.card, 'rgb(255, 255, 255)');
  assert.equal(light.link, 'rgb(0, 0, 128)', 'navy reads on white: kept');
  assert.equal(dark.card, 'rgb(28, 33, 40)');
  assert.notEqual(dark.link, light.link, 'navy is lightened for the dark card');
  for (const [name, c] of Object.entries({ light, dark })) {
    assert.ok(contrast(c.text, c.card) >= 4.5, `${name}: text`);
    assert.ok(contrast(c.link, c.card) >= 4.5, `${name}: accent on the card ${c.link} on ${c.card}`);
    assert.ok(contrast(c.launcherText, c.launcher) >= 4.5, `${name}: launcher text`);
  }
});
