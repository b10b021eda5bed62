// One query log line from a response's bytes: the question, RCODE and header flags
// are all in the response (RFC 1035 4.1.1 and 4.1.2: a response repeats the
// question), so the request need not be kept. Called only for sampled queries,
// so it may allocate its line, but it keeps to plain string work: the time prefix
// is remade once a second, and a name of letters, digits, '-' and '_' (nearly
// all of them) is sliced from the bytes without escaping.
import { latin1Slice, nameToText, readName, typeToText } from '../wire/index.js';
import { RESPONSE_RCODES } from './response-stats.js';

/** Header flag bits as dig prints them, in dig's order (RFC 1035 4.1.1, RFC 4035 3.2). */
const FLAG_BITS: readonly (readonly [number, string])[] = [
  [0x8000, 'qr'], [0x0400, 'aa'], [0x0200, 'tc'], [0x0100, 'rd'], [0x0080, 'ra'], [0x0020, 'ad'], [0x0010, 'cd'],
];

/** Flag strings by the seven bits above, made once: one lookup per line. */
const FLAG_TEXT: readonly string[] = Array.from({ length: 128 }, (_, index) =>
  FLAG_BITS.filter((_bit, i) => (index & (1 << i)) !== 0).map(([, name]) => name).join(' '));

/** Bytes a label may hold and still be its own presentation form and its own JSON (no escape in either). */
const PLAIN = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  PLAIN[c] = /[0-9A-Za-z_*-]/.test(ch) ? 1 : 0;
}

/** "000" to "999", for the milliseconds of the time. */
const MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let prefixSecond = -1;
/** "2025-05-01T12:00:00." for prefixSecond. */
let prefixText = '';

/** ISO 8601 UTC with milliseconds, as Date#toISOString, with one Date per second rather than per line. */
function isoTime(timeMs: number): string {
  const second = Math.floor(timeMs / 1000);
  if (second !== prefixSecond) {
    prefixSecond = second;
    prefixText = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return `${prefixText}${MILLIS[timeMs - second * 1000]!}Z`;
}

/** Where plainQuestionName stopped: the offset after the name. */
let nameEnd = 0;

/**
 * The question name at offset 12 as text when every label is plain (PLAIN), else
 * null (the caller then decodes and escapes it the long way). The question is the
 * first name of a message, so it is never compressed (RFC 1035 4.1.4).
 */
function plainQuestionName(reply: Uint8Array): string | null {
  let off = 12;
  let text = '';
  for (;;) {
    if (off >= reply.length) return null;
    const len = reply[off]!;
    if (len === 0) break;
    if (len > 63 || off + 1 + len > reply.length) return null;
    for (let i = off + 1; i <= off + len; i++) if (PLAIN[reply[i]!] === 0) return null;
    text += latin1Slice(reply, off + 1, off + 1 + len) + '.';
    off += 1 + len;
  }
  nameEnd = off + 1;
  return text === '' ? '.' : text;
}

/** The JSON line (with its newline) for one response sent to `client`:`port` at `timeMs`. */
export function formatQueryLogLine(
  timeMs: number, transport: 'udp' | 'tcp', client: string, port: number, reply: Uint8Array,
): string {
  let qname = '""';
  let qtype = '';
  let rcode = '';
  let flags = '';
  if (reply.length >= 12) {
    const word = (reply[2]! << 8) | reply[3]!;
    let index = 0;
    for (let i = 0; i < FLAG_BITS.length; i++) if ((word & FLAG_BITS[i]![0]) !== 0) index |= 1 << i;
    flags = FLAG_TEXT[index]!;
    rcode = (word & 0x0f) <= 10 ? RESPONSE_RCODES[word & 0x0f]! : `RCODE${word & 0x0f}`;
    if (((reply[4]! << 8) | reply[5]!) > 0) {
      const plain = plainQuestionName(reply);
      if (plain !== null) {
        qname = `"${plain}"`;
      } else {
        try {
          const { name, end } = readName(reply, 12);
          // A name's \DDD and \" escapes hold backslashes and quotes: JSON escapes them again.
          qname = JSON.stringify(nameToText(name));
          nameEnd = end;
        } catch {
          nameEnd = reply.length; // a reply we built cannot be malformed; keep the line anyway
        }
      }
      if (nameEnd + 2 <= reply.length) qtype = typeToText((reply[nameEnd]! << 8) | reply[nameEnd + 1]!);
    }
  }
  // An address is digits, hex, dots and colons, plus an interface name after '%' for IPv6 link-local.
  const address = client.includes('"') || client.includes('\\') ? JSON.stringify(client) : `"${client}"`;
  return `{"time":"${isoTime(timeMs)}","client":${address},"port":${port},"transport":"${transport}",` +
    `"qname":${qname},"qtype":"${qtype}","rcode":"${rcode}","size":${reply.length},"flags":"${flags}"}\n`;
}
