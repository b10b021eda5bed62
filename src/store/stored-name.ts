// Owner names as stored (presentation text, ADR 0001 decision 3) back to wire form.
import { MAX_LABEL_LENGTH, nameFromText, type Name } from '../wire/index.js';

/**
 * Converts a stored owner ("www.example.com.") to wire form. Names we wrote come
 * from nameToText, so they are absolute and ASCII; without a backslash there are
 * no escapes and the labels are the text between dots: that fast path skips the
 * general parser. Anything else goes through nameFromText.
 */
export function storedNameToWire(text: string): Name {
  if (text.indexOf('\\') >= 0 || !text.endsWith('.') || text.length > 254) return nameFromText(text);
  if (text === '.') return '\0' as Name;
  let out = '';
  let start = 0;
  for (let dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', start)) {
    const length = dot - start;
    if (length === 0 || length > MAX_LABEL_LENGTH) return nameFromText(text);
    out += String.fromCharCode(length) + text.slice(start, dot);
    start = dot + 1;
  }
  return (out + '\0') as Name;
}
