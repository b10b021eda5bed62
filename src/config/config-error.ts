// The config layer's error: one line naming the key, the value and the fix.

/** A config file that cannot be read, parsed or accepted. `code` is always CONFIG. */
export class ConfigError extends Error {
  readonly code = 'CONFIG' as const;
  /** The config file, or null for the embedded default. */
  readonly file: string | null;
  constructor(message: string, file: string | null = null) {
    super(message);
    this.name = 'ConfigError';
    this.file = file;
  }
}
