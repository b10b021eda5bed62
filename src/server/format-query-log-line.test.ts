import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage, nameFromText, RRType, type Message } from '../wire/index.js';
import { formatQueryLogLine } from './format-query-log-line.js';

function response(qname: string, qtype: number, rcode: number, flags: Partial<Message['header']>): Uint8Array {
  return encodeMessage({
    header: { id: 1, qr: true, opcode: 0, aa: false, tc: false, rd: false, ra: false, z: false, ad: false, cd: false, ...flags },
    rcode,
    questions: [{ name: nameFromText(qname), type: qtype, class: 1 }],
    answers: [], authorities: [], additionals: [], edns: null,
  });
}

test('a line holds the time, client, transport, question, rcode, size and flags of the response', () => {
  const reply = response('www.example.com.', RRType.AAAA, 3, { aa: true, rd: true });
  const line = formatQueryLogLine(Date.UTC(2025, 4, 1, 12, 0, 0, 123), 'udp', '192.0.2.7', 53124, reply);
  assert.ok(line.endsWith('}\n'));
  assert.deepEqual(JSON.parse(line), {
    time: '2025-05-01T12:00:00.123Z', client: '192.0.2.7', port: 53124, transport: 'udp', qname: 'www.example.com.',
    qtype: 'AAAA', rcode: 'NXDOMAIN', size: reply.length, flags: 'qr aa rd',
  });
});

test('a name with quotes, backslashes or bytes outside ASCII stays valid JSON', () => {
  const reply = response('a\\"b\\\\c\\255.example.', 65_000, 0, { tc: true, ra: true, ad: true, cd: true });
  const event = JSON.parse(formatQueryLogLine(0, 'tcp', '::1', 1, reply)) as Record<string, unknown>;
  assert.equal(event['qname'], 'a\\"b\\\\c\\255.example.');
  assert.equal(event['qtype'], 'TYPE65000');
  assert.equal(event['flags'], 'qr tc ra ad cd');
});

test('a response without a question, or too short for a header, still gives a line', () => {
  const header = Uint8Array.from([0, 1, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(JSON.parse(formatQueryLogLine(0, 'udp', '127.0.0.1', 5, header)), {
    time: '1970-01-01T00:00:00.000Z', client: '127.0.0.1', port: 5, transport: 'udp', qname: '', qtype: '', rcode: 'FORMERR', size: 12, flags: 'qr',
  });
  assert.equal((JSON.parse(formatQueryLogLine(0, 'udp', '127.0.0.1', 5, new Uint8Array(3))) as { rcode: string }).rcode, '');
});
