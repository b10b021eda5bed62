// Run by test/udp-wildcard.test.ts inside a network namespace of its own (unshare
// -rn), where lo carries 127.0.0.0/8, ::1 and 2001:db8::53 and nothing else
// exists. Serves DNS on 0.0.0.0:5300 and [::]:5300 with each UDP path in turn and
// asks every address with dig, for an answer given at once and one given later (as
// a forwarded reply is); prints one JSON object: what dig saw, and what was logged.
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineReply, QueryEngine } from '../../src/query/index.js';
import { createDnsServer } from '../../src/server/index.js';

const PORT = 5300;
const ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '::1', '2001:db8::53'];

/** The query itself with QR and AA set: a reply dig accepts, with the question it asked. */
function answer(req: Uint8Array): Uint8Array {
  const out = Uint8Array.from(req);
  out[2] = (out[2]! | 0x84) & 0xfe;
  out[3] = out[3]! & 0x70;
  return out;
}

/** "late" anywhere in the question: answered after 30 ms, as a forwarded query is. */
function isLate(req: Uint8Array): boolean {
  return Buffer.from(req).includes('late');
}

const engine: QueryEngine = {
  handle(req): EngineReply | Promise<EngineReply> {
    const reply = answer(req);
    return isLate(req) ? sleep(30).then(() => reply) : reply;
  },
};

function digStatus(address: string, name: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('dig', [`@${address}`, '-p', String(PORT), '+time=1', '+tries=1', '+noedns', name, 'A'], { timeout: 10_000 }, (_err, stdout, stderr) => {
      const text = stdout + stderr;
      const status = /status: (\w+)/.exec(text)?.[1];
      const server = /SERVER: ([^\s#]+)#/.exec(text)?.[1];
      resolve(status === undefined ? (/timed out/.test(text) ? 'timed out' : text.trim().split('\n')[0] ?? 'no output') : `${status} from ${server ?? '?'}`);
    });
  });
}

const result: Record<string, { answers: Record<string, string>; warnings: string[] }> = {};
for (const udpIo of ['batched', 'dgram'] as const) {
  const warnings: string[] = [];
  const log = { info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  const server = createDnsServer({
    listen: [{ host: '0.0.0.0', port: PORT }, { host: '::', port: PORT }], engine, udpIo, log,
    limits: { tcpIdleTimeoutMs: 5_000, tcpMaxConnections: 10, tcpMaxQueriesPerConnection: 0 },
  });
  await server.start();
  const answers: Record<string, string> = {};
  try {
    for (const address of ADDRESSES) {
      for (const name of ['now.test', 'late.test']) answers[`${address} ${name}`] = await digStatus(address, name);
    }
  } finally {
    await server.close(1_000);
  }
  result[udpIo] = { answers, warnings };
}
process.stdout.write(JSON.stringify(result) + '\n');
