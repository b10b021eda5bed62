import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatZoneFile } from './format-zone-file.js';
import { parseZoneFile } from './parse-zone-file.js';
import { nameFromText } from '../name.js';

const ORIGIN = nameFromText('example.com.');

/** Parses zone text (every line with its TTL) and exports it again. */
function roundTrip(zone: string): string {
  const { records } = parseZoneFile(zone, { origin: ORIGIN, fileName: 'in' });
  return formatZoneFile(ORIGIN, records);
}

const cases: { name: string; zone: string; want: string }[] = [
  {
    name: 'the SOA first, then the apex by type, then owners in canonical order (RFC 4034 6.1)',
    zone: `z.example.com. 60 A 192.0.2.9
yljkjljk.a 60 A 192.0.2.1
Z.a 60 TXT "upper"
@ 60 MX 10 mail
*.z 60 A 192.0.2.2
a 60 A 192.0.2.3
\\001.z 60 A 192.0.2.4
@ 60 SOA ns hm 1 2 3 4 5
@ 60 NS ns
zABC.a 60 A 192.0.2.5
\\200.z 60 A 192.0.2.6
`,
    // RFC 4034 6.1's own example order: example, a, yljkjljk.a, Z.a, zABC.a, z, \\001.z, *.z, \\200.z
    want: `$ORIGIN example.com.
@\t60\tIN\tSOA\tns.example.com. hm.example.com. 1 2 3 4 5
@\t60\tIN\tNS\tns.example.com.
@\t60\tIN\tMX\t10 mail.example.com.
a\t60\tIN\tA\t192.0.2.3
yljkjljk.a\t60\tIN\tA\t192.0.2.1
Z.a\t60\tIN\tTXT\t"upper"
zABC.a\t60\tIN\tA\t192.0.2.5
z\t60\tIN\tA\t192.0.2.9
\\001.z\t60\tIN\tA\t192.0.2.4
*.z\t60\tIN\tA\t192.0.2.2
\\200.z\t60\tIN\tA\t192.0.2.6
`,
  },
  {
    name: 'one RRset keeps its order; owners differing only in case are one group',
    zone: `www 60 A 192.0.2.2
WWW 60 TXT "t"
www 60 A 192.0.2.1
`,
    want: `$ORIGIN example.com.
www\t60\tIN\tA\t192.0.2.2
www\t60\tIN\tA\t192.0.2.1
WWW\t60\tIN\tTXT\t"t"
`,
  },
  {
    name: 'owners needing escapes, and types without a mnemonic',
    zone: `\\$x 60 TXT "dollar"
\\@ 60 TXT "at"
a\\.b 60 TXT "dot"
a\\059 60 TXT "semicolon"
o 60 TYPE65280 \\# 2 beef
`,
    want: `$ORIGIN example.com.
\\$x\t60\tIN\tTXT\t"dollar"
\\@\t60\tIN\tTXT\t"at"
a\\.b\t60\tIN\tTXT\t"dot"
a\\;\t60\tIN\tTXT\t"semicolon"
o\t60\tIN\tTYPE65280\t\\# 2 beef
`,
  },
];

for (const c of cases) {
  test(`formatZoneFile: ${c.name}`, () => {
    const out = roundTrip(c.zone);
    assert.equal(out, c.want);
    // The export is a fixed point of import-then-export.
    assert.equal(roundTrip(out), out);
  });
}

test('formatZoneFile: names outside the origin are written absolute', () => {
  const { records } = parseZoneFile('$TTL 5\nx A 192.0.2.1\n', { origin: nameFromText('example.org.'), fileName: 'in' });
  assert.equal(formatZoneFile(ORIGIN, records), '$ORIGIN example.com.\nx.example.org.\t5\tIN\tA\t192.0.2.1\n');
});
