// Decodes a DNS response with dns-packet (an oracle independent of mcns's codec)
// into a shape that two servers' answers can be compared on: header codes and
// flags, the question as sent back, and each section as a multiset of records.
import dnsPacket from 'dns-packet';

/** One resource record in presentation form. */
export interface RecordLine {
  /** Owner as received (case kept), absolute. */
  readonly owner: string;
  readonly ttl: number;
  readonly class: string;
  readonly type: string;
  /** RDATA in presentation form, names in the case received. */
  readonly rdata: string;
  /** The comparison key: lowercased owner, TTL, class, type, RDATA. */
  readonly key: string;
}

/** The header flags that are compared (RFC 1035 4.1.1, RFC 4035 3.2). */
export interface ShapeFlags {
  readonly qr: boolean;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly ad: boolean;
  readonly cd: boolean;
}

/** A decoded response reduced to what the differential test compares. */
export interface AnswerShape {
  readonly id: number;
  readonly opcode: number;
  /** Full rcode: header bits joined with the OPT extended bits (RFC 6891 6.1.3). */
  readonly rcode: number;
  readonly flags: ShapeFlags;
  /** Each question as "qname class type", qname case as received. */
  readonly questions: readonly string[];
  readonly answer: readonly RecordLine[];
  readonly authority: readonly RecordLine[];
  /** Additional records without the OPT pseudo-record. */
  readonly additional: readonly RecordLine[];
  /** The OPT record, or null when there was none. */
  readonly edns: { readonly version: number; readonly do: boolean; readonly udpSize: number } | null;
  /** The response size in octets. */
  readonly size: number;
}

/** Names of the rcodes that appear in the corpus, for messages. */
const RCODE_NAMES: Record<number, string> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED',
  6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE', 16: 'BADVERS',
};

/** The mnemonic of an rcode, or "RCODE<n>". */
export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

function absolute(name: string): string {
  return name === '.' || name === '' ? '.' : `${name}.`;
}

function quoteCharacterString(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${String(byte).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

interface Decoded {
  readonly type: string;
  readonly data: unknown;
}

/** RDATA in presentation form for the types the corpus uses; RFC 3597 form otherwise. */
function rdataText(record: Decoded): string {
  const data = record.data;
  if (Buffer.isBuffer(data)) return `\\# ${data.length} ${hex(data)}`.trimEnd();
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return String(data);
    case 'NS':
    case 'CNAME':
    case 'DNAME':
    case 'PTR':
      return absolute(String(data));
    case 'MX': {
      const mx = data as dnsPacket.MxData;
      return `${mx.preference ?? 0} ${absolute(mx.exchange)}`;
    }
    case 'SRV': {
      const srv = data as dnsPacket.SrvData;
      return `${srv.priority ?? 0} ${srv.weight ?? 0} ${srv.port} ${absolute(srv.target)}`;
    }
    case 'SOA': {
      const soa = data as dnsPacket.SoaData;
      return [absolute(soa.mname), absolute(soa.rname), soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum].join(' ');
    }
    case 'TXT': {
      const parts = Array.isArray(data) ? data : [data];
      return parts.map((part) => quoteCharacterString(typeof part === 'string' ? Buffer.from(part) : (part as Buffer))).join(' ');
    }
    case 'HINFO': {
      const hinfo = data as dnsPacket.HInfoData;
      return `${quoteCharacterString(Buffer.from(hinfo.cpu))} ${quoteCharacterString(Buffer.from(hinfo.os))}`;
    }
    case 'DS': {
      const ds = data as dnsPacket.DsData;
      return `${ds.keyTag} ${ds.algorithm} ${ds.digestType} ${hex(ds.digest)}`;
    }
    default:
      return JSON.stringify(data, (_key, value: unknown) => {
        if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
          return hex(Buffer.from((value as { data: number[] }).data));
        }
        return value;
      });
  }
}

function recordLine(record: dnsPacket.Answer): RecordLine {
  const owner = absolute(record.name);
  const ttl = 'ttl' in record ? record.ttl ?? 0 : 0;
  const cls = 'class' in record ? record.class ?? 'IN' : 'IN';
  const rdata = rdataText(record as Decoded);
  return { owner, ttl, class: cls, type: record.type, rdata, key: `${owner.toLowerCase()} ${ttl} ${cls} ${record.type} ${rdata}` };
}

/** Decodes a response; throws (with dns-packet's reason) when it cannot be decoded. */
export function decodeAnswer(bytes: Buffer): AnswerShape {
  const packet = dnsPacket.decode(bytes) as dnsPacket.DecodedPacket;
  const additional: RecordLine[] = [];
  let edns: AnswerShape['edns'] = null;
  let extendedRcode = 0;
  for (const record of packet.additionals ?? []) {
    if (record.type === 'OPT') {
      const opt = record as dnsPacket.OptAnswer;
      edns = { version: opt.ednsVersion, do: opt.flag_do, udpSize: opt.udpPayloadSize };
      extendedRcode = opt.extendedRcode;
    } else {
      additional.push(recordLine(record));
    }
  }
  const flagsWord = bytes.readUInt16BE(2);
  return {
    id: bytes.readUInt16BE(0),
    opcode: (flagsWord >> 11) & 0xf,
    rcode: (extendedRcode << 4) | (flagsWord & 0xf),
    flags: {
      qr: packet.flag_qr, aa: packet.flag_aa, tc: packet.flag_tc, rd: packet.flag_rd,
      ra: packet.flag_ra, ad: packet.flag_ad, cd: packet.flag_cd,
    },
    questions: (packet.questions ?? []).map((q) => `${absolute(q.name)} ${q.class ?? 'IN'} ${q.type}`),
    answer: (packet.answers ?? []).map(recordLine),
    authority: (packet.authorities ?? []).map(recordLine),
    additional,
    edns,
    size: bytes.length,
  };
}

/** The answer in dig's layout (header, OPT, sections), for failure messages. */
export function formatDigText(shape: AnswerShape): string {
  const flagNames = (Object.keys(shape.flags) as (keyof ShapeFlags)[]).filter((name) => shape.flags[name]);
  const lines = [
    `;; ->>HEADER<<- opcode: ${shape.opcode === 0 ? 'QUERY' : shape.opcode}, status: ${rcodeName(shape.rcode)}, id: ${shape.id}`,
    `;; flags: ${flagNames.join(' ')}; QUERY: ${shape.questions.length}, ANSWER: ${shape.answer.length}, ` +
      `AUTHORITY: ${shape.authority.length}, ADDITIONAL: ${shape.additional.length + (shape.edns === null ? 0 : 1)}`,
  ];
  if (shape.edns !== null) {
    lines.push(`; EDNS: version: ${shape.edns.version}, flags:${shape.edns.do ? ' do' : ''}; udp: ${shape.edns.udpSize}`);
  }
  lines.push(';; QUESTION SECTION:', ...shape.questions.map((q) => `;${q}`));
  const sections: [string, readonly RecordLine[]][] = [
    ['ANSWER', shape.answer], ['AUTHORITY', shape.authority], ['ADDITIONAL', shape.additional],
  ];
  for (const [title, records] of sections) {
    if (records.length === 0) continue;
    lines.push(`;; ${title} SECTION:`);
    for (const r of records) lines.push(`${r.owner}\t${r.ttl}\t${r.class}\t${r.type}\t${r.rdata}`);
  }
  lines.push(`;; MSG SIZE  rcvd: ${shape.size}`);
  return lines.join('\n');
}
