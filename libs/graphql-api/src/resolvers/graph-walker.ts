import { Inject, Injectable } from '@nestjs/common';
import type { GraphStore, Neighbour, RelationKind } from '@lineage/domain';
import { GRAPH_STORE } from '@lineage/domain';
import type { ConnectionShape } from '../models/connection.model';
import { toConnection } from '../models/connection.model';
import type { NodeView } from '../models/node.model';
import { toNodeView } from '../models/node.model';
import type { PageArgs } from '../args/query.args';

/** Lists a field returns whole (an NHI's owners, a credential's stores) stop at this many. */
export const MAX_LIST_ITEMS = 100;

type Direction = 'out' | 'in';

/**
 * Walks one relationship from a node view, as of the view's own time, through the store's
 * `neighbours`: the graph-walking fields of every node type go through here.
 */
@Injectable()
export class GraphWalker {
  constructor(@Inject(GRAPH_STORE) private readonly store: GraphStore) {}

  /** A page of neighbours, as a connection (neighbours are ordered by id). */
  async connection<T extends NodeView = NodeView>(
    from: NodeView,
    type: RelationKind,
    direction: Direction,
    page: PageArgs,
  ): Promise<ConnectionShape<T>> {
    const result = await this.neighbours(from, type, direction, page.first, page.after ?? null);
    return toConnection(result, (n) => toNodeView(n.node, from.asOf) as T);
  }

  /** A connection over the relationships themselves (a role's grants carry a level). */
  async relationships<T>(
    from: NodeView,
    type: RelationKind,
    direction: Direction,
    page: PageArgs,
    view: (n: Neighbour) => T,
  ): Promise<ConnectionShape<T>> {
    const result = await this.neighbours(from, type, direction, page.first, page.after ?? null);
    return toConnection(result, view);
  }

  async list<T extends NodeView = NodeView>(from: NodeView, type: RelationKind, direction: Direction): Promise<T[]> {
    const result = await this.neighbours(from, type, direction, MAX_LIST_ITEMS, null);
    return result.items.map((n) => toNodeView(n.node, from.asOf) as T);
  }

  /** The first neighbour by id, for relations that hold one at a time (a manager, a creator). */
  async one<T extends NodeView = NodeView>(
    from: NodeView,
    type: RelationKind,
    direction: Direction,
  ): Promise<T | null> {
    const result = await this.neighbours(from, type, direction, 1, null);
    const first = result.items[0];
    return first ? (toNodeView(first.node, from.asOf) as T) : null;
  }

  private neighbours(from: NodeView, type: RelationKind, direction: Direction, first: number, after: string | null) {
    return this.store.neighbours({ id: from.id, type, direction, asOf: from.asOf, page: { first, after } });
  }
}
