// One record's RDATA in presentation form, tokenized exactly as in a zone file,
// for the API and CLI that take RDATA as text.
import { WireError, type TextToken } from '../types.js';
import { ZoneFileError } from './zone-file-error.js';
import { ZoneFileLexer } from './zone-file-lexer.js';

/**
 * Splits RDATA text into tokens with the zone-file rules (RFC 1035 5.1): quoted
 * strings, escapes kept for the RDATA parser, `;` comments, parentheses across
 * lines. Throws WireError (BAD_TEXT) for unbalanced quotes or parentheses, or a
 * line break outside parentheses.
 */
export function tokenizeRdata(text: string): TextToken[] {
  const lexer = new ZoneFileLexer(text, 'rdata');
  try {
    const entry = lexer.next();
    if (entry === null) return [];
    const extra = lexer.next();
    if (extra !== null) {
      const at = extra.tokens[0]!;
      throw new WireError('BAD_TEXT', `rdata continues on line ${at.line} outside parentheses at "${at.text}"`);
    }
    return entry.tokens.map((t) => ({ text: t.text, quoted: t.quoted }));
  } catch (err) {
    if (!(err instanceof ZoneFileError)) throw err;
    // An unclosed parenthesis is found at the end of the text, which says nothing new.
    if (err.reason.startsWith('unbalanced parenthesis opened')) throw new WireError('BAD_TEXT', err.reason);
    const where = err.line === 1 ? `column ${err.column}` : `line ${err.line} column ${err.column}`;
    throw new WireError('BAD_TEXT', `${err.reason} at ${where}`);
  }
}
