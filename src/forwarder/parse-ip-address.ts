// IP address text to 128 bits, without regular expressions: IPv4 dotted quads become
// IPv4-mapped IPv6 addresses (RFC 4291 2.5.5.2, ::ffff:a.b.c.d) so one 128-bit rule
// table serves both families and a client reaching a dual-stack socket as
// "::ffff:192.0.2.1" is judged exactly like "192.0.2.1".

/** An address as four big-endian 32-bit words, and whether it was written as IPv4. */
export interface IpAddress {
  readonly words: readonly [number, number, number, number];
  /** True for dotted-quad text and for IPv4-mapped IPv6 text. */
  readonly v4: boolean;
}

/** Parses "a.b.c.d" to an unsigned 32-bit number, or -1 when it is not exactly that. */
function parseIpv4(text: string, start: number, end: number): number {
  let value = 0;
  let octet = -1;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (octet < 0) return -1;
      value = value * 256 + octet;
      octet = -1;
      digits = 0;
      dots++;
      if (dots > 3) return -1;
    } else if (c >= 0x30 && c <= 0x39) {
      // A leading zero is ambiguous (octal in inet_aton), so it is refused.
      if (digits > 0 && octet === 0) return -1;
      octet = (octet < 0 ? 0 : octet) * 10 + (c - 0x30);
      digits++;
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || octet < 0) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Parses IPv6 text (RFC 4291 2.2, including "::" and a trailing dotted quad) to 8 groups. */
function parseIpv6(text: string, start: number, end: number): number[] | null {
  const head: number[] = [];
  const tail: number[] = [];
  let current = head;
  let compressed = false;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) === 0x3a && text.charCodeAt(i + 1) === 0x3a) {
    compressed = true;
    current = tail;
    i += 2;
    if (i === end) return [0, 0, 0, 0, 0, 0, 0, 0];
  } else if (text.charCodeAt(i) === 0x3a) {
    return null;
  }
  while (i < end) {
    // A group ends at ':' or the end; a '.' inside means the last 32 bits are a dotted quad.
    let j = i;
    let group = 0;
    let sawDot = false;
    while (j < end && text.charCodeAt(j) !== 0x3a) {
      if (text.charCodeAt(j) === 0x2e) sawDot = true;
      j++;
    }
    if (sawDot) {
      if (j !== end) return null;
      const v4 = parseIpv4(text, i, j);
      if (v4 < 0) return null;
      current.push(Math.floor(v4 / 65536), v4 % 65536);
      i = j;
      break;
    }
    if (j === i || j - i > 4) return null;
    for (let k = i; k < j; k++) {
      const h = hexValue(text.charCodeAt(k));
      if (h < 0) return null;
      group = group * 16 + h;
    }
    current.push(group);
    if (j === end) {
      i = j;
      break;
    }
    // j is at ':'; "::" switches to the tail once.
    if (j + 1 < end && text.charCodeAt(j + 1) === 0x3a) {
      if (compressed) return null;
      compressed = true;
      current = tail;
      i = j + 2;
      if (i === end) break;
    } else {
      if (j + 1 === end) return null;
      i = j + 1;
    }
  }
  const total = head.length + tail.length;
  if (compressed ? total > 7 : total !== 8) return null;
  const groups = head.slice();
  for (let k = total; k < 8; k++) groups.push(0);
  for (let k = 0; k < tail.length; k++) groups[8 - tail.length + k] = tail[k]!;
  return groups;
}

/**
 * Parses an IPv4 or IPv6 address (a zone index such as "%eth0" is ignored) to 128
 * bits, or returns null. IPv4 "a.b.c.d" is returned as ::ffff:a.b.c.d with `v4` set.
 */
export function parseIpAddress(text: string): IpAddress | null {
  let end = text.length;
  const percent = text.indexOf('%');
  if (percent >= 0) end = percent;
  if (end === 0) return null;
  if (text.indexOf(':') < 0) {
    const v4 = parseIpv4(text, 0, end);
    if (v4 < 0) return null;
    return { words: [0, 0, 0xffff, v4 >>> 0], v4: true };
  }
  const g = parseIpv6(text, 0, end);
  if (g === null) return null;
  const words: [number, number, number, number] = [
    ((g[0]! << 16) | g[1]!) >>> 0,
    ((g[2]! << 16) | g[3]!) >>> 0,
    ((g[4]! << 16) | g[5]!) >>> 0,
    ((g[6]! << 16) | g[7]!) >>> 0,
  ];
  return { words, v4: words[0] === 0 && words[1] === 0 && words[2] === 0xffff };
}
