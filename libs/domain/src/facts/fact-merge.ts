import type { NodeKind } from '../model/graph-model';
import type { AttributeValue, EpochMs, GraphNode, GraphRelationship } from '../model/graph-types';
import type { NodeFact, RelateFact, RetireNodeFact } from './graph-fact';

/**
 * Pure merge rules shared by every store adapter. They make application idempotent and
 * independent of arrival order: every property remembers the event time it was written at and
 * only a write at a later time replaces it, so a late event never undoes a newer one.
 */

/** How many evidence ids a node or relationship keeps; the timeline keeps every event. */
export const MAX_EVIDENCE = 20;

/** A node together with the event time each of its properties was last written at. */
export interface NodeState extends GraphNode {
  readonly propertyTimes: Readonly<Record<string, EpochMs>>;
}

const NAME_KEY = '$name';
const KIND_KEY = '$kind';

function newer(time: EpochMs, value: unknown, previousTime: EpochMs | undefined, previous: unknown): boolean {
  if (previousTime === undefined || time > previousTime) return true;
  if (time < previousTime) return false;
  // Same instant: pick deterministically so that arrival order cannot matter.
  return JSON.stringify(value) > JSON.stringify(previous);
}

/**
 * Merges a node fact into a node. The result shares the node's `attributes` and `propertyTimes`
 * objects where the fact changes nothing in them (most facts only say a node was seen again; some
 * say a property's value again, later, which moves its time only), and copies each before its
 * first change: a merge never changes an object it was given, and a writer can tell an unchanged
 * one by identity.
 */
export function mergeNode(existing: NodeState | undefined, fact: NodeFact): NodeState {
  let times: Record<string, EpochMs> = existing ? existing.propertyTimes : {};
  let attributes: Record<string, AttributeValue> = existing ? existing.attributes : {};
  let ownTimes = !existing;
  let ownAttributes = !existing;
  const write = (key: string, time: EpochMs): void => {
    if (!ownTimes) times = { ...times };
    ownTimes = true;
    times[key] = time;
  };
  const written = fact.attributes;
  if (written) {
    for (const key of Object.keys(written)) {
      const value = written[key];
      if (value === undefined) continue;
      if (newer(fact.time, value, times[key], attributes[key])) {
        write(key, fact.time);
        // The same value again, later: only its time moves.
        if (attributes[key] === value && Object.hasOwn(attributes, key)) continue;
        if (!ownAttributes) attributes = { ...attributes };
        ownAttributes = true;
        attributes[key] = value;
      }
    }
  }

  let name = existing?.name ?? null;
  if (fact.name !== undefined && newer(fact.time, fact.name, times[NAME_KEY], name)) {
    name = fact.name;
    write(NAME_KEY, fact.time);
  }

  let kind: NodeKind = existing?.kind ?? fact.kind;
  const wasPlaceholder = existing ? existing.placeholder : true;
  if (fact.defines && (wasPlaceholder || newer(fact.time, fact.kind, times[KIND_KEY], kind))) {
    kind = fact.kind;
    write(KIND_KEY, fact.time);
  }

  const placeholder = wasPlaceholder && !fact.defines;
  let validFrom = existing?.validFrom ?? fact.time;
  let validTo = existing?.validTo ?? null;
  if (fact.defines) {
    // The defining event dates the node; references seen before it only made a placeholder.
    validFrom = wasPlaceholder ? fact.time : Math.min(validFrom, fact.time);
    // Defined again after it was retired: it exists again from now on.
    if (validTo !== null && fact.time >= validTo) validTo = null;
  } else if (wasPlaceholder) {
    validFrom = Math.min(validFrom, fact.time);
  }

  return {
    id: fact.id,
    kind,
    name,
    source: fact.defines || !existing ? fact.source : existing.source,
    firstSeen: Math.min(existing?.firstSeen ?? fact.time, fact.time),
    lastSeen: Math.max(existing?.lastSeen ?? fact.time, fact.time),
    validFrom,
    validTo,
    placeholder,
    attributes,
    propertyTimes: times,
  };
}

export function retireNode(existing: NodeState | undefined, fact: RetireNodeFact): NodeState {
  const base: NodeState = existing ?? {
    id: fact.id,
    kind: fact.kind,
    name: null,
    source: fact.source,
    firstSeen: fact.time,
    lastSeen: fact.time,
    validFrom: fact.time,
    validTo: null,
    placeholder: true,
    attributes: {},
    propertyTimes: {},
  };
  // A late removal older than the node's own definition changes nothing.
  if (!base.placeholder && fact.time < base.validFrom) return base;
  const validTo = base.validTo === null ? fact.time : Math.min(base.validTo, fact.time);
  return {
    ...base,
    validTo: Math.max(validTo, base.validFrom),
    lastSeen: Math.max(base.lastSeen, fact.time),
  };
}

export function addEvidence(evidence: readonly string[], id: string): readonly string[] {
  if (evidence.includes(id)) return evidence;
  if (evidence.length < MAX_EVIDENCE) return [...evidence, id];
  // Keep the first (the creating event) and the most recent ones.
  return [evidence[0]!, ...evidence.slice(evidence.length - MAX_EVIDENCE + 2), id];
}

/** A change to the interval list of one relationship key (type, from, to). */
export type IntervalChange =
  | { readonly kind: 'insert'; readonly interval: GraphRelationship }
  | { readonly kind: 'update'; readonly index: number; readonly interval: GraphRelationship };

/**
 * Apply "this relationship holds at t" to the intervals of one key (sorted by validFrom).
 * - an interval that contains t is confirmed (evidence, lastSeen);
 * - otherwise, if a later interval starts after the last close before t, it starts earlier, at t;
 * - otherwise a new open interval starts at t.
 */
export function relate(intervals: readonly GraphRelationship[], fact: RelateFact): IntervalChange[] {
  const t = fact.time;
  let previous = -1;
  for (let i = 0; i < intervals.length; i++) if (intervals[i]!.validFrom <= t) previous = i;
  const prev = previous >= 0 ? intervals[previous] : undefined;
  if (prev && (prev.validTo === null || t < prev.validTo)) {
    return [{ kind: 'update', index: previous, interval: confirm(prev, fact) }];
  }
  const nextIndex = previous + 1;
  const next = intervals[nextIndex];
  if (next) {
    return [{ kind: 'update', index: nextIndex, interval: { ...confirm(next, fact), validFrom: t } }];
  }
  return [
    {
      kind: 'insert',
      interval: {
        type: fact.type,
        from: fact.from,
        to: fact.to,
        validFrom: t,
        validTo: null,
        firstSeen: t,
        lastSeen: t,
        confidence: fact.confidence,
        source: fact.source,
        evidence: [fact.evidence],
        attributes: fact.attributes ?? {},
      },
    },
  ];
}

function confirm(interval: GraphRelationship, fact: RelateFact): GraphRelationship {
  const laterAttributes = fact.attributes !== undefined && fact.time >= interval.lastSeen;
  return {
    ...interval,
    firstSeen: Math.min(interval.firstSeen, fact.time),
    lastSeen: Math.max(interval.lastSeen, fact.time),
    // A declaration outranks an observation, which outranks an inference.
    confidence: confidenceRank(fact.confidence) < confidenceRank(interval.confidence) ? fact.confidence : interval.confidence,
    evidence: addEvidence(interval.evidence, fact.evidence),
    attributes: laterAttributes ? fact.attributes : interval.attributes,
  };
}

function confidenceRank(confidence: GraphRelationship['confidence']): number {
  return confidence === 'declared' ? 0 : confidence === 'observed' ? 1 : 2;
}

/**
 * Apply "this relationship stops holding at t". The interval that contains t closes at t (an
 * earlier close wins over a later one). With no interval to close — the removal arrived before
 * the grant — a zero-length tombstone remembers it, so that a late grant older than the removal
 * opens an interval that is already closed.
 */
export function unrelate(
  intervals: readonly GraphRelationship[],
  fact: { type: GraphRelationship['type']; from: string; to: string; time: EpochMs; evidence: string; source: string },
): IntervalChange[] {
  const t = fact.time;
  let previous = -1;
  for (let i = 0; i < intervals.length; i++) if (intervals[i]!.validFrom <= t) previous = i;
  const prev = previous >= 0 ? intervals[previous] : undefined;
  if (prev && (prev.validTo === null || t < prev.validTo)) {
    return [
      {
        kind: 'update',
        index: previous,
        interval: { ...prev, validTo: t, lastSeen: Math.max(prev.lastSeen, t), evidence: addEvidence(prev.evidence, fact.evidence) },
      },
    ];
  }
  if (prev && prev.validTo === t) return [];
  return [
    {
      kind: 'insert',
      interval: {
        type: fact.type,
        from: fact.from,
        to: fact.to,
        validFrom: t,
        validTo: t,
        firstSeen: t,
        lastSeen: t,
        confidence: 'declared',
        source: fact.source,
        evidence: [fact.evidence],
        attributes: {},
      },
    },
  ];
}

/** Apply a list of changes to an interval list (what an adapter does after writing them). */
export function applyIntervalChanges(
  intervals: readonly GraphRelationship[],
  changes: readonly IntervalChange[],
): GraphRelationship[] {
  const next = [...intervals];
  for (const change of changes) {
    if (change.kind === 'update') next[change.index] = change.interval;
    else next.push(change.interval);
  }
  return next.sort((a, b) => a.validFrom - b.validFrom);
}
