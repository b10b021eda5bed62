// Reads the differential query table (test/corpus/queries.txt): one query per row,
// with the flags that shape the request and a short reason for the row.
import { readFileSync } from 'node:fs';

/** How one row shapes its request. */
export interface QueryFlags {
  /** RD set (dig's default); cleared by `norec`. */
  readonly rd: boolean;
  readonly cd: boolean;
  /** DO bit in the OPT record. */
  readonly dnssec: boolean;
  /** An OPT record is sent (cleared by `noedns`). */
  readonly edns: boolean;
  /** The advertised UDP payload size when `edns` is set. */
  readonly bufsize: number;
  /** The row is also sent over TCP. */
  readonly tcp: boolean;
}

/** One row of the query table. */
export interface QueryRow {
  /** 1-based line number in the table file, for messages. */
  readonly line: number;
  /** Presentation form, absolute (ends with "."), case as written. */
  readonly qname: string;
  /** The qname as written in the table (before `{x*N}` expansion), for titles. */
  readonly qnameText: string;
  /** Type mnemonic, upper case (A, AAAA, ANY, ...). */
  readonly qtype: string;
  /** The flags column as written ("-" when none). */
  readonly flagText: string;
  readonly flags: QueryFlags;
  readonly why: string;
}

const DEFAULT_BUFSIZE = 1232;

/** Expands `{x*N}` into N copies of x (long labels stay readable in the table). */
function expandRepeats(text: string): string {
  return text.replace(/\{(.)\*(\d+)\}/g, (_all, ch: string, count: string) => ch.repeat(Number(count)));
}

function parseFlags(text: string, line: number): QueryFlags {
  let rd = true;
  let cd = false;
  let dnssec = false;
  let edns = true;
  let bufsize = DEFAULT_BUFSIZE;
  let tcp = false;
  if (text !== '-') {
    for (const flag of text.split(',')) {
      if (flag === 'norec') rd = false;
      else if (flag === 'cd') cd = true;
      else if (flag === 'dnssec') dnssec = true;
      else if (flag === 'noedns') edns = false;
      else if (flag === 'tcp') tcp = true;
      else if (flag.startsWith('bufsize=')) bufsize = Number(flag.slice('bufsize='.length));
      else throw new Error(`query table line ${line}: unknown flag "${flag}"`);
    }
  }
  if (!Number.isInteger(bufsize) || bufsize < 0 || bufsize > 65535) {
    throw new Error(`query table line ${line}: bad bufsize`);
  }
  return { rd, cd, dnssec, edns, bufsize, tcp };
}

/** Parses the table text; throws on a malformed row, naming its line. */
export function parseQueryTable(text: string): QueryRow[] {
  const rows: QueryRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const match = /^(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(raw);
    if (match === null) throw new Error(`query table line ${i + 1}: expected qname qtype flags why`);
    const qname = expandRepeats(match[1]!);
    if (!qname.endsWith('.')) throw new Error(`query table line ${i + 1}: qname must be absolute`);
    rows.push({
      line: i + 1,
      qname,
      qnameText: match[1]!,
      qtype: match[2]!.toUpperCase(),
      flagText: match[3]!,
      flags: parseFlags(match[3]!, i + 1),
      why: match[4]!.trim(),
    });
  }
  return rows;
}

/** Reads and parses a query table file. */
export function readQueryTable(path: string): QueryRow[] {
  return parseQueryTable(readFileSync(path, 'utf8'));
}
