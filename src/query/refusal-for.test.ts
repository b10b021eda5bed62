import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, makeEdeOption, parseEdeOption, Rcode, type Message } from '../wire/index.js';
import { refusalFor } from './refusal-for.js';

test('a client outside allow_recursion is told Prohibited (EDE 18)', () => {
  assert.deepEqual(refusalFor('recursion-not-allowed'), { kind: 'error', rcode: Rcode.REFUSED, ede: { code: 18, text: 'recursion not allowed for this client' } });
});

test('forwarding off, or RD clear, is Not Authoritative (EDE 20)', () => {
  assert.deepEqual(refusalFor('forwarding-disabled').ede, { code: 20, text: 'not authoritative and forwarding disabled' });
  assert.equal(refusalFor('recursion-not-desired').ede.code, 20);
});

test('the same frozen object comes back every time, and it survives the wire as an EDE option', () => {
  const r = refusalFor('recursion-not-allowed');
  assert.equal(refusalFor('recursion-not-allowed'), r);
  assert.ok(Object.isFrozen(r) && Object.isFrozen(r.ede));
  const msg: Message = {
    header: { id: 1, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
    rcode: r.rcode, questions: [], answers: [], authorities: [], additionals: [],
    edns: { udpSize: 1232, version: 0, do: false, z: 0, options: [makeEdeOption(r.ede.code, r.ede.text)] },
  };
  const back = decodeMessage(encodeMessage(msg));
  assert.equal(back.rcode, Rcode.REFUSED);
  assert.deepEqual(parseEdeOption(back.edns!.options[0]!), { infoCode: 18, text: 'recursion not allowed for this client' });
});
