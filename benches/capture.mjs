// Capture overhead in Chromium (run: node benches/capture.mjs, after
// scripts/build.sh). On the demo's lamps page, dispatches scroll events and
// clicks with Pathlight running, then again after destroy(), and prints the
// added main-thread time per event.
import { launch } from '../tests/e2e/harness.mjs';

const N = 2000;
const env = await launch();
try {
  const page = await env.browser.newPage();
  await page.goto(`${env.base}/products/`);
  const result = await page.evaluate(async (N) => {
    const pl = await window.Pathlight.ready;
    const target = document.querySelector('.card h2');
    const button = document.createElement('button');
    button.textContent = 'Add to cart';
    document.querySelector('main').append(button);
    button.addEventListener('click', (e) => e.preventDefault());
    const run = () => {
      const t = {};
      let start = performance.now();
      for (let i = 0; i < N; i++) window.dispatchEvent(new Event('scroll'));
      t.scroll = (performance.now() - start) / N;
      start = performance.now();
      for (let i = 0; i < N; i++) {
        target.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: (i * 97) % 1000, clientY: (i * 53) % 700 }));
      }
      t.click = (performance.now() - start) / N;
      start = performance.now();
      for (let i = 0; i < N; i++) {
        button.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: (i * 97) % 1000, clientY: (i * 53) % 700 }));
      }
      t.buttonClick = (performance.now() - start) / N;
      return t;
    };
    run(); // warm up
    const withPl = run();
    const stored = (localStorage.getItem('pathlight:state') || '').length;
    pl.destroy();
    const without = run();
    return { withPl, without, stored };
  }, N);
  const us = (ms) => (ms * 1000).toFixed(1).padStart(7) + ' µs';
  console.log(`capture overhead per event in Chromium (${N} events each, main thread):`);
  for (const [name, label] of [
    ['scroll', 'scroll (passive, read deferred to a frame)'],
    ['click', 'click on text (not recorded: no link or button)'],
    ['buttonClick', 'click on a button (recorded and persisted)'],
  ]) {
    const added = result.withPl[name] - result.without[name];
    console.log(`  ${label.padEnd(48)} ${us(added)}   (with ${us(result.withPl[name])}, without ${us(result.without[name])})`);
  }
  console.log(`  stored snapshot at the end: ${(result.stored / 1024).toFixed(1)} KiB`);
} finally {
  await env.close();
}
