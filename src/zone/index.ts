// Public face of the zone layer: immutable zone snapshots, their builder and
// validator, and the table of current zones. Pure: no I/O, no clock.
export * from './types.js';
export * from './build-zone-snapshot.js';
export * from './validate-zone.js';
export * from './zone-table.js';
export * from './patch-zone-snapshot.js';
export * from './zone-error.js';
export { SnapshotNode } from './zone-node.js';
export { ZoneSnapshotBuilder } from './zone-snapshot-builder.js';
