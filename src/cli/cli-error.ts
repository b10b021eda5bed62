// The CLI's own error, for problems found before any other layer is called.

/** Why a command could not run: a bad argument (USAGE) or a missing input file (NOT_FOUND). */
export class CliError extends Error {
  readonly code: 'USAGE' | 'NOT_FOUND';
  constructor(code: 'USAGE' | 'NOT_FOUND', message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
