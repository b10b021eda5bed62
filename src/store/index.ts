// Public face of the store layer: SQLite as the source of truth for zones,
// records and the change journal.
export { Store, openStore, type StoreOptions, type ZoneInfo, type ImportOptions, type ImportResult, type JournalEntry,
  type ZoneHeader, type AuditRow, type AuditQuery, type RecordSink,
  type WriteFollower, type StagedCopy } from './store.js';
export { ZoneWriteTransaction, type ZoneRow, type AuditRecord } from './zone-write-transaction.js';
export { StoreError, type StoreErrorCode } from './store-error.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate, type Migration } from './migrations.js';
export { chooseSerial, serialIsGreater, serialNext, type SerialChoice } from './choose-serial.js';
export { encodeChangeset, decodeChangeset, type Changeset } from './changeset.js';
export { storedNameToWire } from './stored-name.js';
export { readZoneFile, importZoneFile } from './import-zone-file.js';
export {
  TokenStore, TOKEN_PREFIX, LAST_USED_RESOLUTION_MS,
  type TokenRole, type TokenInfo, type NewToken, type NewTokenInput, type TokenRefusal, type TokenCheck,
} from './token-store.js';
// Backup, integrity and the change log (used by src/ops).
export { checkDatabase, type CheckDatabaseOptions, type DatabaseCheck } from './check-database.js';
export { backupDatabase, type BackupResult } from './backup-database.js';
export { databaseInUse } from './database-in-use.js';
export { replaceDatabaseContent, type ReplaceResult } from './replace-database-content.js';
export { ChangeCapture, type CapturedChange } from './change-capture.js';
export {
  ChangeLogFile, ChangeLogError, CHANGE_LOG_VERSION, changeLogFiles, capturedChangeLine, committedIn, restoreLine, readChangeLog, syncDirectory,
  type ChangeLogEntry, type ChangeLogMark, type ChangeLogLine, type ChangeLogLimits, type LoggedChange, type LoggedDelete, type LoggedRestore,
} from './change-log-file.js';
export { lastJournalEntries, type LastJournalEntry } from './last-journal-entries.js';
export { replaceDatabaseFile, type ReplacedFile } from './replace-database-file.js';
