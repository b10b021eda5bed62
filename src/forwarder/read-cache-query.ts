// Reads what a cache hit needs straight from a request's bytes, before (and instead
// of) decoding it: the lowercased question name, type and class, the DO, CD and RD
// bits, and the EDNS payload size. Anything unusual (more than one question, other
// sections, compression in the question, an EDNS version above 0, trailing bytes)
// returns false and the request takes the slow path, which decides properly.

/** The parts of a request the cache-hit path reads; filled in place, reused across calls. */
export interface CacheQuery {
  /** QNAME in wire form, ASCII-lowercased (RFC 4343), as a latin1 string. */
  lname: string;
  type: number;
  qclass: number;
  rd: boolean;
  checkingDisabled: boolean;
  /** The request had an OPT record (version 0). */
  edns: boolean;
  dnssecOk: boolean;
  /** The requestor's UDP payload size (0 without EDNS). */
  udpSize: number;
}

/** An empty CacheQuery to fill. */
export function newCacheQuery(): CacheQuery {
  return { lname: '', type: 0, qclass: 0, rd: false, checkingDisabled: false, edns: false, dnssecOk: false, udpSize: 0 };
}

const HEADER = 12;
const TYPE_OPT = 41;
const scratch = Buffer.alloc(256);

/** Fills `out` from `request`; false when the request is not a plain one-question query. */
export function readCacheQuery(request: Uint8Array, out: CacheQuery): boolean {
  const size = request.length;
  if (size < HEADER + 5) return false;
  // QR clear, opcode QUERY, AA and TC clear; Z and RCODE clear.
  if ((request[2]! & 0xfe) !== 0 || (request[3]! & 0x4f) !== 0) return false;
  // QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0 or 1.
  if (request[4] !== 0 || request[5] !== 1 || request[6] !== 0 || request[7] !== 0 || request[8] !== 0
    || request[9] !== 0 || request[10] !== 0 || request[11]! > 1) return false;
  let pos = HEADER;
  let n = 0;
  for (;;) {
    const len = request[pos];
    if (len === undefined || len > 63) return false;
    scratch[n++] = len;
    if (len === 0) break;
    if (pos + 1 + len >= size || n + len > 255) return false;
    for (let i = pos + 1, end = pos + 1 + len; i < end; i++) {
      const c = request[i]!;
      scratch[n++] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    }
    pos += 1 + len;
  }
  const typeAt = pos + 1;
  const questionEnd = typeAt + 4;
  if (questionEnd > size) return false;
  out.type = (request[typeAt]! << 8) | request[typeAt + 1]!;
  out.qclass = (request[typeAt + 2]! << 8) | request[typeAt + 3]!;
  out.rd = (request[2]! & 0x01) !== 0;
  out.checkingDisabled = (request[3]! & 0x10) !== 0;
  if (request[11] === 0) {
    if (questionEnd !== size) return false;
    out.edns = false;
    out.dnssecOk = false;
    out.udpSize = 0;
  } else {
    // RFC 6891 6.1.2: root owner, TYPE 41; version 0 only (others get BADVERS on the slow path).
    const at = questionEnd;
    if (at + 11 > size || request[at] !== 0 || request[at + 1] !== 0 || request[at + 2] !== TYPE_OPT) return false;
    if (request[at + 6] !== 0) return false;
    const rdlength = (request[at + 9]! << 8) | request[at + 10]!;
    if (at + 11 + rdlength !== size) return false;
    // Options are not acted on here, but a malformed list is FORMERR on the slow path.
    for (let o = at + 11; o < size;) {
      if (o + 4 > size) return false;
      o += 4 + ((request[o + 2]! << 8) | request[o + 3]!);
      if (o > size) return false;
    }
    out.edns = true;
    out.dnssecOk = (request[at + 7]! & 0x80) !== 0;
    out.udpSize = (request[at + 3]! << 8) | request[at + 4]!;
  }
  out.lname = scratch.toString('latin1', 0, n);
  return true;
}
