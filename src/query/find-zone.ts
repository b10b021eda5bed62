// Step 3 of the query path: which of our zones answers the question.
import { RRType, nameParent, type Name } from '../wire/index.js';
import type { ZoneSnapshot, ZoneTable } from '../zone/index.js';

/**
 * The zone with the longest origin at or above `qnameLower`, or null (REFUSED).
 * RFC 4035 3.1.4.1: DS belongs to the parent side of a cut, so a DS query for the
 * apex of one of our zones goes to the zone above it when we serve that one too
 * (BIND does the same).
 */
export function findZone(zones: ZoneTable, qnameLower: Name, qtype: number): ZoneSnapshot | null {
  const zone = zones.find(qnameLower);
  if (zone === null || qtype !== RRType.DS || zone.origin !== qnameLower) return zone;
  const parent = nameParent(qnameLower);
  if (parent === null) return zone;
  return zones.find(parent) ?? zone;
}
