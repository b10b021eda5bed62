// Owner names in management requests: absolute ("www.example.com."), relative to
// the zone ("www", "@"), or, as people type them, absolute without the trailing
// dot ("www.example.com" in zone "example.com.").
import { WireError, nameFromText, nameIsAtOrBelow, nameToText, type Name } from '../wire/index.js';
import type { ZoneName } from './parse-zone-name.js';
import { ServiceError } from './types.js';

/**
 * Parses an owner name of `zone`; case is kept as given. A name without the
 * trailing dot is relative to the zone (RFC 1035 5.1), except that one ending in
 * the zone's own name ("www.example.com" in "example.com.") is taken as absolute:
 * "www.example.com.example.com." is never what a caller meant. Throws
 * INVALID_ARGUMENT (`field`) for a malformed name or one outside the zone.
 */
export function parseOwnerName(input: unknown, zone: ZoneName, field = 'name'): Name {
  if (typeof input !== 'string' || input.length === 0) {
    throw new ServiceError('INVALID_ARGUMENT', `${field} must be an owner name such as "www" or "www.${zone.text}"`, field);
  }
  let text = input;
  if (!text.endsWith('.') || text.endsWith('\\.')) {
    const lower = text.toLowerCase();
    const bare = zone.text.slice(0, -1);
    if (bare.length > 0 && (lower === bare || lower.endsWith(`.${bare}`))) text = `${text}.`;
  }
  let name: Name;
  try {
    name = nameFromText(text, zone.origin);
  } catch (err) {
    if (err instanceof WireError) throw new ServiceError('INVALID_ARGUMENT', `name "${input}" is not valid: ${err.message}`, field);
    throw err;
  }
  if (!nameIsAtOrBelow(name, zone.origin)) {
    throw new ServiceError('INVALID_ARGUMENT', `name "${nameToText(name)}" is outside zone "${zone.text}"`, field);
  }
  return name;
}
