// A webhook receiver for end-to-end tests: it creates one "conversation" per
// idempotency key, like a real help desk would, and can be told to fail in
// scripted ways (dropped connections, 500s, 429 with Retry-After, slowness).
import { createServer } from 'node:http';

/**
 * Start the receiver on a free port.
 *
 * `hook.script(...steps)` queues how the next requests are answered, one
 * step per request: `'drop'` (the connection is destroyed), `{ status,
 * retryAfter? }`, `{ delay }` (answer 200 after `delay` ms) or `'ok'`. With
 * no step queued a request is answered 201 with `reply` as JSON.
 */
export async function startWebhook() {
  const steps = [];
  const attempts = []; // every request: { key, via, step }
  const conversations = new Map(); // key -> payload (first delivery only)
  let reply = { status: 'queued', position: 2, waitSeconds: 240 };
  const server = createServer((req, res) => {
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Content-Type, Idempotency-Key',
      'Access-Control-Expose-Headers': 'Retry-After',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST' });
      res.end();
      return;
    }
    const url = new URL(req.url, 'http://x');
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const key = req.headers['idempotency-key'] ?? url.searchParams.get('idempotency_key');
      const via = req.headers['idempotency-key'] ? 'fetch' : 'beacon';
      const step = steps.shift() ?? 'ok';
      attempts.push({ key, via, step, contentType: req.headers['content-type'] });
      if (step === 'drop') {
        req.socket.destroy();
        return;
      }
      if (typeof step === 'object' && step.status) {
        const headers = { ...cors, 'Content-Type': 'application/json' };
        if (step.retryAfter !== undefined) headers['Retry-After'] = String(step.retryAfter);
        res.writeHead(step.status, headers);
        res.end(JSON.stringify({ error: `scripted ${step.status}` }));
        return;
      }
      const answer = () => {
        let payload;
        try {
          payload = JSON.parse(body);
        } catch {
          res.writeHead(400, cors);
          res.end('not JSON');
          return;
        }
        if (!key || key !== payload.id) {
          res.writeHead(400, cors);
          res.end('idempotency key must equal the payload id');
          return;
        }
        const fresh = !conversations.has(key);
        if (fresh) conversations.set(key, payload);
        res.writeHead(fresh ? 201 : 200, { ...cors, 'Content-Type': 'application/json' });
        res.end(JSON.stringify(reply));
      };
      if (typeof step === 'object' && step.delay) setTimeout(answer, step.delay);
      else answer();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    attempts,
    conversations,
    script: (...s) => steps.push(...s),
    /** What a successful delivery answers (`{ status, position, waitSeconds }`). */
    setReply: (r) => { reply = r; },
    reset() {
      steps.length = 0;
      attempts.length = 0;
      conversations.clear();
    },
    close: () => new Promise((ok) => {
      server.closeAllConnections?.();
      server.close(ok);
    }),
  };
}
