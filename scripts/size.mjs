// Prints what a page loads from pkg/: wasm, JS (glue + wrapper + script-tag
// entry) and CSS (inside the wasm), raw and gzip. `--json` prints the numbers
// as JSON for the budget check.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const root = new URL('../pkg/', import.meta.url);
const read = (p) => readFileSync(new URL(p, root));
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const parts = {
  wasm: ['core/pathlight_bg.wasm'],
  js: ['core/pathlight.js', 'pathlight.js', 'auto.js'],
};
const rows = Object.entries(parts).map(([name, files]) => {
  const bufs = files.map(read);
  return { name, raw: bufs.reduce((n, b) => n + b.length, 0), gzip: bufs.reduce((n, b) => n + gz(b), 0) };
});
rows.push({ name: 'total', raw: rows.reduce((n, r) => n + r.raw, 0), gzip: rows.reduce((n, r) => n + r.gzip, 0) });
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows));
} else {
  const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KiB';
  console.log('size      raw          gzip   (CSS is inside the wasm)');
  for (const r of rows) console.log(`${r.name.padEnd(6)} ${kb(r.raw)}  ${kb(r.gzip)}`);
}
