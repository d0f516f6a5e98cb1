// Prints what a page loads from pkg/: the wasm, the JS (glue + wrapper +
// script-tag entry) and the CSS, raw, gzip (level 9) and brotli (quality
// 11), each file compressed on its own as a server sends it. The widget's
// CSS is compiled into the wasm (include_str! in src/web/widget.rs), so it
// is counted there; its own size is printed for information.
//
//   node scripts/size.mjs           the table and the budget
//   node scripts/size.mjs --check   the same, and exit 1 when a part or the
//                                   total is over budget.json (gzip bytes)
//   node scripts/size.mjs --json    the numbers and the budget as JSON
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = new URL('../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root));
const gzip = (buf) => gzipSync(buf, { level: 9 }).length;
const brotli = (buf) =>
  brotliCompressSync(buf, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  }).length;

const PARTS = {
  wasm: ['pkg/core/pathlight_bg.wasm'],
  js: ['pkg/core/pathlight.js', 'pkg/pathlight.js', 'pkg/auto.js'],
};
const measure = (files) => {
  const bufs = files.map((f) => {
    try {
      return read(f);
    } catch {
      console.error(`size: ${f} is missing; build the package first (bash scripts/build.sh)`);
      process.exit(2);
    }
  });
  const sum = (f) => bufs.reduce((n, b) => n + f(b), 0);
  return { raw: sum((b) => b.length), gzip: sum(gzip), brotli: sum(brotli) };
};

const rows = Object.entries(PARTS).map(([name, files]) => ({ name, files, ...measure(files) }));
const total = { name: 'total', raw: 0, gzip: 0, brotli: 0 };
for (const r of rows) for (const k of ['raw', 'gzip', 'brotli']) total[k] += r[k];
rows.push(total);
const css = { name: 'css', inside: 'wasm', ...measure(['src/web/widget.css']) };

const budget = JSON.parse(read('budget.json'));
const limits = budget.gzipBytes ?? {};
const over = rows.filter((r) => limits[r.name] !== undefined && r.gzip > limits[r.name]);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ parts: rows, css, budget: limits, aimGzipBytes: budget.aimGzipBytes, over: over.map((r) => r.name) }));
} else {
  const kib = (n) => (n / 1024).toFixed(1).padStart(7) + ' KiB';
  console.log('size        raw          gzip        brotli     gzip budget');
  for (const r of rows) {
    const lim = limits[r.name] === undefined ? '' : kib(limits[r.name]) + (r.gzip > limits[r.name] ? '  OVER' : '');
    console.log(`${r.name.padEnd(6)} ${kib(r.raw)}  ${kib(r.gzip)}  ${kib(r.brotli)}  ${lim}`);
  }
  console.log(`(css    ${kib(css.raw)}  ${kib(css.gzip)}  ${kib(css.brotli)}  alone; compiled into the wasm, counted there)`);
  if (budget.aimGzipBytes) {
    const n = (b) => b.toLocaleString('en-US');
    console.log(`gzip total ${n(total.gzip)} bytes; budget ${n(limits.total)}; aim ${n(budget.aimGzipBytes)} (${(total.gzip / budget.aimGzipBytes).toFixed(1)}× the aim)`);
  }
}

if (process.argv.includes('--check')) {
  if (over.length) {
    console.error('\nsize budget exceeded (gzip, budget.json):');
    for (const r of over) {
      console.error(`  ${r.name}: ${r.gzip} bytes, budget ${limits[r.name]} (+${r.gzip - limits[r.name]} bytes)`);
    }
    console.error('Make the package smaller, or raise the budget in budget.json with the reason in the commit.');
    process.exit(1);
  }
  if (!process.argv.includes('--json')) console.log('size budget: ok');
}
