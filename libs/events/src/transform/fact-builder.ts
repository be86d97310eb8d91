import type { AttributeValue, Confidence, EpochMs, GraphFact, NodeKind, RelationKind } from '@lineage/domain';

/** What every fact of one event carries: the event time, the event id as evidence, its source. */
export interface FactStamp {
  readonly time: EpochMs;
  readonly evidence: string;
  readonly source: string;
}

type AttributeInput = Readonly<Record<string, AttributeValue | undefined>>;

/**
 * Collects the facts of one event in order, stamping each with the event's time, id and source,
 * and remembers every id the facts name (the event's `entityIds`, in order of first mention).
 * Attributes given as `undefined` (an optional field the event left out) are dropped, so a fact
 * lists only what the event said.
 */
export class FactBuilder {
  private readonly list: GraphFact[] = [];
  private readonly ids = new Set<string>();

  constructor(readonly stamp: FactStamp) {}

  /** The event describes this node: it is defined (not a placeholder) from now on. */
  define(kind: NodeKind, id: string, name: string | undefined, attributes: AttributeInput = {}): this {
    return this.node(kind, id, true, name, attributes);
  }

  /** The event changes attributes of a node it does not describe in full. */
  update(kind: NodeKind, id: string, attributes: AttributeInput): this {
    return this.node(kind, id, false, undefined, attributes);
  }

  /** The event refers to a node that may not exist yet: a placeholder, unless it already does. */
  reference(kind: NodeKind, id: string): this {
    return this.node(kind, id, false, undefined, {});
  }

  retire(kind: NodeKind, id: string): this {
    this.mention(id);
    this.list.push({ op: 'retire', kind, id, ...this.stamp });
    return this;
  }

  relate(type: RelationKind, from: string, to: string, confidence: Confidence, attributes?: AttributeInput): this {
    this.mention(from, to);
    // No attributes rather than empty ones: a confirmation without attributes keeps the interval's.
    const defined = compact(attributes ?? {});
    this.list.push({
      op: 'relate',
      type,
      from,
      to,
      confidence,
      ...(Object.keys(defined).length === 0 ? {} : { attributes: defined }),
      ...this.stamp,
    });
    return this;
  }

  unrelate(type: RelationKind, from: string, to: string): this {
    this.mention(from, to);
    this.list.push({ op: 'unrelate', type, from, to, ...this.stamp });
    return this;
  }

  /** `anchorId` has, on its `anchor` side, only the `type` relationships to `keep` from now on. */
  unrelateOthers(type: RelationKind, anchor: 'from' | 'to', anchorId: string, keep: readonly string[]): this {
    this.mention(anchorId, ...keep);
    this.list.push({ op: 'unrelate-others', type, anchor, anchorId, keep, ...this.stamp });
    return this;
  }

  inherit(fromId: string, toId: string, types: readonly RelationKind[]): this {
    this.mention(fromId, toId);
    this.list.push({ op: 'inherit', fromId, toId, types, ...this.stamp });
    return this;
  }

  /** An id the event names without a fact about it (an actor that is not a person). */
  mention(...ids: readonly string[]): this {
    for (const id of ids) this.ids.add(id);
    return this;
  }

  get facts(): readonly GraphFact[] {
    return this.list;
  }

  get entityIds(): readonly string[] {
    return [...this.ids];
  }

  private node(
    kind: NodeKind,
    id: string,
    defines: boolean,
    name: string | undefined,
    attributes: AttributeInput,
  ): this {
    this.mention(id);
    const defined = compact(attributes);
    this.list.push({
      op: 'node',
      id,
      kind,
      defines,
      ...(name === undefined ? {} : { name }),
      ...(Object.keys(defined).length === 0 ? {} : { attributes: defined }),
      ...this.stamp,
    });
    return this;
  }
}

function compact(attributes: AttributeInput): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) result[key] = value;
  return result;
}
