// A new snapshot from the previous one and the RRsets a change touched (ADR 0002
// decision 5): the touched nodes are replaced and empty non-terminals made or
// dropped around them, in an overlay over the previous node index (folded into a
// fresh index now and then, see OverlayNodeIndex), so a change costs about the
// size of the change, not a rebuild or a copy of the zone.
import { RRType, nameIsWildcard, nameParent, type Name } from '../wire/index.js';
import { NodeIndex } from './node-index.js';
import { OverlayNodeIndex } from './overlay-node-index.js';
import { PackedNodeIndex } from './packed-node-index.js';
import { SnapshotNode } from './zone-node.js';
import { NodeFlag, type RRset, type ZoneNode, type ZoneSnapshot } from './types.js';

/** A node of a snapshot's index: made from the packed tables, or by a patch. */
type IndexedNode = ZoneNode;

/** The new content of one RRset: `rrset` null removes it. */
export interface RRsetPatch {
  /** Owner, lowercased (the snapshot's key). */
  readonly owner: Name;
  readonly type: number;
  readonly rrset: RRset | null;
}

/**
 * How many child nodes each node with children has, per snapshot. Computed once
 * from a snapshot's names (a node index cannot list the children of a name) and
 * handed on to the snapshot that patches it, so removing a name's last RRset can
 * tell an empty non-terminal (it keeps descendants) from a name that goes.
 */
const CHILD_COUNTS = new WeakMap<ZoneSnapshot, Map<Name, number>>();

/** Flags a node keeps whatever its own RRsets become. */
const POSITION_FLAGS = NodeFlag.WILDCARD | NodeFlag.HAS_WILDCARD_CHILD | NodeFlag.OCCLUDED;

/**
 * The snapshot of `old` with `patches` applied, at `serial`, or null when patching
 * cannot keep the node flags right and the caller must rebuild with
 * buildZoneSnapshot: an NS RRset below the apex (a zone cut, RFC 1034 4.2.1) or a
 * DNAME (RFC 6672) changes, whose OCCLUDED flags reach every descendant. The
 * result equals what buildZoneSnapshot makes of the same records; `old` is not
 * changed. Patches of one owner and type: the last one wins. An apex SOA patch
 * becomes the snapshot's `soa` (it must not be removed).
 */
export function patchZoneSnapshot(old: ZoneSnapshot, patches: readonly RRsetPatch[], serial: number): ZoneSnapshot | null {
  const edits = NodeEdits.over(old.nodes);
  if (edits === null) return null;
  const origin = old.origin;
  const byOwner = new Map<Name, Map<number, RRset | null>>();
  for (const patch of patches) {
    if (patch.type === RRType.DNAME || (patch.type === RRType.NS && patch.owner !== origin)) return null;
    if (patch.owner === origin && patch.type === RRType.SOA && patch.rrset === null) return null;
    let types = byOwner.get(patch.owner);
    if (types === undefined) byOwner.set(patch.owner, (types = new Map()));
    types.set(patch.type, patch.rrset);
  }
  // A cut or DNAME already present keeps occluding; nodes added below one are marked.
  const nodes = edits;
  const children = takeChildCounts(old);
  const apexDname = (nodes.get(origin)?.flags ?? 0) & NodeFlag.DNAME;
  let recordCount = old.recordCount;
  let soa = old.soa;

  for (const [owner, types] of byOwner) {
    const before = nodes.get(owner);
    const sets: RRset[] = [];
    before?.rrsets.forEach((set) => {
      if (types.has(set.type)) recordCount -= set.rdatas.length;
      else sets.push(set);
    });
    for (const [type, set] of types) {
      if (set === null) continue;
      sets.push(set);
      recordCount += set.rdatas.length;
      if (owner === origin && type === RRType.SOA) soa = set;
    }
    if (sets.length === 0) {
      if (before === undefined || (before.flags & NodeFlag.EMPTY) !== 0) continue;
      if ((children.get(owner) ?? 0) > 0) {
        nodes.set(owner, new SnapshotNode(before.name, (before.flags & POSITION_FLAGS) | NodeFlag.EMPTY), true);
      } else {
        removeNode(nodes, children, owner, origin);
      }
      continue;
    }
    sets.sort((a, b) => a.type - b.type);
    const hadData = before !== undefined && (before.flags & NodeFlag.EMPTY) === 0;
    // RFC 4343: case is kept as first given; a node that only existed as an empty non-terminal takes its new data's.
    const name = hadData ? before.name : sets[0]!.name;
    let flags = before === undefined ? positionOf(nodes, children, owner, name, origin, apexDname !== 0) : before.flags & POSITION_FLAGS;
    for (const set of sets) flags |= ownFlag(set.type, owner === origin);
    const node = new SnapshotNode(name, flags, sets[0]);
    for (let i = 1; i < sets.length; i++) node.insert(sets[i]!);
    nodes.set(owner, node, before !== undefined);
  }

  const snapshot: ZoneSnapshot = Object.freeze({ origin, serial, soa, nodes: nodes.finish(origin), recordCount });
  CHILD_COUNTS.set(snapshot, children);
  return snapshot;
}

/**
 * The node index being patched: changes collect in a delta over the previous
 * snapshot's base index, never in that index itself (the old snapshot is still
 * served until the swap).
 */
class NodeEdits {
  readonly #base: NodeIndex<IndexedNode> | PackedNodeIndex;
  readonly #delta: Map<Name, IndexedNode | null>;
  #size: number;

  private constructor(base: NodeIndex<IndexedNode> | PackedNodeIndex, delta: Map<Name, IndexedNode | null>, size: number) {
    this.#base = base;
    this.#delta = delta;
    this.#size = size;
  }

  /** Edits over a snapshot's index, or null for an index this module did not make. */
  static over(nodes: ReadonlyMap<Name, ZoneNode>): NodeEdits | null {
    if (nodes instanceof NodeIndex) return new NodeEdits(nodes as NodeIndex<IndexedNode>, new Map(), nodes.size);
    if (nodes instanceof PackedNodeIndex) return new NodeEdits(nodes, new Map(), nodes.size);
    if (nodes instanceof OverlayNodeIndex) {
      const overlay = nodes as OverlayNodeIndex<IndexedNode>;
      const base = overlay.base;
      if (!(base instanceof NodeIndex) && !(base instanceof PackedNodeIndex)) return null;
      return new NodeEdits(base as NodeIndex<IndexedNode> | PackedNodeIndex, new Map(overlay.delta), overlay.size);
    }
    return null;
  }

  get(key: Name): IndexedNode | undefined {
    const changed = this.#delta.get(key);
    if (changed !== undefined) return changed === null ? undefined : changed;
    return this.#base.get(key);
  }

  has(key: Name): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets the node of `key`; `exists` says whether it has one now, when the caller knows (saves a lookup). */
  set(key: Name, node: SnapshotNode, exists = this.has(key)): void {
    if (!exists) this.#size++;
    this.#delta.set(key, node);
  }

  delete(key: Name): void {
    if (!this.has(key)) return;
    this.#size--;
    if (this.#base.has(key)) this.#delta.set(key, null);
    else this.#delta.delete(key);
  }

  /**
   * The finished index: an overlay while the delta is small, else a fresh
   * NodeIndex with the delta folded in. Folding costs a copy of the index, so it
   * happens once the delta passes sqrt(2n) names: the delta copied per patch and
   * the fold's cost spread over the patches between folds then weigh about the same.
   * A packed index folds into its overrides (a copy of those only: the packed
   * tables are shared), so folding costs the number of names changed since the build.
   */
  finish(origin: Name): ReadonlyMap<Name, IndexedNode> {
    const delta = this.#delta;
    const base = this.#base;
    if (delta.size === 0) return base;
    if (delta.size <= Math.max(64, Math.sqrt(2 * base.size))) return new OverlayNodeIndex(base, delta, this.#size);
    if (base instanceof PackedNodeIndex) {
      const overrides = base.overrides?.clone() ?? new NodeIndex<ZoneNode | null>();
      for (const [key, node] of delta) {
        if (node !== null) overrides.set(key, node);
        else if (base.hasPacked(key)) overrides.set(key, null);
        else overrides.delete(key);
      }
      return new PackedNodeIndex(base.packed, origin, overrides, this.#size);
    }
    const folded = base.clone();
    for (const [key, node] of delta) {
      if (node === null) folded.delete(key);
      else folded.set(key, node);
    }
    return folded;
  }
}

/** The flag a node owning `type` gets from that RRset alone (as buildZoneSnapshot sets them). */
function ownFlag(type: number, isApex: boolean): number {
  switch (type) {
    case RRType.CNAME: return NodeFlag.CNAME;
    case RRType.DNAME: return NodeFlag.DNAME;
    case RRType.NS: return isApex ? 0 : NodeFlag.DELEGATION;
    default: return 0;
  }
}

/**
 * Makes room for a new node `owner`: creates the empty non-terminals between it
 * and the apex that do not exist (RFC 4592 2.2.2), counts it as its parent's
 * child, marks wildcards and their parents (RFC 4592 2.1.1), and returns the
 * position flags of the new node (WILDCARD, OCCLUDED).
 */
function positionOf(
  nodes: NodeEdits, children: Map<Name, number>, owner: Name, name: Name, origin: Name, apexDname: boolean,
): number {
  // Walk up to the first existing ancestor, remembering the missing ones.
  const missing: Name[] = [];
  let parent = nameParent(owner)!;
  children.set(parent, (children.get(parent) ?? 0) + 1);
  while (!nodes.has(parent)) {
    missing.push(parent);
    parent = nameParent(parent)!;
    children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  // Occlusion is inherited from the nearest existing ancestor: below a cut or a
  // DNAME (RFC 1034 4.2.1, RFC 6672 2.3), or under a DNAME at the apex.
  const anchor = nodes.get(parent)!;
  const occluded = parent === origin
    ? apexDname
    : (anchor.flags & (NodeFlag.OCCLUDED | NodeFlag.DELEGATION | NodeFlag.DNAME)) !== 0;
  const occludedFlag = occluded ? NodeFlag.OCCLUDED : 0;
  // Empty non-terminals keep the case of the name that made them, as the builder does.
  for (let i = missing.length - 1; i >= 0; i--) {
    const lower = missing[i]!;
    let flags: number = NodeFlag.EMPTY | occludedFlag;
    if (nameIsWildcard(lower)) {
      flags |= NodeFlag.WILDCARD;
      markWildcardParent(nodes, nameParent(lower)!);
    }
    nodes.set(lower, new SnapshotNode(name.slice(name.length - lower.length) as Name, flags), false);
  }
  let flags = occludedFlag;
  if (nameIsWildcard(owner)) {
    flags |= NodeFlag.WILDCARD;
    markWildcardParent(nodes, nameParent(owner)!);
  }
  return flags;
}

/** Gives the node at `lower` the HAS_WILDCARD_CHILD flag (a new node object: the old one is shared with the old snapshot). */
function markWildcardParent(nodes: NodeEdits, lower: Name): void {
  const node = nodes.get(lower)!;
  if ((node.flags & NodeFlag.HAS_WILDCARD_CHILD) === 0) nodes.set(lower, withFlags(node, node.flags | NodeFlag.HAS_WILDCARD_CHILD));
}

/**
 * Removes the node `owner` (which has no children), then each empty non-terminal
 * above it that is left without children, up to the apex.
 */
function removeNode(nodes: NodeEdits, children: Map<Name, number>, owner: Name, origin: Name): void {
  let lower = owner;
  for (;;) {
    const parent = nameParent(lower)!;
    nodes.delete(lower);
    if (nameIsWildcard(lower)) {
      const p = nodes.get(parent)!;
      nodes.set(parent, withFlags(p, p.flags & ~NodeFlag.HAS_WILDCARD_CHILD));
    }
    const left = (children.get(parent) ?? 1) - 1;
    if (left > 0) {
      children.set(parent, left);
      return;
    }
    children.delete(parent);
    const node = nodes.get(parent)!;
    if (parent === origin || (node.flags & NodeFlag.EMPTY) === 0) return;
    lower = parent;
  }
}

/** A copy of `node` with other flags and the same RRsets. */
function withFlags(node: ZoneNode, flags: number): SnapshotNode {
  let copy: SnapshotNode | null = null;
  node.rrsets.forEach((set) => {
    if (copy === null) copy = new SnapshotNode(node.name, flags, set);
    else copy.insert(set);
  });
  return copy ?? new SnapshotNode(node.name, flags);
}

/** The child counts of `old`, taken from the cache (the patched snapshot inherits them) or counted once. */
function takeChildCounts(old: ZoneSnapshot): Map<Name, number> {
  const cached = CHILD_COUNTS.get(old);
  if (cached !== undefined) {
    // Handed on, not shared: a second patch of `old` counts again.
    CHILD_COUNTS.delete(old);
    return cached;
  }
  const counts = new Map<Name, number>();
  for (const lower of old.nodes.keys()) {
    if (lower === old.origin) continue;
    const parent = nameParent(lower)!;
    counts.set(parent, (counts.get(parent) ?? 0) + 1);
  }
  return counts;
}
