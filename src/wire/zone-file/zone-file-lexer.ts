// Splits master-file text into entries (RFC 1035 5.1): one entry per line, or
// several lines joined by parentheses, with comments dropped and quotes removed.
// Backslash escapes stay in the token text: their meaning depends on the field
// (a `\.` is a byte inside a name's label but a plain dot in a character-string).
import type { TextToken } from '../types.js';
import { ZoneFileError } from './zone-file-error.js';

/** One token with its place in the file, for error messages. */
export interface LexToken extends TextToken {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column of the token's first character (the opening quote if quoted). */
  readonly column: number;
}

/** One logical entry: a directive or a resource record, possibly spanning lines. */
export interface LexEntry {
  readonly tokens: readonly LexToken[];
  /**
   * RFC 1035 5.1: "If the first character [of the line] is blank, then the owner
   * is the previous owner." True when the entry's first line starts with a space or tab.
   */
  readonly blankOwner: boolean;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const SEMICOLON = 0x3b;
const OPEN = 0x28;
const CLOSE = 0x29;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Reads entries from one file's text, one at a time, tracking lines and columns. */
export class ZoneFileLexer {
  readonly #text: string;
  readonly #file: string;
  #pos = 0;
  #line = 1;
  #lineStart = 0;

  /** `file` is used only in error messages. A leading byte order mark is skipped. */
  constructor(text: string, file: string) {
    this.#text = text;
    this.#file = file;
    // U+FEFF when the file was decoded as UTF-8, its three bytes when decoded as latin1.
    const bom = text.startsWith('\ufeff') ? 1 : text.startsWith('\xef\xbb\xbf') ? 3 : 0;
    this.#pos = bom;
    this.#lineStart = bom;
  }

  /** The next non-empty entry, or null at the end of the text. Throws ZoneFileError. */
  next(): LexEntry | null {
    const text = this.#text;
    const tokens: LexToken[] = [];
    let depth = 0;
    let openLine = 0;
    let blankOwner = this.#atLineStart() && this.#startsWithBlank();
    while (this.#pos < text.length) {
      const c = text.charCodeAt(this.#pos);
      if (c === SPACE || c === TAB || c === CR) {
        this.#pos++;
      } else if (c === LF) {
        this.#pos++;
        this.#line++;
        this.#lineStart = this.#pos;
        if (depth === 0) {
          if (tokens.length > 0) return { tokens, blankOwner };
          blankOwner = this.#startsWithBlank();
        }
      } else if (c === SEMICOLON) {
        // RFC 1035 5.1: "Semicolon is used to start a comment; the remainder of the line is ignored."
        const end = text.indexOf('\n', this.#pos);
        this.#pos = end < 0 ? text.length : end;
      } else if (c === OPEN) {
        // RFC 1035 5.1: "Parentheses are used to group data that crosses a line boundary."
        if (depth === 0) openLine = this.#line;
        depth++;
        this.#pos++;
      } else if (c === CLOSE) {
        if (depth === 0) this.#fail(this.#line, this.#column(), 'unbalanced parenthesis ")"');
        depth--;
        this.#pos++;
      } else if (c === QUOTE) {
        tokens.push(this.#quoted());
      } else {
        tokens.push(this.#word());
      }
    }
    if (depth > 0) {
      this.#fail(this.#line, this.#column(), `unbalanced parenthesis opened at line ${openLine}`);
    }
    return tokens.length > 0 ? { tokens, blankOwner } : null;
  }

  #atLineStart(): boolean {
    return this.#pos === this.#lineStart;
  }

  #startsWithBlank(): boolean {
    const c = this.#text.charCodeAt(this.#pos);
    return c === SPACE || c === TAB;
  }

  #column(): number {
    return this.#pos - this.#lineStart + 1;
  }

  /** A token outside quotes: up to whitespace, a comment, a parenthesis or a quote. */
  #word(): LexToken {
    const text = this.#text;
    const start = this.#pos;
    const column = this.#column();
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) {
        const next = text.charCodeAt(i + 1);
        if (Number.isNaN(next) || next === LF || next === CR) {
          this.#pos = i;
          this.#fail(this.#line, this.#column(), 'backslash at the end of a line');
        }
        i++;
        continue;
      }
      if (c === SPACE || c === TAB || c === CR || c === LF || c === SEMICOLON ||
          c === OPEN || c === CLOSE || c === QUOTE) break;
    }
    this.#pos = i;
    return { text: text.slice(start, i), quoted: false, line: this.#line, column };
  }

  /** A quoted string: up to the next unescaped quote on the same line; quotes removed. */
  #quoted(): LexToken {
    const text = this.#text;
    const line = this.#line;
    const column = this.#column();
    let i = this.#pos + 1;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH && i + 1 < text.length && text.charCodeAt(i + 1) !== LF) {
        i++;
      } else if (c === QUOTE) {
        const token = { text: text.slice(this.#pos + 1, i), quoted: true, line, column };
        this.#pos = i + 1;
        return token;
      } else if (c === LF) {
        break;
      }
    }
    return this.#fail(line, column, 'unterminated quoted string');
  }

  #fail(line: number, column: number, reason: string): never {
    throw new ZoneFileError(this.#file, line, column, reason);
  }
}
