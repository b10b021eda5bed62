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

/**
 * The journal's JSON: {"deleted":[[name,type,ttl,base64],...],"added":[...]}; readable with sqlite3 and jq.
 * Written by hand (the same text JSON.stringify gives): a batch of 1,000 records
 * was 2,000 arrays built and walked again; consecutive records of one RRset share
 * their owner's text.
 */
export function encodeChangeset(changeset: Changeset): string {
  const names = { name: null as RecordData['name'] | null, json: '' };
  return `{"deleted":${encodeRecords(changeset.deleted, names)},"added":${encodeRecords(changeset.added, names)}}`;
}

function encodeRecords(records: readonly RecordData[], last: { name: RecordData['name'] | null; json: string }): string {
  let out = '[';
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.name !== last.name) {
      last.name = r.name;
      last.json = JSON.stringify(nameToText(r.name));
    }
    const rdata = base64Of(r.rdata);
    // Base64 needs no escaping in JSON; type and TTL are integers.
    out += `${i === 0 ? '' : ','}[${last.json},${r.type},${r.ttl},"${rdata}"]`;
  }
  return `${out}]`;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (RFC 4648 4), as Buffer writes it; short RDATA without a Buffer view. */
function base64Of(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n > 48) return Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('base64');
  let out = '';
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64[v >> 18]! + BASE64[(v >> 12) & 63]! + BASE64[(v >> 6) & 63]! + BASE64[v & 63]!;
  }
  if (i + 1 === n) {
    const v = bytes[i]! << 16;
    out += `${BASE64[v >> 18]!}${BASE64[(v >> 12) & 63]!}==`;
  } else if (i + 2 === n) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${BASE64[v >> 18]!}${BASE64[(v >> 12) & 63]!}${BASE64[(v >> 6) & 63]!}=`;
  }
  return out;
}

/** Reads a journal changeset written by encodeChangeset. */
export function decodeChangeset(json: string): Changeset {
  const raw = JSON.parse(json) as { deleted: StoredRecord[]; added: StoredRecord[] };
  const decode = ([name, type, ttl, rdata]: StoredRecord): RecordData =>
    ({ name: storedNameToWire(name), type, ttl, rdata: new Uint8Array(Buffer.from(rdata, 'base64')) });
  return { deleted: raw.deleted.map(decode), added: raw.added.map(decode) };
}
