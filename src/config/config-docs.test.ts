// docs/CONFIG.md and examples/mcns.toml must say what the schema does: same keys,
// types, defaults and examples (CoreDNS checks its READMEs the same way).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema, parseConfigText, type ConfigSection } from './index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Rows of the table under "## [section]": key -> [type, default, example] without backticks. */
function documentedRows(markdown: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const line of markdown.split('\n')) {
    const heading = /^## \[(\w+)\]$/.exec(line);
    if (heading !== null) {
      current = new Map();
      sections.set(heading[1]!, current);
      continue;
    }
    if (line.startsWith('## ')) current = null;
    if (current === null || !line.startsWith('| `')) continue;
    const cells = line.split(' | ').map((c) => c.replace(/^\|? ?`?|`? ?\|?$/g, ''));
    current.set(cells[0]!, [cells[1]!, cells[2]!, cells[4]!]);
  }
  return sections;
}

test('docs/CONFIG.md documents every section and key with the schema\'s type, default and example', () => {
  const documented = documentedRows(readFileSync(join(root, 'docs', 'CONFIG.md'), 'utf8'));
  const schema: Readonly<Record<string, ConfigSection>> = configSchema;
  assert.deepEqual([...documented.keys()], Object.keys(schema));
  for (const [name, section] of Object.entries(schema)) {
    const rows = documented.get(name)!;
    assert.deepEqual([...rows.keys()], Object.keys(section.fields), `keys of [${name}]`);
    for (const [key, field] of Object.entries(section.fields)) {
      assert.deepEqual(rows.get(key), [field.type, field.defaultText, field.example], `[${name}] ${key}`);
    }
  }
});

test('every documented example is a valid config line', () => {
  const schema: Readonly<Record<string, ConfigSection>> = configSchema;
  for (const [name, section] of Object.entries(schema)) {
    for (const field of Object.values(section.fields)) parseConfigText(`[${name}]\n${field.example}\n`, '/etc/mcns.toml');
  }
});

test('examples/mcns.toml is valid and sets every key', () => {
  const text = readFileSync(join(root, 'examples', 'mcns.toml'), 'utf8');
  parseConfigText(text, join(root, 'examples', 'mcns.toml'));
  const schema: Readonly<Record<string, ConfigSection>> = configSchema;
  for (const [name, section] of Object.entries(schema)) {
    assert.ok(text.includes(`[${name}]`), `[${name}] in examples/mcns.toml`);
    for (const key of Object.keys(section.fields)) assert.match(text, new RegExp(`^${key} = `, 'm'), `${key} in examples/mcns.toml`);
  }
});
