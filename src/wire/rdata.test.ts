import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { WireError, type TextToken } from './types.js';
import { ROOT_NAME, nameFromText, nameToText } from './name.js';
import { tokenizeRdata } from './zone-file/tokenize-rdata.js';
import {
  classFromText, classToText, rdataFromText, rdataTargetName, rdataToText, rdataValidate, soaFields, soaWithSerial,
  typeFromText, typeToText,
} from './rdata.js';

const origin = nameFromText('example.com.');

/** Splits test input like a zone-file tokenizer: whitespace-separated, "..." quoted with escapes kept. */
function tokens(text: string): TextToken[] {
  const out: TextToken[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    if (text[i] === '"') {
      let j = i + 1;
      let t = '';
      while (text[j] !== '"') {
        if (text[j] === '\\') {
          t += text[j]! + text[j + 1]!;
          j += 2;
        } else {
          t += text[j++]!;
        }
      }
      out.push({ text: t, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ') j++;
    out.push({ text: text.slice(i, j), quoted: false });
    i = j;
  }
  return out;
}

function parse(type: string, text: string): Uint8Array {
  return rdataFromText(typeFromText(type)!, tokens(text), origin);
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

// [type, input text, canonical output]. The outputs were checked against BIND 9's
// named-compilezone: it accepts each and its own rendering parses to the same bytes.
const ROUND_TRIPS: readonly (readonly [string, string, string])[] = [
  ['A', '192.0.2.1', '192.0.2.1'],
  ['AAAA', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
  ['AAAA', '::ffff:192.0.2.1', '::ffff:c000:201'],
  ['AAAA', '2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['NS', 'ns1', 'ns1.example.com.'],
  ['CNAME', 'www.other.net.', 'www.other.net.'],
  ['DNAME', '@', 'example.com.'],
  ['PTR', 'host\\.with\\.dots', 'host\\.with\\.dots.example.com.'],
  ['MX', '10 mail', '10 mail.example.com.'],
  ['MX', '0 .', '0 .'],
  ['SOA', 'ns1 hostmaster 2024010101 1h 15m 1w 300', 'ns1.example.com. hostmaster.example.com. 2024010101 3600 900 604800 300'],
  ['TXT', '"hello \\"world\\"" "semi;colon" plain "\\200\\001" "back\\\\slash"',
    '"hello \\"world\\"" "semi;colon" "plain" "\\200\\001" "back\\\\slash"'],
  ['TXT', '""', '""'],
  ['TXT', '"é"', '"\\233"'], // latin1 text: one character is one byte
  ['TXT', '"€"', '"\\226\\130\\172"'], // above 0xff: UTF-8
  ['SPF', '"v=spf1 -all"', '"v=spf1 -all"'],
  ['HINFO', '"PC-Intel-700mhz" "Linux 2.4"', '"PC-Intel-700mhz" "Linux 2.4"'],
  ['SRV', '10 60 5060 bigbox', '10 60 5060 bigbox.example.com.'],
  ['NAPTR', '100 10 "S" "SIP+D2U" "!^.*$!sip:info@example.com!" _sip._udp',
    '100 10 "S" "SIP+D2U" "!^.*$!sip:info@example.com!" _sip._udp.example.com.'],
  ['CAA', '0 issue "letsencrypt.org; validationmethods=dns-01"', '0 issue "letsencrypt.org; validationmethods=dns-01"'],
  ['CAA', '128 tbs Unknown', '128 tbs "Unknown"'],
  ['SSHFP', '4 2 abcdef0123456789', '4 2 ABCDEF0123456789'],
  ['TLSA', '3 1 1 ABCDEF01 23456789', '3 1 1 ABCDEF0123456789'],
  ['SVCB', '1 svc2 alpn=h2,h3 port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech=AEX+DQBBAAAgACA= ipv6hint=2001:db8::1 mandatory=alpn,port key65000=abc',
    '1 svc2.example.com. mandatory=alpn,port alpn="h2,h3" port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech="AEX+DQBBAAAgACA=" ipv6hint=2001:db8::1 key65000="abc"'],
  ['HTTPS', '1 . alpn=h3 no-default-alpn', '1 . alpn="h3" no-default-alpn'],
  ['HTTPS', '0 svc', '0 svc.example.com.'],
  ['HTTPS', '1 . alpn=f\\\\\\\\oo\\\\,bar,h2', '1 . alpn="f\\\\\\\\oo\\\\,bar,h2"'],
  ['HTTPS', '1 . key7=/dns-query{?dns} key9', '1 . dohpath="/dns-query{?dns}" key9'],
  ['DS', '12345 13 2 ABCDEF0123456789', '12345 13 2 ABCDEF0123456789'],
  ['DS', '12345 ECDSAP256SHA256 2 abcdef', '12345 13 2 ABCDEF'],
  ['CDS', '0 0 0 00', '0 0 0 00'],
  ['DNSKEY', '257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+ KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==',
    '257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=='],
  ['CDNSKEY', '0 3 0 AA==', '0 3 0 AA=='],
  ['RRSIG', 'SOA 13 2 300 20360101000000 20251201000000 12345 example.com. dGVzdA==',
    'SOA 13 2 300 20360101000000 20251201000000 12345 example.com. dGVzdA=='],
  ['RRSIG', 'TYPE1234 8 2 300 1767225600 0 1 . dGVzdA==', 'TYPE1234 8 2 300 20260101000000 19700101000000 1 . dGVzdA=='],
  ['NSEC', 'a.example.com. A NS SOA MX RRSIG NSEC DNSKEY TYPE1234 CAA', 'a.example.com. A NS SOA MX RRSIG NSEC DNSKEY CAA TYPE1234'],
  ['NSEC', 'a.example.com.', 'a.example.com.'],
  ['NSEC3', '1 1 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG', '1 1 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG'],
  ['NSEC3', '1 0 10 AABB 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR', '1 0 10 AABB 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR'],
  ['NSEC3PARAM', '1 0 0 -', '1 0 0 -'],
  ['LOC', '52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m', '52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m'],
  ['LOC', '42 21 54 N 71 06 18 W -24m 30m', '42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m'],
  ['LOC', '0 S 0 W 0', '0 0 0.000 N 0 0 0.000 E 0.00m 1m 10000m 10m'],
  ['LOC', '90 N 180 W 42849672.95m 90000000m 0.5m 0.01', '90 0 0.000 N 180 0 0.000 W 42849672.95m 90000000m 0.50m 0.01m'],
  ['RP', 'admin.example.com. txt', 'admin.example.com. txt.example.com.'],
  ['AFSDB', '1 afs', '1 afs.example.com.'],
  ['URI', '10 1 "https://www.example.com/path"', '10 1 "https://www.example.com/path"'],
  ['DHCID', 'AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=', 'AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA='],
  ['OPENPGPKEY', 'mQINBFit2jsBEADrbl5vjVxYeAE0g0IDYCBpHirv1Sjl', 'mQINBFit2jsBEADrbl5vjVxYeAE0g0IDYCBpHirv1Sjl'],
  ['APL', '1:192.168.32.0/21 !1:192.168.38.0/28 2:ff00::/8', '1:192.168.32.0/21 !1:192.168.38.0/28 2:ff00::/8'],
  ['APL', '', ''],
  ['EUI48', '00-00-5E-00-53-2A', '00-00-5e-00-53-2a'],
  ['EUI64', '00-00-5e-ef-10-00-00-2a', '00-00-5e-ef-10-00-00-2a'],
  ['CSYNC', '66 3 A NS AAAA', '66 3 A NS AAAA'],
  ['ZONEMD', '2024010101 1 1 ABCD', '2024010101 1 1 ABCD'],
  ['TYPE65534', '\\# 4 0a 000001', '\\# 4 0a000001'],
  ['TYPE65534', '\\# 0', '\\# 0'],
  ['A', '\\# 4 c0000201', '192.0.2.1'],
  ['MINFO', 'rm em', 'rm.example.com. em.example.com.'],
];

test('text to wire to text round trips to the canonical form and the same bytes', () => {
  for (const [type, input, canonical] of ROUND_TRIPS) {
    const rdata = parse(type, input);
    const text = rdataToText(typeFromText(type)!, rdata);
    assert.equal(text, canonical, `${type} ${input}`);
    assert.equal(hex(parse(type, text)), hex(rdata), `${type} re-parse of ${text}`);
    rdataValidate(typeFromText(type)!, rdata);
  }
});

test('known wire encodings', () => {
  assert.equal(hex(parse('MX', '10 mail')), '000a046d61696c076578616d706c6503636f6d00');
  assert.equal(hex(parse('TXT', '"a" "bc"')), '0161026263');
  // RFC 4034 4.3 example bit map (A MX RRSIG NSEC TYPE1234).
  assert.equal(hex(parse('NSEC', 'host.example.com. A MX RRSIG NSEC TYPE1234')),
    '04686f7374076578616d706c6503636f6d00' + '0006400100000003' + '041b000000000000000000000000000000000000000000000000000020');
  // RFC 1876: default precisions 1 m, 10 000 m, 10 m are 0x12 0x16 0x13.
  assert.equal(hex(parse('LOC', '0 N 0 E 0')).slice(0, 8), '00121613');
  assert.equal(hex(parse('SVCB', '1 . port=53')), '0001' + '00' + '000300020035');
  assert.equal(hex(parse('CAA', '0 issue "ca.example"')), '0005697373756563612e6578616d706c65');
  assert.equal(hex(parse('RRSIG', 'A 8 2 3600 20000101000000 0 1 . AA==')).slice(16, 24), '386d4380');
});

test('SVCB parameters are sorted on the wire whatever the text order, and the tokenizer variants agree', () => {
  const a = parse('HTTPS', '1 . port=443 alpn=h2');
  const b = rdataFromText(65, [
    { text: '1', quoted: false }, { text: '.', quoted: false }, { text: 'alpn=', quoted: false }, { text: 'h2', quoted: true },
    { text: 'port=443', quoted: false },
  ], origin);
  const c = rdataFromText(65, [
    { text: '1', quoted: false }, { text: '.', quoted: false }, { text: 'alpn="h2"', quoted: false }, { text: 'port="443"', quoted: false },
  ], origin);
  assert.equal(hex(a), hex(b));
  assert.equal(hex(a), hex(c));
  assert.equal(hex(a), '0001' + '00' + '0001000302683200030002' + '01bb');
});

function throwsText(type: string, text: string, offset: number, pattern: RegExp): void {
  assert.throws(() => parse(type, text), (e: unknown) => {
    assert.ok(e instanceof WireError, `${type} ${text}: ${String(e)}`);
    assert.equal(e.code, 'BAD_TEXT', `${type} ${text}: ${e.message}`);
    assert.equal(e.offset, offset, `${type} ${text}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  }, `${type} ${text}`);
}

test('bad text is BAD_TEXT at the offending token with a clear reason', () => {
  throwsText('MX', 'x mail', 0, /^MX preference "x" is not a number 0-65535$/);
  throwsText('MX', '10', 1, /MX exchange is missing/);
  throwsText('MX', '10 mail extra', 2, /extra text "extra"/);
  throwsText('A', '192.0.2', 0, /not an IPv4 address/);
  throwsText('A', '192.0.2.256', 0, /not an IPv4 address/);
  throwsText('AAAA', '1::2::3', 0, /not an IPv6 address/);
  throwsText('AAAA', '1:2:3:4:5:6:7:8:9', 0, /not an IPv6 address/);
  throwsText('TXT', '"' + 'x'.repeat(256) + '"', 0, /256 bytes exceeds 255/);
  throwsText('TXT', '"bad \\25"', 0, /three digits/);
  throwsText('TXT', '"\\300"', 0, /above 255/);
  throwsText('DS', '1 13 2 XYZ', 3, /not hex/);
  throwsText('DNSKEY', '257 3 13 abc', 3, /not base64/);
  throwsText('DNSKEY', '257 3 NOPE AA==', 2, /algorithm mnemonic/);
  throwsText('RRSIG', 'A 8 2 300 20260231000000 0 1 . AA==', 4, /YYYYMMDDHHmmSS/);
  throwsText('NSEC', 'a. A BOGUS', 2, /"BOGUS" is not an RR type/);
  throwsText('NSEC3', '1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJ A', 4, /base32hex/);
  throwsText('LOC', '91 N 0 E 0', 1, /latitude/);
  throwsText('LOC', '1 2 3 4 N 0 E 0', 3, /expects "N" or "S"/);
  throwsText('SVCB', '1 . alpn=h2 alpn=h3', 0, /appears twice/);
  throwsText('SVCB', '1 . mandatory=port', 0, /mandatory but it is absent/);
  throwsText('SVCB', '1 . bogus=1', 2, /not known/);
  throwsText('SVCB', '1 . port=70000', 2, /not a number/);
  throwsText('SVCB', '1 . no-default-alpn=x', 2, /takes no value/);
  throwsText('CAA', '0 is-sue x', 1, /letters and digits/);
  throwsText('TYPE65534', 'abc', 0, /generic form/);
  throwsText('A', '\\# 3 c00002', 2, /not valid A/);
  throwsText('A', '\\# 4 c00002', 1, /length says 4/);
  throwsText('MX', '10 a..b', 1, /empty label/);
  throwsText('SOA', 'a b 1 2 3 4 1x', 6, /duration/);
  throwsText('EUI48', '00-00-5e-00-53', 0, /hex pairs/);
  throwsText('APL', '3:1.2.3.4/8', 0, /\[!\]1:ipv4/);
});

function throwsWire(type: number, rdataHex: string, code: string): void {
  assert.throws(() => rdataValidate(type, Buffer.from(rdataHex, 'hex')), (e: unknown) => {
    assert.ok(e instanceof WireError);
    assert.equal(e.code, code, `${typeToText(type)} ${rdataHex}: ${e.message}`);
    return true;
  });
}

test('rdataValidate rejects bytes that are not an instance of the type', () => {
  throwsWire(1, 'c00002', 'BAD_RDLENGTH');
  throwsWire(1, 'c000020101', 'BAD_RDLENGTH');
  throwsWire(15, '000a', 'BAD_RDLENGTH');
  throwsWire(15, '000a04', 'BAD_RDLENGTH');
  throwsWire(15, '000ac00c', 'BAD_RDATA'); // a pointer in stored rdata
  throwsWire(15, '000a4000', 'BAD_LABEL_TYPE');
  throwsWire(16, '', 'BAD_RDLENGTH');
  throwsWire(16, '0561', 'BAD_RDLENGTH');
  throwsWire(47, '00' + '0001' + '00', 'BAD_RDATA'); // zero-length window
  throwsWire(47, '00' + '000140' + '000140', 'BAD_RDATA'); // windows repeated
  throwsWire(47, '00' + '00024000', 'BAD_RDATA'); // trailing zero octet
  throwsWire(29, '01121613' + '00'.repeat(12), 'BAD_RDATA');
  throwsWire(29, '001a1613' + '80000000'.repeat(3), 'BAD_RDATA');
  throwsWire(64, '0001' + '00' + '0003000201bb' + '0001000302683200', 'BAD_RDATA'); // keys out of order
  throwsWire(64, '0001' + '00' + '000300030001bb', 'BAD_RDATA'); // port of 3 bytes
  throwsWire(64, '0001' + '00' + '00010000', 'BAD_RDATA'); // empty alpn
  throwsWire(257, '0000', 'BAD_RDATA'); // empty CAA tag
  throwsWire(50, '01000000' + '00' + '00', 'BAD_RDATA'); // empty next hashed owner
  throwsWire(6, '0000' + '00'.repeat(19), 'BAD_RDLENGTH');
  rdataValidate(65534, Buffer.from('0102', 'hex'));
  rdataValidate(42, new Uint8Array(0));
});

test('type and class mnemonics', () => {
  assert.equal(typeToText(1), 'A');
  assert.equal(typeToText(65), 'HTTPS');
  assert.equal(typeToText(65534), 'TYPE65534');
  assert.equal(typeFromText('https'), 65);
  assert.equal(typeFromText('Type65534'), 65534);
  assert.equal(typeFromText('TYPE65536'), null);
  assert.equal(typeFromText('BOGUS'), null);
  assert.equal(classToText(1), 'IN');
  assert.equal(classToText(42), 'CLASS42');
  assert.equal(classFromText('ch'), 3);
  assert.equal(classFromText('CLASS255'), 255);
  assert.equal(classFromText('XX'), null);
});

test('rdataTargetName gives the followed name, null for "." SVCB targets and other types', () => {
  const target = (type: string, text: string): string | null => {
    const name = rdataTargetName(typeFromText(type)!, parse(type, text));
    return name === null ? null : nameToText(name);
  };
  assert.equal(target('CNAME', 'Www.Other.net.'), 'Www.Other.net.');
  assert.equal(target('MX', '10 mail'), 'mail.example.com.');
  assert.equal(target('SRV', '1 2 3 sip'), 'sip.example.com.');
  assert.equal(target('AFSDB', '1 afs'), 'afs.example.com.');
  assert.equal(target('HTTPS', '1 svc alpn=h2'), 'svc.example.com.');
  assert.equal(target('HTTPS', '1 . alpn=h2'), null);
  assert.equal(target('NS', 'ns1'), 'ns1.example.com.');
  assert.equal(target('DNAME', 'other.net.'), 'other.net.');
  assert.equal(target('A', '192.0.2.1'), null);
  assert.equal(rdataTargetName(15, Uint8Array.of(0, 1, 5)), null);
});

test('SOA fields and serial replacement', () => {
  const soa = parse('SOA', 'ns1 hostmaster 2024010101 3600 900 604800 300');
  const f = soaFields(soa);
  assert.equal(nameToText(f.mname), 'ns1.example.com.');
  assert.equal(nameToText(f.rname), 'hostmaster.example.com.');
  assert.deepEqual([f.serial, f.refresh, f.retry, f.expire, f.minimum], [2024010101, 3600, 900, 604800, 300]);
  const bumped = soaWithSerial(soa, 4294967295);
  assert.equal(soaFields(bumped).serial, 4294967295);
  assert.equal(soaFields(soa).serial, 2024010101, 'the original is untouched');
  assert.throws(() => soaFields(soa.subarray(0, soa.length - 1)), WireError);
});

test('mutated RDATA either fails validation or prints as text that parses back to the same bytes', () => {
  let x = 99;
  const rnd = (k: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  };
  let valid = 0;
  for (const [type, input] of ROUND_TRIPS) {
    const t = typeFromText(type)!;
    const base = parse(type, input);
    for (let i = 0; i < 3000; i++) {
      let b = Uint8Array.from(base);
      const mode = rnd(3);
      if (mode === 0 && b.length > 0) for (let k = 0, m = 1 + rnd(3); k < m; k++) b[rnd(b.length)] = rnd(256);
      else if (mode === 1) b = b.subarray(0, rnd(b.length + 1));
      else b = Uint8Array.from([...b, ...Array.from({ length: 1 + rnd(6) }, () => rnd(256))]);
      try {
        rdataValidate(t, b);
      } catch (e) {
        assert.ok(e instanceof WireError, String(e));
        continue;
      }
      valid++;
      const text = rdataToText(t, b);
      assert.equal(hex(rdataFromText(t, tokenizeRdata(text), ROOT_NAME)), hex(b), `${type} ${hex(b)} as "${text}"`);
    }
  }
  assert.ok(valid > 10_000, `only ${valid} mutations were valid`);
});
