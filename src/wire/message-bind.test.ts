import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { nameFromText, nameLower, nameToText } from './name.js';
import { decodeMessage, encodeMessage } from './message.js';
import { rdataFromText, rdataToText, typeFromText } from './rdata.js';
import { tokenizeRdata } from './zone-file/tokenize-rdata.js';

// Real packets from BIND 9.18 (named serving the zone below on loopback, captured
// with our encoder's queries): BIND's own compression, case handling and layout.

/** The zone BIND served (named-checkzone accepted it), one record per line. */
const ZONE = [
  "$ORIGIN example.com.",
  "$TTL 300",
  "@ 300 IN SOA ns1.example.com. hostmaster.example.com. 2024010101 3600 900 604800 300",
  "@ 300 IN NS ns1.example.com.",
  "ns1 300 IN A 192.0.2.1",
  "ns1 300 IN AAAA 2001:db8::1",
  "@ 300 IN MX 10 mail.example.com.",
  "mail 300 IN A 192.0.2.2",
  "txt 300 IN TXT \"hello \\\"world\\\"\" \"semi;colon\" \"plain\" \"\\200\\001\" \"\\195\\169\"",
  "spf 300 IN SPF \"v=spf1 -all\"",
  "srv 300 IN SRV 0 5 5060 sip.example.com.",
  "_sip._tcp 300 IN SRV 10 60 5060 bigbox.example.com.",
  "naptr 300 IN NAPTR 100 10 \"S\" \"SIP+D2U\" \"!^.*$!sip:info@example.com!\" _sip._udp.example.com.",
  "caa 300 IN CAA 0 issue \"letsencrypt.org; validationmethods=dns-01\"",
  "caa 300 IN CAA 128 tbs \"Unknown\"",
  "sshfp 300 IN SSHFP 4 2 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
  "_443._tcp 300 IN TLSA 3 1 1 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
  "svc 300 IN SVCB 1 svc2.example.com. mandatory=alpn,port alpn=\"h2,h3\" port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech=\"AEX+DQBBAAAgACA=\" ipv6hint=2001:db8::1 key65000=\"abc\"",
  "@ 300 IN HTTPS 1 . alpn=\"h3\" no-default-alpn",
  "alias 300 IN HTTPS 0 svc.example.com.",
  "dname 300 IN DNAME other.net.",
  "cname 300 IN CNAME www.example.com.",
  "www 300 IN A 192.0.2.3",
  "ptr 300 IN PTR www.example.com.",
  "sub 300 IN NS ns1.example.com.",
  "sub 300 IN DS 12345 13 2 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
  "@ 300 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
  "@ 300 IN CDS 0 0 0 00",
  "@ 300 IN CDNSKEY 0 3 0 AA==",
  "@ 300 IN RRSIG SOA 13 2 300 20360101000000 20251201000000 12345 example.com. dGVzdHNpZ25hdHVyZQ==",
  "@ 300 IN NSEC a.example.com. A NS SOA MX RRSIG NSEC DNSKEY CAA TYPE1234",
  "2t7b4g4vsa5smi47k61mv5bv1a22bojr 300 IN NSEC3 1 1 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG",
  "@ 300 IN NSEC3PARAM 1 0 0 AABB",
  "hinfo 300 IN HINFO \"PC-Intel-700mhz\" \"Linux 2.4\"",
  "loc 300 IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
  "loc2 300 IN LOC 42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m",
  "loc3 300 IN LOC 0 0 0.000 N 0 0 0.000 E 0.00m 1m 10000m 10m",
  "rp 300 IN RP admin.example.com. txt.example.com.",
  "afsdb 300 IN AFSDB 1 afs.example.com.",
  "uri 300 IN URI 10 1 \"https://www.example.com/path\"",
  "dhcid 300 IN DHCID AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
  "openpgp 300 IN OPENPGPKEY mQINBFit2jsBEADrbl5vjVxYeAE0g0IDYCBpHirv1Sjlqxx5gjtPhb2YhvyDMXjq",
  "apl 300 IN APL 1:192.168.32.0/21 !1:192.168.38.0/28 2:ff00::/8",
  "escaped\\.dot 300 IN A 192.0.2.9",
  "unk 300 IN TYPE65534 \\# 4 0a000001",
  "eui 300 IN EUI48 00-00-5e-00-53-2a",
  "zonemd 300 IN ZONEMD 2024010101 1 1 ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
  "@ 300 IN CSYNC 66 3 A NS AAAA",
];

/** UDP response to "EXAMPLE.com. MX" with EDNS and DO. BIND compresses "example" case-sensitively. */
const MX_RESPONSE = [
  '004d84000001000100010004074558414d504c4503636f6d00000f0001076578616d706c65c014000f00010000012c000900',
  '0a046d61696cc01dc01d000200010000012c0006036e7331c01dc033000100010000012c0004c0000202c046000100010000',
  '012c0004c0000201c046001c00010000012c001020010db800000000000000000000000100002904d0000080000000',
].join('');

/** The single-message AXFR of the zone. */
const AXFR_RESPONSE = [
  '004d84000001002f00000000076578616d706c6503636f6d0000fc0001c00c000600010000012c0027036e7331c00c0a686f',
  '73746d6173746572c00c78a3f17500000e100000038400093a800000012cc00c003000010000012c00440101030d99db2cc1',
  '4cabdc33d6d77da63a2f15f71112584f234e8d1dc428e39e8a4a97e1aa271a555dc90701e17e2a4c4b6f120b7c32d44f4ac0',
  '2bd894cf2d4be7778a19c00c002e00010000012c002c00060d020000012c7c245f00692cda803039076578616d706c650363',
  '6f6d00746573747369676e6174757265c0be002f00010000012c00380161076578616d706c6503636f6d0000076201000000',
  '0380010140041b000000000000000000000000000000000000000000000000000020c0e6004100010000012c000e00010000',
  '01000302683300020000c0e6000200010000012c0002c029c0e6000f00010000012c0009000a046d61696cc0e6c0e6003e00',
  '010000012c000c000000420003000460000008c0e6003300010000012c00070100000002aabbc0e6003b00010000012c0005',
  '0000000000c0e6003c00010000012c00050000030000045f343433045f746370076578616d706c6503636f6d000034000100',
  '00012c0023030101abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789045f736970c1ab002100',
  '010000012c001a000a003c13c406626967626f78076578616d706c6503636f6d00056166736462c208001200010000012c00',
  '13000103616673076578616d706c6503636f6d0005616c696173c22d004100010000012c0013000003737663076578616d70',
  '6c6503636f6d000361706cc252002a00010000012c001300011503c0a82000011c83c0a82600020801ff03636161c2520101',
  '00010000012c0030000569737375656c657473656e63727970742e6f72673b2076616c69646174696f6e6d6574686f64733d',
  '646e732d3031c282010100010000012c000c8003746273556e6b6e6f776e05636e616d65c252000500010000012c00060377',
  '7777c252056468636964c252003100010000012c0023000201636fc0b8271c82825bb1ac5c41cf5351aa69b4febd94e8f17c',
  'db95000da48c4005646e616d65c252002700010000012c000b056f74686572036e6574000b657363617065642e646f74c252',
  '000100010000012c0004c000020903657569c252006c00010000012c000600005e00532a0568696e666fc252000d00010000',
  '012c001a0f50432d496e74656c2d3730306d687a094c696e757820322e34036c6f63c252001d00010000012c001000001613',
  '8b3cf018810cbce0009895b8046c6f6332c252001d00010000012c00100033161389172dd070be15f000988d20046c6f6333',
  'c252001d00010000012c001000121613800000008000000000989680c152000100010000012c0004c0000202056e61707472',
  'c252002300010000012c00410064000a0153075349502b4432551b215e2e2a24217369703a696e666f406578616d706c652e',
  '636f6d21045f736970045f756470076578616d706c6503636f6d00c029000100010000012c0004c0000201c029001c000100',
  '00012c001020010db8000000000000000000000001076f70656e706770c252003d00010000012c003099020d0458adda3b01',
  '1000eb6e5e6f8d5c587801348342036020691e2aefd528e5ab1c79823b4f85bd9886fc833178ea03707472c252000c000100',
  '00012c0002c2ec027270c252001100010000012c00240561646d696e076578616d706c6503636f6d0003747874076578616d',
  '706c6503636f6d0003737066c50f006300010000012c000c0b763d73706631202d616c6c03737276c50f002100010000012c',
  '00170000000513c403736970076578616d706c6503636f6d00057373686670c552002c00010000012c00220402abcdef0123',
  '456789abcdef0123456789abcdef0123456789abcdef012345678903737562c552000200010000012c0002c029c593002b00',
  '010000012c002430390d02abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789c24e0040000100',
  '00012c006200010473766332076578616d706c6503636f6d000000000400010003000100060268320268330003000220fb00',
  '040008c0000201c00002020005000b0045fe0d004100002000200006001020010db8000000000000000000000001fde80003',
  '616263c50b001000010000012c00250d68656c6c6f2022776f726c64220a73656d693b636f6c6f6e05706c61696e02c80102',
  'c3a903756e6bc5e8fffe00010000012c00040a00000103757269c5e8010000010000012c0020000a000168747470733a2f2f',
  '7777772e6578616d706c652e636f6d2f70617468c2ec000100010000012c0004c0000203067a6f6e656d64c5e8003f000100',
  '00012c003678a3f1750101ababababababababababababababababababababababababababababababababababababababab',
  'ababababababababab203274376234673476736135736d6934376b36316d7635627631613232626f6a72c5e8003200010000',
  '012c0022010100000014174eb2409fe28bcb4887a1836f957f0a8425e27b0006400000000002c5e8000600010000012c0018',
  'c029c02f78a3f17500000e100000038400093a800000012c',
].join('');

const origin = nameFromText('example.com.');

function zoneRecords(): Set<string> {
  const out = new Set<string>();
  for (const line of ZONE) {
    if (line.startsWith('$')) continue;
    const tokens = tokenizeRdata(line);
    const owner = nameLower(nameFromText(tokens[0]!.text, origin));
    const type = typeFromText(tokens[3]!.text)!;
    out.add(`${nameToText(owner)} ${type} ${Buffer.from(rdataFromText(type, tokens.slice(4), origin)).toString('hex')}`);
  }
  return out;
}

test('decodes a BIND MX response with additional data and OPT', () => {
  const m = decodeMessage(Buffer.from(MX_RESPONSE, 'hex'));
  assert.equal(m.header.id, 77);
  assert.ok(m.header.qr && m.header.aa);
  assert.equal(m.rcode, 0);
  assert.equal(nameToText(m.questions[0]!.name), 'EXAMPLE.com.', 'the question keeps its case');
  assert.equal(nameToText(m.answers[0]!.name), 'example.com.', 'BIND wrote the owner in the zone\'s case');
  assert.equal(rdataToText(15, m.answers[0]!.rdata), '10 mail.example.com.');
  assert.deepEqual(m.authorities.map((r) => rdataToText(r.type, r.rdata)), ['ns1.example.com.']);
  assert.deepEqual(m.additionals.map((r) => `${nameToText(r.name)} ${rdataToText(r.type, r.rdata)}`),
    ['mail.example.com. 192.0.2.2', 'ns1.example.com. 192.0.2.1', 'ns1.example.com. 2001:db8::1']);
  assert.deepEqual(m.edns, { udpSize: 1232, version: 0, do: true, z: 0, options: [] });
});

test('decodes a BIND AXFR: every record equals the zone file it was loaded from', () => {
  const m = decodeMessage(Buffer.from(AXFR_RESPONSE, 'hex'));
  const got = m.answers.map((r) => `${nameToText(nameLower(r.name))} ${r.type} ${Buffer.from(r.rdata).toString('hex')}`);
  assert.equal(got[0], got[got.length - 1], 'the transfer starts and ends with the SOA');
  assert.deepEqual(new Set(got), zoneRecords());
});

test('re-encoding the BIND AXFR with our compression is no larger than BIND\'s', () => {
  const bind = Buffer.from(AXFR_RESPONSE, 'hex');
  // Transfers are never re-spelled by the answer cache, so the question is not fenced off.
  const ours = encodeMessage(decodeMessage(bind), 65535, { fenceQuestion: false });
  assert.ok(ours.length <= bind.length, `${ours.length} > ${bind.length}`);
  assert.deepEqual(decodeMessage(ours).answers.map((r) => r.rdata), decodeMessage(bind).answers.map((r) => r.rdata));
});
