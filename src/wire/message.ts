// Whole DNS messages (RFC 1035 4.1): strict decoding into `Message` and encoding
// with name compression and truncation to the client's size.
import { WireError, type Edns, type EdnsOption, type Message, type Name, type Question, type ResourceRecord } from './types.js';
import { MAX_MESSAGE_SIZE, MessageWriter } from './message-writer.js';
import { lastNameEnd, readNameAt } from './read-name.js';
import { copyBytes, readRdataFromMessage, writeRdataToMessage } from './rdata/rdata-wire.js';

const HEADER_SIZE = 12;
const TYPE_OPT = 41;
const TYPE_TSIG = 250;
const ROOT = '\0' as Name;

/** The first 12 bytes of a message, read without decoding the rest. */
export interface HeaderPeek {
  readonly id: number;
  readonly opcode: number;
  readonly qr: boolean;
  /** The whole 16-bit flags word (QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE). */
  readonly flagsWord: number;
}

/** Reads id, opcode and flags so an undecodable query can still get a FORMERR; null below 12 bytes. */
export function peekHeader(buf: Uint8Array): HeaderPeek | null {
  if (buf.length < HEADER_SIZE) return null;
  const flagsWord = (buf[2]! << 8) | buf[3]!;
  return { id: (buf[0]! << 8) | buf[1]!, opcode: (flagsWord >> 11) & 0xf, qr: (flagsWord & 0x8000) !== 0, flagsWord };
}

// Where the last readRecord call stopped; avoids an object per record.
let recordEnd = 0;

function readRecord(buf: Uint8Array, pos: number): ResourceRecord {
  const name = readNameAt(buf, pos);
  pos = lastNameEnd;
  if (pos + 10 > buf.length) throw new WireError('TRUNCATED', 'message ends inside a record header', pos);
  const type = (buf[pos]! << 8) | buf[pos + 1]!;
  const rrclass = (buf[pos + 2]! << 8) | buf[pos + 3]!;
  const ttl = ((buf[pos + 4]! << 24) | (buf[pos + 5]! << 16) | (buf[pos + 6]! << 8) | buf[pos + 7]!) >>> 0;
  const rdlength = (buf[pos + 8]! << 8) | buf[pos + 9]!;
  const start = pos + 10;
  const end = start + rdlength;
  if (end > buf.length) throw new WireError('TRUNCATED', `rdata of ${rdlength} bytes runs past the end of the message`, pos + 8);
  recordEnd = end;
  // OPT RDATA is options, parsed by the caller; its RDATA is not a known type.
  const rdata = type === TYPE_OPT ? copyBytes(buf, start, end) : readRdataFromMessage(buf, start, end, type, rrclass);
  return { name, type, class: rrclass, ttl, rdata };
}

/** RFC 6891 6.1.2: the OPT RDATA is {code, length, data} options filling it exactly. */
function readOptions(rdata: Uint8Array, at: number): EdnsOption[] {
  const options: EdnsOption[] = [];
  let pos = 0;
  while (pos < rdata.length) {
    if (pos + 4 > rdata.length) throw new WireError('BAD_OPT', 'OPT rdata ends inside an option header', at + pos);
    const code = (rdata[pos]! << 8) | rdata[pos + 1]!;
    const len = (rdata[pos + 2]! << 8) | rdata[pos + 3]!;
    if (pos + 4 + len > rdata.length) throw new WireError('BAD_OPT', `EDNS option ${code} runs past the OPT rdata`, at + pos);
    options.push({ code, data: copyBytes(rdata, pos + 4, pos + 4 + len) });
    pos += 4 + len;
  }
  return options;
}

/**
 * Decodes a whole message strictly. The OPT record becomes `edns` and the full
 * 12-bit rcode is joined from the header and OPT. Throws only WireError (with the
 * byte offset), for any input: truncation, trailing bytes, bad compression
 * pointers, bad labels, RDATA that does not match its type, misplaced OPT.
 */
export function decodeMessage(buf: Uint8Array): Message {
  const size = buf.length;
  if (size < HEADER_SIZE) throw new WireError('TRUNCATED', `message of ${size} bytes is shorter than a header`, 0);
  const flags = (buf[2]! << 8) | buf[3]!;
  const qdcount = (buf[4]! << 8) | buf[5]!;
  const ancount = (buf[6]! << 8) | buf[7]!;
  const nscount = (buf[8]! << 8) | buf[9]!;
  const arcount = (buf[10]! << 8) | buf[11]!;
  let pos = HEADER_SIZE;

  const questions: Question[] = [];
  for (let i = 0; i < qdcount; i++) {
    const name = readNameAt(buf, pos);
    pos = lastNameEnd;
    if (pos + 4 > size) throw new WireError('TRUNCATED', 'message ends inside a question', pos);
    questions.push({ name, type: (buf[pos]! << 8) | buf[pos + 1]!, class: (buf[pos + 2]! << 8) | buf[pos + 3]! });
    pos += 4;
  }

  const sections: ResourceRecord[][] = [[], [], []];
  const counts = [ancount, nscount, arcount];
  let edns: Edns | null = null;
  let extendedRcode = 0;
  for (let s = 0; s < 3; s++) {
    const list = sections[s]!;
    for (let i = 0, n = counts[s]!; i < n; i++) {
      const at = pos;
      const rr = readRecord(buf, pos);
      pos = recordEnd;
      if (rr.type !== TYPE_OPT) {
        list.push(rr);
        continue;
      }
      // RFC 6891 6.1.1: "The OPT RR MAY be placed anywhere within the additional data
      // section. When an OPT RR is included within any DNS message, it MUST be the
      // only OPT RR in that message." Its owner "MUST be 0 (root domain)".
      if (s !== 2) throw new WireError('BAD_OPT', 'OPT record outside the additional section', at);
      if (edns !== null) throw new WireError('BAD_OPT', 'more than one OPT record', at);
      if (rr.name !== ROOT) throw new WireError('BAD_OPT', 'OPT record owner is not the root', at);
      extendedRcode = rr.ttl >>> 24;
      edns = {
        udpSize: rr.class,
        version: (rr.ttl >>> 16) & 0xff,
        do: (rr.ttl & 0x8000) !== 0,
        z: rr.ttl & 0x7fff,
        options: readOptions(rr.rdata, recordEnd - rr.rdata.length),
      };
    }
  }
  if (pos !== size) throw new WireError('TRAILING_BYTES', `${size - pos} bytes after the last record`, pos);

  return {
    header: {
      id: (buf[0]! << 8) | buf[1]!,
      qr: (flags & 0x8000) !== 0,
      opcode: (flags >> 11) & 0xf,
      aa: (flags & 0x0400) !== 0,
      tc: (flags & 0x0200) !== 0,
      rd: (flags & 0x0100) !== 0,
      ra: (flags & 0x0080) !== 0,
      z: (flags & 0x0040) !== 0,
      ad: (flags & 0x0020) !== 0,
      cd: (flags & 0x0010) !== 0,
    },
    rcode: (extendedRcode << 4) | (flags & 0xf),
    questions,
    answers: sections[0]!,
    authorities: sections[1]!,
    additionals: sections[2]!,
    edns,
  };
}

/** The one scratch writer: encoding is synchronous, so one per process suffices. */
const writer = new MessageWriter();

/** Writes one record; returns false (and writes nothing) if the message would pass `limit`. */
function writeRecord(w: MessageWriter, rr: ResourceRecord, limit: number): boolean {
  const mark = w.pos;
  if (rr.rdata.length > MAX_MESSAGE_SIZE) {
    throw new WireError('BAD_RDLENGTH', `rdata of ${rr.rdata.length} bytes exceeds 65535`);
  }
  w.name(rr.name, true);
  w.u16(rr.type);
  w.u16(rr.class);
  w.u32(rr.ttl);
  const lengthAt = w.pos;
  w.pos += 2;
  writeRdataToMessage(w, rr.type, rr.rdata);
  if (w.pos > limit) {
    w.rollback(mark);
    return false;
  }
  w.setU16(lengthAt, w.pos - lengthAt - 2);
  return true;
}

function sameRRset(a: ResourceRecord, b: ResourceRecord): boolean {
  return a.type === b.type && a.class === b.class && a.name.length === b.name.length &&
    (a.name === b.name || a.name.toLowerCase() === b.name.toLowerCase());
}

/** How encodeMessage compresses. */
export interface EncodeOptions {
  /**
   * Keep every later name from pointing into the question (default true). A
   * response built this way can be re-spelled for another client by copying its
   * question over ours (the answer cache does). Zone transfers, which are never
   * re-spelled, turn it off to save the bytes.
   */
  readonly fenceQuestion?: boolean;
}

/**
 * Encodes a message with name compression (owner names, and names in RDATA of
 * RFC 1035 types only, RFC 3597 4). The OPT record is written last from `edns`,
 * carrying the upper 8 bits of `rcode`. When the message would exceed `maxSize`:
 * room for OPT is kept; if an answer or authority record does not fit, that
 * section stops there, TC is set and everything after (but OPT) is dropped; if
 * only additional records do not fit, they are left out (whole RRsets) without TC
 * (RFC 2181 9). A TSIG record last in `additionals` is written after OPT and kept
 * through truncation. Throws WireError TOO_LARGE only if header, questions, OPT and
 * TSIG alone exceed `maxSize`. Compression matches names byte for byte, so every
 * name keeps its case; by default no name points into the question (see
 * EncodeOptions), so the bytes after the question do not depend on its spelling.
 */
export function encodeMessage(msg: Message, maxSize = MAX_MESSAGE_SIZE, options: EncodeOptions = {}): Uint8Array {
  const w = writer;
  w.reset();
  const edns = msg.edns;
  if (msg.rcode > 0xf && edns === null) {
    throw new WireError('BAD_OPT', `rcode ${msg.rcode} needs an OPT record to carry its upper bits`);
  }
  let optSize = 0;
  if (edns !== null) {
    optSize = 11;
    for (const o of edns.options) optSize += 4 + o.data.length;
  }
  // RFC 8945 5.1: TSIG "MUST be the last record in the additional section" (after
  // OPT), and it survives truncation, so room is kept for it as for OPT.
  const lastAdditional = msg.additionals[msg.additionals.length - 1];
  const tsig = lastAdditional !== undefined && lastAdditional.type === TYPE_TSIG ? lastAdditional : null;
  const tsigSize = tsig === null ? 0 : tsig.name.length + 10 + tsig.rdata.length;
  const limit = Math.min(maxSize, MAX_MESSAGE_SIZE) - optSize - tsigSize;

  w.pos = HEADER_SIZE;
  for (const q of msg.questions) {
    w.name(q.name, true);
    w.u16(q.type);
    w.u16(q.class);
    if (w.pos > limit) {
      throw new WireError('TOO_LARGE', `header, questions, OPT and TSIG need more than ${maxSize} bytes`, w.pos);
    }
  }
  if (limit < HEADER_SIZE) throw new WireError('TOO_LARGE', `header, OPT and TSIG need more than ${maxSize} bytes`);
  w.endQuestions(options.fenceQuestion ?? true);

  let truncated = false;
  let ancount = 0;
  let nscount = 0;
  let arcount = 0;
  for (const rr of msg.answers) {
    if (!writeRecord(w, rr, limit)) {
      truncated = true;
      break;
    }
    ancount++;
  }
  if (!truncated) {
    for (const rr of msg.authorities) {
      if (!writeRecord(w, rr, limit)) {
        truncated = true;
        break;
      }
      nscount++;
    }
  }
  if (!truncated) {
    // RFC 2181 9: additional data that does not fit is omitted without TC; we drop
    // the partly written RRset too, so no RRset is ever half-present.
    let rrsetStart = 0;
    let rrsetMark = w.pos;
    const adds = msg.additionals;
    const addCount = tsig === null ? adds.length : adds.length - 1;
    for (let i = 0; i < addCount; i++) {
      const rr = adds[i]!;
      if (i === 0 || !sameRRset(adds[i - 1]!, rr)) {
        rrsetStart = i;
        rrsetMark = w.pos;
      }
      if (!writeRecord(w, rr, limit)) {
        w.rollback(rrsetMark);
        arcount = rrsetStart;
        break;
      }
      arcount = i + 1;
    }
  }

  if (edns !== null) {
    w.u8(0); // RFC 6891 6.1.2: owner MUST be 0 (root domain)
    w.u16(TYPE_OPT);
    w.u16(edns.udpSize);
    w.u32((((msg.rcode >>> 4) & 0xff) << 24) | ((edns.version & 0xff) << 16) | (edns.do ? 0x8000 : 0) | (edns.z & 0x7fff));
    w.u16(optSize - 11);
    for (const o of edns.options) {
      w.u16(o.code);
      w.u16(o.data.length);
      w.bytes(o.data);
    }
    arcount++;
  }
  if (tsig !== null) {
    w.name(tsig.name, false);
    w.u16(TYPE_TSIG);
    w.u16(tsig.class);
    w.u32(tsig.ttl);
    w.u16(tsig.rdata.length);
    w.bytes(tsig.rdata);
    arcount++;
  }

  const h = msg.header;
  const flags =
    (h.qr ? 0x8000 : 0) | ((h.opcode & 0xf) << 11) | (h.aa ? 0x0400 : 0) | (h.tc || truncated ? 0x0200 : 0) |
    (h.rd ? 0x0100 : 0) | (h.ra ? 0x0080 : 0) | (h.z ? 0x0040 : 0) | (h.ad ? 0x0020 : 0) | (h.cd ? 0x0010 : 0) |
    (msg.rcode & 0xf);
  const b = w.buf;
  b[0] = h.id >>> 8;
  b[1] = h.id;
  b[2] = flags >>> 8;
  b[3] = flags;
  b[4] = msg.questions.length >>> 8;
  b[5] = msg.questions.length;
  b[6] = ancount >>> 8;
  b[7] = ancount;
  b[8] = nscount >>> 8;
  b[9] = nscount;
  b[10] = arcount >>> 8;
  b[11] = arcount;
  return w.finish();
}
