// RFC 5452 9.1: "A resolver implementation MUST match responses to all of the
// following attributes of the query: Source address against query destination
// address; Destination address against query source address; Destination port
// against query source port; Query ID; Query name; Query class and type ... A
// mismatch and the response MUST be considered invalid."
//
// Addresses and ports are checked by the exchange (it owns the socket); this checks
// the bytes: ID, QR, opcode, one question equal to ours (names compared ignoring
// ASCII case, RFC 4343), type and class.

/**
 * True when `response` answers `query`: same ID, QR set, same opcode, QDCOUNT 1 and
 * the question bytes [12, questionEnd) equal up to ASCII case. Label length bytes are
 * at most 63, below 'A', so folding case byte-wise cannot confuse them with letters.
 */
export function matchesQuery(response: Uint8Array, query: Uint8Array, questionEnd: number): boolean {
  if (response.length < questionEnd) return false;
  if (response[0] !== query[0] || response[1] !== query[1]) return false;
  const flags = response[2]!;
  if ((flags & 0x80) === 0) return false;
  if ((flags & 0x78) !== (query[2]! & 0x78)) return false;
  if (response[4] !== 0 || response[5] !== 1) return false;
  for (let i = 12; i < questionEnd; i++) {
    let a = response[i]!;
    let b = query[i]!;
    if (a === b) continue;
    if (a >= 0x41 && a <= 0x5a) a += 0x20;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (a !== b) return false;
  }
  return true;
}
