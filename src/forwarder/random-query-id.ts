// Query IDs for upstream queries. RFC 5452 9.2: resolver implementations MUST "Use an
// unpredictable query ID for outgoing queries, utilizing the full range available
// (0-65535)." The bytes come from the operating system's CSPRNG, drawn in blocks so
// a query does not pay for a system call.
import { randomFillSync } from 'node:crypto';

const POOL = new Uint8Array(1024);
let next = POOL.length;

/** A uniformly random 16-bit query ID from the CSPRNG. */
export function randomQueryId(): number {
  if (next + 2 > POOL.length) {
    randomFillSync(POOL);
    next = 0;
  }
  const id = (POOL[next]! << 8) | POOL[next + 1]!;
  next += 2;
  return id;
}
