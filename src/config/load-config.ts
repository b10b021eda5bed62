// Reads mcns.toml (or takes the embedded default) and checks it.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { checkConfig } from './check-config.js';
import type { Config } from './config.js';
import { ConfigError } from './config-error.js';

/** Where loadConfig reads from and resolves against. */
export interface LoadConfigOptions {
  /** The config file; undefined or null means the embedded default. */
  readonly path?: string | null | undefined;
  /** Directory for a relative config path and for the default's relative paths. */
  readonly cwd: string;
}

/** Loads and checks the config file, or returns the embedded default when no file is given. */
export function loadConfig(options: LoadConfigOptions): Config {
  if (options.path === undefined || options.path === null) return checkConfig({}, null, options.cwd);
  const file = resolve(options.cwd, options.path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError(`cannot read config file "${file}": ${why}`, file);
  }
  return parseConfigText(text, file);
}

/** Parses and checks config text as if read from `file` (relative paths resolve against its directory). */
export function parseConfigText(text: string, file: string): Config {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = (err.message.split('\n')[0] ?? 'invalid TOML').replace(/^Invalid TOML document: /i, '');
    throw new ConfigError(`${file}:${err.line}:${err.column}: invalid TOML: ${lowerFirst(reason)}`, file);
  }
  return checkConfig(doc, file, dirname(file));
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
