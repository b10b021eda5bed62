// <character-string> text (RFC 1035 5.1): backslash escapes \X and \DDD on the
// way in, quoting and \DDD for non-printable bytes on the way out.

/**
 * Decodes presentation text into bytes: `\DDD` is a decimal byte, `\X` is X, and
 * any other character is itself. Text is a latin1 byte string, as zone files are
 * read (one character per byte, like names in name.ts); a character above 0xff,
 * which no byte string holds, is encoded as UTF-8. Returns an error reason string
 * instead of bytes when an escape is malformed.
 */
export function charStringFromText(text: string): Uint8Array | string {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      if (i + 1 >= text.length) return 'ends in a lone backslash';
      const d = text.charCodeAt(i + 1);
      if (d >= 0x30 && d <= 0x39) {
        const d2 = text.charCodeAt(i + 2) - 0x30;
        const d3 = text.charCodeAt(i + 3) - 0x30;
        if (!(d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9)) return 'has a \\DDD escape without three digits';
        const v = (d - 0x30) * 100 + d2 * 10 + d3;
        if (v > 255) return `has escape \\${text.slice(i + 1, i + 4)} above 255`;
        out.push(v);
        i += 3;
        continue;
      }
      i++;
      c = d;
    }
    if (c <= 0xff) {
      out.push(c);
    } else {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      pushUtf8(out, cp);
    }
  }
  return Uint8Array.from(out);
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x800) {
    out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  } else {
    out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
}

/**
 * Escapes bytes [start, end) for presentation inside double quotes: `"` and `\`
 * get a backslash, bytes outside printable ASCII become \DDD. No quotes added.
 */
export function escapeCharString(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  let run = start;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    if (i > run) out += String.fromCharCode.apply(null, buf.subarray(run, i) as unknown as number[]);
    out += c === 0x22 || c === 0x5c ? '\\' + String.fromCharCode(c) : '\\' + String(c).padStart(3, '0');
    run = i + 1;
  }
  if (end > run) out += String.fromCharCode.apply(null, buf.subarray(run, end) as unknown as number[]);
  return out;
}

/** A quoted <character-string> in presentation form. */
export function charStringToText(buf: Uint8Array, start: number, end: number): string {
  return '"' + escapeCharString(buf, start, end) + '"';
}
