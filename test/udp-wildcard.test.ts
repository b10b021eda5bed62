// A server listening on 0.0.0.0 and :: must answer each query from the address the
// client asked, or the client drops the reply (dig: "reply from unexpected source").
// Tested in a network namespace of its own (unshare -rn: no root needed, nothing
// outside it is touched) whose loopback carries several addresses, with dig as the
// client: test/netns/wildcard-udp-check.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECK = join(dirname(fileURLToPath(import.meta.url)), 'netns', 'wildcard-udp-check.js');
const SETUP = 'ip link set lo up && ip addr add 127.0.0.2/8 dev lo && ip addr add 2001:db8::53/128 dev lo';

const canUnshare = spawnSync('unshare', ['-rn', 'true']).status === 0;

test('on 0.0.0.0 and ::, the batched socket answers every address from the address asked, at once and later', {
  timeout: 120_000, skip: canUnshare ? false : 'unshare -rn is not permitted here (no user namespaces)',
}, async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile('unshare', ['-rn', 'bash', '-c', `${SETUP} && exec "$0" "$1"`, process.execPath, CHECK], { timeout: 100_000 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
  const result = JSON.parse(out) as Record<'batched' | 'dgram', { answers: Record<string, string>; warnings: string[] }>;
  const { answers, warnings } = result.batched;
  assert.equal(Object.keys(answers).length, 10);
  for (const [asked, seen] of Object.entries(answers)) {
    const address = asked.split(' ')[0]!;
    assert.equal(seen, `NOERROR from ${address}`, `dig ${asked}`);
  }
  assert.deepEqual(warnings, []);
  // Node's dgram cannot choose a reply's source: the server says so when it starts.
  assert.equal(result.dgram.warnings.length, 2, result.dgram.warnings.join('\n'));
  assert.match(result.dgram.warnings[0]!, /^udp on 0\.0\.0\.0:5300 uses Node's dgram socket, which answers from the address the route picks: .*\[dns\] listen_addr/);
  assert.match(result.dgram.warnings[1]!, /^udp on \[::\]:5300 /);
  assert.equal(result.dgram.answers['127.0.0.1 now.test'], 'NOERROR from 127.0.0.1');
});
