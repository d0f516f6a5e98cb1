// Journey capture in real Chromium, through the demo pages.
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

const steps = (page, kind) =>
  page.evaluate(async (kind) => {
    const pl = await window.Pathlight.ready;
    return pl.journey().journey.steps.filter((s) => s.kind === kind).map((s) => [s.path, s.detail ?? '']);
  }, kind);

test('single-page-app routes, back and hash changes are page views, each once', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/`);
  await page.evaluate(async () => {
    await window.Pathlight.ready;
    history.pushState({}, '', '/products/arc');
    history.replaceState({}, '', '/products/arc'); // same page: not counted again
    history.pushState({}, '', '/products/dome');
    location.hash = 'reviews';
  });
  await page.waitForFunction(() => location.hash === '#reviews');
  await page.goBack();
  await page.waitForFunction(() => location.pathname === '/products/dome' && !location.hash);
  await page.goBack();
  await page.waitForFunction(() => location.pathname === '/products/arc');
  const views = (await steps(page, 'pageView')).map(([p]) => p);
  assert.deepEqual(views, ['/products/', '/products/arc', '/products/dome', '/products/dome', '/products/dome', '/products/arc']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('form validation errors are captured with field and message, never the value', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/checkout`);
  await page.evaluate(async () => {
    await window.Pathlight.ready;
    const card = document.querySelector('input[name=card]');
    card.value = '4111 1111 1111 1111';
    card.setCustomValidity('Card declined');
    card.reportValidity(); // fires `invalid`
    const postcode = document.querySelector('input[name=postcode]');
    postcode.value = 'SW1A 1AA';
    const msg = document.createElement('p');
    msg.id = 'pc-error';
    msg.textContent = 'Enter a valid postcode';
    document.body.append(msg);
    postcode.setAttribute('aria-describedby', 'pc-error');
    postcode.setAttribute('aria-invalid', 'true');
  });
  await page.evaluate(async () => (window.pl = await window.Pathlight.ready));
  await page.waitForFunction(() => window.pl.journey().journey.steps.filter((s) => s.kind === 'formError').length === 2);
  const errors = await steps(page, 'formError');
  assert.deepEqual(errors, [
    ['/checkout', 'Card number: Card declined'],
    ['/checkout', 'Postcode: Enter a valid postcode'],
  ]);
  await page.waitForFunction(() => localStorage.getItem('pathlight:state')?.includes('formError'));
  const stored = await page.evaluate(() => localStorage.getItem('pathlight:state'));
  assert.ok(!stored.includes('4111') && !stored.includes('SW1A'), 'typed values are never stored');
  assert.deepEqual(problems, []);
  await context.close();
});

test('searches in the query string and clicks with their accessible names', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/?q=brass+floor%20lamp`);
  await page.evaluate(() => window.Pathlight.ready);
  await page.getByRole('link', { name: 'View' }).first().click();
  await page.waitForURL('**/products/arc');
  assert.deepEqual(await steps(page, 'search'), [['/products/', 'brass floor lamp']]);
  const clicks = await steps(page, 'click');
  assert.deepEqual(clicks, [['/products/', 'View']]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("two tabs share one journey, each keeping its own page", async () => {
  const { page: a, context, problems } = await openPage(env.browser);
  await a.goto(`${env.base}/`);
  await a.evaluate(() => window.Pathlight.ready);
  const b = await context.newPage();
  await b.goto(`${env.base}/products/`);
  await b.evaluate(() => window.Pathlight.ready);
  await a.evaluate(async () => (window.pl = await window.Pathlight.ready));
  // Saves are batched (400 ms) and reach the other tab as a storage event.
  await a.waitForFunction(() => window.pl.journey().journey.steps.some((s) => s.path === '/products/'));
  const views = (await steps(a, 'pageView')).map(([p]) => p);
  assert.deepEqual(views, ['/', '/products/']);
  // Tab A keeps its own page: a form error raised in A is recorded on "/".
  await a.evaluate(() => {
    const i = document.createElement('input');
    i.setAttribute('aria-label', 'Email');
    document.body.append(i);
    i.setAttribute('aria-invalid', 'true');
  });
  await a.waitForFunction(() => window.pl.journey().journey.steps.some((s) => s.kind === 'formError'));
  assert.deepEqual(await steps(a, 'formError'), [['/', 'Email']]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('storage that throws: Pathlight keeps working in memory and says so once', async () => {
  const { page, context, problems } = await openPage(env.browser);
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto(`${env.base}/products/`);
  await page.evaluate(async () => {
    await window.Pathlight.ready;
    history.pushState({}, '', '/products/arc');
    history.pushState({}, '', '/products/dome');
  });
  const views = (await steps(page, 'pageView')).map(([p]) => p);
  assert.deepEqual(views, ['/products/', '/products/arc', '/products/dome']);
  // Saves are batched; leaving the page flushes the pending one at once.
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await page.evaluate(() => { history.pushState({}, '', '/products/'); window.dispatchEvent(new Event('pagehide')); });
  assert.equal(warnings.filter((w) => w.includes('storage is unavailable or full')).length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('corrupted stored state is discarded with one warning and replaced', async () => {
  const { page, context, problems } = await openPage(env.browser);
  const warnings = [];
  page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('pathlight:state', '{"version": 2, "rev": "broken"');
    }
  });
  await page.goto(`${env.base}/`);
  await page.evaluate(() => window.Pathlight.ready);
  assert.equal(warnings.filter((w) => w.includes('stored state was discarded')).length, 1);
  // Saves are batched (at most one per 400 ms).
  await page.waitForFunction(() => localStorage.getItem('pathlight:state') !== null);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('pathlight:state')));
  assert.equal(stored.version, 2);
  assert.deepEqual(stored.journey.steps.map((s) => s.path), ['/']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('consent pending stores nothing until granted; forget wipes it', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/products/`);
  const result = await page.evaluate(async () => {
    (await window.Pathlight.ready).destroy();
    localStorage.clear();
    const { Pathlight } = await import('/pkg/pathlight.js');
    const config = await (await fetch('/pathlight/config.json')).json();
    const pl = await Pathlight.init({ config, consent: 'pending' });
    history.pushState({}, '', '/products/arc');
    const before = localStorage.getItem('pathlight:state');
    pl.grantConsent();
    const after = JSON.parse(localStorage.getItem('pathlight:state'));
    pl.forget();
    const forgotten = localStorage.getItem('pathlight:state');
    let bad;
    try {
      await Pathlight.init({ config, consent: 'maybe' });
    } catch (e) {
      bad = e.message;
    }
    pl.destroy();
    return { before, after: after.journey.steps.map((s) => s.path), forgotten, bad };
  });
  assert.equal(result.before, null);
  assert.deepEqual(result.after, ['/products/', '/products/arc']);
  assert.equal(result.forgotten, null);
  assert.equal(result.bad, 'Pathlight.init(options.consent): expected "granted", "pending" or "denied"');
  assert.deepEqual(problems, []);
  await context.close();
});

test('without the Navigation API, history is patched chain-safely and restored', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'navigation', { value: undefined });
    window.originalPushState = history.pushState;
  });
  await page.goto(`${env.base}/products/`);
  const r = await page.evaluate(async () => {
    const pl = await window.Pathlight.ready;
    const patchedByAuto = history.pushState !== window.originalPushState;
    pl.destroy();
    const restored = patchedByAuto && history.pushState === window.originalPushState;
    const { Pathlight } = await import('/pkg/pathlight.js');
    const config = await (await fetch('/pathlight/config.json')).json();
    let calls = 0;
    const base = history.pushState;
    history.pushState = function (...args) {
      calls += 1;
      return base.apply(this, args);
    };
    const spy = history.pushState;
    const p1 = await Pathlight.init({ config });
    const patched = history.pushState !== spy;
    // Another script wraps over Pathlight.
    const inner = history.pushState;
    history.pushState = function (...args) {
      return inner.apply(this, args);
    };
    p1.destroy();
    history.pushState({}, '', '/products/arc');
    const p2 = await Pathlight.init({ config });
    history.pushState({}, '', '/products/dome');
    const views = p2.journey().journey.steps.filter((s) => s.kind === 'pageView').map((s) => s.path);
    p2.destroy();
    return { restored, patched, calls, views };
  });
  assert.equal(r.restored, true);
  assert.equal(r.patched, true);
  assert.equal(r.calls, 2, 'the original ran exactly once per call');
  assert.deepEqual(r.views.slice(-2), ['/products/arc', '/products/dome']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('scroll depth, rage clicks, exit intent, hidden tabs, search boxes and zero results', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto(`${env.base}/products/`);
  await page.evaluate(async () => {
    window.pl = await window.Pathlight.ready;
    const tall = document.createElement('div');
    tall.style.height = '3000px';
    document.querySelector('main').append(tall);
    const form = document.createElement('form');
    form.setAttribute('role', 'search');
    form.innerHTML = '<input type="search" name="q" aria-label="Search lamps"><button>Go</button>';
    form.addEventListener('submit', (e) => e.preventDefault());
    document.querySelector('main').prepend(form);
  });
  // Scroll half-way: depth is read once per frame.
  await page.mouse.wheel(0, 1200);
  await page.waitForFunction(() => window.pl.journey().journey.pages.some((p) => p.maxScroll >= 40));
  // Three quick clicks on the same spot of plain text.
  const price = page.locator('.price').first();
  await price.click({ clickCount: 1 });
  await price.click({ clickCount: 1 });
  await price.click({ clickCount: 1 });
  // The pointer leaves through the top of the window.
  await page.mouse.move(500, 300);
  await page.mouse.move(500, -5, { steps: 2 });
  await page.evaluate(() =>
    document.dispatchEvent(new MouseEvent('mouseout', { clientX: 500, clientY: -1, relatedTarget: null, bubbles: true })),
  );
  // A submitted search box, then the host reports no results.
  await page.getByRole('searchbox', { name: 'Search lamps' }).fill('brass shade');
  await page.getByRole('button', { name: 'Go' }).click();
  await page.evaluate(() => window.pl.searchResults(0));
  // Hidden for a while, then back.
  await page.evaluate(async () => {
    const set = (hidden) => {
      Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    set(true);
    await new Promise((r) => setTimeout(r, 1100));
    set(false);
  });
  const j = await page.evaluate(() => window.pl.journey());
  const kinds = j.journey.steps.map((s) => s.kind);
  const detail = (k) => j.journey.steps.filter((s) => s.kind === k).map((s) => s.detail ?? '');
  assert.deepEqual(detail('rageClick'), ['p.price']);
  assert.equal(detail('exitIntent').length, 1);
  assert.deepEqual(detail('search'), ['brass shade']);
  assert.deepEqual(detail('searchNoResults'), ['brass shade']);
  assert.deepEqual(detail('returned'), ['1 s']);
  assert.equal(kinds.filter((k) => k === 'pageView').length, 1);
  assert.ok(j.journey.pages[0].maxScroll >= 40 && j.journey.pages[0].maxScroll <= 100);
  let bad;
  try {
    await page.evaluate(() => window.pl.searchResults(-1));
  } catch (e) {
    bad = e.message;
  }
  assert.match(bad, /searchResults\(count\): expected a whole number of results, got a number/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('host calls track, identify and page(), and form submits, are recorded', async () => {
  const { page, context, problems } = await openPage(env.browser);
  await page.goto(`${env.base}/checkout`);
  const j = await page.evaluate(async () => {
    const pl = await window.Pathlight.ready;
    pl.track('coupon_failed', { code: 'SPRING', total: 80, email: 'jane@example.com' });
    pl.identify({ plan: 'pro' });
    // A router that changes the page without history events:
    document.title = 'Shipping';
    pl.page();
    const form = document.querySelector('form.checkout');
    form.addEventListener('submit', (e) => e.preventDefault());
    form.setAttribute('name', 'payment');
    form.requestSubmit();
    return pl.journey();
  });
  const kinds = j.journey.steps.map((s) => [s.kind, s.detail ?? '']);
  assert.deepEqual(kinds.filter(([k]) => k === 'custom'), [['custom', 'coupon_failed']]);
  assert.deepEqual(kinds.filter(([k]) => k === 'formSubmit'), [['formSubmit', 'payment']]);
  assert.equal(kinds.filter(([k]) => k === 'identify').length, 1);
  assert.deepEqual(j.visitor.attributes, { plan: 'pro' });
  // Event properties are kept for conditions, with personal data scrubbed.
  assert.deepEqual(j.events[0].props, { code: 'SPRING', total: 80, email: '[email]' });
  // page() on the same address is not a second page view.
  const found = await page.evaluate(async () => (await window.Pathlight.ready).search('card declined'));
  assert.equal(found[0].id, 'card-declined');
  assert.equal(found[0].stale, false);
  assert.equal(kinds.filter(([k]) => k === 'pageView').length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});
