// Zone file -> validated records -> one store transaction. Shared by `mcns zone
// import` and the example zone that `serve` loads into an empty database.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  RRClass, confineIncludePath, nameToText, parseZoneFile, type IncludedFile, type Name,
} from '../wire/index.js';
import { validateZone, type RecordData } from '../zone/index.js';
import { StoreError } from './store-error.js';
import type { ImportOptions, ImportResult, Store } from './store.js';

/**
 * Reads a zone file for `origin` and returns its records, refusing anything that
 * would not make a usable zone. $INCLUDE reads only files inside the zone file's
 * directory (confineIncludePath, checked again after resolving symbolic links).
 * Throws ZoneFileError (`file:line:column: reason`) for text that does not parse,
 * StoreError INVALID listing every problem validateZone finds. `displayName` is
 * the file as messages name it (the path the operator typed).
 */
export function readZoneFile(origin: Name, file: string, displayName: string = file): RecordData[] {
  const top = resolve(file);
  const dir = dirname(top);
  // Zone files are bytes, not text (RFC 1035 5.1): latin1 maps each byte to one
  // character, so a UTF-8 TXT string reaches the wire exactly as it was written.
  const parsed = parseZoneFile(readFileSync(top, 'latin1'), {
    origin,
    fileName: displayName,
    include: (requested: string): IncludedFile => ({ fileName: requested, text: readFileSync(confinedPath(dir, requested), 'latin1') }),
  });
  const problems: string[] = [];
  const records: RecordData[] = [];
  for (const r of parsed.records) {
    if (r.class !== RRClass.IN) {
      problems.push(`${r.file}:${r.line}: ${nameToText(r.name)} has class ${r.class}; only class IN is served`);
      continue;
    }
    records.push({ name: r.name, type: r.type, ttl: r.ttl, rdata: r.rdata });
  }
  for (const problem of validateZone(origin, records)) problems.push(problem.message);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new StoreError('INVALID', `zone "${nameToText(origin)}" in ${displayName} not imported: ${problems[0]}${more}`, problems);
  }
  return records;
}

/** Reads, validates and imports a zone file in one transaction (see Store.importZone). */
export function importZoneFile(store: Store, origin: Name, file: string, options: ImportOptions = {}): ImportResult {
  return store.importZone(origin, readZoneFile(origin, file), options);
}

/** The real path of an $INCLUDE target, refused unless it stays inside `dir`. */
function confinedPath(dir: string, requested: string): string {
  const target = confineIncludePath(dir, requested);
  if (target === null) throw new Error(`it is outside the zone file's directory "${dir}"`);
  const realDir = realpathSync(dir);
  const real = realpathSync(target);
  if (confineIncludePath(realDir, real) === null) throw new Error(`it resolves to "${real}", outside "${realDir}"`);
  return real;
}
