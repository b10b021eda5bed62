import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { WireError, type Message, type ResourceRecord } from './types.js';
import { ROOT_NAME, nameFromText } from './name.js';
import { decodeMessage, encodeMessage } from './message.js';
import { rdataFromText, rdataToText, typeFromText } from './rdata.js';
import { tokenizeRdata } from './zone-file/tokenize-rdata.js';

const ITERATIONS = 200_000;
const TIME_LIMIT_MS = 20_000;

const origin = nameFromText('example.com.');
const SEED_RECORDS: readonly (readonly [string, string, string])[] = [
  ['@', 'SOA', 'ns1 hostmaster 1 3600 900 604800 300'], ['@', 'NS', 'ns1'], ['www', 'A', '192.0.2.1'],
  ['www', 'AAAA', '2001:db8::1'], ['@', 'MX', '10 mail'], ['t', 'TXT', '"a \\"b\\"" c'], ['s', 'SRV', '1 2 3 www'],
  ['n', 'NAPTR', '1 2 "S" "SIP+D2U" "!^.*$!x!" _sip._udp'], ['c', 'CAA', '0 issue "ca.example"'],
  ['f', 'SSHFP', '4 2 ABCDEF'], ['_443._tcp', 'TLSA', '3 1 1 ABCDEF'],
  ['v', 'SVCB', '1 www alpn=h2,h3 port=443 ipv4hint=192.0.2.1 ech=AAAA ipv6hint=::1 mandatory=alpn key9=x'],
  ['@', 'HTTPS', '0 www'], ['d', 'DNAME', 'other.net.'], ['x', 'CNAME', 'www'], ['p', 'PTR', 'www'],
  ['@', 'DS', '1 13 2 ABCD'], ['@', 'DNSKEY', '257 3 13 AAAA'], ['@', 'RRSIG', 'A 13 2 300 20360101000000 20250101000000 1 example.com. AAAA'],
  ['@', 'NSEC', 'a.example.com. A NS TYPE1234'], ['h', 'NSEC3', '1 0 0 AB 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A'],
  ['@', 'NSEC3PARAM', '1 0 0 -'], ['@', 'CDS', '0 0 0 00'], ['@', 'CDNSKEY', '0 3 0 AA=='], ['h', 'HINFO', 'a b'],
  ['l', 'LOC', '1 2 3.4 N 5 6 7.8 W 9m 1m 2m 3m'], ['r', 'RP', 'a.b. c.d.'], ['a', 'AFSDB', '1 www'], ['u', 'URI', '1 2 "https://x/"'],
  ['d', 'DHCID', 'AAAA'], ['s', 'SPF', '"v=spf1"'], ['o', 'OPENPGPKEY', 'AAAA'], ['m', 'MINFO', 'a b'], ['z', 'APL', '1:1.2.3.0/24'],
  ['q', 'TYPE65534', '\\# 2 abcd'],
];

function seedMessages(): Uint8Array[] {
  const records: ResourceRecord[] = SEED_RECORDS.map(([owner, type, text]) => ({
    name: nameFromText(owner, origin), type: typeFromText(type)!, class: 1, ttl: 300,
    rdata: rdataFromText(typeFromText(type)!, tokenizeRdata(text), origin),
  }));
  const base: Message = {
    header: { id: 7, qr: true, opcode: 0, aa: true, tc: false, rd: false, ra: false, z: false, ad: false, cd: false },
    rcode: 0, questions: [{ name: origin, type: 255, class: 1 }], answers: [], authorities: [], additionals: [],
    edns: { udpSize: 1232, version: 0, do: true, z: 0, options: [{ code: 10, data: new Uint8Array(8) }] },
  };
  const seeds = [encodeMessage({ ...base, answers: records.slice(0, 12), authorities: records.slice(12, 24), additionals: records.slice(24) })];
  for (let i = 0; i < records.length; i += 3) seeds.push(encodeMessage({ ...base, answers: records.slice(i, i + 3) }));
  seeds.push(encodeMessage({ ...base, answers: [], edns: null }));
  return seeds;
}

/** Deterministic xorshift32, so a failure can be replayed. */
function makeRandom(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n: number): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

function mutate(seed: Uint8Array, rnd: (n: number) => number, seeds: Uint8Array[]): Uint8Array {
  const b = Uint8Array.from(seed);
  switch (rnd(6)) {
    case 0: {
      const flips = 1 + rnd(6);
      for (let i = 0; i < flips; i++) b[rnd(b.length)] = rnd(256);
      return b;
    }
    case 1:
      return b.subarray(0, rnd(b.length + 1));
    case 2: {
      const other = seeds[rnd(seeds.length)]!;
      const at = rnd(b.length);
      return Uint8Array.from([...b.subarray(0, at), ...other.subarray(rnd(other.length))]);
    }
    case 3: {
      // Compression-pointer-shaped bytes anywhere.
      const at = rnd(b.length - 1);
      b[at] = 0xc0 | rnd(64);
      b[at + 1] = rnd(256);
      return b;
    }
    case 4: {
      // Counts in the header.
      b[4 + rnd(8)] = rnd(4);
      return b;
    }
    default: {
      const out = new Uint8Array(rnd(600));
      for (let i = 0; i < out.length; i++) out[i] = rnd(256);
      return out;
    }
  }
}

/** RFC 1035 types whose RDATA names the encoder compresses (RFC 3597 4). */
const COMPRESSIBLE = new Set([2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 15]);

/** A successful decode must be a message we can encode, decode again, and print as text that parses back. */
function checkDecoded(m: Message): void {
  const again = decodeMessage(encodeMessage(m));
  const all = (x: Message): ResourceRecord[] => [...x.answers, ...x.authorities, ...x.additionals];
  assert.equal(all(again).length, all(m).length);
  all(m).forEach((rr, i) => {
    const after = all(again)[i]!.rdata;
    if (COMPRESSIBLE.has(rr.type)) {
      // Compression matches names case-insensitively, so their case may follow an earlier copy (RFC 4343).
      assert.equal(rdataToText(rr.type, after).toLowerCase(), rdataToText(rr.type, rr.rdata).toLowerCase());
    } else {
      assert.deepEqual(after, rr.rdata);
    }
    if (rr.rdata.length === 0 && (rr.class === 254 || rr.class === 255)) return;
    const text = rdataToText(rr.type, rr.rdata);
    const back = rdataFromText(rr.type, tokenizeRdata(text), ROOT_NAME);
    assert.equal(Buffer.from(back).toString('hex'), Buffer.from(rr.rdata).toString('hex'), `type ${rr.type}: ${text}`);
  });
}

test('decodeMessage throws nothing but WireError for random and mutated buffers, and what it accepts round-trips', () => {
  const seeds = seedMessages();
  for (const s of seeds) checkDecoded(decodeMessage(s));
  const rnd = makeRandom(0x5eed);
  const started = Date.now();
  let decoded = 0;
  let i = 0;
  for (; i < ITERATIONS; i++) {
    if ((i & 1023) === 0 && Date.now() - started > TIME_LIMIT_MS) break;
    const buf = mutate(seeds[rnd(seeds.length)]!, rnd, seeds);
    let m: Message;
    try {
      m = decodeMessage(buf);
    } catch (e) {
      if (e instanceof WireError) continue;
      assert.fail(`non-WireError ${String(e)} for ${Buffer.from(buf).toString('hex')}`);
    }
    decoded++;
    try {
      checkDecoded(m);
    } catch (e) {
      assert.fail(`decoded message does not round-trip (${String(e)}): ${Buffer.from(buf).toString('hex')}`);
    }
  }
  assert.ok(i >= 10_000, `only ${i} iterations ran`);
  assert.ok(decoded > 100, `only ${decoded} buffers decoded; the mutations are too destructive to test much`);
});
