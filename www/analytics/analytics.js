// The Pathlight analytics page: hand-made SVG charts from
// GET /api/analytics/summary?days=N. No HTML parsing anywhere: every string
// from the server goes in with textContent or as an attribute value.

const SVG_NS = 'http://www.w3.org/2000/svg';
const REFRESH_MS = 10_000;
const PERIODS = [7, 30, 90];

const $ = (id) => document.getElementById(id);
const num = new Intl.NumberFormat();
const pct = (x, digits = 0) => `${(x * 100).toFixed(digits)}%`;
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  setProps(node, props);
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}
function svg(tag, props = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setProps(node, props);
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}
function setProps(node, props) {
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.setAttribute('class', v);
    else if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
}

const count = (x) => (Number.isFinite(x) && x > 0 ? x : 0);
const ratio = (a, b) => (b > 0 ? a / b : 0);

// ---------- state ----------

const state = {
  days: initialDays(),
  data: null,
  sort: { key: 'fired', dir: 'desc' },
  loading: false,
  lastOk: 0,
};

function initialDays() {
  const d = Number(new URLSearchParams(location.search).get('days'));
  return PERIODS.includes(d) ? d : 30;
}

// ---------- loading ----------

async function load({ announce = false } = {}) {
  if (state.loading) return;
  state.loading = true;
  $('refresh').setAttribute('aria-busy', 'true');
  const days = state.days;
  try {
    const res = await fetch(`/api/analytics/summary?days=${days}`, { headers: { accept: 'application/json' } });
    let body = null;
    try { body = await res.json(); } catch { /* not JSON */ }
    if (!res.ok) throw new Error(body && typeof body.error === 'string' ? body.error : `HTTP ${res.status}`);
    if (!body || typeof body !== 'object') throw new Error('the server sent no summary');
    if (days !== state.days) return; // the period changed meanwhile; that load will render
    state.data = body;
    state.lastOk = Date.now();
    $('error').hidden = true;
    render(body);
    $('updated').textContent = `Last ${days} days · updated ${clock.format(state.lastOk)}`;
    if (announce) say(Number(body.events) > 0 ? `Analytics updated for the last ${days} days.` : 'No analytics yet.');
  } catch (err) {
    $('error').textContent = `Could not load analytics: ${err.message}. Trying again every ${REFRESH_MS / 1000} s.`;
    $('error').hidden = false;
    if (!state.lastOk) $('updated').textContent = 'Not loaded';
  } finally {
    state.loading = false;
    $('refresh').removeAttribute('aria-busy');
  }
}

let sayTimer = 0;
function say(text) {
  const r = $('announcer');
  r.textContent = '';
  clearTimeout(sayTimer);
  sayTimer = setTimeout(() => { r.textContent = text; }, 60);
}

// ---------- rendering ----------

function render(d) {
  const empty = !(Number(d.events) > 0);
  $('empty').hidden = !empty;
  $('content').hidden = empty;
  const funnel = Array.isArray(d.funnel) ? d.funnel : [];
  const resolution = d.resolution && typeof d.resolution === 'object' ? d.resolution : {};
  const triggers = Array.isArray(d.triggers) ? d.triggers : [];
  renderKpis(d, funnel, resolution);
  renderFunnel(funnel);
  renderResolution(resolution);
  renderTriggers(triggers);
  renderNoResults(Array.isArray(d.noResults) ? d.noResults : []);
  renderStale(Array.isArray(d.stale) ? d.stale : []);
}

function renderKpis(d, funnel, r) {
  const handoffs = funnel.find((s) => /handoff/i.test(String(s.step)));
  const kpi = (label, value, note) => el('div', { class: 'kpi' },
    el('div', { class: 'label', text: label }), el('div', { class: 'value', text: value }), note ? el('div', { class: 'note', text: note }) : null);
  $('kpis').replaceChildren(
    kpi('Events', num.format(count(d.events)), `last ${state.days} days`),
    kpi('Sessions with an answer', num.format(count(r.sessions)), 'opened at least one answer'),
    kpi('Self-service rate', pct(count(r.rate)), `${num.format(count(r.selfServed))} of ${num.format(count(r.sessions))} sessions`),
    kpi('Handoffs', num.format(count(handoffs?.count)), 'visitors who asked for a person'),
  );
}

/** Horizontal funnel bars with counts, % of the first step and step-to-step drop-off. */
function renderFunnel(steps) {
  // Drawn at the container's width (1 unit = 1 px); labels go above the bars when narrow.
  const W = Math.max(280, Math.round($('funnel').clientWidth || 760));
  const stacked = W < 560;
  const LABEL = stacked ? 0 : 150, HEAD = stacked ? 20 : 0;
  const BAR = W - LABEL - 118, ROW = stacked ? 26 : 34, GAP = 22, TOP = 4;
  funnelWidth = W;
  const first = count(steps[0]?.count);
  const height = TOP + steps.length * (ROW + HEAD) + Math.max(0, steps.length - 1) * GAP + 4;
  const titleId = 'funnel-title', descId = 'funnel-desc';
  const lines = steps.map((s, i) => {
    const c = count(s.count);
    return `${s.step}: ${num.format(c)}${first ? ` (${pct(ratio(c, first))} of the first step)` : ''}${i ? `, ${dropText(steps[i - 1], s)}` : ''}`;
  });
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}` },
    svg('title', { id: titleId, text: 'Funnel' }),
    svg('desc', { id: descId, text: lines.join('. ') || 'No steps.' }));
  const isHandoff = (s) => /handoff/i.test(String(s.step));
  steps.forEach((s, i) => {
    const c = count(s.count);
    const y = TOP + i * (ROW + HEAD + GAP) + HEAD;
    const w = first ? Math.max(c > 0 ? 3 : 0, (BAR * Math.min(c, first)) / first) : 0;
    const fill = isHandoff(s) ? '#6d4fd1' : '#0f766e';
    const g = svg('g', { 'data-step': s.step, 'data-count': c });
    g.append(
      stacked
        ? svg('text', { x: 0, y: y - 6, 'font-size': 13.5, 'font-weight': 600, fill: '#17202b', text: s.step })
        : svg('text', { x: LABEL - 12, y: y + ROW / 2 + 5, 'text-anchor': 'end', 'font-size': 14, 'font-weight': 600, fill: '#17202b', text: s.step }),
      svg('rect', { x: LABEL, y, width: BAR, height: ROW, rx: 5, fill: '#eef1f4' }),
      svg('rect', { class: 'funnel-bar', x: LABEL, y, width: w.toFixed(1), height: ROW, rx: 5, fill }),
    );
    const label = `${num.format(c)}${first ? ` · ${pct(ratio(c, first))}` : ''}`;
    g.append(svg('text', {
      x: LABEL + w + 8, y: y + ROW / 2 + 5, 'font-size': 13.5, 'font-weight': 700, fill: '#17202b', text: label,
    }));
    chart.append(g);
    if (i > 0) {
      const prev = count(steps[i - 1].count);
      const drop = prev ? 1 - c / prev : 0;
      chart.append(svg('text', {
        x: stacked ? W : LABEL + 2, y: y - HEAD - 7 + (stacked ? HEAD - 1 : 0), 'text-anchor': stacked ? 'end' : 'start', 'font-size': 12, fill: drop > 0.5 ? '#a4221a' : '#586271',
        text: !prev ? '' : stacked ? (c < prev ? `↓ ${pct(drop)} drop-off` : '') : `${c < prev ? '↓' : '↑'} ${dropText(steps[i - 1], s)}`,
      }));
    }
  });
  $('funnel').replaceChildren(chart);

  $('funnel-table').replaceChildren(
    el('thead', {}, el('tr', {}, ...['Step', 'Count', '% of first', 'From previous'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...steps.map((s, i) => {
      const c = count(s.count);
      return el('tr', {},
        el('th', { scope: 'row', text: s.step }),
        el('td', { text: num.format(c) }),
        el('td', { text: first ? pct(ratio(c, first), 1) : '—' }),
        el('td', { text: i && count(steps[i - 1].count) ? pct(ratio(c, count(steps[i - 1].count)), 1) : '—' }));
    })));
}

let funnelWidth = 0;
new ResizeObserver(() => {
  const w = Math.round($('funnel').clientWidth);
  if (w && state.data && Math.abs(w - funnelWidth) > 4) renderFunnel(Array.isArray(state.data.funnel) ? state.data.funnel : []);
}).observe($('funnel'));

function dropText(prevStep, step) {
  const prev = count(prevStep.count), c = count(step.count);
  if (!prev) return 'no previous events';
  if (c >= prev) return `+${num.format(c - prev)} vs ${String(prevStep.step).toLowerCase()}`;
  return `${pct(1 - c / prev)} drop-off from ${String(prevStep.step).toLowerCase()} (−${num.format(prev - c)})`;
}

/** A donut: self-served vs handed off, with the rate in the middle. */
function renderResolution(r) {
  const sessions = count(r.sessions), self = count(r.selfServed), handed = count(r.handedOff);
  const rate = Number.isFinite(r.rate) ? r.rate : ratio(self, sessions);
  const box = $('resolution');
  box.setAttribute('data-rate', String(rate));
  const R = 54, C = 2 * Math.PI * R;
  const selfLen = sessions ? C * Math.min(1, self / sessions) : 0;
  const handLen = sessions ? C * Math.min(1, handed / sessions) : 0;
  const label = sessions
    ? `Self-service rate ${pct(rate)}: ${num.format(self)} of ${num.format(sessions)} sessions that opened an answer needed no person; ${num.format(handed)} were handed off.`
    : 'No session opened an answer yet.';
  const chart = svg('svg', { viewBox: '0 0 140 140', role: 'img', 'aria-label': label },
    svg('title', { text: label }),
    svg('circle', { cx: 70, cy: 70, r: R, fill: 'none', stroke: '#e3e8ed', 'stroke-width': 16 }),
    svg('circle', {
      class: 'donut-arc', cx: 70, cy: 70, r: R, fill: 'none', stroke: '#0f766e', 'stroke-width': 16,
      'stroke-dasharray': `${selfLen.toFixed(2)} ${C.toFixed(2)}`, transform: 'rotate(-90 70 70)',
    }),
    svg('circle', {
      class: 'donut-arc', cx: 70, cy: 70, r: R, fill: 'none', stroke: '#c2610c', 'stroke-width': 16,
      'stroke-dasharray': `${handLen.toFixed(2)} ${C.toFixed(2)}`, 'stroke-dashoffset': (-selfLen).toFixed(2), transform: 'rotate(-90 70 70)',
    }),
    svg('text', { x: 70, y: 74, 'text-anchor': 'middle', 'font-size': 30, 'font-weight': 800, fill: '#17202b', text: sessions ? pct(rate) : '—' }),
    svg('text', { x: 70, y: 94, 'text-anchor': 'middle', 'font-size': 11.5, fill: '#586271', text: 'self-served' }));
  box.replaceChildren(el('div', { class: 'res-wrap' }, chart,
    el('ul', { class: 'legend' },
      el('li', {}, el('span', { class: 'sw c', 'aria-hidden': 'true' }), 'Sessions ', el('b', { text: num.format(sessions) })),
      el('li', {}, el('span', { class: 'sw a', 'aria-hidden': 'true' }), 'Self-served ', el('b', { text: num.format(self) })),
      el('li', {}, el('span', { class: 'sw b', 'aria-hidden': 'true' }), 'Handed off ', el('b', { text: num.format(handed) })))));
}

const COLUMNS = [
  ['id', 'Trigger'], ['fired', 'Fired'], ['shown', 'Shown'], ['opened', 'Opened'], ['helpful', 'Helpful'],
  ['unhelpful', 'Not helpful'], ['dismissed', 'Dismissed'], ['handoffs', 'Handoffs'], ['conversion', 'Conversion'],
];

function conversionOf(t) {
  return Number.isFinite(t.conversion) ? t.conversion : ratio(count(t.opened), count(t.shown));
}

function renderTriggers(triggers) {
  const list = triggers.filter((t) => t && typeof t.id === 'string');
  // Two ranked lists: fires most, converts best (among triggers whose nudge was shown).
  const top = (arr, key, fmt) => arr.slice(0, 5).map((t) => el('li', {}, el('span', { class: 'mono', text: t.id }), ` — ${fmt(t)}`));
  const byFired = [...list].sort((a, b) => count(b.fired) - count(a.fired)).filter((t) => count(t.fired) > 0);
  const byConv = [...list].filter((t) => count(t.shown) > 0).sort((a, b) => conversionOf(b) - conversionOf(a) || count(b.shown) - count(a.shown));
  $('ranks').replaceChildren(
    el('div', { class: 'rank' }, el('h3', { text: 'Fires most' }),
      byFired.length ? el('ol', {}, top(byFired, 'fired', (t) => `${num.format(count(t.fired))} fired`)) : el('p', { class: 'empty', text: 'None yet.' })),
    el('div', { class: 'rank' }, el('h3', { text: 'Converts best' }),
      byConv.length ? el('ol', {}, top(byConv, 'conversion', (t) => `${pct(conversionOf(t), 1)} of ${num.format(count(t.shown))} shown`)) : el('p', { class: 'empty', text: 'No nudge shown yet.' })));
  $('ranks').hidden = list.length === 0;

  const { key, dir } = state.sort;
  const value = (t) => (key === 'id' ? t.id : key === 'conversion' ? conversionOf(t) : count(t[key]));
  const sorted = [...list].sort((a, b) => {
    const x = value(a), y = value(b);
    const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
    return (dir === 'asc' ? c : -c) || a.id.localeCompare(b.id);
  });
  const head = el('tr', {}, ...COLUMNS.map(([k, label]) => {
    const th = el('th', { scope: 'col' });
    if (k === key) th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
    const btn = el('button', { type: 'button', 'data-sort': k },
      label, el('span', { class: 'arrow', 'aria-hidden': 'true', text: k === key ? (dir === 'asc' ? '▲' : '▼') : '' }));
    btn.addEventListener('click', () => {
      state.sort = { key: k, dir: k === key && dir === 'desc' ? 'asc' : k === key ? 'desc' : k === 'id' ? 'asc' : 'desc' };
      renderTriggers(Array.isArray(state.data?.triggers) ? state.data.triggers : []);
      document.querySelector(`#triggers th button[data-sort="${k}"]`)?.focus();
      say(`Triggers sorted by ${label}, ${state.sort.dir === 'asc' ? 'ascending' : 'descending'}.`);
    });
    th.append(btn);
    return th;
  }));
  const maxConv = Math.max(0.0001, ...list.map(conversionOf));
  const rows = sorted.map((t) => {
    const conv = conversionOf(t);
    const bar = svg('svg', { width: 64, height: 8, 'aria-hidden': 'true' },
      svg('rect', { x: 0, y: 0, width: (64 * Math.min(1, conv / maxConv)).toFixed(1), height: 8, rx: 4, fill: '#0f766e' }));
    return el('tr', { 'data-trigger': t.id },
      el('th', { scope: 'row', class: 'trig', text: t.id }),
      ...['fired', 'shown', 'opened', 'helpful', 'unhelpful', 'dismissed', 'handoffs'].map((k) => el('td', { text: num.format(count(t[k])) })),
      el('td', {}, el('span', { class: 'conv' }, el('span', { class: 'minibar' }, bar), count(t.shown) ? pct(conv, 1) : '—')));
  });
  $('triggers').replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
  $('triggers').hidden = list.length === 0;
  $('triggers-empty').hidden = list.length > 0;
}

function renderNoResults(items) {
  const list = items.filter((q) => q && typeof q.query === 'string').sort((a, b) => count(b.count) - count(a.count));
  const max = Math.max(1, ...list.map((q) => count(q.count)));
  $('no-results').replaceChildren(...list.map((q) => el('li', { 'data-query': q.query, 'data-count': count(q.count) },
    el('span', { class: 'q', dir: 'auto', text: `“${q.query}”` }),
    el('span', { class: 'c' }, num.format(count(q.count)), el('span', { class: 'sr-only', text: count(q.count) === 1 ? ' search' : ' searches' })),
    el('span', { class: 'track', 'aria-hidden': 'true' },
      svg('svg', { width: '100%', height: 6, preserveAspectRatio: 'none', viewBox: '0 0 100 6' },
        svg('rect', { x: 0, y: 0, width: (100 * count(q.count) / max).toFixed(2), height: 6, fill: '#c2610c' }))))));
  $('no-results-empty').hidden = list.length > 0;
}

function renderStale(items) {
  const list = items.filter((a) => a && typeof a.answerId === 'string')
    .sort((a, b) => count(b.opened) + count(b.inResults) - count(a.opened) - count(a.inResults));
  $('stale').replaceChildren(...list.map((a) => el('li', { 'data-answer': a.answerId, 'data-opened': count(a.opened), 'data-in-results': count(a.inResults) },
    el('span', {},
      el('span', { class: 'id', text: a.answerId }),
      el('span', { class: 'nums', text: `opened ${num.format(count(a.opened))} ${count(a.opened) === 1 ? 'time' : 'times'} · in ${num.format(count(a.inResults))} search ${count(a.inResults) === 1 ? 'result' : 'results'}` })),
    el('span', { class: 'badge review', text: 'Needs review' }))));
  $('stale-empty').hidden = list.length > 0;
}

// ---------- controls ----------

for (const input of document.querySelectorAll('#days input')) {
  input.checked = Number(input.value) === state.days;
  input.addEventListener('change', () => {
    if (!input.checked) return;
    state.days = Number(input.value);
    const url = new URL(location.href);
    url.searchParams.set('days', String(state.days));
    history.replaceState(null, '', url);
    $('updated').textContent = `Loading the last ${state.days} days…`;
    state.loading = false; // a new period wins over a load in flight
    load({ announce: true });
  });
}

$('refresh').addEventListener('click', () => load({ announce: true }));

setInterval(() => { if (!document.hidden) load(); }, REFRESH_MS);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && Date.now() - state.lastOk > REFRESH_MS) load();
});

load();
