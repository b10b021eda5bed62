// Owner names as stored (presentation text, ADR 0001 decision 3) back to wire form.
import { MAX_LABEL_LENGTH, nameFromText, type Name } from '../wire/index.js';

/** Scratch for one wire name (at most 255 bytes). */
const scratch = Buffer.alloc(256);

/**
 * Converts a stored owner ("www.example.com.") to wire form. Names we wrote come
 * from nameToText, so they are absolute and ASCII; without a backslash there are
 * no escapes and the labels are the text between dots: that fast path skips the
 * general parser. Anything else goes through nameFromText. The fast path writes
 * the bytes once and makes one flat string of them: built by concatenation, a
 * name would be a tree of V8 cons strings, about three times the memory of a
 * flat one for as long as a snapshot keeps it.
 */
export function storedNameToWire(text: string): Name {
  if (text.indexOf('\\') >= 0 || !text.endsWith('.') || text.length > 254) return nameFromText(text);
  if (text === '.') return '\0' as Name;
  let o = 0;
  let start = 0;
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', start)) {
    const length = dot - start;
    if (length === 0 || length > MAX_LABEL_LENGTH) return nameFromText(text);
    scratch[o++] = length;
    for (let i = start; i < dot; i++) {
      const c = text.charCodeAt(i);
      if (c > 0xff) return nameFromText(text);
      scratch[o++] = c;
    }
    start = dot + 1;
  }
  scratch[o++] = 0;
  return scratch.toString('latin1', 0, o) as Name;
}
