// Why a query for a name we are not authoritative for is REFUSED, said in an Extended
// DNS Error (RFC 8914) so that `dig` shows the cause instead of a bare REFUSED: the
// most common support call (a client pointed at the authoritative server asks it for
// public names).
//
// The two codes are chosen by what the client can do about it:
// - 18 Prohibited, RFC 8914 4.19: "An authoritative server or recursive resolver that
//   receives a query from an 'unauthorized' client can annotate its REFUSED message
//   with this code." Forwarding exists, this client is not in allow_recursion: the
//   fix is the ACL (or the client's resolver setting).
// - 20 Not Authoritative, RFC 8914 4.21: "An authoritative server that receives a
//   query with the Recursion Desired (RD) bit clear, or when it is not configured for
//   recursion for a domain for which it is not authoritative, SHOULD include this EDE
//   code in the REFUSED response." Used both when forwarding is off and when the
//   client did not ask for recursion: the fix is to ask a resolver instead.
import { EdeCode, Rcode } from '../wire/index.js';
import type { EdeText } from './types.js';

/** Why a query outside our zones is refused. */
export type RefusalReason = 'recursion-not-allowed' | 'forwarding-disabled' | 'recursion-not-desired';

/** A REFUSED answer with its explanation, ready for buildResponse. */
export interface Refusal {
  readonly kind: 'error';
  readonly rcode: typeof Rcode.REFUSED;
  readonly ede: EdeText;
}

const REFUSALS: Readonly<Record<RefusalReason, Refusal>> = {
  'recursion-not-allowed': Object.freeze({
    kind: 'error',
    rcode: Rcode.REFUSED,
    ede: Object.freeze({ code: EdeCode.PROHIBITED, text: 'recursion not allowed for this client' }),
  }),
  'forwarding-disabled': Object.freeze({
    kind: 'error',
    rcode: Rcode.REFUSED,
    ede: Object.freeze({ code: EdeCode.NOT_AUTHORITATIVE, text: 'not authoritative and forwarding disabled' }),
  }),
  'recursion-not-desired': Object.freeze({
    kind: 'error',
    rcode: Rcode.REFUSED,
    ede: Object.freeze({ code: EdeCode.NOT_AUTHORITATIVE, text: 'not authoritative and recursion not desired (RD clear)' }),
  }),
};

/** The REFUSED rcode and EDE for a reason; the same frozen object every time (no allocation per query). */
export function refusalFor(reason: RefusalReason): Refusal {
  return REFUSALS[reason];
}
