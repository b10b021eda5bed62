// Enforces the layer rules of DESIGN.md on the source tree: imports point only
// downward, other folders are reached only through their index.ts, every
// top-level folder has an index.ts and a README.md, and the pure layers do no I/O.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'src');

/** Which top-level folders each folder may import (besides itself). The diagram in DESIGN.md, as data. */
const ALLOWED: Record<string, readonly string[]> = {
  wire: [],
  zone: ['wire'],
  query: ['wire', 'zone'],
  log: [],
  config: ['wire'],
  metrics: [],
  server: ['wire', 'query', 'log'],
  store: ['wire', 'zone', 'log'],
  forwarder: ['wire', 'zone', 'log'],
  replication: ['wire', 'zone', 'store', 'log'],
  dnssec: ['wire', 'zone', 'store', 'log'],
  auth: ['wire', 'store', 'log'],
  service: ['wire', 'zone', 'query', 'store', 'forwarder', 'replication', 'dnssec', 'auth', 'log', 'metrics'],
  ops: ['wire', 'zone', 'store', 'service', 'config', 'log', 'metrics'],
  api: ['wire', 'service', 'auth', 'config', 'log', 'metrics'],
  cli: ['wire', 'zone', 'store', 'service', 'config', 'log', 'ops', 'main'],
  main: ['wire', 'zone', 'query', 'server', 'store', 'forwarder', 'replication', 'dnssec', 'auth', 'service', 'api', 'ops', 'config', 'log', 'metrics'],
};

/** Folders that must not touch I/O, the clock or the process (DESIGN.md: wire/ and zone/ are pure). */
const PURE = new Set(['wire', 'zone', 'query']);
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|dgram|http|https|http2|tls|child_process|worker_threads|cluster|os|process)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The top-level folder a file belongs to ("main" for src/main.ts). */
function layerOf(file: string): string {
  const rel = relative(src, file).split(sep);
  return rel.length === 1 ? 'main' : rel[0]!;
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!);
  return specs;
}

const files = sourceFiles(src);

test('imports point only downward, as DESIGN.md draws the layers', () => {
  const wrong: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    const allowed = ALLOWED[from];
    if (allowed === undefined) {
      wrong.push(`${relative(root, file)}: folder "${from}" is not in the layer table of test/architecture.test.ts; add it there`);
      continue;
    }
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(src + sep)) continue;
      const to = layerOf(target.replace(/\.js$/, '.ts'));
      if (to === from) continue;
      if (!allowed.includes(to)) wrong.push(`${relative(root, file)} imports ${spec}: ${from} may not depend on ${to}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('other folders are reached only through their index.ts', () => {
  const wrong: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(src + sep)) continue;
      const to = layerOf(target.replace(/\.js$/, '.ts'));
      if (to === from || to === 'main') continue;
      const rel = relative(join(src, to), target);
      if (rel !== 'index.js') wrong.push(`${relative(root, file)} imports ${spec}: import ../${to}/index.js instead`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('every top-level source folder has an index.ts and a README.md', () => {
  const missing: string[] = [];
  for (const entry of readdirSync(src)) {
    const dir = join(src, entry);
    if (!statSync(dir).isDirectory()) continue;
    const hasTs = sourceFiles(dir).length > 0;
    if (!hasTs) continue;
    if (!existsSync(join(dir, 'index.ts'))) missing.push(`src/${entry}/index.ts`);
    if (!existsSync(join(dir, 'README.md'))) missing.push(`src/${entry}/README.md`);
  }
  assert.deepEqual(missing, []);
});

test('the pure layers (wire, zone, query) import no I/O modules', () => {
  const wrong: string[] = [];
  for (const file of files) {
    if (!PURE.has(layerOf(file)) || file.endsWith('.test.ts')) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (IO_MODULES.test(spec)) wrong.push(`${relative(root, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no file is named utils, helpers or misc (STYLE.md rule 1)', () => {
  const bad = files.filter((f) => /(^|[/\\])(utils|helpers|misc)\.ts$/.test(f)).map((f) => relative(root, f));
  assert.deepEqual(bad, []);
});

test('every source file docs/ARCHITECTURE.md names exists', () => {
  const doc = readFileSync(join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const missing: string[] = [];
  for (const m of doc.matchAll(/`([a-z0-9/.-]+\.ts)`/g)) {
    const name = m[1]!;
    // A path from the root, or a file named relative to its folder ("rdata/rdata-types.ts").
    const found = existsSync(join(root, name)) || files.some((f) => f.endsWith(sep + name.split('/').join(sep)));
    if (!found) missing.push(name);
  }
  assert.deepEqual(missing, []);
});
