// The gRPC contract against the operations table and the generated code: every
// row has its proto method and every proto method has its row; buf lint passes;
// and regenerating from proto/ gives exactly the committed src/api/grpc/gen/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { methodFor, protoServices } from '../src/api/grpc/index.js';
import { OPERATIONS } from '../src/service/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const buf = join(root, 'node_modules', '.bin', 'buf');
const committedGen = join(root, 'src', 'api', 'grpc', 'gen');

test('every operation in the table has its gRPC method, with the request and response its codec converts', () => {
  const problems: string[] = [];
  for (const spec of OPERATIONS) {
    try {
      methodFor(spec);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  assert.deepEqual(problems, []);
});

test('every gRPC method in proto/mcns/v1 is a row of the operations table', () => {
  const inTable = new Set(OPERATIONS.map((op) => `${op.grpc.service}/${op.grpc.method}`));
  const orphans: string[] = [];
  for (const service of protoServices()) {
    for (const method of service.methods) {
      const key = `${service.name}/${method.name}`;
      if (!inTable.has(key)) orphans.push(key);
    }
  }
  assert.deepEqual(orphans, []);
  assert.equal(protoServices().reduce((n, s) => n + s.methods.length, 0), OPERATIONS.length);
});

test('buf lint (STANDARD) finds nothing in proto/', () => {
  execFileSync(buf, ['lint'], { cwd: root, stdio: 'pipe' });
});

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

test('the committed src/api/grpc/gen is exactly what `npm run generate` makes from proto/', () => {
  const out = mkdtempSync(join(tmpdir(), 'mcns-gen-'));
  try {
    execFileSync(buf, ['generate', '--output', out], { cwd: root, stdio: 'pipe' });
    const fresh = filesUnder(join(out, 'src', 'api', 'grpc', 'gen'));
    const committed = filesUnder(committedGen);
    assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), 'same files; run `npm run generate`');
    for (const [path, text] of fresh) {
      assert.ok(committed.get(path) === text, `src/api/grpc/gen/${path} differs from proto/; run \`npm run generate\``);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
