// Where the differential corpus lives: the zone files and the query table. The
// compiled code runs from dist/, so paths are found by walking up to the source tree.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One zone of the corpus: its origin (absolute, lower case) and its master file. */
export interface CorpusZone {
  readonly origin: string;
  readonly file: string;
}

function findCorpusDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'test', 'corpus');
    if (existsSync(join(candidate, 'queries.txt'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('test/corpus/queries.txt not found above the compiled file');
}

/** The source directory test/corpus. */
export const CORPUS_DIR = findCorpusDir();

/** The query table file. */
export const QUERY_TABLE_FILE = join(CORPUS_DIR, 'queries.txt');

/** Every zone file in test/corpus/zones, named "<origin>zone" (e.g. "example.test.zone"). */
export function corpusZones(): CorpusZone[] {
  const dir = join(CORPUS_DIR, 'zones');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.zone'))
    .sort()
    .map((name) => ({ origin: `${name.slice(0, -'zone'.length)}`, file: join(dir, name) }));
}
