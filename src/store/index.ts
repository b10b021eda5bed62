// Public face of the store layer: SQLite as the source of truth for zones,
// records and the change journal.
export { Store, openStore, type StoreOptions, type ZoneInfo, type ImportOptions, type ImportResult, type JournalEntry,
  type ZoneHeader, type AuditRow, type AuditQuery } from './store.js';
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
