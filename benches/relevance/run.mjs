#!/usr/bin/env node
// Relevance harness: how well does Pathlight rank help answers, compared
// with the JavaScript search libraries a web developer would drop in?
//
//   node benches/relevance/run.mjs            all 9,233 test queries
//   node benches/relevance/run.mjs --quick    1,000 of them (for CI)
//   node benches/relevance/run.mjs --dev      the tuning split (no test queries)
//
// Options: --engines pathlight,minisearch,...  run only these
//          --no-build                          use the `rank` binary as built
//          --write DIR                         also write answers.json,
//                                              queries.jsonl, labels.json
//          --json FILE                         also write the table as JSON
//
// The knowledge base comes from Banking77 (tests/data/banking77, CC BY 4.0):
// one answer per intent, titled from the intent name (`card_arrival` ->
// "Card arrival"), with a seeded sample of 10 of its questions as the
// answer's `questions`. Every other question is a query whose right answer
// is its intent. `--dev` never touches those queries: it splits the 10
// sampled questions of each intent into 5 folds of 2, indexes 8 and queries
// with the 2 held out; Pathlight's defaults were tuned on that split only.
//
// Pathlight runs as the native `rank` binary (cargo build --release --bin
// rank), which times each search call in-process; the libraries run in this
// Node process, each configured with its documented fuzzy/prefix options.

import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import MiniSearch from 'minisearch';
import lunr from 'lunr';
import FlexSearch from 'flexsearch';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import Fuse from 'fuse.js';

const ROOT = new URL('../../', import.meta.url);
const DATA = new URL('tests/data/banking77/', ROOT);
const SEED = 77;
const PER_INTENT = 10;
const FOLDS = 5;
const QUICK = 1000;
const K = 10;

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('--quick');
const dev = flag('--dev');
const wanted = option('--engines')?.split(',').map((s) => s.trim().toLowerCase());

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

// ---------------------------------------------------------------- data
/** RFC 4180 CSV: quoted fields may hold commas, quotes and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A small seeded PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The answer id of an intent: answer ids are letters, digits, `-`, `_`, `.` (`reverted_card_payment?`). */
const idOf = (intent) => intent.replace(/[^A-Za-z0-9._-]/g, '');
const titleOf = (intent) => {
  const s = idOf(intent).replace(/_/g, ' ');
  return s[0].toUpperCase() + s.slice(1);
};

function answer(intent, questions) {
  const title = titleOf(intent);
  return { id: idOf(intent), title, body: `Answers about ${title.toLowerCase()}.`, questions };
}

/** The knowledge bases and labelled queries: one set for the test run, or one per fold for --dev. */
function splits() {
  const [header, ...rows] = parseCsv(readFileSync(new URL('train.csv', DATA), 'utf8'));
  if (header.join(',') !== 'text,category') throw new Error('unexpected train.csv header');
  const intents = JSON.parse(readFileSync(new URL('categories.json', DATA), 'utf8'));
  const byIntent = new Map(intents.map((i) => [i, []]));
  rows.forEach(([text, intent], i) => {
    if (!byIntent.has(intent)) throw new Error(`unknown intent ${intent} on row ${i + 2}`);
    byIntent.get(intent).push(i);
  });
  const random = prng(SEED);
  const sample = new Map();
  for (const intent of intents) {
    const idx = [...byIntent.get(intent)];
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    sample.set(intent, idx.slice(0, PER_INTENT));
  }
  const inKb = new Set([...sample.values()].flat());
  if (!dev) {
    const answers = intents.map((intent) => answer(intent, sample.get(intent).map((i) => rows[i][0])));
    let queries = [];
    rows.forEach(([text, intent], i) => {
      if (!inKb.has(i)) queries.push({ id: `q${i + 2}`, text, intent: idOf(intent) });
    });
    const total = queries.length;
    if (quick) {
      const step = queries.length / QUICK;
      queries = Array.from({ length: QUICK }, (_, n) => queries[Math.floor(n * step)]);
    }
    return { label: quick ? `${queries.length} of ${total} test queries (--quick)` : `${total} test queries`, sets: [{ answers, queries }] };
  }
  const per = PER_INTENT / FOLDS;
  const sets = [];
  for (let f = 0; f < FOLDS; f++) {
    const held = (intent) => sample.get(intent).slice(f * per, (f + 1) * per);
    const answers = intents.map((intent) =>
      answer(intent, sample.get(intent).filter((i) => !held(intent).includes(i)).map((i) => rows[i][0])),
    );
    const queries = intents.flatMap((intent) => held(intent).map((i) => ({ id: `d${i + 2}`, text: rows[i][0], intent: idOf(intent) })));
    sets.push({ answers, queries });
  }
  return { label: `dev split: ${FOLDS} folds, ${PER_INTENT - per} questions indexed and ${per} held out per intent`, sets };
}

// ---------------------------------------------------------------- engines
const joined = (a) => ({ id: a.id, title: a.title, questions: a.questions.join('\n'), body: a.body });

const engines = [
  {
    name: 'MiniSearch',
    version: pkgVersion('minisearch'),
    config: "fields title/questions/body, boost title 2, prefix: true, fuzzy: 0.2",
    build(answers) {
      const ms = new MiniSearch({
        fields: ['title', 'questions', 'body'],
        searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2 },
      });
      ms.addAll(answers.map(joined));
      return ms;
    },
    search: (ms, text) => ms.search(text).slice(0, K).map((r) => r.id),
  },
  {
    name: 'Lunr',
    version: pkgVersion('lunr'),
    config: 'title boost 2; each word: stemmed exact (boost 10) + trailing wildcard + editDistance 1 (5+ letters)',
    build(answers) {
      return lunr(function () {
        this.ref('id');
        this.field('title', { boost: 2 });
        this.field('questions');
        this.field('body');
        for (const a of answers) this.add(joined(a));
      });
    },
    search(idx, text) {
      const words = lunr.tokenizer(text).map((t) => lunr.trimmer(t).toString()).filter(Boolean);
      return idx
        .query((q) => {
          for (const w of words) {
            q.term(w, { boost: 10 });
            q.term(w, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
            if (w.length >= 5) q.term(w, { usePipeline: false, editDistance: 1 });
          }
        })
        .slice(0, K)
        .map((r) => r.ref);
    },
  },
  {
    name: 'FlexSearch',
    version: pkgVersion('flexsearch'),
    config: "Index over title + questions + body, tokenize: 'forward', encoder: LatinBalance; search { suggest: true }",
    // Its Document index with `merge: true` ranked far worse here (top-1
    // about 0.19), so it gets the plain Index over all the text.
    build(answers) {
      const index = new FlexSearch.Index({ tokenize: 'forward', encoder: FlexSearch.Charset.LatinBalance });
      for (const a of answers) index.add(a.id, [a.title, ...a.questions, a.body].join('\n'));
      return index;
    },
    search: (index, text) => index.search(text, { suggest: true, limit: K }),
  },
  {
    name: 'Orama',
    version: pkgVersion('@orama/orama'),
    config: 'schema title/questions[]/body, boost title 2, tolerance: 1 (prefix matching is its default)',
    async build(answers) {
      const db = create({ schema: { id: 'string', title: 'string', questions: 'string[]', body: 'string' } });
      await insertMultiple(db, answers.map((a) => ({ ...a })));
      return db;
    },
    search(db, text) {
      const r = oramaSearch(db, { term: text, properties: ['title', 'questions', 'body'], boost: { title: 2 }, tolerance: 1, limit: K });
      const ids = (res) => res.hits.map((h) => h.id);
      return typeof r?.then === 'function' ? r.then(ids) : ids(r);
    },
  },
  {
    name: 'Fuse.js',
    version: pkgVersion('fuse.js'),
    config: "keys title (weight 2)/questions[]/body, ignoreLocation: true, default threshold 0.6",
    // Fuse.js scans every string for every query (about 0.2 s a query here),
    // so it runs on an evenly spaced sample of the queries to keep the run short.
    sample: dev ? 40 : quick ? 100 : 300,
    build(answers) {
      return new Fuse(answers, {
        keys: [{ name: 'title', weight: 2 }, 'questions', 'body'],
        includeScore: true,
        ignoreLocation: true,
      });
    },
    search: (fuse, text) => fuse.search(text, { limit: K }).map((r) => r.item.id),
  },
];

function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, ROOT), 'utf8')).version;
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------- measuring
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.round((sorted.length - 1) * p))] : 0);

function score(results, queries) {
  let top1 = 0;
  let rr = 0;
  for (const q of queries) {
    const ranked = results.get(q.id) ?? [];
    const at = ranked.slice(0, K).indexOf(q.intent);
    if (at === 0) top1++;
    if (at >= 0) rr += 1 / (at + 1);
  }
  return { top1: top1 / queries.length, mrr: rr / queries.length };
}

/** `n` evenly spaced queries (all of them when there are fewer). */
const spaced = (queries, n) => (!n || queries.length <= n ? queries : Array.from({ length: n }, (_, i) => queries[Math.floor((i * queries.length) / n)]));

function heapAfterGc() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * V8 heap growth from building `engine`'s index over the answers in
 * `file`, measured in a fresh Node process so earlier engines' garbage and
 * compiled code do not blur it.
 */
function memoryOf(engine, file) {
  const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--memory-of', engine.name, file], { encoding: 'utf8' });
  const bytes = Number(r.stdout.trim());
  if (r.status !== 0 || !Number.isFinite(bytes)) throw new Error(`memory probe for ${engine.name} failed: ${r.stderr}`);
  return bytes;
}

async function runJs(engine, set, answersFile) {
  const t0 = performance.now();
  const state = await engine.build(set.answers);
  const buildMs = performance.now() - t0;
  const memory = memoryOf(engine, answersFile);
  const results = new Map();
  const latencies = [];
  for (const q of spaced(set.queries, engine.sample)) {
    const t = performance.now();
    let r = engine.search(state, q.text);
    if (typeof r?.then === 'function') r = await r;
    latencies.push((performance.now() - t) * 1000);
    results.set(q.id, r);
  }
  return { results, latencies, buildMs, memory };
}

function rankBinary() {
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: ROOT, encoding: 'utf8' }));
  if (!flag('--no-build')) {
    process.stderr.write('building: cargo build --release --bin rank\n');
    const b = spawnSync('cargo', ['build', '--release', '--bin', 'rank'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error('cargo build --release --bin rank failed');
  }
  return join(meta.target_directory, 'release', process.platform === 'win32' ? 'rank.exe' : 'rank');
}

function runPathlight(bin, set, dir) {
  const answersFile = join(dir, 'answers.json');
  const queriesFile = join(dir, 'queries.jsonl');
  writeFileSync(answersFile, JSON.stringify({ version: 1, locale: 'en', answers: set.answers }));
  writeFileSync(queriesFile, set.queries.map((q) => JSON.stringify({ id: q.id, text: q.text, locale: 'en' })).join('\n') + '\n');
  const r = spawnSync(bin, ['--answers', answersFile, '--queries', queriesFile, '--k', String(K), '--timing'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`rank failed (${bin}): ${r.error?.message ?? r.stderr}`);
  const results = new Map();
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const { id, results: ids } = JSON.parse(line);
    results.set(id, ids);
  }
  const timing = Object.fromEntries(
    [...(r.stderr.match(/timing: (.*)/)?.[1] ?? '').matchAll(/(\w+)=([\d.]+)/g)].map(([, k, v]) => [k, Number(v)]),
  );
  return {
    results,
    buildMs: timing.build_ms,
    p50: timing.p50_us,
    p99: timing.p99_us,
    memory: timing.index_bytes + timing.answers_bytes,
  };
}

// ---------------------------------------------------------------- main
if (option('--memory-of')) {
  const engine = engines.find((e) => e.name === option('--memory-of'));
  const answers = JSON.parse(readFileSync(argv[argv.indexOf('--memory-of') + 2], 'utf8')).answers;
  const before = heapAfterGc();
  const state = await engine.build(answers);
  const after = heapAfterGc();
  console.log(Math.max(0, after - before));
  if (state === undefined) console.error('no index');
  process.exit(0);
}
const { label, sets } = splits();
const use = (name) => !wanted || wanted.includes(name.toLowerCase()) || wanted.includes(name.toLowerCase().replace('.js', ''));
const dir = mkdtempSync(join(tmpdir(), 'pathlight-relevance-'));
const rows = [];
let pathlightResults;
try {
  if (option('--write')) {
    const out = option('--write');
    mkdirSync(out, { recursive: true });
    sets.forEach((set, f) => {
      const sub = sets.length > 1 ? join(out, `fold${f}`) : out;
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, 'answers.json'), JSON.stringify({ version: 1, locale: 'en', answers: set.answers }, null, 1));
      writeFileSync(join(sub, 'queries.jsonl'), set.queries.map((q) => JSON.stringify({ id: q.id, text: q.text, locale: 'en' })).join('\n') + '\n');
      writeFileSync(join(sub, 'labels.json'), JSON.stringify(Object.fromEntries(set.queries.map((q) => [q.id, q.intent]))));
    });
  }
  const allQueries = sets.flatMap((s) => s.queries);
  if (use('pathlight')) {
    const bin = rankBinary();
    const results = new Map();
    let buildMs = 0, p50 = 0, p99 = 0, memory = 0;
    for (const set of sets) {
      const r = runPathlight(bin, set, dir);
      for (const [k, v] of r.results) results.set(k, v);
      buildMs += r.buildMs / sets.length;
      p50 += r.p50 / sets.length;
      p99 += r.p99 / sets.length;
      memory += r.memory / sets.length;
    }
    pathlightResults = results;
    rows.push({ name: 'Pathlight', version: 'native', queries: allQueries.length, ...score(results, allQueries), buildMs, p50, p99, memory });
  }
  for (const engine of engines.filter((e) => use(e.name))) {
    process.stderr.write(`running ${engine.name} ${engine.version}\n`);
    const results = new Map();
    let latencies = [];
    let buildMs = 0, memory = 0;
    const asked = sets.flatMap((set) => spaced(set.queries, engine.sample));
    for (const [f, set] of sets.entries()) {
      const answersFile = join(dir, `answers-${f}.json`);
      writeFileSync(answersFile, JSON.stringify({ version: 1, answers: set.answers }));
      const r = await runJs(engine, set, answersFile);
      for (const [k, v] of r.results) results.set(k, v);
      latencies = latencies.concat(r.latencies);
      buildMs += r.buildMs / sets.length;
      memory += r.memory / sets.length;
    }
    latencies.sort((a, b) => a - b);
    rows.push({
      name: engine.name + (asked.length < allQueries.length ? '*' : ''),
      version: engine.version,
      queries: asked.length,
      ...score(results, asked),
      pathlightOnSample: pathlightResults && asked.length < allQueries.length ? score(pathlightResults, asked) : undefined,
      buildMs,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      memory,
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const answers = sets[0].answers.length;
console.log(`Banking77 relevance: ${answers} answers, ${label}, seed ${SEED}`);
const head = ['engine', 'version', 'top-1', 'MRR@10', 'build ms', 'p50 µs', 'p99 µs', 'memory KiB'];
const fmt = (r) => [
  r.name,
  r.version,
  r.top1.toFixed(4),
  r.mrr.toFixed(4),
  r.buildMs.toFixed(1),
  r.p50.toFixed(1),
  r.p99.toFixed(1),
  (r.memory / 1024).toFixed(0),
];
const table = [head, ...rows.map(fmt)];
const widths = head.map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const r of table) console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
console.log(
  [
    '',
    `Pathlight: native Rust (the release \`rank\` binary), latency and build time measured in-process around each`,
    `  search call and around parsing + indexing; memory is its index's heap estimate plus the answers' text.`,
    `JS libraries: Node ${process.version}, this process, performance.now() around each search call (awaited when`,
    `  async); build = adding all answers; memory = V8 heap growth from building the index (after GC, in a fresh process).`,
    ...engines.filter((e) => use(e.name)).map((e) => `  ${e.name}: ${e.config}`),
    ...rows
      .filter((r) => r.name.endsWith('*'))
      .map(
        (r) =>
          `* ${r.name.slice(0, -1)} ran on an evenly spaced sample of ${r.queries} queries (it is too slow for all of them)` +
          (r.pathlightOnSample
            ? `;\n  Pathlight on the same sample: top-1 ${r.pathlightOnSample.top1.toFixed(4)}, MRR@10 ${r.pathlightOnSample.mrr.toFixed(4)}.`
            : '.'),
      ),
  ].join('\n'),
);
if (option('--json')) writeFileSync(option('--json'), JSON.stringify({ label, seed: SEED, rows }, null, 2));
