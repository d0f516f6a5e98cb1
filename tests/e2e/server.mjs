// Starts the reference server (www/server, built by scripts/test.sh) for the
// end-to-end tests: on a free port, with its own SQLite file.
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
export const SERVER_BIN = join(targetDir, 'debug', 'pathlight-server');

/** A fresh database path in a new temporary directory. */
export function freshDb() {
  return join(mkdtempSync(join(tmpdir(), 'pathlight-e2e-')), 'pathlight.db');
}

/**
 * Start the server on `db` (a fresh one by default); resolves to
 * { base, db, stop() } once it prints its address.
 */
export function startServer({ db = freshDb(), port = 0 } = {}) {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(`${SERVER_BIN} is missing: build it with cargo build -p pathlight-server`);
  }
  const child = spawn(SERVER_BIN, ['--port', String(port), '--db', db, '--root', join(root, 'www'), '--pkg', join(root, 'pkg')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (d) => { errors += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (why) => reject(new Error(`pathlight-server did not start: ${why}\n${errors}`));
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail('no address within 20 s'); }, 20_000);
    child.on('exit', (code) => { clearTimeout(timer); fail(`exited with ${code}`); });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Pathlight demo: (http:\/\/[^\s/]+)\//);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        base: m[1],
        db,
        stop() {
          return new Promise((ok) => {
            if (child.exitCode !== null) return ok();
            child.once('exit', () => ok());
            child.kill('SIGTERM');
          });
        },
      });
    });
  });
}
