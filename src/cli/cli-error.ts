// The CLI's own error, for problems found before any other layer is called.

/** Why a command could not run: a bad argument (USAGE), a missing input file (NOT_FOUND), or an input file that does not parse (INVALID). */
export class CliError extends Error {
  readonly code: 'USAGE' | 'NOT_FOUND' | 'INVALID';
  constructor(code: 'USAGE' | 'NOT_FOUND' | 'INVALID', message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
