// The zone-file layer's error: where in which file, and why, in one line that
// editors and compilers' users already know how to jump to.

/** A zone file that does not parse: `file:line:column: reason`, reason lowercase and naming the text. */
export class ZoneFileError extends Error {
  /** Stable code for adapters' error tables. */
  readonly code = 'ZONE_FILE' as const;
  /** The file name as given by the caller (or returned by the include callback). */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column, counted in characters (a tab is one column). */
  readonly column: number;
  /** What is wrong, lowercase, without the location. */
  readonly reason: string;
  constructor(file: string, line: number, column: number, reason: string) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'ZoneFileError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}
