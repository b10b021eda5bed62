// RRset changes from text (RRsetChange) to the write path's RRsetEdit: owner,
// type, TTL and each record's RDATA parsed with the zone-file rules, every problem
// an INVALID_ARGUMENT naming the input field.
import {
  MAX_TTL, RRType, WireError, rdataFromText, tokenizeRdata, typeFromText, typeToText, type Name,
} from '../wire/index.js';
import { parseOwnerName } from './parse-owner-name.js';
import type { ZoneName } from './parse-zone-name.js';
import { ServiceError } from './types.js';
import type { RRsetEdit } from './zone-change.js';

/** Types that are never data in a zone: OPT (RFC 6891 6.1.1), TSIG and the meta and query types 128-255 (RFC 6895 3.1). */
function isDataType(type: number): boolean {
  return type !== 0 && type !== RRType.OPT && !(type >= 128 && type <= 255);
}

/** A type mnemonic ("A", "type65280") as its number; INVALID_ARGUMENT for unknown, meta and query types. */
export function parseType(input: unknown, field = 'type'): number {
  if (typeof input !== 'string' || input.length === 0) {
    throw new ServiceError('INVALID_ARGUMENT', `${field} must be a record type such as "A" or "TYPE65280"`, field);
  }
  const type = typeFromText(input);
  if (type === null) throw new ServiceError('INVALID_ARGUMENT', `type "${input}" is not a known record type`, field);
  if (!isDataType(type)) {
    throw new ServiceError('INVALID_ARGUMENT', `type "${typeToText(type)}" is a meta or query type, not zone data`, field);
  }
  return type;
}

/**
 * A TTL in seconds, 0..2147483647 (RFC 2181 8); INVALID_ARGUMENT otherwise, in the
 * words REST's schema uses for the same check (`ttl must be <= 2147483647`), so a
 * gRPC caller, whose uint32 reaches this check, reads what a REST caller reads.
 */
export function parseTtl(input: unknown, field = 'ttl'): number {
  if (typeof input !== 'number' || !Number.isInteger(input)) throw new ServiceError('INVALID_ARGUMENT', `${field} must be integer`, field);
  if (input < 0) throw new ServiceError('INVALID_ARGUMENT', `${field} must be >= 0`, field);
  if (input > MAX_TTL) throw new ServiceError('INVALID_ARGUMENT', `${field} must be <= ${MAX_TTL}`, field);
  return input;
}

/**
 * Each record's RDATA in presentation form ("10 mail", relative names completed
 * with the zone's apex) as wire bytes. At least one record; INVALID_ARGUMENT
 * naming `field[i]` with the codec's reason.
 */
export function parseRecords(input: unknown, type: number, zone: ZoneName, field = 'records'): Uint8Array[] {
  if (!Array.isArray(input) || input.length === 0) {
    throw new ServiceError('INVALID_ARGUMENT', `${field} must list at least one record`, field);
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < input.length; i++) {
    const text: unknown = input[i];
    const at = `${field}[${i}]`;
    if (typeof text !== 'string') throw new ServiceError('INVALID_ARGUMENT', `${at} must be RDATA text`, at);
    const quad = type === RRType.A ? plainDottedQuad(text) : null;
    if (quad !== null) {
      out.push(quad);
      continue;
    }
    try {
      out.push(rdataFromText(type, tokenizeRdata(text), zone.origin));
    } catch (err) {
      if (err instanceof WireError) {
        throw new ServiceError('INVALID_ARGUMENT', `record "${text}" is not valid ${typeToText(type)} rdata: ${err.message}`, at);
      }
      throw err;
    }
  }
  return out;
}

/**
 * The 4 bytes of `text` when it is nothing but a dotted quad of 1-3 digit
 * numbers up to 255 (the A record of nearly every request), else null: such text
 * is one token, and the zone-file path (tokenizeRdata, rdataFromText) gives these
 * same bytes for it. Anything else, valid or not, takes that path and its errors.
 */
function plainDottedQuad(text: string): Uint8Array | null {
  const n = text.length;
  if (n < 7 || n > 15) return null;
  const bytes = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const code = i === n ? 0x2e : text.charCodeAt(i);
    if (code === 0x2e) {
      if (digits === 0 || value > 255 || part === 4) return null;
      bytes[part++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    const digit = code - 0x30;
    if (digit < 0 || digit > 9 || ++digits > 3) return null;
    value = value * 10 + digit;
  }
  return part === 4 ? bytes : null;
}

/** The parts of an RRset change as plain fields. */
interface ChangeFields {
  readonly op?: unknown;
  readonly name?: unknown;
  readonly type?: unknown;
  readonly ttl?: unknown;
  readonly records?: unknown;
}

/**
 * Parses one RRsetChange of `zone`. `prefix` names the change in error fields
 * ("changes[2]." gives "changes[2].records[0]"; "" for single-RRset operations).
 */
export function parseRRsetChange(input: unknown, zone: ZoneName, prefix = ''): RRsetEdit {
  const where = prefix === '' ? 'change' : prefix.slice(0, -1);
  // Errors about the edit as a whole (a CNAME conflict) name the change in a batch, the owner otherwise.
  const field = prefix === '' ? 'name' : where;
  if (typeof input !== 'object' || input === null) {
    throw new ServiceError('INVALID_ARGUMENT', `${where} must be an object with op, name and type`, where);
  }
  const fields = input as ChangeFields;
  const op = fields.op;
  if (op !== 'replace' && op !== 'delete' && op !== 'add' && op !== 'remove') {
    throw new ServiceError('INVALID_ARGUMENT', `op ${JSON.stringify(op) ?? 'undefined'} is not replace, delete, add or remove`, `${prefix}op`);
  }
  const name: Name = parseOwnerName(fields.name, zone, `${prefix}name`);
  const type = parseType(fields.type, `${prefix}type`);
  const ttl = op === 'replace' || op === 'add' ? parseTtl(fields.ttl, `${prefix}ttl`) : 0;
  const rdatas = op === 'delete' ? [] : parseRecords(fields.records, type, zone, `${prefix}records`);
  return { op, name, type, ttl, rdatas, field };
}
