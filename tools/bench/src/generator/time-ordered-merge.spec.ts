import type { PlannedEvent, StreamFamily } from './time-ordered-merge';
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
