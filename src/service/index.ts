// Public face of the service layer: the operations table, the shapes of inputs
// and outputs, the one error type, and createManagementService. Adapters import only this.
export * from './types.js';
export * from './operations.js';
export { createManagementService, type ManagementService, type ManagementServiceDeps } from './create-management-service.js';
export type { CacheEntryReport, ForwarderCache, SnapshotTaker, TokenAdmin } from './service-context.js';
export { createCommitChange, DEFAULT_MAX_BATCH, type CommitChange, type CommitChangeDeps, type CommitStats } from './commit-change.js';
export type { ChangeRequest, ZoneChange, RRsetEdit, CommitOutcome } from './zone-change.js';
export { nextSerial, dateSerial } from './next-serial.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-token.js';
