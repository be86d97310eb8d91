import type { NodeKind, RelationKind } from '../model/graph-model';
import type { EpochMs, GraphNode, GraphRelationship } from '../model/graph-types';
import { compareIds, isValidAt } from '../model/graph-types';
import { intervalKeyString } from '../facts/batch-application';

/**
 * An in-memory slice of the graph that a store fetched in a bounded number of queries: the
 * nodes and relationships (all of their intervals) around some roots. The lineage rules read
 * it as of any time, so one fetch answers several questions.
 */
export class LineageGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly incoming = new Map<string, GraphRelationship[]>();
  private readonly outgoing = new Map<string, GraphRelationship[]>();

  constructor(nodes: Iterable<GraphNode>, relationships: Iterable<GraphRelationship>) {
    for (const node of nodes) this.nodes.set(node.id, node);
    const seen = new Set<string>();
    for (const rel of relationships) {
      const key = intervalKeyString(rel);
      if (seen.has(key)) continue;
      seen.add(key);
      push(this.incoming, rel.to, rel);
      push(this.outgoing, rel.from, rel);
    }
    // Sorted once here, so that each question as of a time only filters.
    for (const list of this.incoming.values()) list.sort(oldestFirst);
    for (const list of this.outgoing.values()) list.sort(oldestFirst);
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }

  allNodes(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }

  /** Relationships of `type` into `id` that hold at `asOf`, oldest first (a stable order). */
  into(id: string, type: RelationKind, asOf: EpochMs): GraphRelationship[] {
    return select(this.incoming.get(id), type, asOf);
  }

  /** Relationships of `type` out of `id` that hold at `asOf`, oldest first. */
  outOf(id: string, type: RelationKind, asOf: EpochMs): GraphRelationship[] {
    return select(this.outgoing.get(id), type, asOf);
  }

  isKind(id: string, ...kinds: NodeKind[]): boolean {
    const node = this.nodes.get(id);
    return node !== undefined && kinds.includes(node.kind);
  }
}

function push(map: Map<string, GraphRelationship[]>, key: string, rel: GraphRelationship): void {
  const list = map.get(key);
  if (list) list.push(rel);
  else map.set(key, [rel]);
}

/**
 * Oldest first, then by the ends' ids: a stable order for the rules to read, whatever order the
 * store returned the rows in. In a node's incoming list `from` is the far end, in its outgoing
 * list `to` is (its `from` is the node itself, so without `to` a tie kept the rows' order).
 */
function oldestFirst(a: GraphRelationship, b: GraphRelationship): number {
  return a.validFrom - b.validFrom || compareIds(a.from, b.from) || compareIds(a.to, b.to);
}

function select(list: readonly GraphRelationship[] | undefined, type: RelationKind, asOf: EpochMs): GraphRelationship[] {
  if (!list) return [];
  return list.filter((rel) => rel.type === type && isValidAt(rel, asOf));
}
