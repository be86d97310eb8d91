import type {
  AttributeValue,
  Confidence,
  EpochMs,
  GraphFact,
  NodeFact,
  NodeKind,
  RelateFact,
  RelationKind,
} from '@lineage/domain';

/** What every fact of one event carries: the event time, the event id as evidence, its source. */
export interface FactStamp {
  readonly time: EpochMs;
  readonly evidence: string;
  readonly source: string;
}

type AttributeInput = Readonly<Record<string, AttributeValue | undefined>>;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Collects the facts of one event in order, stamping each with the event's time, id and source,
 * and remembers every id the facts name (the event's `entityIds`, in order of first mention).
 * Attributes given as `undefined` (an optional field the event left out) are dropped, so a fact
 * lists only what the event said. Facts are built field by field, without object spreads: this
 * runs for every event ingested.
 */
export class FactBuilder {
  private readonly list: GraphFact[] = [];
  private readonly ids = new Set<string>();
  private readonly time: EpochMs;
  private readonly evidence: string;
  private readonly source: string;

  constructor(readonly stamp: FactStamp) {
    this.time = stamp.time;
    this.evidence = stamp.evidence;
    this.source = stamp.source;
  }

  /** The event describes this node: it is defined (not a placeholder) from now on. */
  define(kind: NodeKind, id: string, name: string | undefined, attributes?: AttributeInput): this {
    return this.node(kind, id, true, name, attributes);
  }

  /** The event changes attributes of a node it does not describe in full. */
  update(kind: NodeKind, id: string, attributes: AttributeInput): this {
    return this.node(kind, id, false, undefined, attributes);
  }

  /** The event refers to a node that may not exist yet: a placeholder, unless it already does. */
  reference(kind: NodeKind, id: string): this {
    return this.node(kind, id, false, undefined, undefined);
  }

  retire(kind: NodeKind, id: string): this {
    this.ids.add(id);
    this.list.push({ op: 'retire', kind, id, time: this.time, evidence: this.evidence, source: this.source });
    return this;
  }

  relate(type: RelationKind, from: string, to: string, confidence: Confidence, attributes?: AttributeInput): this {
    this.ids.add(from).add(to);
    const fact: Writable<RelateFact> = {
      op: 'relate',
      type,
      from,
      to,
      confidence,
      time: this.time,
      evidence: this.evidence,
      source: this.source,
    };
    // No attributes rather than empty ones: a confirmation without attributes keeps the interval's.
    const defined = compact(attributes);
    if (defined) fact.attributes = defined;
    this.list.push(fact);
    return this;
  }

  unrelate(type: RelationKind, from: string, to: string): this {
    this.ids.add(from).add(to);
    this.list.push({ op: 'unrelate', type, from, to, time: this.time, evidence: this.evidence, source: this.source });
    return this;
  }

  /** `anchorId` has, on its `anchor` side, only the `type` relationships to `keep` from now on. */
  unrelateOthers(type: RelationKind, anchor: 'from' | 'to', anchorId: string, keep: readonly string[]): this {
    this.mention(anchorId, ...keep);
    this.list.push({
      op: 'unrelate-others',
      type,
      anchor,
      anchorId,
      keep,
      time: this.time,
      evidence: this.evidence,
      source: this.source,
    });
    return this;
  }

  inherit(fromId: string, toId: string, types: readonly RelationKind[]): this {
    this.ids.add(fromId).add(toId);
    this.list.push({
      op: 'inherit',
      fromId,
      toId,
      types,
      time: this.time,
      evidence: this.evidence,
      source: this.source,
    });
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
    attributes: AttributeInput | undefined,
  ): this {
    this.ids.add(id);
    const fact: Writable<NodeFact> = {
      op: 'node',
      id,
      kind,
      defines,
      time: this.time,
      evidence: this.evidence,
      source: this.source,
    };
    if (name !== undefined) fact.name = name;
    const defined = compact(attributes);
    if (defined) fact.attributes = defined;
    this.list.push(fact);
    return this;
  }
}

/** The attributes that have a value, or undefined when none has. */
function compact(attributes: AttributeInput | undefined): Record<string, AttributeValue> | undefined {
  if (attributes === undefined) return undefined;
  let result: Record<string, AttributeValue> | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) (result ??= {})[key] = value;
  }
  return result;
}
