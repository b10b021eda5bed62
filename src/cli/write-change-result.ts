// How a change prints: the serial before and after, or the API's JSON.
import type { ChangeResult } from '../service/index.js';
import type { CliIo } from './cli-io.js';

/** Prints "<what>: zone Z serial A -> B", or with --json the result object as the API returned it. */
export function writeChangeResult(result: ChangeResult, what: string, io: CliIo, json: boolean | undefined): void {
  if (json === true) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  io.stdout.write(`${what}: zone ${result.zone} serial ${result.serialBefore} -> ${result.serialAfter}\n`);
}
