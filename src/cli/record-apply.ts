// mcns record apply ZONE FILE.json: a batch of RRset changes applied atomically
// (all or none, one serial bump), through the API.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RRsetChange } from '../service/index.js';
import { nameToText } from '../wire/index.js';
import type { RemoteOptions } from './api-client.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseSerialArgument } from './record-arguments.js';
import { withApiClient } from './with-api-client.js';
import { writeChangeResult } from './write-change-result.js';
import { parseZoneNameArgument } from './zone-name-argument.js';

/** Options of `record apply`. */
export interface RecordApplyOptions extends RemoteOptions {
  readonly expectSerial?: string;
  readonly json?: boolean;
}

const OPS = new Set(['replace', 'delete', 'add', 'remove']);

/**
 * FILE holds a JSON array of changes, or `{"changes": [...], "expectedSerial": N}`;
 * each change is `{"op": "replace"|"delete"|"add"|"remove", "name", "type", "ttl"?, "records"?}`.
 * "-" reads standard input. --expect-serial wins over the file's expectedSerial.
 */
export async function recordApply(zoneArg: string, file: string, options: RecordApplyOptions, io: CliIo): Promise<number> {
  const zone = nameToText(parseZoneNameArgument(zoneArg));
  const batch = readBatch(file, io);
  const expected = options.expectSerial === undefined ? batch.expectedSerial : parseSerialArgument(options.expectSerial);
  const input = { zone, changes: batch.changes, ...(expected === undefined ? {} : { expectedSerial: expected }) };
  const r = await withApiClient(options, io, (api) => api.call('applyChanges', input));
  writeChangeResult(r, `applied ${batch.changes.length} change${batch.changes.length === 1 ? '' : 's'}`, io, options.json);
  return ExitCode.OK;
}

function readBatch(file: string, io: CliIo): { changes: RRsetChange[]; expectedSerial: number | undefined } {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : resolve(io.cwd, file), 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') throw new CliError('NOT_FOUND', `batch file "${file}" not found`);
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError('INVALID', `batch file "${file}" is not JSON: ${(err as Error).message}`);
  }
  const body = Array.isArray(parsed) ? { changes: parsed } : (parsed as { changes?: unknown; expectedSerial?: unknown } | null);
  if (body === null || typeof body !== 'object' || !Array.isArray(body.changes)) {
    throw new CliError('INVALID', `batch file "${file}" must hold an array of changes or {"changes": [...]}`);
  }
  body.changes.forEach((c: unknown, i: number) => {
    const op = (c as { op?: unknown } | null)?.op;
    if (typeof op !== 'string' || !OPS.has(op)) {
      throw new CliError('INVALID', `batch file "${file}": changes[${i}].op must be one of replace, delete, add, remove`);
    }
  });
  const serial = body.expectedSerial;
  if (serial !== undefined && (typeof serial !== 'number' || !Number.isInteger(serial))) {
    throw new CliError('INVALID', `batch file "${file}": expectedSerial must be a whole number`);
  }
  return { changes: body.changes as RRsetChange[], expectedSerial: serial as number | undefined };
}
