import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage, nameFromText, Rcode, RRType, type Message } from '../wire/index.js';
import { LATENCY_SAMPLE_EVERY, ResponseStats, TransportSlot } from './response-stats.js';

function response(qname: string | null, qtype: number, rcode: number): Uint8Array {
  const message: Message = {
    header: { id: 7, qr: true, opcode: 0, aa: true, tc: false, rd: false, ra: false, z: false, ad: false, cd: false },
    rcode, questions: qname === null ? [] : [{ name: nameFromText(qname), type: qtype, class: 1 }],
    answers: [], authorities: [], additionals: [], edns: null,
  };
  return encodeMessage(message);
}

function counts(stats: ResponseStats): string[] {
  const out: string[] = [];
  stats.eachCount((transport, qtype, rcode, count) => out.push(`${transport} ${qtype} ${rcode} ${count}`));
  return out;
}

test('counts a response by transport, the question type read from the bytes, and the RCODE', () => {
  const stats = new ResponseStats();
  stats.record(TransportSlot.udp, response('www.example.com.', RRType.A, Rcode.NOERROR));
  stats.record(TransportSlot.udp, response('www.example.com.', RRType.A, Rcode.NOERROR));
  stats.record(TransportSlot.udp, response('nope.example.com.', RRType.AAAA, Rcode.NXDOMAIN));
  stats.record(TransportSlot.tcp, response('example.com.', RRType.AXFR, Rcode.NOERROR));
  stats.record(TransportSlot.tcp, response('.', RRType.SOA, Rcode.REFUSED));
  assert.deepEqual(counts(stats), ['udp A NOERROR 2', 'udp AAAA NXDOMAIN 1', 'tcp SOA REFUSED 1', 'tcp AXFR NOERROR 1']);
});

test('an unlisted type is "other", no question is "none", header RCODEs 11-15 are "other"', () => {
  const stats = new ResponseStats();
  stats.record(TransportSlot.udp, response('x.example.', 65280, Rcode.NOERROR));
  stats.record(TransportSlot.udp, response(null, 0, Rcode.FORMERR));
  stats.record(TransportSlot.udp, response('x.example.', RRType.TXT, 12));
  // Shorter than a header: no question, RCODE slot 0.
  stats.record(TransportSlot.udp, new Uint8Array([1, 2, 3]));
  // A question cut short after the name: the type cannot be read.
  stats.record(TransportSlot.udp, response('x.example.', RRType.A, Rcode.NOERROR).subarray(0, 12 + 11));
  assert.deepEqual(counts(stats), ['udp TXT other 1', 'udp other NOERROR 1', 'udp none NOERROR 2', 'udp none FORMERR 1']);
});

test('response sizes land in cumulative buckets with their sum', () => {
  const stats = new ResponseStats();
  stats.record(TransportSlot.udp, new Uint8Array(40));
  stats.record(TransportSlot.udp, new Uint8Array(600));
  stats.record(TransportSlot.udp, new Uint8Array(30_000));
  const h = stats.sizeHistogram('udp');
  assert.deepEqual(h.bounds, [64, 128, 256, 512, 1024, 1232, 1500, 4096, 16_384]);
  assert.deepEqual(h.counts, [1, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  assert.equal(h.sum, 30_640);
  assert.deepEqual(stats.sizeHistogram('tcp').counts, new Array(10).fill(0));
});

test('one request in LATENCY_SAMPLE_EVERY is sampled, and its latency is observed in seconds', () => {
  const stats = new ResponseStats();
  let sampled = 0;
  for (let i = 0; i < LATENCY_SAMPLE_EVERY * 10; i++) if (stats.sample()) sampled++;
  assert.equal(sampled, 10);
  stats.observeSince(TransportSlot.tcp, performance.now() - 3);
  const h = stats.latencyHistogram('tcp');
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 1);
  assert.ok(h.sum >= 0.003 && h.sum < 1, `sum ${h.sum}`);
  assert.equal(h.counts[h.bounds.indexOf(0.005)], 1, 'between 2.5 ms and 5 ms');
});
