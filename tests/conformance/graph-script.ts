import type { AcceptedEvent, AttributeValue, Confidence, GraphFact, GraphStore, NodeKind, RelationKind } from '@lineage/domain';
import { RELATION_KIND_NAMES } from '@lineage/domain';

/** Facts as a test writes them: time, evidence and source are filled in per event. */
type Draft = GraphFact extends infer F ? (F extends GraphFact ? Omit<F, 'time' | 'evidence' | 'source'> : never) : never;

export const t = (iso: string): number => Date.parse(iso);

export const node = (kind: NodeKind, id: string, attributes: Record<string, AttributeValue> = {}, name?: string): Draft => ({
  op: 'node',
  kind,
  id,
  defines: true,
  attributes,
  ...(name ? { name } : {}),
});
export const ref = (kind: NodeKind, id: string): Draft => ({ op: 'node', kind, id, defines: false });
export const update = (kind: NodeKind, id: string, attributes: Record<string, AttributeValue>): Draft => ({ op: 'node', kind, id, defines: false, attributes });
export const person = (id: string, attributes: Record<string, AttributeValue> = {}): Draft => node('Person', id, { status: 'active', leftAt: null, ...attributes });
export const left = (id: string, at: number): Draft => update('Person', id, { status: 'left', leftAt: at });
export const rel = (type: RelationKind, from: string, to: string, confidence: Confidence = 'declared', attributes?: Record<string, AttributeValue>): Draft => ({
  op: 'relate',
  type,
  from,
  to,
  confidence,
  ...(attributes ? { attributes } : {}),
});
export const unrel = (type: RelationKind, from: string, to: string): Draft => ({ op: 'unrelate', type, from, to });
export const retire = (kind: NodeKind, id: string): Draft => ({ op: 'retire', kind, id });
export const inherit = (fromId: string, toId: string, types: readonly RelationKind[]): Draft => ({ op: 'inherit', fromId, toId, types });

let counter = 0;

/** One event: its facts at one time, with a fresh id unless one is given. */
export function event(time: number, drafts: readonly Draft[], options: { id?: string; source?: string; type?: string; subject?: string } = {}): AcceptedEvent {
  const id = options.id ?? `evt-${++counter}`;
  const source = options.source ?? 'conformance';
  const facts = drafts.map((draft) => ({ ...draft, time, evidence: id, source }));
  const entityIds = [...new Set(facts.flatMap((f) => (f.op === 'relate' || f.op === 'unrelate' ? [f.from, f.to] : f.op === 'node' || f.op === 'retire' ? [f.id] : [])))];
  return { source, id, type: options.type ?? 'test.fact', time, subject: options.subject ?? entityIds[0] ?? null, summary: `test event ${id}`, entityIds, facts };
}

export async function apply(store: GraphStore, ...events: AcceptedEvent[]) {
  return store.applyBatch({ events, deadLetters: [] });
}

/**
 * Everything the port can say about a set of nodes at some times: their properties and, per
 * relation type, their outgoing neighbours with the relationship intervals. Two stores (or one
 * store twice) with equal snapshots hold the same graph as far as any query can tell.
 */
export async function snapshot(store: GraphStore, ids: readonly string[], times: readonly number[]): Promise<unknown> {
  const nodes = (await store.getNodes(ids)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const edges: unknown[] = [];
  for (const asOf of times) {
    for (const id of [...ids].sort()) {
      for (const type of RELATION_KIND_NAMES) {
        const page = await store.neighbours({ id, type, direction: 'out', asOf, page: { first: 500 } });
        for (const item of page.items) {
          const r = item.relationship;
          edges.push([asOf, r.type, r.from, r.to, r.validFrom, r.validTo, r.confidence, [...r.evidence].sort()]);
        }
      }
    }
  }
  return { nodes: nodes.map(({ id, kind, name, validFrom, validTo, placeholder, attributes }) => ({ id, kind, name, validFrom, validTo, placeholder, attributes })), edges };
}
