// The query path end to end through the engine (no sockets): zones written as
// zone-file text, questions and expected sections as text, in tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RRType, decodeMessage, encodeMessage, nameFromText, nameToText, parseZoneFile, rdataToText, typeFromText, typeToText,
  type EdnsOption, type Message, type ResourceRecord,
} from '../wire/index.js';
import { buildZoneSnapshot, ZoneTable } from '../zone/index.js';
import { createQueryEngine, type AuthoritativeEngine, type QueryEngineOptions } from './index.js';

const EXAMPLE = `
$TTL 3600
@        SOA   ns1 hostmaster 1 7200 900 1209600 300
@        NS    ns1
@        NS    ns2.other.net.
@        MX    10 mail
ns1      A     192.0.2.1
ns1      AAAA  2001:db8::1
mail     A     192.0.2.2
www      A     192.0.2.3
www      TXT   "hello"
alias    CNAME www
ext      CNAME host.other.net.
innx     CNAME nope
loop1    CNAME loop2
loop2    CNAME loop1
*.wild   A     192.0.2.9
*.wild2  CNAME www
a.b.c    A     192.0.2.10
sub      NS    ns.sub
sub      NS    ns.other.net.
ns.sub   A     192.0.2.20
sub      DS    12345 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
*.sub    A     192.0.2.21
nods     NS    ns1
tochild  CNAME www.child
todel    CNAME www.sub
dn       DNAME target.example.com.
x.target A     192.0.2.30
toolong  DNAME ${'a'.repeat(63)}.${'a'.repeat(63)}.${'a'.repeat(63)}.example.com.
srv._tcp SRV   0 5 80 www
*.x      TXT   "wild"
deep.ent.x A   192.0.2.50
short 60 A     192.0.2.60
`;

const CHILD = `
$TTL 3600
@   SOA ns1 hostmaster 1 7200 900 1209600 600
@   NS  ns1
ns1 A   198.51.100.9
`;

function zoneTable(): ZoneTable {
  const zones = new ZoneTable();
  for (const [origin, text] of [['example.com.', EXAMPLE], ['child.example.com.', CHILD]] as const) {
    const o = nameFromText(origin);
    zones.set(buildZoneSnapshot(o, parseZoneFile(text, { origin: o, fileName: origin }).records));
  }
  return zones;
}

interface Ask {
  rd?: boolean;
  cd?: boolean;
  /** UDP payload size of our OPT; null sends no OPT. */
  edns?: number | null;
  do?: boolean;
  version?: number;
  options?: EdnsOption[];
  opcode?: number;
  qclass?: number;
  transport?: 'udp' | 'tcp';
  id?: number;
}

function request(question: string, opts: Ask = {}): Uint8Array {
  const [qname, qtype] = question.split(' ') as [string, string];
  const edns: number | null = opts.edns === undefined ? 1232 : opts.edns;
  const msg: Message = {
    header: {
      id: opts.id ?? 0x1234, qr: false, opcode: opts.opcode ?? 0, aa: false, tc: false, rd: opts.rd ?? true,
      ra: false, z: false, ad: false, cd: opts.cd ?? false,
    },
    rcode: 0,
    questions: [{ name: nameFromText(qname), type: typeFromText(qtype)!, class: opts.qclass ?? 1 }],
    answers: [], authorities: [], additionals: [],
    edns: edns === null || edns === undefined ? null : { udpSize: edns, version: opts.version ?? 0, do: opts.do ?? false, z: 0, options: opts.options ?? [] },
  };
  return encodeMessage(msg);
}

/** A record as text; the owner lowercased, since the encoder may compress it against any spelling. */
function rrText(rr: ResourceRecord): string {
  return `${nameToText(rr.name).toLowerCase()} ${rr.ttl} ${typeToText(rr.type)} ${rdataToText(rr.type, rr.rdata)}`;
}

const RCODES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 9: 'NOTAUTH', 16: 'BADVERS' };

/** The response as text: rcode, flags, and each section's records sorted. */
interface Said {
  rcode: string;
  flags: string;
  answer: string[];
  authority: string[];
  additional: string[];
}

function said(reply: unknown): Said & { msg: Message } {
  assert.ok(reply instanceof Uint8Array, 'a reply');
  const msg = decodeMessage(reply);
  const h = msg.header;
  const flags = (['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const).filter((f) => h[f]).join(' ');
  return {
    msg,
    rcode: RCODES[msg.rcode] ?? String(msg.rcode),
    flags,
    answer: msg.answers.map(rrText).sort(),
    authority: msg.authorities.map(rrText).sort(),
    additional: msg.additionals.map(rrText).sort(),
  };
}

function engine(options: Partial<QueryEngineOptions> = {}): AuthoritativeEngine {
  return createQueryEngine({ zones: zoneTable(), ...options });
}

function ask(e: AuthoritativeEngine, question: string, opts: Ask = {}): Said & { msg: Message } {
  return said(e.handle(request(question, opts), { transport: opts.transport ?? 'udp', remoteAddress: '192.0.2.99', remotePort: 5353 }));
}

const SOA = 'example.com. 300 SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300';
const APEX_NS = ['example.com. 3600 NS ns1.example.com.', 'example.com. 3600 NS ns2.other.net.'];
const NS1_ADDRS = ['ns1.example.com. 3600 A 192.0.2.1', 'ns1.example.com. 3600 AAAA 2001:db8::1'];
const REFERRAL_NS = ['sub.example.com. 3600 NS ns.other.net.', 'sub.example.com. 3600 NS ns.sub.example.com.'];
const GLUE = ['ns.sub.example.com. 3600 A 192.0.2.20'];

interface Case {
  name: string;
  q: string;
  opts?: Ask;
  expect: Partial<Said>;
}

const CASES: Case[] = [
  // RFC 1034 4.3.2 step 3a: an exact match.
  { name: 'answers an exact match with AA and copies RD', q: 'www.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: ['www.example.com. 3600 A 192.0.2.3'], authority: [], additional: [] } },
  { name: 'answers NODATA with the SOA at min(SOA TTL, MINIMUM) (RFC 2308 3)', q: 'www.example.com. AAAA',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: [], authority: [SOA], additional: [] } },
  { name: 'answers NXDOMAIN with the SOA', q: 'nope.example.com. A',
    expect: { rcode: 'NXDOMAIN', flags: 'qr aa rd', answer: [], authority: [SOA] } },
  { name: 'answers NODATA, not NXDOMAIN, at an empty non-terminal', q: 'b.c.example.com. A',
    expect: { rcode: 'NOERROR', answer: [], authority: [SOA] } },
  // Step 3a with a CNAME: restart at its target.
  { name: 'follows a CNAME inside the zone', q: 'alias.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: ['alias.example.com. 3600 CNAME www.example.com.', 'www.example.com. 3600 A 192.0.2.3'], authority: [] } },
  { name: 'answers a CNAME query with the CNAME itself', q: 'alias.example.com. CNAME',
    expect: { rcode: 'NOERROR', answer: ['alias.example.com. 3600 CNAME www.example.com.'] } },
  { name: 'stops a chain that leaves the zone', q: 'ext.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: ['ext.example.com. 3600 CNAME host.other.net.'], authority: [] } },
  { name: 'answers NXDOMAIN after a CNAME to a missing name (RFC 6604)', q: 'innx.example.com. A',
    expect: { rcode: 'NXDOMAIN', answer: ['innx.example.com. 3600 CNAME nope.example.com.'], authority: [SOA] } },
  { name: 'answers SERVFAIL with the chain on a CNAME loop, as BIND', q: 'loop1.example.com. A',
    expect: { rcode: 'SERVFAIL', flags: 'qr aa rd', answer: ['loop1.example.com. 3600 CNAME loop2.example.com.', 'loop2.example.com. 3600 CNAME loop1.example.com.'] } },
  // RFC 6672 DNAME.
  { name: 'synthesizes a CNAME below a DNAME with its TTL and goes on in the zone', q: 'X.dn.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: [
      'dn.example.com. 3600 DNAME target.example.com.', 'x.dn.example.com. 3600 CNAME X.target.example.com.', 'x.target.example.com. 3600 A 192.0.2.30'] } },
  { name: 'answers YXDOMAIN when the DNAME substitution is too long', q: `${'b'.repeat(60)}.${'b'.repeat(20)}.toolong.example.com. A`,
    expect: { rcode: 'YXDOMAIN', flags: 'qr aa rd', answer: [`toolong.example.com. 3600 DNAME ${'a'.repeat(63)}.${'a'.repeat(63)}.${'a'.repeat(63)}.example.com.`] } },
  { name: 'does not apply a DNAME to its own owner', q: 'dn.example.com. A',
    expect: { rcode: 'NOERROR', answer: [], authority: [SOA] } },
  { name: 'answers a DNAME query at the owner', q: 'dn.example.com. DNAME',
    expect: { rcode: 'NOERROR', answer: ['dn.example.com. 3600 DNAME target.example.com.'] } },
  // RFC 4592 wildcards.
  { name: 'synthesizes from a wildcard with the qname as owner', q: 'Foo.wild.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: ['foo.wild.example.com. 3600 A 192.0.2.9'] } },
  { name: 'a wildcard matches several labels', q: 'a.b.wild.example.com. A',
    expect: { rcode: 'NOERROR', answer: ['a.b.wild.example.com. 3600 A 192.0.2.9'] } },
  { name: 'answers NODATA for a type the wildcard lacks', q: 'foo.wild.example.com. TXT',
    expect: { rcode: 'NOERROR', answer: [], authority: [SOA] } },
  { name: 'an existing empty non-terminal blocks the wildcard', q: 'ent.x.example.com. TXT',
    expect: { rcode: 'NOERROR', answer: [], authority: [SOA] } },
  { name: 'a wildcard applies beside the empty non-terminal', q: 'other.x.example.com. TXT',
    expect: { rcode: 'NOERROR', answer: ['other.x.example.com. 3600 TXT "wild"'] } },
  { name: 'the wildcard does not apply below an existing name', q: 'under.ent.x.example.com. TXT',
    expect: { rcode: 'NXDOMAIN', authority: [SOA] } },
  { name: 'follows a wildcard CNAME', q: 'foo.wild2.example.com. A',
    expect: { rcode: 'NOERROR', answer: ['foo.wild2.example.com. 3600 CNAME www.example.com.', 'www.example.com. 3600 A 192.0.2.3'] } },
  // Step 3b: delegations.
  { name: 'refers below a cut with AA clear, NS in authority and glue', q: 'www.sub.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr rd', answer: [], authority: REFERRAL_NS, additional: GLUE } },
  { name: 'refers for NS at the cut', q: 'sub.example.com. NS',
    expect: { rcode: 'NOERROR', flags: 'qr rd', authority: REFERRAL_NS, additional: GLUE } },
  { name: 'refers for glue names instead of answering from occluded data', q: 'ns.sub.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr rd', answer: [], authority: REFERRAL_NS } },
  { name: 'does not apply a wildcard below a cut', q: 'any.sub.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr rd', answer: [], authority: REFERRAL_NS } },
  { name: 'answers DS at a cut from the parent side (RFC 4035 3.1.4.1)', q: 'sub.example.com. DS',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: ['sub.example.com. 3600 DS 12345 8 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF'], authority: [] } },
  { name: 'answers NODATA for a missing DS at a cut', q: 'nods.example.com. DS',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: [], authority: [SOA] } },
  { name: 'answers DS for a child apex from the parent zone we also serve', q: 'child.example.com. DS',
    expect: { rcode: 'NXDOMAIN', flags: 'qr aa rd', authority: [SOA] } },
  { name: 'answers DS at an apex whose parent we do not serve with NODATA', q: 'example.com. DS',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: [], authority: [SOA] } },
  { name: 'answers the child zone at its apex for other types', q: 'child.example.com. SOA',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: ['child.example.com. 3600 SOA ns1.child.example.com. hostmaster.child.example.com. 1 7200 900 1209600 600'] } },
  { name: 'does not follow a chain into a child zone served here, as BIND', q: 'tochild.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: ['tochild.example.com. 3600 CNAME www.child.example.com.'], authority: [], additional: [] } },
  { name: 'keeps the CNAME and gives the referral when a chain enters a cut', q: 'todel.example.com. A',
    expect: { rcode: 'NOERROR', flags: 'qr aa rd', answer: ['todel.example.com. 3600 CNAME www.sub.example.com.'], authority: REFERRAL_NS, additional: GLUE } },
  // Additional-section processing.
  { name: 'adds addresses of MX targets', q: 'example.com. MX',
    expect: { answer: ['example.com. 3600 MX 10 mail.example.com.'], authority: [], additional: ['mail.example.com. 3600 A 192.0.2.2'] } },
  { name: 'adds addresses of SRV targets', q: 'srv._tcp.example.com. SRV',
    expect: { additional: ['www.example.com. 3600 A 192.0.2.3'] } },
  { name: 'adds addresses of NS targets', q: 'example.com. NS',
    expect: { answer: APEX_NS, authority: [], additional: NS1_ADDRS } },
  // Authority of positive answers: BIND 9.18 minimal-responses no-auth-recursive.
  { name: 'puts the apex NS in authority when RD is clear', q: 'www.example.com. A', opts: { rd: false },
    expect: { flags: 'qr aa', answer: ['www.example.com. 3600 A 192.0.2.3'], authority: APEX_NS, additional: NS1_ADDRS } },
  { name: 'does not repeat the NS answer in authority', q: 'example.com. NS', opts: { rd: false },
    expect: { answer: APEX_NS, authority: [], additional: NS1_ADDRS } },
  { name: 'adds no apex NS to a DS answer with RD clear', q: 'sub.example.com. DS', opts: { rd: false },
    expect: { flags: 'qr aa', authority: [], additional: [] } },
  { name: 'puts the apex NS in authority of a wildcard answer with RD clear', q: 'a.wild.example.com. A', opts: { rd: false },
    expect: { answer: ['a.wild.example.com. 3600 A 192.0.2.9'], authority: APEX_NS, additional: NS1_ADDRS } },
  { name: 'adds no apex NS to a chain that leaves the zone', q: 'ext.example.com. A', opts: { rd: false },
    expect: { authority: [], additional: [] } },
  { name: 'keeps negative answers minimal when RD is clear', q: 'nope.example.com. A', opts: { rd: false },
    expect: { rcode: 'NXDOMAIN', flags: 'qr aa', authority: [SOA], additional: [] } },
  // RFC 8482 minimal ANY (the default).
  { name: 'answers ANY with the RRset of the lowest type', q: 'www.example.com. ANY',
    expect: { rcode: 'NOERROR', answer: ['www.example.com. 3600 A 192.0.2.3'], additional: [] } },
  { name: 'adds no additional data to ANY, even with RD clear', q: 'example.com. ANY', opts: { rd: false },
    expect: { answer: APEX_NS, authority: [], additional: [] } },
  { name: 'refers ANY at a cut, with glue', q: 'sub.example.com. ANY',
    expect: { flags: 'qr rd', authority: REFERRAL_NS, additional: GLUE } },
  { name: 'answers ANY at an empty non-terminal with NODATA', q: 'c.example.com. ANY',
    expect: { rcode: 'NOERROR', answer: [], authority: [SOA] } },
  // Refusals and errors.
  { name: 'refuses names outside our zones', q: 'www.example.net. A',
    expect: { rcode: 'REFUSED', flags: 'qr rd', answer: [], authority: [] } },
  { name: 'refuses class CH', q: 'version.bind. TXT', opts: { qclass: 3 }, expect: { rcode: 'REFUSED', flags: 'qr rd' } },
  { name: 'answers the meta-class ANY with FORMERR, as BIND', q: 'www.example.com. A', opts: { qclass: 255 }, expect: { rcode: 'FORMERR', flags: 'qr rd' } },
  { name: 'answers the meta-class NONE with FORMERR', q: 'www.example.com. A', opts: { qclass: 254 }, expect: { rcode: 'FORMERR' } },
  { name: 'refuses class HS', q: 'www.example.com. A', opts: { qclass: 4 }, expect: { rcode: 'REFUSED' } },
  { name: 'refuses AXFR for now', q: 'example.com. AXFR', opts: { transport: 'tcp' }, expect: { rcode: 'REFUSED' } },
  { name: 'refuses IXFR for now', q: 'example.com. IXFR', expect: { rcode: 'REFUSED' } },
  { name: 'answers NOTIFY with NOTIMP for now', q: 'example.com. SOA', opts: { opcode: 4 }, expect: { rcode: 'NOTIMP' } },
  { name: 'answers UPDATE with NOTIMP for now', q: 'example.com. SOA', opts: { opcode: 5 }, expect: { rcode: 'NOTIMP' } },
  { name: 'answers IQUERY with a bare NOTIMP (no question, RD clear), as BIND', q: 'example.com. A', opts: { opcode: 1 },
    expect: { rcode: 'NOTIMP', flags: 'qr', answer: [] } },
  { name: 'answers an unassigned opcode with a bare NOTIMP', q: 'example.com. A', opts: { opcode: 3 }, expect: { rcode: 'NOTIMP', flags: 'qr' } },
  { name: 'answers an OPT question with FORMERR', q: 'example.com. OPT', expect: { rcode: 'FORMERR' } },
  { name: 'answers MAILA with NOTIMP', q: 'example.com. MAILA', expect: { rcode: 'NOTIMP' } },
  { name: 'answers EDNS version 1 with BADVERS (RFC 6891 6.1.3)', q: 'www.example.com. A', opts: { version: 1 },
    expect: { rcode: 'BADVERS', flags: 'qr rd', answer: [] } },
  // Flags.
  { name: 'copies CD', q: 'www.example.com. A', opts: { cd: true }, expect: { flags: 'qr aa rd cd' } },
  { name: 'copies a clear RD', q: 'www.example.com. AAAA', opts: { rd: false }, expect: { flags: 'qr aa' } },
];

for (const c of CASES) {
  test(c.name, () => {
    const got = ask(engine(), c.q, c.opts);
    const picked: Partial<Said> = {};
    for (const key of Object.keys(c.expect) as (keyof Said)[]) (picked as Record<string, unknown>)[key] = got[key];
    assert.deepEqual(picked, c.expect);
  });
}

test('full ANY answers every RRset of the node, as BIND by default', () => {
  const got = ask(engine({ minimalAny: false }), 'www.example.com. ANY');
  assert.deepEqual(got.answer, ['www.example.com. 3600 A 192.0.2.3', 'www.example.com. 3600 TXT "hello"']);
});

test('copies the question with the client\'s case', () => {
  const got = ask(engine(), 'WwW.ExAmPlE.cOm. A');
  assert.equal(nameToText(got.msg.questions[0]!.name), 'WwW.ExAmPlE.cOm.');
  assert.equal(got.answer.length, 1);
});

test('answers with our OPT when the request has one: 1232, version 0, DO copied (RFC 3225 3)', () => {
  const e = engine();
  assert.deepEqual(ask(e, 'www.example.com. A', { edns: 4096 }).msg.edns, { udpSize: 1232, version: 0, do: false, z: 0, options: [] });
  assert.equal(ask(e, 'www.example.com. A', { do: true }).msg.edns?.do, true);
  assert.equal(ask(e, 'www.example.com. A', { edns: null }).msg.edns, null);
  assert.equal(ask(e, 'www.example.com. A', { version: 1 }).msg.edns?.version, 0);
});

test('truncates over UDP without EDNS at 512 bytes with TC, and answers whole over TCP', () => {
  let body = '';
  for (let i = 0; i < 40; i++) body += `big TXT "${'x'.repeat(40)}${i}"\n`;
  const zones = new ZoneTable();
  const o = nameFromText('example.com.');
  zones.set(buildZoneSnapshot(o, parseZoneFile(EXAMPLE + body, { origin: o, fileName: 'z' }).records));
  const e = createQueryEngine({ zones });
  const udp = e.handle(request('big.example.com. TXT', { edns: null }), { transport: 'udp', remoteAddress: '::1', remotePort: 1 }) as Uint8Array;
  assert.ok(udp.length <= 512);
  assert.equal(said(udp).flags, 'qr aa tc rd');
  const small = e.handle(request('big.example.com. TXT', { edns: 100 }), { transport: 'udp', remoteAddress: '::1', remotePort: 1 }) as Uint8Array;
  assert.ok(small.length <= 512, 'an EDNS size below 512 counts as 512');
  const edns = e.handle(request('big.example.com. TXT', { edns: 4096 }), { transport: 'udp', remoteAddress: '::1', remotePort: 1 }) as Uint8Array;
  assert.ok(edns.length > 512 && edns.length <= 1232);
  const tcp = said(e.handle(request('big.example.com. TXT', { edns: null }), { transport: 'tcp', remoteAddress: '::1', remotePort: 1 }));
  assert.equal(tcp.flags, 'qr aa rd');
  assert.equal(tcp.answer.length, 40);
});

test('answers undecodable requests with FORMERR, echoing ID and opcode', () => {
  const e = engine();
  const good = request('www.example.com. A', { id: 0xbeef, edns: null });
  const broken = good.slice(0, good.length - 2); // cut inside the question
  const got = said(e.handle(broken, { transport: 'udp', remoteAddress: '::1', remotePort: 1 }));
  assert.equal(got.rcode, 'FORMERR');
  assert.equal(got.msg.header.id, 0xbeef);
  assert.equal(got.msg.questions.length, 0);
});

test('answers QDCOUNT 0 and 2 with FORMERR', () => {
  const e = engine();
  const base: Message = {
    header: { id: 7, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: false },
    rcode: 0, questions: [], answers: [], authorities: [], additionals: [], edns: null,
  };
  const ctx = { transport: 'udp', remoteAddress: '::1', remotePort: 1 } as const;
  assert.equal(said(e.handle(encodeMessage(base), ctx)).rcode, 'FORMERR');
  const q = { name: nameFromText('www.example.com.'), type: RRType.A, class: 1 };
  assert.equal(said(e.handle(encodeMessage({ ...base, questions: [q, q] }), ctx)).rcode, 'FORMERR');
});

test('answers a TSIG-signed request with NOTAUTH until TSIG is implemented', () => {
  const msg = decodeMessage(request('www.example.com. A', { edns: null }));
  const tsig: ResourceRecord = { name: nameFromText('key.'), type: RRType.TSIG, class: 255, ttl: 0,
    rdata: new Uint8Array([...Buffer.from('\x0bhmac-sha256\x00', 'latin1'), 0, 0, 0, 0, 0, 1, 1, 44, 0, 0, 0, 7, 0, 0, 0, 0]) };
  const got = said(engine().handle(encodeMessage({ ...msg, additionals: [tsig] }), { transport: 'udp', remoteAddress: '::1', remotePort: 1 }));
  assert.equal(got.rcode, 'NOTAUTH');
});

test('drops responses and fragments shorter than a header', () => {
  const e = engine();
  const ctx = { transport: 'udp', remoteAddress: '::1', remotePort: 1 } as const;
  const response = request('www.example.com. A');
  response[2] = response[2]! | 0x80; // QR
  assert.equal(e.handle(response, ctx), null);
  assert.equal(e.handle(new Uint8Array(11), ctx), null);
  assert.equal(e.stats.dropped, 2);
});
