// One query log line from a response's bytes: the question, RCODE and header flags
// are all in the response (RFC 1035 4.1.1 and 4.1.2: a response repeats the
// question), so the request need not be kept. Called only for sampled queries.
import { nameToText, readName, typeToText } from '../wire/index.js';
import { RESPONSE_RCODES } from './response-stats.js';

/** Header flag bits as dig prints them, in dig's order (RFC 1035 4.1.1, RFC 4035 3.2). */
const FLAG_BITS: readonly (readonly [number, string])[] = [
  [0x8000, 'qr'], [0x0400, 'aa'], [0x0200, 'tc'], [0x0100, 'rd'], [0x0080, 'ra'], [0x0020, 'ad'], [0x0010, 'cd'],
];

/** Flag strings by the seven bits above, made once: one lookup per line. */
const FLAG_TEXT: readonly string[] = Array.from({ length: 128 }, (_, index) =>
  FLAG_BITS.filter((_bit, i) => (index & (1 << i)) !== 0).map(([, name]) => name).join(' '));

/** The JSON line (with its newline) for one response sent to `client`:`port` at `timeMs`. */
export function formatQueryLogLine(
  timeMs: number, transport: 'udp' | 'tcp', client: string, port: number, reply: Uint8Array,
): string {
  let qname = '';
  let qtype = '';
  let rcode = '';
  let flags = '';
  if (reply.length >= 12) {
    const word = (reply[2]! << 8) | reply[3]!;
    let index = 0;
    for (let i = 0; i < FLAG_BITS.length; i++) if ((word & FLAG_BITS[i]![0]) !== 0) index |= 1 << i;
    flags = FLAG_TEXT[index]!;
    rcode = RESPONSE_RCODES[word & 0x0f] ?? 'other';
    if (rcode === 'other') rcode = `RCODE${word & 0x0f}`;
    if (((reply[4]! << 8) | reply[5]!) > 0) {
      try {
        const { name, end } = readName(reply, 12);
        qname = nameToText(name);
        if (end + 2 <= reply.length) qtype = typeToText((reply[end]! << 8) | reply[end + 1]!);
      } catch {
        qname = ''; // a reply we built cannot be malformed; keep the line anyway
      }
    }
  }
  // JSON.stringify on the two strings that may hold any byte (a name's \DDD escapes, an IPv6 zone).
  return `{"time":"${new Date(timeMs).toISOString()}","client":${JSON.stringify(client)},"port":${port},` +
    `"transport":"${transport}","qname":${JSON.stringify(qname)},"qtype":"${qtype}","rcode":"${rcode}",` +
    `"size":${reply.length},"flags":"${flags}"}\n`;
}
