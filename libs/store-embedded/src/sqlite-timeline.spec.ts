import type { AcceptedEvent, TimelineEntry } from '@lineage/domain';
import { EmbeddedGraphStore } from './embedded-graph-store';
import { TimelineLevels } from './sqlite-timeline';

const keysIn = (store: EmbeddedGraphStore, table: 'entity_events' | 'entity_events_recent'): string[] =>
  (store.db.prepare(`SELECT entity_id, time, seq FROM ${table} ORDER BY entity_id, time, seq`).raw().all() as [string, number, number][]).map(
    ([entity, time, seq]) => `${entity}@${time}#${seq}`,
  );

describe('the timeline’s two levels', () => {
  let opened: EmbeddedGraphStore[] = [];
  const open = (timelineRecentRows?: number) => {
    const store = EmbeddedGraphStore.open({ dataDir: ':memory:', timelineRecentRows });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()));
    opened = [];
  });

  it('move the excess over the recent level’s size a key range at a time, each move where the last ended, wrapping around', () => {
    const store = open();
    const levels = new TimelineLevels(store.db, 3);
    let seq = 0;
    const append = (...entities: string[]) => levels.append(entities.map((entityId) => [entityId, 1, ++seq] as const));

    append('a', 'b', 'c', 'd', 'e');
    expect(keysIn(store, 'entity_events')).toEqual(['a@1#1', 'b@1#2']);
    expect(keysIn(store, 'entity_events_recent')).toEqual(['c@1#3', 'd@1#4', 'e@1#5']);

    append('f', 'g');
    expect(keysIn(store, 'entity_events')).toEqual(['a@1#1', 'b@1#2', 'c@1#3', 'd@1#4']);
    append('h');
    append('i', 'j', 'k');
    expect(keysIn(store, 'entity_events_recent')).toEqual(['i@1#9', 'j@1#10', 'k@1#11']);

    // Rows at keys before the last move's end wait for the turn to come round.
    append('a', 'b');
    expect(keysIn(store, 'entity_events_recent')).toEqual(['a@1#12', 'b@1#13', 'k@1#11']);
    // The move from k finds one row; past the last key, the next starts again at the first.
    append('c');
    expect(keysIn(store, 'entity_events_recent')).toEqual(['a@1#12', 'b@1#13', 'c@1#14']);
    append('d');
    expect(keysIn(store, 'entity_events_recent')).toEqual(['b@1#13', 'c@1#14', 'd@1#15']);

    // Every row is in exactly one level.
    const all = [...keysIn(store, 'entity_events'), ...keysIn(store, 'entity_events_recent')];
    expect(new Set(all).size).toBe(15);
    expect(all).toHaveLength(15);
  });

  it('append a batch of any length whole, in chunks and row by row, and count what they added', () => {
    const store = open();
    const levels = new TimelineLevels(store.db, 100);
    // 150 rows: two whole chunks of 64 and 22 left; then a batch of one.
    const rows = Array.from({ length: 150 }, (_, i) => [`nhi:${String(i).padStart(3, '0')}`, 1_000 + i, i + 1] as const);
    levels.append(rows);
    levels.append([['nhi:zzz', 5, 151]]);
    const expected = [...rows, ['nhi:zzz', 5, 151] as const].map(([entityId, time, seq]) => `${entityId}@${time}#${seq}`);
    const settled = keysIn(store, 'entity_events');
    expect([...settled, ...keysIn(store, 'entity_events_recent')].sort()).toEqual(expected.sort());
    // 151 rows over a level of 100: the first batch settled 50, the second one more.
    expect(settled).toEqual(expected.slice(0, 51));
  });

  it('answer timelines the same whether rows settle at every batch, some of them do, or none', async () => {
    const stores = [0, 2, undefined].map(open);
    let n = 0;
    const event = (time: number, source: string, ...entityIds: string[]): AcceptedEvent => {
      const id = `e${String(++n).padStart(2, '0')}`;
      return { source, id, type: 'test.seen', time, subject: null, summary: id, entityIds, facts: [] };
    };
    // Arriving out of time order, ties at one time from two sources, in batches of one to three.
    const batches: AcceptedEvent[][] = [
      [event(50, 'iam', 'nhi:a', 'cred:a'), event(10, 'iam', 'nhi:a')],
      [event(30, 'audit', 'nhi:a', 'resource:r'), event(30, 'iam', 'nhi:a'), event(20, 'audit', 'cred:a')],
      [event(30, 'audit', 'nhi:b', 'nhi:a')],
      [event(5, 'iam', 'resource:r', 'cred:a'), event(60, 'ci', 'nhi:a', 'nhi:b')],
      [event(30, 'ci', 'nhi:a')],
    ];
    for (const s of stores) for (const events of batches) await s.applyBatch({ events, deadLetters: [] });

    // The store settling at every batch keeps nothing recent; the one of two keeps rows in both.
    expect(keysIn(stores[0]!, 'entity_events_recent')).toEqual([]);
    expect(keysIn(stores[1]!, 'entity_events')).not.toEqual([]);
    expect(keysIn(stores[1]!, 'entity_events_recent')).toHaveLength(2);
    expect(keysIn(stores[2]!, 'entity_events')).toEqual([]);

    const pages = async (s: EmbeddedGraphStore, entity: string, from: number | null, to: number | null) => {
      const seen: Pick<TimelineEntry, 'eventId' | 'time'>[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await s.timeline(entity, from, to, { first: 2, ...(after ? { after } : {}) });
        seen.push(page.items.map(({ eventId, time }) => ({ eventId, time })));
        if (!page.hasNextPage) return { pages: seen, total: page.totalCount };
        after = page.endCursor!;
      }
    };
    for (const [entity, from, to] of [
      ['nhi:a', null, null],
      ['nhi:a', 20, 50],
      ['cred:a', null, null],
      ['resource:r', null, 10],
      ['nhi:b', null, null],
    ] as const) {
      const answers = await Promise.all(stores.map((s) => pages(s, entity, from, to)));
      expect(answers[0]).toEqual(answers[2]);
      expect(answers[1]).toEqual(answers[2]);
    }
    // What they agree on: nhi:a's seven events by time, then source, then id, and their count.
    const nhiA = await pages(stores[1]!, 'nhi:a', null, null);
    expect(nhiA.pages.flat().map((e) => `${e.time}:${e.eventId}`)).toEqual(['10:e02', '30:e03', '30:e06', '30:e09', '30:e04', '50:e01', '60:e08']);
    expect(nhiA.total).toBe(7);
  });
});
