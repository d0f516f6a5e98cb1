// The published JSON Schemas agree with the examples users copy: the demo's
// config and answers, and every JSON example in the README and docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { schemaErrors } from './harness.mjs';

const root = new URL('../../', import.meta.url);
const read = (p) => readFileSync(new URL(p, root), 'utf8');

test('the demo config and answers validate against their schemas', () => {
  assert.deepEqual(schemaErrors('config', JSON.parse(read('www/pathlight/config.json'))), []);
  assert.deepEqual(schemaErrors('answers', JSON.parse(read('www/pathlight/answers.json'))), []);
});

test('every JSON config or answer example in the README and docs validates', () => {
  const docs = ['README.md', ...readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  let checked = 0;
  for (const doc of docs) {
    for (const [, block] of read(doc).matchAll(/```json\n([\s\S]*?)```/g)) {
      let value;
      try {
        value = JSON.parse(block);
      } catch {
        continue; // fragments, not whole documents
      }
      const kind = value?.triggers ? 'config' : value?.answers ? 'answers' : null;
      if (!kind || value.version !== 1) continue;
      assert.deepEqual(schemaErrors(kind, value), [], `${doc}: ${block.slice(0, 80)}`);
      checked += 1;
    }
  }
  assert.ok(checked >= 2, `only ${checked} examples found`);
});

test('the schema rejects what the validator rejects, and accepts every condition it accepts', () => {
  const bad = { version: 1, triggers: [{ id: 'a', when: { pge: '/' }, message: 'm', tags: ['x'], maxPerSesion: 2 }] };
  assert.ok(schemaErrors('config', bad).length > 0);
  const good = JSON.parse(read('tests/data/every-condition.config.json'));
  assert.deepEqual(schemaErrors('config', good), []);
});
