// RFC 1035 section 5 master files: directives, owners, TTLs, classes, types,
// and RDATA handed as tokens to the RDATA codec. The I/O of $INCLUDE is the
// caller's (a callback), so this stays pure.
import { WireError, RRType, RRClass, type Name } from '../types.js';
import { nameFromText, nameIsAtOrBelow, nameToText } from '../name.js';
import { rdataFromText, typeFromText, classFromText } from '../rdata.js';
import { parseTtl } from './parse-ttl.js';
import { ZoneFileError } from './zone-file-error.js';
import { ZoneFileLexer, type LexToken } from './zone-file-lexer.js';

/** One record read from a zone file, with where it came from. */
export interface ZoneFileRecord {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  /** Uncompressed wire form, names in the case written. */
  readonly rdata: Uint8Array;
  /** 1-based line of the record's first token in `file`. */
  readonly line: number;
  /** The file the record was read from (differs from the top file for $INCLUDEd records). */
  readonly file: string;
}

/** The result of parseZoneFile: records in file order. */
export interface ParsedZone {
  readonly records: ZoneFileRecord[];
}

/** What an include callback returns: the name to use in messages and loop checks, and the text. */
export interface IncludedFile {
  readonly fileName: string;
  readonly text: string;
}

/** Options of parseZoneFile. */
export interface ParseZoneFileOptions {
  /** The zone's apex: the initial $ORIGIN, and every owner must be at or below it. */
  readonly origin: Name;
  /** Name of the text's file, for error messages. */
  readonly fileName: string;
  /**
   * TTL for a record that gives none when the file has no $TTL and no earlier
   * explicit TTL (tried before the SOA MINIMUM fallback).
   */
  readonly defaultTtl?: number;
  /**
   * Reads the file an $INCLUDE names (the path as written, and the including
   * file's name). Throwing refuses it; without a callback $INCLUDE is an error.
   * See confineIncludePath for keeping includes inside the zone's directory.
   */
  readonly include?: (path: string, fromFile: string) => IncludedFile;
}

/** Includes nested deeper than this are refused (a guard against runaway recursion). */
export const MAX_INCLUDE_DEPTH = 8;

/** State shared by the top file and every included file (BIND keeps $TTL across includes too). */
interface LoadState {
  readonly opts: ParseZoneFileOptions;
  readonly records: ZoneFileRecord[];
  /** Files being read, outermost first: for loop detection and the depth limit. */
  readonly stack: string[];
  /** RFC 2308 4: the value of the last $TTL directive (or the SOA MINIMUM standing in for it), or null. */
  dollarTtl: number | null;
  /** RFC 1035 5.1: the last TTL given explicitly. */
  lastTtl: number | null;
}

/**
 * Parses a master file (RFC 1035 5) into records. Relative names, in owners and
 * inside RDATA, are made absolute against the current $ORIGIN. Throws
 * ZoneFileError (`file:line:column: reason`) at the first problem.
 *
 * TTL of a record that gives none, in order (RFC 2308 4, then RFC 1035 5.1):
 * the last $TTL; the last explicit TTL; `opts.defaultTtl`; for an SOA record
 * only, its MINIMUM field, which then acts as $TTL for the rest of the file
 * (as BIND does); otherwise an error.
 */
export function parseZoneFile(text: string, opts: ParseZoneFileOptions): ParsedZone {
  const state: LoadState = { opts, records: [], stack: [opts.fileName], dollarTtl: null, lastTtl: null };
  readFile(state, text, opts.fileName, opts.origin, null);
  return { records: state.records };
}

/** Reads one file; `previousOwner` is inherited from the including file, as BIND does. */
function readFile(state: LoadState, text: string, file: string, startOrigin: Name, startOwner: Name | null): void {
  const lexer = new ZoneFileLexer(text, file);
  const fail = (token: LexToken, reason: string): never => {
    throw new ZoneFileError(file, token.line, token.column, reason);
  };
  const nameAt = (token: LexToken, relativeTo: Name): Name => {
    try {
      return nameFromText(token.text, relativeTo);
    } catch (err) {
      if (err instanceof WireError) return fail(token, err.message);
      throw err;
    }
  };
  // RFC 1035 5.1: "$INCLUDE ... never changes the relative origin of the parent
  // file", so origin and previous owner are local to this call.
  let origin = startOrigin;
  let previousOwner = startOwner;
  for (let entry = lexer.next(); entry !== null; entry = lexer.next()) {
    const tokens = entry.tokens;
    const first = tokens[0]!;
    if (!entry.blankOwner && !first.quoted && first.text.startsWith('$')) {
      const directive = first.text.toUpperCase();
      const argument = tokens[1];
      const needArgs = (min: number, max: number, what: string): void => {
        if (tokens.length - 1 < min) fail(first, `${first.text} needs ${what}`);
        const extra = tokens[max + 1];
        if (extra !== undefined) fail(extra, `unexpected "${extra.text}" after ${first.text} ${what}`);
      };
      if (directive === '$ORIGIN') {
        // RFC 1035 5.1: "$ORIGIN <domain-name>": a relative name extends the current origin.
        needArgs(1, 1, 'a domain name');
        origin = nameAt(argument!, origin);
      } else if (directive === '$TTL') {
        // RFC 2308 4: "$TTL <TTL> [comment]" sets the TTL of records that give none.
        needArgs(1, 1, 'a TTL');
        state.dollarTtl = ttlAt(argument!, fail);
      } else if (directive === '$INCLUDE') {
        // RFC 1035 5.1: "$INCLUDE <file-name> [<domain-name>]".
        needArgs(1, 2, 'a file name');
        const includeOrigin = tokens[2] === undefined ? origin : nameAt(tokens[2], origin);
        includeFile(state, argument!, file, includeOrigin, previousOwner, fail);
      } else {
        fail(first, `unknown directive "${first.text}"`);
      }
      continue;
    }
    readRecord(state, tokens, entry.blankOwner, origin, previousOwner, file, fail, nameAt);
    if (!entry.blankOwner) previousOwner = state.records[state.records.length - 1]!.name;
  }
}

type Fail = (token: LexToken, reason: string) => never;

function includeFile(
  state: LoadState, pathToken: LexToken, fromFile: string, origin: Name, previousOwner: Name | null, fail: Fail,
): void {
  const include = state.opts.include;
  if (include === undefined) fail(pathToken, `$INCLUDE "${pathToken.text}" is not allowed here`);
  if (state.stack.length > MAX_INCLUDE_DEPTH) {
    fail(pathToken, `$INCLUDE "${pathToken.text}" nests deeper than ${MAX_INCLUDE_DEPTH} files`);
  }
  let included: IncludedFile;
  try {
    included = include!(pathToken.text, fromFile);
  } catch (err) {
    if (err instanceof ZoneFileError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    return fail(pathToken, `cannot include "${pathToken.text}": ${why}`);
  }
  if (state.stack.includes(included.fileName)) {
    fail(pathToken, `$INCLUDE loop: ${[...state.stack, included.fileName].map((f) => `"${f}"`).join(' -> ')}`);
  }
  state.stack.push(included.fileName);
  readFile(state, included.text, included.fileName, origin, previousOwner);
  state.stack.pop();
}

function ttlAt(token: LexToken, fail: Fail): number {
  try {
    return parseTtl(token.text);
  } catch (err) {
    if (err instanceof WireError) return fail(token, err.message);
    throw err;
  }
}

/** Types that only make sense in messages (RFC 6895 3.1: 128-255 are QTYPEs and meta-TYPEs; OPT is EDNS). */
function isMetaType(type: number): boolean {
  return type === 0 || type === RRType.OPT || (type >= 128 && type <= 255);
}

/** RFC 1035 3.3.13: MINIMUM is the last 32-bit field of SOA RDATA. */
function soaMinimum(rdata: Uint8Array): number {
  return new DataView(rdata.buffer, rdata.byteOffset, rdata.byteLength).getUint32(rdata.byteLength - 4);
}

/**
 * RFC 1035 5.1: "<domain-name> [<TTL>] [<class>] <type> <RDATA>", where TTL and
 * class may come in either order ("[<class>] [<TTL>]" is the other form).
 */
function readRecord(
  state: LoadState, tokens: readonly LexToken[], blankOwner: boolean, origin: Name, previousOwner: Name | null,
  file: string, fail: Fail, nameAt: (token: LexToken, relativeTo: Name) => Name,
): void {
  const first = tokens[0]!;
  let owner: Name;
  let i = 0;
  if (blankOwner) {
    // RFC 1035 5.1: "If the first character is blank, then the owner is the previous owner."
    if (previousOwner === null) return fail(first, `line starts with a blank but there is no previous owner for "${first.text}"`);
    owner = previousOwner;
  } else {
    owner = nameAt(first, origin);
    i = 1;
    if (!nameIsAtOrBelow(owner, state.opts.origin)) {
      fail(first, `owner "${nameToText(owner)}" is outside the zone "${nameToText(state.opts.origin)}"`);
    }
  }

  let ttlToken: LexToken | null = null;
  let classToken: LexToken | null = null;
  let type = -1;
  let typeToken = first;
  for (;;) {
    const token = tokens[i];
    if (token === undefined) return fail(tokens[i - 1] ?? first, `missing type after "${(tokens[i - 1] ?? first).text}"`);
    i++;
    const c = token.text.charCodeAt(0);
    if (!token.quoted && c >= 0x30 && c <= 0x39) {
      if (ttlToken !== null) fail(token, `TTL given twice ("${ttlToken.text}" and "${token.text}")`);
      ttlToken = token;
      continue;
    }
    const cls = token.quoted ? null : classFromText(token.text);
    if (cls !== null) {
      if (classToken !== null) fail(token, `class given twice ("${classToken.text}" and "${token.text}")`);
      if (cls !== RRClass.IN) fail(token, `class "${token.text}" is not supported; zone data must be class IN`);
      classToken = token;
      continue;
    }
    const t = token.quoted ? null : typeFromText(token.text);
    if (t === null) return fail(token, `unknown type "${token.text}"`);
    if (isMetaType(t)) fail(token, `type "${token.text}" cannot appear in a zone file`);
    type = t;
    typeToken = token;
    break;
  }
  const explicitTtl = ttlToken === null ? null : ttlAt(ttlToken, fail);

  const rdataTokens = tokens.slice(i);
  let rdata: Uint8Array;
  try {
    rdata = rdataFromText(type, rdataTokens, origin);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    return failInRdata(err, rdataTokens, typeToken, file);
  }

  let ttl: number;
  if (explicitTtl !== null) {
    ttl = explicitTtl;
    state.lastTtl = explicitTtl;
  } else if (state.dollarTtl !== null) {
    ttl = state.dollarTtl;
  } else if (state.lastTtl !== null) {
    ttl = state.lastTtl;
  } else if (state.opts.defaultTtl !== undefined) {
    ttl = state.opts.defaultTtl;
  } else if (type === RRType.SOA) {
    // What BIND does: "no TTL specified; using SOA MINTTL instead", and the
    // MINIMUM then stands in for $TTL (later explicit TTLs do not replace it).
    ttl = soaMinimum(rdata);
    state.dollarTtl = ttl;
  } else {
    return fail(typeToken, 'no TTL for this record and no $TTL or earlier TTL to default to');
  }
  state.records.push({ name: owner, type, class: RRClass.IN, ttl, rdata, line: first.line, file });
}

/**
 * Points a codec error at the token it names (its `offset` is a token index);
 * an index past the end means something is missing, so just past the last token;
 * no index, the first RDATA token.
 */
function failInRdata(err: WireError, tokens: readonly LexToken[], typeToken: LexToken, file: string): never {
  const at = tokens[err.offset ?? 0];
  if (at !== undefined) throw new ZoneFileError(file, at.line, at.column, err.message);
  const last = tokens[tokens.length - 1] ?? typeToken;
  const width = last.text.length + (last.quoted ? 2 : 0);
  throw new ZoneFileError(file, last.line, last.column + width, err.message);
}
