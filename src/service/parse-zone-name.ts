// Zone names as the management plane takes them: presentation text, with or
// without the trailing dot, any case; kept as the lowercase wire form (the key of
// the zone table) and its lowercase text with the trailing dot (the key in SQLite
// and in principals' zone scopes).
import { WireError, nameFromText, nameLower, nameToText, type Name } from '../wire/index.js';
import { ServiceError } from './types.js';

/** A zone name in both forms the service uses. */
export interface ZoneName {
  /** The apex in wire form, lowercased. */
  readonly origin: Name;
  /** Presentation form, lowercase, with the trailing dot ("example.com."). */
  readonly text: string;
}

/**
 * Parses a zone name ("example.com" or "Example.COM."): always absolute, so a
 * missing trailing dot is added. Throws INVALID_ARGUMENT naming `field`.
 */
export function parseZoneName(input: unknown, field = 'zone'): ZoneName {
  if (typeof input !== 'string' || input.length === 0) {
    throw new ServiceError('INVALID_ARGUMENT', `${field} must be a zone name such as "example.com."`, field);
  }
  const absolute = input.endsWith('.') && !input.endsWith('\\.') ? input : `${input}.`;
  let name: Name;
  try {
    name = nameFromText(absolute);
  } catch (err) {
    if (err instanceof WireError) throw new ServiceError('INVALID_ARGUMENT', `zone name "${input}" is not valid: ${err.message}`, field);
    throw err;
  }
  const origin = nameLower(name);
  return { origin, text: nameToText(origin) };
}
