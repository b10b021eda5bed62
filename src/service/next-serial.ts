// The SOA serial after a change (RFC 1982 arithmetic). Rule, as BIND's
// "serial-update-method date": the serial becomes today's YYYYMMDD00 when that is
// greater than the current one, else the current one plus one. Zones whose serial
// is a date stay readable as dates; zones with small or counter serials jump once to
// the date (still an RFC 1982 increase) and then count; a busy day's changes run
// past 99 into the next day's numbers and simply keep counting.
import { serialIsGreater, serialNext } from '../store/index.js';

/** YYYYMMDD00 of `now` in UTC (the first serial of the day). */
export function dateSerial(now: Date): number {
  return (now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate()) * 100;
}

/**
 * The serial after `current` for a change made at `now`. `requested` is a serial
 * the change names itself (an SOA record in an import or an SOA replace): kept
 * when it is greater (RFC 1982 3.2) than `current`, since secondaries only
 * transfer on an increase (RFC 1034 4.3.5); otherwise the date rule applies.
 */
export function nextSerial(current: number, now: Date, requested?: number): number {
  if (requested !== undefined && serialIsGreater(requested, current)) return requested;
  const today = dateSerial(now);
  return serialIsGreater(today, current) ? today : serialNext(current);
}
