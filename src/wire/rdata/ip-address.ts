// IPv4 and IPv6 addresses in text (RFC 1035 3.4.1 dotted quad; RFC 4291 2.2 in,
// RFC 5952 4 out) and as 4 or 16 wire bytes.

/** Parses a dotted-quad IPv4 address into 4 bytes; null when malformed. */
export function ipv4FromText(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (p.length === 0 || p.length > 3) return null;
    let v = 0;
    for (let j = 0; j < p.length; j++) {
      const c = p.charCodeAt(j) - 0x30;
      if (c < 0 || c > 9) return null;
      v = v * 10 + c;
    }
    if (v > 255) return null;
    out[i] = v;
  }
  return out;
}

/** Dotted-quad text of 4 bytes at `pos`. */
export function ipv4ToText(buf: Uint8Array, pos: number): string {
  return `${buf[pos]}.${buf[pos + 1]}.${buf[pos + 2]}.${buf[pos + 3]}`;
}

/** Parses an IPv6 address (with "::" and an optional trailing dotted quad) into 16 bytes; null when malformed. */
export function ipv6FromText(text: string): Uint8Array | null {
  const out = new Uint8Array(16);
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1]!.split(':')) : [];
  const groups: number[] = [];
  const parseGroups = (list: string[], allowV4Last: boolean): number[] | null => {
    const res: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const g = list[i]!;
      if (allowV4Last && i === list.length - 1 && g.includes('.')) {
        const v4 = ipv4FromText(g);
        if (v4 === null) return null;
        res.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (g.length === 0 || g.length > 4) return null;
      let v = 0;
      for (let j = 0; j < g.length; j++) {
        const c = g.charCodeAt(j) | 0x20;
        let d: number;
        if (c >= 0x30 && c <= 0x39) d = c - 0x30;
        else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
        else return null;
        v = v * 16 + d;
      }
      res.push(v);
    }
    return res;
  };
  const h = parseGroups(head, halves.length === 1);
  const t = parseGroups(tail, true);
  if (h === null || t === null) return null;
  if (halves.length === 1) {
    if (h.length !== 8) return null;
    groups.push(...h);
  } else {
    // "::" stands for at least one group of zeros (RFC 4291 2.2).
    if (h.length + t.length > 7) return null;
    groups.push(...h);
    for (let i = h.length + t.length; i < 8; i++) groups.push(0);
    groups.push(...t);
  }
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i]! >>> 8;
    out[2 * i + 1] = groups[i]! & 0xff;
  }
  return out;
}

/** RFC 5952 4 text of 16 bytes at `pos`: lowercase, no leading zeros, longest zero run as "::". */
export function ipv6ToText(buf: Uint8Array, pos: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((buf[pos + 2 * i]! << 8) | buf[pos + 2 * i + 1]!);
  // RFC 5952 4.2.3: the longest run of two or more zero groups, the first if tied.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
  const left = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const right = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${left}::${right}`;
}
