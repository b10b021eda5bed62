import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RRType, nameFromText, nameToText, parseZoneFile } from '../wire/index.js';
import { validateZone, type RecordData } from './index.js';

const ORIGIN = nameFromText('example.com.');
const HEAD = '@ SOA ns1 hostmaster 1 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n';

function records(text: string): RecordData[] {
  return parseZoneFile(`$TTL 3600\n${text}`, { origin: ORIGIN, fileName: 'test.zone' }).records;
}

function problems(text: string, extra: RecordData[] = []): string[] {
  return validateZone(ORIGIN, [...records(text), ...extra])
    .map((p) => `${p.reason} ${nameToText(p.owner)} ${p.type ?? '-'} ${p.severity}`).sort();
}

const CASES: { name: string; zone: string; expect: string[] }[] = [
  { name: 'a well-formed zone has no problems', zone: HEAD + 'www A 192.0.2.2\nalias CNAME www\n', expect: [] },
  { name: 'no SOA and no NS at the apex', zone: 'www A 192.0.2.2\n', expect: ['NO_APEX_NS example.com. 2 error', 'NO_SOA example.com. 6 error'] },
  { name: 'two SOA records at the apex', zone: HEAD + '@ SOA ns2 hostmaster 2 7200 900 1209600 300\n', expect: ['MULTIPLE_SOA example.com. 6 error'] },
  { name: 'the same SOA twice is one record', zone: HEAD + '@ SOA ns1 hostmaster 1 7200 900 1209600 300\n', expect: [] },
  { name: 'an SOA below the apex', zone: HEAD + 'sub SOA ns1 hostmaster 1 7200 900 1209600 300\n', expect: ['SOA_NOT_AT_APEX sub.example.com. 6 error'] },
  { name: 'a CNAME beside other data (RFC 1034 3.6.2, RFC 2181 10.1)', zone: HEAD + 'www CNAME x\nwww TXT "t"\n', expect: ['CNAME_AND_OTHER_DATA www.example.com. 16 error'] },
  { name: 'a CNAME beside its DNSSEC records is fine', zone: HEAD + 'www CNAME x\nwww NSEC z A\n', expect: [] },
  { name: 'a CNAME at the apex', zone: HEAD + '@ CNAME x.example.net.\n', expect: ['CNAME_AND_OTHER_DATA example.com. 2 error', 'CNAME_AND_OTHER_DATA example.com. 6 error', 'CNAME_AT_APEX example.com. 5 error'] },
  { name: 'two CNAME records at one name', zone: HEAD + 'www CNAME a\nwww CNAME b\n', expect: ['MULTIPLE_CNAME www.example.com. 5 error'] },
  { name: 'two DNAME records at one name', zone: HEAD + 'dn DNAME a.example.net.\ndn DNAME b.example.net.\n', expect: ['MULTIPLE_DNAME dn.example.com. 39 error'] },
  { name: 'data below a DNAME (RFC 6672 2.4)', zone: HEAD + 'dn DNAME a.example.net.\nx.y.dn A 192.0.2.3\n', expect: ['BELOW_DNAME x.y.dn.example.com. - error'] },
  { name: 'DNSSEC denial records below an apex DNAME are fine', zone: '@ SOA ns.example.net. hostmaster 1 7200 900 1209600 300\n@ NS ns.example.net.\n@ DNAME example.net.\nabc NSEC3 1 0 0 - ABCDEFGH A\n', expect: [] },
  { name: 'an apex DNAME makes in-zone data below it an error', zone: HEAD + '@ DNAME example.net.\n', expect: ['BELOW_DNAME ns1.example.com. - error'] },
  { name: 'a DNAME beside NS below the apex (RFC 6672 2.3)', zone: HEAD + 'cut NS ns1\ncut DNAME example.net.\n', expect: ['DNAME_AND_NS cut.example.com. 39 error'] },
  { name: 'NS at a wildcard', zone: HEAD + '*.w NS ns1\n', expect: ['WILDCARD_NS *.w.example.com. 2 error'] },
  { name: 'different TTLs in one RRset are a warning', zone: HEAD + 'www 60 A 192.0.2.2\nwww 120 A 192.0.2.3\nwww 90 A 192.0.2.4\n', expect: ['TTL_MISMATCH www.example.com. 1 warning'] },
];

for (const c of CASES) {
  test(`validateZone: ${c.name}`, () => {
    assert.deepEqual(problems(c.zone), c.expect);
  });
}

test('validateZone: records outside the origin', () => {
  const outside: RecordData = { name: nameFromText('www.xexample.com.'), type: RRType.A, ttl: 60, rdata: new Uint8Array([192, 0, 2, 1]) };
  assert.deepEqual(problems(HEAD, [outside]), ['OUT_OF_ZONE www.xexample.com. 1 error']);
});

test('validateZone: messages are lowercase sentences naming the object', () => {
  const [p] = validateZone(ORIGIN, records(HEAD + 'www CNAME a\nwww CNAME b\n'));
  assert.match(p!.message, /^"www\.example\.com\." has 2 records of type 5/);
});
