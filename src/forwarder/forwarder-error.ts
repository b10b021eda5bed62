// The forwarder's error: only for broken configuration or use after close. Expected
// DNS outcomes (an upstream timing out, answering SERVFAIL) are values, never throws.

/** Stable codes of ForwarderError. */
export type ForwarderErrorCode =
  | 'BAD_CIDR'       // an allow_recursion entry that is not an address or CIDR
  | 'BAD_UPSTREAM'   // an upstreams entry that is not "address:port"
  | 'BAD_OPTION';    // a number out of range (timeouts, sizes, TTLs)

/** The forwarder layer's error: a stable code and a lowercase message naming the object. */
export class ForwarderError extends Error {
  readonly code: ForwarderErrorCode;
  constructor(code: ForwarderErrorCode, message: string) {
    super(message);
    this.name = 'ForwarderError';
    this.code = code;
  }
}
