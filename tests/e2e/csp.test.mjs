// Strict Content-Security-Policy, end to end: the demo's help centre served
// by the reference server at /strict/help with
//
//   default-src 'none'; script-src 'nonce-…' 'strict-dynamic' 'wasm-unsafe-eval';
//   style-src 'nonce-…'; connect-src 'self'; require-trusted-types-for 'script'
//
// and a fresh nonce per response. Every `securitypolicyviolation` (listened
// for from an init script, before any page script runs), console message and
// page error is collected. With the policy, the visitor's whole journey runs
// without one: the nudge (styled, by the adopted stylesheet or by the
// nonce'd <style> where constructable stylesheets are missing), search, an
// answer, its rating, the handoff form, the webhook and the built-in chat.
// Without 'wasm-unsafe-eval' (?wasm=off): one warning from Pathlight, the
// browser's one refusal, `ready` resolving to null, and the help and contact
// links instead of the widget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, schemaErrors, widget, axeViolations } from './harness.mjs';

let env;
before(async () => {
  env = await launch();
});
after(async () => {
  await env?.close();
});

/**
 * A fresh context and page recording violations, console messages, page
 * errors and unhandled rejections. `legacyStyles` takes constructable
 * stylesheets away before any script runs, as in a browser without them.
 */
async function strictPage({ legacyStyles = false } = {}) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((legacy) => {
    window.__csp = { violations: [], rejections: [] };
    window.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.violations.push({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: `${e.sourceFile}:${e.lineNumber}`,
      });
    }, true);
    window.addEventListener('unhandledrejection', (e) => {
      window.__csp.rejections.push(String(e.reason && e.reason.stack ? e.reason.stack : e.reason));
    });
    if (legacy) {
      delete Document.prototype.adoptedStyleSheets;
      delete ShadowRoot.prototype.adoptedStyleSheets;
      window.CSSStyleSheet = function CSSStyleSheet() {
        throw new TypeError('Illegal constructor');
      };
    }
  }, legacyStyles);
  const messages = [];
  const errors = [];
  page.on('console', (m) => messages.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => errors.push(e.message));
  // What the browser itself reports in its console, which console events
  // do not carry: failed loads and interventions (the Log domain), and CSP
  // and Trusted Types refusals, which Chromium files as DevTools issues.
  const browserLog = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('Log.entryAdded', ({ entry }) => {
    if (entry.level === 'error' || entry.level === 'warning') browserLog.push(`${entry.source}: ${entry.text}`);
  });
  cdp.on('Audits.issueAdded', ({ issue }) => {
    const csp = issue.details.contentSecurityPolicyIssueDetails;
    if (csp) browserLog.push(`csp: ${csp.violatedDirective} ${csp.contentSecurityPolicyViolationType}`);
  });
  await cdp.send('Log.enable');
  await cdp.send('Audits.enable');
  const collected = () => page.evaluate(() => window.__csp);
  return { page, context, messages, errors, browserLog, collected };
}

/** Resolves once `check()` holds (polled; at most 5 s). */
async function until(check) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), `${check} within 5 s`);
}

/** Loads `path` and returns the nonce of the policy it was served with. */
async function open(page, path) {
  const response = await page.goto(`${env.base}${path}`);
  const policy = response.headers()['content-security-policy'];
  assert.ok(policy, `${path} has a Content-Security-Policy`);
  const nonce = /script-src 'nonce-([\w-]+)'/.exec(policy)[1];
  assert.equal(
    policy,
    `default-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic'${path.includes('wasm=off') ? '' : " 'wasm-unsafe-eval'"}; ` +
      `style-src 'nonce-${nonce}'; connect-src 'self'; require-trusted-types-for 'script'`,
  );
  return nonce;
}

/** A computed style of the first element matching `selector` in `host`'s shadow root. */
const shadowStyle = (page, host, selector, property) =>
  page.evaluate(([host, selector, property]) => {
    const el = document.querySelector(host).shadowRoot.querySelector(selector);
    return getComputedStyle(el).getPropertyValue(property);
  }, [host, selector, property]);

for (const legacyStyles of [false, true]) {
  const how = legacyStyles ? "a nonce'd <style> (no constructable stylesheets)" : 'an adopted stylesheet';
  test(`strict CSP, styles by ${how}: the whole visit runs with zero violations`, async () => {
    const { page, context, messages, errors, browserLog, collected } = await strictPage({ legacyStyles });
    const nonce = await open(page, '/strict/help');
    assert.equal(await page.evaluate(() => window.Pathlight.ready.then((pl) => pl !== null)), true);

    // The styles come the way this browser allows, and apply in the shadow root.
    const how = await page.evaluate(() => {
      const root = document.querySelector('pathlight-widget').shadowRoot;
      const style = root.querySelector('style');
      return { adopted: (root.adoptedStyleSheets ?? []).length, style: style ? style.nonce : null };
    });
    assert.deepEqual(how, legacyStyles ? { adopted: 0, style: nonce } : { adopted: 1, style: null });
    assert.equal(await shadowStyle(page, 'pathlight-widget', '.launcher', 'border-top-left-radius'), '999px');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('pathlight-widget')).position), 'fixed');
    // The page's own nonce'd stylesheet applies too.
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.skip-link')).position), 'absolute');

    // The trigger's nudge arrives (3 s on the page), styled as a card.
    const w = widget(page);
    const nudge = w.getByRole('dialog');
    await nudge.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await nudge.textContent(), /answers people ask for most/);
    assert.equal(await shadowStyle(page, 'pathlight-widget', '.card', 'border-top-left-radius'), '14px');
    assert.notEqual(await shadowStyle(page, 'pathlight-widget', '.card', 'box-shadow'), 'none');

    // Search from the page's own box (the page calls pl.search); the widget lists the results.
    await page.fill('#help-q', 'return a lamp');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('#help-results').getByRole('button', { name: 'How do I return a lamp?' }).waitFor();
    await w.locator('[data-action=answer][data-id=returns]').click();
    await w.getByRole('heading', { name: 'How do I return a lamp?' }).waitFor();
    await w.getByRole('group', { name: 'Was this helpful?' }).getByRole('button', { name: 'No' }).click();
    await w.getByText('Thanks for your feedback!').waitFor();

    // "Talk to a person", the form, and the webhook (connect-src 'self').
    await w.getByRole('button', { name: 'Talk to a person' }).click();
    const question = `Strict CSP question ${legacyStyles ? 'B' : 'A'}: my return label never came`;
    await w.getByRole('textbox', { name: 'What can we help you with?' }).fill(question);
    await w.getByRole('button', { name: 'Send to a person' }).click();
    await w.locator('.hstatus').getByText(/number \d+ in the queue/).waitFor({ timeout: 15_000 });

    const list = await (await fetch(`${env.base}/api/conversations`)).json();
    const conversation = list.find((c) => c.message === question);
    assert.ok(conversation, 'the server received the handoff');
    const { payload } = await (await fetch(`${env.base}/api/conversations/${conversation.id}`)).json();
    assert.deepEqual(schemaErrors('handoff', payload), []);
    assert.ok(payload.journey.some((s) => s.kind === 'pageView' && s.path === '/strict/help'));
    assert.deepEqual(payload.searches.map((s) => s.query), ['return a lamp']);
    assert.ok(payload.answers.some((a) => a.id === 'returns' && a.opened && a.helpful === false));

    // The built-in chat: the agent's reply arrives by EventSource, the visitor answers.
    const reply = await fetch(`${env.base}/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hi! I am sending a new label now.', name: 'Dana' }),
    });
    assert.equal(reply.status, 201);
    await w.locator('.thread li.agent', { hasText: 'sending a new label' }).waitFor({ timeout: 10_000 });
    await w.getByRole('textbox', { name: 'Write a message' }).fill('Thank you!');
    await w.getByRole('button', { name: 'Send', exact: true }).click();
    await w.locator('.thread li.visitor', { hasText: 'Thank you!' }).waitFor({ timeout: 10_000 });
    const thread = await (await fetch(`${env.base}/api/conversations/${conversation.id}`)).json();
    assert.deepEqual(thread.messages.map((m) => `${m.from}: ${m.text}`), [
      'agent: Hi! I am sending a new label now.',
      'visitor: Thank you!',
    ]);

    // Analytics batches go by fetch to the server (connect-src 'self' too).
    await page.waitForFunction(async () => {
      const summary = await (await fetch('/api/analytics/summary?days=1')).json();
      return summary.triggers.some((t) => t.id === 'strict-help-popular' && t.shown > 0);
    }, null, { timeout: 15_000, polling: 500 });

    const seen = await collected();
    assert.deepEqual(seen.violations, [], 'no CSP or Trusted Types violation');
    assert.deepEqual(seen.rejections, []);
    assert.deepEqual(errors, []);
    assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'warning'), []);
    assert.deepEqual(browserLog, [], "the browser's own console has nothing to say either");

    // The collector is not blind: a <style> without the nonce and an
    // innerHTML string (a Trusted Types sink) are refused, and seen.
    const refused = await page.evaluate(() => {
      document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{}' }));
      try {
        document.createElement('div').innerHTML = '<b>x</b>';
        return 'innerHTML was allowed';
      } catch (e) {
        return e.name;
      }
    });
    assert.equal(refused, 'TypeError');
    await page.waitForFunction(() => window.__csp.violations.length >= 2);
    assert.deepEqual((await collected()).violations.map((v) => v.directive).sort(), ['require-trusted-types-for', 'style-src-elem']);
    await until(() => browserLog.some((l) => /style-src/.test(l)) && browserLog.some((l) => /Trusted/.test(l)));
    await context.close();
  });
}

test('the nonce option is checked: a clear PathlightError for anything that is not a nonce', async () => {
  const { page, context, errors } = await strictPage();
  await open(page, '/strict/help');
  await page.evaluate(() => window.Pathlight.ready);
  const thrown = await page.evaluate(async () => {
    // Already loaded by auto.js: no new script is fetched.
    const { Pathlight } = await import('/pkg/pathlight.js');
    const out = [];
    for (const nonce of [42, 'not a nonce!', 'x'.repeat(300), '===']) {
      try {
        (await Pathlight.init({ config: { version: 1, triggers: [] }, nonce })).destroy();
        out.push('accepted');
      } catch (e) {
        out.push(`${e.name}: ${e.message}`);
      }
    }
    for (const nonce of ['', 'abc+/09-_==']) {
      const pl = await Pathlight.init({ config: { version: 1, triggers: [] }, nonce });
      pl.destroy();
      out.push('accepted');
    }
    return out;
  });
  assert.deepEqual(thrown, [
    "PathlightError: Pathlight.init(options.nonce): expected the page's CSP nonce as a string (script.nonce), got a number",
    "PathlightError: Pathlight.init(options.nonce): is not a CSP nonce: pass the value of the nonce your page's Content-Security-Policy allows (letters, digits, +, /, -, _, and at most two = at the end)",
    'PathlightError: Pathlight.init(options.nonce): expected a CSP nonce of at most 256 characters',
    "PathlightError: Pathlight.init(options.nonce): is not a CSP nonce: pass the value of the nonce your page's Content-Security-Policy allows (letters, digits, +, /, -, _, and at most two = at the end)",
    'accepted',
    'accepted',
  ]);
  assert.deepEqual((await page.evaluate(() => window.__csp)).violations, []);
  assert.deepEqual(errors, []);
  await context.close();
});

/**
 * The browser's own report of the refused compilation, allowed on the page
 * without 'wasm-unsafe-eval': Chromium files it as an issue; other browsers
 * (and older Chromium) print "Refused to compile or instantiate
 * WebAssembly module…".
 */
const BROWSER_REFUSAL = /^csp: script-src kWasmEvalViolation$|Refused to compile or instantiate WebAssembly module/;

for (const legacyStyles of [false, true]) {
  const how = legacyStyles ? "a nonce'd <style>" : 'an adopted stylesheet';
  test(`without 'wasm-unsafe-eval': one warning, ready is null, and the help and contact links (${how})`, async () => {
    const { page, context, messages, errors, browserLog, collected } = await strictPage({ legacyStyles });
    const nonce = await open(page, '/strict/help?wasm=off');
    assert.equal(await page.evaluate(() => window.Pathlight.ready), null);

    // One clear diagnostic from Pathlight, naming what to add; nothing else
    // but the browser's own report of the refusal.
    assert.equal(browserLog.length, 1, JSON.stringify(browserLog));
    assert.match(browserLog[0], BROWSER_REFUSAL);
    const warnings = messages.filter((m) => !BROWSER_REFUSAL.test(m.text));
    assert.equal(warnings.length, 1, JSON.stringify(messages));
    assert.equal(warnings[0].type, 'warning');
    assert.match(warnings[0].text, /Content-Security-Policy does not allow WebAssembly/);
    assert.match(warnings[0].text, /Add 'wasm-unsafe-eval' to its script-src/);
    assert.match(warnings[0].text, /help and contact links/);
    assert.deepEqual(errors, []);
    const seen = await collected();
    assert.deepEqual(seen.rejections, []);
    // The one refusal: the compilation (Pathlight checks before it fetches the module).
    assert.deepEqual(seen.violations.map((v) => [v.directive, v.blocked]), [['script-src', 'wasm-eval']]);

    // No widget; the fallback instead, accessible and styled.
    assert.equal(await page.locator('pathlight-widget').count(), 0);
    const nav = page.getByRole('navigation', { name: 'Need help?' });
    await nav.waitFor();
    const links = await nav.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    assert.deepEqual(links, [
      ['Help and contact', '/help'],
      ['Email help@lumen.example', 'mailto:help@lumen.example'],
      ['Call +1 555 0100', 'tel:+15550100'],
    ]);
    const how = await page.evaluate(() => {
      const root = document.querySelector('pathlight-fallback').shadowRoot;
      const style = root.querySelector('style');
      return { adopted: (root.adoptedStyleSheets ?? []).length, style: style ? style.nonce : null };
    });
    assert.deepEqual(how, legacyStyles ? { adopted: 0, style: nonce } : { adopted: 1, style: null });
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('pathlight-fallback')).position), 'fixed');
    assert.equal(await shadowStyle(page, 'pathlight-fallback', 'nav', 'border-top-left-radius'), '14px');
    // Keyboard: Tab from the page's last link reaches the first of them.
    await page.locator('.fineprint a').last().focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.querySelector('pathlight-fallback').shadowRoot.activeElement?.textContent), 'Help and contact');

    // The host page still works: its own search says search is unavailable and offers email.
    await page.fill('#help-q', 'refund');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('#help-results').getByText('Search is not available right now.').waitFor();

    assert.equal((await collected()).violations.length, 1, 'still only the one refusal');
    assert.equal(browserLog.length, 1, JSON.stringify(browserLog));
    assert.deepEqual(errors, []);

    // The help link goes to the help centre, where Pathlight runs (no strict policy there).
    await nav.getByRole('link', { name: 'Help and contact' }).click();
    await page.waitForURL(`${env.base}/help`);
    assert.equal(await page.evaluate(() => window.Pathlight.ready.then((pl) => pl !== null)), true);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("the npm path rejects with a PathlightError that names 'wasm-unsafe-eval', every time, with one refusal", async () => {
  const { page, context, errors, collected } = await strictPage();
  await open(page, '/strict/help?wasm=off');
  await page.evaluate(() => window.Pathlight.ready);
  const results = await page.evaluate(async () => {
    // Already loaded by auto.js: no new script is fetched.
    const { Pathlight } = await import('/pkg/pathlight.js');
    const out = [];
    for (const call of [() => Pathlight.init({ config: { version: 1, triggers: [] } }), () => Pathlight.validate({})]) {
      try {
        await call();
        out.push('resolved');
      } catch (e) {
        out.push({ name: e.name, code: e.code, message: e.message, error: e instanceof Error });
      }
    }
    return out;
  });
  const expected = {
    name: 'PathlightError',
    code: 'wasm-blocked-by-csp',
    message:
      "Pathlight cannot start: this page's Content-Security-Policy does not allow WebAssembly. " +
      "Add 'wasm-unsafe-eval' to its script-src directive (script-src ... 'wasm-unsafe-eval').",
    error: true,
  };
  assert.deepEqual(results, [expected, expected]);
  assert.equal((await collected()).violations.length, 1, 'asking again does not compile again');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a module that does not load is not blamed on the CSP, and the links still come', async () => {
  const { page, context, messages, errors, collected } = await strictPage();
  await context.route('**/pkg/core/pathlight_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await open(page, '/strict/help');
  assert.equal(await page.evaluate(() => window.Pathlight.ready), null);
  const reported = messages.filter((m) => /Pathlight/.test(m.text)).map((m) => m.text);
  assert.equal(reported.length, 1, JSON.stringify(messages));
  assert.match(reported[0], /^Pathlight did not start: PathlightError: Pathlight could not load its WebAssembly module \(http:\/\/[^)]+\/pkg\/core\/pathlight_bg\.wasm\): /);
  assert.doesNotMatch(reported[0], /wasm-unsafe-eval|Content-Security-Policy/);
  const code = await page.evaluate(async () => {
    const { Pathlight } = await import('/pkg/pathlight.js');
    return Pathlight.load().then(() => 'loaded', (e) => e.code);
  });
  assert.equal(code, 'wasm-load-failed');
  await page.getByRole('navigation', { name: 'Need help?' }).getByRole('link', { name: 'Help and contact' }).waitFor();
  assert.deepEqual((await collected()).violations, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the fallback links pass axe (WCAG 2.2 AA) on the usual help page with its module gone', async () => {
  const { page, context, errors, messages } = await strictPage();
  await context.route('**/pkg/core/pathlight_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${env.base}/help`);
  assert.equal(await page.evaluate(() => window.Pathlight.ready), null);
  await page.getByRole('navigation', { name: 'Need help?' }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  // Targets of at least 24 by 24 CSS pixels (WCAG 2.5.8), in the corner.
  const boxes = await page.getByRole('navigation', { name: 'Need help?' }).getByRole('link').evaluateAll((as) =>
    as.map((a) => Math.round(a.getBoundingClientRect().height)));
  assert.ok(boxes.every((h) => h >= 24), JSON.stringify(boxes));
  assert.equal(messages.filter((m) => /Pathlight did not start/.test(m.text)).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});
