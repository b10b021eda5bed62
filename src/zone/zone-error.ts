// The zone layer's error, for broken invariants only (a snapshot asked of records
// that validateZone would have refused). Expected problems are ZoneProblem values.

/** Stable codes of ZoneError. */
export type ZoneErrorCode =
  | 'NO_SOA'         // no SOA record at the apex: a snapshot cannot exist without one
  | 'NOT_IN_ZONE'    // a name handed to the zone table is not the origin it claims
  | 'TOO_LARGE';     // more RDATA than one snapshot holds (4 GiB)

/** Thrown when the zone layer is called in a way its callers must prevent. */
export class ZoneError extends Error {
  readonly code: ZoneErrorCode;
  constructor(code: ZoneErrorCode, message: string) {
    super(message);
    this.name = 'ZoneError';
    this.code = code;
  }
}
