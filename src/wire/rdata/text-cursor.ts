// Walks the tokens of one record's RDATA text, and reports errors at the token.
import { WireError, type Name, type TextToken } from '../types.js';

/** The RDATA tokens of one record, consumed field by field. Errors name the token index. */
export class TextCursor {
  /** Index of the next token to take. */
  index = 0;
  readonly tokens: readonly TextToken[];
  readonly origin: Name;

  constructor(tokens: readonly TextToken[], origin: Name) {
    this.tokens = tokens;
    this.origin = origin;
  }

  /** True when every token has been taken. */
  get done(): boolean {
    return this.index >= this.tokens.length;
  }

  /** Takes the next token, or fails with "`what` is missing". */
  take(what: string): TextToken {
    const token = this.tokens[this.index];
    if (token === undefined) throw new WireError('BAD_TEXT', `${what} is missing`, this.index);
    this.index++;
    return token;
  }

  /** Fails at the token taken last (or at `at`) with a lowercase reason. */
  fail(reason: string, at = this.index - 1): never {
    throw new WireError('BAD_TEXT', reason, at < 0 ? 0 : at);
  }
}
