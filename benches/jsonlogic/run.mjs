// JSON Logic: Pathlight's evaluator against the JavaScript engines, on the
// cases of the vendored conformance suites that expect a result.
//
//   node benches/jsonlogic/run.mjs
//
// In one run it
//   (a) runs `cargo bench --bench jsonlogic -- --cases` (benches/jsonlogic.rs)
//       and reads its per-case times and totals,
//   (b) evaluates the same cases with json-logic-js and json-logic-engine
//       (npm devDependencies), counting the cases each gets right and timing
//       them exactly as the Rust bench does (see below), and
//   (c) prints one table side by side, then the same numbers on the cases
//       every engine gets right and whose rule reads its data.
//
// Method (the same in benches/jsonlogic.rs):
//   - a case is right when the engine returns a value equal to the expected
//     `result` (numbers by value, lists and objects by content); throwing, or
//     returning `undefined` where `null` is expected, is wrong;
//   - each engine is timed on the cases it gets right, after one warm-up pass;
//   - per case, the batch size n doubles until n evaluations take >= 100 µs,
//     then 9 batches of n are timed; the case's time per evaluation is the
//     median batch time / n;
//   - p50, p99 (nearest rank) and mean are over those per-case times;
//   - ops/s: 5 rounds of passes over the whole set in suite order, each
//     round >= 200 ms; evaluations / elapsed time of the median round;
//   - each JavaScript engine runs in a Node process of its own.
//
// Needs the npm devDependencies (npm ci). Takes about 15 s once the bench is
// built, about 40 s from an empty target directory on 2 cores. Internally it
// runs itself as `run.mjs --engine NAME` to measure each JavaScript engine.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let jsonLogic;
let LogicEngine;
try {
  jsonLogic = createRequire(import.meta.url)('json-logic-js');
  ({ LogicEngine } = await import('json-logic-engine'));
} catch (e) {
  console.error(`${e.message}\nInstall the npm devDependencies first: npm ci (or bash scripts/setup.sh test)`);
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const suites = path.join(root, 'tests/data/jsonlogic/suites');

const MIN_BATCH_NS = 100_000n;
const SAMPLES = 9;
const ROUNDS = 5;
const ROUND_NS = 200_000_000n;

/** Every suite case with a `result`, in index.json order, freshly parsed
 * (each engine gets its own objects: json-logic-engine caches per object). */
function loadCases() {
  const read = (name) => JSON.parse(readFileSync(path.join(suites, name), 'utf8'));
  const cases = [];
  for (const name of read('index.json')) {
    for (const c of read(name)) {
      if (typeof c === 'string' || !('rule' in c) || !('result' in c)) continue;
      cases.push({ rule: c.rule, data: 'data' in c ? c.data : null, result: c.result });
    }
  }
  return cases;
}

/** JSON equality, numbers by value (as in tests/jsonlogic.rs). */
function same(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length
      && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length
      && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return a === b;
}

/** Whether a rule uses an operator that reads the data. */
function readsData(rule) {
  if (Array.isArray(rule)) return rule.some(readsData);
  if (rule && typeof rule === 'object') {
    return Object.entries(rule).some(([k, v]) =>
      ['var', 'val', 'missing', 'missing_some', 'exists'].includes(k) || readsData(v));
  }
  return false;
}

let sink; // keeps results alive so no evaluation is optimised away

function timeBatch(evaluate, c, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = evaluate(c);
  return process.hrtime.bigint() - start;
}

function timeCase(evaluate, c) {
  let n = 1;
  while (timeBatch(evaluate, c, n) < MIN_BATCH_NS) n *= 2;
  const samples = [];
  for (let s = 0; s < SAMPLES; s++) samples.push(Number(timeBatch(evaluate, c, n)) / n);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(SAMPLES / 2)];
}

function percentile(sorted, p) {
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: times.reduce((s, t) => s + t, 0) / times.length,
  };
}

/** Check and time one JavaScript engine. `prepare(case)` runs once per case
 * before anything is timed (compiling, for a compiled mode). */
function benchJs({ name, evaluate, prepare = () => {} }) {
  const cases = loadCases();
  const correct = cases.map((c) => {
    try {
      prepare(c);
      // Twice: json-logic-engine plans a rule the first time it sees it.
      return same(evaluate(c), c.result) && same(evaluate(c), c.result);
    } catch {
      return false;
    }
  });
  const right = cases.filter((_, i) => correct[i]);
  right.forEach((c) => { sink = evaluate(c); });
  const times = new Array(cases.length).fill(null);
  cases.forEach((c, i) => { if (correct[i]) times[i] = timeCase(evaluate, c); });
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    let evaluations = 0;
    const start = process.hrtime.bigint();
    do {
      for (const c of right) sink = evaluate(c);
      evaluations += right.length;
    } while (process.hrtime.bigint() - start < ROUND_NS);
    rounds.push(evaluations / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  rounds.sort((a, b) => a - b);
  const opsPerS = rounds[Math.floor(ROUNDS / 2)];
  return { name, total: cases.length, correct, times, opsPerS };
}

/** (a) The Rust bench, through cargo. */
function benchPathlight() {
  console.error('building and running `cargo bench --profile bench-native --bench jsonlogic` ...');
  const run = spawnSync('cargo', ['bench', '--profile', 'bench-native', '--bench', 'jsonlogic', '--', '--cases'], {
    cwd: root,
    // The bench-native profile unwinds: with binaries in the crate, the
    // release profile's panic = "abort" clashes with the bench harness.
    env: process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error || run.status !== 0) {
    console.error(`cargo bench failed: ${run.error ?? `exit status ${run.status}`}`);
    process.exit(1);
  }
  const totals = {};
  const correct = [];
  const times = [];
  for (const line of run.stdout.split('\n')) {
    const perCase = /^case: (\d+) ns=([\d.]+) correct=(true|false)$/.exec(line);
    if (perCase) {
      times[Number(perCase[1])] = Number(perCase[2]);
      correct[Number(perCase[1])] = perCase[3] === 'true';
      continue;
    }
    const total = /^(\w+): ([\d.]+)$/.exec(line);
    if (total) totals[total[1]] = Number(total[2]);
  }
  for (const key of ['cases', 'correct', 'p50_ns', 'p99_ns', 'mean_ns', 'ops_per_s']) {
    if (!(key in totals)) {
      console.error(`cargo bench printed no \`${key}:\` line:\n${run.stdout}`);
      process.exit(1);
    }
  }
  if (times.length !== totals.cases) {
    console.error(`cargo bench printed ${times.length} case lines for ${totals.cases} cases`);
    process.exit(1);
  }
  return {
    name: 'Pathlight (Rust, native)',
    total: totals.cases,
    correct,
    times: times.map((t, i) => (correct[i] ? t : null)),
    opsPerS: totals.ops_per_s,
  };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The JavaScript engines, each measured in a Node process of its own so
 * none inherits another's JIT and garbage-collector state. */
const ENGINES = {
  'json-logic-js': () => ({
    name: 'json-logic-js',
    evaluate: (c) => jsonLogic.apply(c.rule, c.data),
  }),
  'json-logic-engine': () => {
    const engine = new LogicEngine();
    return {
      name: 'json-logic-engine (interpreted, default)',
      evaluate: (c) => engine.run(c.rule, c.data),
      // It stops caching plans after 500 rules in a row it had not seen;
      // evaluating each case twice in a row keeps that from happening.
      check: () => engine.disableInterpretedOptimization
        && 'json-logic-engine switched its plan cache off during the run',
    };
  },
  'json-logic-engine-compiled': () => {
    const engine = new LogicEngine();
    return {
      name: 'json-logic-engine (compiled)',
      evaluate: (c) => c.fn(c.data),
      prepare: (c) => { c.fn = engine.build(c.rule); },
    };
  },
};

if (process.argv[2] === '--engine') {
  // A child: measure one engine, answer in JSON on stdout.
  const make = ENGINES[process.argv[3]];
  if (!make) {
    console.error(`unknown engine ${process.argv[3]}; one of ${Object.keys(ENGINES).join(', ')}`);
    process.exit(2);
  }
  const engine = make();
  const result = benchJs(engine);
  const warning = engine.check?.();
  if (warning) console.error(`warning: ${warning}`);
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

function benchChild(engine) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--engine', engine], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error || run.status !== 0) {
    console.error(`measuring ${engine} failed: ${run.error ?? `exit status ${run.status}`}`);
    process.exit(1);
  }
  return JSON.parse(run.stdout);
}

const started = Date.now();
const results = [benchPathlight()];
for (const engine of Object.keys(ENGINES)) {
  console.error(`timing ${engine} ...`);
  results.push(benchChild(engine));
}

const cases = loadCases();
if (results.some((r) => r.total !== cases.length)) {
  console.error('the Rust bench and this script disagree on the cases');
  process.exit(1);
}

console.log(`\nJSON Logic: ${cases.length} suite cases that expect a result (tests/data/jsonlogic/suites)\n`);
console.log(table(
  ['engine', 'correct', 'p50 ns', 'p99 ns', 'mean ns', 'ops/s'],
  results.map((r) => {
    const s = stats(r.times.filter((t) => t !== null));
    return [r.name, `${r.correct.filter(Boolean).length} / ${r.total}`, fmt(s.p50), fmt(s.p99), fmt(s.mean), fmt(r.opsPerS)];
  }),
));

const common = cases.map((c, i) => readsData(c.rule) && results.every((r) => r.correct[i]));
const commonCount = common.filter(Boolean).length;
const dataFree = cases.filter((c) => !readsData(c.rule)).length;
if (commonCount > 0) {
  const pathlightMean = stats(results[0].times.filter((_, i) => common[i])).mean;
  console.log(`\nThe ${commonCount} cases every engine gets right whose rule reads its data (var, val, missing, exists):\n`);
  console.log(table(
    ['engine', 'p50 ns', 'p99 ns', 'mean ns', 'mean vs Pathlight'],
    results.map((r) => {
      const s = stats(r.times.filter((_, i) => common[i]));
      return [r.name, fmt(s.p50), fmt(s.p99), fmt(s.mean), `${(s.mean / pathlightMean).toFixed(2)}x`];
    }),
  ));
}

console.log(`
Notes:
- Each engine is timed on the cases it gets right: per case the median of ${SAMPLES} timed
  batches (each >= 100 µs), p50/p99/mean over cases; ops/s from repeated passes over
  the whole set (median of ${ROUNDS} rounds). Same method for every row
  (benches/jsonlogic.rs, this script); each JavaScript engine in its own process.
- Pathlight runs natively here (release profile as shipped: opt-level "z", LTO). In the
  browser it runs as wasm, slower by a small factor. The JavaScript engines run in
  Node ${process.versions.node} (V8 ${process.versions.v8}).
- json-logic-engine's default mode is interpreted, but it caches a plan per rule object
  and folds rules that read no data into constants; its compiled mode (engine.build,
  compile time not counted) does the same. ${dataFree} of the ${cases.length} cases read no data, so
  the second table leaves them out. Pathlight evaluates every rule in full each time.
- Wall-clock: on a busy machine numbers move between runs, ops/s of the
  JavaScript engines most. Whole run: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
