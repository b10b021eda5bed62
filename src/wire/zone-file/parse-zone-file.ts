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
  new FileReader(state, opts.fileName, opts.origin, null).read(text);
  return { records: state.records };
}

/** The syntax of each directive, for messages; RFC 1035 5.1 and RFC 2308 4. */
const DIRECTIVES: Readonly<Record<string, { readonly max: number; readonly needs: string; readonly syntax: string }>> = {
  $ORIGIN: { max: 1, needs: 'a domain name', syntax: '$ORIGIN <domain-name>' },
  $TTL: { max: 1, needs: 'a TTL', syntax: '$TTL <TTL>' },
  $INCLUDE: { max: 2, needs: 'a file name', syntax: '$INCLUDE <file-name> [<domain-name>]' },
};

/**
 * Reads one file. RFC 1035 5.1: "$INCLUDE ... never changes the relative origin
 * of the parent file", so each file has its own reader, origin and previous
 * owner; an included file starts with its parent's previous owner, as in BIND.
 */
class FileReader {
  readonly #state: LoadState;
  readonly #file: string;
  #origin: Name;
  #previousOwner: Name | null;

  constructor(state: LoadState, file: string, origin: Name, previousOwner: Name | null) {
    this.#state = state;
    this.#file = file;
    this.#origin = origin;
    this.#previousOwner = previousOwner;
  }

  read(text: string): void {
    const lexer = new ZoneFileLexer(text, this.#file);
    for (let entry = lexer.next(); entry !== null; entry = lexer.next()) {
      const first = entry.tokens[0]!;
      if (!entry.blankOwner && !first.quoted && first.text.startsWith('$')) this.#directive(entry.tokens);
      else this.#record(entry.tokens, entry.blankOwner);
    }
  }

  #directive(tokens: readonly LexToken[]): void {
    const first = tokens[0]!;
    const name = first.text.toUpperCase();
    const rule = DIRECTIVES[name];
    if (rule === undefined) return this.#fail(first, `unknown directive "${first.text}"`);
    const argument = tokens[1];
    if (argument === undefined) return this.#fail(first, `${first.text} needs ${rule.needs}`);
    const extra = tokens[rule.max + 1];
    if (extra !== undefined) this.#fail(extra, `unexpected "${extra.text}": the syntax is ${rule.syntax}`);
    if (name === '$ORIGIN') {
      // RFC 1035 5.1: a relative name here is relative to the current origin.
      this.#origin = this.#nameAt(argument, this.#origin);
    } else if (name === '$TTL') {
      // RFC 2308 4: "$TTL <TTL> [comment]" sets the TTL of records that give none.
      this.#state.dollarTtl = this.#ttlAt(argument);
    } else {
      const origin = tokens[2] === undefined ? this.#origin : this.#nameAt(tokens[2], this.#origin);
      this.#include(argument, origin);
    }
  }

  #include(pathToken: LexToken, origin: Name): void {
    const state = this.#state;
    const include = state.opts.include;
    const path = pathToken.text;
    if (include === undefined) return this.#fail(pathToken, `$INCLUDE "${path}" is not allowed here`);
    if (state.stack.length > MAX_INCLUDE_DEPTH) {
      this.#fail(pathToken, `$INCLUDE "${path}" nests deeper than ${MAX_INCLUDE_DEPTH} files`);
    }
    let included: IncludedFile;
    try {
      included = include(path, this.#file);
    } catch (err) {
      if (err instanceof ZoneFileError) throw err;
      return this.#fail(pathToken, `cannot include "${path}": ${err instanceof Error ? err.message : String(err)}`);
    }
    if (state.stack.includes(included.fileName)) {
      this.#fail(pathToken, `$INCLUDE loop: ${[...state.stack, included.fileName].map((f) => `"${f}"`).join(' -> ')}`);
    }
    state.stack.push(included.fileName);
    new FileReader(state, included.fileName, origin, this.#previousOwner).read(included.text);
    state.stack.pop();
  }

  /**
   * RFC 1035 5.1: "<domain-name> [<TTL>] [<class>] <type> <RDATA>", where TTL
   * and class may come in either order ("[<class>] [<TTL>]" is the other form).
   */
  #record(tokens: readonly LexToken[], blankOwner: boolean): void {
    const state = this.#state;
    const first = tokens[0]!;
    let owner: Name;
    let i = 0;
    if (blankOwner) {
      // RFC 1035 5.1: "If the first character is blank, then the owner is the previous owner."
      if (this.#previousOwner === null) {
        return this.#fail(first, `line starts with a blank but there is no previous owner for "${first.text}"`);
      }
      owner = this.#previousOwner;
    } else {
      owner = this.#nameAt(first, this.#origin);
      if (!nameIsAtOrBelow(owner, state.opts.origin)) {
        this.#fail(first, `owner "${nameToText(owner)}" is outside the zone "${nameToText(state.opts.origin)}"`);
      }
      this.#previousOwner = owner;
      i = 1;
    }

    let ttlToken: LexToken | null = null;
    let classToken: LexToken | null = null;
    let typeToken: LexToken;
    let type: number;
    for (;;) {
      const token = tokens[i];
      if (token === undefined) {
        const last = tokens[i - 1] ?? first;
        return this.#fail(last, `missing type after "${last.text}"`);
      }
      i++;
      const c = token.text.charCodeAt(0);
      if (!token.quoted && c >= 0x30 && c <= 0x39) {
        if (ttlToken !== null) this.#fail(token, `TTL given twice ("${ttlToken.text}" and "${token.text}")`);
        ttlToken = token;
        continue;
      }
      const cls = token.quoted ? null : classFromText(token.text);
      if (cls !== null) {
        if (classToken !== null) this.#fail(token, `class given twice ("${classToken.text}" and "${token.text}")`);
        if (cls !== RRClass.IN) this.#fail(token, `class "${token.text}" is not supported; zone data must be class IN`);
        classToken = token;
        continue;
      }
      const t = token.quoted ? null : typeFromText(token.text);
      if (t === null) return this.#fail(token, `unknown type "${token.text}"`);
      if (isMetaType(t)) this.#fail(token, `type "${token.text}" cannot appear in a zone file`);
      type = t;
      typeToken = token;
      break;
    }
    const explicitTtl = ttlToken === null ? null : this.#ttlAt(ttlToken);

    const rdataTokens = tokens.slice(i);
    let rdata: Uint8Array;
    try {
      rdata = rdataFromText(type, rdataTokens, this.#origin);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      return this.#failInRdata(err, rdataTokens, typeToken);
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
      return this.#fail(typeToken, 'no TTL for this record and no $TTL or earlier TTL to default to');
    }
    state.records.push({ name: owner, type, class: RRClass.IN, ttl, rdata, line: first.line, file: this.#file });
  }

  #nameAt(token: LexToken, relativeTo: Name): Name {
    try {
      return nameFromText(token.text, relativeTo);
    } catch (err) {
      if (err instanceof WireError) return this.#fail(token, err.message);
      throw err;
    }
  }

  #ttlAt(token: LexToken): number {
    try {
      return parseTtl(token.text);
    } catch (err) {
      if (err instanceof WireError) return this.#fail(token, err.message);
      throw err;
    }
  }

  /**
   * Points a codec error at the token it names (its `offset` is a token index);
   * an index past the end means something is missing, so just past the last
   * token; no index, the first RDATA token.
   */
  #failInRdata(err: WireError, tokens: readonly LexToken[], typeToken: LexToken): never {
    const at = tokens[err.offset ?? 0];
    if (at !== undefined) return this.#fail(at, err.message);
    const last = tokens[tokens.length - 1] ?? typeToken;
    const width = last.text.length + (last.quoted ? 2 : 0);
    throw new ZoneFileError(this.#file, last.line, last.column + width, err.message);
  }

  #fail(token: LexToken, reason: string): never {
    throw new ZoneFileError(this.#file, token.line, token.column, reason);
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
