// RFC 5452 spoofing resistance, against a scripted upstream on loopback that first
// sends forged responses (from another port, with a wrong ID, for another question)
// and only then the real one: the forged ones are dropped and counted, the real
// one is accepted. Also: every query leaves from its own port with its own ID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createForwarder, type ForwardAnswer, type ForwardResult } from '../src/forwarder/index.js';
import { nameFromText, rdataToText, type Question } from '../src/wire/index.js';
import { startFakeUpstream } from './forward/fake-upstream.js';
import { queryInfo, scriptedAnswer } from './forward/scripted-answer.js';

const PLAIN = { dnssecOk: false, checkingDisabled: false };

function q(name: string): Question {
  return { name: nameFromText(name), type: 1, class: 1 };
}

function answer(r: ForwardResult): ForwardAnswer {
  assert.equal(r.kind, 'answer', r.kind === 'failure' ? r.detail : '');
  return r as ForwardAnswer;
}

test('forged responses (other source port, wrong ID, wrong question) are dropped and counted; the real one is accepted', async () => {
  const up = await startFakeUpstream((query, tools) => {
    const { id } = queryInfo(query);
    const forged = ['6.6.6.6'];
    tools.replyFromOtherPort(scriptedAnswer(query, { addresses: forged }));
    tools.reply(scriptedAnswer(query, { addresses: forged, id: (id + 1) & 0xffff }));
    tools.reply(scriptedAnswer(query, { addresses: forged, questionName: 'evil.example' }));
    tools.reply(Buffer.from('not dns at all'));
    setTimeout(() => tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.1'] })), 30);
  });
  const f = createForwarder({ upstreams: [up.address] });
  try {
    const r = answer(await f.resolve(q('victim.example.'), PLAIN));
    assert.deepEqual(r.answers.map((x) => rdataToText(x.type, x.rdata)), ['192.0.2.1']);
    assert.equal(f.stats().spoofedDropped, 4);
    assert.equal(f.stats().upstreams[0]!.answers, 1);
  } finally {
    f.close();
    await up.close();
  }
});

test('a response whose question differs only in letter case is accepted (RFC 4343)', async () => {
  const up = await startFakeUpstream((query, tools) => {
    tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.2'], questionName: queryInfo(query).name.toUpperCase() }));
  });
  const f = createForwarder({ upstreams: [up.address] });
  try {
    answer(await f.resolve(q('MixedCase.Example.'), PLAIN));
    assert.equal(f.stats().spoofedDropped, 0);
  } finally {
    f.close();
    await up.close();
  }
});

test('every upstream query uses a fresh source port and a random ID (RFC 5452 9.2)', async () => {
  const seen: { port: number; id: number }[] = [];
  const up = await startFakeUpstream((query, tools) => {
    seen.push({ port: tools.from.port, id: queryInfo(query).id });
    tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.3'] }));
  });
  const f = createForwarder({ upstreams: [up.address] });
  try {
    const n = 40;
    await Promise.all(Array.from({ length: n }, (_, i) => f.resolve(q(`n${i}.example.`), PLAIN)));
    assert.equal(seen.length, n);
    const ports = new Set(seen.map((s) => s.port));
    const ids = new Set(seen.map((s) => s.id));
    assert.equal(ports.size, n, 'no two outstanding queries share a port');
    assert.ok(ids.size >= n - 2, `ids repeat too often: ${ids.size} distinct of ${n}`);
    const sorted = [...ports].sort((a, b) => a - b);
    assert.ok(sorted[sorted.length - 1]! - sorted[0]! > 1000, 'ports are spread over the range, not sequential');
  } finally {
    f.close();
    await up.close();
  }
});

test('an IPv6 upstream on [::1] is queried from an IPv6 socket and its forged datagrams are dropped too', async () => {
  const up = await startFakeUpstream((query, tools) => {
    tools.replyFromOtherPort(scriptedAnswer(query, { addresses: ['6.6.6.6'] }));
    setTimeout(() => tools.reply(scriptedAnswer(query, { addresses: ['192.0.2.6'] })), 20);
  }, 6);
  const f = createForwarder({ upstreams: [up.address] });
  try {
    const r = answer(await f.resolve(q('six.example.'), PLAIN));
    assert.deepEqual(r.answers.map((x) => rdataToText(x.type, x.rdata)), ['192.0.2.6']);
    assert.equal(f.stats().spoofedDropped, 1);
    assert.equal(f.stats().upstreams[0]!.upstream, `[::1]:${up.port}`);
  } finally {
    f.close();
    await up.close();
  }
});
