import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZoneFile, type ParseZoneFileOptions } from './parse-zone-file.js';
import { ZoneFileError } from './zone-file-error.js';
import { nameFromText, nameToText } from '../name.js';
import { rdataToText, typeToText } from '../rdata.js';

const ORIGIN = nameFromText('example.com.');
const SOA = '@ 3600 IN SOA ns hostmaster 1 7200 900 1209600 300\n';

/** Records as "owner ttl TYPE rdata" lines, RDATA in the codec's presentation form. */
function load(text: string, opts: Partial<ParseZoneFileOptions> = {}): string[] {
  const zone = parseZoneFile(text, { origin: ORIGIN, fileName: 'db.example', ...opts });
  return zone.records.map((r) => `${nameToText(r.name)} ${r.ttl} ${typeToText(r.type)} ${rdataToText(r.type, r.rdata)}`);
}

/** A fake file system for $INCLUDE: paths as written map to texts. */
function files(map: Record<string, string>): NonNullable<ParseZoneFileOptions['include']> {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw new Error('no such file');
    return { fileName: path, text };
  };
}

interface Case {
  readonly name: string;
  readonly zone: string;
  readonly want: readonly string[];
  readonly opts?: Partial<ParseZoneFileOptions>;
}

const cases: Case[] = [
  {
    name: 'SOA across lines with comments, blank owners, @ and relative owners',
    zone: `$TTL 3600
@ IN SOA ns.example.com. hostmaster ( ; a comment
        2024010101 ; serial
        7200 900 ; refresh retry
        1209600 300 )
  IN NS ns
ns A 192.0.2.1
   A 192.0.2.2 ; same owner
www.example.com. A 192.0.2.3
`,
    want: [
      'example.com. 3600 SOA ns.example.com. hostmaster.example.com. 2024010101 7200 900 1209600 300',
      'example.com. 3600 NS ns.example.com.',
      'ns.example.com. 3600 A 192.0.2.1',
      'ns.example.com. 3600 A 192.0.2.2',
      'www.example.com. 3600 A 192.0.2.3',
    ],
  },
  {
    name: '$ORIGIN absolute and relative to the current origin, names in RDATA follow it',
    zone: `$TTL 60
$ORIGIN sub.example.com.
a CNAME b
$ORIGIN deeper
c MX 10 mail
@ NS ns.example.com.
$ORIGIN example.com.
d A 192.0.2.4
`,
    want: [
      'a.sub.example.com. 60 CNAME b.sub.example.com.',
      'c.deeper.sub.example.com. 60 MX 10 mail.deeper.sub.example.com.',
      'deeper.sub.example.com. 60 NS ns.example.com.',
      'd.example.com. 60 A 192.0.2.4',
    ],
  },
  {
    name: 'TTL and class in either order, each optional',
    zone: `a 300 IN A 192.0.2.1
b IN 301 A 192.0.2.2
c IN A 192.0.2.3
d 302 A 192.0.2.4
e A 192.0.2.5
f in 1H30m a 192.0.2.6
`,
    want: [
      'a.example.com. 300 A 192.0.2.1',
      'b.example.com. 301 A 192.0.2.2',
      'c.example.com. 301 A 192.0.2.3',
      'd.example.com. 302 A 192.0.2.4',
      'e.example.com. 302 A 192.0.2.5',
      'f.example.com. 5400 A 192.0.2.6',
    ],
  },
  {
    name: 'TTL units: weeks, days, hours, minutes, seconds, any case',
    zone: `a 2w A 192.0.2.1
b 1d A 192.0.2.2
c 1W2D3H4M5S A 192.0.2.3
d 0 A 192.0.2.4
`,
    want: [
      'a.example.com. 1209600 A 192.0.2.1',
      'b.example.com. 86400 A 192.0.2.2',
      'c.example.com. 788645 A 192.0.2.3',
      'd.example.com. 0 A 192.0.2.4',
    ],
  },
  {
    name: 'owners that look like numbers, types and classes',
    zone: `$TTL 60
300 A 192.0.2.1
A A 192.0.2.2
IN IN A 192.0.2.3
MX MX 10 A
TYPE1 TXT x
`,
    want: [
      '300.example.com. 60 A 192.0.2.1',
      'A.example.com. 60 A 192.0.2.2',
      'IN.example.com. 60 A 192.0.2.3',
      'MX.example.com. 60 MX 10 A.example.com.',
      'TYPE1.example.com. 60 TXT "x"',
    ],
  },
  {
    name: 'TYPEnnn, CLASSnnn and RFC 3597 opaque RDATA',
    zone: `$TTL 60
a CLASS1 TYPE1 \\# 4 c0000201
b TYPE65280 \\# 3 010203
c TYPE65280 \\# 0
`,
    want: [
      'a.example.com. 60 A 192.0.2.1',
      'b.example.com. 60 TYPE65280 \\# 3 010203',
      'c.example.com. 60 TYPE65280 \\# 0',
    ],
  },
  {
    name: 'escapes in owners and quoted strings with spaces, quotes, ; and (',
    zone: `$TTL 60
a\\.b A 192.0.2.1
\\@ A 192.0.2.2
t TXT "hello world" "say \\"hi\\"" "semi;colon (paren" \\059x
u TXT "caf\\233"
`,
    want: [
      'a\\.b.example.com. 60 A 192.0.2.1',
      '\\@.example.com. 60 A 192.0.2.2',
      't.example.com. 60 TXT "hello world" "say \\"hi\\"" "semi;colon (paren" ";x"',
      'u.example.com. 60 TXT "caf\\233"',
    ],
  },
  {
    name: 'RFC 2308: $TTL applies to records without a TTL, explicit TTLs do not change it',
    zone: `$TTL 100
a 5 A 192.0.2.1
b A 192.0.2.2
$TTL 200
c A 192.0.2.3
`,
    want: ['a.example.com. 5 A 192.0.2.1', 'b.example.com. 100 A 192.0.2.2', 'c.example.com. 200 A 192.0.2.3'],
  },
  {
    name: 'RFC 1035: without $TTL, the last explicit TTL applies',
    zone: `${SOA}a 42 A 192.0.2.1
b A 192.0.2.2
`,
    want: [
      'example.com. 3600 SOA ns.example.com. hostmaster.example.com. 1 7200 900 1209600 300',
      'a.example.com. 42 A 192.0.2.1',
      'b.example.com. 42 A 192.0.2.2',
    ],
  },
  {
    name: 'an SOA without any TTL takes its MINIMUM, which then acts as $TTL (as BIND)',
    zone: `@ SOA ns hostmaster 1 7200 900 1209600 300
@ NS ns
ns 42 A 192.0.2.1
a A 192.0.2.2
`,
    want: [
      'example.com. 300 SOA ns.example.com. hostmaster.example.com. 1 7200 900 1209600 300',
      'example.com. 300 NS ns.example.com.',
      'ns.example.com. 42 A 192.0.2.1',
      'a.example.com. 300 A 192.0.2.2',
    ],
  },
  {
    name: 'the caller\'s defaultTtl comes after the file\'s own rules',
    opts: { defaultTtl: 77 },
    zone: `a A 192.0.2.1
b 5 A 192.0.2.2
c A 192.0.2.3
`,
    want: ['a.example.com. 77 A 192.0.2.1', 'b.example.com. 5 A 192.0.2.2', 'c.example.com. 5 A 192.0.2.3'],
  },
  {
    name: '$INCLUDE with and without an origin; origin and owner revert after it',
    opts: {
      include: files({
        'inc/hosts': '  A 192.0.2.9\nh1 A 192.0.2.10\n$ORIGIN elsewhere.example.com.\nh2 CNAME h1\n',
        'inc/plain': 'p MX 10 mx\n',
      }),
    },
    zone: `$TTL 60
ns A 192.0.2.1
$INCLUDE inc/hosts lab ; a comment
  A 192.0.2.2
x CNAME y
$INCLUDE "inc/plain"
`,
    want: [
      'ns.example.com. 60 A 192.0.2.1',
      'ns.example.com. 60 A 192.0.2.9',
      'h1.lab.example.com. 60 A 192.0.2.10',
      'h2.elsewhere.example.com. 60 CNAME h1.elsewhere.example.com.',
      'ns.example.com. 60 A 192.0.2.2',
      'x.example.com. 60 CNAME y.example.com.',
      'p.example.com. 60 MX 10 mx.example.com.',
    ],
  },
  {
    name: '$TTL set in an included file stays in force after it (as BIND)',
    opts: { include: files({ inc: '$TTL 99\n' }) },
    zone: '$TTL 60\n$INCLUDE inc\na A 192.0.2.1\n',
    want: ['a.example.com. 99 A 192.0.2.1'],
  },
  {
    name: 'nested $INCLUDE up to the depth limit',
    opts: {
      include: files(Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [`f${i + 1}`, i + 1 < 8 ? `$INCLUDE f${i + 2}\n` : 'deep A 192.0.2.8\n']),
      )),
    },
    zone: '$TTL 60\n$INCLUDE f1\n',
    want: ['deep.example.com. 60 A 192.0.2.8'],
  },
  {
    name: 'directives are case-insensitive',
    zone: '$ttl 60\n$origin sub.example.com.\na A 192.0.2.1\n',
    want: ['a.sub.example.com. 60 A 192.0.2.1'],
  },
  {
    name: 'the root origin',
    opts: { origin: nameFromText('.') },
    zone: '$TTL 60\n@ NS a.root-servers.net.\ncom NS a.gtld-servers.net.\n',
    want: ['. 60 NS a.root-servers.net.', 'com. 60 NS a.gtld-servers.net.'],
  },
];

for (const c of cases) {
  test(`parseZoneFile: ${c.name}`, () => assert.deepEqual(load(c.zone, c.opts), c.want));
}

test('parseZoneFile: records carry their file and line', () => {
  const zone = parseZoneFile('$TTL 60\n\na A 192.0.2.1\n$INCLUDE i\nb ( A\n 192.0.2.2 )\n', {
    origin: ORIGIN, fileName: 'top', include: () => ({ fileName: 'i.db', text: '\n\nc A 192.0.2.3\n' }),
  });
  assert.deepEqual(zone.records.map((r) => [r.file, r.line, r.class]), [['top', 3, 1], ['i.db', 3, 1], ['top', 5, 1]]);
});

interface ErrorCase {
  readonly name: string;
  readonly zone: string;
  /** The exact message, or a RegExp when the reason comes from the RDATA codec. */
  readonly want: string | RegExp;
  readonly opts?: Partial<ParseZoneFileOptions>;
}

const errors: ErrorCase[] = [
  { name: 'unknown type', zone: '$TTL 60\nwww IN AAA 192.0.2.1\n', want: 'db.example:2:8: unknown type "AAA"' },
  { name: 'bad TTL', zone: 'www 5x IN A 192.0.2.1\n', want: 'db.example:1:5: TTL "5x" is not a number or duration' },
  { name: 'TTL too large', zone: 'www 2147483648 A 192.0.2.1\n', want: 'db.example:1:5: TTL "2147483648" exceeds 2147483647' },
  { name: 'bad $TTL', zone: '$TTL 1h30\n', want: 'db.example:1:6: TTL "1h30" is not a number or duration' },
  {
    name: 'unbalanced parenthesis',
    zone: '$TTL 60\n@ SOA ns hm (\n 1 2 3 4 5\nwww A 192.0.2.1\n',
    want: 'db.example:5:1: unbalanced parenthesis opened at line 2',
  },
  { name: 'stray )', zone: '$TTL 60\nwww A 192.0.2.1 )\n', want: 'db.example:2:17: unbalanced parenthesis ")"' },
  { name: 'unterminated quote', zone: '$TTL 60\nt TXT "abc\n', want: 'db.example:2:7: unterminated quoted string' },
  { name: 'class other than IN', zone: '$TTL 60\nwww CH A 192.0.2.1\n', want: 'db.example:2:5: class "CH" is not supported; zone data must be class IN' },
  { name: 'CLASSnnn other than 1', zone: '$TTL 60\nwww CLASS3 A 192.0.2.1\n', want: 'db.example:2:5: class "CLASS3" is not supported; zone data must be class IN' },
  { name: 'two TTLs', zone: 'www 60 IN 70 A 192.0.2.1\n', want: 'db.example:1:11: TTL given twice ("60" and "70")' },
  { name: 'two classes', zone: 'www IN 60 IN A 192.0.2.1\n', want: 'db.example:1:11: class given twice ("IN" and "IN")' },
  { name: 'missing type', zone: '$TTL 60\nwww 60 IN\n', want: 'db.example:2:8: missing type after "IN"' },
  { name: 'meta type', zone: '$TTL 60\nwww AXFR 192.0.2.1\n', want: 'db.example:2:5: type "AXFR" cannot appear in a zone file' },
  { name: 'TYPE255', zone: '$TTL 60\nwww TYPE255 \\# 0\n', want: 'db.example:2:5: type "TYPE255" cannot appear in a zone file' },
  { name: 'ANY reads as the class ANY', zone: '$TTL 60\nwww ANY A 192.0.2.1\n', want: 'db.example:2:5: class "ANY" is not supported; zone data must be class IN' },
  { name: 'OPT', zone: '$TTL 60\nwww OPT\n', want: 'db.example:2:5: type "OPT" cannot appear in a zone file' },
  { name: 'unknown directive', zone: '$GENERATE 1-2 a$ A 192.0.2.$\n', want: 'db.example:1:1: unknown directive "$GENERATE"' },
  { name: '$ORIGIN without a name', zone: '$ORIGIN\n', want: 'db.example:1:1: $ORIGIN needs a domain name' },
  { name: '$ORIGIN with extra text', zone: '$ORIGIN a. b.\n', want: 'db.example:1:12: unexpected "b.": the syntax is $ORIGIN <domain-name>' },
  { name: '$ORIGIN with a bad name', zone: '$ORIGIN a..b.\n', want: /^db\.example:1:9: name "a\.\.b\." has an empty label$/ },
  {
    name: '$INCLUDE with extra text',
    opts: { include: files({ a: '' }) },
    zone: '$INCLUDE a b. c\n',
    want: 'db.example:1:15: unexpected "c": the syntax is $INCLUDE <file-name> [<domain-name>]',
  },
  { name: '$INCLUDE without a file', zone: '$INCLUDE ; none\n', want: 'db.example:1:1: $INCLUDE needs a file name' },
  { name: '$TTL without a value', zone: '$TTL ; nothing\n', want: 'db.example:1:1: $TTL needs a TTL' },
  { name: 'bad owner name', zone: '$TTL 60\na..b A 192.0.2.1\n', want: 'db.example:2:1: name "a..b" has an empty label' },
  {
    name: 'owner outside the zone',
    zone: '$TTL 60\n$ORIGIN example.org.\nwww A 192.0.2.1\n',
    want: 'db.example:3:1: owner "www.example.org." is outside the zone "example.com."',
  },
  {
    name: 'blank owner on the first record',
    zone: '$TTL 60\n  A 192.0.2.1\n',
    want: 'db.example:2:3: line starts with a blank but there is no previous owner for "A"',
  },
  { name: 'no TTL anywhere', zone: 'www A 192.0.2.1\n', want: 'db.example:1:5: no TTL for this record and no $TTL or earlier TTL to default to' },
  { name: 'RDATA error mapped to its token', zone: '$TTL 60\n@ MX ( 10\n   mail. extra )\n', want: /^db\.example:3:10: / },
  { name: 'MX preference from the codec', zone: '$TTL 60\n@ MX x mail\n', want: /^db\.example:2:6: .*x/ },
  { name: 'missing RDATA points past the type', zone: '$TTL 60\n@ MX 10\n', want: /^db\.example:2:8: / },
  { name: 'bad IPv4 address', zone: '$TTL 60\nwww A 192.0.2\n', want: /^db\.example:2:7: .*192\.0\.2/ },
  { name: '$INCLUDE without a callback', zone: '$INCLUDE other.db\n', want: 'db.example:1:10: $INCLUDE "other.db" is not allowed here' },
  {
    name: '$INCLUDE the callback refuses',
    opts: { include: files({}) },
    zone: '$TTL 60\n$INCLUDE ../../etc/passwd\n',
    want: 'db.example:2:10: cannot include "../../etc/passwd": no such file',
  },
  {
    name: '$INCLUDE loop',
    opts: { include: files({ a: '$INCLUDE b\n', b: '\n$INCLUDE a\n' }) },
    zone: '$INCLUDE a\n',
    want: 'b:2:10: $INCLUDE loop: "db.example" -> "a" -> "b" -> "a"',
  },
  {
    name: '$INCLUDE nested deeper than 8',
    opts: { include: (path: string) => ({ fileName: `${path}x`, text: `$INCLUDE ${path}x\n` }) },
    zone: '$INCLUDE f\n',
    want: 'fxxxxxxxx:1:10: $INCLUDE "fxxxxxxxx" nests deeper than 8 files',
  },
  {
    name: 'errors inside an included file name that file',
    opts: { include: files({ 'inc.db': '$TTL 60\n\nok A 192.0.2.1\nbad AAA ::1\n' }) },
    zone: '$TTL 60\nx A 192.0.2.1\n$INCLUDE inc.db\n',
    want: 'inc.db:4:5: unknown type "AAA"',
  },
];

for (const c of errors) {
  test(`parseZoneFile error: ${c.name}`, () => {
    assert.throws(() => parseZoneFile(c.zone, { origin: ORIGIN, fileName: 'db.example', ...c.opts }), (err: unknown) => {
      assert.ok(err instanceof ZoneFileError, String(err));
      if (typeof c.want === 'string') assert.equal(err.message, c.want);
      else assert.match(err.message, c.want);
      assert.equal(err.message, `${err.file}:${err.line}:${err.column}: ${err.reason}`);
      assert.equal(err.code, 'ZONE_FILE');
      return true;
    });
  });
}
