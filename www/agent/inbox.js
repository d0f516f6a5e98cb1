// The Pathlight agent inbox. Vanilla JS, no HTML parsing: every string that
// came from a visitor or the server goes into the page with textContent or
// as an attribute value, never through innerHTML.

const API = '/api';
const NAME_KEY = 'pathlight.agentName';
const SEEN_KEY = 'pathlight.inbox.seen';
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);

/** createElement with a class, text and attributes (values set as text, never parsed). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'data') for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A small stroked icon from path data we wrote ourselves. */
function icon(paths) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '1.5');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of [].concat(paths)) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

const ICONS = {
  page: ['M4 1.5h5l3 3v10H4z', 'M9 1.5v3h3'],
  click: ['M4 2l8.5 5.2-3.7 1 2.4 4.2-1.6.9-2.4-4.2L4.5 11.6z'],
  rage: ['M8 1v3M8 12v3M1 8h3M12 8h3M3.2 3.2l2 2M10.8 10.8l2 2M12.8 3.2l-2 2M5.2 10.8l-2 2'],
  warn: ['M8 2l6.5 12h-13z', 'M8 6.5v3.5', 'M8 12v.2'],
  submit: ['M2.5 2.5h11v11h-11z', 'M5 8l2 2 4-4'],
  search: ['M11.5 7a4.5 4.5 0 1 1-9 0a4.5 4.5 0 1 1 9 0z', 'M10.3 10.3L14 14'],
  searchNone: ['M11.5 7a4.5 4.5 0 1 1-9 0a4.5 4.5 0 1 1 9 0z', 'M10.3 10.3L14 14', 'M5.5 5.5l3 3M8.5 5.5l-3 3'],
  exit: ['M6.5 2.5h-4v11h4', 'M10 4.5L13.5 8 10 11.5', 'M13.5 8H6'],
  idle: ['M14.5 8a6.5 6.5 0 1 1-13 0a6.5 6.5 0 1 1 13 0z', 'M8 4.5V8l2.5 1.5'],
  back: ['M6 3.5L2.5 7 6 10.5', 'M2.5 7H10a3.5 3.5 0 0 1 0 7H8'],
  star: ['M8 1.5l1.9 4.1 4.6.5-3.4 3.1 1 4.5L8 11.4l-4.1 2.3 1-4.5-3.4-3.1 4.6-.5z'],
  person: ['M11 5a3 3 0 1 1-6 0a3 3 0 1 1 6 0z', 'M2.5 14.5c.5-3 2.8-4.5 5.5-4.5s5 1.5 5.5 4.5'],
  bubble: ['M2 3h12v8H7l-3 3v-3H2z'],
  bubbleX: ['M2 3h12v8H7l-3 3v-3H2z', 'M6.5 5.5l3 3M9.5 5.5l-3 3'],
  book: ['M8 4C6.5 2.8 4.5 2.5 1.5 2.5v10c3 0 5 .3 6.5 1.5 1.5-1.2 3.5-1.5 6.5-1.5v-10c-3 0-5 .3-6.5 1.5z', 'M8 4v10'],
  check: ['M3 8.5l3 3 7-7'],
  cross: ['M4 4l8 8M12 4l-8 8'],
  headset: ['M3 10V8a5 5 0 0 1 10 0v2', 'M3 9.5h2v4H3z', 'M11 9.5h2v4h-2z'],
  chat: ['M2 3h12v8H7l-3 3v-3H2z'],
  mail: ['M1.5 3.5h13v9h-13z', 'M1.5 4l6.5 5 6.5-5'],
  sms: ['M4.5 1.5h7v13h-7z', 'M7 12.5h2'],
  phone: ['M3 1.5h3l1.5 4-2 1.2a8 8 0 0 0 3.8 3.8l1.2-2 4 1.5v3a1.5 1.5 0 0 1-1.5 1.5A12.5 12.5 0 0 1 1.5 3 1.5 1.5 0 0 1 3 1.5z'],
};

/** Step kinds: label, icon, group (colour), and nouns for folded counts. */
const KINDS = {
  pageView: ['Viewed', 'page', 'nav', 'page view', 'page views'],
  click: ['Clicked', 'click', 'act', 'click', 'clicks'],
  rageClick: ['Rage-clicked', 'rage', 'problem', 'rage click', 'rage clicks'],
  formError: ['Form error', 'warn', 'problem', 'form error', 'form errors'],
  formSubmit: ['Submitted form', 'submit', 'act', 'form submit', 'form submits'],
  search: ['Searched', 'search', 'help', 'search', 'searches'],
  searchNoResults: ['Search found nothing', 'searchNone', 'problem', 'empty search', 'empty searches'],
  exitIntent: ['Moved to leave', 'exit', 'nav', 'exit intent', 'exit intents'],
  idle: ['Went idle', 'idle', 'nav', 'idle period', 'idle periods'],
  returned: ['Came back', 'back', 'nav', 'return', 'returns'],
  custom: ['Event', 'star', 'act', 'event', 'events'],
  identify: ['Signed in / identified', 'person', 'act', 'identify', 'identifies'],
  nudgeShown: ['Nudge shown', 'bubble', 'help', 'nudge shown', 'nudges shown'],
  answerOpened: ['Opened answer', 'book', 'help', 'answer opened', 'answers opened'],
  feedback: ['Rated answer', 'check', 'help', 'rating', 'ratings'],
  nudgeDismissed: ['Dismissed nudge', 'bubbleX', 'help', 'nudge dismissed', 'nudges dismissed'],
  handoff: ['Asked for a person', 'headset', 'handoff', 'handoff', 'handoffs'],
};
const kindInfo = (kind) => KINDS[kind] ?? [String(kind), 'star', 'act', String(kind), String(kind)];

const CHANNELS = { chat: ['Chat', 'chat'], email: ['Email', 'mail'], sms: ['SMS', 'sms'], callback: ['Callback', 'phone'] };
const channelLabel = (c) => (CHANNELS[c] ? CHANNELS[c][0] : String(c || 'Unknown'));
function channelTag(c) {
  const [label, ic] = CHANNELS[c] ?? [String(c || 'Unknown'), 'chat'];
  return el('span', { class: 'chan' }, icon(ICONS[ic]), label);
}

// ---------- formatting ----------

const toMs = (t) => (typeof t === 'number' ? t : Date.parse(t));
const clockFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const clockSecFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const weekdayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short' });

function sameDay(a, b) {
  const x = new Date(a), y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/** "now", "5 min", "3 h", "Yesterday", "Mon", "21 Nov". */
function relative(ms, now = Date.now()) {
  const d = Math.max(0, now - ms);
  if (d < 45_000) return 'now';
  if (d < 3_600_000) return `${Math.max(1, Math.round(d / 60_000))} min`;
  if (d < 86_400_000 && sameDay(ms, now)) return `${Math.floor(d / 3_600_000)} h`;
  if (sameDay(ms, now - 86_400_000)) return 'Yesterday';
  if (d < 6 * 86_400_000) return weekdayFmt.format(ms);
  return dayFmt.format(ms);
}

/** "just now", "5 min ago", "3 h ago", "yesterday", "Mon", "21 Nov". */
function ago(ms) {
  const r = relative(ms);
  if (r === 'now') return 'just now';
  if (/ (min|h)$/.test(r)) return `${r} ago`;
  return r === 'Yesterday' ? 'yesterday' : r;
}

/** "45 s", "2 min 10 s", "1 h 5 min". */
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60), r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** Offset from the journey's start: "0:00", "+4:05", "+1:02:03". */
function offset(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (n) => String(n).padStart(2, '0');
  const body = h ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
  return s === 0 ? body : `+${body}`;
}

function timeEl(ms, text, cls) {
  const t = el('time', { class: cls, text });
  if (Number.isFinite(ms)) {
    t.dateTime = new Date(ms).toISOString();
    t.title = fullFmt.format(ms);
  }
  return t;
}

/** A time for a message: "14:05" today, "21 Nov 14:05" otherwise. */
function messageTime(ms) {
  if (!Number.isFinite(ms)) return '';
  return sameDay(ms, Date.now()) ? clockFmt.format(ms) : `${dayFmt.format(ms)}, ${clockFmt.format(ms)}`;
}

const firstLine = (s) => String(s ?? '').trim().split(/\r?\n/, 1)[0].trim();
const displayName = (c) => (typeof c?.name === 'string' && c.name.trim() ? c.name.trim() : 'Visitor');
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** A mailto: href for a plain address, else null (the address then shows as text). */
function mailHref(email) {
  const e = String(email ?? '').trim();
  const ok = e.length <= 254
    && /^[A-Za-z0-9.!$'*+/=^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(e);
  return ok ? `mailto:${e}` : null;
}

/** A tel: href with digits (and a leading +) only, else null. */
function telHref(phone) {
  const p = String(phone ?? '').trim();
  if (!/^\+?[0-9\s().-]{3,40}$/.test(p)) return null;
  const digits = p.replace(/\D/g, '');
  if (digits.length < 3 || digits.length > 20) return null;
  return `tel:${p.startsWith('+') ? '+' : ''}${digits}`;
}

// ---------- state ----------

const state = {
  convs: new Map(),      // id -> list item
  loaded: false,
  selected: null,        // id
  detail: null,          // the selected conversation (GET /api/conversations/{id})
  messageIds: new Set(), // ids shown in the thread
  loadToken: 0,
  seen: loadSeen(),
};

function loadSeen() {
  try {
    const v = JSON.parse(localStorage.getItem(SEEN_KEY) || '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}
function markSeen(id, at) {
  if (!id || !Number.isFinite(at)) return;
  if ((state.seen[id] ?? 0) >= at) return;
  state.seen[id] = at;
  // Keep the newest 500 entries.
  const entries = Object.entries(state.seen);
  if (entries.length > 500) {
    entries.sort((a, b) => b[1] - a[1]);
    state.seen = Object.fromEntries(entries.slice(0, 500));
  }
  try { localStorage.setItem(SEEN_KEY, JSON.stringify(state.seen)); } catch { /* private mode */ }
}

function agentName() {
  let n = '';
  try { n = localStorage.getItem(NAME_KEY) || ''; } catch { /* ignore */ }
  n = n.trim();
  return n || 'Dana';
}

// ---------- network ----------

async function api(path, init) {
  const res = await fetch(API + path, {
    ...init,
    headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) },
  });
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  if (!res.ok) {
    const msg = body && typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    const err = new Error(msg);
    err.status = res.status;
    throw err;
  }
  return body;
}

// ---------- announcements ----------

let announceTimer = 0;
function announce(text) {
  const region = $('announcer');
  // Clear first so the same text twice is announced twice.
  region.textContent = '';
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => { region.textContent = text; }, 60);
}

// ---------- the list ----------

function sortedConvs() {
  return [...state.convs.values()].sort((a, b) => (toMs(b.updatedAt) || 0) - (toMs(a.updatedAt) || 0));
}

function isUnread(c) {
  if (c.id === state.selected || c.status === 'closed') return false;
  return (state.seen[c.id] ?? 0) < (toMs(c.updatedAt) || 0);
}

function listItem(c) {
  const unread = isUnread(c);
  const closed = c.status === 'closed';
  const li = el('li', {
    class: ['conv', unread ? 'unread' : '', closed ? 'is-closed' : ''].filter(Boolean).join(' '),
    data: { id: c.id, status: c.status ?? 'open', waiting: c.waiting ? 'true' : 'false' },
  });
  const a = el('a', { href: `#c=${encodeURIComponent(c.id)}` });
  if (c.id === state.selected) a.setAttribute('aria-current', 'true');
  const updated = toMs(c.updatedAt);
  a.append(
    el('span', { class: 'conv-row' },
      el('span', { class: 'conv-name', dir: 'auto', text: displayName(c) }),
      timeEl(updated, Number.isFinite(updated) ? relative(updated) : '', 'conv-when')),
    el('span', { class: 'conv-row conv-tags' },
      channelTag(c.channel),
      c.waiting && !closed ? el('span', { class: 'badge waiting', text: 'Waiting' }) : null,
      closed ? el('span', { class: 'badge closed', text: 'Closed' }) : null,
      unread ? el('span', { class: 'sr-only', text: 'Unread' }) : null),
    el('span', { class: 'conv-preview', dir: 'auto', text: firstLine(c.message) || '(no message)' }),
  );
  const last = c.lastMessage;
  if (last && typeof last.text === 'string' && last.text.trim() !== String(c.message ?? '').trim()) {
    const who = last.from === 'agent' ? (last.name ? `${last.name}: ` : 'Agent: ') : 'Visitor: ';
    a.append(el('span', { class: 'conv-last', dir: 'auto', text: who + firstLine(last.text) }));
  }
  li.append(a);
  if (unread) li.append(el('span', { class: 'unread-dot', 'aria-hidden': 'true' }));
  return li;
}

function renderList() {
  const ul = $('conversations');
  const focusedId = document.activeElement?.closest?.('#conversations li')?.dataset.id;
  const items = sortedConvs();
  ul.replaceChildren(...items.map(listItem));
  $('list-empty').hidden = !state.loaded || items.length > 0;
  const open = items.filter((c) => c.status !== 'closed');
  const waiting = open.filter((c) => c.waiting).length;
  $('open-count').textContent = items.length
    ? `${open.length} open${waiting ? ` · ${waiting} waiting` : ''}`
    : '';
  if (focusedId !== undefined) {
    const again = [...ul.children].find((li) => li.dataset.id === focusedId);
    again?.querySelector('a')?.focus({ preventScroll: true });
  }
  updateTitle();
}

function updateTitle() {
  const waiting = [...state.convs.values()].filter((c) => c.status !== 'closed' && c.waiting).length;
  document.title = `${waiting ? `(${waiting}) ` : ''}Agent inbox · Pathlight`;
}

/** Arrow keys move between conversations; Home/End jump. */
$('conversations').addEventListener('keydown', (e) => {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const links = [...$('conversations').querySelectorAll('li > a')];
  if (!links.length) return;
  const i = links.indexOf(document.activeElement);
  let j = i;
  if (e.key === 'ArrowDown') j = Math.min(links.length - 1, i + 1);
  else if (e.key === 'ArrowUp') j = Math.max(0, i - 1);
  else if (e.key === 'Home') j = 0;
  else j = links.length - 1;
  e.preventDefault();
  links[j].focus();
});

async function loadList() {
  try {
    const list = await api('/conversations');
    state.convs.clear();
    for (const c of Array.isArray(list) ? list : []) if (c && typeof c.id === 'string') state.convs.set(c.id, c);
    state.loaded = true;
    $('list-error').hidden = true;
  } catch (err) {
    $('list-error').textContent = `Could not load conversations: ${err.message}`;
    $('list-error').hidden = false;
  }
  renderList();
}

// ---------- selection ----------

function hashId() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const id = params.get('c');
  return id ? id : null;
}

function showPane(which) {
  $('placeholder').hidden = which !== 'placeholder';
  $('conversation').hidden = which !== 'conversation';
  $('detail-error').hidden = which !== 'error';
  document.body.classList.toggle('has-selection', which !== 'placeholder');
}

async function select(id) {
  state.selected = id;
  state.detail = null;
  state.messageIds = new Set();
  const token = ++state.loadToken;
  renderList();
  $('conversations').querySelector('a[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  if (!id) {
    showPane('placeholder');
    return;
  }
  $('composer-error').textContent = '';
  try {
    const d = await api(`/conversations/${encodeURIComponent(id)}`);
    if (token !== state.loadToken) return;
    state.detail = d;
    renderDetail(d);
    showPane('conversation');
    $('conv-scroll').scrollTop = 0;
    scrollThreadToEnd(true);
    markSeen(id, toMs(d.updatedAt));
    renderList();
  } catch (err) {
    if (token !== state.loadToken) return;
    $('detail-error').textContent = err.status === 404
      ? 'This conversation does not exist (any more).'
      : `Could not load the conversation: ${err.message}`;
    showPane('error');
  }
}

window.addEventListener('hashchange', () => {
  const id = hashId();
  if (id !== state.selected) select(id);
});

// ---------- the detail ----------

function renderDetail(d) {
  const p = d.payload && typeof d.payload === 'object' ? d.payload : {};
  const contact = p.contact && typeof p.contact === 'object' ? p.contact : {};
  const name = displayName({ name: d.name ?? contact.name });

  $('conv-title').textContent = name;
  renderHead(d);
  const summary = $('summary');
  summary.textContent = (d.summary || p.summary || '').trim() || 'No summary.';
  summary.lang = typeof p.summaryLocale === 'string' ? p.summaryLocale : '';

  renderContact(d, contact);
  renderTrigger(p.trigger ?? null, d.trigger ?? null);
  renderAnswers(Array.isArray(p.answers) ? p.answers : []);
  renderSearches(Array.isArray(p.searches) ? p.searches : []);
  renderFormErrors(Array.isArray(p.formErrors) ? p.formErrors : []);
  renderTimeline(p);
  renderVisitor(p.visitor, p.consent);
  renderThread(d, p);
  renderComposerState(d);
}

function renderHead(d) {
  const created = toMs(d.createdAt);
  const closed = d.status === 'closed';
  $('conv-meta').replaceChildren(
    channelTag(d.channel ?? d.payload?.contact?.channel),
    closed ? el('span', { class: 'badge closed', text: 'Closed' })
      : d.waiting ? el('span', { class: 'badge waiting', text: 'Waiting for a reply' })
        : el('span', { class: 'badge open', text: 'Open' }),
    Number.isFinite(created) ? el('span', {}, 'Asked ', timeEl(created, `${messageTime(created)} · ${ago(created)}`)) : null,
  );
  const btn = $('close');
  btn.setAttribute('aria-disabled', closed ? 'true' : 'false');
  btn.textContent = closed ? 'Closed' : 'Close conversation';
  $('thread-closed').hidden = !closed;
}

function renderContact(d, contact) {
  const dl = $('contact');
  const rows = [];
  const channel = contact.channel ?? d.channel;
  rows.push(['Channel', el('span', { class: 'preferred' }, channelTag(channel))]);
  const name = contact.name ?? d.name;
  if (name) rows.push(['Name', el('span', { dir: 'auto', text: name })]);
  const email = contact.email ?? d.email;
  if (email) {
    const href = mailHref(email);
    rows.push(['Email', href ? el('a', { href, text: email }) : el('span', { text: email })]);
  }
  const phone = contact.phone ?? d.phone;
  if (phone) {
    const href = telHref(phone);
    rows.push(['Phone', href ? el('a', { href, text: phone }) : el('span', { text: phone })]);
  }
  const when = contact.preferredTime ?? d.preferredTime;
  if (when) rows.push(['Preferred time', el('span', { dir: 'auto', text: when })]);
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
}

function renderTrigger(trigger, triggerId) {
  const box = $('trigger');
  if (trigger && typeof trigger === 'object' && trigger.id) {
    box.replaceChildren(
      el('div', {}, 'Nudge from trigger ', el('code', { text: trigger.id })),
      trigger.message ? el('q', { dir: 'auto', text: trigger.message }) : null,
    );
  } else if (trigger === null && triggerId && typeof triggerId === 'object' && triggerId.id) {
    renderTrigger(triggerId, null);
  } else if (typeof triggerId === 'string' && triggerId) {
    box.replaceChildren(el('div', {}, 'Nudge from trigger ', el('code', { text: triggerId })));
  } else {
    box.replaceChildren(el('span', { class: 'empty', text: 'Opened help themselves (no nudge).' }));
  }
}

function answerState(a) {
  if (a.helpful === true) return 'helpful';
  if (a.helpful === false) return 'unhelpful';
  return a.opened ? 'opened' : 'shown';
}
const ANSWER_BADGES = {
  shown: ['Shown', ''], opened: ['Opened', 'info'], helpful: ['Helpful ✓', 'ok'], unhelpful: ['Not helpful ✗', 'bad'],
};

function renderAnswers(answers) {
  $('answers').replaceChildren(...answers.map((a) => {
    const st = answerState(a);
    const [label, cls] = ANSWER_BADGES[st];
    return el('li', { data: { answer: a.id ?? '', state: st } },
      el('span', { class: 'main' },
        el('span', { dir: 'auto', text: a.title || a.id || 'Untitled answer' }),
        el('span', { class: 'sub' }, a.triggerId ? `from nudge ${a.triggerId}` : 'from help panel or search')),
      el('span', { class: `badge ${cls}`, text: label }));
  }));
  counted('answers', answers.length);
}

function renderSearches(searches) {
  $('searches').replaceChildren(...searches.map((s) => {
    const at = toMs(s.at);
    const results = Number.isInteger(s.results) ? s.results : null;
    return el('li', { data: { query: s.query ?? '', results: results ?? '' } },
      el('span', { class: 'main' },
        el('span', { dir: 'auto', text: `“${s.query ?? ''}”` }),
        Number.isFinite(at) ? el('span', { class: 'sub' }, timeEl(at, clockSecFmt.format(at))) : null),
      results === 0 ? el('span', { class: 'badge bad', text: 'no results' })
        : results !== null ? el('span', { class: 'badge', text: plural(results, 'result', 'results') }) : null);
  }));
  counted('searches', searches.length);
}

function renderFormErrors(errors) {
  $('form-errors').replaceChildren(...errors.map((f) => {
    const at = toMs(f.at);
    return el('li', {},
      el('span', { class: 'main' },
        f.field ? el('strong', { dir: 'auto', text: `${f.field}: ` }) : null,
        el('span', { dir: 'auto', text: f.message ?? '' }),
        el('span', { class: 'sub' },
          el('span', { class: 'mono', text: f.path ?? '' }),
          Number.isFinite(at) ? ' · ' : null,
          Number.isFinite(at) ? timeEl(at, clockSecFmt.format(at)) : null)));
  }));
  counted('errors', errors.length);
}

function counted(prefix, n) {
  $(`${prefix}-n`).textContent = n ? String(n) : '';
  $(`${prefix}-empty`).hidden = n > 0;
}

function renderTimeline(p) {
  const journey = Array.isArray(p.journey) ? p.journey : [];
  const answers = new Map((Array.isArray(p.answers) ? p.answers : []).map((a) => [a.id, a]));
  const searches = Array.isArray(p.searches) ? p.searches : [];
  const start = journey.length ? toMs(journey[0].at) : NaN;

  const folded = Number.isInteger(p.foldedSteps) ? p.foldedSteps : 0;
  const note = $('folded');
  if (folded > 0) {
    const parts = Object.entries(p.folded && typeof p.folded === 'object' ? p.folded : {})
      .filter(([, n]) => Number.isInteger(n) && n > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => { const k = kindInfo(kind); return plural(n, k[3], k[4]); });
    note.textContent = `${folded} earlier ${folded === 1 ? 'step' : 'steps'} folded${parts.length ? ` (${parts.join(', ')})` : ''}`;
    note.hidden = false;
  } else {
    note.textContent = '';
    note.hidden = true;
  }
  $('journey-n').textContent = journey.length ? String(journey.length + folded) : '';

  let page = null;
  $('timeline').replaceChildren(...journey.map((s) => {
    const [label, ic, group] = kindInfo(s.kind);
    const at = toMs(s.at);
    const detail = typeof s.detail === 'string' ? s.detail : '';
    let iconName = ic;
    const body = el('div', { class: 'step-body' });
    const title = el('div', { class: 'step-title' }, el('span', { class: 'step-kind', text: label }), ' ');
    const extra = el('div', { class: 'step-detail' });

    switch (s.kind) {
      case 'pageView':
        title.append(el('span', { class: 'step-path', text: s.path ?? '' }));
        if (detail) extra.append(el('span', { dir: 'auto', text: detail }));
        if (Number.isInteger(s.dwellSeconds)) {
          extra.append(el('span', { class: 'step-dwell', text: `${detail ? ' · ' : ''}stayed ${duration(s.dwellSeconds)}` }));
        }
        break;
      case 'formError': {
        const cut = detail.lastIndexOf(': ');
        if (cut > 0) {
          extra.append(el('span', { dir: 'auto', text: `${detail.slice(0, cut)}: ` }), el('span', { class: 'bad', dir: 'auto', text: detail.slice(cut + 2) }));
        } else if (detail) {
          extra.append(el('span', { class: 'bad', dir: 'auto', text: detail }));
        }
        break;
      }
      case 'search': {
        const match = searches.find((x) => x.query === detail && (!x.at || toMs(x.at) === at));
        extra.append(el('span', { dir: 'auto', text: `“${detail}”` }));
        if (match && Number.isInteger(match.results) && match.results > 0) {
          extra.append(el('span', { class: 'step-dwell', text: ` · ${plural(match.results, 'result', 'results')}` }));
        }
        break;
      }
      case 'searchNoResults':
        extra.append(el('span', { dir: 'auto', text: `“${detail}”` }), el('span', { class: 'bad', text: ' · no results' }));
        break;
      case 'answerOpened': {
        const a = answers.get(detail);
        extra.append(el('span', { dir: 'auto', text: a?.title || detail }));
        break;
      }
      case 'feedback': {
        const cut = detail.lastIndexOf(': ');
        const id = cut > 0 ? detail.slice(0, cut) : detail;
        const verdict = cut > 0 ? detail.slice(cut + 2) : '';
        const a = answers.get(id);
        extra.append(el('span', { dir: 'auto', text: a?.title || id }));
        if (verdict === 'helpful') extra.append(el('span', { class: 'ok', text: ' · helpful ✓' }));
        else if (verdict === 'unhelpful') { extra.append(el('span', { class: 'bad', text: ' · not helpful ✗' })); iconName = 'cross'; }
        else if (verdict) extra.append(el('span', { text: ` · ${verdict}` }));
        break;
      }
      case 'nudgeShown':
      case 'nudgeDismissed':
        if (detail) extra.append('trigger ', el('code', { class: 'mono', text: detail }));
        break;
      case 'click':
      case 'rageClick':
        if (detail) extra.append(el('span', { dir: 'auto', text: `“${detail}”` }));
        break;
      case 'returned':
        if (detail) extra.append(el('span', { text: `after ${detail} away` }));
        break;
      default:
        if (detail) extra.append(el('span', { dir: 'auto', text: detail }));
    }
    // Where it happened, when that is not the page last viewed.
    if (s.kind !== 'pageView' && s.path && s.path !== page) {
      extra.append(el('span', { class: 'step-dwell' }, extra.childNodes.length ? ' · on ' : 'on ', el('span', { class: 'step-path', text: s.path })));
    }
    if (s.kind === 'pageView') page = s.path;
    body.append(title);
    if (extra.childNodes.length) body.append(extra);

    const time = el('span', { class: 'step-time' });
    if (Number.isFinite(at)) {
      time.append(el('b', { text: Number.isFinite(start) ? offset(at - start) : '' }), timeEl(at, clockSecFmt.format(at)));
    }
    return el('li', { class: `step k-${group}`, data: { kind: s.kind ?? '' } },
      el('span', { class: 'step-icon' }, icon(ICONS[iconName] ?? ICONS.star)), body, time);
  }));
}

function renderVisitor(visitor, consent) {
  const v = visitor && typeof visitor === 'object' ? visitor : {};
  const rows = [];
  if (v.locale) rows.push(['Language', v.locale]);
  if (v.timeZone) {
    let local = '';
    try {
      local = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: v.timeZone }).format(Date.now());
    } catch { /* unknown zone */ }
    rows.push(['Time zone', local ? `${v.timeZone} (now ${local})` : v.timeZone]);
  }
  if (v.device) rows.push(['Device', v.device]);
  if (consent) rows.push(['Consent', consent]);
  const attrs = v.attributes && typeof v.attributes === 'object' ? v.attributes : {};
  for (const [k, val] of Object.entries(attrs)) rows.push([k, String(val)]);
  if (v.id) rows.push(['Visitor id', v.id]);
  $('visitor').replaceChildren(...rows.flatMap(([k, val]) => [el('dt', { dir: 'auto', text: k }), el('dd', { dir: 'auto', text: val })]));
}

// ---------- the thread ----------

function messageItem(m, visitorName) {
  const at = toMs(m.at);
  const agent = m.from === 'agent';
  const who = agent ? (m.name || 'Agent') : visitorName;
  return el('li', { class: 'msg', data: { from: agent ? 'agent' : 'visitor', id: m.id ?? '' } },
    el('div', { class: 'msg-head' },
      el('span', { class: 'who', dir: 'auto', text: who }),
      Number.isFinite(at) ? timeEl(at, messageTime(at)) : null),
    el('p', { class: 'msg-text', dir: 'auto', text: m.text ?? '' }));
}

function renderThread(d, p) {
  const messages = Array.isArray(d.messages) ? d.messages : [];
  const visitorName = displayName({ name: d.name ?? p.contact?.name });
  const request = String(p.message ?? d.message ?? '').trim();
  const box = $('request');
  // The handoff message opens the thread, unless the server stored it as the first message.
  const first = messages[0];
  const stored = first && first.from === 'visitor' && String(first.text ?? '').trim() === request;
  if (request && !stored) {
    const at = toMs(p.createdAt ?? d.createdAt);
    box.replaceChildren(
      el('div', { class: 'msg-head' },
        el('span', { class: 'who', dir: 'auto', text: visitorName }),
        el('span', { class: 'tag', text: 'asked for a person' }),
        Number.isFinite(at) ? timeEl(at, messageTime(at)) : null),
      el('p', { class: 'msg-text', dir: 'auto', text: request }));
    box.hidden = false;
  } else {
    box.replaceChildren();
    box.hidden = true;
  }
  state.messageIds = new Set(messages.map((m) => m.id));
  $('thread').replaceChildren(...messages.map((m) => messageItem(m, visitorName)));
}

function appendMessage(m) {
  if (!state.detail || state.messageIds.has(m.id)) return false;
  state.messageIds.add(m.id);
  state.detail.messages = [...(state.detail.messages ?? []), m];
  const near = nearBottom();
  const visitorName = displayName({ name: state.detail.name ?? state.detail.payload?.contact?.name });
  $('thread').append(messageItem(m, visitorName));
  if (near || m.from === 'agent') scrollThreadToEnd();
  return true;
}

function nearBottom() {
  const s = $('conv-scroll');
  return s.scrollHeight - s.scrollTop - s.clientHeight < 120;
}
function scrollThreadToEnd(instant) {
  const s = $('conv-scroll');
  // Only when the thread is longer than the view: the summary stays in view otherwise.
  requestAnimationFrame(() => {
    if (s.scrollHeight > s.clientHeight) s.scrollTo({ top: s.scrollHeight, behavior: instant ? 'auto' : 'smooth' });
  });
}

// ---------- the composer ----------

let sending = false;
const reply = $('reply');
const send = $('send');
const nameInput = $('agent-name');
nameInput.value = agentName();
nameInput.addEventListener('change', () => {
  const v = nameInput.value.trim();
  try {
    if (v) localStorage.setItem(NAME_KEY, v);
    else localStorage.removeItem(NAME_KEY);
  } catch { /* ignore */ }
  nameInput.value = agentName();
});

function renderComposerState(d) {
  const closed = d?.status === 'closed';
  // The server reopens a closed conversation when someone writes in it.
  reply.placeholder = closed
    ? 'This conversation is closed. A reply reopens it.'
    : `Reply to ${displayName({ name: d?.name ?? d?.payload?.contact?.name })}…`;
  updateSend();
}
function updateSend() {
  send.disabled = reply.disabled || sending || !reply.value.trim();
}
reply.addEventListener('input', updateSend);
reply.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    $('composer').requestSubmit();
  }
});

$('composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const d = state.detail;
  const text = reply.value.trim();
  if (!d || sending || !text) return;
  if (text.length > 2000) {
    $('composer-error').textContent = 'A reply can be at most 2,000 characters.';
    return;
  }
  sending = true;
  updateSend();
  $('composer-error').textContent = '';
  const name = agentName();
  const id = d.id;
  try {
    const res = await api(`/conversations/${encodeURIComponent(id)}/messages`, {
      method: 'POST',
      body: JSON.stringify({ text, name }),
    });
    if (state.detail?.id === id) {
      reply.value = '';
      const m = { id: res?.id, from: 'agent', name, text, at: res?.at ?? Date.now() };
      if (m.id !== undefined) appendMessage(m);
      state.detail.waiting = false;
      if (state.detail.status === 'closed') applyStatus(id, 'open'); // writing reopens it
      renderHead(state.detail);
    }
    const c = state.convs.get(id);
    if (c) {
      c.waiting = false;
      c.lastMessage = { id: res?.id, from: 'agent', name, text, at: res?.at ?? Date.now() };
      c.updatedAt = Math.max(toMs(c.updatedAt) || 0, res?.at ?? Date.now());
      markSeen(id, c.updatedAt);
      renderList();
    }
  } catch (err) {
    $('composer-error').textContent = `Not sent: ${err.message}. Your text is still here; try again.`;
  } finally {
    sending = false;
    updateSend();
    if (state.detail?.id === id) reply.focus();
  }
});

$('close').addEventListener('click', async () => {
  const d = state.detail;
  const btn = $('close');
  if (!d || d.status === 'closed' || btn.dataset.busy) return;
  btn.dataset.busy = '1';
  try {
    await api(`/conversations/${encodeURIComponent(d.id)}/close`, { method: 'POST' });
    applyStatus(d.id, 'closed');
    announce(`Conversation with ${displayName(d)} closed.`);
  } catch (err) {
    $('composer-error').textContent = `Could not close: ${err.message}`;
  } finally {
    delete btn.dataset.busy;
  }
});

function applyStatus(id, status) {
  const c = state.convs.get(id);
  if (c) {
    c.status = status;
    if (status === 'closed') c.waiting = false;
  }
  if (state.detail?.id === id) {
    state.detail.status = status;
    if (status === 'closed') state.detail.waiting = false;
    renderHead(state.detail);
    renderComposerState(state.detail);
  }
  renderList();
}

// ---------- live updates ----------

function setLive(s, text) {
  const live = $('live');
  live.dataset.state = s;
  live.firstElementChild.textContent = text;
}

function parse(data) {
  try { return JSON.parse(data); } catch { return null; }
}

function onConversation(c) {
  if (!c || typeof c.id !== 'string') return;
  const isNew = state.loaded && !state.convs.has(c.id);
  const prev = state.convs.get(c.id);
  state.convs.set(c.id, { ...prev, ...c });
  if (c.id === state.selected) {
    markSeen(c.id, toMs(c.updatedAt));
    if (state.detail) {
      Object.assign(state.detail, {
        status: c.status ?? state.detail.status,
        waiting: c.waiting ?? state.detail.waiting,
        updatedAt: c.updatedAt ?? state.detail.updatedAt,
      });
      renderHead(state.detail);
      renderComposerState(state.detail);
    }
  }
  renderList();
  if (isNew) {
    const line = firstLine(c.message);
    announce(`New conversation from ${displayName(c)} by ${channelLabel(c.channel)}${line ? `: ${line}` : ''}`);
  }
}

function onMessage(ev) {
  if (!ev || typeof ev.conversation !== 'string' || !ev.message) return;
  const m = ev.message;
  const c = state.convs.get(ev.conversation);
  if (c) {
    c.lastMessage = m;
    const at = toMs(m.at);
    if (Number.isFinite(at)) c.updatedAt = Math.max(toMs(c.updatedAt) || 0, at);
    if (c.status !== 'closed') c.waiting = m.from === 'visitor';
  }
  if (ev.conversation === state.selected && state.detail) {
    const added = appendMessage(m);
    state.detail.waiting = m.from === 'visitor' && state.detail.status !== 'closed';
    renderHead(state.detail);
    if (c) markSeen(c.id, toMs(c.updatedAt));
    if (added && m.from === 'visitor') announce(`${displayName(c ?? state.detail)} wrote: ${firstLine(m.text)}`);
  } else if (c && m.from === 'visitor') {
    announce(`New message from ${displayName(c)}`);
  }
  if (c) renderList();
  else loadList();
}

let source = null;
let retry = 1000;
let hadError = false;
function connect() {
  source?.close();
  source = new EventSource(`${API}/inbox/events`);
  source.addEventListener('open', () => {
    setLive('live', 'Live');
    retry = 1000;
    if (hadError) {
      // Catch up on whatever happened while we were away.
      hadError = false;
      loadList();
      if (state.selected) refreshDetail();
    }
  });
  source.addEventListener('conversation', (e) => onConversation(parse(e.data)));
  source.addEventListener('message', (e) => onMessage(parse(e.data)));
  source.addEventListener('error', () => {
    hadError = true;
    setLive('down', 'Reconnecting…');
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30_000);
    }
  });
}

async function refreshDetail() {
  const id = state.selected;
  if (!id) return;
  try {
    const d = await api(`/conversations/${encodeURIComponent(id)}`);
    if (state.selected !== id) return;
    const keep = nearBottom();
    const draft = reply.value;
    state.detail = d;
    renderDetail(d);
    reply.value = draft;
    updateSend();
    if (keep) scrollThreadToEnd(true);
  } catch { /* the next event or reload will tell */ }
}

// Keep relative times fresh.
setInterval(() => {
  for (const t of document.querySelectorAll('#conversations time[datetime]')) {
    const ms = Date.parse(t.dateTime);
    if (Number.isFinite(ms)) t.textContent = relative(ms);
  }
}, 30_000);

// ---------- start ----------

(async function start() {
  connect();
  await loadList();
  const id = hashId();
  if (id) await select(id);
  else showPane('placeholder');
})();
