import type { Confidence, NodeKind, RelationKind } from '../model/graph-model';
import type { AttributeValue, EpochMs } from '../model/graph-types';

/**
 * Graph facts: what an event says about the graph, as data. A transform turns one validated
 * event into facts; a store applies the facts of many events in one transaction. Every fact
 * carries the event time it is true from and the id of the event that is its evidence.
 */
interface FactBase {
  /** Event time (epoch ms): facts apply by event time, never by arrival time. */
  readonly time: EpochMs;
  /** The id of the event that is this fact's evidence. */
  readonly evidence: string;
  /** The CloudEvents `source` of that event. */
  readonly source: string;
}

/**
 * Create or update a node. `defines` is true for the event that describes the node itself
 * (hr.person.joined for a person); false for a reference from another event, which only makes
 * a placeholder that later events fill in.
 */
export interface NodeFact extends FactBase {
  readonly op: 'node';
  readonly id: string;
  readonly kind: NodeKind;
  readonly defines: boolean;
  readonly name?: string | undefined;
  /** Attributes to set; `undefined` values are ignored, `null` clears. */
  readonly attributes?: Readonly<Record<string, AttributeValue | undefined>>;
}

/** The node stops existing at `time` (deleted). The row stays; its interval closes. */
export interface RetireNodeFact extends FactBase {
  readonly op: 'retire';
  readonly id: string;
  /** The kind the node has, for a removal that arrives before anything else about it. */
  readonly kind: NodeKind;
}

/** The relationship holds at `time` (opens an interval, or confirms an open one). */
export interface RelateFact extends FactBase {
  readonly op: 'relate';
  readonly type: RelationKind;
  readonly from: string;
  readonly to: string;
  readonly confidence: Confidence;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/** The relationship stops holding at `time` (closes the interval that contains it). */
export interface UnrelateFact extends FactBase {
  readonly op: 'unrelate';
  readonly type: RelationKind;
  readonly from: string;
  readonly to: string;
}

/**
 * Close, at `time`, every `type` relationship on the `anchor` side of `anchorId` whose other end
 * is not in `keep`. Single-valued relations (a person's manager, a workload's identity) and
 * redefinitions (a role's grants) use it.
 */
export interface UnrelateOthersFact extends FactBase {
  readonly op: 'unrelate-others';
  readonly type: RelationKind;
  readonly anchor: 'from' | 'to';
  readonly anchorId: string;
  readonly keep: readonly string[];
}

/**
 * From `time` on, `toId` takes over the relationships of `types` that `fromId` has open at that
 * time (a rotated credential's successor authenticates the same NHI, sits in the same stores and
 * is used by the same workloads). The store resolves which relationships those are.
 */
export interface InheritFact extends FactBase {
  readonly op: 'inherit';
  readonly fromId: string;
  readonly toId: string;
  readonly types: readonly RelationKind[];
}

export type GraphFact = NodeFact | RetireNodeFact | RelateFact | UnrelateFact | UnrelateOthersFact | InheritFact;
