import type { RelationKind } from '../model/graph-model';
import { RELATION_KINDS, inferKind } from '../model/graph-model';
import type { EpochMs, GraphRelationship } from '../model/graph-types';
import { isValidAt } from '../model/graph-types';
import type { GraphFact, RelateFact } from './graph-fact';
import type { IntervalChange, NodeState } from './fact-merge';
import { applyIntervalChanges, mergeNode, relate, retireNode, unrelate } from './fact-merge';

/**
 * How every store applies a batch of facts, in three steps that keep the adapters to I/O:
 *  1. `stateRequest(facts)` says what to load: nodes, relationship keys, and the relationships
 *     of a type at an anchor node (for `unrelate-others` and `inherit`);
 *  2. the adapter loads that state in a few bulk reads, inside its write transaction;
 *  3. `applyFacts(state, facts)` applies the facts in memory with the merge rules and returns
 *     only what changed, which the adapter writes back in bulk.
 * Facts of many events coalesce: a node touched by a thousand events is written once.
 */

export interface RelKey {
  readonly type: RelationKind;
  readonly from: string;
  readonly to: string;
}

export function relKeyString(key: RelKey): string {
  return `${key.type}\u0000${key.from}\u0000${key.to}`;
}

/** One interval of a relationship: its key and where it starts. Reads that meet an interval twice keep it once by this. */
export function intervalKeyString(interval: RelKey & { readonly validFrom: EpochMs }): string {
  return `${relKeyString(interval)}\u0000${interval.validFrom}`;
}

/** All relationships of `type` whose `side` end is `id`. */
export interface AnchorRequest {
  readonly type: RelationKind;
  readonly side: 'from' | 'to';
  readonly id: string;
}

export interface StateRequest {
  readonly nodeIds: ReadonlySet<string>;
  readonly relKeys: ReadonlyMap<string, RelKey>;
  readonly anchors: readonly AnchorRequest[];
}

export interface LoadedState {
  readonly nodes: ReadonlyMap<string, NodeState>;
  /** Every interval of every relationship key the request named or an anchor reached. */
  readonly relationships: readonly GraphRelationship[];
}

export interface RelationshipWrite {
  readonly key: RelKey;
  /** The key's full interval list after the batch; the adapter replaces the stored list with it. */
  readonly intervals: readonly GraphRelationship[];
}

export interface WriteSet {
  readonly nodes: readonly NodeState[];
  readonly relationships: readonly RelationshipWrite[];
}

const INHERIT_SIDES: Readonly<Partial<Record<RelationKind, 'from' | 'to'>>> = {
  AUTHENTICATES: 'from',
  STORED_IN: 'from',
  USES: 'to',
};

/** Which end of `type` a credential (or any inherited node) stands on. */
export function inheritSide(type: RelationKind): 'from' | 'to' {
  return INHERIT_SIDES[type] ?? 'from';
}

export function stateRequest(facts: readonly GraphFact[]): StateRequest {
  const nodeIds = new Set<string>();
  const relKeys = new Map<string, RelKey>();
  const anchors = new Map<string, AnchorRequest>();
  const addAnchor = (anchor: AnchorRequest): void => {
    anchors.set(`${anchor.type}|${anchor.side}|${anchor.id}`, anchor);
  };
  for (const fact of facts) {
    switch (fact.op) {
      case 'node':
      case 'retire':
        nodeIds.add(fact.id);
        break;
      case 'relate':
      case 'unrelate': {
        const key: RelKey = { type: fact.type, from: fact.from, to: fact.to };
        relKeys.set(relKeyString(key), key);
        // Both ends must exist: a relationship to a node nobody described makes a placeholder.
        nodeIds.add(fact.from);
        nodeIds.add(fact.to);
        break;
      }
      case 'unrelate-others':
        addAnchor({ type: fact.type, side: fact.anchor, id: fact.anchorId });
        break;
      case 'inherit':
        // The successor gets the predecessor's relationships: it must exist, as a placeholder at least.
        nodeIds.add(fact.toId);
        for (const type of fact.types) {
          addAnchor({ type, side: inheritSide(type), id: fact.fromId });
          addAnchor({ type, side: inheritSide(type), id: fact.toId });
        }
        break;
    }
  }
  return { nodeIds, relKeys, anchors: [...anchors.values()] };
}

/** The relationship keys at each anchor (type, side, id) that a batch's anchored facts look up. */
class AnchorIndex {
  /** Per type, its `from` and `to` sides' keys by anchor id; only the sides a fact looks up. */
  private readonly byType = new Map<RelationKind, [Map<string, Set<string>> | null, Map<string, Set<string>> | null]>();

  /** Indexes the sides that `unrelate-others` and `inherit` facts look up, and no others. */
  constructor(facts: readonly GraphFact[]) {
    for (const fact of facts) {
      if (fact.op === 'unrelate-others') this.watch(fact.type, fact.anchor);
      else if (fact.op === 'inherit') for (const type of fact.types) this.watch(type, inheritSide(type));
    }
  }

  add(key: RelKey, keyString: string): void {
    const sides = this.byType.get(key.type);
    if (!sides) return;
    if (sides[0]) addTo(sides[0], key.from, keyString);
    if (sides[1]) addTo(sides[1], key.to, keyString);
  }

  /** The keys of `type` whose `side` end is `id`, as a list the caller may change keys under. */
  keysAt(type: RelationKind, side: 'from' | 'to', id: string): string[] {
    const keys = this.byType.get(type)?.[side === 'from' ? 0 : 1]?.get(id);
    return keys ? [...keys] : [];
  }

  private watch(type: RelationKind, side: 'from' | 'to'): void {
    let sides = this.byType.get(type);
    if (!sides) this.byType.set(type, (sides = [null, null]));
    sides[side === 'from' ? 0 : 1] ??= new Map();
  }
}

function addTo(index: Map<string, Set<string>>, id: string, keyString: string): void {
  const keys = index.get(id);
  if (keys) keys.add(keyString);
  else index.set(id, new Set([keyString]));
}

export function applyFacts(state: LoadedState, facts: readonly GraphFact[]): WriteSet {
  const nodes = new Map(state.nodes);
  const dirtyNodes = new Set<string>();
  const intervals = new Map<string, GraphRelationship[]>();
  const keys = new Map<string, RelKey>();
  const anchors = new AnchorIndex(facts);
  const dirtyRels = new Set<string>();

  const index = (key: RelKey, keyString: string): void => {
    keys.set(keyString, key);
    anchors.add(key, keyString);
  };
  for (const rel of state.relationships) {
    const key: RelKey = { type: rel.type, from: rel.from, to: rel.to };
    const keyString = relKeyString(key);
    const list = intervals.get(keyString);
    if (list) list.push(rel);
    else {
      intervals.set(keyString, [rel]);
      index(key, keyString);
    }
  }
  for (const list of intervals.values()) list.sort((a, b) => a.validFrom - b.validFrom);

  /** Applies interval changes to one key; true when something changed. */
  const change = (key: RelKey, apply: (current: readonly GraphRelationship[]) => IntervalChange[]): boolean => {
    const keyString = relKeyString(key);
    const current = intervals.get(keyString) ?? [];
    const changes = apply(current);
    if (changes.length === 0) return false;
    if (!keys.has(keyString)) index(key, keyString);
    intervals.set(keyString, applyIntervalChanges(current, changes));
    dirtyRels.add(keyString);
    return true;
  };

  /** `stored` names an end known to exist: the other end of a relationship the store holds. */
  const ensureEnds = (rel: RelationshipEnds, stored?: string): void => {
    for (const placeholder of placeholderEnds(rel, (id) => id === stored || nodes.has(id))) {
      nodes.set(placeholder.id, placeholder);
      dirtyNodes.add(placeholder.id);
    }
  };

  for (const fact of facts) {
    switch (fact.op) {
      case 'node':
        nodes.set(fact.id, mergeNode(nodes.get(fact.id), fact));
        dirtyNodes.add(fact.id);
        break;
      case 'retire':
        nodes.set(fact.id, retireNode(nodes.get(fact.id), fact));
        dirtyNodes.add(fact.id);
        break;
      case 'relate':
        ensureEnds(fact);
        change(fact, (current) => relate(current, fact));
        break;
      case 'unrelate':
        if (change(fact, (current) => unrelate(current, fact))) ensureEnds(fact);
        break;
      case 'unrelate-others': {
        const keep = new Set(fact.keep);
        for (const keyString of anchors.keysAt(fact.type, fact.anchor, fact.anchorId)) {
          const key = keys.get(keyString)!;
          const other = fact.anchor === 'from' ? key.to : key.from;
          if (keep.has(other)) continue;
          change(key, (current) => (current.some((i) => isValidAt(i, fact.time)) ? unrelate(current, { ...key, time: fact.time, evidence: fact.evidence, source: fact.source }) : []));
        }
        break;
      }
      case 'inherit':
        for (const type of fact.types) {
          const side = inheritSide(type);
          for (const keyString of anchors.keysAt(type, side, fact.fromId)) {
            const key = keys.get(keyString)!;
            const held = intervals.get(keyString)!.find((i) => isValidAt(i, fact.time));
            if (!held) continue;
            const inherited: RelKey = side === 'from' ? { type, from: fact.toId, to: key.to } : { type, from: key.from, to: fact.toId };
            const relateFact: RelateFact = { op: 'relate', ...inherited, confidence: held.confidence, attributes: held.attributes, time: fact.time, evidence: fact.evidence, source: fact.source };
            if (change(inherited, (current) => relate(current, relateFact))) ensureEnds(relateFact, side === 'from' ? key.to : key.from);
          }
        }
        break;
    }
  }

  return {
    nodes: [...dirtyNodes].map((id) => nodes.get(id)!),
    relationships: [...dirtyRels].map((keyString) => ({ key: keys.get(keyString)!, intervals: intervals.get(keyString)! })),
  };
}

/** What placing a relationship's ends needs to know about it. */
export interface RelationshipEnds {
  readonly type: RelationKind;
  readonly from: string;
  readonly to: string;
  readonly time: number;
  readonly evidence: string;
  readonly source: string;
}

/**
 * The placeholder nodes a relationship row needs. Every store holds both ends of every row it
 * stores, an early removal's marker included; an end no fact has described is a placeholder of
 * the kind its id and the relationship type imply. The stores rely on it: a relationship key at
 * a node they do not hold has nothing stored, so there is nothing to read.
 */
export function placeholderEnds(rel: RelationshipEnds, exists: (id: string) => boolean): NodeState[] {
  const spec = RELATION_KINDS[rel.type];
  const made: NodeState[] = [];
  for (const [id, allowed] of [
    [rel.from, spec.from],
    [rel.to, spec.to],
  ] as const) {
    if (exists(id) || made.some((node) => node.id === id)) continue;
    made.push(mergeNode(undefined, { op: 'node', id, kind: inferKind(id, allowed, allowed[0]), defines: false, time: rel.time, evidence: rel.evidence, source: rel.source }));
  }
  return made;
}
