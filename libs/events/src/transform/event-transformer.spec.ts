import type { GraphFact, NodeKind } from '@lineage/domain';
import { RELATION_KINDS } from '@lineage/domain';
import { acceptedFixtures, stampOf } from '../testing/canonical-fixtures';
import { transformEvent } from './event-transformer';

/** Properties every transform must keep, checked over every accepted fixture. */
describe('transformEvent over every canonical fixture', () => {
  const cases = acceptedFixtures().map((event) => [event.id, event] as const);

  it.each(cases)('%s: every fact carries the event time, id and source', (_id, event) => {
    const accepted = transformEvent(event);
    expect(accepted.facts.length).toBeGreaterThan(0);
    for (const fact of accepted.facts)
      expect({ time: fact.time, evidence: fact.evidence, source: fact.source }).toEqual(stampOf(event));
    expect(accepted).toMatchObject({ id: event.id, source: event.source, type: event.type, time: stampOf(event).time });
  });

  it.each(cases)('%s: relationships join kinds the graph model allows, as the event named them', (_id, event) => {
    const { facts } = transformEvent(event);
    const kinds = new Map<string, NodeKind>();
    for (const fact of facts) if (fact.op === 'node' || fact.op === 'retire') kinds.set(fact.id, fact.kind);
    for (const fact of facts.filter(
      (f): f is Extract<GraphFact, { op: 'relate' | 'unrelate' }> => f.op === 'relate' || f.op === 'unrelate',
    )) {
      const allowed = RELATION_KINDS[fact.type];
      expect(allowed.from).toContain(kinds.get(fact.from));
      expect(allowed.to).toContain(kinds.get(fact.to));
    }
  });

  it.each(cases)('%s: every id in a fact is among the entity ids, and the summary is one line', (_id, event) => {
    const accepted = transformEvent(event);
    const named = accepted.facts.flatMap((fact) => {
      switch (fact.op) {
        case 'node':
        case 'retire':
          return [fact.id];
        case 'relate':
        case 'unrelate':
          return [fact.from, fact.to];
        case 'unrelate-others':
          return [fact.anchorId, ...fact.keep];
        case 'inherit':
          return [fact.fromId, fact.toId];
      }
    });
    for (const id of named) expect(accepted.entityIds).toContain(id);
    expect(new Set(accepted.entityIds).size).toBe(accepted.entityIds.length);
    expect(accepted.summary).not.toMatch(/\n/);
    expect(accepted.summary.length).toBeGreaterThan(0);
  });

  it('uses the envelope subject when there is one, else the main id', () => {
    const bySubject = acceptedFixtures().filter((event) => event.subject !== undefined);
    expect(bySubject.length).toBeGreaterThan(0);
    for (const event of bySubject) expect(transformEvent(event).subject).toBe(event.subject);
    const withoutSubject = acceptedFixtures().find((event) => event.id === 'hr-left-now')!;
    expect(transformEvent(withoutSubject).subject).toBe('person:e1002');
  });

  it('is pure: the same event gives the same result and is left unchanged', () => {
    for (const [, event] of cases) {
      const before = structuredClone(event);
      expect(transformEvent(event)).toEqual(transformEvent(event));
      expect(event).toEqual(before);
    }
  });

  it('never puts a field the contract does not declare into the graph', () => {
    const joined = acceptedFixtures().find((event) => event.id === 'hr-joined-1')!;
    expect(JSON.stringify(transformEvent(joined))).not.toContain('badgeColour');
  });
});
