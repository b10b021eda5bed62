// The ops layer's error: a stable code and a lowercase message naming the file or zone.

/** Why a snapshot, restore, replay or integrity check failed. */
export type OpsErrorCode =
  | 'NOT_FOUND'            // the snapshot or change-log file named does not exist
  | 'INVALID'              // a file that is not an mcns database or not a change log
  | 'CORRUPT'              // the database (or a snapshot) fails SQLite's integrity checks
  | 'SCHEMA_TOO_NEW'       // a snapshot written by a newer mcns
  | 'FAILED_PRECONDITION'  // the state does not allow it: a gap in the change log, a change that does not apply
  | 'UNAVAILABLE';         // the running server did not answer a request

/** An error of the ops layer, with a stable code; `problems` lists details one per line. */
export class OpsError extends Error {
  readonly code: OpsErrorCode;
  readonly problems: readonly string[];
  constructor(code: OpsErrorCode, message: string, problems: readonly string[] = []) {
    super(message);
    this.name = 'OpsError';
    this.code = code;
    this.problems = problems;
  }
}
