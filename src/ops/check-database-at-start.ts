// The check `serve` runs before it opens the database: quick, so a large
// database does not delay every start (PRAGMA quick_check skips the index
// cross-checks of integrity_check; `mcns integrity-check` runs the full set).
import { existsSync } from 'node:fs';
import { checkDatabase } from '../store/index.js';
import { OpsError } from './ops-error.js';

/**
 * Throws CORRUPT with one line naming the database, the first problem and the
 * runbook section when SQLite finds the file damaged. A missing file passes (the
 * store creates it); so does a sound file without mcns tables (the store
 * migrates it).
 */
export function checkDatabaseAtStart(path: string): void {
  if (!existsSync(path)) return;
  const check = checkDatabase(path, { quick: true });
  if (!check.corrupt) return;
  const more = check.problems.length > 1 ? `; and ${check.problems.length - 1} more` : '';
  throw new OpsError('CORRUPT',
    `database ${path} is corrupt (${check.problems[0] ?? 'unreadable'}${more}): see RUNBOOK.md "Database corruption"`);
}
