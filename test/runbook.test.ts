// docs/RUNBOOK.md is executable documentation: this test runs every block marked
// runnable, in order, against a live `mcns serve` made from the production config
// (deploy/mcns.production.toml, moved to loopback and a temporary directory), and
// checks that the rest of the runbook names only real mcns commands and options,
// only variables it defines, and that every section the code refers to exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { freePort } from './helpers/free-port.js';
import { MCNS_BIN, REPO_ROOT } from './helpers/start-mcns.js';
import { checkMention, findMcnsMentions, helpReader, type McnsMention } from './runbook/cli-references.js';
import { startKnotUpstream } from './forward/knot-upstream.js';
import { createLiveInstance } from './runbook/live-instance.js';
import { parseRunbook, type RunbookBlock } from './runbook/parse-runbook.js';
import { runBlock } from './runbook/run-block.js';

const RUNBOOK_PATH = join(REPO_ROOT, 'docs', 'RUNBOOK.md');
const runbook = parseRunbook(readFileSync(RUNBOOK_PATH, 'utf8'));
const help = helpReader(process.execPath, MCNS_BIN);

/** Section titles other code and documents rely on, as written. */
const REQUIRED_SECTIONS = [
  'Service overview', 'Health checks', 'Start, stop, restart', 'Backup', 'Restore', 'Log inspection',
  'Incident playbooks', 'Database corruption', 'Certificate expiry', 'MCIAS outage', 'DNS not resolving',
  'Port 53 already in use', 'Escalation',
];

/** Tools the runnable blocks call besides mcns (knotd is the forwarding upstream). */
const TOOLS = ['bash', 'dig', 'curl', 'openssl', 'ss', 'jq', 'grep', 'knotd'];

/** The zone the upstream serves, for the forwarded queries of the runbook. */
const UPSTREAM_ZONE = [
  '$TTL 300',
  '@ IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 300',
  '@ IN NS ns.example.org.',
  '@ IN A 192.0.2.80',
  'ns IN A 192.0.2.53',
  '',
].join('\n');

/** Where a block is, for messages: its headings and line. */
function where(block: RunbookBlock): string {
  return `${block.headings.slice(1).join(' > ')} (RUNBOOK.md:${block.line})`;
}

/** Files under `dir` (recursively) whose name passes `keep`. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(entry)) out.push(path);
  }
  return out;
}

/** Section names a text refers to: `runbook "X"`, `RUNBOOK.md: "X"`, `runbook: X Y` (capitalized words). */
function runbookReferences(text: string): { name: string; quoted: boolean }[] {
  const refs: { name: string; quoted: boolean }[] = [];
  for (const m of text.matchAll(/runbook(?:\.md)?(?:\s*[:,]\s*|\s+)"([^"\n]+)"/gi)) refs.push({ name: m[1] ?? '', quoted: true });
  for (const m of text.matchAll(/(?:runbook|RUNBOOK)(?:\.md)?:?[ \t]+([A-Z0-9][\w-]*(?:[ \t]+[A-Z0-9][\w-]*)*)/g)) {
    refs.push({ name: m[1] ?? '', quoted: false });
  }
  return refs;
}

/** Variable names a piece of shell reads ($X, ${X...}). */
function variablesRead(code: string): string[] {
  return [...code.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '');
}

/** Variable names a piece of shell sets (X=..., export X=..., read X, for X in). */
function variablesSet(code: string): string[] {
  const names = [...code.matchAll(/(?:^|[\s;(])(?:export\s+|local\s+)?([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1] ?? '');
  for (const m of code.matchAll(/\b(?:read(?:\s+-\w+)*|for)\s+([A-Za-z_][A-Za-z0-9_]*)/g)) names.push(m[1] ?? '');
  return names;
}

const variablesBlock = runbook.blocks.find((b) => b.mode === 'variables');
const definedVariables = new Set(variablesBlock === undefined ? [] : [...variablesBlock.code.matchAll(/^export\s+([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? ''));

test('the runbook has every required section, and every section the code and docs refer to', () => {
  const titles = runbook.headings.map((h) => h.text);
  for (const s of REQUIRED_SECTIONS) assert.ok(titles.includes(s), `RUNBOOK.md has no heading "${s}"`);
  const lower = titles.map((t) => t.toLowerCase());
  const sources = [
    ...filesUnder(join(REPO_ROOT, 'src'), (n) => n.endsWith('.ts') || n.endsWith('.md')),
    ...filesUnder(join(REPO_ROOT, 'docs'), (n) => n.endsWith('.md') && n !== 'RUNBOOK.md'),
    ...filesUnder(join(REPO_ROOT, 'deploy'), () => true),
    join(REPO_ROOT, 'README.md'),
  ];
  const missing: string[] = [];
  let found = 0;
  for (const file of sources) {
    for (const ref of runbookReferences(readFileSync(file, 'utf8'))) {
      found++;
      const name = ref.name.toLowerCase();
      const ok = ref.quoted ? lower.includes(name) : lower.some((t) => t === name || t.startsWith(`${name} `));
      if (!ok) missing.push(`${relative(REPO_ROOT, file)}: "${ref.name}"`);
    }
  }
  assert.ok(found > 0, 'no reference to a runbook section found: has the reference pattern changed?');
  assert.deepEqual(missing, [], `references to runbook sections that do not exist:\n${missing.join('\n')}`);
  // Cross-references inside the runbook: (see "Start"), as in "Restore" steps 2 and 3.
  const inner = [...readFileSync(RUNBOOK_PATH, 'utf8').matchAll(/(?:see|as in|go to|steps? \d+ of)\s+"([^"\n]+)"/gi)]
    .map((m) => m[1] ?? '')
    .filter((name) => !lower.includes(name.toLowerCase()));
  assert.deepEqual(inner, [], 'the runbook refers to sections of its own that do not exist');
});

test('every mcns command the runbook names exists, with the options it gives', async (t) => {
  const mentions: McnsMention[] = [];
  for (const b of runbook.blocks) if (b.lang !== 'text') mentions.push(...findMcnsMentions(b.code));
  for (const code of runbook.inlineCode) mentions.push(...findMcnsMentions(code));
  assert.ok(mentions.length >= 30, `only ${mentions.length} mcns commands found in the runbook: is the parser broken?`);
  const byVerb = new Map<string, McnsMention[]>();
  for (const m of mentions) {
    const verb = m.words[0] ?? '';
    byVerb.set(verb, [...(byVerb.get(verb) ?? []), m]);
  }
  for (const [verb, list] of byVerb) {
    await t.test(`mcns ${verb}`, () => {
      const problems = list.flatMap((m) => checkMention(m, help));
      assert.deepEqual(problems, []);
    });
  }
});

test('runnable blocks read only variables the runbook defines or they set', () => {
  assert.ok(variablesBlock !== undefined, 'RUNBOOK.md has no <!-- harness: variables --> block');
  for (const v of ['MCNS_CONFIG', 'MCNS_DATA', 'MCNS_ADDR', 'MCNS_CA_CERT', 'PORT']) {
    assert.ok(definedVariables.has(v), `the variables block does not define ${v}`);
  }
  const known = new Set([...definedVariables, 'HOME', 'PATH', 'PWD', 'OLDPWD']);
  const problems: string[] = [];
  for (const b of runbook.blocks.filter((x) => x.mode === 'run')) {
    for (const name of variablesSet(b.code)) known.add(name);
    for (const name of variablesRead(b.code)) if (!known.has(name)) problems.push(`${where(b)} reads $${name}`);
  }
  assert.deepEqual(problems, []);
});

test('the runnable blocks succeed, in order, against a live mcns', { timeout: 15 * 60_000 }, async (t) => {
  const missingTools = TOOLS.filter((tool) => {
    try {
      execFileSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  assert.deepEqual(missingTools, [], `tools the runbook uses are missing (scripts/test-all.sh installs them): ${missingTools.join(', ')}`);
  const runnable = runbook.blocks.filter((b) => b.mode === 'run');
  assert.ok(runnable.length >= 20, `only ${runnable.length} runnable blocks`);

  // The upstream for "DNS not resolving" step 3: a real knotd serving example.org.
  const upstream = await startKnotUpstream([{ origin: 'example.org.', text: UPSTREAM_ZONE }]);
  const zoneFile = join(REPO_ROOT, 'examples', 'example.com.zone');
  const live = await createLiveInstance({
    productionConfig: join(REPO_ROOT, 'deploy', 'mcns.production.toml'),
    zone: 'example.com.',
    zoneFile,
    overrides: {
      forward: { upstreams: [upstream.address] },
      // An identity provider that is down: nothing listens on this port ("MCIAS outage").
      auth: {
        mode: 'introspection',
        introspection_url: `http://127.0.0.1:${await freePort()}/oauth2/introspect`,
        introspection_client_id: 'mcns',
        introspection_client_secret: 'runbook-test',
        introspection_timeout: '1s',
      },
    },
  }).catch(async (err: unknown) => {
    await upstream.close();
    throw err;
  });
  try {
    await live.start();
    const vars = live.variables();
    assert.deepEqual(Object.keys(vars).sort(), [...definedVariables].sort(), 'the test must set exactly the variables the runbook defines');
    const stateFile = join(live.dir, 'work', '.runbook-state');
    let n = 0;
    for (const block of runbook.blocks) {
      if (block.mode === 'show' || block.mode === 'variables') continue;
      n++;
      await t.test(`${n}. ${block.mode === 'run' ? '' : `[${block.mode}] `}${where(block)}`, async () => {
        if (block.mode === 'harness-stop') return live.stop();
        if (block.mode === 'harness-start') return live.start();
        if (block.mode === 'harness-restart') {
          await live.stop();
          return live.start();
        }
        const current = live.variables();
        const r = await runBlock(block.code, {
          env: {
            ...current,
            PATH: `${live.binDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
            HOME: join(live.dir, 'work'),
            LANG: 'C.UTF-8',
            TERM: 'dumb',
          },
          force: { MCNS_PID: current['MCNS_PID'] ?? '' },
          cwd: join(live.dir, 'work'),
          stateFile,
          scriptFile: join(live.dir, 'work', `.block-${block.line}.sh`),
          timeoutMs: block.timeoutSeconds * 1000,
        });
        const context = `block at ${where(block)}:\n${block.code}\n--- output ---\n${r.output}\n--- mcns log (last lines) ---\n${live.logs().split('\n').slice(-15).join('\n')}`;
        assert.ok(!r.timedOut, `timed out after ${block.timeoutSeconds} s: ${context}`);
        assert.equal(r.code, block.exitCode, `exit code ${String(r.code)}, expected ${block.exitCode}: ${context}`);
        for (const e of block.expects) assert.ok(r.output.includes(e), `output lacks "${e}": ${context}`);
      });
    }
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- mcns logs ---\n${live.logs()}`);
  } finally {
    await live.close();
    await upstream.close();
  }
});
