// The trigger playground: live validation at JSON paths, and a simulated
// journey with a timeline of what fired and why. Every string from the
// editors is shown with textContent, never as HTML.
import { Pathlight } from '/pkg/pathlight.js';

const $ = (id) => document.getElementById(id);
const SCRIPT = [
  { at: 0, page: '/products/arc', title: 'Arc floor lamp' },
  { at: 5, page: '/checkout', title: 'Checkout' },
  { at: 7, formError: { field: 'Card number', message: 'Your card was declined' } },
  { at: 8, formError: { field: 'Card number', message: 'Your card was declined' } },
  { at: 90, end: true },
];

function parse(text) {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: e.message };
  }
}

/** Select the text of the value at a JSON Pointer (best effort: its last key). */
function reveal(area, path) {
  const key = path.split('/').filter(Boolean).pop();
  area.focus();
  if (!key || /^\d+$/.test(key)) return;
  const at = area.value.indexOf(`"${key.replace(/~1/g, '/').replace(/~0/g, '~')}"`);
  if (at >= 0) area.setSelectionRange(at, at + key.length + 2);
}

function show(listId, area, problems) {
  const list = $(listId);
  list.textContent = '';
  area.setAttribute('aria-invalid', problems.length ? 'true' : 'false');
  if (!problems.length) {
    const li = document.createElement('li');
    li.className = 'ok';
    li.textContent = 'Valid.';
    list.append(li);
    return;
  }
  for (const p of problems) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    const code = document.createElement('code');
    code.textContent = p.path || '/';
    b.append(code, ` ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
    b.addEventListener('click', () => reveal(area, p.path));
    li.append(b);
    list.append(li);
  }
}

async function check() {
  const c = parse($('config').value);
  const a = parse($('answers').value);
  const s = parse($('script').value);
  show('config-problems', $('config'), c.error ? [{ path: '', message: `is not valid JSON: ${c.error}` }] : await Pathlight.validate(c.value));
  show('answers-problems', $('answers'), a.error ? [{ path: '', message: `is not valid JSON: ${a.error}` }] : await Pathlight.validateAnswers(a.value));
  show('script-problems', $('script'), s.error ? [{ path: '', message: `is not valid JSON: ${s.error}` }] : []);
}

function row(tbody, cells, className) {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const [text, cls] of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.append(td);
  }
  tbody.append(tr);
}

async function run() {
  const tl = $('timeline').tBodies[0];
  const end = $('end').tBodies[0];
  tl.textContent = '';
  end.textContent = '';
  try {
    const sim = await Pathlight.simulate($('config').value, $('answers').value, $('script').value);
    for (const l of sim.timeline) {
      row(tl, [[`${l.at} s`], [l.detail], [l.trigger ?? ''], [(l.answers ?? []).join(', ')]], l.kind === 'nudge' ? 'nudge' : '');
    }
    for (const e of sim.end) {
      const why = e.at ? `${e.reason} (until ${new Date(e.at).toISOString().slice(11, 19)} UTC)` : e.reason;
      row(end, [[e.trigger], [e.status, `status-${e.status}`], [why], [e.path]]);
    }
    show('script-problems', $('script'), []);
  } catch (e) {
    const which = e.message.includes('script') ? 'script' : e.message.includes('answers') ? 'answers' : 'config';
    show(`${which}-problems`, $(which), e.problems ?? [{ path: '', message: e.message }]);
  }
}

async function start() {
  const [config, answers] = await Promise.all(
    ['/pathlight/config.json', '/pathlight/answers.json'].map((u) => fetch(u).then((r) => r.text())),
  );
  $('config').value = config;
  $('answers').value = answers;
  $('script').value = JSON.stringify(SCRIPT, null, 2);
  let timer;
  for (const id of ['config', 'answers', 'script']) {
    $(id).addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    });
  }
  $('run').addEventListener('click', run);
  await check();
  await run();
  document.body.dataset.ready = 'true';
}

start();
