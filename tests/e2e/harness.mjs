// Shared set-up for end-to-end tests: the demo server on a free port and
// Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { start } from '../../www/serve.mjs';

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];

/** Start the demo server and a browser; returns { base, browser, close }. */
export async function launch() {
  const server = await start({ port: 0 });
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** A fresh page that fails the test on any page error or console error. */
export async function openPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  return { page, context, problems };
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = {};
/** Validate `value` against schema/NAME.v1.schema.json; returns the errors. */
export function schemaErrors(name, value) {
  schemas[name] ??= ajv.compile(
    JSON.parse(readFileSync(new URL(`../../schema/${name}.v1.schema.json`, import.meta.url), 'utf8')),
  );
  return schemas[name](value) ? [] : schemas[name].errors;
}

/** The widget's shadow content, as a locator. */
export const widget = (page) => page.locator('pathlight-widget');
