import type { PlannedEvent, StreamFamily } from './time-ordered-merge';
import { SeededRandom } from './seeded-random';
import { mergeByTime, sortPlan } from './time-ordered-merge';

interface Emitted {
  readonly family: string;
  readonly index: number;
  readonly ordinal: number;
  readonly time: number;
}

/** A family whose stream i starts at starts[i] and has events at the given offsets from it. */
function family(
  name: string,
  rank: number,
  starts: number[],
  offsets: number[][],
  planned: string[] = [],
): StreamFamily<Emitted> {
  return {
    rank,
    count: starts.length,
    startTime: (i) => starts[i]!,
    plan: (i) => {
      planned.push(`${name}${i}`);
      return offsets[i]!.map((offset) => {
        const time = starts[i]! + offset;
        return { time, build: (ordinal) => ({ family: name, index: i, ordinal, time }) };
      });
    },
  };
}

describe('mergeByTime', () => {
  it('emits every event of every stream once, ordered by time, then family rank, then stream', () => {
    const people = family('p', 1, [0, 5, 5], [[0, 20], [0], [0, 1]]);
    const nhis = family(
      'n',
      2,
      [5, 6],
      [[0, 100, 3], [0]].map((o) => [...o].sort((a, b) => a - b)),
    );
    const events = [...mergeByTime([nhis, people])];

    expect(events.map((e) => `${e.family}${e.index}.${e.ordinal}@${e.time}`)).toEqual([
      'p0.0@0',
      'p1.0@5',
      'p2.0@5',
      'n0.0@5',
      'p2.1@6',
      'n1.0@6',
      'n0.1@8',
      'p0.1@20',
      'n0.2@105',
    ]);
  });

  it('opens a stream only when the merge reaches its first event', () => {
    const planned: string[] = [];
    const merged = mergeByTime([family('s', 1, [0, 10, 20], [[0, 50], [0], [0]], planned)]);

    expect(merged.next().value).toMatchObject({ index: 0, time: 0 });
    expect(planned).toEqual(['s0']);
    expect(merged.next().value).toMatchObject({ index: 1, time: 10 });
    expect(planned).not.toContain('s2');
  });

  it('keeps a stream’s plan across short gaps and recomputes it after long ones', () => {
    const planned: string[] = [];
    const stream = family('s', 1, [0], [[0, 1, 2, 1000, 1001]], planned);
    const events = [...mergeByTime([stream], { keepPlanWithin: 10 })];

    expect(events.map((event) => event.time)).toEqual([0, 1, 2, 1000, 1001]);
    expect(events.map((event) => event.ordinal)).toEqual([0, 1, 2, 3, 4]);
    // Once when the stream opens, once more after the gap from 2 to 1000.
    expect(planned).toEqual(['s0', 's0']);
  });

  it('orders like a full sort, whatever the calendar bucket width', () => {
    // Three families of streams with random gaps, some far beyond a bucket, some at equal times.
    const random = new SeededRandom(99);
    const families = [1, 2, 3].map((rank) => {
      let start = 0;
      const starts: number[] = [];
      const offsets: number[][] = [];
      for (let i = 0; i < 40; i++) {
        start += random.int(0, 30);
        starts.push(start);
        const gaps = Array.from({ length: random.int(0, 5) }, () =>
          random.chance(0.3) ? random.int(0, 2) : random.int(0, 5000),
        );
        offsets.push([0, ...gaps].map((_, k, all) => all.slice(0, k + 1).reduce((sum, gap) => sum + gap, 0)));
      }
      return family(`f${rank}`, rank, starts, offsets);
    });
    const key = (e: Emitted): string => `${e.family}${e.index}.${e.ordinal}@${e.time}`;
    const expected = families
      .flatMap((f) =>
        Array.from({ length: f.count }, (_, i) => f.plan(i).map((planned, ordinal) => planned.build(ordinal))).flat(),
      )
      .sort((a, b) => a.time - b.time || a.family.localeCompare(b.family) || a.index - b.index || a.ordinal - b.ordinal)
      .map(key);

    for (const bucketWidth of [1, 7, 1000, 1e9]) {
      expect([...mergeByTime(families, { bucketWidth, keepPlanWithin: 3 })].map(key)).toEqual(expected);
    }
  });

  it('rejects a family that breaks its contract, naming the stream', () => {
    const unsorted = family('u', 1, [0], [[0, 5, 2]]);
    expect(() => [...mergeByTime([unsorted])]).toThrow('stream 0 of family 1 is not sorted');

    const late = family('l', 1, [0], [[3]]);
    expect(() => [...mergeByTime([late])]).toThrow('does not start at its start time');

    const backwards = family('b', 1, [5, 1], [[0], [0]]);
    expect(() => [...mergeByTime([backwards])]).toThrow('starts stream 1 before stream 0');

    expect(() => [...mergeByTime([family('a', 1, [0], [[0]]), family('b', 1, [0], [[0]])])]).toThrow(
      'ranks must be unique',
    );
  });
});

describe('sortPlan', () => {
  it('sorts by time and keeps planning order among equal times', () => {
    const at = (time: number, tag: string): PlannedEvent<string> => ({ time, build: () => tag });
    const sorted = sortPlan([at(5, 'a'), at(1, 'b'), at(5, 'c'), at(1, 'd')]);
    expect(sorted.map((event) => event.build(0))).toEqual(['b', 'd', 'a', 'c']);
  });
});
