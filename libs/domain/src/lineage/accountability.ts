import type { RelationKind } from '../model/graph-model';
import type { EpochMs, GraphNode, GraphRelationship } from '../model/graph-types';
import { compareIds, isValidAt } from '../model/graph-types';
import type { LineageGraph } from './lineage-graph';

/**
 * Who is accountable for an NHI. PRODUCT.md, "Lineage":
 *  1. a declared owner (OWNS);
 *  2. its creator (CREATED), resolved in turn when the creator is an NHI or a workload;
 *  3. the owner of a workload that runs as it (RUNS_AS);
 *  4. for a vendor-supplied NHI, the vendor's sponsor.
 * The first candidate that is an active person wins. An NHI supplied by a vendor whose
 * contract has ended is ORPHANED whatever else covers it.
 */

export type LineageStatus = 'ACCOUNTABLE' | 'ORPHANED' | 'UNOWNED';

export interface LineageStep {
  readonly from: GraphNode;
  readonly relation: RelationKind;
  readonly to: GraphNode;
  readonly evidence: readonly string[];
  readonly since: EpochMs;
}

export interface Lineage {
  readonly root: GraphNode;
  readonly status: LineageStatus;
  /** The active person who answers for the root, when ACCOUNTABLE. */
  readonly accountable: GraphNode | null;
  /** When ORPHANED: the first person on the chains (who left), or the sponsor of an ended vendor. */
  readonly lastAccountable: GraphNode | null;
  /** From the human (or vendor) down to the root, in graph direction. */
  readonly chain: readonly LineageStep[];
  /** One sentence: which rule decided. */
  readonly reason: string;
}

/** How far chains of NHIs creating NHIs are followed. Stores fetch this many hops upstream. */
export const MAX_LINEAGE_DEPTH = 8;

/** The relationships a store must fetch, walking upstream from a root, to resolve lineage. */
export const LINEAGE_UPSTREAM: readonly RelationKind[] = ['OWNS', 'CREATED', 'RUNS_AS', 'SUPPLIES', 'SPONSORS'];
/** Followed downstream from a credential (a credential answers to the NHI it authenticates). */
export const LINEAGE_DOWNSTREAM: readonly RelationKind[] = ['AUTHENTICATES'];
/** Walking downstream from a person: the NHIs they could be accountable for. */
export const ACCOUNTABILITY_DOWNSTREAM: readonly RelationKind[] = ['OWNS', 'CREATED', 'RUNS_AS', 'SPONSORS', 'SUPPLIES'];
/**
 * Past the subject, which of those a chain can continue through, by the edge that reached the node.
 * The rules stop at the first person, so OWNS and SPONSORS count only from the subject; from what
 * the subject sponsors, only SUPPLIES (a sponsor answers for a vendor's NHIs, not for the vendor's
 * own edges); from anything else, only CREATED and RUNS_AS (`through` in `candidates`). A walk that
 * follows just these reaches every NHI the rules can resolve to the subject.
 */
export const ACCOUNTABILITY_ONWARD: readonly RelationKind[] = ['CREATED', 'RUNS_AS'];
export const ACCOUNTABILITY_FROM_SPONSORED: readonly RelationKind[] = ['SUPPLIES'];

interface Candidate {
  readonly terminal: GraphNode;
  readonly chain: readonly LineageStep[];
  readonly rule: string;
}

/** When a person left (`leftAt`), or null for anyone who has not, or is not a person. */
export function personLeftAt(person: Pick<GraphNode, 'kind' | 'attributes'>): EpochMs | null {
  const leftAt = person.attributes['leftAt'];
  return person.kind === 'Person' && typeof leftAt === 'number' ? leftAt : null;
}

export function isPersonActive(person: GraphNode, asOf: EpochMs): boolean {
  return person.kind === 'Person' && isValidAt(person, asOf) && !hasPersonLeft(person, asOf);
}

/** When a person left, if they had by `asOf`; null otherwise. */
export function personLeftBy(person: GraphNode, asOf: EpochMs): EpochMs | null {
  const leftAt = personLeftAt(person);
  return leftAt !== null && leftAt <= asOf ? leftAt : null;
}

export function hasPersonLeft(person: GraphNode, asOf: EpochMs): boolean {
  return personLeftBy(person, asOf) !== null;
}

export function isVendorEnded(vendor: GraphNode, asOf: EpochMs): boolean {
  const endedAt = vendor.attributes['endedAt'];
  return vendor.kind === 'Vendor' && ((typeof endedAt === 'number' && endedAt <= asOf) || (vendor.validTo !== null && vendor.validTo <= asOf));
}

export function resolveLineage(graph: LineageGraph, rootId: string, asOf: EpochMs): Lineage | null {
  const root = graph.node(rootId);
  if (!root) return null;

  const endedVendor = graph
    .into(rootId, 'SUPPLIES', asOf)
    .find((rel) => { const v = graph.node(rel.from); return v !== undefined && isVendorEnded(v, asOf); });
  if (root.kind === 'NHI' && endedVendor) {
    const vendor = graph.node(endedVendor.from)!;
    const sponsorRel = graph.into(vendor.id, 'SPONSORS', asOf)[0];
    const sponsor = sponsorRel ? graph.node(sponsorRel.from) ?? null : null;
    const chain = [...(sponsorRel && sponsor ? [step(sponsor, sponsorRel, vendor)] : []), step(vendor, endedVendor, root)];
    return {
      root,
      status: 'ORPHANED',
      accountable: null,
      lastAccountable: sponsor,
      chain,
      reason: `supplied by vendor ${vendor.id}, whose contract has ended`,
    };
  }

  let firstLeft: Candidate | undefined;
  for (const candidate of candidates(graph, root, asOf, new Set([root.id]), 0)) {
    if (isPersonActive(candidate.terminal, asOf)) {
      return {
        root,
        status: 'ACCOUNTABLE',
        accountable: candidate.terminal,
        lastAccountable: null,
        chain: candidate.chain,
        reason: candidate.rule,
      };
    }
    firstLeft ??= candidate;
  }
  if (firstLeft) {
    const terminal = firstLeft.terminal;
    return {
      root,
      status: 'ORPHANED',
      accountable: null,
      lastAccountable: terminal.kind === 'Person' ? terminal : null,
      chain: firstLeft.chain,
      reason:
        terminal.kind === 'Person'
          ? `every chain ends at a person who left; first: ${firstLeft.rule}`
          : `every chain ends at a vendor whose contract ended (${terminal.id})`,
    };
  }
  return { root, status: 'UNOWNED', accountable: null, lastAccountable: null, chain: [], reason: 'no owner, creator, workload owner or vendor sponsor' };
}

function step(from: GraphNode, rel: GraphRelationship, to: GraphNode): LineageStep {
  return { from, relation: rel.type, to, evidence: rel.evidence, since: rel.validFrom };
}

/** Every chain that ends at a person (or an ended vendor), in the order of the rules. */
function* candidates(
  graph: LineageGraph,
  node: GraphNode,
  asOf: EpochMs,
  visiting: Set<string>,
  depth: number,
): Generator<Candidate> {
  if (depth >= MAX_LINEAGE_DEPTH) return;

  for (const rel of graph.into(node.id, 'OWNS', asOf)) {
    const owner = graph.node(rel.from);
    if (owner?.kind === 'Person') yield { terminal: owner, chain: [step(owner, rel, node)], rule: `declared owner ${owner.id} of ${node.id}` };
  }

  for (const rel of graph.into(node.id, 'CREATED', asOf)) {
    const creator = graph.node(rel.from);
    if (!creator) continue;
    if (creator.kind === 'Person') {
      yield { terminal: creator, chain: [step(creator, rel, node)], rule: `creator ${creator.id} of ${node.id}` };
    } else if ((creator.kind === 'NHI' || creator.kind === 'Workload') && !visiting.has(creator.id)) {
      yield* through(graph, creator, rel, node, asOf, visiting, depth);
    }
  }

  if (node.kind === 'NHI') {
    for (const rel of graph.into(node.id, 'RUNS_AS', asOf)) {
      const workload = graph.node(rel.from);
      if (workload && !visiting.has(workload.id)) yield* through(graph, workload, rel, node, asOf, visiting, depth);
    }
    for (const rel of graph.into(node.id, 'SUPPLIES', asOf)) {
      const vendor = graph.node(rel.from);
      if (!vendor) continue;
      if (isVendorEnded(vendor, asOf)) {
        yield { terminal: vendor, chain: [step(vendor, rel, node)], rule: `vendor ${vendor.id} (contract ended)` };
        continue;
      }
      for (const sponsorship of graph.into(vendor.id, 'SPONSORS', asOf)) {
        const sponsor = graph.node(sponsorship.from);
        if (sponsor?.kind === 'Person') {
          yield {
            terminal: sponsor,
            chain: [step(sponsor, sponsorship, vendor), step(vendor, rel, node)],
            rule: `sponsor ${sponsor.id} of vendor ${vendor.id}`,
          };
        }
      }
    }
  }

  if (node.kind === 'Credential') {
    for (const rel of graph.outOf(node.id, 'AUTHENTICATES', asOf)) {
      const nhi = graph.node(rel.to);
      if (!nhi || visiting.has(nhi.id)) continue;
      visiting.add(nhi.id);
      for (const candidate of candidates(graph, nhi, asOf, visiting, depth + 1)) {
        yield { ...candidate, chain: [...candidate.chain, step(node, rel, nhi)], rule: `${candidate.rule}, through the NHI it authenticates` };
      }
      visiting.delete(nhi.id);
    }
  }
}

function* through(
  graph: LineageGraph,
  via: GraphNode,
  rel: GraphRelationship,
  node: GraphNode,
  asOf: EpochMs,
  visiting: Set<string>,
  depth: number,
): Generator<Candidate> {
  visiting.add(via.id);
  const verb = rel.type === 'RUNS_AS' ? `owner of workload ${via.id} that runs as ${node.id}` : `accountable for ${via.id}, which created ${node.id}`;
  for (const candidate of candidates(graph, via, asOf, visiting, depth + 1)) {
    yield { ...candidate, chain: [...candidate.chain, step(via, rel, node)], rule: `${candidate.terminal.id}: ${verb}` };
  }
  visiting.delete(via.id);
}

/**
 * The NHIs for which `person` was the accountable human when they left, and which no other
 * active candidate covers as of `asOf`. `candidateIds` are the NHIs downstream of the person.
 */
export function findOrphanedBy(
  graph: LineageGraph,
  personId: string,
  candidateIds: Iterable<string>,
  asOf: EpochMs,
): Lineage[] {
  const person = graph.node(personId);
  if (!person || !hasPersonLeft(person, asOf)) return [];
  return orphansAmong(graph, person, departureMembers(graph, person, candidateIds), asOf);
}

/**
 * What a person's departure left them answering for: the NHIs among `candidateIds` whose
 * accountable human, the instant before `person` left, was `person`. It depends on the graph as
 * it stood then and on nothing later, so a store may keep it (see `nodeChangeFrom`).
 */
export function departureMembers(graph: LineageGraph, person: GraphNode, candidateIds: Iterable<string>): string[] {
  const leftAt = personLeftAt(person);
  if (leftAt === null) return [];
  const members: string[] = [];
  for (const id of new Set(candidateIds)) {
    if (graph.node(id)?.kind !== 'NHI') continue;
    const before = resolveLineage(graph, id, leftAt - 1);
    if (before?.status === 'ACCOUNTABLE' && before.accountable?.id === person.id) members.push(id);
  }
  return members;
}

/** Of a leaver's departure members, those no active person answers for as of `asOf`, by root id. */
export function orphansAmong(graph: LineageGraph, person: GraphNode, memberIds: Iterable<string>, asOf: EpochMs): Lineage[] {
  if (!hasPersonLeft(person, asOf)) return [];
  const result: Lineage[] = [];
  for (const id of memberIds) {
    const now = resolveLineage(graph, id, asOf);
    if (now && now.status !== 'ACCOUNTABLE') result.push({ ...now, lastAccountable: person });
  }
  return result.sort((a, b) => compareIds(a.root.id, b.root.id));
}

/** The relationship types the rules read, upstream or down: only their changes can move an answer. */
const LINEAGE_TYPES: ReadonlySet<RelationKind> = new Set([...LINEAGE_UPSTREAM, ...LINEAGE_DOWNSTREAM, ...ACCOUNTABILITY_DOWNSTREAM]);

/*
 * From which instant on a write changes what the rules see, or null when it changes nothing they
 * read: a kept departure (`departureMembers`) of someone who left at `leftAt` is stale when
 * `leftAt - 1` is at or after it. The rules read a node's kind (at any time), its validity, and a
 * person's `leftAt` or a vendor's `endedAt`; a relationship's validity, for the lineage types. A
 * rule that starts reading anything else must be added here, or kept departures go stale unseen.
 * The writer asks for every node and relationship it writes, so what changed nothing returns early.
 */

interface Interval {
  readonly validFrom: EpochMs;
  readonly validTo: EpochMs | null;
}

/** A node's write: from when it changes what the lineage rules read of it. */
export function nodeChangeFrom(before: GraphNode, after: GraphNode): EpochMs | null {
  if (before.kind !== after.kind) return Number.MIN_SAFE_INTEGER;
  const validity = before.validFrom === after.validFrom && before.validTo === after.validTo ? null : validityChangeFrom([before], [after]);
  return earliest([
    validity,
    thresholdChangeFrom(before.attributes['leftAt'], after.attributes['leftAt']),
    thresholdChangeFrom(before.attributes['endedAt'], after.attributes['endedAt']),
  ]);
}

/** A relationship key's write, every interval before and after: from when its validity reads differently. */
export function relationshipChangeFrom(type: RelationKind, before: readonly Interval[], after: readonly Interval[]): EpochMs | null {
  if (!LINEAGE_TYPES.has(type) || sameIntervals(before, after)) return null;
  return validityChangeFrom(before, after);
}

function sameIntervals(a: readonly Interval[], b: readonly Interval[]): boolean {
  return a.length === b.length && a.every((interval, i) => interval.validFrom === b[i]!.validFrom && interval.validTo === b[i]!.validTo);
}

/** The first instant at which "valid under one of `before`" and "valid under one of `after`" differ. */
function validityChangeFrom(before: readonly Interval[], after: readonly Interval[]): EpochMs | null {
  const validUnder = (intervals: readonly Interval[], at: EpochMs) => intervals.some((interval) => isValidAt(interval, at));
  // Validity only changes at an interval's ends, so the first difference, if any, is at one of them.
  const ends = [...before, ...after].flatMap((interval) => (interval.validTo === null ? [interval.validFrom] : [interval.validFrom, interval.validTo]));
  for (const at of ends.sort((a, b) => a - b)) if (validUnder(before, at) !== validUnder(after, at)) return at;
  return null;
}

/** A "has happened by then" threshold such as `leftAt`: it reads differently from the earlier of the two values on. */
function thresholdChangeFrom(before: unknown, after: unknown): EpochMs | null {
  if (before === after) return null;
  return earliest([typeof before === 'number' ? before : null, typeof after === 'number' ? after : null]);
}

function earliest(times: readonly (EpochMs | null)[]): EpochMs | null {
  let result: EpochMs | null = null;
  for (const time of times) if (time !== null && (result === null || time < result)) result = time;
  return result;
}
