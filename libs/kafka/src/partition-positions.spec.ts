import { outOfRangeResets } from './partition-positions';

describe('outOfRangeResets', () => {
  const earliest = new Map([['hr.events', [10n, 0n, 0n, 7n]]]);
  const latest = new Map([['hr.events', [50n, 9n, 60n, 7n]]]);

  it('moves a commit below the log to its first retained offset, counting the messages deleted unread', () => {
    expect(outOfRangeResets(new Map([['hr.events', [4n]]]), earliest, latest)).toEqual([
      { topic: 'hr.events', partition: 0, committed: 4n, resumeAt: 10n, lost: 6n },
    ]);
  });

  it('moves a commit past the end back to the first retained offset: reading twice loses nothing', () => {
    expect(outOfRangeResets(new Map([['hr.events', [10n, 12n]]]), earliest, latest)).toEqual([
      { topic: 'hr.events', partition: 1, committed: 12n, resumeAt: 0n, lost: 0n },
    ]);
  });

  it('leaves positions inside the log alone, both ends included, and partitions without a commit or not asked about', () => {
    const committed = new Map<string, (bigint | undefined)[]>([['hr.events', [10n, 9n, -1n, 7n]]]);
    expect(outOfRangeResets(committed, earliest, latest)).toEqual([]);
    // The client sizes the array by the partitions it was asked about and places them by index: holes.
    const sparse: (bigint | undefined)[] = [];
    sparse[3] = 2n;
    expect(outOfRangeResets(new Map([['hr.events', sparse]]), earliest, latest)).toEqual([
      { topic: 'hr.events', partition: 3, committed: 2n, resumeAt: 7n, lost: 5n },
    ]);
    expect(outOfRangeResets(new Map([['ci.events', [0n]]]), earliest, latest)).toEqual([]);
  });
});
