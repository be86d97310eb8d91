import type { AccessLevel } from '../model/graph-model';
import { levelRank } from '../model/graph-model';
import type { GraphNode } from '../model/graph-types';
import { compareIds } from '../model/graph-types';

/**
 * Blast radius: every resource reachable through a principal's roles and, transitively, the
 * roles it can assume, with the strongest level per resource and the path that grants it.
 * Depth counts role hops (HAS_ROLE or CAN_ASSUME edges) from the principal; GRANTS is the last
 * hop and is not counted. `truncated` says a CAN_ASSUME edge was left unfollowed at the bound.
 */

export const DEFAULT_BLAST_DEPTH = 4;
export const MAX_BLAST_DEPTH = 10;

/** A role the principal reaches, with the ids from the root to the role, inclusive. */
export interface RoleReach {
  readonly roleId: string;
  readonly path: readonly string[];
}

export interface GrantRow {
  readonly roleId: string;
  readonly resourceId: string;
  readonly level: AccessLevel;
  readonly actions: readonly string[];
}

export interface ReachedResource {
  readonly resource: GraphNode;
  readonly level: AccessLevel;
  readonly actions: readonly string[];
  /** Root, principal, roles, resource. */
  readonly path: readonly string[];
}

export interface BlastRadius {
  readonly root: GraphNode;
  readonly resources: readonly ReachedResource[];
  readonly sharedWith: readonly GraphNode[];
  readonly truncated: boolean;
}

/** Strongest level per resource; among equals the shortest path, then the first in order. */
export function strongestReach(
  reaches: readonly RoleReach[],
  grants: readonly GrantRow[],
  resources: ReadonlyMap<string, GraphNode>,
): ReachedResource[] {
  const shortestPathTo = new Map<string, readonly string[]>();
  for (const reach of reaches) {
    const known = shortestPathTo.get(reach.roleId);
    if (!known || reach.path.length < known.length || (reach.path.length === known.length && reach.path.join() < known.join())) {
      shortestPathTo.set(reach.roleId, reach.path);
    }
  }
  const best = new Map<string, ReachedResource>();
  for (const grant of grants) {
    const rolePath = shortestPathTo.get(grant.roleId);
    const resource = resources.get(grant.resourceId);
    if (!rolePath || !resource) continue;
    const known = best.get(grant.resourceId);
    if (known && !outranks(grant, rolePath, known)) continue;
    best.set(grant.resourceId, { resource, level: grant.level, actions: grant.actions, path: [...rolePath, grant.resourceId] });
  }
  // Strongest level first, then by resource id: each level's rank is looked up once, not per comparison.
  return [...best.values()]
    .map((reached) => ({ reached, rank: levelRank(reached.level) }))
    .sort((a, b) => b.rank - a.rank || compareIds(a.reached.resource.id, b.reached.resource.id))
    .map(({ reached }) => reached);
}

/** A grant through `rolePath` beats what is known for its resource: a stronger level, a shorter path, then the first path in order. */
function outranks(grant: GrantRow, rolePath: readonly string[], known: ReachedResource): boolean {
  const rank = levelRank(grant.level) - levelRank(known.level);
  if (rank !== 0) return rank > 0;
  const length = rolePath.length + 1;
  if (length !== known.path.length) return length < known.path.length;
  return [...rolePath, grant.resourceId].join() < known.path.join();
}
