// createSnapshot through the management plane: the server copies its database
// with SQLite's online backup API (src/ops, injected as SnapshotTaker), checks
// the copy and prunes old ones; the call answers with the file, and is audited.
import { auditDetail, auditName } from './audit-name.js';
import type { OperationIO } from './operations.js';
import type { ServiceContext } from './service-context.js';
import { ServiceError, type Principal } from './types.js';

/** createSnapshot: a snapshot now; FAILED_PRECONDITION when the server has no snapshot support wired. */
export async function createSnapshot(ctx: ServiceContext, principal: Principal | null): Promise<OperationIO['createSnapshot']['output']> {
  if (ctx.snapshots === undefined) throw new ServiceError('FAILED_PRECONDITION', 'this server takes no snapshots (no backup directory configured)');
  const snapshot = await ctx.snapshots.snapshot();
  ctx.store.appendAudit({
    time: ctx.now().toISOString(), principal: auditName(principal), detail: auditDetail(principal), operation: 'createSnapshot',
    zone: null, serialBefore: null, serialAfter: null,
    summary: `snapshot ${snapshot.path} (${snapshot.bytes} bytes, ${snapshot.problems.length === 0 ? 'integrity ok' : `${snapshot.problems.length} problems`})`,
  });
  return { path: snapshot.path, bytes: snapshot.bytes, problems: [...snapshot.problems], pruned: [...snapshot.pruned] };
}
