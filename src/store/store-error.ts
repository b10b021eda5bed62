// The store layer's error: a stable code and a lowercase message naming the object.

/** Why a store operation failed. */
export type StoreErrorCode =
  | 'NOT_FOUND'        // no such zone
  | 'INVALID'          // records that cannot be stored as a zone (problems listed in the message)
  | 'SCHEMA_TOO_NEW'   // the database was migrated by a newer mcns
  | 'OPEN_FAILED';     // the file cannot be opened or is not an SQLite database

/** An error of the store: `zone "example.com." not found`, with a stable code. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** For INVALID: each problem, one line each. */
  readonly problems: readonly string[];
  constructor(code: StoreErrorCode, message: string, problems: readonly string[] = []) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.problems = problems;
  }
}
