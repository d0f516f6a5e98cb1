// Serves the demo: www/ at /, the built package at /pkg/. Zero dependencies.
//   node www/serve.mjs [--port 8080] [--host 127.0.0.1]
// Clean URLs: /checkout serves checkout.html, /products/ serves products/index.html.
// /account/… is a single-page app: an extension-less path under it with no
// file serves account/index.html.
//
// It also answers the reference server's API (docs/server.md) from memory,
// so the store, the agent inbox and the analytics page work without it and
// the end-to-end tests have the endpoints the demo config points at:
// handoffs (POST /api/handoffs), the visitor chat (/api/chat/…), the inbox
// (/api/conversations…, /api/inbox/events) and analytics (/api/analytics…).
// Nothing is kept after the process ends; www/server/ is the real thing.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const roots = { '/pkg/': join(here, '..', 'pkg'), '/': here };
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.ts': 'text/plain; charset=utf-8',
};

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function file(path) {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return file(join(path, 'index.html'));
    return { path, body: await readFile(path) };
  } catch {
    return null;
  }
}

async function resolve(urlPath) {
  const prefix = urlPath.startsWith('/pkg/') ? '/pkg/' : '/';
  const root = roots[prefix];
  let rel;
  try {
    rel = decodeURIComponent(urlPath.slice(prefix.length));
  } catch {
    return null;
  }
  const full = normalize(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) return null;
  const found = (await file(full)) ?? (extname(full) ? null : await file(full + '.html'));
  if (found || prefix !== '/') return found;
  // The account pages are one single-page app.
  if (/^\/account\/./.test(urlPath) && !extname(full)) return file(join(here, 'account', 'index.html'));
  return null;
}

// ---- The API stand-in (docs/server.md), in memory.

const MAX_BODY = 64 * 1024;
const KEY = /^[A-Za-z0-9_-]{8,128}$/;
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type, idempotency-key, last-event-id',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'retry-after',
};

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function send(res, status, value, headers = {}) {
  res.writeHead(status, { ...CORS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  res.end(JSON.stringify(value));
}

function body(req) {
  return new Promise((ok, fail) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        fail(new HttpError(413, `the body is larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

async function json(req) {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type && type !== 'application/json' && type !== 'text/plain') {
    throw new HttpError(415, 'send application/json (or text/plain from sendBeacon)');
  }
  const text = await body(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body is not valid JSON');
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function sse(res) {
  res.writeHead(200, { ...CORS, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(': connected\n\n');
  const timer = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  res.on('close', () => clearInterval(timer));
}
const event = (res, name, data, id) => res.write(`event: ${name}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);

function createApi() {
  const conversations = new Map(); // id -> { payload, item, messages, visitors: Set, clientIds: Map }
  const inbox = new Set();
  const analytics = new Map(); // messageId -> event
  let messageId = 0;

  const replyFor = () => {
    const waiting = [...conversations.values()].filter((c) => c.status === 'open' && !c.messages.some((m) => m.from === 'agent')).length;
    return { status: 'queued', position: waiting, waitSeconds: 120 * waiting };
  };
  const item = (c) => {
    const last = c.messages.at(-1) ?? null;
    const p = c.payload;
    const text = (v) => (typeof v === 'string' ? v : null);
    return {
      id: c.id, createdAt: c.createdAt, updatedAt: c.updatedAt, summary: text(p.summary), message: text(p.message),
      channel: text(p.contact?.channel), name: text(p.contact?.name), email: text(p.contact?.email),
      phone: text(p.contact?.phone), preferredTime: text(p.contact?.preferredTime),
      trigger: isObject(p.trigger) ? p.trigger : null, status: c.status, lastMessage: last, waiting: !last || last.from === 'visitor',
    };
  };
  const changed = (c) => {
    for (const res of inbox) event(res, 'conversation', item(c));
  };
  const addMessage = (c, message) => {
    c.messages.push(message);
    c.updatedAt = message.at;
    for (const res of c.visitors) event(res, 'message', message, message.id);
    for (const res of inbox) event(res, 'message', { conversation: c.id, message });
    changed(c);
  };
  const conversation = (id) => {
    const c = conversations.get(id);
    if (!c) throw new HttpError(404, `no conversation ${id}`);
    return c;
  };
  const text = (value) => {
    const t = typeof value === 'string' ? value.trim() : '';
    if (!t || t.length > 2000) throw new HttpError(422, '`text` must be 1 to 2,000 characters');
    return t;
  };

  function summary(days) {
    const since = Date.now() - days * 86_400_000;
    const events = [...analytics.values()].filter((e) => Date.parse(e.timestamp) >= since);
    const named = (name) => events.filter((e) => e.event === name);
    const prop = (e, k) => e.properties?.[k];
    const triggers = new Map();
    const t = (id) => {
      if (!triggers.has(id)) triggers.set(id, { id, fired: 0, shown: 0, opened: 0, helpful: 0, unhelpful: 0, dismissed: 0, handoffs: 0, conversion: 0 });
      return triggers.get(id);
    };
    const count = (name, key) => {
      for (const e of named(name)) if (prop(e, 'triggerId')) t(prop(e, 'triggerId'))[key] += 1;
    };
    count('Trigger Fired', 'fired');
    count('Nudge Shown', 'shown');
    count('Answer Opened', 'opened');
    count('Nudge Dismissed', 'dismissed');
    count('Handoff Started', 'handoffs');
    for (const e of named('Answer Rated')) if (prop(e, 'triggerId')) t(prop(e, 'triggerId'))[prop(e, 'helpful') ? 'helpful' : 'unhelpful'] += 1;
    for (const x of triggers.values()) x.conversion = x.shown ? x.opened / x.shown : 0;
    const sessions = new Set(named('Answer Opened').map((e) => prop(e, 'sessionId')));
    const handedOff = new Set(named('Handoff Started').map((e) => prop(e, 'sessionId')));
    const selfServed = [...sessions].filter((s) => !handedOff.has(s)).length;
    const tally = (list) => [...list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map())];
    const stale = new Map();
    const staleOf = (id) => {
      if (!stale.has(id)) stale.set(id, { answerId: id, opened: 0, inResults: 0 });
      return stale.get(id);
    };
    for (const e of named('Answer Opened')) if (prop(e, 'stale')) staleOf(prop(e, 'answerId')).opened += 1;
    for (const e of named('Help Searched')) for (const id of prop(e, 'staleResults') ?? []) staleOf(id).inResults += 1;
    return {
      funnel: [
        { step: 'Trigger fired', count: named('Trigger Fired').length },
        { step: 'Nudge shown', count: named('Nudge Shown').length },
        { step: 'Answer opened', count: named('Answer Opened').length },
        { step: 'Rated helpful', count: named('Answer Rated').filter((e) => prop(e, 'helpful')).length },
        { step: 'Handoff', count: named('Handoff Started').length },
      ],
      resolution: { sessions: sessions.size, selfServed, handedOff: sessions.size - selfServed, rate: sessions.size ? selfServed / sessions.size : 0 },
      triggers: [...triggers.values()].sort((a, b) => b.fired - a.fired),
      noResults: tally(named('Search No Results').map((e) => prop(e, 'query'))).map(([query, n]) => ({ query, count: n })).sort((a, b) => b.count - a.count),
      stale: [...stale.values()],
      events: events.length,
    };
  }

  /** Answers an /api/ request; throws HttpError for a refusal. */
  async function handle(req, res, url) {
    const path = url.pathname;
    const m = (re) => re.exec(path);
    const method = req.method;
    let r;
    if (method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    if (path === '/api/handoffs') {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const key = req.headers['idempotency-key'] ?? url.searchParams.get('idempotency_key');
      if (!key || !KEY.test(key)) throw new HttpError(400, 'an Idempotency-Key header (or idempotency_key parameter) of 8 to 128 letters, digits, - or _ is required');
      const payload = await json(req);
      if (!isObject(payload) || typeof payload.id !== 'string') throw new HttpError(422, 'the body must be a handoff payload (an object with an `id`)');
      const known = conversations.get(payload.id);
      if (known) {
        send(res, 200, known.reply, { 'idempotent-replayed': 'true' });
        return;
      }
      const now = Date.now();
      const c = { id: payload.id, key, payload, createdAt: now, updatedAt: now, status: 'open', messages: [], visitors: new Set(), clientIds: new Map() };
      conversations.set(c.id, c);
      c.reply = { ...replyFor(), conversation: c.id };
      changed(c);
      send(res, 201, c.reply);
      return;
    }
    if ((r = m(/^\/api\/chat\/([^/]+)\/events$/))) {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      const c = conversation(decodeURIComponent(r[1]));
      const after = Number(req.headers['last-event-id'] ?? url.searchParams.get('after') ?? 0) || 0;
      sse(res);
      for (const msg of c.messages) if (msg.id > after) event(res, 'message', msg, msg.id);
      if (c.status === 'closed') event(res, 'closed', {});
      c.visitors.add(res);
      res.on('close', () => c.visitors.delete(res));
      return;
    }
    if ((r = m(/^\/api\/chat\/([^/]+)\/messages$/))) {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const c = conversation(decodeURIComponent(r[1]));
      const b = await json(req);
      if (!isObject(b)) throw new HttpError(422, 'send {"text": "..."}');
      const clientId = typeof b.clientId === 'string' ? b.clientId.slice(0, 64) : null;
      if (clientId && c.clientIds.has(clientId)) {
        const first = c.clientIds.get(clientId);
        send(res, 200, { id: first.id, at: first.at });
        return;
      }
      const msg = { id: ++messageId, from: 'visitor', text: text(b.text), at: Date.now() };
      if (clientId) c.clientIds.set(clientId, msg);
      addMessage(c, msg);
      send(res, 201, { id: msg.id, at: msg.at });
      return;
    }
    if (path === '/api/conversations') {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      send(res, 200, [...conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt).map(item));
      return;
    }
    if ((r = m(/^\/api\/conversations\/([^/]+)$/))) {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      const c = conversation(decodeURIComponent(r[1]));
      send(res, 200, { ...item(c), payload: c.payload, messages: c.messages });
      return;
    }
    if ((r = m(/^\/api\/conversations\/([^/]+)\/messages$/))) {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const c = conversation(decodeURIComponent(r[1]));
      const b = await json(req);
      if (!isObject(b)) throw new HttpError(422, 'send {"text": "...", "name": "..."}');
      const msg = { id: ++messageId, from: 'agent', name: typeof b.name === 'string' && b.name.trim() ? b.name.trim().slice(0, 80) : 'Support', text: text(b.text), at: Date.now() };
      addMessage(c, msg);
      send(res, 201, { id: msg.id, at: msg.at });
      return;
    }
    if ((r = m(/^\/api\/conversations\/([^/]+)\/close$/))) {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const c = conversation(decodeURIComponent(r[1]));
      c.status = 'closed';
      c.updatedAt = Date.now();
      for (const v of c.visitors) event(v, 'closed', {});
      changed(c);
      send(res, 200, { status: 'closed' });
      return;
    }
    if (path === '/api/inbox/events') {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      sse(res);
      inbox.add(res);
      res.on('close', () => inbox.delete(res));
      return;
    }
    if (path === '/api/analytics') {
      if (method !== 'POST') throw new HttpError(405, 'use POST');
      const b = await json(req);
      if (!isObject(b) || !Array.isArray(b.batch) || b.batch.length > 100) throw new HttpError(422, 'send {"batch": [event, ...]} with at most 100 events');
      let accepted = 0;
      for (const e of b.batch) {
        if (!isObject(e) || typeof e.event !== 'string' || typeof e.messageId !== 'string') continue;
        if (!analytics.has(e.messageId)) analytics.set(e.messageId, { ...e, timestamp: typeof e.timestamp === 'string' ? e.timestamp : new Date().toISOString() });
        accepted += 1;
      }
      send(res, 200, { accepted });
      return;
    }
    if (path === '/api/analytics/summary') {
      if (method !== 'GET') throw new HttpError(405, 'use GET');
      const days = Math.min(365, Math.max(1, Number(url.searchParams.get('days')) || 30));
      send(res, 200, summary(days));
      return;
    }
    throw new HttpError(404, `no API at ${path}`);
  }

  return { handle, conversations };
}

export function start({ port = 8080, host = '127.0.0.1' } = {}) {
  const api = createApi();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      try {
        await api.handle(req, res, url);
      } catch (e) {
        if (!res.headersSent) send(res, e.status ?? 500, { error: e.status ? e.message : 'internal error' });
        else res.end();
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const found = await resolve(url.pathname);
    if (!found) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(found.path)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : found.body);
  });
  server.api = api;
  // Event streams stay open: end them when the server closes.
  const close = server.close.bind(server);
  server.close = (cb) => {
    const result = close(cb);
    server.closeAllConnections?.();
    return result;
  };
  return new Promise((ok) => server.listen(port, host, () => ok(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(arg('--port', process.env.PORT ?? 8080));
  const host = arg('--host', '127.0.0.1');
  const server = await start({ port, host });
  const { port: p } = server.address();
  console.log(`Pathlight demo: http://${host}:${p}/  (Ctrl-C to stop)`);
}
