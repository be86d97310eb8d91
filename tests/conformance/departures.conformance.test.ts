import type { AcceptedEvent, GraphStore, NodeKind, OrphanedNhi, RelationKind } from '@lineage/domain';
import { EmbeddedGraphStore } from '@lineage/store-embedded';
import { SeededRandom } from '../../tools/bench/src/generator/seeded-random';
import { describeEachStore } from './conformance-stores';
import { apply, event, left, node, ref, rel, retire, t, unrel, update } from './graph-script';

/*
 * `orphanedBy` must answer the same however the history arrived. A store may keep what a
 * departure left someone answering for (the embedded store does, at write time); events that
 * arrive late, placeholders defined after they were first named, owners and chains that change
 * before or after the leaving must all leave its answers equal to those of a store that saw the
 * same events at once, in time order.
 */

const DAY = 24 * 3600 * 1000;
const T0 = t('2025-01-01T00:00:00Z');
const at = (day: number) => T0 + day * DAY;
const DAYS = 20;
const AS_OF = [at(4), at(9), at(13), at(17), at(DAYS + 1), at(400)];

const PEOPLE = ['person:a', 'person:b', 'person:c'];
const NHIS = ['nhi:1', 'nhi:2', 'nhi:3', 'nhi:4', 'nhi:5', 'nhi:6'];
const WORKLOADS = ['workload:1', 'workload:2'];
const VENDOR = 'vendor:v';
const CREDENTIALS = ['cred:1', 'cred:2', 'cred:3'];

/** The edges accountability passes through, with the kinds at their ends. */
const EDGES: readonly [RelationKind, readonly string[], readonly string[]][] = [
  ['OWNS', PEOPLE, NHIS],
  ['OWNS', PEOPLE, WORKLOADS],
  ['CREATED', PEOPLE, NHIS],
  ['CREATED', NHIS, NHIS],
  ['CREATED', WORKLOADS, NHIS],
  ['CREATED', NHIS, CREDENTIALS],
  ['RUNS_AS', WORKLOADS, NHIS],
  ['SUPPLIES', [VENDOR], NHIS],
  ['SPONSORS', PEOPLE, [VENDOR]],
  ['AUTHENTICATES', CREDENTIALS, NHIS],
];

const KIND_OF: Record<string, NodeKind> = { person: 'Person', nhi: 'NHI', workload: 'Workload', vendor: 'Vendor', cred: 'Credential' };
const kindOf = (id: string): NodeKind => KIND_OF[id.slice(0, id.indexOf(':'))]!;

/** A random history of the small enterprise above, in event-time order. */
function history(seed: number): AcceptedEvent[] {
  const random = new SeededRandom(seed);
  const next = () => random.next();
  const pick = <T>(items: readonly T[]): T => random.pick(items);
  const day = () => random.int(0, DAYS - 1);
  const events: AcceptedEvent[] = [];
  const id = (n: number) => `s${seed}-e${n}`;
  // Definitions, some of them long after others first name the node (placeholders).
  for (const person of PEOPLE) events.push(event(at(0), [node('Person', person, { status: 'active' })], { id: id(events.length) }));
  for (const other of [...NHIS, ...WORKLOADS, VENDOR, ...CREDENTIALS]) {
    if (next() < 0.8) events.push(event(at(day()), [node(kindOf(other), other)], { id: id(events.length) }));
  }
  for (let i = 0; i < 26; i++) {
    const [type, froms, tos] = pick(EDGES);
    const from = pick(froms);
    const to = pick(tos);
    const opens = next() < 0.75;
    const facts = opens ? [ref(kindOf(from), from), ref(kindOf(to), to), rel(type, from, to)] : [unrel(type, from, to)];
    events.push(event(at(day()) + i, facts, { id: id(events.length) }));
  }
  for (const person of PEOPLE) {
    if (next() < 0.7) {
      const when = at(2 + day());
      events.push(event(when, [left(person, when)], { id: id(events.length) }));
    }
  }
  if (next() < 0.3) {
    const when = at(day());
    events.push(event(when, [update('Vendor', VENDOR, { endedAt: when })], { id: id(events.length) }));
  }
  if (next() < 0.3) {
    const gone = pick([...NHIS, ...WORKLOADS]);
    events.push(event(at(day()), [retire(kindOf(gone), gone)], { id: id(events.length) }));
  }
  return events.sort((a, b) => a.time - b.time);
}

/** What an answer says, in ids: enough for two stores' answers to be compared whole. */
function answerOf(orphans: readonly OrphanedNhi[]): unknown {
  return orphans.map(({ lineage, credentials }) => ({
    root: lineage.root.id,
    status: lineage.status,
    lastAccountable: lineage.lastAccountable?.id ?? null,
    chain: lineage.chain.map((step) => [step.from.id, step.relation, step.to.id, step.since]),
    reason: lineage.reason,
    credentials: credentials.map((credential) => credential.id),
  }));
}

async function answers(store: GraphStore): Promise<unknown> {
  const result: Record<string, unknown> = {};
  for (const person of PEOPLE) for (const asOf of AS_OF) result[`${person} @${asOf}`] = answerOf(await store.orphanedBy(person, asOf));
  return result;
}

describeEachStore('orphanedBy however the history arrives', (open) => {
  it('answers as a store that saw the same events at once, after every batch of a late, shuffled arrival', async () => {
    let kept = 0;
    let embedded = false;
    let orphansSeen = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const events = history(seed);
      const random = new SeededRandom(seed * 7919);
      // Arrival order: shuffled, so events arrive late and placeholders come before definitions.
      const arrival = [...events];
      for (let i = arrival.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [arrival[i], arrival[j]] = [arrival[j]!, arrival[i]!];
      }
      const store = await open();
      try {
        const arrived: AcceptedEvent[] = [];
        while (arrival.length > 0) {
          const batch = arrival.splice(0, random.int(1, 6));
          await apply(store, ...batch);
          arrived.push(...batch);
          const reference = await open();
          try {
            await apply(reference, ...[...arrived].sort((a, b) => a.time - b.time));
            const expected = await answers(reference);
            expect({ seed, arrived: arrived.length, answers: await answers(store) }).toEqual({ seed, arrived: arrived.length, answers: expected });
            orphansSeen += JSON.stringify(expected).split('"root"').length - 1;
          } finally {
            await reference.close();
          }
        }
        if (store instanceof EmbeddedGraphStore) embedded = true;
        if (store instanceof EmbeddedGraphStore) kept += store.db.prepare('SELECT count(*) FROM departures WHERE members IS NOT NULL').pluck().get() as number;
      } finally {
        await store.close();
      }
    }
    // The histories must exercise what they test: orphans to find, and (embedded) departures kept.
    expect(orphansSeen).toBeGreaterThan(100);
    if (embedded) expect(kept).toBeGreaterThan(20);
  });
});
