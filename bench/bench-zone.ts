// Generates the benchmark zone (N names with a fixed mix of types) and a dnsperf
// query file with fixed proportions of answers, CNAME chains, NXDOMAIN and NODATA.
// Both are deterministic: the same N always gives the same files.
import { closeSync, openSync, writeSync } from 'node:fs';

/** The benchmark zone's origin. */
export const BENCH_ORIGIN = 'bench.test.';

/** The query mix, in percent of the query file (sums to 100). */
export const QUERY_MIX = {
  /** An existing name asked for the type it has (A, AAAA, MX or TXT): a plain answer. */
  answer: 60,
  /** A CNAME name asked for A: the CNAME and the target's A. */
  cname: 15,
  /** A name that does not exist: NXDOMAIN with the SOA. */
  nxdomain: 15,
  /** An A-only name asked for AAAA: NODATA with the SOA. */
  nodata: 10,
} as const;

/**
 * The type of name h<i>, by i mod 10: 0-3 A (40%), 4-5 AAAA (20%), 6 MX (10%),
 * 7-8 CNAME (20%), 9 TXT (10%). MX and CNAME point at h<i - i mod 10>, an A name.
 */
export function benchNameType(i: number): 'A' | 'AAAA' | 'MX' | 'CNAME' | 'TXT' {
  const slot = i % 10;
  if (slot <= 3) return 'A';
  if (slot <= 5) return 'AAAA';
  if (slot === 6) return 'MX';
  if (slot <= 8) return 'CNAME';
  return 'TXT';
}

function recordLine(i: number): string {
  const owner = `h${i}`;
  const base = `h${i - (i % 10)}`;
  switch (benchNameType(i)) {
    case 'A':
      return `${owner} A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\n`;
    case 'AAAA':
      return `${owner} AAAA 2001:db8::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}\n`;
    case 'MX':
      return `${owner} MX 10 ${base}\n`;
    case 'CNAME':
      return `${owner} CNAME ${base}\n`;
    case 'TXT':
      return `${owner} TXT "bench record ${i}"\n`;
  }
}

/** Writes the zone file of `names` names to `path`. */
export function writeBenchZone(path: string, names: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, [
      `$ORIGIN ${BENCH_ORIGIN}`,
      '$TTL 3600',
      `@ IN SOA ns1.${BENCH_ORIGIN} hostmaster.${BENCH_ORIGIN} 1 3600 900 1209600 300`,
      `@ NS ns1.${BENCH_ORIGIN}`,
      'ns1 A 127.0.0.1',
      '',
    ].join('\n'));
    const CHUNK = 10000;
    for (let start = 0; start < names; start += CHUNK) {
      let text = '';
      for (let i = start; i < Math.min(names, start + CHUNK); i++) text += recordLine(i);
      writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
}

/** A small seeded PRNG (mulberry32), so the query file is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an index below `names` whose slot (i mod 10) is one of `slots`. */
function pick(random: () => number, names: number, slots: readonly number[]): number {
  const tens = Math.max(1, Math.floor(names / 10));
  for (;;) {
    const i = Math.floor(random() * tens) * 10 + slots[Math.floor(random() * slots.length)]!;
    if (i < names) return i;
  }
}

/** Writes a dnsperf query file of `count` lines for a zone of `names` names, in QUERY_MIX proportions. */
export function writeBenchQueries(path: string, names: number, count: number): void {
  const random = seededRandom(names ^ 0x5eed);
  const lines: string[] = [];
  const answerSlots = [0, 1, 2, 3, 4, 5, 6, 9];
  for (let q = 0; q < count; q++) {
    const roll = (q % 100) + 1;
    if (roll <= QUERY_MIX.answer) {
      const i = pick(random, names, answerSlots);
      lines.push(`h${i}.${BENCH_ORIGIN} ${benchNameType(i)}`);
    } else if (roll <= QUERY_MIX.answer + QUERY_MIX.cname) {
      lines.push(`h${pick(random, names, [7, 8])}.${BENCH_ORIGIN} A`);
    } else if (roll <= QUERY_MIX.answer + QUERY_MIX.cname + QUERY_MIX.nxdomain) {
      lines.push(`nx${Math.floor(random() * 1e9)}.${BENCH_ORIGIN} A`);
    } else {
      lines.push(`h${pick(random, names, [0, 1, 2, 3])}.${BENCH_ORIGIN} AAAA`);
    }
  }
  // Shuffle so that the kinds interleave without a fixed period.
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${lines.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}
