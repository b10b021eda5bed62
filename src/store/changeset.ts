// A zone change as the journal keeps it: the records deleted and the records added
// (an IXFR difference sequence, RFC 1995 4, SOA records included).
import type { RecordData } from '../zone/index.js';
import { storedNameToWire } from './stored-name.js';
import { nameToText } from '../wire/index.js';

/** Records removed and added by one change, in the order they were applied. */
export interface Changeset {
  readonly deleted: readonly RecordData[];
  readonly added: readonly RecordData[];
}

type StoredRecord = [name: string, type: number, ttl: number, rdata: string];

/** The journal's JSON: {"deleted":[[name,type,ttl,base64],...],"added":[...]}; readable with sqlite3 and jq. */
export function encodeChangeset(changeset: Changeset): string {
  const encode = (r: RecordData): StoredRecord =>
    [nameToText(r.name), r.type, r.ttl, Buffer.from(r.rdata.buffer, r.rdata.byteOffset, r.rdata.byteLength).toString('base64')];
  return JSON.stringify({ deleted: changeset.deleted.map(encode), added: changeset.added.map(encode) });
}

/** Reads a journal changeset written by encodeChangeset. */
export function decodeChangeset(json: string): Changeset {
  const raw = JSON.parse(json) as { deleted: StoredRecord[]; added: StoredRecord[] };
  const decode = ([name, type, ttl, rdata]: StoredRecord): RecordData =>
    ({ name: storedNameToWire(name), type, ttl, rdata: new Uint8Array(Buffer.from(rdata, 'base64')) });
  return { deleted: raw.deleted.map(decode), added: raw.added.map(decode) };
}
