// TTL values in zone files: plain seconds (RFC 1035 5.1) or BIND-style durations
// such as "1h30m" or "2w" (case-insensitive units w, d, h, m, s).
import { WireError } from '../types.js';

/** RFC 2181 8: a TTL is an unsigned 31-bit number; values with the top bit set are not allowed here. */
export const MAX_TTL = 0x7fffffff;

const UNIT_SECONDS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/**
 * Parses a TTL: decimal seconds ("3600") or a duration of number-unit pairs
 * ("1h30m", "2W", "1d12h"). Throws a WireError (BAD_TEXT) with a lowercase reason
 * naming the text when it is neither, or when it exceeds 2^31-1 seconds.
 */
export function parseTtl(text: string): number {
  const fail = (why: string): never => {
    throw new WireError('BAD_TEXT', `TTL "${text}" ${why}`);
  };
  if (text.length === 0) fail('is empty');
  let total = 0;
  let number = -1; // digits seen since the last unit, or -1 for none
  let sawUnit = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      number = (number < 0 ? 0 : number * 10) + (c - 0x30);
      if (number > MAX_TTL) fail(`exceeds ${MAX_TTL}`);
      continue;
    }
    const unit = UNIT_SECONDS[text[i]!.toLowerCase()];
    if (unit === undefined || number < 0) fail('is not a number or duration');
    total += number * unit!;
    if (total > MAX_TTL) fail(`exceeds ${MAX_TTL}`);
    number = -1;
    sawUnit = true;
  }
  if (number >= 0) {
    // "1h30" mixes a duration with bare seconds: ambiguous, so refused.
    if (sawUnit) fail('is not a number or duration');
    return number;
  }
  return total;
}
