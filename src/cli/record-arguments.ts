// Command-line arguments of the record and token verbs, checked before any
// request is sent: a malformed one is a usage error (exit 2), not a server round trip.
import { nameToText } from '../wire/index.js';
import { CliError } from './cli-error.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** A TTL in seconds (0 to 2^31-1, RFC 2181 8). */
export function parseTtlArgument(text: string): number {
  const ttl = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(ttl) || ttl > 2_147_483_647) {
    throw new CliError('USAGE', `TTL "${text}" is not a number of seconds from 0 to 2147483647`);
  }
  return ttl;
}

/** A type mnemonic ("A", "mx", "TYPE65280") to upper case. */
export function parseTypeArgument(text: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(text)) throw new CliError('USAGE', `record type "${text}" is not a type mnemonic like A, MX or TYPE65280`);
  return text.toUpperCase();
}

/** An SOA serial for --expect-serial (0 to 2^32-1). */
export function parseSerialArgument(text: string): number {
  const serial = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(serial) || serial > 4_294_967_295) throw new CliError('USAGE', `serial "${text}" is not a number from 0 to 4294967295`);
  return serial;
}

/** A positive count (--limit). */
export function parseCountArgument(text: string, flag: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError('USAGE', `${flag} "${text}" is not a positive whole number`);
  return n;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "30d", "12h", "90m", "3600" or "3600s" to seconds. */
export function parseDurationArgument(text: string): number {
  const m = /^(\d+)([smhdw]?)$/.exec(text);
  const seconds = m === null ? NaN : Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? NaN);
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw new CliError('USAGE', `duration "${text}" is not like 30d, 12h, 90m or 3600s`);
  return seconds;
}

/**
 * The records of one command: the RDATA words after TYPE (joined with spaces)
 * are one record, and each --rr is one more. At least one is required when `required`.
 */
export function recordsFromArguments(words: readonly string[], rr: readonly string[] | undefined, required: boolean): string[] {
  const records = [...(words.length > 0 ? [words.join(' ')] : []), ...(rr ?? [])];
  if (required && records.length === 0) throw new CliError('USAGE', 'no record data: give the RDATA after the type, or one --rr "RDATA" per record');
  return records;
}

/** What `record add` and `record set` send: one RRset's records from `ZONE NAME TTL TYPE RDATA...`, --rr and --expect-serial. */
export interface RRsetArguments {
  readonly zone: string;
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly records: string[];
  readonly expectedSerial?: number;
}

/** Checks the arguments of a change to one RRset; the words after TYPE are one record's RDATA, each --rr one more. */
export function rrsetArguments(
  zoneArg: string, name: string, ttl: string, type: string, rdata: readonly string[],
  options: { readonly rr?: readonly string[]; readonly expectSerial?: string },
): RRsetArguments {
  return {
    zone: nameToText(parseZoneNameArgument(zoneArg)),
    name,
    type: parseTypeArgument(type),
    ttl: parseTtlArgument(ttl),
    records: recordsFromArguments(rdata, options.rr, true),
    ...(options.expectSerial === undefined ? {} : { expectedSerial: parseSerialArgument(options.expectSerial) }),
  };
}
