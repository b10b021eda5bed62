// How one zone prints: a line for people, the API's ZoneView for --json.
import type { ZoneView } from '../service/index.js';
import type { CliIo } from './cli-io.js';

/** One zone as a line ("zone example.com. created: primary, serial 1, 3 records, updated ...") or, with --json, the API's ZoneView. */
export function writeZone(z: ZoneView, what: string, io: CliIo, json: boolean | undefined): void {
  if (json === true) {
    io.stdout.write(`${JSON.stringify(z, null, 2)}\n`);
    return;
  }
  io.stdout.write(`zone ${z.name} ${what}: ${z.kind}, serial ${z.serial}, ${z.recordCount} record${z.recordCount === 1 ? '' : 's'}, updated ${z.updatedAt}\n`);
}
